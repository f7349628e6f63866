package ai.fastvsr.inference.gpu;

import org.bytedeco.javacpp.Pointer;

/** A raw device address in the Pointer type the CUDA and ORT APIs take (JavaCPP has no public constructor). */
final class DeviceAddress extends Pointer {
    DeviceAddress(long address) {
        this.address = address;
    }
}
