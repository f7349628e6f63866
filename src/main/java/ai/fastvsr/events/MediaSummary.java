package ai.fastvsr.events;

/** What the worker saw in the input, so consumers can compare it with the output themselves. */
public record MediaSummary(String uri, long sizeBytes, String codec, int width, int height, String frameRate,
                           long frameCount, long durationMs, int audioStreams) {
}
