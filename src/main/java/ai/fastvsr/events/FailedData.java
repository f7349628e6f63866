package ai.fastvsr.events;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.CrashedAttempt;
import ai.fastvsr.job.DeadLetterRef;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Data of {@code ai.fastvsr.job.failed}. {@code errorCode} is stable; {@code message} is for humans.
 * {@code crashedAttempts} and {@code deadLetter} come with {@code CRASH_LOOP} only.
 */
public record FailedData(
        String jobId,
        ErrorCode errorCode,
        String message,
        boolean retryable,
        Phase failedPhase,
        int attempt,
        WorkerInfo worker,
        Map<String, Object> userMetadata,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<CrashedAttempt> crashedAttempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) DeadLetterRef deadLetter) {
    public FailedData(
            String jobId,
            ErrorCode errorCode,
            String message,
            boolean retryable,
            Phase failedPhase,
            int attempt,
            WorkerInfo worker,
            Map<String, Object> userMetadata) {
        this(jobId, errorCode, message, retryable, failedPhase, attempt, worker, userMetadata, null, null);
    }
}
