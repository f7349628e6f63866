package ai.fastvsr.inference.gpu;

/** A float32 tensor in device memory that its owner allocated: an address and a shape. */
record DeviceTensor(long address, long[] shape) {
    long bytes() {
        return ClipGeometry.floatBytes(shape);
    }
}
