package ai.fastvsr.cli;

import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The worker's settings as options. Every option has an environment variable (for containers) and a default that
 * works from the repository root.
 */
final class WorkerOptions {
    @Option(names = "--kafka", defaultValue = "${env:FASTVSR_KAFKA_BROKERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env FASTVSR_KAFKA_BROKERS; default ${DEFAULT-VALUE})")
    String kafka;

    @Option(names = "--group", defaultValue = "${env:FASTVSR_KAFKA_GROUP:-fastvsr-workers}",
            description = "consumer group shared by all workers (env FASTVSR_KAFKA_GROUP; default ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--jobs-topic", defaultValue = "${env:FASTVSR_JOBS_TOPIC:-vsr.jobs}",
            description = "job topic (env FASTVSR_JOBS_TOPIC; default ${DEFAULT-VALUE})")
    String jobsTopic;

    @Option(names = "--events-topic", defaultValue = "${env:FASTVSR_EVENTS_TOPIC:-vsr.events}",
            description = "event topic (env FASTVSR_EVENTS_TOPIC; default ${DEFAULT-VALUE})")
    String eventsTopic;

    @Option(names = "--dlq-topic", defaultValue = "${env:FASTVSR_DLQ_TOPIC:-vsr.jobs.dlq}",
            description = "dead-letter topic (env FASTVSR_DLQ_TOPIC; default ${DEFAULT-VALUE})")
    String dlqTopic;

    @Option(names = "--max-poll-interval-ms", defaultValue = "${env:FASTVSR_MAX_POLL_INTERVAL_MS:-1800000}",
            description = "longest a job may take before Kafka reassigns it; keep at ~2x the longest segment "
                    + "(env FASTVSR_MAX_POLL_INTERVAL_MS; default ${DEFAULT-VALUE})")
    long maxPollIntervalMs;

    @Option(names = "--s3-endpoint", defaultValue = "${env:FASTVSR_S3_ENDPOINT:-http://localhost:9000}",
            description = "S3 endpoint URL (env FASTVSR_S3_ENDPOINT; default ${DEFAULT-VALUE})")
    String s3Endpoint;

    @Option(names = "--s3-region", defaultValue = "${env:FASTVSR_S3_REGION:-us-east-1}",
            description = "S3 region (env FASTVSR_S3_REGION; default ${DEFAULT-VALUE})")
    String s3Region;

    @Option(names = "--s3-access-key", defaultValue = "${env:FASTVSR_S3_ACCESS_KEY:-fastvsr}",
            description = "S3 access key (env FASTVSR_S3_ACCESS_KEY)")
    String s3AccessKey;

    @Option(names = "--s3-secret-key-file", defaultValue = "${env:FASTVSR_S3_SECRET_KEY_FILE}",
            description = "file holding the S3 secret key (env FASTVSR_S3_SECRET_KEY_FILE); else env "
                    + "FASTVSR_S3_SECRET_KEY. Never passed on the command line, where ps would show it.")
    Path s3SecretKeyFile;

    @Option(names = "--model", defaultValue = "${env:FASTVSR_MODEL_DIR:-models/reference-x4}",
            description = "model directory with model.json and the ONNX file (env FASTVSR_MODEL_DIR; default ${DEFAULT-VALUE})")
    Path modelDir;

    @Option(names = "--routes", defaultValue = "${env:FASTVSR_ROUTES_DIR:-camel-routes}",
            description = "directory of the Camel YAML routes (env FASTVSR_ROUTES_DIR; default ${DEFAULT-VALUE})")
    Path routesDir;

    @Option(names = "--work-dir", defaultValue = "${env:FASTVSR_WORK_DIR:-${sys:java.io.tmpdir}/fastvsr}",
            description = "where jobs keep their temp files (env FASTVSR_WORK_DIR; default ${DEFAULT-VALUE})")
    Path workDir;

    @Option(names = "--threads", defaultValue = "${env:FASTVSR_INFERENCE_THREADS:-0}",
            description = "inference threads; 0 = one per core (env FASTVSR_INFERENCE_THREADS)")
    int threads;

    @Mixin
    IntakeOptions intake;

    @Option(names = "--max-jobs", defaultValue = "${env:FASTVSR_MAX_JOBS:-0}",
            description = "exit after this many jobs; 0 = never (env FASTVSR_MAX_JOBS; 1 under a KEDA ScaledJob)")
    int maxJobs;

    WorkerSettings settings(String kafkaOverride, S3Settings s3Override) throws IOException {
        S3Settings s3 = s3Override != null ? s3Override
                : new S3Settings(s3Endpoint, s3AccessKey, secretKey(), s3Region);
        return new WorkerSettings(kafkaOverride != null ? kafkaOverride : kafka, group,
                new Topics(jobsTopic, eventsTopic, dlqTopic), maxPollIntervalMs, s3, modelDir, routesDir, workDir,
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors())
                .withIntake(intake.settings()).withMaxJobs(maxJobs);
    }

    Topics topics() {
        return new Topics(jobsTopic, eventsTopic, dlqTopic);
    }

    private String secretKey() throws IOException {
        if (s3SecretKeyFile != null) {
            return Files.readString(s3SecretKeyFile).strip();
        }
        String env = System.getenv("FASTVSR_S3_SECRET_KEY");
        if (env == null || env.isEmpty()) {
            throw new IllegalArgumentException("no S3 secret key: set FASTVSR_S3_SECRET_KEY or FASTVSR_S3_SECRET_KEY_FILE");
        }
        return env;
    }
}
