package ai.fastvsr.embedded;

import ai.fastvsr.storage.ObjectStore;
import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.worker.WorkerSettings.Topics;
import java.util.List;

/**
 * Kafka and S3 in this JVM, with the worker's topics and the demo buckets created: the one-machine default for
 * {@code demo}, {@code serve --embedded} and the integration tests.
 */
public final class EmbeddedStack implements AutoCloseable {
    public static final String INGEST_BUCKET = "ingest";
    public static final String RENDITIONS_BUCKET = "renditions";

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;

    private EmbeddedStack(EmbeddedKafka kafka, EmbeddedS3 s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /** Ports of 0 pick free ones. */
    public static EmbeddedStack start(int kafkaPort, int s3Port, Topics topics, int partitions) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaPort, null);
        EmbeddedS3 s3 = null;
        try {
            kafka.createTopics(List.of(topics.jobs(), topics.events(), topics.deadLetters()), partitions);
            s3 = EmbeddedS3.start(s3Port, null, EmbeddedS3.DEFAULT_ACCESS_KEY, EmbeddedS3.DEFAULT_SECRET_KEY);
            try (ObjectStore store = new ObjectStore(s3.settings())) {
                store.ensureBucket(INGEST_BUCKET);
                store.ensureBucket(RENDITIONS_BUCKET);
            }
            return new EmbeddedStack(kafka, s3);
        } catch (Exception e) {
            if (s3 != null) {
                s3.close();
            }
            kafka.close();
            throw e;
        }
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public S3Settings s3() {
        return s3.settings();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    @Override
    public void close() throws Exception {
        try {
            s3.close();
        } finally {
            kafka.close();
        }
    }
}
