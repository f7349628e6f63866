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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(app), "worker-shutdown"));
        app.awaitStop();
        return 0;
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("shutdown: " + e);
        }
    }
}
