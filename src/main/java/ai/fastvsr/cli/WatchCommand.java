package ai.fastvsr.cli;

import ai.fastvsr.events.EventStream;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = "Follow the events topic, one line per event (or the CloudEvent as one JSON line with --json). "
                + "Reads as its own consumer group and commits nothing.")
final class WatchCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--job-id", description = "only this job's events")
    String jobId;

    @Option(names = "--asset-id", description = "only events whose userMetadata.assetId is this")
    String assetId;

    @Option(names = "--json", description = "print each event as structured CloudEvents JSON, one per line")
    boolean json;

    @Option(names = "--from-beginning", description = "start at the oldest event kept (default: only new ones)")
    boolean fromBeginning;

    @Option(
            names = "--since",
            converter = DurationConverter.class,
            description = "start this long ago, e.g. 10m (default: now)")
    Duration since;

    @Option(names = "--max-events", defaultValue = "0", description = "stop after this many matching events (0: never)")
    int maxEvents;

    @Option(
            names = "--timeout",
            converter = DurationConverter.class,
            description = "stop after this long (default: run until Ctrl-C)")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        EventText text = new EventText();
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        Instant start = fromBeginning ? null : Instant.now().minus(since != null ? since : Duration.ZERO);
        int[] seen = {0};
        try (EventStream events = new EventStream(client.kafka.brokers, client.kafka.eventsTopic, start)) {
            events.follow(timeout != null ? timeout : Duration.ofDays(36_500), e -> {
                if (!matches(e, text)) {
                    return true;
                }
                out.println(json ? new String(format.serialize(e), StandardCharsets.UTF_8) : text.line(e));
                out.flush();
                return maxEvents <= 0 || ++seen[0] < maxEvents;
            });
        }
        return 0;
    }

    private boolean matches(CloudEvent e, EventText text) {
        if (jobId != null && !jobId.equals(e.getSubject())) {
            return false;
        }
        return assetId == null
                || assetId.equals(text.data(e).at("/userMetadata/assetId").asText(null));
    }
}
