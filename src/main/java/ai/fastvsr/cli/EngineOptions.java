package ai.fastvsr.cli;

import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.inference.EngineSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which engine runs the model: shared by every command that loads one. */
final class EngineOptions {
    @Option(names = "--engine", defaultValue = "${env:FASTVSR_ENGINE:-cpu}",
            converter = EngineKindConverter.class,
            description = "cpu (ONNX Runtime, default), cuda or tensorrt-ep (ONNX Runtime GPU, -Pgpu build), "
                    + "tensorrt (DJL TensorRT on a serialized plan, -Ptensorrt build) (env FASTVSR_ENGINE)")
    EngineKind engine;

    @Option(names = "--device-id", defaultValue = "${env:FASTVSR_DEVICE_ID:-0}",
            description = "GPU index for GPU engines (env FASTVSR_DEVICE_ID)")
    int deviceId;

    @Option(names = "--fp16", defaultValue = "${env:FASTVSR_FP16:-true}", arity = "1",
            description = "half precision on TensorRT (env FASTVSR_FP16; default ${DEFAULT-VALUE})")
    boolean fp16;

    @Option(names = "--trt-cache-dir", defaultValue = "${env:FASTVSR_TRT_CACHE_DIR}",
            description = "where the TensorRT execution provider keeps built engines, so each GPU type builds "
                    + "once (env FASTVSR_TRT_CACHE_DIR)")
    Path trtCacheDir;

    @Option(names = "--threads", defaultValue = "${env:FASTVSR_INFERENCE_THREADS:-0}",
            description = "CPU inference threads; 0 = all cores but one, which decode and encode need "
                    + "(env FASTVSR_INFERENCE_THREADS)")
    int threads;

    EngineSettings settings() {
        // measured on 2 cores: 2 ORT threads + the encoder oversubscribe (e2e 0.8x the slowest stage), 1 does not (0.97x)
        int n = threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        return new EngineSettings(engine, deviceId, fp16, trtCacheDir, n);
    }

    /** Accepts the documented lower-case names (tensorrt-ep) as well as the enum's. */
    static final class EngineKindConverter implements picocli.CommandLine.ITypeConverter<EngineKind> {
        @Override
        public EngineKind convert(String value) {
            return EngineKind.valueOf(value.trim().toUpperCase().replace('-', '_'));
        }
    }
}
