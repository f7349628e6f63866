package ai.fastvsr.events;

import ai.fastvsr.video.MediaInfo;

/**
 * What the worker saw in the input, so consumers can compare it with the output themselves. {@code frameCount} is
 * the number of frames decoded; {@code color} the tags the input's pixels were read with (unspecified ones resolved
 * as players would).
 */
public record MediaSummary(
        String uri,
        long sizeBytes,
        String codec,
        int width,
        int height,
        String frameRate,
        long frameCount,
        long durationMs,
        int audioStreams,
        Integer subtitleStreams,
        String container,
        String pixelFormat,
        ColorSummary color) {
    /** The input {@code uri} of {@code sizeBytes} as the decoder saw it. */
    public static MediaSummary of(String uri, long sizeBytes, MediaInfo in) {
        return new MediaSummary(
                uri,
                sizeBytes,
                in.codec(),
                in.width(),
                in.height(),
                in.frameRateText(),
                in.frameCount(),
                in.durationMs(),
                in.audioStreams(),
                in.subtitleStreams(),
                in.container(),
                in.pixelFormat(),
                ColorSummary.of(in.colors()));
    }
}
