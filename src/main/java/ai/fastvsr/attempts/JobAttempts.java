package ai.fastvsr.attempts;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.job.CrashLoop;
import ai.fastvsr.job.DeadLetterRef;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRoute;
import ai.fastvsr.job.S3Location;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job route's attempt bookkeeping (camel-routes/jobs.yaml). An attempt is recorded before the job's accepted
 * event and before any heavy work, so a worker that dies from then on leaves a trace; it is closed when the job
 * ends normally and withdrawn when the worker gives the job back on shutdown. A job whose attempts crashed too
 * often is refused with {@link CrashLoop}. Multipart uploads that crashed attempts left on a job's output are
 * aborted when the next attempt begins, when the job is quarantined and when a worker starts.
 */
public final class JobAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(JobAttempts.class);

    private final AttemptStore store;
    private final AttemptRules rules;
    private final Supplier<Predicate<String>> liveInstances;
    private final OrphanUploads uploads;
    private final String worker;
    private final String instance;
    private final String group;
    private final Clock clock;

    /**
     * @param liveInstances asked only when a job has earlier attempts: which instances are alive right now
     * @param worker        host name, shown in attempt lists
     * @param instance      this process's unique instance id (its Kafka client id)
     * @param group         this worker's consumer group, the one {@code liveInstances} describes
     */
    public JobAttempts(
            AttemptStore store,
            AttemptRules rules,
            Supplier<Predicate<String>> liveInstances,
            OrphanUploads uploads,
            String worker,
            String instance,
            String group,
            Clock clock) {
        this.store = store;
        this.rules = rules;
        this.liveInstances = liveInstances;
        this.uploads = uploads;
        this.worker = worker;
        this.instance = instance;
        this.group = group;
        this.clock = clock;
    }

    /** Records this attempt, or refuses the job; the route keeps the attempt for {@link #end} and the failed event. */
    public Attempt begin(@ExchangeProperty(JobRoute.JOB) JobRequest job) throws CrashLoop {
        AttemptHistory history = store.read(job.jobId()).orElse(null);
        Predicate<Attempt> live = history == null || history.attempts().isEmpty() ? a -> false : running();
        AttemptRules.Run run = rules.decide(job.jobId(), history, instance, live);
        if (!run.crashed().isEmpty()) {
            LOG.warn(
                    "job {}: {} earlier attempt(s) took their worker down: {}",
                    job.jobId(),
                    run.crashed().size(),
                    run.crashed().stream().map(Attempt::crashed).toList());
            abortOrphans(job.output().uri(), job.jobId(), live);
        }
        Attempt mine = new Attempt(
                UUID.randomUUID().toString(),
                run.earlier().size() + 1,
                worker,
                instance,
                group,
                clock.instant().toString(),
                job.output().uri());
        List<Attempt> attempts = new ArrayList<>(run.earlier());
        attempts.add(mine);
        store.write(new AttemptHistory(job.jobId(), attempts, null));
        return mine;
    }

    /** The job ended normally, completed or failed: a failure is not a crash, so its history is closed. */
    public void end(
            @ExchangeProperty(JobRoute.JOB) JobRequest job, @ExchangeProperty(JobRoute.ATTEMPT) Attempt attempt) {
        if (attempt != null) {
            store.clear(job.jobId());
        }
    }

    /** Given back at shutdown, not crashed: the attempt is withdrawn (best effort, the worker is stopping). */
    public void abandon(
            @ExchangeProperty(JobRoute.JOB) JobRequest job, @ExchangeProperty(JobRoute.ATTEMPT) Attempt attempt) {
        if (attempt == null) {
            return;
        }
        // the shutdown interrupted this thread, and Kafka's clients refuse to work on an interrupted thread
        boolean interrupted = Thread.interrupted();
        try {
            store.read(job.jobId()).ifPresent(h -> {
                AttemptHistory rest = h.without(attempt.id());
                if (rest.attempts().isEmpty() && rest.quarantine() == null) {
                    store.clear(job.jobId());
                } else {
                    store.write(rest);
                }
            });
        } catch (AttemptsUnavailable e) {
            LOG.warn(
                    "job {}: attempt {} not withdrawn, it will count as a crash: {}",
                    job.jobId(),
                    attempt.number(),
                    e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A fresh quarantine, after the dead-letter copy was acknowledged: records the quarantine (so every later
     * delivery is answered from it) and aborts the uploads the crashed attempts left.
     */
    public void quarantine(
            @ExchangeProperty(JobRoute.JOB) JobRequest job,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) CrashLoop crash,
            @Header(KafkaConstants.KAFKA_RECORD_META) List<RecordMetadata> deadLetter) {
        RecordMetadata sent = deadLetter.get(0);
        DeadLetterRef where = new DeadLetterRef(sent.topic(), sent.partition(), sent.offset());
        crash.deadLettered(where);
        store.write(new AttemptHistory(
                job.jobId(),
                List.of(),
                new Quarantine(
                        crash.attempts(),
                        worker,
                        clock.instant().toString(),
                        job.output().uri(),
                        where)));
        LOG.warn(
                "job {}: quarantined after {} crashed attempts; original on {}",
                job.jobId(),
                crash.attempts().size(),
                where);
        abortOrphans(job.output().uri(), job.jobId(), running());
    }

    /**
     * At start-up: aborts the uploads of every job whose recorded attempts all belong to workers that are gone,
     * unless a live attempt (of any job) writes the same key.
     *
     * @return how many uploads were aborted
     */
    public int sweep() {
        Predicate<Attempt> live = running();
        int aborted = 0;
        for (AttemptHistory h : store.all()) {
            if (h.attempts().stream().noneMatch(a -> mayUpload(a, live))) {
                for (String output : h.outputs()) {
                    aborted += abortOrphans(output, null, live);
                }
            }
        }
        return aborted;
    }

    private int abortOrphans(String output, String jobId, Predicate<Attempt> live) {
        if (owned(output, jobId, live)) {
            LOG.info("uploads to {} left as they are: a live attempt writes that key", output);
            return 0;
        }
        try {
            int n = uploads.abortAll(S3Location.parse(output));
            if (n > 0) {
                LOG.warn("aborted {} multipart upload(s) to {} that crashed attempts left", n, output);
            }
            return n;
        } catch (Failure | IllegalArgumentException e) {
            LOG.warn(
                    "uploads to {} that crashed attempts left are not aborted (a bucket lifecycle rule will): {}",
                    output,
                    e.getMessage());
            return 0;
        }
    }

    /**
     * Whether an attempt that may still be uploading writes {@code output}. For the job itself ({@code jobId}) only
     * other live processes count: this process's earlier attempts at it were given up and the one beginning has
     * not uploaded yet. For other jobs this process's own attempts count too.
     */
    private boolean owned(String output, String jobId, Predicate<Attempt> live) {
        for (AttemptHistory h : store.all()) {
            boolean sameJob = h.jobId().equals(jobId);
            for (Attempt a : h.attempts()) {
                if (a.output().equals(output)
                        && (sameJob ? !a.instance().equals(instance) && live.test(a) : mayUpload(a, live))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean mayUpload(Attempt a, Predicate<Attempt> live) {
        return a.instance().equals(instance) || live.test(a);
    }

    /**
     * Which attempts may still be running: those of live members of this worker's group, and any of another group
     * (fleets on other job topics may share the store; whether their processes live is theirs to tell).
     */
    private Predicate<Attempt> running() {
        Predicate<String> members = liveInstances.get();
        return a -> !group.equals(a.group()) || members.test(a.instance());
    }
}
