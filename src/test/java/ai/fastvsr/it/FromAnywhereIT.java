package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.JarRun;
import ai.fastvsr.testing.JarRun.Result;
import ai.fastvsr.testing.ProcessLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The all-in-one jar as a new user runs it: its own process, started in an empty folder outside the repository,
 * with no --routes and no --model. Routes and the default model must come from the jar.
 */
class FromAnywhereIT {
    static final Path JAR = Path.of("target/fastvsr-worker.jar").toAbsolutePath();

    @TempDir
    static Path dir;

    @BeforeAll
    static void outsideTheRepository() {
        assertTrue(Files.isRegularFile(JAR), "run in the integration-test phase, after package");
        assertFalse(dir.toAbsolutePath().startsWith(Path.of("").toAbsolutePath()), "temp dir inside the repository");
        assertFalse(Files.exists(dir.resolve("camel-routes")) || Files.exists(dir.resolve("models")));
    }

    /**
     * Every run here ended by itself or on SIGTERM: none may leave temp files behind. ORT's unpacked libraries used to
     * leave an empty folder per run (inference.OrtTempFolder), and {@code serve --embedded} its Kafka log and S3
     * objects when stopped. What stays is by design: the default work directory ({@code fastvsr}, whose job folders
     * are gone), the unpacked default model ({@code fastvsr-models}, BundledModel) and ORT's libraries
     * ({@code fastvsr-native}, OrtLibraryCache), both reused by the next run.
     */
    @AfterAll
    static void noRunLeftTempFiles() throws IOException {
        List<String> left = JarRun.leftInTemp(dir).stream()
                .filter(name -> !name.equals("fastvsr") && !JarRun.CACHES.contains(name))
                .toList();
        assertEquals(List.of(), left, "left in the JVMs' temp directory");
        Path work = dir.resolve("java-tmp").resolve("fastvsr");
        if (Files.isDirectory(work)) {
            try (var jobs = Files.list(work)) {
                assertEquals(List.of(), jobs.toList(), "job folders left in the default work directory");
            }
        }
    }

    @Test
    void demoWritesItsOutputBelowTheCurrentDirectory() throws Exception {
        Result r = run(JAR, 600, "demo", "--seconds", "1");
        assertEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("summary: 320x180 -> 1280x720"), r.out());
        Path out = dir.resolve("demo-output");
        JsonNode video = Ffmpeg.stream(Ffmpeg.probe(out.resolve("sample.x4.mp4")), "video");
        assertEquals(1280, video.path("width").asInt());
        assertEquals(720, video.path("height").asInt());
        assertTrue(r.out().contains("fastvsr-tiny"), "the default model: " + r.out());
    }

    @Test
    void upscaleAndBenchUseTheModelInTheJar() throws Exception {
        Path in = dir.resolve("small.mp4");
        Ffmpeg.makeClip(in, 64, 48, 8, 1.0);
        Result up = run(JAR, 300, "upscale", "small.mp4", "small.x4.mp4");
        assertEquals(0, up.rc(), up.out());
        assertTrue(up.out().contains("model fastvsr-tiny"), up.out());
        JsonNode video = Ffmpeg.stream(Ffmpeg.probe(dir.resolve("small.x4.mp4")), "video");
        assertEquals(256, video.path("width").asInt());
        assertEquals(192, video.path("height").asInt());

        Result bench = run(JAR, 300, "bench", "--size", "64x48", "--frames", "8", "--runs", "1");
        assertEquals(0, bench.rc(), bench.out());
        assertTrue(bench.out().contains("model fastvsr-tiny"), bench.out());
    }

    @Test
    void serveEmbeddedStartsAndStopsOnSigterm() throws Exception {
        ProcessLines log = serveUntilReadyThenStop(dir, "[serve] ", false);
        assertTrue(log.text().contains("worker ready"), log.text());
    }

    /**
     * SIGKILL runs nothing of the JVM's, so a killed worker leaves its temp files. ORT's 20 MB of libraries must not
     * be among them (a crash-looping pod's /tmp would fill): ORT loads them from the shared cache, and its own
     * per-process folder, left behind here, is empty.
     */
    @Test
    void aWorkerKilledWithSigkillLeavesNoLibrariesBehind() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("killed"));
        serveUntilReadyThenStop(cwd, "[killed] ", true);
        Path tmp = cwd.resolve("java-tmp");
        List<Path> ortFolders;
        try (var entries = Files.list(tmp)) {
            ortFolders = entries.filter(p -> p.getFileName().toString().startsWith("onnxruntime-java"))
                    .toList();
        }
        assertEquals(1, ortFolders.size(), "ORT loaded once: " + JarRun.leftInTemp(cwd));
        try (var files = Files.list(ortFolders.get(0))) {
            assertEquals(List.of(), files.toList(), "ORT unpacked its libraries per process");
        }
        try (var cached = Files.list(tmp.resolve("fastvsr-native"))) {
            Path lib = cached.findFirst().orElseThrow().resolve(System.mapLibraryName("onnxruntime"));
            assertTrue(Files.size(lib) > 1_000_000, lib + " is the library ORT loaded");
        }
    }

    /**
     * {@code serve --embedded} on free loopback ports, started in {@code cwd}, stopped once it serves: by SIGTERM, or
     * by SIGKILL when {@code kill}. Returns its output.
     */
    static ProcessLines serveUntilReadyThenStop(Path cwd, String tag, boolean kill) throws Exception {
        Process serve = JarRun.start(
                JAR,
                cwd,
                Map.of(),
                "serve",
                "--embedded",
                "--kafka-port",
                String.valueOf(freePort()),
                "--s3-port",
                String.valueOf(freePort()),
                "--http-port",
                "-1",
                "--work-dir",
                cwd.resolve("work").toString());
        ProcessLines log = ProcessLines.follow(serve, tag, "fastvsr-worker is serving");
        try {
            assertTrue(log.awaitReady(180), () -> "serve did not come up: " + log.text());
        } finally {
            if (kill) {
                serve.destroyForcibly();
            } else {
                serve.destroy();
            }
            assertTrue(
                    serve.waitFor(60, TimeUnit.SECONDS),
                    kill ? "serve did not die on SIGKILL" : "serve did not stop on SIGTERM");
            log.join();
        }
        return log;
    }

    static Result run(Path jar, int timeoutSeconds, String... args) throws Exception {
        return JarRun.run(jar, dir, timeoutSeconds, Map.of(), args);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
