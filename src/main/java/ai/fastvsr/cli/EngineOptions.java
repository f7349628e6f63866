package ai.fastvsr.cli;

import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.inference.EngineSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which engine runs the model: shared by every command that loads one. */
final class EngineOptions {
    @Option(
            names = "--engine",
            defaultValue = "${env:FASTVSR_ENGINE:-cpu}",
            converter = EngineKindConverter.class,
            description = "cpu (ONNX Runtime, default), cuda (ONNX Runtime's CUDA provider on device buffers, "
                    + "-Pgpu build, CUDA 13 + cuDNN 9 on the host), tensorrt-ep (ORT's TensorRT provider: no build "
                    + "has it), tensorrt (a TensorRT 8.6 plan built on this GPU and cached, -Pgpu build, TensorRT 8.6 "
                    + "on the host) (env FASTVSR_ENGINE)")
    EngineKind engine;

    @Option(
            names = "--device-id",
            defaultValue = "${env:FASTVSR_DEVICE_ID:-0}",
            description = "GPU index for GPU engines (env FASTVSR_DEVICE_ID)")
    int deviceId;

    @Option(
            names = "--fp16",
            defaultValue = "${env:FASTVSR_FP16:-true}",
            arity = "1",
            description = "half precision: the card's files.fp16 graph on cuda, FP16 kernels on TensorRT "
                    + "(env FASTVSR_FP16; default ${DEFAULT-VALUE})")
    boolean fp16;

    @Option(
            names = "--gpu-tile",
            defaultValue = "${env:FASTVSR_GPU_TILE:-0}",
            description = "cuda: largest frame side run in one piece; 0 = from free GPU memory, at most 544 "
                    + "(env FASTVSR_GPU_TILE)")
    int gpuTile;

    @Option(
            names = "--gpu-mem-limit",
            defaultValue = "${env:FASTVSR_GPU_MEM_LIMIT:-0}",
            converter = ByteSizeConverter.class,
            description = "cuda: cap on ONNX Runtime's GPU memory arena, e.g. 8G; a clip that needs more fails its "
                    + "job with GPU_OUT_OF_MEMORY; 0 = none (env FASTVSR_GPU_MEM_LIMIT)")
    long gpuMemLimit;

    @Option(
            names = "--cuda-option",
            split = ",",
            defaultValue = "${env:FASTVSR_CUDA_OPTIONS}",
            description = "cuda: extra ONNX Runtime CUDA provider options key=value (repeatable or "
                    + "comma-separated), e.g. prefer_nhwc=1 (env FASTVSR_CUDA_OPTIONS)")
    List<String> cudaOptions;

    @Option(
            names = "--trt-cache-dir",
            defaultValue = "${env:FASTVSR_TRT_CACHE_DIR}",
            description = "tensorrt: where built plans are cached, so each GPU model builds once; default "
                    + "~/.cache/fastvsr/tensorrt (env FASTVSR_TRT_CACHE_DIR)")
    Path trtCacheDir;

    @Option(
            names = "--trt-builder-level",
            defaultValue = "${env:FASTVSR_TRT_BUILDER_LEVEL:-3}",
            description = "tensorrt: the builder's optimisation level 0-5 (higher: longer build, faster kernels); "
                    + "default ${DEFAULT-VALUE} (env FASTVSR_TRT_BUILDER_LEVEL)")
    int trtBuilderLevel;

    @Option(
            names = "--trt-sizes",
            split = ",",
            defaultValue = "${env:FASTVSR_TRT_SIZES}",
            description = "tensorrt: input frame sizes WxH whose plans are made ready at start (a plan serves one "
                    + "tile shape; other sizes build theirs when they first come, minutes); default a whole tile "
                    + "(env FASTVSR_TRT_SIZES, comma-separated)")
    List<String> trtSizes;

    @Option(
            names = "--threads",
            defaultValue = "${env:FASTVSR_INFERENCE_THREADS:-0}",
            description = "CPU inference threads; 0 = all cores but one, which decode and encode need "
                    + "(env FASTVSR_INFERENCE_THREADS)")
    int threads;

    EngineSettings settings() {
        // measured on 2 cores: 2 ORT threads + the encoder oversubscribe (e2e 0.8x the slowest stage), 1 does not
        // (0.97x)
        int n = threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        return new EngineSettings(
                engine,
                deviceId,
                fp16,
                trtCacheDir,
                n,
                new EngineSettings.Gpu(1, gpuTile, gpuMemLimit, providerOptions(cudaOptions)),
                new EngineSettings.TensorRt(trtBuilderLevel, frameSizes(trtSizes)));
    }

    static List<EngineSettings.FrameSize> frameSizes(List<String> sizes) {
        List<EngineSettings.FrameSize> out = new ArrayList<>();
        if (sizes != null) {
            for (String size : sizes) {
                if (!size.isBlank()) {
                    try {
                        out.add(EngineSettings.FrameSize.parse(size));
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.TypeConversionException("--trt-sizes: " + e.getMessage());
                    }
                }
            }
        }
        return out;
    }

    static Map<String, String> providerOptions(List<String> pairs) {
        Map<String, String> options = new LinkedHashMap<>();
        if (pairs != null) {
            for (String pair : pairs) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new CommandLine.TypeConversionException("--cuda-option wants key=value, not " + pair);
                }
                options.put(
                        pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        return options;
    }

    /** Bytes, or a number with K, M, G or T (powers of 1024). */
    static final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.strip().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
            int shift = v.isEmpty()
                    ? 0
                    : switch (v.charAt(v.length() - 1)) {
                        case 'K' -> 10;
                        case 'M' -> 20;
                        case 'G' -> 30;
                        case 'T' -> 40;
                        default -> 0;
                    };
            String number = shift == 0 ? v : v.substring(0, v.length() - 1);
            return Math.round(Double.parseDouble(number) * (1L << shift));
        }
    }

    /** Accepts the documented lower-case names (tensorrt-ep) as well as the enum's. */
    static final class EngineKindConverter implements CommandLine.ITypeConverter<EngineKind> {
        @Override
        public EngineKind convert(String value) {
            return EngineKind.valueOf(value.trim().toUpperCase().replace('-', '_'));
        }
    }
}
