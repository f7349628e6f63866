package ai.fastvsr.cli;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.events.EventType;
import ai.fastvsr.inference.BundledModel;
import ai.fastvsr.job.JobPublisher;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.video.SampleClip;
import ai.fastvsr.worker.WorkerApp;
import ai.fastvsr.worker.WorkerSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.DownloadObjectArgs;
import io.minio.UploadObjectArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole product on one machine in one command: real Kafka and S3 in-process, a generated clip uploaded, a job
 * published, the worker upscaling it, and the result downloaded next to you.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start embedded Kafka + S3 + worker, upscale a generated sample clip through a real job, "
                + "and download the result to ./demo-output/ in the current directory (--out changes it).")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    WorkerOptions options;

    @Option(
            names = "--out",
            defaultValue = "demo-output",
            description = "where to put input and output, relative to the current directory (default ${DEFAULT-VALUE})")
    Path outDir;

    @Option(
            names = "--seconds",
            defaultValue = "3",
            description = "length of the sample clip (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(
            names = "--size",
            defaultValue = "320x180",
            split = ",",
            description = "sample clip size WxH (default ${DEFAULT-VALUE}); several sizes, comma-separated, make one "
                    + "job each, published in that order (e.g. 480x270,32x32 with --gpu-mem-limit: the first fails "
                    + "GPU_OUT_OF_MEMORY, the second still completes)")
    List<String> sizes;

    @Option(
            names = "--timeout",
            defaultValue = "PT10M",
            description = "how long to wait for the job (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        EmbeddedServers.require("demo");
        ObjectMapper json = new ObjectMapper();
        outDir = outDir.toAbsolutePath().normalize();
        Files.createDirectories(outDir);
        step("input and output go to %s", outDir);
        List<Path> samples = new ArrayList<>();
        for (String size : sizes) {
            String[] wh = size.toLowerCase().split("x");
            int width = Integer.parseInt(wh[0].strip());
            int height = Integer.parseInt(wh[1].strip());
            Path sample = outDir.resolve(
                    sizes.size() == 1 ? "sample-input.mp4" : "sample-input-" + width + "x" + height + ".mp4");
            step("generating a %.0f s %dx%d sample clip with audio -> %s", seconds, width, height, sample);
            SampleClip.write(sample, width, height, 30, seconds);
            samples.add(sample);
        }

        step("starting embedded Kafka (KRaft) and S3 on loopback");
        try (EmbeddedStack stack = EmbeddedStack.start(0, 0, options.topics(), 1)) {
            step("Kafka at %s, S3 at %s", stack.kafkaBootstrap(), stack.s3().endpoint());
            step(
                    "starting the worker (model %s)",
                    options.modelDir != null ? options.modelDir : "in the jar, " + BundledModel.RESOURCE_DIR);
            // the demo needs no health endpoints, and must not collide with a real worker's port
            var settings = options.settings(stack.kafkaBootstrap(), stack.s3())
                    .withObservability(new WorkerSettings.Observability(-1, Duration.ofSeconds(1)));
            try (WorkerApp worker = WorkerApp.start(settings);
                    ObjectStore store = new ObjectStore(stack.s3());
                    EventStream events = new EventStream(stack.kafkaBootstrap(), options.kafka.eventsTopic);
                    JobPublisher jobs = new JobPublisher(stack.kafkaBootstrap(), options.kafka.jobsTopic, json)) {
                long stamp = System.currentTimeMillis();
                List<String> jobIds = new ArrayList<>();
                for (int i = 0; i < samples.size(); i++) {
                    String suffix = samples.size() == 1 ? "" : "-" + (i + 1);
                    String jobId = "demo-" + stamp + suffix;
                    String inKey = "demo/sample" + suffix + ".mp4";
                    String outKey = "demo/sample" + suffix + ".x4.mp4";
                    store.client()
                            .uploadObject(UploadObjectArgs.builder()
                                    .bucket(EmbeddedStack.INGEST_BUCKET)
                                    .object(inKey)
                                    .filename(samples.get(i).toString())
                                    .contentType("video/mp4")
                                    .build());
                    step("uploaded s3://%s/%s", EmbeddedStack.INGEST_BUCKET, inKey);
                    jobs.publish(new JobRequest(
                            jobId,
                            new ObjectRef("s3://" + EmbeddedStack.INGEST_BUCKET + "/" + inKey, null),
                            new ObjectRef("s3://" + EmbeddedStack.RENDITIONS_BUCKET + "/" + outKey, null),
                            null,
                            4,
                            null,
                            Map.of("assetId", "demo-asset", "source", "fastvsr demo")));
                    step("published job %s to %s", jobId, options.kafka.jobsTopic);
                    jobIds.add(jobId);
                }
                step("waiting for the events of %d job(s)", jobIds.size());

                long start = System.nanoTime();
                Map<String, CloudEvent> finals = new LinkedHashMap<>();
                events.follow(timeout, e -> {
                    if (jobIds.contains(e.getSubject())) {
                        step(
                                "event %s%s%s",
                                e.getType(), jobIds.size() == 1 ? "" : " (" + e.getSubject() + ")", progressText(e));
                        EventType type = EventType.of(e.getType());
                        if (type == EventType.COMPLETED || type == EventType.FAILED) {
                            finals.put(e.getSubject(), e);
                        }
                    }
                    return finals.size() < jobIds.size();
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                int rc = 0;
                for (int i = 0; i < jobIds.size(); i++) {
                    String jobId = jobIds.get(i);
                    CloudEvent last = finals.get(jobId);
                    if (last == null) {
                        System.err.println("demo: no completed or failed event for " + jobId + " within " + timeout);
                        return 3;
                    }
                    JsonNode data = json.readTree(last.getData().toBytes());
                    System.out.println();
                    System.out.println(json.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(Map.of(
                                    "id",
                                    last.getId(),
                                    "type",
                                    last.getType(),
                                    "subject",
                                    last.getSubject(),
                                    "source",
                                    last.getSource().toString(),
                                    "data",
                                    data)));
                    if (EventType.of(last.getType()) != EventType.COMPLETED) {
                        System.err.printf(
                                "demo: job %s failed with %s: %s%n",
                                jobId,
                                data.path("errorCode").asText(),
                                data.path("message").asText());
                        rc = 2;
                        continue;
                    }
                    String suffix = jobIds.size() == 1 ? "" : "-" + (i + 1);
                    Path result = outDir.resolve("sample" + suffix + ".x4.mp4");
                    Files.deleteIfExists(result);
                    store.client()
                            .downloadObject(DownloadObjectArgs.builder()
                                    .bucket(EmbeddedStack.RENDITIONS_BUCKET)
                                    .object("demo/sample" + suffix + ".x4.mp4")
                                    .filename(result.toString())
                                    .build());
                    JsonNode in = data.path("input");
                    JsonNode out = data.path("outputs").path(0);
                    long frames = out.path("frameCount").asLong();
                    System.out.printf(
                            "%nsummary: %dx%d -> %dx%d, %d frames, %.2f s of video, job took %.1f s "
                                    + "(%.1f fps end to end)%n  input  %s%n  output %s%n",
                            in.path("width").asInt(),
                            in.path("height").asInt(),
                            out.path("width").asInt(),
                            out.path("height").asInt(),
                            frames,
                            out.path("durationMs").asLong() / 1000.0,
                            seconds,
                            frames / seconds,
                            samples.get(i).toAbsolutePath(),
                            result.toAbsolutePath());
                }
                return rc;
            }
        }
    }

    private static String progressText(CloudEvent e) {
        if (!e.getType().endsWith("progress")) {
            return "";
        }
        try {
            JsonNode d = new ObjectMapper().readTree(e.getData().toBytes());
            return String.format(
                    " %s %.0f%%%s",
                    d.path("phase").asText(),
                    d.path("percent").asDouble(),
                    d.path("framesDone").isNumber()
                            ? String.format(
                                    " (%d/%d frames, %.1f fps)",
                                    d.path("framesDone").asLong(),
                                    d.path("framesTotal").asLong(),
                                    d.path("fps").asDouble())
                            : "");
        } catch (IOException ex) {
            return "";
        }
    }

    private static void step(String format, Object... args) {
        System.out.printf("[demo] " + format + "%n", args);
    }
}
