package ai.fastvsr.cli;

import ai.fastvsr.storage.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the S3 store is and how to sign in: the same options for the worker and the job clients. */
final class S3Options {
    @Option(
            names = "--s3-endpoint",
            defaultValue = "${env:FASTVSR_S3_ENDPOINT:-http://localhost:9000}",
            description = "S3 endpoint URL (env FASTVSR_S3_ENDPOINT; default ${DEFAULT-VALUE})")
    String endpoint;

    @Option(
            names = "--s3-region",
            defaultValue = "${env:FASTVSR_S3_REGION:-us-east-1}",
            description = "S3 region (env FASTVSR_S3_REGION; default ${DEFAULT-VALUE})")
    String region;

    @Option(
            names = "--s3-access-key",
            defaultValue = "${env:FASTVSR_S3_ACCESS_KEY:-fastvsr}",
            description = "S3 access key (env FASTVSR_S3_ACCESS_KEY)")
    String accessKey;

    @Option(
            names = "--s3-secret-key-file",
            defaultValue = "${env:FASTVSR_S3_SECRET_KEY_FILE}",
            description = "file holding the S3 secret key (env FASTVSR_S3_SECRET_KEY_FILE); else env "
                    + "FASTVSR_S3_SECRET_KEY. Never passed on the command line, where ps would show it.")
    Path secretKeyFile;

    S3Settings settings() throws IOException {
        String secret;
        if (secretKeyFile != null) {
            secret = Files.readString(secretKeyFile).strip();
        } else {
            secret = System.getenv("FASTVSR_S3_SECRET_KEY");
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException(
                        "no S3 secret key: set FASTVSR_S3_SECRET_KEY or FASTVSR_S3_SECRET_KEY_FILE");
            }
        }
        return new S3Settings(endpoint, accessKey, secret, region);
    }
}
