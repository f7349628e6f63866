package ai.fastvsr.testing;

import ai.fastvsr.cli.Main;
import ai.fastvsr.storage.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker in its own JVM, started exactly as an operator would ({@code Main worker} with options and
 * environment), so tests can kill it with SIGKILL or stop it with SIGTERM. Its output goes to a log file.
 */
public final class WorkerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private WorkerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param name becomes the worker's host name in its events ({@code worker.host}), so tests can tell workers apart
     */
    public static WorkerProcess start(
            String name, String kafka, S3Settings s3, String group, Path dir, String... extraArgs) throws IOException {
        return start(name, kafka, s3, group, dir, Map.of(), extraArgs);
    }

    public static WorkerProcess start(
            String name,
            String kafka,
            S3Settings s3,
            String group,
            Path dir,
            Map<String, String> env,
            String... extraArgs)
            throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        // the test's folder, not the machine's /tmp: a worker killed with SIGKILL leaves its temp files there
        Path tmp = Files.createDirectories(dir.resolve("java-tmp"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dai.djl.offline=true",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "worker",
                "--kafka",
                kafka,
                "--group",
                group,
                "--s3-endpoint",
                s3.endpoint(),
                "--s3-access-key",
                s3.accessKey(),
                "--model",
                "models/reference-x4",
                "--routes",
                "camel-routes",
                "--threads",
                "1",
                "--session-timeout-ms",
                "6000"));
        // defaults a test may override (a second value for one option is refused)
        Map<String, String> defaults =
                Map.of("--work-dir", dir.resolve(name + "-work").toString(), "--http-port", "-1");
        defaults.forEach((option, value) -> {
            if (!List.of(extraArgs).contains(option)) {
                command.addAll(List.of(option, value));
            }
        });
        command.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("FASTVSR_S3_SECRET_KEY", s3.secretKey());
        pb.environment().put("HOSTNAME", name);
        pb.environment().putAll(env);
        return new WorkerProcess(name, pb.start(), log);
    }

    /** Blocks until the worker logs that it consumes, or fails with its log. */
    public WorkerProcess awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("worker ready")) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready:\n" + Files.readString(log));
    }

    public String name() {
        return name;
    }

    /** SIGKILL: no shutdown hook, no commit, nothing cleaned up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM, then wait for a graceful exit; returns the exit code. A worker bounds its own drain (the default 60 s
     * grace + 30 s, then it logs every thread's stack and exits 143); one still running after 120 s is killed, and
     * this fails with its log.
     */
    public int stop() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " still running 120 s after SIGTERM; killed. Its log:\n" + log());
        }
        return process.exitValue();
    }

    /** The port of its health and metrics server (started with {@code --http-port 0}), from its log. */
    public int httpPort() throws IOException {
        Matcher m =
                Pattern.compile("health and metrics on http://[^:]+:(\\d+)/").matcher(log());
        if (!m.find()) {
            throw new IllegalStateException(name + " has no HTTP port in its log");
        }
        return Integer.parseInt(m.group(1));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
