package ai.fastvsr.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes job requests (key = jobId) the way any producer of the contract would: plain JSON on the job topic. */
public final class JobPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final ObjectMapper json;

    public JobPublisher(String bootstrapServers, String topic, ObjectMapper json) {
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new ByteArraySerializer());
        this.topic = topic;
        this.json = json;
    }

    public void publish(JobRequest job) throws Exception {
        publishRaw(job.jobId(), json.writeValueAsBytes(job));
    }

    /** Any bytes, for producers that build the JSON themselves (and for tests of what the worker does with junk). */
    public void publishRaw(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
