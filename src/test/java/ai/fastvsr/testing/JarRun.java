package ai.fastvsr.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A built jar run as a user runs it: {@code java -jar} in a folder of the test's choosing, with that folder's
 * java-tmp/ as the JVM's temp directory (nothing read from or left in the repository), and no model or routes
 * directory from the environment.
 */
public final class JarRun {
    private JarRun() {}

    public record Result(int rc, String out) {}

    /**
     * What every run keeps in its temp directory by design, for the next run to reuse: the unpacked default model
     * (BundledModel) and ONNX Runtime's unpacked libraries (OrtLibraryCache).
     */
    public static final List<String> CACHES = List.of("fastvsr-models", "fastvsr-native");

    public static Process start(Path jar, Path cwd, Map<String, String> env, String... args) throws IOException {
        Path tmp = Files.createDirectories(cwd.resolve("java-tmp"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Djava.io.tmpdir=" + tmp,
                "-jar",
                jar.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().remove("FASTVSR_MODEL_DIR");
        pb.environment().remove("FASTVSR_ROUTES_DIR");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The names of what the runs started in {@code cwd} have left in their temp directory, sorted. */
    public static List<String> leftInTemp(Path cwd) throws IOException {
        Path tmp = cwd.resolve("java-tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (var entries = Files.list(tmp)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Runs to the end (bounded) and returns the exit code with stdout and stderr together. */
    public static Result run(Path jar, Path cwd, int timeoutSeconds, Map<String, String> env, String... args)
            throws Exception {
        Process p = start(jar, cwd, env, args);
        byte[] bytes;
        try (InputStream in = p.getInputStream()) {
            bytes = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in " + timeoutSeconds + " s: " + String.join(" ", args));
        }
        String out = new String(bytes, StandardCharsets.UTF_8);
        System.out.println("[" + args[0] + "] " + out.replace("\n", "\n[" + args[0] + "] "));
        return new Result(p.exitValue(), out);
    }
}
