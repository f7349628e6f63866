package ai.fastvsr.cli;

import ai.fastvsr.events.EventType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Events as one line of text for people: the progress bar of {@code submit --wait} and the lines of {@code watch}.
 * Reads the event data as JSON, not as the worker's records, so it shows what is on the wire.
 */
final class EventText {
    private static final int BAR = 24;
    private final ObjectMapper json = new ObjectMapper();

    JsonNode data(CloudEvent event) {
        if (event.getData() == null) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(event.getData().toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("event " + event.getId() + " has no JSON data", e);
        }
    }

    /** {@code watch}: time, job, type and the essentials of that type. */
    String line(CloudEvent event) {
        String time =
                event.getTime() == null ? "-" : event.getTime().toInstant().toString();
        return time + "  " + event.getSubject() + "  " + summary(event);
    }

    /** {@code submit --wait}: the bar when progress says how far, else what happened last. */
    String summary(CloudEvent event) {
        JsonNode d = data(event);
        EventType type;
        try {
            type = EventType.of(event.getType());
        } catch (IllegalArgumentException e) {
            return event.getType();
        }
        return switch (type) {
            case ACCEPTED ->
                "accepted   by " + d.at("/worker/host").asText("?") + " (model "
                        + d.path("model").asText("?") + ")";
            case PROGRESS -> progress(d);
            case COMPLETED -> completed(d);
            case FAILED ->
                "failed     [" + d.path("errorCode").asText("?") + "]"
                        + (d.path("failedPhase").isTextual()
                                ? " in " + d.get("failedPhase").asText()
                                : "")
                        + (d.path("retryable").asBoolean() ? " (retryable)" : "") + ": "
                        + d.path("message").asText("");
        };
    }

    String progress(JsonNode d) {
        double percent = Math.max(0, Math.min(100, d.path("percent").asDouble(0)));
        int filled = (int) Math.round(percent / 100 * BAR);
        StringBuilder s = new StringBuilder("[")
                .append("#".repeat(filled))
                .append(".".repeat(BAR - filled))
                .append(String.format(
                        Locale.ROOT,
                        "] %3.0f%%  %-11s",
                        percent,
                        d.path("phase").asText("?")));
        if (d.path("framesDone").isNumber()) {
            s.append("  ").append(d.get("framesDone").asLong());
            if (d.path("framesTotal").isNumber()) {
                s.append('/').append(d.get("framesTotal").asLong());
            }
            s.append(" frames");
        }
        if (d.path("fps").isNumber()) {
            s.append(String.format(Locale.ROOT, "  %.1f fps", d.get("fps").asDouble()));
        }
        if (d.path("etaMs").isNumber()) {
            s.append("  ETA ").append(duration(d.get("etaMs").asLong()));
        }
        return s.toString();
    }

    private static String completed(JsonNode d) {
        JsonNode out = d.path("outputs").path(0);
        long ms = 0;
        for (JsonNode t : d.path("timingsMs")) {
            ms += t.asLong();
        }
        return "completed  " + out.path("uri").asText("?") + "  "
                + out.path("width").asInt() + "x"
                + out.path("height").asInt() + "  " + out.path("frameCount").asLong() + " frames  in "
                + duration(ms);
    }

    static String duration(long ms) {
        long s = (ms + 500) / 1000;
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
