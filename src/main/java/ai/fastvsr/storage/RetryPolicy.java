package ai.fastvsr.storage;

import ai.fastvsr.failure.Failure;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a storage call that failed transiently (a {@link Failure} marked retryable), with exponential backoff
 * and "equal jitter" (half the delay fixed, half random) so a fleet does not hammer a recovering store in step.
 * Bounded in attempts; the last failure is rethrown as it was, still retryable, for the failed event.
 */
public record RetryPolicy(int maxAttempts, long initialDelayMs, long maxDelayMs) {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    /** 10 attempts, 0.5 s doubling to 10 s: waits at least 33 s (at most 65 s) in all, so a 20-30 s outage passes. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(10, 500, 10_000);

    public static final RetryPolicy NONE = new RetryPolicy(1, 0, 0);

    @FunctionalInterface
    public interface Call<T> {
        T run() throws Failure;
    }

    public <T> T call(String what, Call<T> call) throws Failure {
        long delay = initialDelayMs;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (Failure e) {
                if (!e.retryable() || attempt >= maxAttempts) {
                    throw e;
                }
                long sleep = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
                LOG.warn(
                        "{} failed (attempt {}/{}), retrying in {} ms: {}",
                        what,
                        attempt,
                        maxAttempts,
                        sleep,
                        e.getMessage());
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                delay = Math.min(maxDelayMs, delay * 2);
            }
        }
    }
}
