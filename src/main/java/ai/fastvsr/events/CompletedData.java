package ai.fastvsr.events;

import ai.fastvsr.video.MediaInfo;
import java.util.List;
import java.util.Map;

/** Data of {@code ai.fastvsr.job.completed}. */
public record CompletedData(
        String jobId,
        List<Rendition> outputs,
        MediaSummary input,
        Map<String, Long> timingsMs,
        boolean redelivered,
        WorkerInfo worker,
        Map<String, Object> userMetadata,
        List<JobResult.SegmentOutput> segments) {

    /**
     * One output object as stored, with what a consumer needs to check it without downloading. {@code encoder} is the
     * FFmpeg encoder of the video; {@code warnings} say what of the input could not be kept as it was (a stream
     * converted or dropped, 8-bit output of a 10-bit input).
     */
    public record Rendition(
            String uri,
            String etag,
            String versionId,
            long sizeBytes,
            String sha256,
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
            ColorSummary color,
            String encoder,
            List<String> warnings) {

        /** The encoded file before upload: what the encoder wrote, not yet where the store put it. */
        public static Rendition planned(
                String uri, long sizeBytes, String sha256, MediaInfo out, String encoder, List<String> warnings) {
            return new Rendition(
                    uri,
                    null,
                    null,
                    sizeBytes,
                    sha256,
                    out.codec(),
                    out.width(),
                    out.height(),
                    out.frameRateText(),
                    out.frameCount(),
                    out.durationMs(),
                    out.audioStreams(),
                    out.subtitleStreams(),
                    out.container(),
                    out.pixelFormat(),
                    ColorSummary.of(out.colors()),
                    encoder,
                    warnings);
        }

        /** This rendition as stored under {@code uri} with the store's etag, version and size. */
        public Rendition stored(String storedUri, String storedEtag, String storedVersion, long storedSize) {
            return new Rendition(
                    storedUri,
                    storedEtag,
                    storedVersion,
                    storedSize,
                    sha256,
                    codec,
                    width,
                    height,
                    frameRate,
                    frameCount,
                    durationMs,
                    audioStreams,
                    subtitleStreams,
                    container,
                    pixelFormat,
                    color,
                    encoder,
                    warnings);
        }
    }
}
