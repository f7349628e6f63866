package ai.fastvsr.testing;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.worker.WorkerSettings.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka (official apache/kafka image, KRaft) and MinIO in containers, for machines with a Docker engine. Same
 * topics and buckets as the in-process servers.
 */
final class ContainerServers implements TestServers {
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";

    private final KafkaContainer kafka;
    private final MinIOContainer minio;

    private ContainerServers(KafkaContainer kafka, MinIOContainer minio) {
        this.kafka = kafka;
        this.minio = minio;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static TestServers start(Topics topics, int partitions) throws Exception {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        MinIOContainer minio = new MinIOContainer(MINIO_IMAGE);
        kafka.start();
        minio.start();
        ContainerServers servers = new ContainerServers(kafka, minio);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(topics.jobs(), partitions, (short) 1),
                            new NewTopic(topics.events(), partitions, (short) 1),
                            new NewTopic(topics.deadLetters(), partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        try (ObjectStore store = new ObjectStore(servers.s3())) {
            store.ensureBucket(EmbeddedStack.INGEST_BUCKET);
            store.ensureBucket(EmbeddedStack.RENDITIONS_BUCKET);
        }
        return servers;
    }

    @Override
    public String kafkaBootstrap() {
        return kafka.getBootstrapServers();
    }

    @Override
    public S3Settings s3() {
        return new S3Settings(minio.getS3URL(), minio.getUserName(), minio.getPassword(), "us-east-1");
    }

    @Override
    public String mode() {
        return "containers";
    }

    @Override
    public void close() {
        minio.stop();
        kafka.stop();
    }
}
