package ai.fastvsr.worker;

import ai.fastvsr.job.JobRoute;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.main.Main;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the worker after a number of jobs, for one-job-per-pod runs under a KEDA ScaledJob. Counts exchanges of the
 * job route that completed (a job with its final event published and its offset committed; a failed job counts,
 * a route error that leaves the offset uncommitted does not), then asks Camel Main to stop: the consumer stops
 * polling and shuts down gracefully. Should the consumer already have taken the next record, that job either
 * finishes in the grace period or stays uncommitted and is redelivered to another worker.
 */
final class JobBudget extends EventNotifierSupport {
    private static final Logger LOG = LoggerFactory.getLogger(JobBudget.class);

    private final int maxJobs;
    private final Runnable stop;
    private final AtomicInteger done = new AtomicInteger();

    JobBudget(int maxJobs, Runnable stop) {
        this.maxJobs = maxJobs;
        this.stop = stop;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreStepEvents(true);
    }

    /** Camel Main picks up event notifiers from its registry. */
    static void bindIfLimited(Main main, int maxJobs) {
        if (maxJobs > 0) {
            main.bind("jobBudget", new JobBudget(maxJobs, main::completed));
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeCompletedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        var exchange = ((ExchangeCompletedEvent) event).getExchange();
        if (!JobRoute.ID.equals(exchange.getFromRouteId()) || exchange.isFailed()) {
            return;
        }
        int n = done.incrementAndGet();
        if (n == maxJobs) {
            LOG.info("{} job(s) done, --max-jobs reached: stopping", n);
            stop.run();
        }
    }
}
