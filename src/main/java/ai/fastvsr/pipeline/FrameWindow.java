package ai.fastvsr.pipeline;

import ai.fastvsr.job.JobRequest;

/**
 * Which decoded frames of a job's input go where, by their index (0-based, presentation order): frames before the
 * window are skipped, context frames go through the model and are not written, range frames are written, and
 * decoding stops after the window. Warm-up frames, the last {@code warmup} before the range, are context frames
 * that are also encoded, their packets dropped: the encoder then starts the range in the state an unsplit run's
 * encoder is in there (its rate control has seen the same pictures). The whole input is one window with no context.
 *
 * @param first   index of the first frame written
 * @param count   frames written ({@link Long#MAX_VALUE}: to the end)
 * @param context frames on each side of the range fed to the model only
 * @param warmup  frames before the range encoded and dropped (they go through the model too)
 */
public record FrameWindow(long first, long count, int context, int warmup) {
    public static final FrameWindow ALL = new FrameWindow(0, Long.MAX_VALUE, 0, 0);

    /** What happens to one decoded frame. */
    public enum Use {
        SKIP,
        CONTEXT,
        WARMUP,
        OUTPUT,
        PAST
    }

    public FrameWindow {
        if (first < 0 || count < 1 || context < 0 || warmup < 0) {
            throw new IllegalArgumentException("frame window first " + first + ", count " + count + ", context "
                    + context + ", warm-up " + warmup);
        }
    }

    public FrameWindow(long first, long count, int context) {
        this(first, count, context, 0);
    }

    /** The job's range, with the context defaulting to {@code defaultContext} (the model's clip length). */
    public static FrameWindow of(JobRequest.Range range, int defaultContext) {
        if (range == null) {
            return ALL;
        }
        return new FrameWindow(
                range.first(),
                range.count(),
                range.context() != null ? range.context() : defaultContext,
                range.warmup() != null ? range.warmup() : 0);
    }

    /** One past the last frame written. */
    public long end() {
        return count == Long.MAX_VALUE ? Long.MAX_VALUE : first + count;
    }

    public Use use(long index) {
        if (index < first - Math.max(context, warmup)) {
            return Use.SKIP;
        }
        if (index < first) {
            return index >= first - warmup ? Use.WARMUP : Use.CONTEXT;
        }
        if (index < end()) {
            return Use.OUTPUT;
        }
        return end() != Long.MAX_VALUE && index < end() + context ? Use.CONTEXT : Use.PAST;
    }

    /** Whether this is a piece of the input rather than all of it. */
    public boolean isRange() {
        return !equals(ALL);
    }
}
