package ai.fastvsr.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A job as published on the job topic (docs/contracts.md, "Job request"). Validated against {@code schemas/job-request.schema.json}
 * before it becomes one of these; unknown fields are ignored so producers can be newer than the worker.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
        String jobId,
        ObjectRef input,
        ObjectRef output,
        String model,
        Integer scale,
        Encode encode,
        Streams streams,
        Range range,
        Split split,
        Parent parent,
        Join join,
        Map<String, Object> userMetadata) {

    public JobRequest {
        userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
        encode = encode == null ? Encode.DEFAULT : encode;
        streams = streams == null ? Streams.DEFAULT : streams;
    }

    /** A job that keeps every stream (the default). */
    public JobRequest(
            String jobId,
            ObjectRef input,
            ObjectRef output,
            String model,
            Integer scale,
            Encode encode,
            Map<String, Object> userMetadata) {
        this(jobId, input, output, model, scale, encode, null, null, null, null, null, userMetadata);
    }

    /** This job with an output frame range. */
    public JobRequest withRange(Range r) {
        return new JobRequest(
                jobId, input, output, model, scale, encode, streams, r, split, parent, join, userMetadata);
    }

    /** This job, split into segments of about {@code s.segmentSeconds()}. */
    public JobRequest withSplit(Split s) {
        return new JobRequest(
                jobId, input, output, model, scale, encode, streams, range, s, parent, join, userMetadata);
    }

    /**
     * The child job of one segment of this (parent) job: the segment's file in, its rendition out, the parent's
     * model, encoding and user metadata.
     */
    public JobRequest child(String childId, ObjectRef in, ObjectRef out, Range r, Parent p) {
        return new JobRequest(childId, in, out, model, scale, encode, null, r, null, p, null, userMetadata);
    }

    /** This (parent) job's join: published by the worker that completed its last child. */
    public JobRequest joining(Join j) {
        return new JobRequest(jobId, input, output, model, scale, encode, streams, null, split, null, j, userMetadata);
    }

    /** Whether this job cuts its input into child jobs (it is a split parent, not its join or one of its children). */
    public boolean splitsInput() {
        return split != null && parent == null && join == null;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ObjectRef(String uri, String versionId) {
        public S3Location location() {
            return S3Location.parse(uri);
        }
    }

    /**
     * Output encoding wishes; anything left out takes the worker's defaults (container from the output key's
     * extension or the input's family, codec by container and bit depth, the input's depth).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Encode(String container, String codec, Integer crf, String preset, String pixFmt, Long bitrate) {
        public static final Encode DEFAULT = new Encode(null, null, null, null, null, null);
    }

    /**
     * Only frames {@code first .. first+count-1} of the input's video (0-based, in presentation order) are written,
     * at their input timestamps; {@code context} frames on each side of the range (default: the model's clip
     * length) go through the model too, so a temporal model sees the same neighbours as in an unsplit run, and are
     * not written; the last {@code warmup} frames before the range (default none) are also encoded and dropped, so
     * the encoder starts the range as an unsplit run's would; {@code frameRate} (rational text, default the input's
     * average) is the rate the encoder is set up for (its bitrate and keyframe interval), the whole input's for a
     * split's child. A ranged job writes video only: its output is a piece of a whole that gets its audio elsewhere.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Range(long first, long count, Integer context, Integer warmup, String frameRate) {
        public Range(long first, long count, Integer context) {
            this(first, count, context, null, null);
        }
    }

    /**
     * Cut the input into segments of about {@code segmentSeconds} at keyframes and run each as a child job; the
     * worker that finishes the last one joins them into this job's output.
     *
     * @param context frames on each side of a cut that each child feeds its model beyond its range (default: the
     *                model's clip length)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Split(double segmentSeconds, Integer context) {}

    /**
     * On a child job: the parent it is a segment of, which segment (0-based) of how many, and where the split's
     * manifest lies.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Parent(String jobId, int segment, int segments, String manifest) {}

    /**
     * On a split parent's join job (same jobId as the parent): all {@code segments} children completed; their
     * renditions, listed in the manifest, are to be joined into the parent's output.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Join(String manifest, int segments) {}

    /** Which of the input's other streams the output keeps: "copy" (default) or "drop". */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Streams(String audio, String subtitles) {
        public static final Streams DEFAULT = new Streams(null, null);
    }
}
