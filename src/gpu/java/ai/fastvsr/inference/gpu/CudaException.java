package ai.fastvsr.inference.gpu;

/** A CUDA, NVRTC or ONNX Runtime call on the GPU failed; {@link #outOfMemory()} says whether memory ran out. */
public final class CudaException extends RuntimeException {
    private final boolean outOfMemory;

    CudaException(String message, boolean outOfMemory) {
        super(message);
        this.outOfMemory = outOfMemory;
    }

    CudaException(String message, Throwable cause) {
        super(message, cause);
        this.outOfMemory = OutOfMemory.describes(cause);
    }

    public boolean outOfMemory() {
        return outOfMemory;
    }
}
