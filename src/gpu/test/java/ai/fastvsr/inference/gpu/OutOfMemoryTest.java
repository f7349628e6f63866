package ai.fastvsr.inference.gpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The wordings ONNX Runtime and CUDA use for running out of device memory, and ones that are not. */
class OutOfMemoryTest {
    @Test
    void ortAndCudaOutOfMemoryMessagesAreRecognised() {
        for (String message : new String[] {
            "[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Non-zero status code returned while running Conv node. "
                    + "Name:'/decoder/conv_in/Conv' Status Message: /onnxruntime_src/onnxruntime/core/framework/"
                    + "bfc_arena.cc:359 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool, "
                    + "onnxruntime::Stream*, bool, onnxruntime::WaitNotificationFn) Available memory of 0 is "
                    + "smaller than requested bytes of 212336640",
            "Failed to allocate memory for requested buffer of size 1073741824",
            "CUDA failure 2: out of memory ; GPU=0 ; hostname=h ; file=cuda_allocator.cc ; line=47",
            "CUDNN failure 4: CUDNN_STATUS_ALLOC_FAILED ; GPU=0",
            "cudaMalloc(2097152 bytes for model output) failed: cudaErrorMemoryAllocation (out of memory)"
        }) {
            assertTrue(OutOfMemory.describes(message), message);
            assertTrue(OutOfMemory.describes(new RuntimeException("wrapped", new RuntimeException(message))));
        }
        assertTrue(OutOfMemory.describes(new CudaException("cuMemAlloc", true)));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(OutOfMemory.describes("CUDA failure 700: an illegal memory access was encountered"));
        assertFalse(OutOfMemory.describes("Got invalid dimensions for input: lr"));
        assertFalse(OutOfMemory.describes((String) null));
        assertFalse(OutOfMemory.describes(new CudaException("cuModuleLoadData failed", false)));
    }
}
