package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.CUDA_ERROR_OUT_OF_MEMORY;
import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.cuGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaErrorMemoryAllocation;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorName;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/** Status codes of the CUDA runtime, driver and NVRTC APIs turned into exceptions that say which call failed. */
final class Cuda {
    private Cuda() {}

    /** A CUDA runtime status. */
    static void check(int status, String call) {
        if (status != cudaSuccess) {
            throw new CudaException(call + " failed: " + runtimeError(status), status == cudaErrorMemoryAllocation);
        }
    }

    static String runtimeError(int status) {
        BytePointer name = cudaGetErrorName(status);
        BytePointer text = cudaGetErrorString(status);
        return (name == null ? "error " + status : name.getString()) + " (" + (text == null ? "?" : text.getString())
                + ")";
    }

    /** A CUDA driver status. */
    static void checkDriver(int status, String call) {
        if (status != CUDA_SUCCESS) {
            try (PointerPointer<BytePointer> text = new PointerPointer<>(1)) {
                cuGetErrorString(status, text);
                BytePointer s = text.get(BytePointer.class, 0);
                throw new CudaException(
                        call + " failed: CUresult " + status + " (" + (s == null || s.isNull() ? "?" : s.getString())
                                + ")",
                        status == CUDA_ERROR_OUT_OF_MEMORY);
            }
        }
    }

    /** An NVRTC status. */
    static void checkNvrtc(int status, String call) {
        if (status != nvrtc.NVRTC_SUCCESS) {
            BytePointer text = nvrtc.nvrtcGetErrorString(status);
            throw new CudaException(
                    call + " failed: " + (text == null ? "nvrtcResult " + status : text.getString()), false);
        }
    }

    /**
     * Makes the device's primary context current on the calling thread: the driver-API kernel launches need it,
     * and each job runs its clips on threads of its own.
     */
    static void useDevice(int device) {
        check(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    }
}
