package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.embedded.EmbeddedKafka;
import ai.fastvsr.embedded.EmbeddedS3;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.JobPublisher;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.ScratchDirs;
import ai.fastvsr.worker.WorkerApp;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.UploadObjectArgs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers going away under a running job, for real: the S3 server stopped for 20 s (then restarted on the same
 * port and data), and the Kafka broker shut down and restarted on its own log. Jobs must complete; nothing is
 * lost or rendered twice beyond what the idempotency check answers.
 */
class OutageIT {
    private static final String SECRET = "outage-secret";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void s3DownForTwentySecondsBeforeDownloadAndBeforeUpload() throws Exception {
        Path s3Data = tmp.resolve("s3");
        EmbeddedS3[] s3 = {EmbeddedS3.start(0, s3Data, "outage", SECRET)};
        S3Settings settings = s3[0].settings();
        int port = Integer.parseInt(settings.endpoint().replaceAll(".*:", ""));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, null)) {
            kafka.createTopics(List.of("vsr.jobs", "vsr.events", "vsr.jobs.dlq"), 1);
            Path clip = tmp.resolve("clip.mp4");
            Ffmpeg.makeClip(clip, 160, 96, 25, 3.0);
            try (ObjectStore store = new ObjectStore(settings)) {
                store.ensureBucket("ingest");
                store.ensureBucket("renditions");
                store.client()
                        .uploadObject(UploadObjectArgs.builder()
                                .bucket("ingest")
                                .object("o/clip.mp4")
                                .filename(clip.toString())
                                .build());
            }
            try (WorkerApp worker = WorkerApp.start(settings(kafka, settings));
                    JobPublisher jobs = new JobPublisher(kafka.bootstrapServers(), "vsr.jobs", json);
                    EventStream events = new EventStream(kafka.bootstrapServers(), "vsr.events")) {
                // 1: the store goes away as the job is accepted, before its first request to S3 (stat, download)
                // 2: the store goes away while frames are upscaled, so the upload meets the outage
                String[][] cases = {{"outage-download", "ai.fastvsr.job.accepted"}, {"outage-upload", "INFERENCE"}};
                for (String[] c : cases) {
                    String id = c[0];
                    jobs.publish(new JobRequest(
                            id,
                            new ObjectRef("s3://ingest/o/clip.mp4", null),
                            new ObjectRef("s3://renditions/o/" + id + ".mp4", null),
                            null,
                            4,
                            null,
                            Map.of()));
                    await(
                            events,
                            e -> id.equals(e.getSubject()) && (e.getType().equals(c[1]) || phase(e).equals(c[1])));
                    s3[0].close();
                    long down = System.nanoTime();
                    Thread.sleep(20_000);
                    s3[0] = EmbeddedS3.start(port, s3Data, "outage", SECRET);
                    CloudEvent last = events.awaitFinal(id, Duration.ofMinutes(2), e -> {});
                    assertNotNull(last, id);
                    assertEquals("ai.fastvsr.job.completed", last.getType(), id + ": " + data(last));
                    System.out.printf(
                            "%s: completed %.1f s after S3 went down for 20 s%n", id, (System.nanoTime() - down) / 1e9);
                }
            }
        } finally {
            s3[0].close();
        }
    }

    @Test
    void kafkaRestartMidJobLosesNothing() throws Exception {
        Path kafkaData = tmp.resolve("kafka");
        EmbeddedKafka[] kafka = {EmbeddedKafka.start(0, kafkaData)};
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, null, "outage", SECRET)) {
            String bootstrap = kafka[0].bootstrapServers();
            kafka[0].createTopics(List.of("vsr.jobs", "vsr.events", "vsr.jobs.dlq"), 1);
            Path clip = tmp.resolve("clip.mp4");
            Ffmpeg.makeClip(clip, 160, 96, 25, 4.0);
            try (ObjectStore store = new ObjectStore(s3.settings())) {
                store.ensureBucket("ingest");
                store.ensureBucket("renditions");
                store.client()
                        .uploadObject(UploadObjectArgs.builder()
                                .bucket("ingest")
                                .object("k/clip.mp4")
                                .filename(clip.toString())
                                .build());
            }
            try (WorkerApp worker = WorkerApp.start(settings(kafka[0], s3.settings()))) {
                try (JobPublisher jobs = new JobPublisher(bootstrap, "vsr.jobs", json);
                        EventStream events = new EventStream(bootstrap, "vsr.events")) {
                    jobs.publish(new JobRequest(
                            "kafka-restart",
                            new ObjectRef("s3://ingest/k/clip.mp4", null),
                            new ObjectRef("s3://renditions/k/out.mp4", null),
                            null,
                            4,
                            null,
                            Map.of()));
                    await(events, e -> "kafka-restart".equals(e.getSubject()) && phase(e).equals("INFERENCE"));
                }
                kafka[0].close();
                Thread.sleep(5_000);
                kafka[0] = EmbeddedKafka.start(0, kafkaData);
                assertEquals(bootstrap, kafka[0].bootstrapServers(), "same broker address after restart");
                try (EventStream events = new EventStream(bootstrap, "vsr.events")) {
                    List<JsonNode> completed = new ArrayList<>();
                    events.follow(Duration.ofMinutes(3), e -> {
                        if ("kafka-restart".equals(e.getSubject())
                                && e.getType().endsWith("completed")) {
                            completed.add(data(e));
                        }
                        return completed.isEmpty();
                    });
                    assertEquals(1, completed.size(), "the job completed after the broker came back");
                    // anything more for this job within a while may only be a redelivery answered from metadata
                    for (CloudEvent e : events.drain(Duration.ofSeconds(8))) {
                        if ("kafka-restart".equals(e.getSubject())
                                && e.getType().endsWith("completed")) {
                            assertTrue(data(e).path("redelivered").asBoolean(), "rendered twice: " + data(e));
                        }
                    }
                }
            }
        } finally {
            kafka[0].close();
        }
    }

    private WorkerSettings settings(EmbeddedKafka kafka, S3Settings s3) throws Exception {
        return new WorkerSettings(
                        kafka.bootstrapServers(),
                        "outage",
                        Topics.DEFAULT,
                        600_000,
                        s3,
                        Path.of("models/reference-x4"),
                        Path.of("camel-routes"),
                        ScratchDirs.create("fastvsr-outage-"),
                        EngineSettings.cpu(1),
                        Guardrails.DEFAULT)
                .withObservability(new WorkerSettings.Observability(-1, Duration.ofMillis(100)));
    }

    private static void await(EventStream events, Predicate<CloudEvent> what) {
        boolean[] found = {false};
        events.follow(Duration.ofMinutes(2), e -> {
            found[0] = what.test(e);
            return !found[0];
        });
        assertTrue(found[0], "event not seen");
    }

    private String phase(CloudEvent e) {
        return e.getType().endsWith("progress") ? data(e).path("phase").asText() : "";
    }

    private JsonNode data(CloudEvent e) {
        try {
            return json.readTree(e.getData().toBytes());
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
