package ai.fastvsr.attempts;

/**
 * The attempt store (or the consumer group that tells live workers from dead ones) could not be read or written.
 * Not a failure of the job: the route lets it escape uncommitted, so the job is redelivered once Kafka answers.
 */
public class AttemptsUnavailable extends RuntimeException {
    public AttemptsUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    /** As rethrown by the route (Camel's throwException builds it from the message). */
    public AttemptsUnavailable(String message) {
        super(message);
    }
}
