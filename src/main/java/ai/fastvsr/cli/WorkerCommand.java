package ai.fastvsr.cli;

import ai.fastvsr.worker.WorkerApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "worker", mixinStandardHelpOptions = true,
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : inOrder) {
                closeQuietly(c);
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }, "worker-shutdown"));
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("shutdown: " + e);
        }
    }
}
