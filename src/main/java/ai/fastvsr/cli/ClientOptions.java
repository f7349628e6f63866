package ai.fastvsr.cli;

import ai.fastvsr.storage.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What a job client ({@code submit}, {@code watch}) needs: where Kafka and the topics are, and for uploads the S3
 * store. Same option names and environment variables as the worker, so one environment serves both.
 */
final class ClientOptions {
    @Option(names = "--kafka", defaultValue = "${env:FASTVSR_KAFKA_BROKERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env FASTVSR_KAFKA_BROKERS; default ${DEFAULT-VALUE})")
    String kafka;

    @Option(names = "--jobs-topic", defaultValue = "${env:FASTVSR_JOBS_TOPIC:-vsr.jobs}",
            description = "job topic (env FASTVSR_JOBS_TOPIC; default ${DEFAULT-VALUE})")
    String jobsTopic;

    @Option(names = "--events-topic", defaultValue = "${env:FASTVSR_EVENTS_TOPIC:-vsr.events}",
            description = "event topic (env FASTVSR_EVENTS_TOPIC; default ${DEFAULT-VALUE})")
    String eventsTopic;

    @Option(names = "--s3-endpoint", defaultValue = "${env:FASTVSR_S3_ENDPOINT:-http://localhost:9000}",
            description = "S3 endpoint for --upload (env FASTVSR_S3_ENDPOINT; default ${DEFAULT-VALUE})")
    String s3Endpoint;

    @Option(names = "--s3-region", defaultValue = "${env:FASTVSR_S3_REGION:-us-east-1}",
            description = "S3 region (env FASTVSR_S3_REGION; default ${DEFAULT-VALUE})")
    String s3Region;

    @Option(names = "--s3-access-key", defaultValue = "${env:FASTVSR_S3_ACCESS_KEY:-fastvsr}",
            description = "S3 access key (env FASTVSR_S3_ACCESS_KEY)")
    String s3AccessKey;

    @Option(names = "--s3-secret-key-file", defaultValue = "${env:FASTVSR_S3_SECRET_KEY_FILE}",
            description = "file holding the S3 secret key (env FASTVSR_S3_SECRET_KEY_FILE); else env FASTVSR_S3_SECRET_KEY")
    Path s3SecretKeyFile;

    S3Settings s3() throws IOException {
        String secret;
        if (s3SecretKeyFile != null) {
            secret = Files.readString(s3SecretKeyFile).strip();
        } else {
            secret = System.getenv("FASTVSR_S3_SECRET_KEY");
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("no S3 secret key: set FASTVSR_S3_SECRET_KEY or FASTVSR_S3_SECRET_KEY_FILE");
            }
        }
        return new S3Settings(s3Endpoint, s3AccessKey, secret, s3Region);
    }
}
