package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.WorkerStack;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.DownloadObjectArgs;
import io.minio.UploadObjectArgs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * A split parent on a real broker, S3 server and FFmpeg: it cuts its input at keyframes by stream copy (judged by
 * Debian's ffmpeg: each piece decodes to exactly the input's frames), stores a manifest, says how many segments in
 * its progress event, and publishes child jobs with ids derived from its own, the same ones when it is redelivered.
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
                new Guardrails(AccessPolicy.any(), Limits.DEFAULT, RetryPolicy.DEFAULT, null, 30));
    }

    @AfterAll
    void stop() throws Exception {
        stack.close();
    }

    @Test
    void aParentCutsAtKeyframesStoresAManifestAndPublishesTheSameChildrenWhenRedelivered() throws Exception {
        Path input = tmp.resolve("in.mp4");
        // 4 s at 24 fps, a keyframe every 12 frames (closed GOPs, x264's default), AAC audio
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=24",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t",
                "4",
                "-c:v",
                "libx264",
                "-g",
                "12",
                "-sc_threshold",
                "0",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-shortest",
                input.toString());
        String id = "it-split-" + UUID.randomUUID();
        upload(input, "it/" + id + ".mp4");
        JobRequest parent = new JobRequest(
                        id,
                        new ObjectRef("s3://" + EmbeddedStack.INGEST_BUCKET + "/it/" + id + ".mp4", null),
                        new ObjectRef("s3://" + EmbeddedStack.RENDITIONS_BUCKET + "/it/" + id + ".x4.mp4", null),
                        null,
                        4,
                        null,
                        Map.of("assetId", "A-1"))
                .withSplit(new Split(1.0, 2));

        Map<String, CloudEvent> finals = new HashMap<>();
        try (EventStream events = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
            stack.jobs().publish(parent);
            JsonNode progress = awaitSegments(events, id);
            assertEquals(4, progress.path("segments").asInt(), progress::toString);
            assertEquals(0, progress.path("segmentsDone").asInt());
            assertEquals("SPLITTING", progress.path("phase").asText());
            assertEquals("A-1", progress.path("userMetadata").path("assetId").asText());
            finals.putAll(awaitFinals(events, id, 4));
        }
        for (CloudEvent e : finals.values()) {
            assertEquals(
                    "ai.fastvsr.job.completed",
                    e.getType(),
                    () -> new String(e.getData().toBytes()));
        }

        // the manifest: the segments cover the input's frames once, in order, each cut at a keyframe (every 12)
        S3Location prefix = S3Location.parse("s3://renditions/it/" + id + ".x4.mp4.parts/" + id + "/");
        Path manifestFile = download(prefix.bucket(), prefix.key() + "manifest.json", "manifest.json");
        JsonNode manifest = json.readTree(manifestFile.toFile());
        List<String> inputFrames = Ffmpeg.frameMd5(input);
        assertEquals(96, inputFrames.size());
        assertEquals(96, manifest.path("frames").asLong());
        long next = 0;
        for (JsonNode part : manifest.path("segments")) {
            long first = part.path("firstFrame").asLong();
            assertEquals(next, first, manifest::toString);
            assertEquals(0, first % 12, "cut at a keyframe: " + part);
            next = first + part.path("frameCount").asLong();
            // a stream copy from a keyframe: its frames are exactly the input's, from (first - localFirst) on
            Path piece = download(S3Location.parse(part.path("segment").asText()), "piece-" + first + ".mp4");
            List<String> frames = Ffmpeg.frameMd5(piece);
            int from = (int) (first - part.path("localFirst").asLong());
            assertEquals(inputFrames.subList(from, from + frames.size()), frames, "piece of segment " + part);
            assertTrue(frames.size()
                    >= part.path("localFirst").asLong()
                            + part.path("frameCount").asLong());
            assertEquals(
                    "h264",
                    Ffmpeg.stream(Ffmpeg.probe(piece), "video")
                            .path("codec_name")
                            .asText());
        }
        assertEquals(96, next);

        // redelivered: the same children again, answered from their outputs
        Instant redelivered = Instant.now();
        try (EventStream events =
                new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events(), redelivered)) {
            stack.jobs().publish(parent);
            for (CloudEvent e : awaitFinals(events, id, 4).values()) {
                JsonNode data = json.readTree(e.getData().toBytes());
                assertTrue(data.path("redelivered").asBoolean(), data::toString);
            }
        }
    }

    /** The final events of children {@code .s0000} .. of the parent, whatever their order. */
    private static Map<String, CloudEvent> awaitFinals(EventStream events, String parent, int children) {
        Map<String, CloudEvent> finals = new HashMap<>();
        events.follow(TIMEOUT, e -> {
            String s = e.getSubject();
            if (s != null
                    && s.startsWith(parent + ".s")
                    && (e.getType().endsWith(".completed") || e.getType().endsWith(".failed"))) {
                finals.put(s, e);
            }
            return finals.size() < children;
        });
        assertEquals(children, finals.size(), "final events of the children: " + finals.keySet());
        return finals;
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
        Path out = tmp.resolve(name);
        stack.s3()
                .downloadObject(DownloadObjectArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .filename(out.toString())
                        .build());
        return out;
    }

    private void upload(Path file, String key) throws Exception {
        stack.s3()
                .uploadObject(UploadObjectArgs.builder()
                        .bucket(EmbeddedStack.INGEST_BUCKET)
                        .object(key)
                        .filename(file.toString())
                        .build());
    }
}
