package ai.fastvsr.job;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A job that crashed its workers too often: it is not run. Either this worker quarantines it now ({@link #fresh()}:
 * the route copies it to the dead-letter topic and records where), or it was quarantined before and this is a
 * redelivery, answered from the quarantine record ({@link #deadLetter()} known).
 */
public final class CrashLoop extends Failure {
    private final List<CrashedAttempt> attempts;
    private final boolean fresh;
    private volatile DeadLetterRef deadLetter;

    private CrashLoop(String message, List<CrashedAttempt> attempts, boolean fresh, DeadLetterRef deadLetter) {
        super(ErrorCode.CRASH_LOOP, false, null, message, null);
        this.attempts = List.copyOf(attempts);
        this.fresh = fresh;
        this.deadLetter = deadLetter;
    }

    /** To be quarantined by this worker now. */
    public static CrashLoop quarantine(String jobId, List<CrashedAttempt> attempts) {
        return new CrashLoop(
                "job " + jobId + " took its worker down on " + attempts.size() + " attempts (" + describe(attempts)
                        + "): quarantined, not run again",
                attempts,
                true,
                null);
    }

    /** Quarantined before: the redelivery is answered from the quarantine record. */
    public static CrashLoop alreadyQuarantined(String jobId, List<CrashedAttempt> attempts, DeadLetterRef deadLetter) {
        return new CrashLoop(
                "job " + jobId + " was quarantined after " + attempts.size() + " crashed attempts ("
                        + describe(attempts) + "); its original is on " + deadLetter + "; not run again",
                attempts,
                false,
                deadLetter);
    }

    public List<CrashedAttempt> attempts() {
        return attempts;
    }

    /** True when this worker quarantines the job now; false for a redelivery of a quarantined job. */
    public boolean isFresh() {
        return fresh;
    }

    /** Where the original job lies on the dead-letter topic; null until a fresh quarantine has copied it. */
    public DeadLetterRef deadLetter() {
        return deadLetter;
    }

    /** Set by the quarantine once the dead-letter copy was acknowledged, for the failed event. */
    public void deadLettered(DeadLetterRef where) {
        this.deadLetter = where;
    }

    private static String describe(List<CrashedAttempt> attempts) {
        return attempts.stream().map(a -> a.worker() + " at " + a.startedAt()).collect(Collectors.joining(", "));
    }
}
