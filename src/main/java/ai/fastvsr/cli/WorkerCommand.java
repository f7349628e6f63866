package ai.fastvsr.cli;

import ai.fastvsr.worker.WorkerApp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = "Run a worker against external Kafka and S3 until SIGTERM / Ctrl-C.")
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    WorkerOptions options;

    @Override
    public Integer call() throws Exception {
        return onSigterm(WorkerApp.start(options.settings(null, null))).awaitStop();
    }

    /** The stop that {@link #onSigterm} arranges. */
    interface Drain {
        /**
         * Waits for the worker to stop and returns 0 if it stopped by itself. After a signal it does not return: the
         * drain closes everything and then ends the process. Returning from the command instead would start the
         * JVM's shutdown, which stops the drain halfway (the embedded servers' folders were left in the temp
         * directory).
         */
        int awaitStop() throws InterruptedException;
    }

    /**
     * SIGTERM (Kubernetes, docker stop, Ctrl-C): stop polling, let the job in flight finish within the grace period
     * or abandon it uncommitted, then exit 0 — a drained worker is a success, not a crash (the JVM's default for
     * SIGTERM is 143). {@code app} closes first, then {@code others} in order.
     */
    static Drain onSigterm(WorkerApp app, AutoCloseable... others) {
        List<AutoCloseable> inOrder = new ArrayList<>(List.of(app));
        inOrder.addAll(List.of(others));
        AtomicBoolean draining = new AtomicBoolean();
        CountDownLatch closed = new CountDownLatch(1);
        Runnable close = () -> {
            for (AutoCloseable c : inOrder) {
                closeQuietly(c);
            }
            closed.countDown();
        };
        // a second signal while draining exits at once (StopSignals says why not through the JVM's shutdown)
        StopSignals.handle(status -> {
            if (draining.compareAndSet(false, true)) {
                DrainDeadline.start(app.shutdownGraceSeconds(), status);
                new Thread(
                                () -> {
                                    close.run();
                                    StopSignals.halt(0);
                                },
                                "worker-shutdown")
                        .start();
            }
        });
        // any other way the JVM ends (the last job of --max-jobs, System.exit): its shutdown goes on after this hook,
        // with ORT's folder removed by OrtTempFolder's own hook
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (draining.compareAndSet(false, true)) {
                                close.run();
                            }
                        },
                        "worker-shutdown"));
        return () -> {
            app.awaitStop();
            if (draining.get()) {
                closed.await();
                Thread.sleep(Long.MAX_VALUE); // the drain halts the process
            }
            return 0;
        };
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("shutdown: " + e);
        }
    }
}
