package ai.fastvsr.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the events topic from the beginning as its own consumer group, the way a MAM integration would, and
 * hands back events of one job.
 */
public final class EventStream implements AutoCloseable {
    private final KafkaConsumer<String, CloudEvent> consumer;
    private final ArrayDeque<CloudEvent> pending = new ArrayDeque<>();

    public EventStream(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, null);
    }

    /**
     * Starts at the first event written at or after {@code since} (null: from the beginning), so a client that
     * joins a long-lived topic does not read its whole history.
     */
    public EventStream(String bootstrapServers, String topic, Instant since) {
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "fastvsr-watch-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new CloudEventDeserializer());
        if (since == null) {
            consumer.subscribe(List.of(topic));
        } else {
            consumer.subscribe(List.of(topic), new SeekToTime(since));
        }
    }

    /** Events of {@code jobId} until its completed or failed event (returned), or null when the time is up. */
    public CloudEvent awaitFinal(String jobId, Duration timeout, Consumer<CloudEvent> onEvent) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CloudEvent event; (event = next(deadline)) != null; ) {
            if (!jobId.equals(event.getSubject())) {
                continue;
            }
            onEvent.accept(event);
            EventType type = EventType.of(event.getType());
            if (type == EventType.COMPLETED || type == EventType.FAILED) {
                return event;
            }
        }
        return null;
    }

    /** Everything that arrives within {@code window}. */
    public List<CloudEvent> drain(Duration window) {
        List<CloudEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        for (CloudEvent event; (event = next(deadline)) != null; ) {
            events.add(event);
        }
        return events;
    }

    /**
     * Hands every event to {@code onEvent} until it returns false or {@code timeout} has passed.
     *
     * @return true when {@code onEvent} ended it, false when the time ran out
     */
    public boolean follow(Duration timeout, Predicate<CloudEvent> onEvent) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CloudEvent event; (event = next(deadline)) != null; ) {
            if (!onEvent.test(event)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The next event, or null at the deadline. Records of a poll that the caller has not taken yet stay here for
     * the next call: a poll often returns several events, and returning early must not drop the rest.
     */
    private CloudEvent next(long deadline) {
        while (pending.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                return null;
            }
            consumer.poll(Duration.ofMillis(200)).forEach(r -> pending.add(r.value()));
        }
        return pending.poll();
    }

    /** On assignment, moves each partition to the first record at or after a timestamp (or its end). */
    private final class SeekToTime implements ConsumerRebalanceListener {
        private final long since;

        SeekToTime(Instant since) {
            this.since = since.toEpochMilli();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // the ends first: a record written after this call is at or beyond them, and one written before it
            // with a later timestamp is found by offsetsForTimes, so nothing falls between the two look-ups
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp at = found.get(p);
                consumer.seek(p, at != null ? at.offset() : ends.get(p));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
    }

    @Override
    public void close() {
        consumer.close();
    }
}
