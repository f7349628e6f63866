package ai.fastvsr.pipeline;

import ai.fastvsr.events.CompletedData.Rendition;
import ai.fastvsr.events.MediaSummary;
import java.util.Map;

/** What a finished job produced: the stored output, what the input was, and where the time went. */
public record JobResult(Rendition output, MediaSummary input, Map<String, Long> timingsMs) {
}
