package ai.fastvsr.events;

/**
 * What the worker saw in the input, so consumers can compare it with the output themselves. {@code frameCount} is
 * the number of frames decoded; {@code color} the tags the input's pixels were read with (unspecified ones resolved
 * as players would).
 */
public record MediaSummary(String uri, long sizeBytes, String codec, int width, int height, String frameRate,
                           long frameCount, long durationMs, int audioStreams, Integer subtitleStreams,
                           String container, String pixelFormat, ColorSummary color) {
}
