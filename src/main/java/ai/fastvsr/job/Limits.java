package ai.fastvsr.job;

import ai.fastvsr.video.MediaInfo;

/**
 * What one job may cost, checked before the expensive part: the input's size from the store before download, its
 * geometry and length from the container right after opening it. Violations fail with LIMIT_EXCEEDED.
 */
public record Limits(long maxInputBytes, int maxWidth, int maxHeight, long maxPixels, long maxDurationMs,
                     long maxFrames) {

    /** Up to 4K input, one hour, 20 GiB. */
    public static final Limits DEFAULT = new Limits(20L << 30, 3840, 2160, 3840L * 2160, 3_600_000L, 216_000L);

    public void checkSize(long bytes) throws JobFailure {
        if (bytes > maxInputBytes) {
            throw exceeded(Phase.DOWNLOADING, "input is " + bytes + " bytes, the limit is " + maxInputBytes);
        }
    }

    public void checkMedia(MediaInfo info) throws JobFailure {
        if (info.width() > maxWidth || info.height() > maxHeight || (long) info.width() * info.height() > maxPixels) {
            throw exceeded(Phase.DECODING, "input is " + info.width() + "x" + info.height() + ", the limit is "
                    + maxWidth + "x" + maxHeight + " and " + maxPixels + " pixels");
        }
        if (info.durationMs() > maxDurationMs) {
            throw exceeded(Phase.DECODING, "input claims " + info.durationMs() + " ms, the limit is " + maxDurationMs);
        }
        if (info.frameCount() > maxFrames) {
            throw exceeded(Phase.DECODING, "input claims " + info.frameCount() + " frames, the limit is " + maxFrames);
        }
    }

    private static JobFailure exceeded(Phase phase, String message) {
        return new JobFailure(ErrorCode.LIMIT_EXCEEDED, phase, message);
    }
}
