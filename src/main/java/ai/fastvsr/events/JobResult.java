package ai.fastvsr.events;

import ai.fastvsr.events.CompletedData.Rendition;
import java.util.List;
import java.util.Map;

/**
 * What a finished job produced: the stored output, what the input was, and where the time went. {@code reused}:
 * the output already existed from an earlier delivery of the same job, nothing was processed again. {@code segments}: a
 * split parent's children, null for other jobs.
 */
public record JobResult(
        Rendition output,
        MediaSummary input,
        Map<String, Long> timingsMs,
        boolean reused,
        List<SegmentOutput> segments) {

    public JobResult(Rendition output, MediaSummary input, Map<String, Long> timingsMs, boolean reused) {
        this(output, input, timingsMs, reused, null);
    }

    /**
     * One child of a split parent, as the parent's completed event lists it: which segment, its first frame in the
     * input, and its rendition as the child stored it (removed after the join).
     */
    public record SegmentOutput(int segment, String jobId, long firstFrame, Rendition output) {}
}
