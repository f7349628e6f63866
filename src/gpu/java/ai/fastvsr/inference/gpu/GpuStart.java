package ai.fastvsr.inference.gpu;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.inference.EngineSettings;
import java.util.List;

/**
 * What every GPU engine does first, each step with its own one-line error: the host's libraries (all missing ones
 * named at once), the device and driver, the frame conversion kernels (NVRTC). Then the engine's runtime.
 *
 * @param device  the opened GPU
 * @param kernels the conversion kernels, compiled for it; the engine closes them
 */
record GpuStart(CudaDevice device, ConversionKernels kernels) {

    /** @param engine the engine's name in messages ({@code cuda}, {@code tensorrt}) */
    static GpuStart open(String engine, EngineSettings settings, List<CudaLibraries.Library> libraries) throws Failure {
        String missing = CudaLibraries.problem(CudaLibraries.missing(libraries));
        if (missing != null) {
            throw error(engine, settings, missing, null);
        }
        CudaDevice device;
        try {
            device = CudaDevice.open(settings.deviceId());
        } catch (IllegalStateException | CudaException | LinkageError e) {
            throw error(engine, settings, e.getMessage(), e);
        }
        try {
            return new GpuStart(device, ConversionKernels.load(device));
        } catch (CudaException | LinkageError e) {
            throw error(engine, settings, "the frame conversion kernels did not build: " + e.getMessage(), e);
        }
    }

    /** A start-up failure: MODEL_ERROR, not retryable; the CLI prints it on one line and exits 1. */
    static Failure error(String engine, EngineSettings settings, String message, Throwable cause) {
        return new Failure(
                ErrorCode.MODEL_ERROR,
                false,
                null,
                "engine " + engine + " on " + settings.device() + ": " + message,
                cause);
    }
}
