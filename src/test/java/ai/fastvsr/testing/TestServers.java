package ai.fastvsr.testing;

import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.worker.WorkerSettings.Topics;

/**
 * The real Kafka and S3 the integration tests run against. One switch, {@code FASTVSR_TEST_SERVERS}
 * ({@code auto} by default): {@code containers} = Testcontainers (official Kafka image in KRaft mode, MinIO),
 * {@code inprocess} = the embedded broker and S3Proxy; {@code auto} takes containers when a Docker engine answers.
 */
public interface TestServers extends AutoCloseable {
    String kafkaBootstrap();

    S3Settings s3();

    String mode();

    static TestServers start(int partitions) throws Exception {
        String mode = System.getenv().getOrDefault("FASTVSR_TEST_SERVERS", "auto");
        boolean containers =
                switch (mode) {
                    case "containers" -> true;
                    case "inprocess" -> false;
                    default -> ContainerServers.dockerAvailable();
                };
        return containers
                ? ContainerServers.start(Topics.DEFAULT, partitions)
                : InProcessServers.start(Topics.DEFAULT, partitions);
    }
}
