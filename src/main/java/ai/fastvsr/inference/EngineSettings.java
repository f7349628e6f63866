package ai.fastvsr.inference;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the model runs: engine, device, precision, threads, and where TensorRT keeps the engines it builds (so each
 * GPU type compiles once, not at every start).
 */
public record EngineSettings(EngineKind kind, int deviceId, boolean fp16, Path trtCacheDir, int threads) {

    public static EngineSettings cpu(int threads) {
        return new EngineSettings(EngineKind.CPU, 0, false, null, threads);
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

    /** The CUDA execution provider's options. */
    public Map<String, String> cudaProviderOptions() {
        return Map.of("device_id", String.valueOf(deviceId));
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
