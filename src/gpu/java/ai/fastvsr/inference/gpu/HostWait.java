package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.cudaDeviceScheduleAuto;
import static org.bytedeco.cuda.global.cudart.cudaDeviceScheduleBlockingSync;
import static org.bytedeco.cuda.global.cudart.cudaDeviceScheduleSpin;
import static org.bytedeco.cuda.global.cudart.cudaDeviceScheduleYield;

import java.util.Locale;

/**
 * How a host thread waits for the GPU, for the whole process ({@code FASTVSR_CUDA_WAIT} or
 * {@code -Dfastvsr.cuda.wait}: auto, spin, yield or block). CUDA's default (auto) spins when the process has fewer
 * contexts than the host has cores, which on a GPU worker is always: every slot waiting for its clip then holds a
 * core at 100 %, while the jobs' CPU encoders are what bounds the worker end to end (docs/benchmarks.md). Blocking
 * waits give those cores back at the cost of a wake-up per wait. Measured on an H200 with the CUDA engine, auto and
 * block alternating twice, 1/4/8 jobs: no difference end to end (docs/benchmarks.md), so the default stays auto and
 * this stays a knob for hosts with fewer cores.
 */
enum HostWait {
    AUTO(cudaDeviceScheduleAuto),
    SPIN(cudaDeviceScheduleSpin),
    YIELD(cudaDeviceScheduleYield),
    BLOCK(cudaDeviceScheduleBlockingSync);

    static final String PROPERTY = "fastvsr.cuda.wait";
    static final String ENV = "FASTVSR_CUDA_WAIT";

    private final int flag;

    HostWait(int flag) {
        this.flag = flag;
    }

    int flag() {
        return flag;
    }

    /** The configured mode; AUTO when none is set. */
    static HostWait configured() {
        return parse(System.getProperty(PROPERTY, System.getenv(ENV)));
    }

    static HostWait parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    ENV + "=" + value + ": expected one of auto, spin, yield, block (how a thread waits for the GPU)");
        }
    }
}
