package ai.fastvsr.inference.gpu;

import static org.bytedeco.tensorrt.global.nvinfer.getInferLibVersion;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.inference.ClipEngine;
import ai.fastvsr.inference.ClipEngineFactory;
import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.ModelCard;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the TensorRT engine: the host's libraries (CUDA 13 and TensorRT 8.6, every missing one named at once), the
 * device, the conversion kernels, then the plans for the frame sizes the worker expects ({@code --trt-sizes}, else a
 * whole tile): each from the cache when a valid one matches its {@link PlanKey}, else built from the card's float32
 * ONNX (minutes; {@code build-engine} does it ahead of time) and cached. A cached plan that TensorRT rejects is
 * discarded and rebuilt. Any failure is a MODEL_ERROR before the worker consumes a job.
 */
public final class TensorRtEngineFactory implements ClipEngineFactory {
    private static final Logger LOG = LoggerFactory.getLogger(TensorRtEngineFactory.class);

    @Override
    public boolean supports(EngineKind kind) {
        return kind == EngineKind.TENSORRT;
    }

    @Override
    public ClipEngine open(Path model, ModelCard card, EngineSettings settings) throws Failure {
        List<CudaLibraries.Library> wanted = new ArrayList<>(CudaLibraries.REQUIRED);
        wanted.addAll(CudaLibraries.TENSORRT);
        GpuStart start = GpuStart.open("tensorrt", settings, wanted);
        CudaDevice device = start.device();
        ConversionKernels kernels = start.kernels();
        // tiles, hence plans, must not depend on how many jobs the worker runs: sized for one clip in flight, a plan
        // per jobs setting would be minutes of build each (measured: 16 slots chose 472-px tiles, a new plan). Each
        // slot's context then takes the plan's context memory (1669 MiB for 480x272 tiles of 16 frames, 838 MiB of 8);
        // a
        // GPU too small for all of them fails the clip that cannot get one with GPU_OUT_OF_MEMORY (retryable)
        int slots = Math.max(1, settings.gpu().slots());
        ModelCard.Tile tile = GpuTiles.choose(card, settings.gpu(), device.freeBytes(), 1, settings.fp16());
        try {
            CachedPlans plans = new CachedPlans(model, card, settings, device);
            TensorRtEngine engine =
                    new TensorRtEngine(plans, card.input().name(), card.output().name(), card.clipFrames());
            List<int[]> shapes = shapes(card, tile, settings.tensorRt().frameSizes());
            for (int[] hw : shapes) {
                engine.prepare(hw[0], hw[1]);
            }
            int[] probe = {shapes.get(0)[1], shapes.get(0)[0]};
            CudaClipEngine clips = new CudaClipEngine(
                    "tensorrt", card, device, kernels, engine, slots, tile, plans.precision() + " plans", probe);
            LOG.info("{}", clips.describe());
            return clips;
        } catch (CudaException | LinkageError | UncheckedIOException e) {
            kernels.close();
            throw GpuStart.error("tensorrt", settings, e.getMessage(), e);
        }
    }

    /** The tile shapes {height, width} of the expected frame sizes, distinct, in order; a whole tile if none. */
    static List<int[]> shapes(ModelCard card, ModelCard.Tile tile, List<EngineSettings.FrameSize> sizes) {
        Set<List<Integer>> distinct = new LinkedHashSet<>();
        for (EngineSettings.FrameSize size : sizes) {
            int[] hw = PlanProfile.tileShape(card, tile, size.width(), size.height());
            distinct.add(List.of(hw[0], hw[1]));
        }
        if (distinct.isEmpty()) {
            int[] hw = PlanProfile.tileShape(card, tile, tile.size(), tile.size());
            distinct.add(List.of(hw[0], hw[1]));
        }
        return distinct.stream().map(l -> new int[] {l.get(0), l.get(1)}).toList();
    }

    /** Plans from the cache folder, built and stored there when missing or rejected. */
    private static final class CachedPlans implements TensorRtEngine.Plans {
        private final Path model;
        private final ModelCard card;
        private final EngineSettings settings;
        private final CudaDevice device;
        private final PlanCache cache;
        private final String tensorRt = version(getInferLibVersion());
        private final Map<List<Integer>, String> how = new ConcurrentHashMap<>();

        CachedPlans(Path model, ModelCard card, EngineSettings settings, CudaDevice device) {
            this.model = model;
            this.card = card;
            this.settings = settings;
            this.device = device;
            this.cache = cache(settings);
        }

        String precision() {
            return settings.fp16() ? "fp16" : "fp32";
        }

        private PlanKey key(int height, int width) {
            return new PlanKey(
                    card.files().sha256().toLowerCase(),
                    tensorRt,
                    device.name(),
                    device.arch(),
                    precision(),
                    PlanProfile.of(card, height, width),
                    settings.tensorRt().builderLevel(),
                    TensorRtBuilder.TACTICS);
        }

        @Override
        public byte[] plan(int height, int width, boolean rejected) {
            PlanKey key = key(height, width);
            if (rejected) {
                cache.discard(key, "TensorRT rejected it: " + TensorRtLog.INSTANCE.lastError());
            } else {
                byte[] cached = cache.load(key);
                if (cached != null) {
                    how.put(List.of(height, width), "cached");
                    LOG.info("TensorRT plan for {}x{} tiles from the cache: {}", width, height, cache.planFile(key));
                    return cached;
                }
            }
            LOG.info(
                    "building a TensorRT plan for {}x{} tiles ({}, {}, builder level {}): minutes, once per GPU model "
                            + "and tile shape; `build-engine --trt-sizes` does it ahead of time",
                    width,
                    height,
                    key.precision(),
                    key.profile().text(),
                    key.builderLevel());
            long t0 = System.nanoTime();
            byte[] plan = TensorRtBuilder.build(model, key, TensorRtBuilder.workspace(device.freeBytes()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            Path file = cache.store(key, plan);
            how.put(List.of(height, width), String.format("built in %.0f s", seconds));
            LOG.info(
                    "TensorRT plan built in {} s ({} MB): {}",
                    String.format("%.1f", seconds),
                    String.format("%.1f", plan.length / 1e6),
                    file);
            return plan;
        }

        @Override
        public String describe(int height, int width) {
            PlanKey key = key(height, width);
            return "TensorRT " + tensorRt + " " + precision() + " plan for " + width + "x" + height + " tiles "
                    + cache.planFile(key).getFileName() + " (" + how.getOrDefault(List.of(height, width), "?") + ")";
        }
    }

    /** --trt-cache-dir, else ~/.cache/fastvsr/tensorrt. */
    static PlanCache cache(EngineSettings settings) {
        Path dir = settings.trtCacheDir() != null
                ? settings.trtCacheDir()
                : Path.of(System.getProperty("user.home"), ".cache", "fastvsr", "tensorrt");
        return new PlanCache(dir);
    }

    /** TensorRT's {@code getInferLibVersion()}: 8601 is 8.6.1 (TensorRT 10 counts majors by 10000: 101501). */
    static String version(int v) {
        int major = v >= 100_000 ? 10_000 : 1000;
        return v / major + "." + v % major / 100 + "." + v % 100;
    }
}
