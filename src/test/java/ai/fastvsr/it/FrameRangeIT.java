package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.Encode;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.JobRequest.Range;
import ai.fastvsr.job.Limits;
import ai.fastvsr.storage.RetryPolicy;
import ai.fastvsr.testing.Buckets;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.FrameTimes;
import ai.fastvsr.testing.WorkerStack;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's output frame range (what a split parent gives each child), on a real broker, S3 server, FFmpeg and the
 * reference model, judged by Debian's ffprobe and ffmpeg's psnr filter: two ranged jobs that meet at a cut write
 * exactly their frames at the input's timestamps, and the frames around the cut agree with an unsplit run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrameRangeIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final int FRAMES = 48;
    private static final int CUT = 22;
    /**
     * The seams compare two encodes of the same pictures, so the encoder's own noise must stay below the bar: a
     * bitrate at which openh264 is close to lossless at this size (at the default 0.25 bit per pixel two encodes
     * of the same frames differ by the rate control's choices alone).
     */
    private static final Encode NEAR_LOSSLESS = new Encode("mp4", "h264", null, null, null, 40_000_000L);

    @TempDir
    Path tmp;

    private WorkerStack stack;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        stack = WorkerStack.start(
                "it-range",
                EngineSettings.cpu(2),
                new Guardrails(AccessPolicy.any(), Limits.DEFAULT, RetryPolicy.DEFAULT, null, 30));
    }

    @AfterAll
    void stop() throws Exception {
        stack.close();
    }

    @Test
    void twoRangesMeetingAtACutWriteTheirFramesAtTheInputsTimesAndMatchAnUnsplitRun() throws Exception {
        Path input = tmp.resolve("in.mp4");
        Ffmpeg.makeClip(input, 64, 48, 24, FRAMES / 24.0);
        String id = "it-range-" + UUID.randomUUID();
        upload(input, "it/" + id + ".mp4");

        Path whole = run(id + "-whole", id, null);
        Path before = run(id + "-a", id, new Range(0, CUT, 3));
        Path after = run(id + "-b", id, new Range(CUT, FRAMES - CUT, 3));

        FrameTimes in = FrameTimes.of(input);
        assertEquals(FRAMES, in.pts().size(), "the test input's frame count");
        assertEquals(in.micros().subList(0, CUT), FrameTimes.of(before).micros(), "first range: frames and times");
        assertEquals(in.micros().subList(CUT, FRAMES), FrameTimes.of(after).micros(), "second range: frames, times");
        assertEquals(in.micros(), FrameTimes.of(whole).micros(), "unsplit run");
        assertNull(Ffmpeg.stream(Ffmpeg.probe(after), "audio"), "a range is video only");
        assertNotNull(Ffmpeg.stream(Ffmpeg.probe(whole), "audio"), "the unsplit run keeps the audio");

        // the 3 frames on each side of the cut, against the same frames of the unsplit run
        List<Double> left = Ffmpeg.framePsnr(before, CUT - 3, whole, CUT - 3, 3);
        List<Double> right = Ffmpeg.framePsnr(after, 0, whole, CUT, 3);
        for (List<Double> side : List.of(left, right)) {
            for (double db : side) {
                assertTrue(db >= 45, "PSNR at the cut against the unsplit run: " + left + " | " + right);
            }
        }
    }

    @Test
    void aRangeBeyondTheInputFailsAsCorruptMedia() throws Exception {
        Path input = tmp.resolve("short.mp4");
        Ffmpeg.makeClip(input, 64, 48, 24, 0.5);
        String id = "it-range-short-" + UUID.randomUUID();
        upload(input, "it/" + id + ".mp4");
        CloudEvent last = publishAndWait(job(id, id, new Range(6, 20, 2)));
        assertEquals("ai.fastvsr.job.failed", last.getType());
        var data = json.readTree(last.getData().toBytes());
        assertEquals("CORRUPT_MEDIA", data.path("errorCode").asText(), data::toString);
        assertTrue(data.path("message").asText().contains("range ends at frame 26"), data::toString);
    }

    private Path run(String jobId, String inputName, Range range) throws Exception {
        CloudEvent last = publishAndWait(job(jobId, inputName, range));
        assertEquals(
                "ai.fastvsr.job.completed",
                last.getType(),
                () -> new String(last.getData().toBytes(), StandardCharsets.UTF_8));
        return Buckets.download(
                stack.s3(), EmbeddedStack.RENDITIONS_BUCKET, "it/" + jobId + ".x4.mp4", tmp.resolve(jobId + ".mp4"));
    }

    private CloudEvent publishAndWait(JobRequest job) throws Exception {
        stack.jobs().publish(job);
        try (EventStream events = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
            CloudEvent last = events.awaitFinal(job.jobId(), JOB_TIMEOUT, e -> {});
            assertNotNull(last, "no final event for " + job.jobId());
            return last;
        }
    }

    private static JobRequest job(String jobId, String inputName, Range range) {
        return new JobRequest(
                        jobId,
                        new ObjectRef("s3://" + EmbeddedStack.INGEST_BUCKET + "/it/" + inputName + ".mp4", null),
                        new ObjectRef("s3://" + EmbeddedStack.RENDITIONS_BUCKET + "/it/" + jobId + ".x4.mp4", null),
                        null,
                        4,
                        NEAR_LOSSLESS,
                        Map.of())
                .withRange(range);
    }

    private void upload(Path file, String key) throws Exception {
        Buckets.upload(stack.s3(), EmbeddedStack.INGEST_BUCKET, key, file);
    }
}
