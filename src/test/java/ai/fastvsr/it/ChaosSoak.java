package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.attempts.KafkaAttemptStore;
import ai.fastvsr.embedded.EmbeddedKafka;
import ai.fastvsr.embedded.EmbeddedS3;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.job.JobPublisher;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.storage.OrphanParts;
import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.WorkerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.messages.Item;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The randomized chaos soak (issue 16), bounded to 6 minutes. Three worker JVMs in one group on a real broker and
 * S3 server (in this JVM, each restartable on its own data); 100 jobs, one of them a "crasher": whichever worker
 * accepts it is killed (SIGKILL) at once, as a native crash would. Meanwhile a random worker that is running a job
 * is killed every 10-20 s, the broker is restarted once and S3 goes away for 20 s. A killed worker is replaced at
 * once by a new JVM on the same work dir, as a restarted pod would be.
 *
 * <p>Not part of {@code mvn verify} (it would add ~5 minutes to CI's 2 cores): run it with {@code bash .ci/soak}.
 * {@code -Dsoak.seed=N} replays a schedule; the seed is printed.
 */
class ChaosSoak {
    private static final int JOBS = 100;
    private static final int CRASHER = 10;
    private static final int MAX_CRASHES = 3;
    private static final Duration BOUND = Duration.ofMinutes(6);
    private static final String GROUP = "soak";
    private static final String BUCKET = "renditions";
    private static final Pattern METRIC = Pattern.compile(
            "^(fastvsr_jobs_(?:completed|quarantined)_total|"
                    + "fastvsr_jobs_failed_total\\{errorCode=\"CRASH_LOOP\"\\}) ([0-9.]+)$",
            Pattern.MULTILINE);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path tmp;

    private String bootstrap;
    private S3Settings s3Settings;
    private final WorkerProcess[] slots = new WorkerProcess[3];
    private final int[] lives = new int[3];
    /** The last metrics of each worker life: scraped right before it was killed, or at the end. */
    private final Map<String, Map<String, Double>> metricsByWorker = new TreeMap<>();

    private final Set<String> killedWorkers = new TreeSet<>();

    @Test
    void hundredJobsThroughRandomKillsABrokerRestartAndAnS3Outage() throws Exception {
        long seed = Long.getLong("soak.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("soak: seed " + seed);
        Path kafkaData = tmp.resolve("kafka");
        Path s3Data = tmp.resolve("s3");
        EmbeddedKafka[] kafka = {EmbeddedKafka.start(0, kafkaData)};
        EmbeddedS3[] s3 = {EmbeddedS3.start(0, s3Data, "soak", "soak-secret")};
        bootstrap = kafka[0].bootstrapServers();
        s3Settings = s3[0].settings();
        int s3Port = URI.create(s3Settings.endpoint()).getPort();
        int kills = 0;
        int crasherKills = 0;
        try (ObjectStore store = new ObjectStore(s3Settings);
                OrphanParts parts = new OrphanParts(s3Settings)) {
            kafka[0].createTopics(List.of("vsr.jobs", "vsr.events", "vsr.jobs.dlq"), 6);
            store.ensureBucket("ingest");
            store.ensureBucket(BUCKET);
            upload(store, "soak/clip.mp4", 64, 48, 10, 1.0);
            upload(store, "soak/long.mp4", 160, 96, 25, 6.0);
            for (int slot = 0; slot < slots.length; slot++) {
                start(slot);
            }
            for (WorkerProcess w : slots) {
                w.awaitReady();
            }

            Map<String, JobRequest> jobs = new LinkedHashMap<>();
            for (int i = 0; i < JOBS; i++) {
                String id = i == CRASHER ? "crasher" : String.format("soak-%03d", i);
                jobs.put(
                        id,
                        new JobRequest(
                                id,
                                new ObjectRef("s3://ingest/soak/" + (i == CRASHER ? "long.mp4" : "clip.mp4"), null),
                                new ObjectRef("s3://" + BUCKET + "/soak/" + id + ".mp4", null),
                                null,
                                4,
                                null,
                                Map.of()));
            }
            S3Location crasherOut =
                    S3Location.parse(jobs.get("crasher").output().uri());
            long t0 = System.nanoTime();
            try (JobPublisher publisher = new JobPublisher(bootstrap, "vsr.jobs", json)) {
                for (JobRequest job : jobs.values()) {
                    publisher.publish(job);
                }
            }

            List<JsonNode> completed = new ArrayList<>();
            List<JsonNode> failed = new ArrayList<>();
            Set<String> done = new TreeSet<>();
            Map<String, String> running = new HashMap<>();
            Set<String> seen = new HashSet<>();
            long nextKill = t0 + seconds(10 + random.nextInt(11));
            long brokerRestartAt = t0 + seconds(25 + random.nextInt(20));
            long s3OutageAt = t0 + seconds(50 + random.nextInt(30));
            long s3BackAt = Long.MAX_VALUE;
            boolean brokerRestarted = false;
            boolean s3Outage = false;
            double brokerDownS = 0;
            try (EventStream events = new EventStream(bootstrap, "vsr.events")) {
                while (done.size() < JOBS || !brokerRestarted || !s3Outage || s3BackAt != Long.MAX_VALUE) {
                    long now = System.nanoTime();
                    assertTrue(
                            now - t0 < BOUND.toNanos(),
                            "soak not done within " + BOUND + ": " + done.size() + " of " + JOBS
                                    + " jobs final, missing " + missing(jobs.keySet(), done));
                    for (CloudEvent e : events.drain(Duration.ofMillis(300))) {
                        if (!seen.add(e.getId())) {
                            // this test's own reader, after the broker restart, may read events again from the start
                            continue;
                        }
                        JsonNode data = json.readTree(e.getData().toBytes());
                        String host = data.path("worker").path("host").asText();
                        switch (e.getType()) {
                            case "ai.fastvsr.job.accepted" -> {
                                running.put(host, e.getSubject());
                                if ("crasher".equals(e.getSubject())) {
                                    // the crasher takes down whoever runs it; a crash mid-upload leaves parts
                                    if (s3BackAt == Long.MAX_VALUE) {
                                        parts.leave(crasherOut);
                                    }
                                    int slot = slotOf(host);
                                    if (slot >= 0) {
                                        kill(slot);
                                        crasherKills++;
                                    }
                                }
                            }
                            case "ai.fastvsr.job.completed" -> {
                                running.remove(host, e.getSubject());
                                completed.add(data);
                                done.add(e.getSubject());
                            }
                            case "ai.fastvsr.job.failed" -> {
                                running.remove(host, e.getSubject());
                                failed.add(data);
                                done.add(e.getSubject());
                            }
                            default -> {}
                        }
                    }
                    now = System.nanoTime();
                    if (now >= nextKill && done.size() < JOBS) {
                        // the victim is a worker running a job (a kill mid-job is a crash the fleet must count);
                        // one that is still starting has nothing to lose, so the kill waits for a busy one
                        List<Integer> busy = new ArrayList<>();
                        for (int slot = 0; slot < slots.length; slot++) {
                            if (running.containsKey(slots[slot].name())) {
                                busy.add(slot);
                            }
                        }
                        if (!busy.isEmpty()) {
                            kill(busy.get(random.nextInt(busy.size())));
                            kills++;
                            nextKill = now + seconds(10 + random.nextInt(11));
                        }
                    }
                    if (!brokerRestarted && now >= brokerRestartAt) {
                        long down = System.nanoTime();
                        kafka[0].close();
                        Thread.sleep(5_000);
                        kafka[0] = EmbeddedKafka.start(0, kafkaData);
                        assertEquals(bootstrap, kafka[0].bootstrapServers());
                        brokerDownS = (System.nanoTime() - down) / 1e9;
                        System.out.printf(
                                "soak: broker restarted at %.0f s (down %.1f s), %d jobs final%n",
                                (down - t0) / 1e9, brokerDownS, done.size());
                        brokerRestarted = true;
                    }
                    if (!s3Outage && now >= s3OutageAt) {
                        s3[0].close();
                        s3BackAt = now + seconds(20);
                        s3Outage = true;
                        System.out.printf(
                                "soak: S3 down at %.0f s for 20 s, %d jobs final%n", (now - t0) / 1e9, done.size());
                    }
                    if (now >= s3BackAt) {
                        s3[0] = EmbeddedS3.start(s3Port, s3Data, "soak", "soak-secret");
                        s3BackAt = Long.MAX_VALUE;
                    }
                }
                double minutes = (System.nanoTime() - t0) / 60e9;
                // quiet: late redeliveries (answered from metadata or the quarantine record) come in now
                Thread.sleep(15_000);
                for (CloudEvent e : events.drain(Duration.ofSeconds(3))) {
                    if (!seen.add(e.getId())) {
                        continue;
                    }
                    JsonNode data = json.readTree(e.getData().toBytes());
                    if (e.getType().endsWith("completed")) {
                        completed.add(data);
                    } else if (e.getType().endsWith("failed")) {
                        failed.add(data);
                    }
                }
                System.out.printf(
                        "soak: %d jobs in %.2f min (%.1f jobs/min), %d random kills + %d crasher kills, "
                                + "%d completed events (%d redelivered), %d failed events%n",
                        JOBS,
                        minutes,
                        JOBS / minutes,
                        kills,
                        crasherKills,
                        completed.size(),
                        completed.stream()
                                .filter(c -> c.path("redelivered").asBoolean())
                                .count(),
                        failed.size());
            }
            for (WorkerProcess w : slots) {
                // the last replacements sweep their slot's work dir as they start
                w.awaitReady();
                scrape(w);
            }

            checkOutputsAndCompletedEvents(store, jobs.keySet(), completed, failed);
            checkCrasher(failed);
            assertEquals(List.of(), parts.inProgress(BUCKET), "multipart uploads in progress");
            for (int slot = 0; slot < slots.length; slot++) {
                try (var left = Files.list(workDir(slot))) {
                    assertEquals(List.of(), left.toList(), "temp files in slot " + slot + "'s work dir");
                }
            }
            String quarantiner;
            try (KafkaAttemptStore attempts = new KafkaAttemptStore(bootstrap, Map.of(), "vsr.jobs.attempts", json)) {
                quarantiner =
                        attempts.read("crasher").orElseThrow().quarantine().worker();
            }
            checkMetrics(completed, failed, quarantiner);
            System.out.println("soak: passed, metrics per worker life " + metricsByWorker);
        } finally {
            for (WorkerProcess w : slots) {
                if (w != null) {
                    w.close();
                }
            }
            keepLogs(seed);
            s3[0].close();
            kafka[0].close();
        }
    }

    /** One output object per normal job, written by it; all its completed events name that one object. */
    private void checkOutputsAndCompletedEvents(
            ObjectStore store, Set<String> ids, List<JsonNode> completed, List<JsonNode> failed) throws Exception {
        Map<String, Set<String>> etags = new HashMap<>();
        Map<String, Integer> firstHand = new HashMap<>();
        for (JsonNode c : completed) {
            String id = c.path("jobId").asText();
            etags.computeIfAbsent(id, k -> new TreeSet<>())
                    .add(c.path("outputs").path(0).path("etag").asText());
            if (!c.path("redelivered").asBoolean()) {
                firstHand.merge(id, 1, Integer::sum);
            }
        }
        List<String> objects = new ArrayList<>();
        for (Result<Item> r : store.client()
                .listObjects(ListObjectsArgs.builder()
                        .bucket(BUCKET)
                        .prefix("soak/")
                        .recursive(true)
                        .build())) {
            objects.add(r.get().objectName());
        }
        List<String> expected = ids.stream()
                .filter(id -> !id.equals("crasher"))
                .map(id -> "soak/" + id + ".mp4")
                .sorted()
                .toList();
        assertEquals(expected, objects.stream().sorted().toList(), "exactly one output object per normal job");
        for (String id : ids) {
            if (id.equals("crasher")) {
                continue;
            }
            assertEquals(
                    1, etags.getOrDefault(id, Set.of()).size(), id + ": one distinct completed event " + etags.get(id));
            var stat = store.client()
                    .statObject(StatObjectArgs.builder()
                            .bucket(BUCKET)
                            .object("soak/" + id + ".mp4")
                            .build());
            assertEquals(id, stat.userMetadata().get("jobid"));
            assertEquals(etags.get(id).iterator().next(), stat.etag().replace("\"", ""), id + ": the event's object");
        }
        // at least once: a job in flight when the broker restarts may be handed to a second worker while the first
        // still runs it (the same bytes, so the same etag): counted, not failed
        List<String> twice = firstHand.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        System.out.println("soak: jobs rendered by two workers: " + twice.size() + " " + twice);
        List<JsonNode> normalFailures = failed.stream()
                .filter(f -> !f.path("jobId").asText().equals("crasher"))
                .toList();
        assertEquals(List.of(), normalFailures, "normal jobs failed");
    }

    private void checkCrasher(List<JsonNode> failed) {
        List<JsonNode> crasher = failed.stream()
                .filter(f -> f.path("jobId").asText().equals("crasher"))
                .toList();
        assertTrue(!crasher.isEmpty(), "the crasher was not quarantined");
        for (JsonNode f : crasher) {
            assertEquals("CRASH_LOOP", f.path("errorCode").asText(), f.toString());
            // N crashed when it was quarantined; more only if a live worker's attempt died along with the last one
            assertTrue(f.path("crashedAttempts").size() >= MAX_CRASHES, f.toString());
            assertEquals(crasher.get(0).path("deadLetter"), f.path("deadLetter"), "one quarantine");
        }
        System.out.println("soak: crasher quarantined after " + crasher.get(0).path("crashedAttempts"));
    }

    /**
     * Every worker's counters against the events it published. A survivor's are scraped after the soak and agree
     * exactly; a killed worker's were scraped right before its SIGKILL, so a job it finished (or counted) in the
     * milliseconds between may differ by one.
     */
    private void checkMetrics(List<JsonNode> completed, List<JsonNode> failed, String quarantiner) {
        Map<String, Integer> completedBy = new HashMap<>();
        completed.forEach(c -> completedBy.merge(c.path("worker").path("host").asText(), 1, Integer::sum));
        Map<String, Integer> crashLoopBy = new HashMap<>();
        for (JsonNode f : failed) {
            if ("CRASH_LOOP".equals(f.path("errorCode").asText())) {
                crashLoopBy.merge(f.path("worker").path("host").asText(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Map<String, Double>> w : metricsByWorker.entrySet()) {
            String host = w.getKey();
            Map<String, Double> m = w.getValue();
            int slack = killedWorkers.contains(host) ? 1 : 0;
            // the quarantine record names the worker that quarantined the crasher (its event may be another's
            // answer, if it was killed before publishing)
            assertNear(
                    host.equals(quarantiner) ? 1 : 0,
                    m.getOrDefault("fastvsr_jobs_quarantined_total", 0.0),
                    slack,
                    host + " quarantines");
            assertNear(
                    completedBy.getOrDefault(host, 0),
                    m.getOrDefault("fastvsr_jobs_completed_total", 0.0),
                    slack,
                    host + " completed");
            assertNear(
                    crashLoopBy.getOrDefault(host, 0),
                    m.getOrDefault("fastvsr_jobs_failed_total{errorCode=\"CRASH_LOOP\"}", 0.0),
                    slack,
                    host + " CRASH_LOOP failures");
        }
        System.out.println(
                "soak: quarantined by " + quarantiner + (killedWorkers.contains(quarantiner) ? " (killed later)" : "")
                        + ", its counters " + metricsByWorker.get(quarantiner));
    }

    private static void assertNear(int events, double metric, int slack, String what) {
        assertTrue(Math.abs(events - metric) <= slack, what + ": " + events + " events, metric " + metric);
    }

    private void start(int slot) throws Exception {
        String name = "soak-s" + slot + "-" + ++lives[slot];
        slots[slot] = WorkerProcess.start(
                name,
                bootstrap,
                s3Settings,
                GROUP,
                tmp,
                "--work-dir",
                workDir(slot).toString(),
                "--http-port",
                "0",
                "--max-crashes",
                String.valueOf(MAX_CRASHES));
    }

    private Path workDir(int slot) {
        return tmp.resolve("slot-" + slot + "-work");
    }

    /** Scrapes its metrics, kills it (SIGKILL) and starts its replacement on the same work dir. */
    private void kill(int slot) throws Exception {
        WorkerProcess victim = slots[slot];
        scrape(victim);
        victim.kill();
        killedWorkers.add(victim.name());
        start(slot);
    }

    private void scrape(WorkerProcess w) {
        try {
            String body = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + w.httpPort() + "/metrics"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Map<String, Double> m = new HashMap<>();
            Matcher matcher = METRIC.matcher(body);
            while (matcher.find()) {
                m.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
            metricsByWorker.put(w.name(), m);
        } catch (Exception e) {
            // not up yet: it published no event either
            metricsByWorker.putIfAbsent(w.name(), Map.of());
        }
    }

    private int slotOf(String host) {
        for (int slot = 0; slot < slots.length; slot++) {
            if (slots[slot].name().equals(host)) {
                return slot;
            }
        }
        return -1;
    }

    private void upload(ObjectStore store, String key, int w, int h, int fps, double seconds) throws Exception {
        Path clip = tmp.resolve(key.replace('/', '-'));
        Ffmpeg.makeClip(clip, w, h, fps, seconds);
        store.client()
                .uploadObject(UploadObjectArgs.builder()
                        .bucket("ingest")
                        .object(key)
                        .filename(clip.toString())
                        .build());
    }

    /** The workers' logs, to target/soak-logs/SEED/ (the temp dir goes away with the test). */
    private void keepLogs(long seed) throws IOException {
        Path to = Path.of("target", "soak-logs", String.valueOf(seed));
        Files.createDirectories(to);
        try (var logs = Files.list(tmp)) {
            for (Path log : (Iterable<Path>) logs.filter(p -> p.toString().endsWith(".log"))::iterator) {
                Files.copy(log, to.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Set<String> missing(Set<String> all, Set<String> done) {
        Set<String> missing = new TreeSet<>(all);
        missing.removeAll(done);
        return missing;
    }

    private static long seconds(int s) {
        return Duration.ofSeconds(s).toNanos();
    }
}
