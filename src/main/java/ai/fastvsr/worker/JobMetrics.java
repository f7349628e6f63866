package ai.fastvsr.worker;

import ai.fastvsr.events.JobResult;
import ai.fastvsr.events.Timing;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.job.JobRoute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * The job route's counters, timers and gauges (Prometheus names {@code fastvsr_*}). The route calls it at each
 * outcome, so every path out of a job is counted exactly once.
 */
public final class JobMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter completed;
    private final Counter quarantined;
    private final Counter frames;
    private final DistributionSummary fps;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("fastvsr.jobs.in.flight", inFlight, AtomicInteger::get)
                .description("jobs being processed by this worker")
                .register(registry);
        this.completed = Counter.builder("fastvsr.jobs.completed")
                .description("jobs completed")
                .register(registry);
        this.quarantined = Counter.builder("fastvsr.jobs.quarantined")
                .description("jobs this worker quarantined for crashing their workers (each also failed CRASH_LOOP)")
                .register(registry);
        this.frames = Counter.builder("fastvsr.frames")
                .description("frames upscaled (rate() gives frames/s)")
                .register(registry);
        this.fps = DistributionSummary.builder("fastvsr.job.fps")
                .description("frames/s of each finished job")
                .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            failedCounter(code);
        }
    }

    public void accepted() {
        inFlight.incrementAndGet();
    }

    public void completed(@Body JobResult result) {
        inFlight.decrementAndGet();
        completed.increment();
        if (result.reused()) {
            return;
        }
        frames.increment(result.output().frameCount());
        result.timingsMs().forEach((phase, ms) -> phaseTimer(phase).record(Duration.ofMillis(ms)));
        Long processMs = result.timingsMs().get(Timing.PROCESS.key());
        if (processMs != null && processMs > 0) {
            fps.record(result.output().frameCount() * 1000.0 / processMs);
        }
    }

    /**
     * Any failure: a job that was accepted (in flight: it has an attempt), a poison message or a job refused for
     * crashing its workers (neither ever was).
     */
    public void failed(
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable error,
            @ExchangeProperty(JobRoute.ATTEMPT) Object attempt) {
        if (attempt != null) {
            inFlight.decrementAndGet();
        }
        failedCounter(Failure.codeOf(error)).increment();
    }

    /** A job given back uncommitted (shutdown, attempt store unreachable): no longer in flight here, not failed. */
    public void released(@ExchangeProperty(JobRoute.ATTEMPT) Object attempt) {
        if (attempt != null) {
            inFlight.decrementAndGet();
        }
    }

    /** This worker quarantined a job: copied it to the dead-letter topic and recorded the quarantine. */
    public void quarantined() {
        quarantined.increment();
    }

    private Counter failedCounter(ErrorCode code) {
        return Counter.builder("fastvsr.jobs.failed")
                .tag("errorCode", code.name())
                .description("jobs failed")
                .register(registry);
    }

    private Timer phaseTimer(String phase) {
        return Timer.builder("fastvsr.job.phase")
                .tag("phase", phase)
                .description("time per job phase")
                .publishPercentileHistogram()
                .register(registry);
    }
}
