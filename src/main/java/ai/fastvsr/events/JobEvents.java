package ai.fastvsr.events;

import ai.fastvsr.attempts.Attempt;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.CrashLoop;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRoute;
import ai.fastvsr.job.PoisonMessage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * Builds the CloudEvents the worker publishes. Subject = jobId (also the Kafka key), data = one of the records in
 * this package as JSON, so consumers never parse free text.
 */
public final class JobEvents {
    private final ObjectMapper json;
    private final WorkerInfo worker;
    private final URI source;

    public JobEvents(ObjectMapper json, WorkerInfo worker) {
        this.json = json;
        this.worker = worker;
        this.source = URI.create("urn:fastvsr-worker:" + worker.host());
    }

    /**
     * The job was taken. A split parent's join job is the parent's second delivery, not a new job: it reports
     * progress (phase {@code JOINING}, all segments done) instead of a second accepted event.
     */
    public CloudEvent accepted(@ExchangeProperty(JobRoute.JOB) JobRequest job) {
        if (job.join() != null) {
            return segments(
                    job, Phase.JOINING, job.join().segments(), job.join().segments());
        }
        return event(
                EventType.ACCEPTED,
                job.jobId(),
                new AcceptedData(
                        job.jobId(),
                        job.input().uri(),
                        job.output().uri(),
                        worker.model(),
                        worker,
                        job.userMetadata()));
    }

    public CloudEvent completed(@ExchangeProperty(JobRoute.JOB) JobRequest job, @Body JobResult result) {
        return event(
                EventType.COMPLETED,
                job.jobId(),
                new CompletedData(
                        job.jobId(),
                        List.of(result.output()),
                        result.input(),
                        result.timingsMs(),
                        result.reused(),
                        worker,
                        job.userMetadata(),
                        result.segments()));
    }

    public CloudEvent progress(
            JobRequest job, Phase phase, double percent, Long framesDone, Long framesTotal, Double fps, Long etaMs) {
        return event(
                EventType.PROGRESS,
                job.jobId(),
                new ProgressData(
                        job.jobId(),
                        phase,
                        percent,
                        framesDone,
                        framesTotal,
                        fps,
                        etaMs,
                        null,
                        null,
                        worker,
                        job.userMetadata()));
    }

    /** A split parent has cut its input into {@code segments} child jobs, none of them done yet. */
    public CloudEvent split(
            @ExchangeProperty(JobRoute.JOB) JobRequest parent, @ExchangeProperty(JobRoute.SEGMENTS) int segments) {
        return segments(parent, Phase.SPLITTING, segments, 0);
    }

    /** A split parent's progress: how many segments, how many of them done (percent by segments). */
    public CloudEvent segments(JobRequest parent, Phase phase, int segments, int done) {
        double percent = Math.round(1000.0 * done / segments) / 10.0;
        return event(
                EventType.PROGRESS,
                parent.jobId(),
                new ProgressData(
                        parent.jobId(),
                        phase,
                        percent,
                        null,
                        null,
                        null,
                        null,
                        segments,
                        done,
                        worker,
                        parent.userMetadata()));
    }

    /**
     * The failed event for whatever stopped the job. Returns null when there is nobody to tell: a poison message
     * without a readable jobId only goes to the dead-letter topic.
     *
     * @param attempt this worker's attempt at the job (its number goes into the event), null when none began: a
     *                poison message, or a job refused for crashing its workers
     */
    public CloudEvent failed(
            @ExchangeProperty(JobRoute.JOB) JobRequest job,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable error,
            @ExchangeProperty(JobRoute.ATTEMPT) Attempt attempt) {
        String jobId = job != null ? job.jobId() : null;
        Map<String, Object> userMetadata = job != null ? job.userMetadata() : Map.of();
        if (error instanceof PoisonMessage poison && jobId == null) {
            jobId = poison.jobId().orElse(null);
        }
        int number = attempt != null ? attempt.number() : 1;
        FailedData data;
        if (error instanceof CrashLoop crash) {
            data = new FailedData(
                    jobId,
                    ErrorCode.CRASH_LOOP,
                    crash.getMessage(),
                    false,
                    null,
                    crash.attempts().size() + 1,
                    worker,
                    userMetadata,
                    crash.attempts(),
                    crash.deadLetter());
        } else if (error instanceof Failure failure) {
            data = new FailedData(
                    jobId,
                    failure.code(),
                    failure.getMessage(),
                    failure.retryable(),
                    failure.phase(),
                    number,
                    worker,
                    userMetadata);
        } else {
            String message =
                    error == null ? "unknown error" : error.getClass().getSimpleName() + ": " + error.getMessage();
            data = new FailedData(jobId, ErrorCode.INTERNAL, message, true, null, number, worker, userMetadata);
        }
        return jobId == null ? null : event(EventType.FAILED, jobId, data);
    }

    private CloudEvent event(EventType type, String jobId, Object data) {
        try {
            return CloudEventBuilder.v1()
                    .withId(UUID.randomUUID().toString())
                    .withSource(source)
                    .withType(type.type())
                    .withSubject(jobId)
                    .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                    .withDataContentType("application/json")
                    .withData(json.writeValueAsBytes(data))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data not serialisable", e);
        }
    }
}
