package ai.fastvsr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Observability;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --concurrent-jobs 2} with static membership (as in k8s, group.instance.id = pod name) on a real broker:
 * two consumers join the group under their own instance ids instead of fencing each other, the worker is ready
 * with both, jobs on all four partitions complete, and two jobs really run at the same time.
 */
class ConcurrentJobsIT {
    private static final int PARTITIONS = 4;
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void twoConsumersWithTheirOwnStaticIdentitiesRunJobsAtOnce() throws Exception {
        Path clip = tmp.resolve("clip.mp4");
        Ffmpeg.makeClip(clip, 160, 96, 25, 4.0);
        try (TestServers servers = TestServers.start(PARTITIONS)) {
            Guardrails guardrails = new Guardrails(
                    Guardrails.DEFAULT.access(), Guardrails.DEFAULT.limits(), Guardrails.DEFAULT.retry(), "pod-7", 60);
            try (WorkerApp worker = WorkerApp.start(new WorkerSettings(
                            servers.kafkaBootstrap(),
                            "concurrent",
                            Topics.DEFAULT,
                            600_000,
                            servers.s3(),
                            Path.of("models/reference-x4"),
                            Path.of("camel-routes"),
                            ScratchDirs.create("fastvsr-concurrent-"),
                            EngineSettings.cpu(1),
                            guardrails)
                    .withObservability(new Observability(0, Duration.ofSeconds(5)))
                    .withConcurrentJobs(2))) {
                awaitReady(worker);
                List<String> members = instanceIds(servers.kafkaBootstrap());
                for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                        members.size() < 2 && System.nanoTime() < deadline; ) {
                    Thread.sleep(500);
                    members = instanceIds(servers.kafkaBootstrap());
                }
                assertEquals(List.of("pod-7-c0", "pod-7-c1"), members, "static members with partitions");

                var s3 = servers.s3();
                List<String> ids = jobIdsOnEveryPartition();
                try (MinioClient client = MinioClient.builder()
                                .endpoint(s3.endpoint())
                                .credentials(s3.accessKey(), s3.secretKey())
                                .build();
                        JobPublisher jobs = new JobPublisher(servers.kafkaBootstrap(), Topics.DEFAULT.jobs(), json);
                        EventStream events = new EventStream(servers.kafkaBootstrap(), Topics.DEFAULT.events())) {
                    client.uploadObject(UploadObjectArgs.builder()
                            .bucket(EmbeddedStack.INGEST_BUCKET)
                            .object("c/clip.mp4")
                            .filename(clip.toString())
                            .build());
                    for (String id : ids) {
                        jobs.publish(new JobRequest(
                                id,
                                new ObjectRef("s3://ingest/c/clip.mp4", null),
                                new ObjectRef("s3://renditions/c/" + id + ".mp4", null),
                                null,
                                4,
                                null,
                                Map.of()));
                    }
                    Map<String, OffsetDateTime> accepted = new HashMap<>();
                    Map<String, OffsetDateTime[]> spans = new HashMap<>();
                    Map<String, String> outcome = new HashMap<>();
                    boolean all = events.follow(Duration.ofMinutes(4), e -> {
                        String id = e.getSubject();
                        if (e.getType().equals("ai.fastvsr.job.accepted")) {
                            accepted.putIfAbsent(id, e.getTime());
                        } else if (e.getType().equals("ai.fastvsr.job.completed")
                                || e.getType().equals("ai.fastvsr.job.failed")) {
                            outcome.put(id, e.getType());
                            spans.put(id, new OffsetDateTime[] {accepted.get(id), e.getTime()});
                        }
                        return outcome.size() < ids.size();
                    });
                    assertTrue(all, "every job reported: " + outcome);
                    ids.forEach(id -> assertEquals("ai.fastvsr.job.completed", outcome.get(id), id));
                    assertTrue(overlapping(spans), "two jobs ran at once: " + describe(spans));
                }
                String metrics = get(worker, "/metrics").body();
                assertTrue(metrics.contains("fastvsr_jobs_concurrent_max 2.0"), metrics);
            }
        }
    }

    /** One jobId per partition, by Kafka's default partitioner (murmur2 of the key). */
    private static List<String> jobIdsOnEveryPartition() {
        String[] byPartition = new String[PARTITIONS];
        int found = 0;
        for (int i = 0; found < PARTITIONS; i++) {
            String id = "conc-" + i;
            int p = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (byPartition[p] == null) {
                byPartition[p] = id;
                found++;
            }
        }
        return List.of(byPartition);
    }

    private static boolean overlapping(Map<String, OffsetDateTime[]> spans) {
        List<OffsetDateTime[]> list = new ArrayList<>(spans.values());
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                if (list.get(i)[0].isBefore(list.get(j)[1]) && list.get(j)[0].isBefore(list.get(i)[1])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(Map<String, OffsetDateTime[]> spans) {
        StringBuilder b = new StringBuilder();
        spans.forEach((id, s) ->
                b.append(id).append(' ').append(s[0]).append("..").append(s[1]).append("; "));
        return b.toString();
    }

    private static List<String> instanceIds(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var members = admin.describeConsumerGroups(List.of("concurrent"))
                    .describedGroups()
                    .get("concurrent")
                    .get(10, TimeUnit.SECONDS)
                    .members();
            TreeSet<String> ids = new TreeSet<>();
            for (MemberDescription m : members) {
                if (!m.assignment().topicPartitions().isEmpty()) {
                    ids.add(m.groupInstanceId().orElse("(dynamic)"));
                }
            }
            return List.copyOf(ids);
        }
    }

    private static void awaitReady(WorkerApp worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        HttpResponse<String> r = get(worker, "/health/ready");
        while (r.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = get(worker, "/health/ready");
        }
        assertEquals(200, r.statusCode(), r.body());
    }

    private static HttpResponse<String> get(WorkerApp worker, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.httpPort() + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
