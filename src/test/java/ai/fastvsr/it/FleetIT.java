package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.testing.Fleet;
import ai.fastvsr.testing.WorkerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers as separate JVMs in one consumer group, on a real broker and S3 server: a fleet that loses members —
 * gracefully (SIGTERM) or not (SIGKILL) — still completes every job exactly once as far as outputs go.
 */
class FleetIT {
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void threeWorkersSixPartitionsThirtyJobsWithOneStoppedAndOneStartedMidway() throws Exception {
        try (Fleet fleet = Fleet.start(6, tmp)) {
            fleet.uploadClip("fleet/clip.mp4", 64, 48, 10, 1.0);

            // one worker alone, for the throughput baseline
            List<WorkerProcess> workers = new ArrayList<>();
            try {
                workers.add(fleet.worker("w1", "fleet").awaitReady());
                double soloPerMin = run(fleet, "solo", 10, () -> {});

                workers.add(fleet.worker("w2", "fleet").awaitReady());
                workers.add(fleet.worker("w3", "fleet").awaitReady());
                Map<String, Integer> byWorker = new HashMap<>();
                double fleetPerMin = run(
                        fleet,
                        "fleet",
                        30,
                        new Runnable() {
                            int seen;

                            @Override
                            public void run() {
                                if (++seen == 10) {
                                    try {
                                        WorkerProcess first = workers.get(0);
                                        long t = System.nanoTime();
                                        int exit = first.stop();
                                        long took = (System.nanoTime() - t) / 1_000_000;
                                        String log = first.log();
                                        assertEquals(0, exit, () -> "graceful stop exits 0:\n" + log);
                                        System.out.printf(
                                                "fleet: w1 stopped (SIGTERM) in %d ms; its drain:%n%s%n",
                                                took,
                                                log.lines()
                                                        .filter(l -> l.contains("stopp") || l.contains(" took "))
                                                        .collect(Collectors.joining("\n")));
                                        assertTrue(
                                                log.contains("WorkerApp - stopped after "),
                                                "the drain ran to its end:\n" + log);
                                        workers.add(fleet.worker("w4", "fleet"));
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                }
                            }
                        },
                        byWorker);
                System.out.printf(
                        "fleet: 1 worker %.1f jobs/min, 3 workers %.1f jobs/min (2 cores); jobs per worker %s%n",
                        soloPerMin, fleetPerMin, byWorker);
                assertEquals(30, countOutputs(fleet.s3(), "fleet/fleet-"), "exactly one output object per job");
            } finally {
                for (WorkerProcess w : workers) {
                    w.close();
                }
            }
        }
    }

    @Test
    void killNineMidJobFiveTimesLosesNothingAndDuplicatesNothing() throws Exception {
        try (Fleet fleet = Fleet.start(2, tmp)) {
            fleet.uploadClip("kill/long.mp4", 160, 96, 25, 6.0);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = "kill-" + i;
                ids.add(id);
                try (WorkerProcess victim =
                        fleet.worker("victim" + i, "killers").awaitReady()) {
                    fleet.jobs().publish(job(id, "kill/long.mp4", "kill/" + id + ".mp4"));
                    CloudEvent accepted = fleet.awaitType(id, "ai.fastvsr.job.accepted");
                    assertTrue(json.readTree(accepted.getData().toBytes())
                            .path("worker")
                            .path("host")
                            .asText()
                            .startsWith("victim"));
                    Thread.sleep(700);
                    victim.kill();
                }
            }
            try (WorkerProcess survivor = fleet.worker("survivor", "killers").awaitReady();
                    EventStream all = new EventStream(fleet.servers().kafkaBootstrap(), "vsr.events")) {
                Set<String> completed = new HashSet<>();
                all.follow(Duration.ofMinutes(4), e -> {
                    if (e.getType().endsWith("completed")) {
                        completed.add(e.getSubject());
                    }
                    return completed.size() < ids.size();
                });
                assertEquals(new HashSet<>(ids), completed, "completed events deduped by jobId");
            }
            assertEquals(5, countOutputs(fleet.s3(), "kill/kill-"));
            for (String id : ids) {
                assertEquals(
                        id,
                        fleet.s3()
                                .statObject(StatObjectArgs.builder()
                                        .bucket(EmbeddedStack.RENDITIONS_BUCKET)
                                        .object("kill/" + id + ".mp4")
                                        .build())
                                .userMetadata()
                                .get("jobid"));
            }
        }
    }

