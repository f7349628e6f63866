package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.JarRun;
import ai.fastvsr.testing.JarRun.Result;
import ai.fastvsr.testing.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slim worker jar the images run: no embedded servers inside, a clear refusal of demo and serve --embedded,
 * and a real job through it (its own process, started outside the repository, routes and model from the jar).
 */
class SlimJarIT {
    static final Path SLIM = Path.of("target/fastvsr-worker-slim.jar");
    static final Path ALL_IN_ONE = Path.of("target/fastvsr-worker.jar");

    @TempDir
    Path dir;

    @Test
    void leavesTheEmbeddedServersOut() throws Exception {
        assertTrue(Files.isRegularFile(SLIM) && Files.isRegularFile(ALL_IN_ONE), "run after package");
        long slim = Files.size(SLIM);
        long full = Files.size(ALL_IN_ONE);
        System.out.printf("jar sizes: slim %.1f MB, all-in-one %.1f MB%n", slim / 1e6, full / 1e6);
        assertTrue(slim < full, "slim is smaller");
        try (ZipFile zip = new ZipFile(SLIM.toFile())) {
            for (String gone : List.of(
                    "ai/fastvsr/embedded/",
                    "kafka/server/",
                    "org/gaul/",
                    "org/jclouds/",
                    "scala/",
                    "org/eclipse/jetty/")) {
                assertFalse(zip.stream().anyMatch(e -> e.getName().startsWith(gone)), gone + " in the slim jar");
            }
            for (String kept : List.of(
                    "ai/fastvsr/cli/Main.class",
                    "camel-routes/jobs.yaml",
                    "models/fastvsr-tiny/model.json",
                    "org/apache/kafka/clients/consumer/KafkaConsumer.class")) {
                assertTrue(zip.getEntry(kept) != null, kept + " missing from the slim jar");
            }
        }
        Result slimVersion = JarRun.run(SLIM, dir, 60, Map.of(), "--version");
        assertEquals(0, slimVersion.rc(), slimVersion.out());
        assertTrue(
                slimVersion.out().contains("slim worker jar")
                        && slimVersion.out().contains("embedded Kafka and S3 servers (demo, serve --embedded): no"),
                slimVersion.out());
        Result fullVersion = JarRun.run(ALL_IN_ONE, dir, 60, Map.of(), "--version");
        assertTrue(
                fullVersion.out().contains("all-in-one jar")
                        && fullVersion.out().contains("embedded Kafka and S3 servers (demo, serve --embedded): yes"),
                fullVersion.out());
        for (List<String> command : List.of(List.of("demo"), List.of("serve", "--embedded"))) {
            Result r = JarRun.run(SLIM, dir, 60, Map.of(), command.toArray(String[]::new));
            assertEquals(1, r.rc(), r.out());
            assertTrue(r.out().contains("all-in-one jar, fastvsr-worker.jar"), r.out());
        }
    }

    @Test
    void runsAJobEndToEnd() throws Exception {
        try (TestServers servers = TestServers.start(1);
                ObjectStore store = new ObjectStore(servers.s3())) {
            store.ensureBucket("ingest");
            store.ensureBucket("renditions");
            Map<String, String> env =
                    Map.of("FASTVSR_S3_SECRET_KEY", servers.s3().secretKey());
            Process worker = JarRun.start(
                    SLIM,
                    dir,
                    env,
                    "worker",
                    "--kafka",
                    servers.kafkaBootstrap(),
                    "--s3-endpoint",
                    servers.s3().endpoint(),
                    "--s3-access-key",
                    servers.s3().accessKey(),
                    "--work-dir",
                    dir.resolve("work").toString(),
                    "--http-port",
                    "-1",
                    "--group",
                    "slim-it");
            Path log = dir.resolve("worker.log");
            Thread pump = new Thread(() -> {
                try (var in = worker.getInputStream()) {
                    Files.copy(in, log);
                } catch (Exception ignored) {
                    // process ended
                }
            });
            pump.start();
            try {
                Path clip = dir.resolve("clip.mp4");
                Ffmpeg.makeClip(clip, 64, 48, 8, 1.0);
                Result submit = JarRun.run(
                        SLIM,
                        dir,
                        300,
                        env,
                        "submit",
                        "--kafka",
                        servers.kafkaBootstrap(),
                        "--s3-endpoint",
                        servers.s3().endpoint(),
                        "--s3-access-key",
                        servers.s3().accessKey(),
                        "--upload",
                        clip.toString(),
                        "--input",
                        "s3://ingest/slim/clip.mp4",
                        "--output",
                        "s3://renditions/slim/clip.x4.mp4",
                        "--wait",
                        "--timeout",
                        "4m");
                assertEquals(0, submit.rc(), () -> submit.out() + "\nworker log:\n" + read(log));
                assertTrue(submit.out().contains("completed  s3://renditions/slim/clip.x4.mp4"), submit.out());
                assertTrue(read(log).contains("fastvsr-tiny"), "the model in the jar: " + read(log));
            } finally {
                worker.destroy();
                assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "worker did not stop on SIGTERM");
                pump.join(5000);
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
