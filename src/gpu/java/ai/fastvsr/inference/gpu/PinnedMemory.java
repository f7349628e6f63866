package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaHostAlloc;
import static org.bytedeco.cuda.global.cudart.cudaHostAllocDefault;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Page-locked host memory, allocated once and grown when needed: the DMA engines copy from and to it directly
 * and asynchronously (pageable memory would be staged through a driver buffer, synchronously).
 */
final class PinnedMemory implements AutoCloseable {
    private final String what;
    private Pointer pointer;
    private BytePointer bytes;
    private long capacity;

    PinnedMemory(String what) {
        this.what = what;
    }

    /** At least {@code size} bytes, as a BytePointer at position 0. */
    BytePointer ensure(long size) {
        if (size > capacity) {
            free();
            Pointer p = new Pointer();
            long rounded = (size + (1 << 21) - 1) & -(1L << 21);
            Cuda.check(
                    cudaHostAlloc(p, rounded, cudaHostAllocDefault),
                    "cudaHostAlloc(" + rounded + " bytes for " + what + ")");
            pointer = p;
            bytes = new BytePointer(p).capacity(rounded);
            capacity = rounded;
        }
        return bytes.position(0);
    }

    private void free() {
        if (pointer != null) {
            cudaFreeHost(pointer);
            pointer = null;
            bytes = null;
            capacity = 0;
        }
    }

    @Override
    public void close() {
        free();
    }
}
