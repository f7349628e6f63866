package ai.fastvsr.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends progress events beside the job route, from the frame path's own threads. Best effort by design: a lost
 * progress event costs nothing, so it never waits for the broker and never fails a job; the events that carry
 * the job's outcome go through the route with acks=all.
 */
public final class ProgressPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressPublisher.class);
    private final KafkaProducer<String, CloudEvent> producer;
    private final String topic;

    public ProgressPublisher(String bootstrapServers, String topic, Map<String, String> clientProperties) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "1",
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                "cloudevents.serializer.encoding",
                "STRUCTURED",
                "cloudevents.serializer.event_format",
                "application/cloudevents+json"));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerializer());
        this.topic = topic;
    }

    public void publish(CloudEvent event) {
        producer.send(new ProducerRecord<>(topic, event.getSubject(), event), (meta, error) -> {
            if (error != null) {
                LOG.debug("progress event for {} not sent: {}", event.getSubject(), error.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
