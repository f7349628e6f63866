package ai.fastvsr.job;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;

/**
 * What one job may cost, checked before the expensive part: the input's size from the store before download, its
 * geometry and length from the container right after opening it. Violations fail with LIMIT_EXCEEDED.
 */
public record Limits(
        long maxInputBytes, int maxWidth, int maxHeight, long maxPixels, long maxDurationMs, long maxFrames) {

    /** Up to 4K input, one hour, 20 GiB. */
    public static final Limits DEFAULT = new Limits(20L << 30, 3840, 2160, 3840L * 2160, 3_600_000L, 216_000L);

    public void checkSize(long bytes) throws Failure {
        if (bytes > maxInputBytes) {
            throw exceeded(Phase.DOWNLOADING, "input is " + bytes + " bytes, the limit is " + maxInputBytes);
        }
    }

    /** What the container says about the video (plain numbers: this package knows nothing of media). */
    public void checkMedia(int width, int height, long durationMs, long frameCount) throws Failure {
        if (width > maxWidth || height > maxHeight || (long) width * height > maxPixels) {
            throw exceeded(
                    Phase.DECODING,
                    "input is " + width + "x" + height + ", the limit is " + maxWidth + "x" + maxHeight + " and "
                            + maxPixels + " pixels");
        }
        if (durationMs > maxDurationMs) {
            throw exceeded(Phase.DECODING, "input claims " + durationMs + " ms, the limit is " + maxDurationMs);
        }
        if (frameCount > maxFrames) {
            throw exceeded(Phase.DECODING, "input claims " + frameCount + " frames, the limit is " + maxFrames);
        }
    }

    private static Failure exceeded(Phase phase, String message) {
        return new Failure(ErrorCode.LIMIT_EXCEEDED, phase, message);
    }
}
