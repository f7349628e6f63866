package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.attempts.Attempt;
import ai.fastvsr.attempts.AttemptHistory;
import ai.fastvsr.attempts.KafkaAttemptStore;
import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.storage.OrphanParts;
import ai.fastvsr.testing.Fleet;
import ai.fastvsr.testing.TopicRecords;
import ai.fastvsr.testing.WorkerProcess;
import ai.fastvsr.worker.DeadLetters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that takes down every worker that runs it, on a real broker and S3 server with worker JVMs: the test kills
 * (SIGKILL) whichever worker reports having accepted it, as a native crash or the OOM killer would. After three such
 * deaths the next worker quarantines the job instead of running it, and every later delivery is answered from the
 * quarantine record.
 */
class CrashLoopIT {
    private static final String GROUP = "crashers";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aJobThatKillsItsWorkersIsQuarantinedAfterThreeCrashesAndNeverRunsAgain() throws Exception {
        try (Fleet fleet = Fleet.start(1, tmp);
                OrphanParts parts = new OrphanParts(fleet.servers().s3())) {
            fleet.uploadClip("crash/long.mp4", 160, 96, 25, 6.0);
            fleet.uploadClip("crash/clip.mp4", 64, 48, 10, 1.0);
            String bootstrap = fleet.servers().kafkaBootstrap();
            S3Location out = S3Location.parse("s3://renditions/crash/crasher.mp4");
            List<WorkerProcess> workers = new ArrayList<>();
            try {
                workers.add(worker(fleet, 1).awaitReady());
                workers.add(worker(fleet, 2).awaitReady());
                JobRequest crasher = job("crasher", "crash/long.mp4", "crash/crasher.mp4");
                fleet.jobs().publish(crasher);

                List<String> killed = new ArrayList<>();
                long firstAccepted = 0;
                for (int crash = 1; crash <= 3; crash++) {
                    CloudEvent accepted = fleet.awaitType("crasher", "ai.fastvsr.job.accepted");
                    firstAccepted = crash == 1 ? System.nanoTime() : firstAccepted;
                    String host = data(accepted).path("worker").path("host").asText();
                    // what a worker killed mid-upload leaves on the output key
                    parts.leave(out);
                    WorkerProcess victim = workers.stream()
                            .filter(w -> w.name().equals(host))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("accepted by an unknown worker " + host));
                    victim.kill();
                    killed.add(host);
                    workers.add(worker(fleet, 2 + crash)); // keeps two workers in the group
                }

                List<String> types = new ArrayList<>();
                CloudEvent last =
                        fleet.events().awaitFinal("crasher", Duration.ofMinutes(3), e -> types.add(e.getType()));
                assertNotNull(last, "no final event for the crasher");
                System.out.printf(
                        "crash loop: quarantined %.1f s after the crasher was first accepted (3 kills)%n",
                        (System.nanoTime() - firstAccepted) / 1e9);
                JsonNode failed = data(last);
                assertEquals("ai.fastvsr.job.failed", last.getType(), failed.toString());
                assertEquals("CRASH_LOOP", failed.path("errorCode").asText());
                assertFalse(failed.path("retryable").asBoolean());
                assertEquals(4, failed.path("attempt").asInt(), "the fourth delivery");
                assertEquals(killed, workersOf(failed.path("crashedAttempts")), "the crashed attempts, in order");
                failed.path("crashedAttempts")
                        .forEach(a -> assertFalse(a.path("startedAt").asText().isEmpty()));
                assertFalse(types.contains("ai.fastvsr.job.accepted"), "not run a fourth time: " + types);
                String quarantiner = failed.path("worker").path("host").asText();
                assertFalse(killed.contains(quarantiner));

                // the original, as it came, on the dead-letter topic with the attempt history in headers
                List<ConsumerRecord<String, byte[]>> dead = TopicRecords.all(bootstrap, "vsr.jobs.dlq");
                assertEquals(1, dead.size());
                ConsumerRecord<String, byte[]> letter = dead.get(0);
                assertEquals(
                        "crasher", json.readTree(letter.value()).path("jobId").asText());
                assertEquals(
                        new String(
                                TopicRecords.all(bootstrap, "vsr.jobs").get(0).value()),
                        new String(letter.value()),
                        "the original bytes");
                assertEquals("CRASH_LOOP", TopicRecords.header(letter, DeadLetters.ERROR_CODE));
                assertEquals("3", TopicRecords.header(letter, DeadLetters.ATTEMPT_COUNT));
                assertEquals(killed, workersOf(json.readTree(TopicRecords.header(letter, DeadLetters.ATTEMPTS))));
                assertEquals("vsr.jobs", TopicRecords.header(letter, DeadLetters.ORIGINAL_TOPIC));
                assertEquals(
                        letter.offset(),
                        failed.path("deadLetter").path("offset").asLong());
                assertEquals(
                        "vsr.jobs.dlq", failed.path("deadLetter").path("topic").asText());

                assertEquals(
                        1,
                        TopicRecords.awaitCommitted(bootstrap, GROUP, "vsr.jobs", 1, Duration.ofSeconds(30)),
                        "the job's offset committed");
                assertEquals(List.of(), parts.inProgress(out), "the crashed attempts' uploads were aborted");
                assertFalse(exists(fleet, "crash/crasher.mp4"), "no output object");
                String metrics = metrics(workers, quarantiner);
                assertTrue(metrics.contains("fastvsr_jobs_quarantined_total 1.0"), metrics);
                assertTrue(metrics.contains("fastvsr_jobs_failed_total{errorCode=\"CRASH_LOOP\"} 1.0"), metrics);

                // delivered again (a producer retrying, an operator replaying): answered, never run, never re-queued
                fleet.jobs().publish(crasher);
                types.clear();
                CloudEvent again =
                        fleet.events().awaitFinal("crasher", Duration.ofMinutes(2), e -> types.add(e.getType()));
                assertNotNull(again);
                assertEquals("CRASH_LOOP", data(again).path("errorCode").asText());
                assertEquals(failed.path("deadLetter"), data(again).path("deadLetter"), "from the quarantine record");
                assertEquals(failed.path("crashedAttempts"), data(again).path("crashedAttempts"));
                assertEquals(List.of("ai.fastvsr.job.failed"), types, "no accepted event, nothing run");
                assertEquals(1, TopicRecords.all(bootstrap, "vsr.jobs.dlq").size(), "dead-lettered once");

                // and the fleet keeps serving
                fleet.jobs().publish(job("after", "crash/clip.mp4", "crash/after.mp4"));
                CloudEvent done = fleet.events().awaitFinal("after", Duration.ofMinutes(2), e -> {});
                assertEquals(
                        "ai.fastvsr.job.completed", done.getType(), data(done).toString());
                assertEquals(3, TopicRecords.awaitCommitted(bootstrap, GROUP, "vsr.jobs", 3, Duration.ofSeconds(30)));
                for (WorkerProcess w : workers) {
                    if (w.isAlive() && Files.isDirectory(tmp.resolve(w.name() + "-work"))) {
                        try (var left = Files.list(tmp.resolve(w.name() + "-work"))) {
                            assertEquals(
                                    List.of(),
                                    left.filter(p -> p.getFileName().toString().startsWith("job-"))
                                            .toList(),
                                    "temp dirs of " + w.name());
                        }
                    }
                }
            } finally {
                for (WorkerProcess w : workers) {
                    w.close();
                }
            }
        }
    }

    @Test
    void aStartingWorkerAbortsTheUploadsThatAttemptsOfDeadWorkersLeft() throws Exception {
        try (Fleet fleet = Fleet.start(1, tmp);
                OrphanParts parts = new OrphanParts(fleet.servers().s3())) {
            String bootstrap = fleet.servers().kafkaBootstrap();
            S3Location stranded = S3Location.parse("s3://renditions/sweep/stranded.mp4");
            S3Location foreign = S3Location.parse("s3://renditions/sweep/other-fleet.mp4");
            // as a worker killed mid-upload leaves them: its attempt open in the store, its parts on the key; and
            // the same from a worker of another group, whose liveness this group cannot tell
            try (KafkaAttemptStore store = new KafkaAttemptStore(bootstrap, Map.of(), "vsr.jobs.attempts", json)) {
                store.write(new AttemptHistory(
                        "stranded",
                        List.of(new Attempt(
                                "a1",
                                1,
                                "gone",
                                "fastvsr-gone-1-dead",
                                GROUP,
                                "2026-11-25T10:00:00Z",
                                stranded.toString())),
                        null));
                store.write(new AttemptHistory(
                        "foreign",
                        List.of(new Attempt(
                                "a2",
                                1,
                                "elsewhere",
                                "fastvsr-elsewhere-1-beef",
                                "gpu-fleet",
                                "2026-11-25T10:00:00Z",
                                foreign.toString())),
                        null));
            }
            parts.leave(stranded);
            parts.leave(stranded);
            parts.leave(foreign);
            try (WorkerProcess w = fleet.worker("sweeper", GROUP).awaitReady()) {
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                while (!w.log().contains("start-up sweep:") && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(
                        w.log().contains("start-up sweep: 2 multipart upload(s) of crashed attempts aborted"), w.log());
            }
            assertEquals(List.of(), parts.inProgress(stranded));
            assertEquals(1, parts.inProgress(foreign).size(), "another group's upload is left to its own fleet");
        }
    }

    private WorkerProcess worker(Fleet fleet, int n) throws IOException {
        return fleet.worker("crash" + n, GROUP, "--http-port", "0");
    }

    private JsonNode data(CloudEvent e) throws IOException {
        return json.readTree(e.getData().toBytes());
    }

    private static List<String> workersOf(JsonNode attempts) {
        List<String> workers = new ArrayList<>();
        attempts.forEach(a -> workers.add(a.path("worker").asText()));
        return workers;
    }

    private static boolean exists(Fleet fleet, String key) throws Exception {
        try {
            fleet.s3()
                    .statObject(StatObjectArgs.builder()
                            .bucket(EmbeddedStack.RENDITIONS_BUCKET)
                            .object(key)
                            .build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        }
    }

    private static String metrics(List<WorkerProcess> workers, String name) throws Exception {
        WorkerProcess w =
                workers.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + w.httpPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static JobRequest job(String id, String inKey, String outKey) {
        return new JobRequest(
                id,
                new ObjectRef("s3://ingest/" + inKey, null),
                new ObjectRef("s3://renditions/" + outKey, null),
                null,
                4,
                null,
                Map.of());
    }
}
