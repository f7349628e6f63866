package ai.fastvsr.job;

/**
 * A job that cannot complete. Carries what the {@code failed} event reports: a stable code, whether a retry could
 * help, and the phase it failed in.
 */
public class JobFailure extends Exception {
    private final ErrorCode code;
    private final boolean retryable;
    private final Phase phase;

    public JobFailure(ErrorCode code, boolean retryable, Phase phase, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
        this.phase = phase;
    }

    public JobFailure(ErrorCode code, Phase phase, String message) {
        this(code, false, phase, message, null);
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    public Phase phase() {
        return phase;
    }
}
