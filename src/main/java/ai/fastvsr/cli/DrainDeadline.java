package ai.fastvsr.cli;

import java.time.Duration;
import java.util.Map;

/**
 * The bound on a worker's drain after SIGTERM: the grace period for the job in flight plus {@link #MARGIN} to close
 * its clients. A drain still running then is stuck somewhere; the worker writes every thread's stack to stderr, so the
 * log says where, and ends with the signal's status. Nothing is lost by ending it: the job in flight is uncommitted
 * and Kafka redelivers it. Kubernetes' terminationGracePeriodSeconds should exceed grace + margin (k8s/: 900 + 30 <
 * 960), or the kubelet's SIGKILL comes first and leaves no such report.
 */
public final class DrainDeadline {
    /**
     * After the grace period: up to 15 s for a job abandoned at its end to unwind, then the Kafka clients (5 s each).
     */
    public static final Duration MARGIN = Duration.ofSeconds(30);

    private static final int FRAMES_PER_THREAD = 12;

    private DrainDeadline() {}

    /** Starts the clock; a daemon thread, so a drain that finishes in time ends the process as usual. */
    static void start(int graceSeconds, int status) {
        Duration limit = Duration.ofSeconds(graceSeconds).plus(MARGIN);
        watch(limit, () -> {
            System.err.println("shutdown: the drain is still running after " + limit.toSeconds() + " s (grace "
                    + graceSeconds + " s + " + MARGIN.toSeconds() + " s); exiting " + status + " without it. Threads:\n"
                    + threadStacks());
            StopSignals.halt(status);
        });
    }

    /** Runs {@code overrun} after {@code limit} unless the returned thread is interrupted first. */
    static Thread watch(Duration limit, Runnable overrun) {
        Thread watch = new Thread(
                () -> {
                    try {
                        Thread.sleep(limit.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    overrun.run();
                },
                "drain-deadline");
        watch.setDaemon(true);
        watch.start();
        return watch;
    }

    static String threadStacks() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            out.append('"')
                    .append(t.getName())
                    .append("\" ")
                    .append(t.getState())
                    .append('\n');
            StackTraceElement[] frames = e.getValue();
            for (int i = 0; i < Math.min(frames.length, FRAMES_PER_THREAD); i++) {
                out.append("    at ").append(frames[i]).append('\n');
            }
        }
        return out.toString();
    }
}
