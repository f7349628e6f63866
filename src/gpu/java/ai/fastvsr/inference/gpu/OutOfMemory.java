package ai.fastvsr.inference.gpu;

import java.util.List;
import java.util.Locale;

/**
 * Whether a failure means the GPU ran out of memory. ONNX Runtime reports it only as text, in several forms: its
 * arena at {@code gpu_mem_limit} ("Available memory of ... is smaller than requested bytes"), a failed device
 * allocation ("Failed to allocate memory for requested buffer"), CUDA's own "out of memory", and the allocation
 * failures of cuDNN and cuBLAS. These wordings are ORT's and NVIDIA's, stable for years; the error code the worker
 * reports for them is ours and does not depend on them.
 */
public final class OutOfMemory {
    private static final List<String> SIGNS = List.of(
            "out of memory",
            "failed to allocate memory",
            "is smaller than requested bytes",
            "cudaerrormemoryallocation",
            "cudnn_status_alloc_failed",
            "cublas_status_alloc_failed",
            "cuda_error_out_of_memory");

    private OutOfMemory() {}

    public static boolean describes(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CudaException c && c.outOfMemory()) {
                return true;
            }
            if (describes(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    public static boolean describes(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return SIGNS.stream().anyMatch(m::contains);
    }
}
