package ai.fastvsr.cli;

import ai.fastvsr.events.EventStream;
import ai.fastvsr.events.EventType;
import ai.fastvsr.intake.IntakeSettings;
import ai.fastvsr.intake.OutputTemplate;
import ai.fastvsr.job.JobIds;
import ai.fastvsr.job.JobPublisher;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.S3Location;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.storage.StoredObject;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Publish a job for an S3 object (or upload a local file first with --upload) and print its "
                    + "jobId on stdout. With --wait, follow its events with a progress line on stderr until it ends."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:published; with --wait: completed",
            "1:error before or while publishing",
            "2:the job failed (its errorCode is printed)",
            "3:--wait gave up after --timeout"
        })
final class SubmitCommand implements Callable<Integer> {
    static final int FAILED = 2;
    static final int TIMED_OUT = 3;
    /** Events are stamped by the worker's clock: start reading a little before now to allow for skew. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    @Mixin
    ClientOptions client;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "S3_URI",
            description = "s3://bucket/key of the input; with --upload, where the file is uploaded to")
    String input;

    @Option(
            names = "--output",
            paramLabel = "S3_URI",
            description =
                    "s3://bucket/key of the rendition (default s3://renditions/<input key without extension>.x4.mp4)")
    String output;

    @Option(names = "--upload", paramLabel = "FILE", description = "upload this local file to --input first")
    Path upload;

    @Option(names = "--job-id", description = "jobId (default: the input's name plus a random suffix)")
    String jobId;

    @Option(names = "--model", description = "model the job asks for (default: whatever the worker serves)")
    String model;

    @Option(names = "--asset-id", description = "sets userMetadata.assetId (watch --asset-id finds it)")
    String assetId;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "userMetadata entries, repeatable")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--wait", description = "follow the job's events until completed or failed")
    boolean await;

    @Option(
            names = "--timeout",
            defaultValue = "30m",
            converter = DurationConverter.class,
            description = "how long --wait waits (default ${DEFAULT-VALUE}; e.g. 90s, 2h)")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        S3Location in = S3Location.parse(input);
        String id = jobId != null ? jobId : defaultJobId(in);
        // the same default as the MAM intake's, percent-encoding included
        String to = output != null
                ? output
                : OutputTemplate.apply(IntakeSettings.DEFAULT_OUTPUT, in.bucket(), in.key(), id);
        Map<String, Object> userMetadata = new LinkedHashMap<>(meta);
        if (assetId != null) {
            userMetadata.put("assetId", assetId);
        }

        if (upload != null) {
            try (ObjectStore store = new ObjectStore(client.s3())) {
                StoredObject stored = store.upload(upload, in, contentType(upload), Map.of());
                err.printf("uploaded %s -> %s (%d bytes)%n", upload, in, stored.sizeBytes());
            }
        }
        JobRequest job = new JobRequest(
                id, new ObjectRef(in.uri(), null), new ObjectRef(to, null), model, null, null, userMetadata);
        // subscribe before publishing, so not even a fast worker's first event is missed
        KafkaOptions kafka = client.kafka;
        try (EventStream events = await
                        ? new EventStream(
                                kafka.brokers, kafka.eventsTopic, Instant.now().minus(CLOCK_SKEW))
                        : null;
                JobPublisher publisher = new JobPublisher(kafka.brokers, kafka.jobsTopic, new ObjectMapper())) {
            publisher.publish(job);
            out.println(id);
            out.flush();
            if (!await) {
                return 0;
            }
            return follow(events, id, err);
        }
    }

    private int follow(EventStream events, String id, PrintWriter err) {
        EventText text = new EventText();
        // on a terminal the progress line rewrites itself; in a log every update is its own line
        boolean tty = System.console() != null;
        CloudEvent last = events.awaitFinal(id, timeout, e -> {
            String line = text.summary(e);
            err.print(tty && EventType.of(e.getType()) == EventType.PROGRESS ? "\r" + line : line + "\n");
            err.flush();
        });
        if (tty) {
            err.println();
        }
        if (last == null) {
            err.printf("no final event for %s within %s%n", id, timeout);
            return TIMED_OUT;
        }
        if (EventType.of(last.getType()) == EventType.FAILED) {
            err.printf("error [%s]%n", text.data(last).path("errorCode").asText("INTERNAL"));
            return FAILED;
        }
        return 0;
    }

    /** A readable, schema-valid jobId: the file's name and a random suffix. */
    static String defaultJobId(S3Location in) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return JobIds.fromKey(in.key(), HexFormat.of().formatHex(random));
    }

    private static String contentType(Path file) throws IOException {
        String probed = Files.probeContentType(file);
        return probed != null ? probed : "application/octet-stream";
    }
}
