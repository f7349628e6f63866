package ai.fastvsr.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the events topic from the beginning as its own consumer group, the way a MAM integration would, and
 * hands back events of one job.
 */
public final class EventStream implements AutoCloseable {
    private final KafkaConsumer<String, CloudEvent> consumer;

    public EventStream(String bootstrapServers, String topic) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "fastvsr-watch-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new CloudEventDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Events of {@code jobId} until its completed or failed event (returned), or null when the time is up. */
    public CloudEvent awaitFinal(String jobId, Duration timeout, Consumer<CloudEvent> onEvent) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, CloudEvent> record : consumer.poll(Duration.ofMillis(200))) {
                CloudEvent event = record.value();
                if (!jobId.equals(event.getSubject())) {
                    continue;
                }
                onEvent.accept(event);
                EventType type = EventType.of(event.getType());
                if (type == EventType.COMPLETED || type == EventType.FAILED) {
                    return event;
                }
            }
        }
        return null;
    }

    /** Everything that arrives within {@code window}. */
    public List<CloudEvent> drain(Duration window) {
        List<CloudEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(r.value()));
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
