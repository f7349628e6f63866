package ai.fastvsr.events;

import java.util.List;
import java.util.Map;

/** Data of {@code ai.fastvsr.job.completed}. */
public record CompletedData(String jobId, List<Rendition> outputs, MediaSummary input, Map<String, Long> timingsMs,
                            boolean redelivered, WorkerInfo worker, Map<String, Object> userMetadata) {

    /** One output object as stored, with what a consumer needs to check it without downloading. */
    public record Rendition(String uri, String etag, String versionId, long sizeBytes, String sha256, String codec,
                            int width, int height, String frameRate, long frameCount, long durationMs,
                            int audioStreams) {
    }
}
