package ai.fastvsr.pipeline;

import ai.fastvsr.job.JobRequest;

/**
 * Which decoded frames of a job's input go where, by their index (0-based, presentation order): frames before the
 * window are skipped, context frames go through the model and are not written, range frames are written, and
 * decoding stops after the window. The whole input is one window with no context.
 *
 * @param first   index of the first frame written
 * @param count   frames written ({@link Long#MAX_VALUE}: to the end)
 * @param context frames on each side of the range fed to the model only
 */
public record FrameWindow(long first, long count, int context) {
    public static final FrameWindow ALL = new FrameWindow(0, Long.MAX_VALUE, 0);

    /** What happens to one decoded frame. */
    public enum Use {
        SKIP,
        CONTEXT,
        OUTPUT,
        PAST
    }

    public FrameWindow {
        if (first < 0 || count < 1 || context < 0) {
            throw new IllegalArgumentException(
                    "frame window first " + first + ", count " + count + ", context " + context);
        }
    }

    /** The job's range, with the context defaulting to {@code defaultContext} (the model's clip length). */
    public static FrameWindow of(JobRequest.Range range, int defaultContext) {
        if (range == null) {
            return ALL;
        }
        return new FrameWindow(
                range.first(), range.count(), range.context() != null ? range.context() : defaultContext);
    }

    /** One past the last frame written. */
    public long end() {
        return count == Long.MAX_VALUE ? Long.MAX_VALUE : first + count;
    }

    public Use use(long index) {
        if (index < first - context) {
            return Use.SKIP;
        }
        if (index < first) {
            return Use.CONTEXT;
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
