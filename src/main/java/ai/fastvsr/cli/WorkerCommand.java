package ai.fastvsr.cli;

import ai.fastvsr.worker.WorkerApp;
import java.util.concurrent.Callable;
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
        WorkerApp app = WorkerApp.start(options.settings(null, null));
        onSigterm(app);
        app.awaitStop();
        return 0;
    }

    /**
     * SIGTERM (Kubernetes, docker stop, Ctrl-C): stop polling, let the job in flight finish within the grace period
     * or abandon it uncommitted, then exit 0 — a drained worker is a success, not a crash (the JVM's default for
     * SIGTERM is 143).
     */
    static void onSigterm(AutoCloseable... inOrder) {
        AtomicBoolean draining = new AtomicBoolean();
        Runnable drain = () -> {
            for (AutoCloseable c : inOrder) {
                closeQuietly(c);
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(0);
        };
        // a second signal while draining exits at once (StopSignals says why not through the JVM's shutdown)
        StopSignals.handle(status -> {
            if (draining.compareAndSet(false, true)) {
                new Thread(drain, "worker-shutdown").start();
            }
        });
        // any other way the JVM ends (the last job of --max-jobs, System.exit)
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (draining.compareAndSet(false, true)) {
                                drain.run();
                            }
                        },
                        "worker-shutdown"));
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("shutdown: " + e);
        }
    }
}
