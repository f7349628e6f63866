package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.Limits;
import ai.fastvsr.storage.RetryPolicy;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.HostileFiles;
import ai.fastvsr.testing.WorkerStack;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files built to hurt: each gets its documented outcome, the worker keeps serving, no temp files remain, no
 * partial output object appears, and files named inside playlists are never opened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    static Path tmp;

    private WorkerStack stack;

    @BeforeAll
    void start() throws Exception {
        // ten minutes at most per input, so a file claiming an hour must be refused before decoding
        Limits limits = new Limits(Limits.DEFAULT.maxInputBytes(), 3840, 2160, 3840L * 2160, 600_000, 50_000);
        stack = WorkerStack.start(
                "hostile",
                EngineSettings.cpu(1),
                new Guardrails(AccessPolicy.any(), limits, RetryPolicy.NONE, null, 30));
    }

    @AfterAll
    void stop() throws Exception {
        stack.close();
    }

    @Test
    void everyHostileFileGetsItsDocumentedOutcome() throws Exception {
        Path canary = tmp.resolve("canary.mp4");
        Ffmpeg.makeClip(canary, 64, 48, 10, 1.0);
        Map<Path, String> expected = new LinkedHashMap<>();
        expected.put(HostileFiles.empty(tmp), "CORRUPT_MEDIA");
        expected.put(HostileFiles.truncated(tmp), "CORRUPT_MEDIA");
        expected.put(HostileFiles.truncatedStreamable(tmp), "CORRUPT_MEDIA");
        expected.put(HostileFiles.randomBytes(tmp), "CORRUPT_MEDIA");
        // FFmpeg itself refuses 30000x30000; 8000x6000 it accepts, and our limit (3840x2160) stops it
        expected.put(HostileFiles.bigHeader(tmp, 30000, 30000), "CORRUPT_MEDIA");
        expected.put(HostileFiles.bigHeader(tmp, 8000, 6000), "LIMIT_EXCEEDED");
        expected.put(HostileFiles.hlsPlaylist(tmp, canary), "CORRUPT_MEDIA");
        expected.put(HostileFiles.ffconcat(tmp, canary), "CORRUPT_MEDIA");
        expected.put(HostileFiles.audioOnly(tmp), "UNSUPPORTED_MEDIA");
        expected.put(HostileFiles.longClaim(tmp), "LIMIT_EXCEEDED");
        expected.put(HostileFiles.singleFrame(tmp), "completed");

        Map<String, String> got = new LinkedHashMap<>();
        Map<String, String> want = new LinkedHashMap<>();
        for (var e : expected.entrySet()) {
            String name = e.getKey().getFileName().toString();
            String jobId = "hostile-" + name.replace('.', '-') + "-"
                    + UUID.randomUUID().toString().substring(0, 8);
            stack.s3()
                    .uploadObject(UploadObjectArgs.builder()
                            .bucket(EmbeddedStack.INGEST_BUCKET)
                            .object("hostile/" + name)
                            .filename(e.getKey().toString())
                            .build());
            stack.jobs()
                    .publish(new JobRequest(
                            jobId,
                            new ObjectRef("s3://ingest/hostile/" + name, null),
                            new ObjectRef("s3://renditions/hostile/" + jobId + ".mp4", null),
                            null,
                            4,
                            null,
                            Map.of()));
            CloudEvent last;
            try (EventStream events = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
                last = events.awaitFinal(jobId, Duration.ofMinutes(2), x -> {});
            }
            assertNotNull(last, "no final event for " + name);
            JsonNode data = json.readTree(last.getData().toBytes());
            String outcome = last.getType().endsWith("completed")
                    ? "completed"
                    : data.path("errorCode").asText();
            got.put(
                    name,
                    outcome
                            + (outcome.equals("completed")
                                    ? ""
                                    : " (" + data.path("message").asText() + ")"));
            want.put(name, e.getValue());
            boolean outputExists = exists("hostile/" + jobId + ".mp4");
            assertEquals(outcome.equals("completed"), outputExists, name + ": output object exists = " + outputExists);
        }
        got.forEach((k, v) -> System.out.println("hostile " + k + " -> " + v));
        Map<String, String> outcomes = new LinkedHashMap<>();
        got.forEach((k, v) -> outcomes.put(k, v.split(" ")[0]));
        assertEquals(want, outcomes);
        try (Stream<Path> left = Files.list(stack.workDir())) {
            assertEquals(List.of(), left.toList(), "temp files left behind");
        }
    }

    private boolean exists(String key) throws Exception {
        try {
            stack.s3()
                    .statObject(StatObjectArgs.builder()
                            .bucket(EmbeddedStack.RENDITIONS_BUCKET)
                            .object(key)
                            .build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        }
    }
}
