package ai.fastvsr.video;

/**
 * What the reader found in an input (or a probe in an output). {@code frameRateNum/frameRateDen} is the average
 * rate; {@code frameCount} is the container's estimate until the file was read through (then the count decoded).
 */
public record MediaInfo(
        String container,
        String codec,
        String pixelFormat,
        int bitDepth,
        int width,
        int height,
        int frameRateNum,
        int frameRateDen,
        long frameCount,
        long durationMs,
        int audioStreams,
        int subtitleStreams,
        ColorTags colors) {

    public double frameRate() {
        return (double) frameRateNum / frameRateDen;
    }

    public String frameRateText() {
        return frameRateNum + "/" + frameRateDen;
    }

    /** The same, with the frames really decoded (or written) instead of the container's estimate. */
    public MediaInfo withFrames(long frames) {
        return new MediaInfo(
                container,
                codec,
                pixelFormat,
                bitDepth,
                width,
                height,
                frameRateNum,
                frameRateDen,
                frames,
                durationMs,
                audioStreams,
                subtitleStreams,
                colors);
    }
}
