package ai.fastvsr.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM during a one-shot command. Left alone, the JVM's exit skips every finally block (a half-written
 * output and scratch files stay behind) and unloads ONNX Runtime under a running inference (a native crash). This
 * hook interrupts the command's thread instead, so the pipeline cancels as it does on any failure, and waits, at
 * most {@code grace}, until the command has closed its resources.
 */
final class InterruptOnShutdown implements AutoCloseable {
    /** Long enough for a clip in flight to finish on a CPU and the pipeline to unwind. */
    static final Duration GRACE = Duration.ofSeconds(30);

    private final Thread hook;
    private final CountDownLatch closed = new CountDownLatch(1);

    private InterruptOnShutdown(Thread command, Duration grace) {
        hook = new Thread(
                () -> {
                    System.err.println("interrupted: stopping, removing what is half done");
                    command.interrupt();
                    try {
                        closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException ignored) {
                        // exiting anyway
                    }
                },
                "interrupt-on-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Open it before the resources it protects, so that it closes after them. */
    static InterruptOnShutdown ofThisThread(Duration grace) {
        return new InterruptOnShutdown(Thread.currentThread(), grace);
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the latch is open
        }
    }
}
