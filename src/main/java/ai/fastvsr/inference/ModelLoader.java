package ai.fastvsr.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Opens a model file in the configured engine. Every way this can fail at start names what is missing, so an
 * operator knows whether to fix the image, the build profile or the node.
 */
final class ModelLoader {
    private ModelLoader() {}

    /** A DJL model: ONNX Runtime on the CPU, or ORT's TensorRT execution provider. */
    static Model load(Path file, EngineSettings engine) throws Failure {
        // the -Pgpu build's ORT lives beside the jar; JavaCPP must know where before DJL's engine loads it
        NativeLibraries.configure();
        OrtLibraryCache.use();
        OrtTempFolder.removeAtExit();
        return switch (engine.kind()) {
            case CPU -> ort(file, Device.cpu(), new HashMap<>(engine.cpuOptions()));
            case TENSORRT_EP -> ort(file, Device.gpu(engine.deviceId()), Map.of("sessionOptions", gpuSession(engine)));
            case CUDA, TENSORRT ->
                throw new IllegalArgumentException("the " + engine.kind() + " engine is not a DJL model");
        };
    }

    /** The engine for a kind: DJL for ONNX Runtime's own providers, a {@link ClipEngineFactory} for the GPU engines. */
    static ClipEngine open(Path file, ModelCard card, EngineSettings engine) throws Failure {
        if (!engine.kind().needsGpuBuild()) {
            return new DjlClipEngine(load(file, engine), card, engine);
        }
        NativeLibraries.configure();
        try {
            for (ClipEngineFactory factory : ServiceLoader.load(ClipEngineFactory.class)) {
                if (factory.supports(engine.kind())) {
                    return factory.open(file, card, engine);
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw startError(
                    engine,
                    "the GPU engines are in this jar but their bindings are not (" + e
                            + "): use the jar of the -Pgpu build (target/gpu/fastvsr-worker.jar) with its natives/ folder",
                    e);
        }
        throw startError(
                engine,
                "this is the CPU build, which has neither the CUDA nor the TensorRT engine: build "
                        + "the GPU jar with mvn -Pgpu (ONNX Runtime for CUDA 13 + cuDNN 9, TensorRT 8.6; docs/operations.md, "
                        + "\"GPU workers\")",
                null);
    }

    /** SessionOptions with ORT's TensorRT execution provider, CUDA as its fallback. */
    static OrtSession.SessionOptions gpuSession(EngineSettings engine) throws Failure {
        try {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(engine.deviceId());
            for (var e : engine.tensorRtProviderOptions().entrySet()) {
                trt.add(e.getKey(), e.getValue());
            }
            so.addTensorrt(trt);
            OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(engine.deviceId());
            for (var e : engine.cudaProviderOptions().entrySet()) {
                cuda.add(e.getKey(), e.getValue());
            }
            so.addCUDA(cuda);
            return so;
        } catch (OrtException | UnsatisfiedLinkError e) {
            throw startError(
                    engine,
                    "ONNX Runtime cannot use the TensorRT execution provider (" + e.getMessage()
                            + "). No ONNX Runtime build with it for CUDA 13 exists on Maven Central, so neither the CPU nor "
                            + "the -Pgpu build has it: use --engine cuda (the -Pgpu build), or a host with "
                            + "libonnxruntime_providers_tensorrt.so and TensorRT 10 beside this jar's ONNX Runtime",
                    e);
        }
    }

    private static Model ort(Path file, Device device, Map<String, ?> options) throws Failure {
        Model model = Model.newInstance("fastvsr", device, "OnnxRuntime");
        try {
            model.load(file, null, options);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new Failure(
                    ErrorCode.MODEL_ERROR,
                    false,
                    null,
                    "cannot load " + file + " in ONNX Runtime: " + e.getMessage(),
                    e);
        }
    }

    static Failure startError(EngineSettings engine, String message, Throwable cause) {
        return new Failure(
                ErrorCode.MODEL_ERROR,
                false,
                null,
                "engine " + engine.kind().name().toLowerCase().replace('_', '-') + " on " + engine.device() + ": "
                        + message,
                cause);
    }
}
