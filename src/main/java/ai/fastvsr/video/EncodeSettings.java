package ai.fastvsr.video;

/**
 * How to encode the output. Null fields take defaults: H.264 in MP4, yuv420p; quality by CRF 18 where the encoder
 * has CRF (x264 in the -Pgpl build), else by a bitrate of {@link #DEFAULT_BITS_PER_PIXEL} per pixel per frame.
 */
public record EncodeSettings(String codec, Integer crf, String preset, Long bitrate) {
    public static final EncodeSettings DEFAULTS = new EncodeSettings("h264", 18, "medium", null);
    /** Upscaled video is smooth: 0.25 bit per pixel keeps openh264 above 40 dB on it. */
    public static final double DEFAULT_BITS_PER_PIXEL = 0.25;

    public EncodeSettings {
        codec = codec == null ? "h264" : codec;
        crf = crf == null ? 18 : crf;
        preset = preset == null ? "medium" : preset;
    }

    public long bitrateFor(int width, int height, double frameRate) {
        return bitrate != null ? bitrate : Math.round(width * (double) height * frameRate * DEFAULT_BITS_PER_PIXEL);
    }
}
