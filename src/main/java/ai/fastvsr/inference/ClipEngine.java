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

    /** One line for logs and benchmarks: runtime, device, precision. */
    String describe();

    /**
     * Where the time of the calls since the last report went, or an empty string when the engine does not
     * measure it; resets the counters.
     */
    default String timingReport() {
        return "";
    }

    @Override
    void close();
}
