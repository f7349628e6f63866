package ai.fastvsr.embedded;

import ai.fastvsr.storage.LocalFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) inside this JVM, listening on loopback only.
 * Formatted like {@code kafka-storage.sh format} does, then started as {@code kafka.Kafka} would.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaRaftServer server;
    private final Path dataDir;
    private final String bootstrap;
    private final boolean deleteOnClose;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, String bootstrap, boolean deleteOnClose) {
        this.server = server;
        this.dataDir = dataDir;
        this.bootstrap = bootstrap;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * @param port broker port on 127.0.0.1; 0 picks a free one
     * @param dataDir where the log lives; null for a temp dir removed on close. A directory used before is
     *                restarted as it was (same ports, same topics and offsets): tests restart brokers this way.
     */
    public static EmbeddedKafka start(int port, Path dataDir) throws Exception {
        boolean temp = dataDir == null;
        Path dir = temp ? Files.createTempDirectory("fastvsr-kafka-") : dataDir;
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        if (Files.exists(config)) {
            // a restart on the same log: same ports, same cluster
            Properties stored = new Properties();
            try (var in = Files.newBufferedReader(config)) {
                stored.load(in);
            }
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(stored), Time.SYSTEM);
            server.startup();
            String bootstrap = stored.getProperty("advertised.listeners").replace("PLAINTEXT://", "");
            EmbeddedKafka kafka = new EmbeddedKafka(server, dir, bootstrap, false);
            kafka.awaitReady();
            return kafka;
        }
        int brokerPort = FreePort.orPick(port);
        int controllerPort = FreePort.orPick(0);
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.setProperty(
                "listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", dir.resolve("log").toString());
        // one node: internal topics cannot have more replicas, or consumer groups never form
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "4");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("num.partitions", "1");
        props.setProperty("log.flush.interval.messages", "1");

        try (Writer w = Files.newBufferedWriter(config)) {
            props.store(w, "embedded fastvsr Kafka");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = StorageTool.execute(
                new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed: " + out.toString(StandardCharsets.UTF_8));
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(server, dir, "127.0.0.1:" + brokerPort, temp);
        kafka.awaitReady();
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Collection<String> names, int partitions) throws Exception {
        try (Admin admin = admin()) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private void awaitReady() throws Exception {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            LocalFiles.deleteRecursively(dataDir);
        }
    }
}
