package ai.fastvsr.split;

import ai.fastvsr.job.JobRequest;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a split parent stored about its split (object {@code manifest.json} under the split's prefix), everything
 * the join needs: the parent job as it came, and per segment its child, files and the frames it writes.
 *
 * @param timeBaseNum the input video's time base, in which {@link Part#firstPts()} counts
 * @param frames      the input's video frames, all segments together
 * @param frameRate   the input's average frame rate (rational text), which every child's encoder is set up for
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        JobRequest parent, int timeBaseNum, int timeBaseDen, long frames, String frameRate, List<Part> segments) {

    /**
     * One segment.
     *
     * @param segment    the stream-copied piece of the input (s3:// URI)
     * @param rendition  the child's output (s3:// URI)
     * @param firstFrame index of the segment's first written frame in the input (presentation order)
     * @param firstPts   that frame's timestamp as the unsplit frame path writes it
     * @param warmup     frames before it that the child encodes and drops (SegmentPlan)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Part(
            int index,
            String jobId,
            String segment,
            String rendition,
            long firstFrame,
            long frameCount,
            long localFirst,
            long firstPts,
            int warmup) {}
}
