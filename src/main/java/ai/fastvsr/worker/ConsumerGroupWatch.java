package ai.fastvsr.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the job topic's consumer group from outside, every few seconds, with Kafka's admin API: the lag of each
 * partition (a gauge, so Prometheus-based autoscaling works as well as KEDA's own lag trigger), and whether this
 * worker's consumer (known by its client id) holds any partition — readiness means "I am consuming".
 */
final class ConsumerGroupWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupWatch.class);

    private final Admin admin;
    private final String group;
    private final String topic;
    private final String clientId;
    private final MeterRegistry registry;
    private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "consumer-group-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile int assigned = -1;

    ConsumerGroupWatch(
            String bootstrap,
            Map<String, String> clientProperties,
            String group,
            String topic,
            String clientId,
            MeterRegistry registry) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                8000));
        this.admin = Admin.create(config);
        this.group = group;
        this.topic = topic;
        this.clientId = clientId;
        this.registry = registry;
        timer.scheduleWithFixedDelay(this::refresh, 0, 3, TimeUnit.SECONDS);
    }

    /** Partitions of the job topic this worker's consumers hold (all of them); -1 until first known. */
    int assignedPartitions() {
        return assigned;
    }

    private void refresh() {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(5, TimeUnit.SECONDS);
            int mine = 0;
            for (MemberDescription m : description.members()) {
                if (JobConsumers.isOurs(clientId, m.clientId())) {
                    mine += (int) m.assignment().topicPartitions().stream()
                            .filter(p -> p.topic().equals(topic))
                            .count();
                }
            }
            assigned = mine;
            Collection<TopicPartition> partitions = admin
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(5, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(5, TimeUnit.SECONDS);
            for (TopicPartition p : partitions) {
                OffsetAndMetadata c = committed.get(p);
                long value = Math.max(0, ends.get(p).offset() - (c == null ? 0 : c.offset()));
                if (lag.put(p.partition(), value) == null) {
                    Gauge.builder("fastvsr.queue.lag", lag, m -> m.getOrDefault(p.partition(), 0L))
                            .tag("topic", topic)
                            .tag("partition", String.valueOf(p.partition()))
                            .description("jobs waiting in the job topic per partition (for this consumer group)")
                            .register(registry);
                }
            }
        } catch (Exception e) {
            LOG.debug("consumer group {} not readable yet: {}", group, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
