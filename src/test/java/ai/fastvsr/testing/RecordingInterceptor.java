package ai.fastvsr.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka interceptor that only notes which clients were configured with it: proof that a client setting given
 * to the worker reached that client.
 */
public final class RecordingInterceptor
        implements ConsumerInterceptor<Object, Object>, ProducerInterceptor<Object, Object> {
    /** group.id of every consumer, "producer:" + client.id of every producer configured with this interceptor. */
    public static final Set<String> CLIENTS = ConcurrentHashMap.newKeySet();

    @Override
    public void configure(Map<String, ?> configs) {
        Object group = configs.get("group.id");
        CLIENTS.add(group != null ? "consumer:" + group : "producer:" + configs.get("client.id"));
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

    @Override
    public void close() {}
}
