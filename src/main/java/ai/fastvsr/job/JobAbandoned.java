package ai.fastvsr.job;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * The worker is shutting down and gave up on a job before finishing it. Not a failure of the job: the route lets
 * it escape without an event and without a commit, so Kafka hands the job to another worker.
 */
public class JobAbandoned extends RuntimeException {
    public JobAbandoned(String jobId, Throwable cause) {
        super("job " + jobId + " abandoned: the worker is shutting down", cause);
    }

    /** As rethrown by the route (Camel's throwException builds it from the message). */
    public JobAbandoned(String message) {
        super(message);
    }

    /** True when {@code e} (or a cause) says the work was interrupted rather than failed. */
    public static boolean isInterruption(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException
                    || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }
}
