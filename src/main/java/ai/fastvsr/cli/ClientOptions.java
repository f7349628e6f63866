package ai.fastvsr.cli;

import ai.fastvsr.storage.S3Settings;
import java.io.IOException;
import picocli.CommandLine.Mixin;

/**
 * What a job client ({@code submit}, {@code watch}) needs: where Kafka and the topics are, and for uploads the S3
 * store. Same option names and environment variables as the worker, so one environment serves both.
 */
final class ClientOptions {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    S3Options s3Options;

    S3Settings s3() throws IOException {
        return s3Options.settings();
    }
}
