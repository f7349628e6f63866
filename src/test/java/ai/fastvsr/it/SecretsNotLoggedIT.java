package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.embedded.EmbeddedKafka;
import ai.fastvsr.embedded.EmbeddedS3;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.JobPublisher;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.worker.WorkerApp;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.UploadObjectArgs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every line the process prints during a worker's whole life and one job, searched for the S3 secret. */
class SecretsNotLoggedIT {
    @TempDir
    Path tmp;

    @Test
    void theS3SecretNeverAppearsInOutput() throws Exception {
        String secret = "S3CR3T-" + UUID.randomUUID();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(tee(out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(err, captured), true, StandardCharsets.UTF_8));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, null);
                EmbeddedS3 s3 = EmbeddedS3.start(0, null, "fastvsr-it", secret)) {
            kafka.createTopics(List.of("vsr.jobs", "vsr.events", "vsr.jobs.dlq"), 1);
            try (ObjectStore store = new ObjectStore(s3.settings())) {
                store.ensureBucket("ingest");
                store.ensureBucket("renditions");
                Path clip = tmp.resolve("in.mp4");
                Ffmpeg.makeClip(clip, 48, 32, 10, 0.5);
                store.client()
                        .uploadObject(UploadObjectArgs.builder()
                                .bucket("ingest")
                                .object("s/in.mp4")
                                .filename(clip.toString())
                                .build());
            }
            try (WorkerApp worker = WorkerApp.start(new WorkerSettings(
                            kafka.bootstrapServers(),
                            "secrets",
                            Topics.DEFAULT,
                            600_000,
                            s3.settings(),
                            Path.of("models/reference-x4"),
                            Path.of("camel-routes"),
                            tmp.resolve("work"),
                            EngineSettings.cpu(1),
                            Guardrails.DEFAULT));
                    JobPublisher jobs = new JobPublisher(kafka.bootstrapServers(), "vsr.jobs", new ObjectMapper());
                    EventStream events = new EventStream(kafka.bootstrapServers(), "vsr.events")) {
                System.out.println("settings: " + s3.settings());
                jobs.publish(new JobRequest(
                        "secret-job",
                        new ObjectRef("s3://ingest/s/in.mp4", null),
                        new ObjectRef("s3://renditions/s/out.mp4", null),
                        null,
                        4,
                        null,
                        Map.of()));
                jobs.publish(new JobRequest(
                        "secret-missing",
                        new ObjectRef("s3://ingest/s/none.mp4", null),
                        new ObjectRef("s3://renditions/s/none.mp4", null),
                        null,
                        4,
                        null,
                        Map.of()));
                CloudEvent done = events.awaitFinal("secret-job", Duration.ofMinutes(2), e -> {});
                assertEquals("ai.fastvsr.job.completed", done.getType());
                assertEquals(
                        "ai.fastvsr.job.failed",
                        events.awaitFinal("secret-missing", Duration.ofMinutes(2), e -> {})
                                .getType());
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String all = captured.toString(StandardCharsets.UTF_8);
        assertTrue(all.contains("secret-job"), "the capture saw the job's log lines");
        assertFalse(all.contains(secret), "the S3 secret appeared in the output");
    }

    private static OutputStream tee(OutputStream a, OutputStream b) {
        return new OutputStream() {
            @Override
            public void write(int x) throws IOException {
                a.write(x);
                b.write(x);
            }

            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                a.write(buf, off, len);
                b.write(buf, off, len);
            }
        };
    }
}
