package ai.fastvsr.inference;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the model runs: engine, device, precision, threads, where TensorRT keeps the plans it builds (so each
 * GPU type compiles once, not at every start), the GPU engines' own settings and how TensorRT builds.
 */
public record EngineSettings(
        EngineKind kind, int deviceId, boolean fp16, Path trtCacheDir, int threads, Gpu gpu, TensorRt tensorRt) {

    /**
     * The CUDA engine's knobs.
     *
     * @param slots           clips that may be on the GPU at once (one per concurrent job); 0 = 1
     * @param tile            largest frame side run in one piece; 0 = chosen from the card and free memory
     * @param memLimitBytes   ONNX Runtime's {@code gpu_mem_limit} (its arena's cap); 0 = none
     * @param providerOptions extra CUDA execution provider options by ORT's names, applied last (tuning on a new
     *                        GPU without a rebuild, e.g. {@code prefer_nhwc=1})
     */
    public record Gpu(int slots, int tile, long memLimitBytes, Map<String, String> providerOptions) {
        public static final Gpu DEFAULT = new Gpu(0, 0, 0, Map.of());

        public Gpu {
            providerOptions = providerOptions == null ? Map.of() : Map.copyOf(providerOptions);
        }
    }

    /**
     * How the TensorRT engine builds its plans (the cache folder is {@link #trtCacheDir}).
     *
     * @param builderLevel TensorRT's builder optimisation level, 0-5: higher searches longer for faster kernels
     *                     (1 took ~2 minutes a plan on the H200)
     * @param frameSizes   the input frame sizes whose plans are made ready at start (a plan serves one tile
     *                     shape); empty = a whole tile. Other sizes get their plan when they first come (minutes)
     */
    public record TensorRt(int builderLevel, List<FrameSize> frameSizes) {
        public static final TensorRt DEFAULT = new TensorRt(3, List.of());

        public TensorRt {
            if (builderLevel < 0 || builderLevel > 5) {
                throw new IllegalArgumentException("TensorRT's builder optimisation level is 0-5, not " + builderLevel);
            }
            frameSizes = frameSizes == null ? List.of() : List.copyOf(frameSizes);
        }
    }

    /** An input frame size in pixels. */
    public record FrameSize(int width, int height) {
        public FrameSize {
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("not a frame size: " + width + "x" + height);
            }
        }

        /** {@code WxH}, e.g. 1920x1080. */
        public static FrameSize parse(String text) {
            String[] wh = text.strip().toLowerCase(Locale.ROOT).split("x");
            try {
                if (wh.length == 2) {
                    return new FrameSize(Integer.parseInt(wh[0].strip()), Integer.parseInt(wh[1].strip()));
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new IllegalArgumentException("a frame size is WxH, e.g. 1920x1080, not " + text);
        }

        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    public EngineSettings {
        gpu = gpu == null ? Gpu.DEFAULT : gpu;
        tensorRt = tensorRt == null ? TensorRt.DEFAULT : tensorRt;
    }

    public EngineSettings(EngineKind kind, int deviceId, boolean fp16, Path trtCacheDir, int threads, Gpu gpu) {
        this(kind, deviceId, fp16, trtCacheDir, threads, gpu, TensorRt.DEFAULT);
    }

    public EngineSettings(EngineKind kind, int deviceId, boolean fp16, Path trtCacheDir, int threads) {
        this(kind, deviceId, fp16, trtCacheDir, threads, Gpu.DEFAULT);
    }

    public static EngineSettings cpu(int threads) {
        return new EngineSettings(EngineKind.CPU, 0, false, null, threads);
    }

    /** The same settings with room for {@code slots} clips on the GPU at once. */
    public EngineSettings withSlots(int slots) {
        return new EngineSettings(
                kind,
                deviceId,
                fp16,
                trtCacheDir,
                threads,
                new Gpu(slots, gpu.tile(), gpu.memLimitBytes(), gpu.providerOptions()),
                tensorRt);
    }

    public boolean onGpu() {
        return kind != EngineKind.CPU;
    }

    /**
     * The ONNX Runtime TensorRT execution provider's options, by the names ORT documents
     * ({@code OrtTensorRTProviderOptions}).
     */
    public Map<String, String> tensorRtProviderOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", String.valueOf(deviceId));
        options.put("trt_fp16_enable", fp16 ? "1" : "0");
        if (trtCacheDir != null) {
            options.put("trt_engine_cache_enable", "1");
            options.put("trt_engine_cache_path", trtCacheDir.toAbsolutePath().toString());
            // timing caches make rebuilds for new shapes cheaper too
            options.put("trt_timing_cache_enable", "1");
            options.put("trt_timing_cache_path", trtCacheDir.toAbsolutePath().toString());
        }
        return options;
    }

    /**
     * The CUDA execution provider's options ({@code OrtCUDAProviderOptionsV2} names). The arena grows by what is
     * asked, not by doubling, so concurrent slots do not reserve memory they never use, and a memory limit (if
     * any) is ORT's own {@code gpu_mem_limit}: an allocation past it fails inside ORT, which the engine reports as
     * GPU_OUT_OF_MEMORY.
     */
    public Map<String, String> cudaProviderOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", String.valueOf(deviceId));
        if (kind == EngineKind.CUDA) {
            options.put("arena_extend_strategy", "kSameAsRequested");
            if (gpu.memLimitBytes() > 0) {
                options.put("gpu_mem_limit", String.valueOf(gpu.memLimitBytes()));
            }
            options.putAll(gpu.providerOptions());
        }
        return options;
    }

    /** What DJL's ORT engine reads as plain options (threads); GPU providers travel in a SessionOptions object. */
    public Map<String, String> cpuOptions() {
        // ORT applies intraOpNumThreads only when interOpNumThreads is set as well
        return Map.of("interOpNumThreads", "1", "intraOpNumThreads", String.valueOf(Math.max(1, threads)));
    }

    public String device() {
        return kind == EngineKind.CPU ? "cpu" : "gpu" + deviceId;
    }
}
