package ai.fastvsr.job;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import java.util.Optional;

/**
 * A message on the job topic that is not a valid job: it goes to the dead-letter topic with its original bytes.
 * When a jobId could still be read, a {@code failed} event tells the producer as well.
 */
public class PoisonMessage extends Failure {
    private final String jobId;

    public PoisonMessage(String message, String jobId, Throwable cause) {
        super(ErrorCode.INVALID_JOB, false, Phase.VALIDATING, message, cause);
        this.jobId = jobId;
    }

    public Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }
}
