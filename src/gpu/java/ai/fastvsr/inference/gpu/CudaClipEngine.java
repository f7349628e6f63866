package ai.fastvsr.inference.gpu;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.inference.Clip;
import ai.fastvsr.inference.ClipEngine;
import ai.fastvsr.inference.ModelCard;
import ai.fastvsr.video.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU engines (cuda: ONNX Runtime's CUDA provider; tensorrt: a TensorRT plan): one model runtime on one GPU,
 * shared by N slots (N = jobs at once). A clip borrows a free slot
 * for its trip through the GPU and gives it back; with N jobs, up to N clips are on the GPU at once, each on its
 * own stream with its own buffers. A slot that fails is emptied (its device and pinned buffers freed) before it
 * goes back, so an out-of-memory clip fails its job with GPU_OUT_OF_MEMORY (retryable) and the next clip, of this
 * job's successors or of the other jobs, starts clean.
 */
final class CudaClipEngine implements ClipEngine {
    private static final Logger LOG = LoggerFactory.getLogger(CudaClipEngine.class);

    private final ModelCard card;
    private final CudaDevice device;
    private final ConversionKernels kernels;
    private final DeviceEngine engine;
    private final ModelCard.Tile tile;
    private final List<Slot> slots = new ArrayList<>();
    private final BlockingQueue<Slot> idle;
    private final Timings timings;
    private final String description;
    /** The load-time probe's frame size {width, height}, when the runtime runs fixed shapes; null = the default. */
    private final int[] probeSize;

    CudaClipEngine(
            String name,
            ModelCard card,
            CudaDevice device,
            ConversionKernels kernels,
            DeviceEngine engine,
            int slotCount,
            ModelCard.Tile tile,
            String precision) {
        this(name, card, device, kernels, engine, slotCount, tile, precision, null);
    }

    CudaClipEngine(
            String name,
            ModelCard card,
            CudaDevice device,
            ConversionKernels kernels,
            DeviceEngine engine,
            int slotCount,
            ModelCard.Tile tile,
            String precision,
            int[] probeSize) {
        this.card = card;
        this.device = device;
        this.kernels = kernels;
        this.engine = engine;
        this.tile = tile;
        this.probeSize = probeSize;
        this.idle = new ArrayBlockingQueue<>(slotCount);
        this.timings = new Timings(engine.runsOnCallerStream());
        for (int i = 0; i < slotCount; i++) {
            Slot slot = new Slot(device.id(), kernels, engine, timings);
            slots.add(slot);
            idle.add(slot);
        }
        this.description = name + ": " + device.describe() + "; " + engine.describe() + " (" + precision + "); "
                + slotCount + " slot(s); tiles up to " + tile.size() + " px";
    }

    @Override
    public List<RgbImage> run(List<RgbImage> clip) throws Failure {
        int fixed = engine.fixedFrames();
        if (clip.size() < fixed) {
            // a plan of whole clips: pad as the pipeline pads its last clip, and drop the padding's outputs
            return List.copyOf(run(Clip.padded(clip, fixed)).subList(0, clip.size()));
        }
        ClipGeometry g = ClipGeometry.of(clip, card.multipleOf(), card.scale());
        Slot slot;
        try {
            slot = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(ErrorCode.INTERNAL, true, Phase.INFERENCE, "cancelled while waiting for a GPU slot", e);
        }
        try {
            return slot.upscale(clip, g);
        } catch (RuntimeException e) {
            slot.reset();
            String what = g.t() + " frames of " + g.w() + "x" + g.h() + " -> " + g.outWidth() + "x" + g.outHeight();
            if (OutOfMemory.describes(e)) {
                engine.afterOutOfMemory();
                LOG.warn("GPU out of memory on a clip of {}; its slot's buffers were freed: {}", what, e.getMessage());
                throw new Failure(
                        ErrorCode.GPU_OUT_OF_MEMORY,
                        true,
                        Phase.INFERENCE,
                        "GPU out of memory (" + device.name() + ", clip of " + what + "): " + e.getMessage(),
                        e);
            }
            throw new Failure(
                    ErrorCode.MODEL_ERROR,
                    false,
                    Phase.INFERENCE,
                    "CUDA inference failed on a clip of " + what + ": " + e.getMessage(),
                    e);
        } finally {
            idle.add(slot);
        }
    }

    /** {@code clips} slots at once (each on its own stream and thread), or fewer when the engine has fewer. */
    @Override
    public double deviceOnlyFramesPerSecond(int frames, int width, int height, int runs, int clips) {
        int n = Math.max(1, Math.min(clips, slots.size()));
        ClipGeometry g = new ClipGeometry(frames, width, height, width, height, card.scale(), false);
        List<Slot> taken = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            for (int i = 0; i < n; i++) {
                taken.add(idle.remove());
            }
            for (Slot slot : taken) {
                slot.warmModelOnly(g);
            }
            List<Future<?>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (Slot slot : taken) {
                done.add(threads.submit(() -> slot.timeModelOnly(g, runs)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (double) n * runs * g.t() / ((System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException e) {
            throw new CudaException(
                    "the model-alone measurement failed: " + e.getCause().getMessage(), false);
        } finally {
            threads.shutdownNow();
            idle.addAll(taken);
        }
    }

    /** Slots, hence clips on the GPU at once. */
    @Override
    public int concurrentClips() {
        return slots.size();
    }

    @Override
    public int[] probeSize(ModelCard card) {
        return probeSize != null ? probeSize.clone() : ClipEngine.super.probeSize(card);
    }

    @Override
    public ModelCard.Tile tile(ModelCard card) {
        return tile;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String timingReport() {
        String parts = timings.reportAndReset();
        return parts.isEmpty() ? "" : parts + "; device memory free " + device.freeBytes() / (1 << 20) + " MiB";
    }

    @Override
    public void close() {
        for (Slot slot : slots) {
            slot.close();
        }
        kernels.close();
        engine.close();
    }
}
