package ai.fastvsr.video;

/**
 * What the job asked of the output. Null fields take defaults: the container from the output name or the input's
 * family ({@link Container#choose}), the codec from the container and the input's depth
 * ({@link Container#defaultCodec}), the depth of the input (10-bit stays 10-bit where the codec allows), the codec's
 * own quality default ({@link VideoEncoders}). {@code audio}/{@code subtitles}: copy those streams (true) or drop them.
 *
 * @param frameRate the frame rate the encoder is set up for (its default bitrate and keyframe interval), as rational
 *     text ({@code 24/1}); null: the input's average. A split's child encodes at the whole input's rate, not its
 *     piece's.
 */
public record EncodeSettings(
        String container,
        String codec,
        String pixFmt,
        Integer crf,
        String preset,
        Long bitrate,
        boolean audio,
        boolean subtitles,
        String frameRate) {
    public static final EncodeSettings DEFAULTS = new EncodeSettings(null, null, null, null, null, null, true, true);

    public EncodeSettings(
            String container,
            String codec,
            String pixFmt,
            Integer crf,
            String preset,
            Long bitrate,
            boolean audio,
            boolean subtitles) {
        this(container, codec, pixFmt, crf, preset, bitrate, audio, subtitles, null);
    }

    /** Upscaled video is smooth: 0.25 bit per pixel keeps openh264 above 40 dB on it. */
    public static final double DEFAULT_BITS_PER_PIXEL = 0.25;

    public long bitrateFor(int width, int height, double frameRate) {
        return bitrate != null ? bitrate : Math.round(width * (double) height * frameRate * DEFAULT_BITS_PER_PIXEL);
    }
}
