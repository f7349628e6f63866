package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.JobRequest.Split;
import ai.fastvsr.job.Limits;
import ai.fastvsr.storage.RetryPolicy;
import ai.fastvsr.testing.Buckets;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.WorkerStack;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Split vs unsplit wall time on this machine, one in-process worker on the reference model (docs/benchmarks.md,
 * "Split jobs"). Not part of {@code mvn verify}: run it with
 * {@code mvn -B -q test-compile failsafe:integration-test -Dit.test=SplitBench}. Prints the phase times the
 * calculation for N workers starts from.
 */
class SplitBench {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "60"));
    private static final double SEGMENT = Double.parseDouble(System.getProperty("bench.segment", "10"));
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void splitVersusUnsplit() throws Exception {
        try (WorkerStack stack = WorkerStack.start(
                "bench-split",
                EngineSettings.cpu(1),
                new Guardrails(AccessPolicy.any(), Limits.DEFAULT, RetryPolicy.DEFAULT, null, 30))) {
            Path input = tmp.resolve("in.mp4");
            // H.264 + AAC, x264's default keyframe interval (250 frames, 10.4 s)
            Ffmpeg.makeClip(input, 320, 180, 24, SECONDS);
            Buckets.upload(stack.s3(), EmbeddedStack.INGEST_BUCKET, "bench/in.mp4", input);
            run(stack, job("bench-whole"), "unsplit");
            run(stack, job("bench-split").withSplit(new Split(SEGMENT, null)), "split");
        }
    }

    private void run(WorkerStack stack, JobRequest job, String label) throws Exception {
        List<CloudEvent> events = new ArrayList<>();
        long t0 = System.nanoTime();
        try (EventStream stream = new EventStream(stack.servers().kafkaBootstrap(), Topics.DEFAULT.events())) {
            stack.jobs().publish(job);
            stream.follow(TIMEOUT, e -> {
                if (e.getSubject() != null && e.getSubject().startsWith(job.jobId())) {
                    events.add(e);
                }
                return !(job.jobId().equals(e.getSubject())
                        && (e.getType().endsWith(".completed") || e.getType().endsWith(".failed")));
            });
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        CloudEvent last = events.get(events.size() - 1);
        assertEquals("ai.fastvsr.job.completed", last.getType());
        System.out.printf("%s: %.1f s publish -> completed%n", label, wall);
        OffsetDateTime accepted = null;
        OffsetDateTime split = null;
        OffsetDateTime joining = null;
        for (CloudEvent e : events) {
            JsonNode d = json.readTree(e.getData().toBytes());
            boolean parent = job.jobId().equals(e.getSubject());
            if (parent && e.getType().endsWith(".accepted")) {
                accepted = e.getTime();
            } else if (parent && "SPLITTING".equals(d.path("phase").asText())) {
                split = e.getTime();
            } else if (parent && "JOINING".equals(d.path("phase").asText())) {
                joining = e.getTime();
            } else if (!parent && e.getType().endsWith(".completed")) {
                System.out.printf("  child %s: %s ms%n", e.getSubject(), d.path("timingsMs"));
            } else if (parent && e.getType().endsWith(".completed")) {
                System.out.printf("  %s timings %s%n", e.getSubject(), d.path("timingsMs"));
            }
        }
        assertNotNull(accepted);
        if (split != null) {
            System.out.printf(
                    "  split (accepted -> children published): %d ms%n",
                    Duration.between(accepted, split).toMillis());
            System.out.printf(
                    "  join (JOINING -> completed): %d ms%n",
                    Duration.between(joining, last.getTime()).toMillis());
        }
    }

    private static JobRequest job(String id) {
        return new JobRequest(
                id,
                new ObjectRef("s3://" + EmbeddedStack.INGEST_BUCKET + "/bench/in.mp4", null),
                new ObjectRef("s3://" + EmbeddedStack.RENDITIONS_BUCKET + "/bench/" + id + ".x4.mp4", null),
                null,
                4,
                null,
                Map.of());
    }
}
