package ai.fastvsr.video;

/**
 * What the decoder found in an input. {@code frameRateNum/frameRateDen} is the container's rational rate;
 * {@code frameCount} is the container's estimate until the file was read through.
 */
public record MediaInfo(String codec, int width, int height, int frameRateNum, int frameRateDen, long frameCount,
                        long durationMs, int audioStreams, int audioChannels, int sampleRate) {

    public double frameRate() {
        return (double) frameRateNum / frameRateDen;
    }

    public String frameRateText() {
        return frameRateNum + "/" + frameRateDen;
    }
}
