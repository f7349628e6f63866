package ai.fastvsr.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C or SIGTERM during a one-shot command (upscale, bench): the command's thread is interrupted, so the pipeline
 * cancels as on any failure (no half-written output, no scratch left), and once the command has closed its
 * resources this, opened first and so closed last, exits with the signal's status (130, 143). A command still busy
 * after {@link #GRACE} is ended at once.
 */
final class StopOnSignal implements AutoCloseable {
    /** Long enough for a clip in flight to finish on a CPU and the pipeline to unwind. */
    static final Duration GRACE = Duration.ofSeconds(30);

    private final AtomicInteger status = new AtomicInteger();
    private final StopSignals signals;

    private StopOnSignal(Thread command) {
        signals = StopSignals.handle(code -> {
            status.set(code);
            System.err.println("interrupted: stopping, removing what is half done");
            command.interrupt();
            Thread deadline = new Thread(
                    () -> {
                        try {
                            Thread.sleep(GRACE.toMillis());
                        } catch (InterruptedException ignored) {
                            // ending anyway
                        }
                        Runtime.getRuntime().halt(code);
                    },
                    "stop-deadline");
            deadline.setDaemon(true);
            deadline.start();
        });
    }

    /** Open it before the resources it protects, so that it closes after them. */
    static StopOnSignal ofThisThread() {
        return new StopOnSignal(Thread.currentThread());
    }

    @Override
    public void close() {
        signals.restore();
        int code = status.get();
        if (code != 0) {
            System.out.flush();
            System.err.flush();
            System.exit(code);
        }
    }
}
