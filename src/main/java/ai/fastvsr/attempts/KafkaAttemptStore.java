package ai.fastvsr.attempts;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempt store on a compacted Kafka topic, key = jobId, value = the job's whole {@link AttemptHistory} as JSON
 * (compaction keeps only the latest per key), a tombstone when the job ended normally.
 *
 * <p>Why Kafka and not a marker object in S3: the store has to be there whenever a job is: the job itself arrives
 * through Kafka, so an attempt can always be recorded, even while S3 is down (an S3 marker would stall or lose
 * the record in exactly the outages the worker rides out). The log gives every worker one order of writes without
 * trusting any clock; the consumer group the worker already belongs to says which writers are alive; and there is
 * no new system to run. Compaction keeps the topic at the size of what is open or quarantined.
 *
 * <p>Each worker reads the whole topic into memory at first use and, before every read, consumes up to the end
 * offsets of that moment, so a read sees every write acknowledged before it, whoever wrote it.
 */
public final class KafkaAttemptStore implements AttemptStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAttemptStore.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Compacted; segments roll hourly so compaction can reach them; tombstones stay a day for slow readers. */
    private static final Map<String, String> TOPIC_CONFIG =
            Map.of("cleanup.policy", "compact", "segment.ms", "3600000", "delete.retention.ms", "86400000");

    private final String topic;
    private final Map<String, Object> common;
    private final ObjectMapper json;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, AttemptHistory> view = new HashMap<>();
    private boolean assigned;

    /** @param clientProperties extra settings for every client (security.protocol, sasl.*, ssl.*) */
    public KafkaAttemptStore(String bootstrap, Map<String, String> clientProperties, String topic, ObjectMapper json) {
        this.topic = topic;
        this.json = json;
        this.common = new HashMap<>(clientProperties);
        common.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        common.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        Map<String, Object> p = new HashMap<>(common);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> c = new HashMap<>(common);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public synchronized Optional<AttemptHistory> read(String jobId) {
        catchUp();
        return Optional.ofNullable(view.get(jobId));
    }

    @Override
    public synchronized Collection<AttemptHistory> all() {
        catchUp();
        return List.copyOf(view.values());
    }

    @Override
    public synchronized void write(AttemptHistory history) {
        try {
            send(history.jobId(), json.writeValueAsBytes(history));
        } catch (IOException e) {
            throw new IllegalStateException("attempt history not serialisable", e);
        }
        view.put(history.jobId(), history);
    }

    @Override
    public synchronized void clear(String jobId) {
        send(jobId, null);
        view.remove(jobId);
    }

    private void send(String jobId, byte[] value) {
        try {
            if (!assigned) {
                // the topic must exist, compacted, before the first write: a broker would auto-create it plain
                assign();
            }
            producer.send(new ProducerRecord<>(topic, jobId, value)).get();
        } catch (ExecutionException e) {
            throw new AttemptsUnavailable(
                    "attempt store " + topic + ": write for " + jobId + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttemptsUnavailable("attempt store " + topic + ": interrupted writing " + jobId, e);
        } catch (KafkaException e) {
            throw new AttemptsUnavailable("attempt store " + topic + ": " + e, e);
        }
    }

    /** Consumes up to the end offsets of now: everything acknowledged before this call is in the view after it. */
    private void catchUp() {
        try {
            if (!assigned) {
                assign();
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (behind(ends)) {
                if (System.nanoTime() > deadline) {
                    throw new AttemptsUnavailable("attempt store " + topic + " not read to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    apply(r);
                }
            }
        } catch (KafkaException e) {
            throw new AttemptsUnavailable("attempt store " + topic + " unreadable: " + e, e);
        }
    }

    private boolean behind(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), TIMEOUT) < end.getValue()) {
                return true;
            }
        }
        return false;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            view.remove(r.key());
            return;
        }
        try {
            view.put(r.key(), json.readValue(r.value(), AttemptHistory.class));
        } catch (IOException e) {
            // someone else's bytes on our topic: say where, and leave the job's history as it was
            LOG.warn(
                    "attempt store {}: unreadable record for {} at {}-{}@{}, ignored: {}",
                    topic,
                    r.key(),
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
        }
    }

    private void assign() {
        ensureTopic();
        var partitions = consumer.partitionsFor(topic, TIMEOUT);
        if (partitions == null || partitions.isEmpty()) {
            throw new AttemptsUnavailable("attempt store topic " + topic + " does not exist");
        }
        List<TopicPartition> all = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        assigned = true;
    }

    /** Creates the topic compacted if it is missing; without the right to, the operator must have created it. */
    private void ensureTopic() {
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()).configs(TOPIC_CONFIG)))
                    .all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created the attempt store topic {} (compacted)", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn(
                        "could not create the attempt store topic {}: {}",
                        topic,
                        e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttemptsUnavailable("interrupted creating " + topic, e);
        } catch (TimeoutException e) {
            throw new AttemptsUnavailable("Kafka did not answer creating " + topic, e);
        }
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
