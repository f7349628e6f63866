package ai.fastvsr.cli;

import ai.fastvsr.worker.WorkerApp;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

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
        // SIGTERM and SIGINT are handled here, not through the JVM's shutdown: a shutdown also runs ONNX Runtime's
        // own hook, which frees its environment while the clip in flight still runs in it (SIGSEGV in
        // libonnxruntime, FleetIT's SIGTERM test). A second signal while draining exits at once.
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (draining.compareAndSet(false, true)) {
                        new Thread(drain, "worker-shutdown").start();
                    } else {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                });
            } catch (IllegalArgumentException e) {
                // no such signal here: the shutdown hook below still drains
            }
        }
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
