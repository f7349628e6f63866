package ai.fastvsr.worker;

import ai.fastvsr.attempts.AttemptsUnavailable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Which worker processes are alive, as the job topic's consumer group sees them now: a process is alive while one
 * of its consumers is a member (Kafka moves a dead worker's partitions only once it has left). Asked afresh each
 * time, from the group coordinator, so a worker killed a moment ago is not taken for alive.
 */
final class GroupMembers implements Supplier<Predicate<String>>, AutoCloseable {
    private final Admin admin;
    private final String group;

    GroupMembers(String bootstrap, Map<String, String> clientProperties, String group) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        this.admin = Admin.create(config);
        this.group = group;
    }

    /** Whether a worker instance (its client id) has a consumer in the group right now. */
    @Override
    public Predicate<String> get() {
        try {
            Set<String> members = admin
                    .describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(10, TimeUnit.SECONDS)
                    .members()
                    .stream()
                    .map(MemberDescription::clientId)
                    .collect(Collectors.toSet());
            return instance -> members.stream().anyMatch(m -> JobConsumers.isOurs(instance, m));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                // no member has joined yet (the fleet's very first start): nobody is alive
                return instance -> false;
            }
            throw new AttemptsUnavailable("consumer group " + group + " not readable: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new AttemptsUnavailable("consumer group " + group + " not readable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttemptsUnavailable("interrupted reading consumer group " + group, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
