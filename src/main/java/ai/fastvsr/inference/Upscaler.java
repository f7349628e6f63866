package ai.fastvsr.inference;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.JobAbandoned;
import ai.fastvsr.storage.Checksums;
import ai.fastvsr.video.RgbImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded super-resolution model: checks its card, opens it on the configured engine (ONNX Runtime through DJL
 * on the CPU, the CUDA engine of the {@code -Pgpu} build), and proves at load time that it really upscales by the
 * card's scale, so a lying card fails at start, not mid-job. Thread-safe: concurrent jobs share one.
 */
public final class Upscaler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Upscaler.class);
    /** How long close() waits for clips still inside the engine (one clip takes seconds, even on a CPU). */
    private static final long CLOSE_WAIT_SECONDS = 60;

    private final ModelCard card;
    private final EngineSettings engine;
    private final ClipEngine clips;
    // clips hold the read side while they run; close() takes the write side, so a native session is never freed
    // under a running inference (that crashed the JVM when a worker was stopped mid-clip)
    private final ReadWriteLock inUse = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private Upscaler(ModelCard card, EngineSettings engine, ClipEngine clips) {
        this.card = card;
        this.engine = engine;
        this.clips = clips;
    }

    public static Upscaler load(Path modelDir, EngineSettings engine, ObjectMapper json) throws Failure {
        ModelCard card;
        try {
            card = ModelCard.read(modelDir, json);
        } catch (IOException e) {
            throw modelError("cannot read " + modelDir.resolve("model.json") + ": " + e.getMessage(), e);
        }
        String problem = card.problem();
        if (problem != null) {
            throw modelError("model card " + modelDir.resolve("model.json") + ": " + problem, null);
        }
        Path onnx = verified(modelDir, card.files().onnx(), card.files().sha256());
        Path file = onnx;
        if (engine.kind() == EngineKind.CUDA && engine.fp16() && card.files().fp16() != null) {
            // checked like the main file, but only where it is used: a CPU worker never reads it
            file = verified(
                    modelDir, card.files().fp16().onnx(), card.files().fp16().sha256());
        }
        Upscaler upscaler = new Upscaler(card, engine, ModelLoader.open(file, card, engine));
        upscaler.selfCheck();
        return upscaler;
    }

    private static Path verified(Path modelDir, String name, String expected) throws Failure {
        Path file = modelDir.resolve(name);
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(expected)) {
            throw modelError("checksum mismatch for " + file + ": card says " + expected + ", file is " + actual, null);
        }
        return file;
    }

    public ModelCard card() {
        return card;
    }

    public EngineSettings engine() {
        return engine;
    }

    /** How frames are cut before they reach the engine ({@link TiledUpscaler}). */
    public ModelCard.Tile tile() {
        return clips.tile(card);
    }

    /** The engine in one line (runtime, device, precision). */
    public String describe() {
        return clips.describe();
    }

    /** Where inference time went since the last call (engines that measure it); resets the counters. */
    public String timingReport() {
        return clips.timingReport();
    }

    /** {@link ClipEngine#deviceOnlyFramesPerSecond}: clips of the card's length, padded to its multiple. */
    public double deviceOnlyFramesPerSecond(int width, int height, int runs, int concurrentClips) {
        int m = Math.max(1, card.multipleOf());
        return clips.deviceOnlyFramesPerSecond(
                card.clipFrames(), (width + m - 1) / m * m, (height + m - 1) / m * m, runs, concurrentClips);
    }

    /** {@link ClipEngine#concurrentClips}. */
    public int concurrentClips() {
        return clips.concurrentClips();
    }

    public List<RgbImage> upscale(List<RgbImage> frames) throws Failure {
        inUse.readLock().lock();
        try {
            if (closed) {
                throw new JobAbandoned("the model is closing: the worker is shutting down");
            }
            return clips.run(frames);
        } catch (JobAbandoned e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Failure(ErrorCode.MODEL_ERROR, false, Phase.INFERENCE, "inference failed: " + e.getMessage(), e);
        } finally {
            inUse.readLock().unlock();
        }
    }

    /** One tiny clip through the model: the output must be exactly scale x the input, or the card lies. */
    private void selfCheck() throws Failure {
        int[] size = clips.probeSize(card);
        RgbImage probe = new RgbImage(size[0], size[1], new byte[size[0] * size[1] * 3]);
        List<RgbImage> out;
        try {
            out = upscale(List.of(probe));
        } catch (Failure e) {
            close();
            throw modelError("model " + card.name() + " failed its load-time check: " + e.getMessage(), e);
        }
        RgbImage hr = out.get(0);
        if (out.size() != 1 || hr.width() != size[0] * card.scale() || hr.height() != size[1] * card.scale()) {
            close();
            throw modelError("model " + card.name() + " does not upscale " + card.scale() + "x", null);
        }
    }

    private static String sha256(Path file) throws Failure {
        try {
            return Checksums.sha256(file);
        } catch (IOException e) {
            throw modelError("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Failure modelError(String message, Throwable cause) {
        return new Failure(ErrorCode.MODEL_ERROR, false, null, message, cause);
    }

    /** Refuses new clips, waits for those in flight, then frees the engine. */
    @Override
    public void close() {
        closed = true;
        boolean idle = false;
        // a command cancelled by an interrupt (Ctrl-C) still waits for the clips in flight: only a second one stops it
        boolean interrupted = Thread.interrupted();
        try {
            idle = inUse.writeLock().tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!idle) {
            // freeing it now could crash the process; it is exiting anyway
            LOG.warn("a clip is still inside the engine after {} s: the model is left open", CLOSE_WAIT_SECONDS);
            return;
        }
        try {
            clips.close();
        } finally {
            inUse.writeLock().unlock();
        }
    }
}
