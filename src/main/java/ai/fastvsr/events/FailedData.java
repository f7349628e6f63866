package ai.fastvsr.events;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Phase;
import java.util.Map;

/** Data of {@code ai.fastvsr.job.failed}. {@code errorCode} is stable; {@code message} is for humans. */
public record FailedData(String jobId, ErrorCode errorCode, String message, boolean retryable, Phase failedPhase,
                         int attempt, WorkerInfo worker, Map<String, Object> userMetadata) {
}
