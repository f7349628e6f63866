package ai.fastvsr.inference.gpu;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.inference.ClipEngine;
import ai.fastvsr.inference.ClipEngineFactory;
import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.ModelCard;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the CUDA engine, step by step, each step with its own error: the host's libraries (all missing ones
 * named at once), the device and driver, the conversion kernels (NVRTC), the model on ORT's CUDA provider. Any
 * failure is a MODEL_ERROR before the worker consumes a job; the CLI prints it on one line and exits 1.
 */
public final class CudaEngineFactory implements ClipEngineFactory {
    private static final Logger LOG = LoggerFactory.getLogger(CudaEngineFactory.class);

    @Override
    public boolean supports(EngineKind kind) {
        return kind == EngineKind.CUDA;
    }

    @Override
    public ClipEngine open(Path model, ModelCard card, EngineSettings settings) throws Failure {
        GpuStart start = GpuStart.open("cuda", settings, CudaLibraries.REQUIRED);
        CudaDevice device = start.device();
        ConversionKernels kernels = start.kernels();
        OrtCudaEngine engine;
        try {
            engine = OrtCudaEngine.open(
                    model, card.input().name(), card.output().name(), device.id(), settings.cudaProviderOptions());
        } catch (CudaException | LinkageError e) {
            kernels.close();
            throw GpuStart.error("cuda", settings, e.getMessage(), e);
        }
        int slots = Math.max(1, settings.gpu().slots());
        boolean fp16Graph = card.files().fp16() != null
                && model.getFileName()
                        .toString()
                        .equals(Path.of(card.files().fp16().onnx())
                                .getFileName()
                                .toString());
        ModelCard.Tile tile = GpuTiles.choose(card, settings.gpu(), device.freeBytes(), slots, fp16Graph);
        String precision = fp16Graph
                ? "float16 graph"
                : settings.fp16() ? "float32 graph: the card has no files.fp16" : "float32 graph";
        CudaClipEngine clips = new CudaClipEngine("cuda", card, device, kernels, engine, slots, tile, precision);
        LOG.info("{}", clips.describe());
        return clips;
    }
}
