package ai.fastvsr.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.fastvsr.job.ErrorCode;
import ai.fastvsr.job.JobFailure;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens a model file in the configured engine. Every way this can fail at start names what is missing, so an
 * operator knows whether to fix the image, the build profile or the node.
 */
final class ModelLoader {
    private ModelLoader() {
    }

    static Model load(Path file, EngineSettings engine) throws JobFailure {
        return switch (engine.kind()) {
            case CPU -> ort(file, Device.cpu(), new HashMap<>(engine.cpuOptions()));
            case CUDA, TENSORRT_EP -> ort(file, Device.gpu(engine.deviceId()), Map.of("sessionOptions", gpuSession(engine)));
            case TENSORRT -> tensorRt(file, engine);
        };
    }

    /** SessionOptions with the GPU execution providers, in priority order: TensorRT (if asked), then CUDA. */
    static OrtSession.SessionOptions gpuSession(EngineSettings engine) throws JobFailure {
        try {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            if (engine.kind() == EngineKind.TENSORRT_EP) {
                OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(engine.deviceId());
                for (var e : engine.tensorRtProviderOptions().entrySet()) {
                    trt.add(e.getKey(), e.getValue());
                }
                so.addTensorrt(trt);
            }
            OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(engine.deviceId());
            for (var e : engine.cudaProviderOptions().entrySet()) {
                cuda.add(e.getKey(), e.getValue());
            }
            so.addCUDA(cuda);
            return so;
        } catch (OrtException | UnsatisfiedLinkError e) {
            throw startError(engine, "ONNX Runtime cannot use the " + (engine.kind() == EngineKind.TENSORRT_EP
                    ? "TensorRT/CUDA" : "CUDA") + " execution provider (" + e.getMessage() + "). This needs the GPU "
                    + "build (mvn -Pgpu: onnxruntime_gpu), libonnxruntime_providers_"
                    + (engine.kind() == EngineKind.TENSORRT_EP ? "tensorrt.so with TensorRT 10 (libnvinfer.so.10) and " : "")
                    + "CUDA 12 + cuDNN 9 on the library path, and an NVIDIA GPU", e);
        }
    }

    private static Model ort(Path file, Device device, Map<String, ?> options) throws JobFailure {
        Model model = Model.newInstance("fastvsr", device, "OnnxRuntime");
        try {
            model.load(file, null, options);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new JobFailure(ErrorCode.MODEL_ERROR, false, null,
                    "cannot load " + file + " in ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static Model tensorRt(Path file, EngineSettings engine) throws JobFailure {
        if (!Engine.hasEngine("TensorRT")) {
            throw startError(engine, "DJL's TensorRT engine is not in this build: build with mvn -Ptensorrt "
                    + "(ai.djl.tensorrt), on a host with TensorRT 8.6 (libnvinfer.so.8, libnvonnxparser.so.8)", null);
        }
        Model model;
        try {
            model = Model.newInstance("fastvsr", Device.gpu(engine.deviceId()), "TensorRT");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw startError(engine, "DJL's TensorRT engine did not start (" + e.getMessage()
                    + "): it needs TensorRT 8.6 (libnvinfer.so.8, libnvonnxparser.so.8) and CUDA on the library path", e);
        }
        try {
            model.load(file);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new JobFailure(ErrorCode.MODEL_ERROR, false, null, "cannot load " + file + " in TensorRT: "
                    + e.getMessage(), e);
        }
    }

    private static JobFailure startError(EngineSettings engine, String message, Throwable cause) {
        return new JobFailure(ErrorCode.MODEL_ERROR, false, null,
                "engine " + engine.kind().name().toLowerCase().replace('_', '-') + " on " + engine.device() + ": " + message,
                cause);
    }
}
