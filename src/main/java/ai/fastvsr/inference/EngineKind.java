package ai.fastvsr.inference;

/** Which runtime executes the model. Chosen by configuration ({@code --engine}, env FASTVSR_ENGINE). */
public enum EngineKind {
    /** ONNX Runtime on the CPU: the default; in every build. */
    CPU,
    /**
     * The CUDA engine: ONNX Runtime's CUDA execution provider on device buffers, frames converted on the GPU.
     * Needs the {@code -Pgpu} build and the host's CUDA 13 + cuDNN 9 libraries.
     */
    CUDA,
    /**
     * ONNX Runtime's TensorRT execution provider through DJL (CUDA as fallback). No build of this project has it
     * (no ORT build with it for CUDA 13 exists on Maven Central); kept so a host that adds it can use it.
     */
    TENSORRT_EP,
    /**
     * A TensorRT 8.6 plan through TensorRT's own API, built from the card's ONNX on the worker's GPU and cached
     * ({@code build-engine}), frames converted on the GPU as in {@link #CUDA}. Needs the {@code -Pgpu} build, the
     * host's CUDA 13 libraries and TensorRT 8.6's.
     */
    TENSORRT;

    /** The GPU engines of the {@code -Pgpu} build, opened through a {@link ClipEngineFactory}. */
    public boolean needsGpuBuild() {
        return this == CUDA || this == TENSORRT;
    }
}
