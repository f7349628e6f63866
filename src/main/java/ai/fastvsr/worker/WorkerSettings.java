package ai.fastvsr.worker;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.intake.IntakeSettings;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.Limits;
import ai.fastvsr.storage.RetryPolicy;
import ai.fastvsr.storage.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Everything a worker needs to run, resolved once from command line, environment and defaults. */
public record WorkerSettings(
        String kafkaBrokers,
        String groupId,
        Topics topics,
        long maxPollIntervalMs,
        S3Settings s3,
        Path modelDir,
        Path routesDir,
        Path workDir,
        EngineSettings engine,
        Guardrails guardrails,
        IntakeSettings intake,
        int maxJobs,
        Observability observability,
        Map<String, String> kafkaProperties,
        int concurrentJobs,
        Attempts attempts) {

    public WorkerSettings {
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
        concurrentJobs = Math.max(1, concurrentJobs);
        attempts = attempts == null ? Attempts.DEFAULT : attempts;
    }

    /**
     * Crash-loop protection: the compacted topic where every attempt at a job is recorded before its heavy work,
     * and how many attempts may take their worker down before the job is quarantined.
     */
    public record Attempts(String topic, int maxCrashes) {
        public static final Attempts DEFAULT = new Attempts("vsr.jobs.attempts", 3);

        public Attempts {
            if (maxCrashes < 1) {
                throw new IllegalArgumentException("--max-crashes must be at least 1, got " + maxCrashes);
            }
        }
    }

    /** HTTP port for health and metrics (0: any free port, -1: none) and how often progress events may go out. */
    public record Observability(int httpPort, Duration progressInterval) {
        public static final Observability DEFAULT = new Observability(-1, Duration.ofSeconds(5));
    }

    /** Fleet additions off: no MAM intake, no job limit. */
    public WorkerSettings(
            String kafkaBrokers,
            String groupId,
            Topics topics,
            long maxPollIntervalMs,
            S3Settings s3,
            Path modelDir,
            Path routesDir,
            Path workDir,
            EngineSettings engine,
            Guardrails guardrails) {
        this(
                kafkaBrokers,
                groupId,
                topics,
                maxPollIntervalMs,
                s3,
                modelDir,
                routesDir,
                workDir,
                engine,
                guardrails,
                IntakeSettings.DISABLED,
                0,
                Observability.DEFAULT,
                Map.of(),
                1,
                Attempts.DEFAULT);
    }

    public WorkerSettings withIntake(IntakeSettings intake) {
        return new WorkerSettings(
                kafkaBrokers,
                groupId,
                topics,
                maxPollIntervalMs,
                s3,
                modelDir,
                routesDir,
                workDir,
                engine,
                guardrails,
                intake,
                maxJobs,
                observability,
                kafkaProperties,
                concurrentJobs,
                attempts);
    }

    /**
     * Extra Kafka client settings for every client the worker opens (security.protocol, sasl.*, ssl.*, ...): how
     * SASL and TLS reach the consumer, the producers and the admin client.
     */
    public WorkerSettings withKafkaProperties(Map<String, String> kafkaProperties) {
        return new WorkerSettings(
                kafkaBrokers,
                groupId,
                topics,
                maxPollIntervalMs,
                s3,
                modelDir,
                routesDir,
                workDir,
                engine,
                guardrails,
                intake,
                maxJobs,
                observability,
                kafkaProperties,
                concurrentJobs,
                attempts);
    }

    public WorkerSettings withObservability(Observability observability) {
        return new WorkerSettings(
                kafkaBrokers,
                groupId,
                topics,
                maxPollIntervalMs,
                s3,
                modelDir,
                routesDir,
                workDir,
                engine,
                guardrails,
                intake,
                maxJobs,
                observability,
                kafkaProperties,
                concurrentJobs,
                attempts);
    }

    /**
     * Jobs processed at once: that many Kafka consumers in the group (each with its own partitions, committing
     * its own jobs) sharing the one loaded model. A GPU worker needs several, since each job's encoder runs on the
     * CPU at a fraction of the GPU's pace.
     */
    public WorkerSettings withConcurrentJobs(int concurrentJobs) {
        return new WorkerSettings(
                kafkaBrokers,
                groupId,
                topics,
                maxPollIntervalMs,
                s3,
                modelDir,
                routesDir,
                workDir,
                engine,
                guardrails,
                intake,
                maxJobs,
                observability,
                kafkaProperties,
                concurrentJobs,
                attempts);
    }

    /**
     * Kafka consumers of the job topic: the concurrent jobs, but never more than a job budget allows, so a
     * one-job pod (KEDA ScaledJob, --max-jobs 1) takes one job.
     */
    public int jobConsumers() {
        return maxJobs > 0 ? Math.min(concurrentJobs, maxJobs) : concurrentJobs;
    }

    public WorkerSettings withAttempts(Attempts attempts) {
        return new WorkerSettings(
                kafkaBrokers,
                groupId,
                topics,
                maxPollIntervalMs,
                s3,
                modelDir,
                routesDir,
                workDir,
                engine,
                guardrails,
                intake,
                maxJobs,
                observability,
                kafkaProperties,
                concurrentJobs,
                attempts);
    }

    /** Stop after this many jobs (0: never): one job per pod under a KEDA ScaledJob. */
    public WorkerSettings withMaxJobs(int maxJobs) {
        return new WorkerSettings(
                kafkaBrokers,
                groupId,
                topics,
                maxPollIntervalMs,
                s3,
                modelDir,
                routesDir,
                workDir,
                engine,
                guardrails,
                intake,
                maxJobs,
                observability,
                kafkaProperties,
                concurrentJobs,
                attempts);
    }

    /**
     * What protects the worker from its jobs and the store's hiccups: allow-lists, limits, storage retries, static
     * group membership (null = dynamic) and how long a running job may take to finish on shutdown.
     */
    public record Guardrails(
            AccessPolicy access,
            Limits limits,
            RetryPolicy retry,
            String groupInstanceId,
            int shutdownGraceSeconds,
            long sessionTimeoutMs) {
        /** Kafka's default session timeout: a silent worker loses its partitions after this long. */
        public static final long DEFAULT_SESSION_TIMEOUT_MS = 45_000;

        public static final Guardrails DEFAULT = new Guardrails(
                AccessPolicy.any(), Limits.DEFAULT, RetryPolicy.DEFAULT, null, 60, DEFAULT_SESSION_TIMEOUT_MS);

        public Guardrails(
                AccessPolicy access,
                Limits limits,
                RetryPolicy retry,
                String groupInstanceId,
                int shutdownGraceSeconds) {
            this(access, limits, retry, groupInstanceId, shutdownGraceSeconds, DEFAULT_SESSION_TIMEOUT_MS);
        }
    }

    /** The three topics of the contract (docs/asyncapi.yaml). */
    public record Topics(String jobs, String events, String deadLetters) {
        public static final Topics DEFAULT = new Topics("vsr.jobs", "vsr.events", "vsr.jobs.dlq");
    }
}
