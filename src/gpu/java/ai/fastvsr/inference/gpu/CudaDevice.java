package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.cudaDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaMemGetInfo;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaSetDeviceFlags;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import java.util.Locale;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The GPU the engine runs on, opened once at start: the device exists, the driver is new enough for the CUDA 13
 * runtime, and its primary context is up. Each failure is one sentence naming the cause.
 */
public record CudaDevice(
        int id,
        String name,
        int major,
        int minor,
        int driverVersion,
        int runtimeVersion,
        long totalBytes,
        int multiprocessors) {

    /** {@code sm_90} for an H100/H200. */
    public String arch() {
        return "sm_" + major + minor;
    }

    /** Bytes free on the device right now (other processes and ONNX Runtime's arena included). */
    public long freeBytes() {
        Cuda.useDevice(id);
        try (SizeTPointer free = new SizeTPointer(1);
                SizeTPointer total = new SizeTPointer(1)) {
            Cuda.check(cudaMemGetInfo(free, total), "cudaMemGetInfo");
            return free.get();
        }
    }

    public String describe() {
        return String.format(
                "%s (%s, %d SMs, %.0f GiB, driver CUDA %s, runtime %s, host waits: %s)",
                name,
                arch(),
                multiprocessors,
                totalBytes / 1073741824.0,
                version(driverVersion),
                version(runtimeVersion),
                HostWait.configured().name().toLowerCase(Locale.ROOT));
    }

    private static String version(int v) {
        return v / 1000 + "." + v % 1000 / 10;
    }

    /** Opens device {@code id}; throws {@link IllegalStateException} with the reason when it cannot. */
    public static CudaDevice open(int id) {
        int[] driver = new int[1];
        int[] runtime = new int[1];
        cudaDriverGetVersion(driver);
        cudaRuntimeGetVersion(runtime);
        // minor-version compatibility: a 13.x runtime runs on any CUDA 13 driver (R580+); an older major does not
        if (driver[0] / 1000 < runtime[0] / 1000) {
            throw new IllegalStateException("the NVIDIA driver supports CUDA " + version(driver[0])
                    + " but the runtime is CUDA " + version(runtime[0]) + ": a driver for CUDA "
                    + runtime[0] / 1000 + " (R580 or newer) is needed");
        }
        int[] count = new int[1];
        int status = cudaGetDeviceCount(count);
        if (status != cudaSuccess) {
            throw new IllegalStateException(
                    "no usable NVIDIA GPU: cudaGetDeviceCount failed with " + Cuda.runtimeError(status));
        }
        if (count[0] == 0) {
            throw new IllegalStateException("no NVIDIA GPU visible to this process (check NVIDIA_VISIBLE_DEVICES / "
                    + "CUDA_VISIBLE_DEVICES and the container's GPU request)");
        }
        if (id < 0 || id >= count[0]) {
            throw new IllegalStateException("--device-id " + id + " but only " + count[0] + " GPU(s) are visible");
        }
        Cuda.useDevice(id);
        // before the context exists: the flags are the primary context's, shared with ONNX Runtime's CUDA provider
        HostWait wait = HostWait.configured();
        if (wait != HostWait.AUTO) {
            Cuda.check(cudaSetDeviceFlags(wait.flag()), "cudaSetDeviceFlags(" + wait + ")");
        }
        // creates the primary context now, so a broken driver fails here rather than in the first job
        Cuda.check(cudaFree(new Pointer()), "cudaFree(0) (context creation)");
        try (cudaDeviceProp props = new cudaDeviceProp()) {
            Cuda.check(cudaGetDeviceProperties(props, id), "cudaGetDeviceProperties");
            return new CudaDevice(
                    id,
                    props.name().getString(),
                    props.major(),
                    props.minor(),
                    driver[0],
                    runtime[0],
                    props.totalGlobalMem(),
                    props.multiProcessorCount());
        }
    }
}
