package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import org.bytedeco.cuda.cudart.CUstream_st;

/**
 * A stream of one slot. Non-blocking: its copies and kernels never wait for the legacy default stream, so slots
 * overlap each other and ONNX Runtime's own streams.
 */
final class CudaStream implements AutoCloseable {
    private final CUstream_st handle = new CUstream_st();

    CudaStream() {
        Cuda.check(cudaStreamCreateWithFlags(handle, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
    }

    CUstream_st handle() {
        return handle;
    }

    /** Blocks the calling thread until everything queued on this stream has finished. */
    void synchronize(String after) {
        Cuda.check(cudaStreamSynchronize(handle), "cudaStreamSynchronize after " + after);
    }

    @Override
    public void close() {
        if (!handle.isNull()) {
            cudaStreamDestroy(handle);
            handle.setNull();
        }
    }
}
