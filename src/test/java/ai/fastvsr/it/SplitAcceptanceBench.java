package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.JobRequest.Split;
import ai.fastvsr.testing.Buckets;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.Fleet;
import ai.fastvsr.testing.FrameTimes;
import ai.fastvsr.testing.SplitInputs;
import ai.fastvsr.testing.WorkerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's acceptance at full size, on a real broker and S3 server with 3 worker JVMs and the reference model,
 * judged by Debian's ffprobe/ffmpeg: a 3-minute input (moving content, AAC audio, a subtitle track, a VFR section
 * every 30 s, x264's keyframe interval of 250 frames) split into 20 s segments. The output has the input's frame
 * count and every frame's timestamp, the input's audio packets (streamhash), exactly one parent completed event, and
 * every frame within 3 of each cut matches an unsplit run of the same input at 45 dB or better, both at the default
 * encoder settings. Prints the wall times, the children's times and the seam PSNRs (docs/benchmarks.md).
 *
 * <p>Not part of {@code mvn verify} (it takes several minutes): run it with
 * {@code mvn -B -q test-compile failsafe:integration-test -Dit.test=SplitAcceptanceBench}.
 */
class SplitAcceptanceBench {
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "180"));
    private static final double SEGMENT = Double.parseDouble(System.getProperty("bench.segment", "20"));
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void threeWorkersSplitAndJoinAThreeMinuteInput() throws Exception {
        try (Fleet fleet = Fleet.start(3, tmp)) {
            Path input = tmp.resolve("film.mp4");
            SplitInputs.make(input, 128, 72, SECONDS, false, 250);
            Buckets.upload(fleet.s3(), EmbeddedStack.INGEST_BUCKET, "film/film.mp4", input);
            List<WorkerProcess> workers = new ArrayList<>();
            try {
                for (int i = 1; i <= 3; i++) {
                    workers.add(fleet.worker("accept-w" + i, "acceptance"));
                }
                for (WorkerProcess w : workers) {
                    w.awaitReady();
                }
                List<CloudEvent> split =
                        run(fleet, job("film", "film/film.x4.mp4").withSplit(new Split(SEGMENT, null)));
                List<CloudEvent> whole = run(fleet, job("film-whole", "film/film-whole.x4.mp4"));

                List<CloudEvent> parentFinals = split.stream()
                        .filter(e ->
                                "film".equals(e.getSubject()) && !e.getType().endsWith(".progress"))
                        .filter(e -> !e.getType().endsWith(".accepted"))
                        .toList();
                assertEquals(1, parentFinals.size(), "exactly one final event for the parent");
                JsonNode completed = data(parentFinals.get(0));
                assertEquals("ai.fastvsr.job.completed", parentFinals.get(0).getType(), completed::toString);
                report(split, "split", "film");
                report(whole, "unsplit", "film-whole");

                Path output = Buckets.download(
                        fleet.s3(), EmbeddedStack.RENDITIONS_BUCKET, "film/film.x4.mp4", tmp.resolve("out.mp4"));
                Path reference = Buckets.download(
                        fleet.s3(),
                        EmbeddedStack.RENDITIONS_BUCKET,
                        "film/film-whole.x4.mp4",
                        tmp.resolve("whole.mp4"));
                FrameTimes in = FrameTimes.of(input);
                FrameTimes out = FrameTimes.of(output);
                System.out.printf(
                        "input frames %d, output frames %d%n",
                        in.pts().size(), out.pts().size());
                assertEquals(in.pts().size(), out.pts().size(), "frame count");
                assertEquals(in.micros(), out.micros(), "every frame's timestamp");
                assertEquals(Ffmpeg.packetHash(input, "0:a:0"), Ffmpeg.packetHash(output, "0:a:0"), "audio");
                assertEquals(Ffmpeg.subtitlesAsSrt(input), Ffmpeg.subtitlesAsSrt(output), "subtitle cues");

                List<Double> seams = new ArrayList<>();
                for (JsonNode segment : completed.path("segments")) {
                    int cut = segment.path("firstFrame").asInt();
                    if (cut > 0) {
                        List<Double> db = Ffmpeg.framePsnr(output, cut - 3, reference, cut - 3, 6);
                        System.out.printf("cut at frame %d: PSNR %s%n", cut, db);
                        seams.addAll(db);
                    }
                }
                DoubleSummaryStatistics stats = seams.stream()
                        .mapToDouble(d -> Double.isInfinite(d) ? 100 : d)
                        .summaryStatistics();
                System.out.printf(
                        "seams: %d frames, min %.1f dB, mean %.1f dB (inf counted as 100), %d identical%n",
                        seams.size(),
                        stats.getMin(),
                        stats.getAverage(),
                        seams.stream().filter(d -> d.isInfinite()).count());
                assertTrue(seams.stream().allMatch(db -> db >= 45), "PSNR at the cuts: " + seams);
            } finally {
                for (WorkerProcess w : workers) {
                    w.close();
                }
            }
        }
    }

    /** Publishes a job and follows its events and its children's until its final event. */
    private List<CloudEvent> run(Fleet fleet, JobRequest job) throws Exception {
        List<CloudEvent> events = new ArrayList<>();
        long t0 = System.nanoTime();
        try (EventStream stream = new EventStream(fleet.servers().kafkaBootstrap(), "vsr.events")) {
            fleet.jobs().publish(job);
            stream.follow(TIMEOUT, e -> {
                if (e.getSubject() != null
                        && (e.getSubject().equals(job.jobId()) || e.getSubject().startsWith(job.jobId() + ".s"))) {
                    events.add(e);
                }
                return !(job.jobId().equals(e.getSubject())
                        && (e.getType().endsWith(".completed") || e.getType().endsWith(".failed")));
            });
            // anything more for the job: a second final event would show here
            stream.follow(Duration.ofSeconds(8), e -> {
                if (job.jobId().equals(e.getSubject())) {
                    events.add(e);
                }
                return true;
            });
        }
        System.out.printf("%s: %.1f s publish -> final event%n", job.jobId(), (System.nanoTime() - t0) / 1e9);
        assertNotNull(events.isEmpty() ? null : events.get(0), "no events for " + job.jobId());
        return events;
    }

    private void report(List<CloudEvent> events, String label, String parent) throws Exception {
        CloudEvent accepted = null;
        CloudEvent splitDone = null;
        CloudEvent joining = null;
        CloudEvent last = null;
        for (CloudEvent e : events) {
            JsonNode d = data(e);
            boolean isParent = parent.equals(e.getSubject());
            if (isParent && e.getType().endsWith(".accepted")) {
                accepted = e;
            } else if (isParent && "SPLITTING".equals(d.path("phase").asText())) {
                splitDone = e;
            } else if (isParent && "JOINING".equals(d.path("phase").asText())) {
                // the first: a second join job (two children completing at once) reports JOINING again
                joining = joining == null ? e : joining;
            } else if (!isParent && e.getType().endsWith(".completed")) {
                System.out.printf(
                        "  child %s on %s: %s ms%n",
                        e.getSubject(), d.path("worker").path("host").asText(), d.path("timingsMs"));
            } else if (isParent && e.getType().endsWith(".completed")) {
                last = e;
                System.out.printf(
                        "  %s %s timings (the join's, for a split) %s%n", label, e.getSubject(), d.path("timingsMs"));
            }
        }
        if (splitDone != null && accepted != null && joining != null && last != null) {
            System.out.printf(
                    "  split (accepted -> children published): %d ms; children (published -> join job): %d ms;"
                            + " join (JOINING -> completed): %d ms%n",
                    Duration.between(accepted.getTime(), splitDone.getTime()).toMillis(),
                    Duration.between(splitDone.getTime(), joining.getTime()).toMillis(),
                    Duration.between(joining.getTime(), last.getTime()).toMillis());
        }
    }

    private JsonNode data(CloudEvent e) throws Exception {
        return json.readTree(e.getData().toBytes());
    }

    private static JobRequest job(String id, String outKey) {
        return new JobRequest(
                id,
                new ObjectRef("s3://" + EmbeddedStack.INGEST_BUCKET + "/film/film.mp4", null),
                new ObjectRef("s3://" + EmbeddedStack.RENDITIONS_BUCKET + "/" + outKey, null),
                null,
                4,
                null,
                Map.of());
    }
}
