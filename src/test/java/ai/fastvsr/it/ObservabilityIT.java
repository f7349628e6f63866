package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.JobPublisher;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.ScratchDirs;
import ai.fastvsr.testing.TestServers;
import ai.fastvsr.worker.WorkerApp;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Observability;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.cloudevents.CloudEvent;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health, readiness, metrics and progress events of real workers on a real broker: readiness means "this worker's
 * consumer holds a partition of the job topic", so of two workers on a one-partition topic only one is ready.
 */
class ObservabilityIT {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path tmp;

    @Test
    void readinessFollowsAssignmentAndJobsReportProgressAndMetrics() throws Exception {
        try (TestServers servers = TestServers.start(1)) {
            WorkerApp first = start(servers, "first");
            WorkerApp second;
            try {
                assertEquals(200, get(first, "/health/live").statusCode());
                awaitStatus(first, 200);
                second = start(servers, "second");
                // the only partition is the first worker's: the second one is alive but not ready
                assertEquals(200, get(second, "/health/live").statusCode());
                Thread.sleep(4000);
                HttpResponse<String> notReady = get(second, "/health/ready");
                assertEquals(503, notReady.statusCode(), notReady.body());
                assertTrue(notReady.body().contains("no partition of vsr.jobs"), notReady.body());
            } finally {
                first.close();
            }
            try (WorkerApp worker = second) {
                awaitStatus(worker, 200);
                runJobWithProgress(servers, worker);
            }
        }
    }

    private void runJobWithProgress(TestServers servers, WorkerApp worker) throws Exception {
        Path clip = tmp.resolve("clip.mp4");
        Ffmpeg.makeClip(clip, 160, 96, 25, 4.0);
        var s3 = servers.s3();
        try (MinioClient client = MinioClient.builder()
                        .endpoint(s3.endpoint())
                        .credentials(s3.accessKey(), s3.secretKey())
                        .build();
                JobPublisher jobs = new JobPublisher(servers.kafkaBootstrap(), "vsr.jobs", json);
                EventStream events = new EventStream(servers.kafkaBootstrap(), "vsr.events")) {
            client.uploadObject(UploadObjectArgs.builder()
                    .bucket(EmbeddedStack.INGEST_BUCKET)
                    .object("obs/clip.mp4")
                    .filename(clip.toString())
                    .build());
            jobs.publish(new JobRequest(
                    "obs-1",
                    new ObjectRef("s3://ingest/obs/clip.mp4", null),
                    new ObjectRef("s3://renditions/obs/clip.x4.mp4", null),
                    null,
                    4,
                    null,
                    Map.of("assetId", "A-1")));
            List<CloudEvent> seen = new ArrayList<>();
            CloudEvent last = events.awaitFinal("obs-1", Duration.ofMinutes(2), seen::add);
            assertNotNull(last);
            assertEquals("ai.fastvsr.job.completed", last.getType());

            JsonSchema schema;
            try (InputStream in = getClass().getResourceAsStream("/schemas/event-progress.schema.json")) {
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                        .getSchema(in);
            }
            List<String> phases = new ArrayList<>();
            boolean withFrames = false;
            for (CloudEvent e : seen) {
                if (!e.getType().equals("ai.fastvsr.job.progress")) {
                    continue;
                }
                JsonNode data = json.readTree(e.getData().toBytes());
                assertEquals(Set.of(), schema.validate(data), data.toString());
                phases.add(data.path("phase").asText());
                withFrames |= data.path("framesDone").asLong() > 0
                        && data.path("framesTotal").asLong() == 100;
                assertEquals("A-1", data.path("userMetadata").path("assetId").asText());
            }
            assertEquals(
                    List.of("DOWNLOADING", "INFERENCE", "UPLOADING"),
                    phases.stream().distinct().toList());
            assertTrue(withFrames, "a progress event with frame counts: " + phases);
        }
        String metrics = get(worker, "/metrics").body();
        assertTrue(metrics.contains("fastvsr_jobs_completed_total 1.0"), metrics);
        assertTrue(metrics.contains("fastvsr_queue_lag{partition=\"0\",topic=\"vsr.jobs\"}"), metrics);
        assertTrue(metrics.contains("fastvsr_model_info{"), metrics);
        assertTrue(metrics.contains("fastvsr_jobs_failed_total{errorCode=\"INPUT_NOT_FOUND\"} 0.0"), metrics);
        assertTrue(metrics.contains("fastvsr_job_phase_seconds_count{phase=\"process\"} 1"), metrics);
    }

    private WorkerApp start(TestServers servers, String name) throws Exception {
        return WorkerApp.start(new WorkerSettings(
                        servers.kafkaBootstrap(),
                        "obs-workers",
                        Topics.DEFAULT,
                        600_000,
                        servers.s3(),
                        Path.of("models/reference-x4"),
                        Path.of("camel-routes"),
                        ScratchDirs.create("fastvsr-obs-" + name + "-"),
                        EngineSettings.cpu(1),
                        Guardrails.DEFAULT)
                .withObservability(new Observability(0, Duration.ofMillis(100))));
    }

    private void awaitStatus(WorkerApp worker, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> r = get(worker, "/health/ready");
        while (r.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = get(worker, "/health/ready");
        }
        assertEquals(status, r.statusCode(), r.body());
    }

    private HttpResponse<String> get(WorkerApp worker, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.httpPort() + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
