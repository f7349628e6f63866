package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;

import org.bytedeco.javacpp.Pointer;

/**
 * A device buffer that is allocated once and reused for every clip, growing (never shrinking) when a larger clip
 * comes: cudaMalloc and cudaFree synchronise the whole device, so they must not happen per clip.
 */
final class DeviceMemory implements AutoCloseable {
    private final String what;
    private Pointer pointer;
    private long capacity;

    DeviceMemory(String what) {
        this.what = what;
    }

    /** At least {@code bytes} of device memory; contents are not kept when it grows. */
    long ensure(long bytes) {
        if (bytes > capacity) {
            free();
            Pointer p = new Pointer();
            // round up to 2 MiB so small differences between clips do not reallocate
            long size = (bytes + (1 << 21) - 1) & -(1L << 21);
            Cuda.check(cudaMalloc(p, size), "cudaMalloc(" + size + " bytes for " + what + ")");
            pointer = p;
            capacity = size;
        }
        return pointer.address();
    }

    long address() {
        return pointer == null ? 0 : pointer.address();
    }

    long capacity() {
        return capacity;
    }

    private void free() {
        if (pointer != null) {
            cudaFree(pointer);
            pointer = null;
            capacity = 0;
        }
    }

    @Override
    public void close() {
        free();
    }
}
