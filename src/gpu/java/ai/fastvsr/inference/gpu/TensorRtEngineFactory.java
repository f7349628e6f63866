package ai.fastvsr.inference.gpu;

import static org.bytedeco.tensorrt.global.nvinfer.getInferLibVersion;

import ai.fastvsr.inference.ClipEngine;
import ai.fastvsr.inference.ClipEngineFactory;
import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.ModelCard;
import ai.fastvsr.job.ErrorCode;
import ai.fastvsr.job.JobFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the TensorRT engine: the host's libraries (CUDA 13 and TensorRT 8.6, every missing one named at once), the
 * device, the conversion kernels, then the plan: from the cache when a valid one matches the {@link PlanKey}, else
 * built from the card's float32 ONNX (minutes; {@code build-engine} does it ahead of time) and cached. A cached plan
 * that TensorRT rejects is discarded and rebuilt once. Any failure is a MODEL_ERROR before the worker consumes a
 * job.
 */
public final class TensorRtEngineFactory implements ClipEngineFactory {
    private static final Logger LOG = LoggerFactory.getLogger(TensorRtEngineFactory.class);

    @Override
    public boolean supports(EngineKind kind) {
        return kind == EngineKind.TENSORRT;
    }

    @Override
    public ClipEngine open(Path model, ModelCard card, EngineSettings settings) throws JobFailure {
        List<CudaLibraries.Library> wanted = new ArrayList<>(CudaLibraries.REQUIRED);
        wanted.addAll(CudaLibraries.TENSORRT);
        String libraries = CudaLibraries.problem(CudaLibraries.missing(wanted));
        if (libraries != null) {
            throw startError(settings, libraries, null);
        }
        CudaDevice device;
        ConversionKernels kernels;
        try {
            device = CudaDevice.open(settings.deviceId());
            kernels = ConversionKernels.load(device);
        } catch (IllegalStateException | CudaException | LinkageError e) {
            throw startError(settings, e.getMessage(), e);
        }
        // one execution context serves every slot, so the tile is sized for one clip in flight, and the plan (whose
        // profile follows the tile) does not depend on how many jobs the worker runs
        ModelCard.Tile tile = GpuTiles.choose(card, settings.gpu(), device.freeBytes(), 1);
        try {
            PlanKey key = new PlanKey(card.files().sha256().toLowerCase(), version(getInferLibVersion()), device.name(),
                    device.arch(), settings.fp16() ? "fp16" : "fp32",
                    PlanProfile.of(card, tile, settings.tensorRt().optWidth(), settings.tensorRt().optHeight()),
                    settings.tensorRt().builderLevel(), TensorRtBuilder.TACTICS);
            TensorRtEngine engine = planned(model, card, key, cache(settings), device);
            int slots = Math.max(1, settings.gpu().slots());
            CudaClipEngine clips = new CudaClipEngine("tensorrt", card, device, kernels, engine, slots, tile,
                    key.precision() + " plan");
            LOG.info("{}", clips.describe());
            return clips;
        } catch (CudaException | LinkageError | java.io.UncheckedIOException e) {
            kernels.close();
            throw startError(settings, e.getMessage(), e);
        }
    }

    /** The cached plan for {@code key}, or a freshly built one; rejected cached plans are rebuilt once. */
    private static TensorRtEngine planned(Path model, ModelCard card, PlanKey key, PlanCache cache, CudaDevice device) {
        String in = card.input().name();
        String out = card.output().name();
        byte[] plan = cache.load(key);
        if (plan != null) {
            long t0 = System.nanoTime();
            TensorRtEngine engine = TensorRtEngine.deserialize(plan, in, out, describe(key, cache, "cached"));
            if (engine != null) {
                LOG.info("TensorRT plan {} loaded in {} ms", cache.planFile(key), (System.nanoTime() - t0) / 1_000_000);
                return engine;
            }
            cache.discard(key, "TensorRT rejected it: " + TensorRtLog.INSTANCE.lastError());
        }
        LOG.info("building a TensorRT plan for {} ({}, {}, builder level {}): this takes minutes once per GPU model; "
                + "`build-engine` does it ahead of time", model.getFileName(), key.precision(), key.profile().text(),
                key.builderLevel());
        long t0 = System.nanoTime();
        plan = TensorRtBuilder.build(model, key, TensorRtBuilder.workspace(device.freeBytes()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path file = cache.store(key, plan);
        LOG.info("TensorRT plan built in {} s ({} MB): {}", String.format("%.1f", seconds),
                String.format("%.1f", plan.length / 1e6), file);
        TensorRtEngine engine = TensorRtEngine.deserialize(plan, in, out,
                describe(key, cache, String.format("built in %.0f s", seconds)));
        if (engine == null) {
            throw new CudaException("TensorRT rejected the plan it just built: " + TensorRtLog.INSTANCE.lastError(),
                    false);
        }
        return engine;
    }

    private static String describe(PlanKey key, PlanCache cache, String how) {
        return "TensorRT " + key.tensorRt() + " " + key.precision() + " plan " + cache.planFile(key).getFileName()
                + " (" + how + "; " + key.profile().text() + ")";
    }

    /** --trt-cache-dir, else ~/.cache/fastvsr/tensorrt. */
    static PlanCache cache(EngineSettings settings) {
        Path dir = settings.trtCacheDir() != null ? settings.trtCacheDir()
                : Path.of(System.getProperty("user.home"), ".cache", "fastvsr", "tensorrt");
        return new PlanCache(dir);
    }

    /** TensorRT's {@code getInferLibVersion()}: 8601 is 8.6.1 (TensorRT 10 counts majors by 10000: 101501). */
    static String version(int v) {
        int major = v >= 100_000 ? 10_000 : 1000;
        return v / major + "." + v % major / 100 + "." + v % 100;
    }

    private static JobFailure startError(EngineSettings settings, String message, Throwable cause) {
        return new JobFailure(ErrorCode.MODEL_ERROR, false, null, "engine tensorrt on " + settings.device() + ": "
                + message, cause);
    }
}
