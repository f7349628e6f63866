package ai.fastvsr.events;

import ai.fastvsr.events.CompletedData.Rendition;
import java.util.Map;

/**
 * What a finished job produced: the stored output, what the input was, and where the time went. {@code reused}:
 * the output already existed from an earlier delivery of the same job, nothing was processed again.
 */
public record JobResult(Rendition output, MediaSummary input, Map<String, Long> timingsMs, boolean reused) {}
