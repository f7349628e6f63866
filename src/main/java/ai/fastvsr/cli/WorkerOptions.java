package ai.fastvsr.cli;

import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.job.AccessPolicy;
import ai.fastvsr.job.Limits;
import ai.fastvsr.storage.RetryPolicy;
import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The worker's settings as options. Every option has an environment variable (for containers) and a default that
 * works from any folder (routes and the default model come from the jar).
 */
final class WorkerOptions {
    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--group",
            defaultValue = "${env:FASTVSR_KAFKA_GROUP:-fastvsr-workers}",
            description = "consumer group shared by all workers (env FASTVSR_KAFKA_GROUP; default ${DEFAULT-VALUE})")
    String group;

    @Option(
            names = "--dlq-topic",
            defaultValue = "${env:FASTVSR_DLQ_TOPIC:-vsr.jobs.dlq}",
            description = "dead-letter topic (env FASTVSR_DLQ_TOPIC; default ${DEFAULT-VALUE})")
    String dlqTopic;

    @Option(
            names = "--max-poll-interval-ms",
            defaultValue = "${env:FASTVSR_MAX_POLL_INTERVAL_MS:-1800000}",
            description = "longest a job may take before Kafka reassigns it; keep at ~2x the longest segment "
                    + "(env FASTVSR_MAX_POLL_INTERVAL_MS; default ${DEFAULT-VALUE})")
    long maxPollIntervalMs;

    @Mixin
    S3Options s3Options;

    @Option(names = "--model", defaultValue = "${env:FASTVSR_MODEL_DIR}", description = ModelDirs.OPTION_DESCRIPTION)
    Path modelDir;

    @Option(
            names = "--routes",
            defaultValue = "${env:FASTVSR_ROUTES_DIR}",
            description = "directory of the Camel YAML routes (env FASTVSR_ROUTES_DIR; default: the routes in the "
                    + "jar, camel-routes/)")
    Path routesDir;

    @Option(
            names = "--work-dir",
            defaultValue = "${env:FASTVSR_WORK_DIR:-${sys:java.io.tmpdir}/fastvsr}",
            description = "where jobs keep their temp files (env FASTVSR_WORK_DIR; default ${DEFAULT-VALUE})")
    Path workDir;

    @Mixin
    EngineOptions engine;

    @Option(
            names = "--input-allow",
            defaultValue = "${env:FASTVSR_INPUT_ALLOW:-*}",
            description =
                    "buckets or bucket/prefixes jobs may read, comma-separated; * = any (env FASTVSR_INPUT_ALLOW)")
    String inputAllow;

    @Option(
            names = "--output-allow",
            defaultValue = "${env:FASTVSR_OUTPUT_ALLOW:-*}",
            description =
                    "buckets or bucket/prefixes jobs may write, comma-separated; * = any (env FASTVSR_OUTPUT_ALLOW)")
    String outputAllow;

    @Option(
            names = "--split-prefix",
            defaultValue = "${env:FASTVSR_SPLIT_PREFIX:-" + AccessPolicy.DEFAULT_SPLIT_PREFIX + "}",
            description = "where split jobs keep their pieces, renditions and manifest, under <prefix><parent jobId>/ "
                    + "in the output's bucket; give it a lifecycle rule (env FASTVSR_SPLIT_PREFIX)")
    String splitPrefix;

    @Option(
            names = "--max-input-bytes",
            defaultValue = "${env:FASTVSR_MAX_INPUT_BYTES:-21474836480}",
            description = "largest input object (env FASTVSR_MAX_INPUT_BYTES; default 20 GiB)")
    long maxInputBytes;

    @Option(
            names = "--max-input-size",
            defaultValue = "${env:FASTVSR_MAX_INPUT_SIZE:-3840x2160}",
            description =
                    "largest input frame WxH; also caps the pixel count (env FASTVSR_MAX_INPUT_SIZE; default ${DEFAULT-VALUE})")
    String maxInputSize;

    @Option(
            names = "--max-duration-s",
            defaultValue = "${env:FASTVSR_MAX_DURATION_S:-3600}",
            description = "longest input (env FASTVSR_MAX_DURATION_S; default ${DEFAULT-VALUE})")
    long maxDurationSeconds;

    @Option(
            names = "--max-frames",
            defaultValue = "${env:FASTVSR_MAX_FRAMES:-216000}",
            description = "most frames per input (env FASTVSR_MAX_FRAMES; default ${DEFAULT-VALUE})")
    long maxFrames;

    @Option(
            names = "--storage-retries",
            defaultValue = "${env:FASTVSR_STORAGE_RETRIES:-10}",
            description = "attempts per storage call on transient errors, backoff 0.5 s doubling to 10 s "
                    + "(env FASTVSR_STORAGE_RETRIES; default ${DEFAULT-VALUE})")
    int storageRetries;

    @Option(
            names = "--group-instance-id",
            defaultValue = "${env:FASTVSR_GROUP_INSTANCE_ID}",
            description = "static group membership id, e.g. the pod name (env FASTVSR_GROUP_INSTANCE_ID)")
    String groupInstanceId;

    @Option(
            names = "--http-port",
            defaultValue = "${env:FASTVSR_HTTP_PORT:-8080}",
            description =
                    "port of /health/live, /health/ready and /metrics; -1 = off (env FASTVSR_HTTP_PORT; default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(
            names = "--progress-interval-s",
            defaultValue = "${env:FASTVSR_PROGRESS_INTERVAL_S:-5}",
            description = "at most one progress event per job per this many seconds, plus one per phase "
                    + "(env FASTVSR_PROGRESS_INTERVAL_S; default ${DEFAULT-VALUE})")
    double progressIntervalSeconds;

    @Option(
            names = "--kafka-config",
            defaultValue = "${env:FASTVSR_KAFKA_CONFIG}",
            description = "a properties file of Kafka client settings for every client of the worker: "
                    + "security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ... "
                    + "(env FASTVSR_KAFKA_CONFIG). Keep it in a Secret: it may hold passwords.")
    Path kafkaConfig;

    @Option(
            names = "--session-timeout-ms",
            defaultValue = "${env:FASTVSR_SESSION_TIMEOUT_MS:-45000}",
            description = "Kafka session timeout: how soon a dead worker's partitions go to others "
                    + "(env FASTVSR_SESSION_TIMEOUT_MS; default ${DEFAULT-VALUE}; the broker's minimum is 6000)")
    long sessionTimeoutMs;

    @Option(
            names = "--shutdown-grace-s",
            defaultValue = "${env:FASTVSR_SHUTDOWN_GRACE_S:-60}",
            description = "on SIGTERM, how long the job in flight may finish before it is abandoned uncommitted "
                    + "(env FASTVSR_SHUTDOWN_GRACE_S; default ${DEFAULT-VALUE})")
    int shutdownGraceSeconds;

    @Option(
            names = "--attempts-topic",
            defaultValue = "${env:FASTVSR_ATTEMPTS_TOPIC:-vsr.jobs.attempts}",
            description =
                    "compacted topic where every attempt at a job is recorded before its heavy work, shared "
                            + "by all workers; created compacted if missing (env FASTVSR_ATTEMPTS_TOPIC; default ${DEFAULT-VALUE})")
    String attemptsTopic;

    @Option(
            names = "--max-crashes",
            defaultValue = "${env:FASTVSR_MAX_CRASHES:-3}",
            description = "attempts at a job that may take their worker down (native crash, OOM kill, GPU reset) "
                    + "before the job is quarantined: failed CRASH_LOOP, copied to the dead-letter topic, never run "
                    + "again; at least 1 (env FASTVSR_MAX_CRASHES; default ${DEFAULT-VALUE})")
    int maxCrashes;

    @Mixin
    IntakeOptions intake;

    @Option(
            names = "--concurrent-jobs",
            defaultValue = "${env:FASTVSR_CONCURRENT_JOBS:-0}",
            description = "jobs this worker runs at once (Kafka consumers sharing the model); 0 = 1 on the CPU "
                    + "engine, on GPU engines half the cores, 2 to 8: the encoders run on the CPU "
                    + "(env FASTVSR_CONCURRENT_JOBS)")
    int concurrentJobs;

    @Option(
            names = "--max-jobs",
            defaultValue = "${env:FASTVSR_MAX_JOBS:-0}",
            description = "exit after this many jobs; 0 = never (env FASTVSR_MAX_JOBS; 1 under a KEDA ScaledJob)")
    int maxJobs;

    WorkerSettings settings(String kafkaOverride, S3Settings s3Override) throws IOException {
        S3Settings s3 = s3Override != null ? s3Override : s3Options.settings();
        return new WorkerSettings(
                        kafkaOverride != null ? kafkaOverride : kafka.brokers,
                        group,
                        topics(),
                        maxPollIntervalMs,
                        s3,
                        ModelDirs.orBundled(modelDir),
                        routesDir,
                        workDir,
                        engine.settings(),
                        guardrails())
                .withIntake(intake.settings())
                .withMaxJobs(maxJobs)
                .withKafkaProperties(kafkaProperties())
                .withConcurrentJobs(concurrentJobs(
                        concurrentJobs, engine.engine, Runtime.getRuntime().availableProcessors()))
                .withObservability(new WorkerSettings.Observability(
                        httpPort, Duration.ofMillis(Math.round(progressIntervalSeconds * 1000))))
                .withAttempts(new WorkerSettings.Attempts(attemptsTopic, maxCrashes));
    }

    /**
     * 0 = the engine's default: one job on the CPU engine (inference takes every core); on a GPU, half the cores,
     * between 2 and 8, because each job's encoder needs a core or two while the GPU serves them all.
     */
    static int concurrentJobs(int requested, EngineKind engine, int cores) {
        if (requested > 0) {
            return requested;
        }
        return engine == EngineKind.CPU ? 1 : Math.max(2, Math.min(8, cores / 2));
    }

    WorkerSettings.Guardrails guardrails() {
        String[] wh = maxInputSize.toLowerCase().split("x");
        int w = Integer.parseInt(wh[0].strip());
        int h = Integer.parseInt(wh[1].strip());
        return new WorkerSettings.Guardrails(
                new AccessPolicy(AccessPolicy.parseList(inputAllow), AccessPolicy.parseList(outputAllow), splitPrefix),
                new Limits(maxInputBytes, w, h, (long) w * h, maxDurationSeconds * 1000, maxFrames),
                new RetryPolicy(Math.max(1, storageRetries), 500, 10_000),
                groupInstanceId,
                shutdownGraceSeconds,
                sessionTimeoutMs);
    }

    private Map<String, String> kafkaProperties() throws IOException {
        if (kafkaConfig == null) {
            return Map.of();
        }
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(kafkaConfig)) {
            props.load(in);
        }
        Map<String, String> out = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k)));
        return out;
    }

    Topics topics() {
        return new Topics(kafka.jobsTopic, kafka.eventsTopic, dlqTopic);
    }
}
