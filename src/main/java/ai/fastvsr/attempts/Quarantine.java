package ai.fastvsr.attempts;

import ai.fastvsr.job.CrashedAttempt;
import ai.fastvsr.job.DeadLetterRef;
import java.util.List;

/** A job that is never run again: which attempts crashed, who quarantined it when, and where its original lies. */
public record Quarantine(
        List<CrashedAttempt> attempts, String worker, String at, String output, DeadLetterRef deadLetter) {
    public Quarantine {
        attempts = List.copyOf(attempts);
    }
}
