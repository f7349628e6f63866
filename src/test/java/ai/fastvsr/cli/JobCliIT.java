package ai.fastvsr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.ScratchDirs;
import ai.fastvsr.testing.TestServers;
import ai.fastvsr.worker.WorkerApp;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code submit} and {@code watch} as a user runs them, against a real broker, a real S3 server and a real worker:
 * the commands are executed through picocli exactly as {@code java -jar ... submit ...} would, with their stdout and
 * stderr captured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobCliIT {
    private final ObjectMapper json = new ObjectMapper();
    private TestServers servers;
    private WorkerApp worker;
    private Path secretFile;

    @TempDir
    Path tmp;

    @BeforeAll
    void start() throws Exception {
        servers = TestServers.start(1);
        S3Settings s3 = servers.s3();
        worker = WorkerApp.start(new WorkerSettings(
                servers.kafkaBootstrap(),
                "cli-it-workers",
                Topics.DEFAULT,
                600_000,
                s3,
                Path.of("models/reference-x4"),
                Path.of("camel-routes"),
                ScratchDirs.create("fastvsr-cli-it-"),
                EngineSettings.cpu(2),
                WorkerSettings.Guardrails.DEFAULT));
        secretFile = Files.createTempFile("s3-secret", ".txt");
        Files.writeString(secretFile, s3.secretKey());
    }

    @AfterAll
    void stop() throws Exception {
        worker.close();
        servers.close();
        Files.deleteIfExists(secretFile);
    }

    @Test
    void submitUploadWaitThenWatchTheSameJob() throws Exception {
        Path clip = tmp.resolve("clip.mp4");
        Ffmpeg.makeClip(clip, 64, 48, 10, 1.0);
        String asset = "A-" + UUID.randomUUID();

        Run submit = run(
                new SubmitCommand(),
                "--upload",
                clip.toString(),
                "--input",
                "s3://ingest/cli/clip.mp4",
                "--asset-id",
                asset,
                "--wait",
                "--timeout",
                "3m");
        assertEquals(0, submit.exit(), submit::all);
        String jobId = submit.out().lines().findFirst().orElseThrow();
        assertTrue(jobId.matches("clip-[0-9a-f]{8}"), jobId);
        assertTrue(submit.err().contains("uploaded " + clip), submit::all);
        assertTrue(submit.err().contains("accepted"), submit::all);
        assertTrue(
                submit.err().contains("completed  s3://renditions/cli/clip.x4.mp4  256x192  10 frames"), submit::all);

        // accepted, one progress event per phase (download, inference, upload: the job is shorter than the
        // progress interval), completed
        Run watch = run(
                new WatchCommand(),
                "--json",
                "--job-id",
                jobId,
                "--from-beginning",
                "--max-events",
                "5",
                "--timeout",
                "60s");
        assertEquals(0, watch.exit(), watch::all);
        List<JsonNode> events = new ArrayList<>();
        for (String line : watch.out().strip().split("\n")) {
            events.add(json.readTree(line));
        }
        assertEquals(
                List.of(
                        "ai.fastvsr.job.accepted",
                        "ai.fastvsr.job.progress",
                        "ai.fastvsr.job.progress",
                        "ai.fastvsr.job.progress",
                        "ai.fastvsr.job.completed"),
                events.stream().map(e -> e.path("type").asText()).toList(),
                watch::all);
        events.forEach(e -> assertEquals(jobId, e.path("subject").asText()));
        assertEquals(asset, events.get(4).at("/data/userMetadata/assetId").asText());

        Run byAsset = run(
                new WatchCommand(), "--asset-id", asset, "--from-beginning", "--max-events", "5", "--timeout", "60s");
        assertEquals(5, byAsset.out().strip().split("\n").length, byAsset::all);
        assertTrue(byAsset.out().contains(jobId + "  completed"), byAsset::all);
    }

    @Test
    void aFailedJobExitsTwoWithItsErrorCode() {
        Run submit = run(
                new SubmitCommand(),
                "--input",
                "s3://ingest/cli/not-there.mp4",
                "--job-id",
                "cli-missing-" + UUID.randomUUID().toString().substring(0, 8),
                "--wait",
                "--timeout",
                "2m");
        assertEquals(SubmitCommand.FAILED, submit.exit(), submit::all);
        assertTrue(submit.err().contains("error [INPUT_NOT_FOUND]"), submit::all);
    }

    @Test
    void watchStopsAtItsTimeoutWhenNothingMatches() {
        long t0 = System.nanoTime();
        Run watch = run(new WatchCommand(), "--job-id", "nobody", "--from-beginning", "--timeout", "3s");
        assertEquals(0, watch.exit(), watch::all);
        assertEquals("", watch.out());
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "bounded by --timeout");
    }

    private record Run(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--kafka", servers.kafkaBootstrap()));
        if (command instanceof SubmitCommand) {
            all.addAll(List.of(
                    "--s3-endpoint",
                    servers.s3().endpoint(),
                    "--s3-access-key",
                    servers.s3().accessKey(),
                    "--s3-secret-key-file",
                    secretFile.toString()));
        }
        all.addAll(List.of(args));
        int exit = new CommandLine(command)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
