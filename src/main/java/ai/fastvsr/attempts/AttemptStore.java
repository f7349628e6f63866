package ai.fastvsr.attempts;

import java.util.Collection;
import java.util.Optional;

/**
 * Attempt histories by jobId, shared by every worker of the fleet and kept across restarts. Reads see every write
 * acknowledged before them, by any worker. Failures are {@link AttemptsUnavailable}.
 */
public interface AttemptStore {
    Optional<AttemptHistory> read(String jobId);

    /** Every history the store holds: open attempts and quarantined jobs. */
    Collection<AttemptHistory> all();

    void write(AttemptHistory history);

    /** Forgets the job: it ended normally. */
    void clear(String jobId);
}
