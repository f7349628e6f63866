package ai.fastvsr.worker;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Gives each of the job route's Kafka consumers its own identity when a worker runs several jobs at once. Camel
 * creates them all from the one endpoint, with the same {@code group.instance.id}: two static members with one id
 * fence each other, so the second would knock the first out of the group. Each consumer here gets
 * {@code <id>-c<n>} for both the instance id and the client id (readiness counts the partitions of every
 * {@code <clientId>-c*} member, and Kafka's metrics need distinct client ids). The number belongs to the consumer's
 * thread, so a consumer that reconnects keeps its identity and its static partitions. With one consumer nothing
 * changes.
 */
public final class JobConsumers extends DefaultKafkaClientFactory {
    private final String jobGroup;
    private final int consumers;
    private final AtomicInteger next = new AtomicInteger();
    private final ThreadLocal<Integer> number = ThreadLocal.withInitial(next::getAndIncrement);

    public JobConsumers(String jobGroup, int consumers) {
        this.jobGroup = jobGroup;
        this.consumers = consumers;
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        return super.getConsumer(identify(kafkaProps));
    }

    /** The properties a consumer of the job group gets on this thread. */
    Properties identify(Properties kafkaProps) {
        if (consumers <= 1 || !jobGroup.equals(kafkaProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG))) {
            return kafkaProps;
        }
        Properties props = new Properties();
        props.putAll(kafkaProps);
        String suffix = "-c" + number.get();
        for (String key : new String[] {ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.CLIENT_ID_CONFIG}) {
            String id = props.getProperty(key);
            if (id != null && !id.isBlank()) {
                props.setProperty(key, id + suffix);
            }
        }
        return props;
    }

    /** Whether {@code memberClientId} is one of the consumers that {@code clientId} names. */
    static boolean isOurs(String clientId, String memberClientId) {
        return clientId.equals(memberClientId)
                || memberClientId != null
                        && memberClientId.startsWith(clientId + "-c")
                        && memberClientId
                                .substring(clientId.length() + 2)
                                .chars()
                                .allMatch(Character::isDigit);
    }
}
