package ai.fastvsr.inference;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.video.RgbImage;
import java.util.List;

/**
 * A loaded model on one runtime: clips of frames in, clips of upscaled frames out. Tensors, devices and sessions
 * stay behind this interface. Several jobs call it at once (one call per clip and per thread), so implementations
 * are thread-safe.
 */
public interface ClipEngine extends AutoCloseable {
    /** Upscales one clip of equally sized frames; one output per input, in order. */
    List<RgbImage> run(List<RgbImage> clip) throws Failure;

    /** How frames larger than what this engine takes in one piece are cut; the card's tiles on the CPU. */
    ModelCard.Tile tile(ModelCard card);

    /**
     * The frame size {width, height} of the load-time probe (one frame through the model): the smallest the card
     * allows, unless the engine runs fixed shapes (TensorRT plans) and has one ready.
     */
    default int[] probeSize(ModelCard card) {
        int side = Math.max(8, card.multipleOf());
        return new int[] {side, side};
    }

    /** One line for logs and benchmarks: runtime, device, precision. */
    String describe();

    /**
     * Where the time of the calls since the last report went, or an empty string when the engine does not
     * measure it; resets the counters.
     */
    default String timingReport() {
        return "";
    }

    /**
     * The model alone on frames that stay in device memory: {@code runs} clips of {@code frames} frames of
     * {@code width x height} input on each of {@code clips} concurrent streams, total frames per second, or -1 when
     * the engine has no device memory (the CPU). What a GPU engine's runtime gives before any host copy, to compare
     * with PyTorch's own number on the same GPU.
     */
    default double deviceOnlyFramesPerSecond(int frames, int width, int height, int runs, int clips) {
        return -1;
    }

    /** How many clips the engine runs at once at most (GPU engines: their slots). */
    default int concurrentClips() {
        return 1;
    }

    @Override
    void close();
}
