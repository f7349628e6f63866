package ai.fastvsr.inference.gpu;

import static org.bytedeco.tensorrt.global.nvinfer.createInferBuilder;
import static org.bytedeco.tensorrt.global.nvonnxparser.createParser;

import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.NetworkDefinitionCreationFlag;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TacticSource;
import org.bytedeco.tensorrt.nvinfer.Dims32;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvonnxparser.IParser;

/**
 * ONNX to a serialized TensorRT plan: parse, one optimisation profile, FP16 kernels (the graph's inputs and outputs
 * stay float32, as the slots' conversion kernels expect), a workspace sized from free device memory.
 *
 * <p>Tactic sources are TensorRT's own kernels only ({@link #TACTICS}): cuBLAS and cuDNN tactics would load the
 * CUDA 12 cuBLAS / cuDNN 8 that TensorRT 8.6 was built against, which a CUDA 13 host does not have (the GPU bundle
 * carries stand-ins for their sonames; docs/operations.md). On the H200 its own kernels ran this model at 1167
 * frames/s, so nothing is lost that was measured.
 */
final class TensorRtBuilder {
    static final int TACTICS =
            1 << TacticSource.kEDGE_MASK_CONVOLUTIONS.value | 1 << TacticSource.kJIT_CONVOLUTIONS.value;
    /** The builder never needs more than this for fastvsr-tiny (measured: 8 GiB was ample at level 3). */
    static final long MAX_WORKSPACE = 8L << 30;

    private TensorRtBuilder() {}

    /** Workspace: half of what is free on the device, at most {@link #MAX_WORKSPACE}. */
    static long workspace(long freeBytes) {
        return Math.max(256L << 20, Math.min(MAX_WORKSPACE, freeBytes / 2));
    }

    static byte[] build(Path onnx, PlanKey key, long workspaceBytes) {
        TensorRtLog log = TensorRtLog.INSTANCE;
        IBuilder builder = createInferBuilder(log);
        if (builder == null || builder.isNull()) {
            throw new CudaException("TensorRT could not create a builder: " + log.lastError(), false);
        }
        INetworkDefinition network = null;
        IParser parser = null;
        IBuilderConfig config = null;
        IHostMemory plan = null;
        try {
            network = builder.createNetworkV2(1 << NetworkDefinitionCreationFlag.kEXPLICIT_BATCH.value);
            parser = createParser(network, log);
            if (!parser.parseFromFile(onnx.toAbsolutePath().toString(), ILogger.Severity.kWARNING.value)) {
                StringBuilder errors = new StringBuilder();
                for (int i = 0; i < parser.getNbErrors(); i++) {
                    errors.append(i == 0 ? "" : "; ").append(parser.getError(i).desc());
                }
                throw new CudaException("TensorRT could not parse " + onnx + ": " + errors, false);
            }
            config = builder.createBuilderConfig();
            if ("fp16".equals(key.precision())) {
                config.setFlag(BuilderFlag.kFP16);
            }
            config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, workspaceBytes);
            config.setTacticSources(key.tactics());
            config.setBuilderOptimizationLevel(key.builderLevel());
            IOptimizationProfile profile = builder.createOptimizationProfile();
            PlanProfile p = key.profile();
            try (Dims32 shape = dims(p.shape())) {
                profile.setDimensions(p.input(), OptProfileSelector.kMIN, shape);
                profile.setDimensions(p.input(), OptProfileSelector.kOPT, shape);
                profile.setDimensions(p.input(), OptProfileSelector.kMAX, shape);
            }
            if (config.addOptimizationProfile(profile) < 0) {
                throw new CudaException("TensorRT refused the profile " + p.text() + ": " + log.lastError(), false);
            }
            plan = builder.buildSerializedNetwork(network, config);
            if (plan == null || plan.isNull() || plan.size() == 0) {
                throw new CudaException(
                        "TensorRT could not build a plan for " + onnx + " (" + p.text() + "): " + log.lastError(),
                        log.lastError().contains("out of memory"));
            }
            byte[] bytes = new byte[Math.toIntExact(plan.size())];
            new BytePointer(plan.data()).capacity(bytes.length).get(bytes);
            return bytes;
        } finally {
            // TensorRT 8's objects are released with delete (JavaCPP's close), children before parents
            close(plan);
            close(config);
            close(parser);
            close(network);
            close(builder);
        }
    }

    static Dims32 dims(long[] shape) {
        Dims32 d = new Dims32();
        d.nbDims(shape.length);
        for (int i = 0; i < shape.length; i++) {
            d.d(i, Math.toIntExact(shape[i]));
        }
        return d;
    }

    private static void close(org.bytedeco.javacpp.Pointer p) {
        if (p != null && !p.isNull()) {
            p.close();
        }
    }
}
