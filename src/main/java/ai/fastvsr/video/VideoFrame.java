package ai.fastvsr.video;

/**
 * A decoded picture, its presentation time and how long it is shown, in the input video stream's time base (the
 * duration makes the last frame last as long as it did in the input).
 */
public record VideoFrame(RgbImage image, long pts, long duration) implements MediaReader.Item {}
