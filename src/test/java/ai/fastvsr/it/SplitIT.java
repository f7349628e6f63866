package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.attempts.Attempt;
import ai.fastvsr.attempts.AttemptHistory;
import ai.fastvsr.attempts.KafkaAttemptStore;
import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.JobRequest.Split;
import ai.fastvsr.job.Limits;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.storage.RetryPolicy;
import ai.fastvsr.testing.Buckets;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.FrameTimes;
import ai.fastvsr.testing.SplitInputs;
import ai.fastvsr.testing.TopicRecords;
import ai.fastvsr.testing.WorkerStack;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split parent on a real broker, S3 server, FFmpeg and the reference model: it cuts its input at keyframes by
 * stream copy (judged by Debian's ffmpeg: each piece decodes to exactly the input's frames), stores a manifest,
 * says how many segments in its progress event, its children run, and the last one's worker joins their
 * renditions into one output with the input's frame timestamps (VFR), audio and subtitle packets (ffprobe,
 * streamhash); one completed event; the split's objects are removed; a redelivered parent is answered from its
 * output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SplitIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    private WorkerStack stack;

    @BeforeAll
    void start() throws Exception {
        stack = WorkerStack.start(
                "it-split",
                EngineSettings.cpu(2),
                // allow-lists as in production: the children read their pieces from beside the output
                new Guardrails(
                        new AccessPolicy(List.of("ingest/it/"), List.of("renditions/it/")),
                        Limits.DEFAULT,
                        RetryPolicy.DEFAULT,
                        null,
                        30));
    }

    @AfterAll
    void stop() throws Exception {
        stack.close();
    }

    @Test
    void aSplitParentsChildrenAreJoinedIntoOneOutputWithTheInputsFramesTimesAudioAndSubtitles() throws Exception {
        Path input = tmp.resolve("in.mp4");
        SplitInputs.make(input, 64, 48, 8);
        String id = "it-split-" + UUID.randomUUID();
        upload(input, "it/" + id + ".mp4");
        JobRequest parent = splitParent(id, new Split(2.0, 2), Map.of("assetId", "A-1"));
        // the split area: outside the output allow-list (renditions/it/), in its bucket
        S3Location prefix = S3Location.parse("s3://renditions/fastvsr-splits/" + id + "/");

        List<CloudEvent> parentEvents = new ArrayList<>();
        JsonNode manifest;
        Map<String, List<String>> pieces = new HashMap<>();
        try (EventStream events = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
            stack.jobs().publish(parent);
            JsonNode progress = awaitSegments(events, id);
            assertEquals(4, progress.path("segments").asInt(), progress::toString);
            assertEquals(0, progress.path("segmentsDone").asInt());
            assertEquals("SPLITTING", progress.path("phase").asText());
            assertEquals("A-1", progress.path("userMetadata").path("assetId").asText());
            // the manifest and pieces, read while the children run (removed after the join)
            manifest = json.readTree(download(prefix.bucket(), prefix.key() + "manifest.json", "manifest.json")
                    .toFile());
            for (JsonNode part : manifest.path("segments")) {
                Path piece = download(S3Location.parse(part.path("segment").asText()), "piece-" + part.path("index"));
                pieces.put(part.path("index").asText(), Ffmpeg.frameMd5(piece));
            }
            CloudEvent last = events.awaitFinal(id, TIMEOUT, parentEvents::add);
            assertNotNull(last, "no final event for the parent");
            assertEquals(
                    "ai.fastvsr.job.completed",
                    last.getType(),
                    () -> new String(last.getData().toBytes()));
            // nothing more for the parent: exactly one completed event
            events.follow(Duration.ofSeconds(5), e -> {
                if (id.equals(e.getSubject())) {
                    parentEvents.add(e);
                }
                return true;
            });
        }

        // pieces: stream copies cut at keyframes (every 12 frames), segments on the encoder's keyframe grid (48
        // frames), each decoding to exactly the input's frames
        List<String> inputFrames = Ffmpeg.frameMd5(input);
        assertEquals(192, inputFrames.size());
        assertEquals(192, manifest.path("frames").asLong());
        long next = 0;
        for (JsonNode part : manifest.path("segments")) {
            long first = part.path("firstFrame").asLong();
            assertEquals(next, first, manifest::toString);
            assertEquals(0, first % 48, "cut on the keyframe grid: " + part);
            next = first + part.path("frameCount").asLong();
            List<String> frames = pieces.get(part.path("index").asText());
            int from = (int) (first - part.path("localFirst").asLong());
            assertEquals(inputFrames.subList(from, from + frames.size()), frames, "piece of segment " + part);
        }
        assertEquals(192, next);

        // the parent's events: accepted, progress (segments done 0..4, joining), exactly one completed
        List<String> types = parentEvents.stream().map(CloudEvent::getType).toList();
        assertEquals(1, types.stream().filter(t -> t.endsWith(".completed")).count(), types.toString());
        assertEquals(0, types.stream().filter(t -> t.endsWith(".failed")).count(), types.toString());
        JsonNode completed = json.readTree(parentEvents.stream()
                .filter(e -> e.getType().endsWith(".completed"))
                .findFirst()
                .orElseThrow()
                .getData()
                .toBytes());
        assertEquals(4, completed.path("segments").size(), completed::toString);
        assertEquals(
                id + ".s0003", completed.path("segments").path(3).path("jobId").asText());
        assertEquals(192, completed.path("outputs").path(0).path("frameCount").asLong());

        // the output, judged by ffprobe/ffmpeg: the input's frame count and every frame's timestamp (VFR kept),
        // the same audio packets, subtitle cues and chapters, 4x the size
        Path output = download(EmbeddedStack.RENDITIONS_BUCKET, "it/" + id + ".x4.mp4", "out.mp4");
        assertEquals(FrameTimes.of(input).micros(), FrameTimes.of(output).micros(), "frame times");
        assertEquals(Ffmpeg.packetHash(input, "0:a:0"), Ffmpeg.packetHash(output, "0:a:0"), "audio streamhash");
        String subtitles = Ffmpeg.subtitlesAsSrt(input);
        assertTrue(subtitles.contains("line 8"), subtitles);
        assertEquals(subtitles, Ffmpeg.subtitlesAsSrt(output), "subtitle cues and times");
        List<String> chapters = Ffmpeg.chapters(input);
        assertEquals(2, chapters.size(), "the test input's chapters");
        assertEquals(chapters, Ffmpeg.chapters(output), "chapters");
        JsonNode v = Ffmpeg.stream(Ffmpeg.probe(output), "video");
        assertEquals(256, v.path("width").asInt());
        assertEquals(192, v.path("nb_read_frames").asInt());

        // intermediates removed after the join
        assertEquals(List.of(), list(prefix), "objects left under the split's prefix");

        // the parent redelivered: answered from its output, nothing split again
        try (EventStream events =
                new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events(), Instant.now())) {
            stack.jobs().publish(parent);
            CloudEvent again = events.awaitFinal(id, TIMEOUT, e -> {});
            assertNotNull(again);
            assertTrue(
                    json.readTree(again.getData().toBytes()).path("redelivered").asBoolean());
        }
        assertEquals(List.of(), list(prefix), "a redelivered parent split again");

        // a second join job, as two children completing at once both publish: it finds the join announced (output
        // stored, split removed) and publishes no second completed; a later job on the same partition shows it was
        // consumed
        List<CloudEvent> afterSecondJoin = new ArrayList<>();
        try (EventStream events =
                new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events(), Instant.now())) {
            stack.jobs().publish(parent.joining(new JobRequest.Join(prefix.uri() + "manifest.json", 4)));
            JobRequest marker = new JobRequest(
                    id + "-after",
                    parent.input(),
                    new ObjectRef("s3://" + EmbeddedStack.RENDITIONS_BUCKET + "/it/" + id + "-after.x4.mp4", null),
                    null,
                    4,
                    null,
                    Map.of());
            stack.jobs().publish(marker);
            boolean markerDone = events.follow(TIMEOUT, e -> {
                afterSecondJoin.add(e);
                return !(marker.jobId().equals(e.getSubject()) && e.getType().endsWith(".completed"));
            });
            assertTrue(markerDone, "the job after the second join job did not complete");
        }
        // (its JOINING progress event, sent as any job's accepted before the work, is informative only)
        assertEquals(
                List.of(),
                afterSecondJoin.stream()
                        .filter(e -> id.equals(e.getSubject()) && !e.getType().endsWith(".progress"))
                        .toList(),
                "final events of the parent after a second join job");
        try (var left = Files.list(stack.workDir())) {
            assertEquals(List.of(), left.toList(), "temp files left in the work dir");
        }
    }

    /**
     * A child quarantined as CRASH_LOOP (three attempts that took their workers down, recorded in the attempt store
     * as killed workers leave them) fails its parent like any failed child: the segment named, no output, the
     * split's objects removed; the child's original is on the dead-letter topic.
     */
    @Test
    void aQuarantinedChildFailsItsParentNamingTheSegmentAndTheSplitIsRemoved() throws Exception {
        Path input = tmp.resolve("crash.mp4");
        SplitInputs.make(input, 64, 48, 4);
        String id = "it-split-crash-" + UUID.randomUUID();
        upload(input, "it/" + id + ".mp4");
        String child = id + ".s0001";
        try (KafkaAttemptStore attempts = new KafkaAttemptStore(
                stack.servers().kafkaBootstrap(), Map.of(), WorkerSettings.Attempts.DEFAULT.topic(), json)) {
            List<Attempt> crashed = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                crashed.add(new Attempt(
                        "a" + n,
                        n,
                        "gone" + n,
                        "fastvsr-gone" + n + "-1-dead",
                        "it-split",
                        "2026-11-30T10:00:0" + n + "Z",
                        "s3://renditions/it/" + id + ".x4.mp4"));
            }
            attempts.write(new AttemptHistory(child, crashed, null));
        }
        JobRequest parent = splitParent(id, new Split(1.0, 2), Map.of());
        String area = "fastvsr-splits/" + id + "/";
        try (EventStream events = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
            stack.jobs().publish(parent);
            // the parent's final event, and every child's (the later ones fail on their removed pieces)
            Map<String, CloudEvent> finals = new HashMap<>();
            events.follow(TIMEOUT, e -> {
                String s = e.getSubject();
                if (s != null
                        && s.startsWith(id)
                        && (e.getType().endsWith(".completed") || e.getType().endsWith(".failed"))) {
                    finals.put(s, e);
                }
                return finals.size() < 3;
            });
            CloudEvent last = finals.get(id);
            assertNotNull(last, "no final event for the parent of a quarantined child: " + finals.keySet());
            assertEquals(3, finals.size(), "final events of the parent and its 2 children: " + finals.keySet());
            JsonNode failed = json.readTree(last.getData().toBytes());
            assertEquals("ai.fastvsr.job.failed", last.getType(), failed::toString);
            assertEquals("CRASH_LOOP", failed.path("errorCode").asText(), failed::toString);
            assertTrue(
                    failed.path("message").asText().startsWith("segment 1 of 2 (job " + child + ") failed"),
                    failed::toString);
        }
        assertEquals(List.of(), Buckets.list(stack.s3(), EmbeddedStack.RENDITIONS_BUCKET, "it/" + id), "output left");
        assertEquals(List.of(), Buckets.list(stack.s3(), EmbeddedStack.RENDITIONS_BUCKET, area), "split objects left");
        assertTrue(
                TopicRecords.all(stack.servers().kafkaBootstrap(), Topics.DEFAULT.deadLetters()).stream()
                        .anyMatch(r -> child.equals(r.key())),
                "the quarantined child on the dead-letter topic");
    }

    /** A split parent of {@code it/<id>.mp4} in the ingest bucket, written to {@code it/<id>.x4.mp4}. */
    private static JobRequest splitParent(String id, Split split, Map<String, Object> userMetadata) {
        return new JobRequest(
                        id,
                        new ObjectRef("s3://" + EmbeddedStack.INGEST_BUCKET + "/it/" + id + ".mp4", null),
                        new ObjectRef("s3://" + EmbeddedStack.RENDITIONS_BUCKET + "/it/" + id + ".x4.mp4", null),
                        null,
                        4,
                        null,
                        userMetadata)
                .withSplit(split);
    }

    private List<String> list(S3Location prefix) throws Exception {
        return Buckets.list(stack.s3(), prefix.bucket(), prefix.key());
    }

    private JsonNode awaitSegments(EventStream events, String id) throws Exception {
        JsonNode[] found = new JsonNode[1];
        events.follow(TIMEOUT, e -> {
            if (id.equals(e.getSubject()) && e.getType().endsWith(".progress")) {
                try {
                    JsonNode data = json.readTree(e.getData().toBytes());
                    if (!data.path("segments").isNull() && data.has("segments")) {
                        found[0] = data;
                        return false;
                    }
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
            return !(id.equals(e.getSubject()) && e.getType().endsWith(".failed"));
        });
        assertNotNull(found[0], "no progress event with segments for " + id);
        return found[0];
    }

    private Path download(S3Location at, String name) throws Exception {
        return download(at.bucket(), at.key(), name);
    }

    private Path download(String bucket, String key, String name) throws Exception {
        return Buckets.download(stack.s3(), bucket, key, tmp.resolve(name));
    }

    private void upload(Path file, String key) throws Exception {
        Buckets.upload(stack.s3(), EmbeddedStack.INGEST_BUCKET, key, file);
    }
}
