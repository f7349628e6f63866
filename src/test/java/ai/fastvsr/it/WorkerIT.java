package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.Limits;
import ai.fastvsr.storage.RetryPolicy;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.ImageMath;
import ai.fastvsr.testing.WorkerStack;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.DownloadObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker on real servers: a real broker, a real S3 server, real FFmpeg, the real reference ONNX model. Outputs
 * are judged by Debian's ffprobe/ffmpeg and by a bilinear x4 computed in the test, not by the worker's code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    private WorkerStack stack;

    @BeforeAll
    void start() throws Exception {
        stack = WorkerStack.start(
                "it-workers",
                EngineSettings.cpu(2),
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
    void upscalesAClipEndToEnd() throws Exception {
        Path input = tmp.resolve("in.mp4");
        Ffmpeg.makeClip(input, 160, 96, 15, 2.0);
        String jobId = "it-ok-" + UUID.randomUUID();
        upload(input, "it/" + jobId + ".mp4");

        CloudEvent done = runJob(job(jobId, "it/" + jobId + ".mp4", "it/" + jobId + ".x4.mp4"));
        assertEquals("ai.fastvsr.job.completed", done.getType(), () -> describe(done));
        JsonNode data = json.readTree(done.getData().toBytes());
        assertEquals("blue", data.path("userMetadata").path("colour").asText(), "userMetadata echoed");

        Path output = tmp.resolve("out.mp4");
        stack.s3()
                .downloadObject(DownloadObjectArgs.builder()
                        .bucket(EmbeddedStack.RENDITIONS_BUCKET)
                        .object("it/" + jobId + ".x4.mp4")
                        .filename(output.toString())
                        .build());

        // ffprobe, independent of the worker: 4x size, same frame count, same duration within a frame, audio kept
        JsonNode in = Ffmpeg.probe(input);
        JsonNode out = Ffmpeg.probe(output);
        JsonNode inV = Ffmpeg.stream(in, "video");
        JsonNode outV = Ffmpeg.stream(out, "video");
        assertEquals(640, outV.path("width").asInt());
        assertEquals(384, outV.path("height").asInt());
        assertEquals(
                inV.path("nb_read_frames").asLong(), outV.path("nb_read_frames").asLong());
        double frame = 1.0 / 15;
        assertEquals(inV.path("duration").asDouble(), outV.path("duration").asDouble(), frame);
        assertNotNull(Ffmpeg.stream(out, "audio"), "audio stream carried over");
        assertEquals("yuv420p", outV.path("pix_fmt").asText());

        // the event describes the object that is really there
        JsonNode rendition = data.path("outputs").path(0);
        byte[] bytes = Files.readAllBytes(output);
        assertEquals(bytes.length, rendition.path("sizeBytes").asLong());
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                rendition.path("sha256").asText());
        assertEquals(640, rendition.path("width").asInt());
        assertEquals(
                inV.path("nb_read_frames").asLong(),
                rendition.path("frameCount").asLong());
        // input and output described alike, each as ffprobe reads the file, so consumers can detect drift
        JsonNode input0 = data.path("input");
        assertEquals(
                inV.path("nb_read_frames").asLong(), input0.path("frameCount").asLong());
        assertEquals(
                inV.path("avg_frame_rate").asText(), input0.path("frameRate").asText());
        assertEquals(
                outV.path("avg_frame_rate").asText(),
                rendition.path("frameRate").asText());
        assertEquals("mp4", input0.path("container").asText());
        assertEquals("mp4", rendition.path("container").asText());
        assertEquals(outV.path("codec_name").asText(), rendition.path("codec").asText());
        assertEquals(inV.path("pix_fmt").asText(), input0.path("pixelFormat").asText());
        assertEquals(
                outV.path("pix_fmt").asText(), rendition.path("pixelFormat").asText());
        // the untagged SD input is read as BT.601 limited, and the output says so explicitly
        assertEquals(
                outV.path("color_space").asText(),
                rendition.path("color").path("matrix").asText());
        assertEquals(
                outV.path("color_range").asText(),
                rendition.path("color").path("range").asText());
        assertEquals("smpte170m", input0.path("color").path("matrix").asText());
        assertEquals(1, input0.path("audioStreams").asInt());
        assertEquals(1, rendition.path("audioStreams").asInt());
        assertEquals(0, rendition.path("subtitleStreams").asInt());
        assertEquals(0, rendition.path("warnings").size(), () -> "nothing lost: " + rendition.path("warnings"));
        StatObjectResponse stat = stack.s3()
                .statObject(StatObjectArgs.builder()
                        .bucket(EmbeddedStack.RENDITIONS_BUCKET)
                        .object("it/" + jobId + ".x4.mp4")
                        .build());
        assertEquals(stat.etag().replace("\"", ""), rendition.path("etag").asText());
        assertEquals(jobId, stat.userMetadata().get("jobid"));
        assertEquals("reference-x4", stat.userMetadata().get("model"));

        // content: every frame against the reference model's output recomputed here (bilinear x4 of the input as
        // the ffmpeg CLI decodes it), stored as yuv420p like any H.264 output must be; RGB PSNR
        List<byte[]> lr = Ffmpeg.decodeRgb(input, 160, 96);
        List<byte[]> expected = Ffmpeg.throughYuv420(
                lr.stream().map(f -> ImageMath.bilinear(f, 160, 96, 4)).toList(), 640, 384, tmp);
        List<byte[]> hr = Ffmpeg.decodeRgb(output, 640, 384);
        assertEquals(lr.size(), hr.size());
        double worst = Double.POSITIVE_INFINITY;
        for (int i = 0; i < lr.size(); i++) {
            worst = Math.min(worst, ImageMath.psnr(expected.get(i), hr.get(i)));
        }
        System.out.printf("reference-x4 end to end: worst frame PSNR %.2f dB over %d frames%n", worst, lr.size());
        assertTrue(worst >= 35.0, "worst frame PSNR " + worst + " dB < 35 dB");

        assertNoTempFiles();
    }

    @Test
    void badMessagesGoToTheirPlaceAndTheWorkerKeepsServing() throws Exception {
        // 1. not JSON at all: dead-letter topic, original bytes, error headers
        byte[] junk = "{this is not json".getBytes(StandardCharsets.UTF_8);
        String junkKey = "junk-" + UUID.randomUUID();
        stack.jobs().publishRaw(junkKey, junk);
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(junkKey);
        assertArrayEquals(junk, dead.value(), "original bytes kept");
        assertEquals("INVALID_JOB", header(dead, "fastvsr.error.code"));
        assertTrue(header(dead, "fastvsr.error.message").contains("not JSON"), header(dead, "fastvsr.error.message"));
        assertEquals("vsr.jobs", header(dead, "fastvsr.original.topic"));

        // 2. JSON with a jobId but against the schema: dead letter, and the producer hears about it
        String invalidId = "it-invalid-" + UUID.randomUUID();
        byte[] invalid = ("{\"jobId\":\"" + invalidId + "\",\"input\":{\"uri\":\"http://example.com/x.mp4\"}}")
                .getBytes(StandardCharsets.UTF_8);
        stack.jobs().publishRaw(invalidId, invalid);
        assertArrayEquals(invalid, awaitDeadLetter(invalidId).value());
        JsonNode invalidData = finalData(invalidId, "ai.fastvsr.job.failed");
        assertEquals("INVALID_JOB", invalidData.path("errorCode").asText());

        // 3. valid job, input object missing: failed INPUT_NOT_FOUND, not retryable
        String missingId = "it-missing-" + UUID.randomUUID();
        CloudEvent failed = runJob(job(missingId, "it/does-not-exist.mp4", "it/never.mp4"));
        assertEquals("ai.fastvsr.job.failed", failed.getType());
        JsonNode data = json.readTree(failed.getData().toBytes());
        assertEquals("INPUT_NOT_FOUND", data.path("errorCode").asText());
        assertFalse(data.path("retryable").asBoolean());
        assertEquals("blue", data.path("userMetadata").path("colour").asText());

        // 4. the worker still serves
        Path input = tmp.resolve("after.mp4");
        Ffmpeg.makeClip(input, 64, 48, 10, 1.0);
        String okId = "it-after-" + UUID.randomUUID();
        upload(input, "it/" + okId + ".mp4");
        assertEquals(
                "ai.fastvsr.job.completed",
                runJob(job(okId, "it/" + okId + ".mp4", "it/" + okId + ".x4.mp4"))
                        .getType());
        assertNoTempFiles();
    }

    @Test
    void aRedeliveredJobIsAnsweredFromTheExistingOutput() throws Exception {
        Path input = tmp.resolve("again.mp4");
        Ffmpeg.makeClip(input, 48, 32, 10, 1.0);
        String jobId = "it-again-" + UUID.randomUUID();
        upload(input, "it/" + jobId + ".mp4");
        JobRequest job = job(jobId, "it/" + jobId + ".mp4", "it/" + jobId + ".x4.mp4");
        CloudEvent first = runJob(job);
        assertEquals("ai.fastvsr.job.completed", first.getType());
        JsonNode a = json.readTree(first.getData().toBytes());
        assertFalse(a.path("redelivered").asBoolean());

        // the same job again, as after a crash between upload and commit: no second render
        stack.jobs().publish(job);
        try (EventStream events = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
            List<CloudEvent> completed = new ArrayList<>();
            long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
            while (completed.size() < 2 && System.nanoTime() < deadline) {
                CloudEvent e = events.awaitFinal(jobId, Duration.ofSeconds(5), x -> {});
                if (e != null) {
                    completed.add(e);
                }
            }
            assertEquals(2, completed.size(), "two completed events for the redelivered job");
            JsonNode b = json.readTree(completed.get(1).getData().toBytes());
            assertTrue(b.path("redelivered").asBoolean(), b.toString());
            assertEquals(
                    a.path("outputs").path(0).path("etag").asText(),
                    b.path("outputs").path(0).path("etag").asText());
            assertEquals(
                    a.path("outputs").path(0).path("sha256").asText(),
                    b.path("outputs").path(0).path("sha256").asText());
            assertEquals(
                    a.path("outputs").path(0).path("frameCount").asLong(),
                    b.path("outputs").path(0).path("frameCount").asLong());
            assertEquals(Map.of(), json.convertValue(b.path("timingsMs"), Map.class), "nothing processed again");
        }
    }

    @Test
    void jobsCannotReachOutsideTheirAllowLists() throws Exception {
        String forbiddenId = "it-forbidden-" + UUID.randomUUID();
        JsonNode forbidden = json.readTree(runJob(new JobRequest(
                        forbiddenId,
                        new ObjectRef("s3://renditions/it/x.mp4", null),
                        new ObjectRef("s3://renditions/it/y.mp4", null),
                        null,
                        4,
                        null,
                        Map.of()))
                .getData()
                .toBytes());
        assertEquals("ACCESS_DENIED", forbidden.path("errorCode").asText(), forbidden.toString());

        String outsideId = "it-outside-" + UUID.randomUUID();
        JsonNode outside = json.readTree(runJob(job(outsideId, "it/a.mp4", "../../ingest/it/overwrite.mp4"))
                .getData()
                .toBytes());
        assertEquals("INVALID_JOB", outside.path("errorCode").asText(), outside.toString());
    }

    @Test
    void fiveHundredMalformedAmongTenValid() throws Exception {
        Path input = tmp.resolve("flood.mp4");
        Ffmpeg.makeClip(input, 32, 24, 10, 0.3);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "flood-" + run + "-" + i;
            upload(input, "it/" + id + ".mp4");
            valid.add(id);
        }
        for (int i = 0; i < 510; i++) {
            if (i % 51 == 50) {
                String id = valid.get(i / 51);
                stack.jobs().publish(job(id, "it/" + id + ".mp4", "it/" + id + ".x4.mp4"));
            } else {
                stack.jobs()
                        .publishRaw(
                                "junk-" + run + "-" + i,
                                ("{\"not\": \"a job " + i + "\"").getBytes(StandardCharsets.UTF_8));
            }
        }
        for (String id : valid) {
            try (EventStream events = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
                CloudEvent last = events.awaitFinal(id, JOB_TIMEOUT, e -> {});
                assertNotNull(last, "no final event for " + id);
                assertEquals("ai.fastvsr.job.completed", last.getType(), id);
            }
        }
        long dead = countDeadLetters("junk-" + run + "-");
        assertEquals(500, dead);
        // and it still serves
        String after = "flood-after-" + run;
        upload(input, "it/" + after + ".mp4");
        assertEquals(
                "ai.fastvsr.job.completed",
                runJob(job(after, "it/" + after + ".mp4", "it/" + after + ".x4.mp4"))
                        .getType());
    }

    private long countDeadLetters(String keyPrefix) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.servers().kafkaBootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "it-dlq-count-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEFAULT.deadLetters()));
            Set<String> keys = new HashSet<>();
            long quiet = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
            while (System.nanoTime() < quiet && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.key().startsWith(keyPrefix) && keys.add(r.key())) {
                        quiet = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    }
                }
            }
            return keys.size();
        }
    }

    private JobRequest job(String jobId, String inKey, String outKey) {
        return new JobRequest(
                jobId,
                new ObjectRef("s3://" + EmbeddedStack.INGEST_BUCKET + "/" + inKey, null),
                new ObjectRef("s3://" + EmbeddedStack.RENDITIONS_BUCKET + "/" + outKey, null),
                null,
                4,
                null,
                Map.of("colour", "blue"));
    }

    private CloudEvent runJob(JobRequest job) throws Exception {
        stack.jobs().publish(job);
        try (EventStream events = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
            CloudEvent last = events.awaitFinal(job.jobId(), JOB_TIMEOUT, e -> {});
            assertNotNull(last, "no final event for " + job.jobId() + " within " + JOB_TIMEOUT);
            return last;
        }
    }

    private JsonNode finalData(String jobId, String expectedType) throws Exception {
        try (EventStream events = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
            CloudEvent last = events.awaitFinal(jobId, JOB_TIMEOUT, e -> {});
            assertNotNull(last, "no final event for " + jobId);
            assertEquals(expectedType, last.getType());
            return json.readTree(last.getData().toBytes());
        }
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.servers().kafkaBootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "it-dlq-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEFAULT.deadLetters()));
            long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter with key " + key);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void upload(Path file, String key) throws Exception {
        stack.s3()
                .uploadObject(UploadObjectArgs.builder()
                        .bucket(EmbeddedStack.INGEST_BUCKET)
                        .object(key)
                        .filename(file.toString())
                        .build());
    }

    private void assertNoTempFiles() throws Exception {
        try (Stream<Path> left = Files.list(stack.workDir())) {
            assertEquals(List.of(), left.toList(), "job temp dirs left behind");
        }
    }

    private static String describe(CloudEvent e) {
        return e.getType() + " " + new String(e.getData().toBytes(), StandardCharsets.UTF_8);
    }
}
