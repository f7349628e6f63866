package ai.fastvsr.intake;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The intake's memory of published jobIds: Camel's {@link KafkaIdempotentRepository} on a compacted topic, but
 * only when the intake is enabled. Camel starts a route's idempotent repository even when the route itself does
 * not auto-start, and the Kafka one fails without its topic — so a worker without the intake would not start.
 */
public final class SeenJobIds extends ServiceSupport implements IdempotentRepository, CamelContextAware {
    private boolean enabled;
    private String topic;
    private String bootstrapServers;
    private CamelContext camelContext;
    private KafkaIdempotentRepository kafka;

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    protected void doStart() throws Exception {
        if (enabled) {
            kafka = new KafkaIdempotentRepository(topic, bootstrapServers);
            kafka.setCamelContext(camelContext);
            ServiceHelper.startService(kafka);
        }
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(kafka);
        kafka = null;
    }

    private IdempotentRepository kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the MAM intake is disabled (fastvsr.intake.enabled=false)");
        }
        return kafka;
    }

    @Override
    public boolean add(String key) {
        return kafka().add(key);
    }

    @Override
    public boolean contains(String key) {
        return kafka().contains(key);
    }

    @Override
    public boolean remove(String key) {
        return kafka().remove(key);
    }

    @Override
    public boolean confirm(String key) {
        return kafka().confirm(key);
    }

    @Override
    public void clear() {
        kafka().clear();
    }
}