    @Test
    void sigtermAbandonsALongJobUncommittedAndAnotherWorkerFinishesIt() throws Exception {
        try (Fleet fleet = Fleet.start(1, tmp)) {
            fleet.uploadClip("term/longer.mp4", 320, 192, 25, 30.0);
            WorkerProcess first = fleet.worker("terminated", "term", "--shutdown-grace-s", "2")
                    .awaitReady();
            fleet.jobs().publish(job("term-1", "term/longer.mp4", "term/out.mp4"));
            fleet.awaitType("term-1", "ai.fastvsr.job.accepted");
            Thread.sleep(1000);
            long t0 = System.nanoTime();
            assertEquals(0, first.stop(), "SIGTERM exits 0:\n" + first.log());
            double seconds = (System.nanoTime() - t0) / 1e9;
            Files.writeString(Path.of("target/terminated.log"), first.log());
            assertTrue(seconds < 30, "stopped in " + seconds + " s");
            assertTrue(first.log().contains("job term-1: abandoned at shutdown"), first.log());
            try (var left = Files.list(tmp.resolve("terminated-work"))) {
                assertEquals(List.of(), left.toList(), "temp files of the abandoned job");
            }
            try (WorkerProcess second = fleet.worker("successor", "term").awaitReady()) {
                List<String> types = new ArrayList<>();
                CloudEvent last =
                        fleet.events().awaitFinal("term-1", Duration.ofMinutes(3), e -> types.add(e.getType()));
                assertEquals("ai.fastvsr.job.completed", last.getType(), types.toString());
                assertTrue(!types.contains("ai.fastvsr.job.failed"), "an abandoned job is not failed: " + types);
                assertEquals(
                        "successor",
                        json.readTree(last.getData().toBytes())
                                .path("worker")
                                .path("host")
                                .asText());
            }
        }
    }

    @Test
    void jsonLogsCarryTheJobIdOnEveryLineOfTheJob() throws Exception {
        try (Fleet fleet = Fleet.start(1, tmp)) {
            fleet.uploadClip("json/clip.mp4", 64, 48, 10, 1.0);
            WorkerProcess worker = fleet.worker("jsonlogs", "json", Map.of("FASTVSR_LOG_FORMAT", "json"))
                    .awaitReady();
            try {
                fleet.jobs().publish(job("json-1", "json/clip.mp4", "json/out.mp4"));
                fleet.jobs().publish(job("json-2", "json/missing.mp4", "json/none.mp4"));
                fleet.awaitType("json-1", "ai.fastvsr.job.completed");
                fleet.awaitType("json-2", "ai.fastvsr.job.failed");
            } finally {
                worker.stop();
            }
            List<JsonNode> lines = new ArrayList<>();
            for (String line : worker.log().split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(json.readTree(line));
                }
            }
            int jobLines = 0;
            for (JsonNode line : lines) {
                String message = line.path("message").asText();
                for (String id : List.of("json-1", "json-2")) {
                    if (message.contains("job " + id)) {
                        jobLines++;
                        assertEquals(id, line.path("jobId").asText(), "no jobId on: " + line);
                    }
                }
            }
            assertTrue(jobLines >= 4, "job lines seen: " + jobLines + " in\n" + worker.log());
            assertTrue(lines.size() >= jobLines, "JSON lines");
        }
    }

    /** Publishes n jobs and waits for all completed events; returns jobs per minute. */
    private double run(Fleet fleet, String prefix, int n, Runnable onCompleted) throws Exception {
        return run(fleet, prefix, n, onCompleted, new HashMap<>());
    }

    private double run(Fleet fleet, String prefix, int n, Runnable onCompleted, Map<String, Integer> byWorker)
            throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            fleet.jobs().publish(job(id, "fleet/clip.mp4", "fleet/" + id + ".mp4"));
        }
        Set<String> done = new HashSet<>();
        boolean all = fleet.events().follow(Duration.ofMinutes(5), e -> {
            if (e.getSubject().startsWith(prefix + "-")
                    && e.getType().endsWith("completed")
                    && done.add(e.getSubject())) {
                try {
                    byWorker.merge(
                            json.readTree(e.getData().toBytes())
                                    .path("worker")
                                    .path("host")
                                    .asText(),
                            1,
                            Integer::sum);
                } catch (IOException ignored) {
                    // counted anyway
                }
                onCompleted.run();
            }
            return done.size() < n;
        });
        assertTrue(all, "only " + done.size() + " of " + n + " completed");
        return n / ((System.nanoTime() - start) / 60e9);
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

    private static int countOutputs(MinioClient s3, String prefix) throws Exception {
        int n = 0;
        for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder()
                .bucket(EmbeddedStack.RENDITIONS_BUCKET)
                .prefix(prefix)
                .recursive(true)
                .build())) {
            r.get();
            n++;
        }
        return n;
    }
}
