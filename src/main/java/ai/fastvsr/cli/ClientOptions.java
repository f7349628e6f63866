package ai.fastvsr.cli;

import ai.fastvsr.storage.S3Settings;
import java.io.IOException;
import picocli.CommandLine.Mixin;
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

    @Mixin
    S3Options s3Options;

    S3Settings s3() throws IOException {
        return s3Options.settings();
    }
}
