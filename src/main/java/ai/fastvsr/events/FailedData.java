package ai.fastvsr.events;

import ai.fastvsr.job.ErrorCode;
import ai.fastvsr.job.Phase;
import java.util.Map;

/** Data of {@code ai.fastvsr.job.failed}. {@code errorCode} is stable; {@code message} is for humans. */
public record FailedData(String jobId, ErrorCode errorCode, String message, boolean retryable, Phase failedPhase,
                         int attempt, WorkerInfo worker, Map<String, Object> userMetadata) {
}
