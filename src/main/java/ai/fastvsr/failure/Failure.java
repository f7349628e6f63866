package ai.fastvsr.failure;

/**
 * Something that cannot be done, with what the {@code failed} event reports: a stable code, whether a retry could
 * help, and the phase it failed in. Not tied to jobs: model loading and {@code upscale} throw it too, so it lives
 * in this package, which depends on nothing else of the worker (video, storage, inference and job all use it).
 */
public class Failure extends Exception {
    private final ErrorCode code;
    private final boolean retryable;
    private final Phase phase;

    public Failure(ErrorCode code, boolean retryable, Phase phase, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
        this.phase = phase;
    }

    public Failure(ErrorCode code, Phase phase, String message) {
        this(code, false, phase, message, null);
    }

    /** The code any error reports, in events, metrics and dead letters alike: its own, or INTERNAL. */
    public static ErrorCode codeOf(Throwable error) {
        return error instanceof Failure failure ? failure.code() : ErrorCode.INTERNAL;
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
