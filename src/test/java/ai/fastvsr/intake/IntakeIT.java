package ai.fastvsr.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.testing.ScratchDirs;
import ai.fastvsr.testing.TestServers;
import ai.fastvsr.worker.WorkerApp;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The MAM intake on a real broker with the real worker and routes: a MinIO-format notification delivered twice
 * (and once more after the worker restarted) becomes exactly one job request, with the jobId a reader can compute
 * from the object alone. Job requests are read back from the job topic with a plain Kafka consumer.
 */
class IntakeIT {
    private static final String NOTIFY_TOPIC = "minio.events";
    private static final String SEEN_TOPIC = "vsr.intake.seen";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aNotificationDeliveredTwiceIsOneJob() throws Exception {
        try (TestServers servers = TestServers.start(1)) {
            String kafka = servers.kafkaBootstrap();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
                // one partition each: the sentinel published last is also processed last
                admin.createTopics(List.of(
                                new NewTopic(NOTIFY_TOPIC, 1, (short) 1),
                                new NewTopic(SEEN_TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            String eTag = "9b2cf535f27731c974343645a3985328";
            String upload = MinioEvents.objectCreated(
                    "s3:ObjectCreated:Put", "ingest", "cam7%2Fseg+1.mp4", eTag, null, "17F0A1B2C3D4E5F6");
            String expectedId =
                    "seg-1-" + sha256Hex("ingest\ncam7/seg 1.mp4\ne:" + eTag).substring(0, 20);

            WorkerApp worker = start(servers);
            try (KafkaProducer<String, String> minio = producer(kafka)) {
                String key = MinioEvents.recordKey("ingest", "cam7/seg 1.mp4");
                minio.send(new ProducerRecord<>(NOTIFY_TOPIC, key, upload)).get();
                minio.send(new ProducerRecord<>(NOTIFY_TOPIC, key, upload)).get();
                String first = sentinel(minio);
                List<JsonNode> jobs = jobsUntil(kafka, first);
                assertEquals(1, count(jobs, expectedId), () -> "jobs on vsr.jobs: " + jobs);
                JsonNode job = jobs.stream()
                        .filter(j -> j.path("jobId").asText().equals(expectedId))
                        .findFirst()
                        .orElseThrow();
                assertEquals(
                        "s3://ingest/cam7/seg%201.mp4", job.at("/input/uri").asText());
                assertEquals(
                        "s3://renditions/cam7/seg%201.x4.mp4",
                        job.at("/output/uri").asText());
                assertEquals("A-77", job.at("/userMetadata/assetId").asText());

                // a restarted worker still remembers: the memory is the compacted topic, not the process
                worker.close();
                worker = start(servers);
                minio.send(new ProducerRecord<>(NOTIFY_TOPIC, key, upload)).get();
                String second = sentinel(minio);
                List<JsonNode> after = jobsUntil(kafka, second);
                assertEquals(1, count(after, expectedId), () -> "jobs on vsr.jobs: " + after);
            } finally {
                worker.close();
            }
        }
    }

    private WorkerApp start(TestServers servers) throws Exception {
        IntakeSettings intake = new IntakeSettings(
                true,
                NOTIFY_TOPIC,
                "it-intake",
                "ingest",
                "",
                List.of(".mp4"),
                IntakeSettings.DEFAULT_OUTPUT,
                SEEN_TOPIC);
        return WorkerApp.start(new WorkerSettings(
                        servers.kafkaBootstrap(),
                        "it-intake-workers",
                        Topics.DEFAULT,
                        600_000,
                        servers.s3(),
                        Path.of("models/reference-x4"),
                        Path.of("camel-routes"),
                        ScratchDirs.create("fastvsr-intake-it-"),
                        EngineSettings.cpu(1),
                        WorkerSettings.Guardrails.DEFAULT)
                .withIntake(intake));
    }

    /** Another object's upload, published last: once its job is out, everything before it was handled. */
    private String sentinel(KafkaProducer<String, String> minio) throws Exception {
        String name = "sentinel-" + UUID.randomUUID();
        minio.send(new ProducerRecord<>(
                        NOTIFY_TOPIC,
                        "ingest/" + name + ".mp4",
                        MinioEvents.objectCreated(
                                "s3:ObjectCreated:Put", "ingest", name + ".mp4", "e-" + name, null, "S")))
                .get();
        return name;
    }

    private List<JsonNode> jobsUntil(String kafka, String sentinel) throws Exception {
        List<JsonNode> jobs = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "it-reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DEFAULT.jobs()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode job = json.readTree(r.value());
                    assertEquals(job.path("jobId").asText(), r.key(), "key = jobId");
                    jobs.add(job);
                    if (job.path("jobId").asText().startsWith(sentinel)) {
                        return jobs;
                    }
                }
            }
        }
        throw new AssertionError("the sentinel's job never came; jobs so far: " + jobs);
    }

    private static long count(List<JsonNode> jobs, String jobId) {
        return jobs.stream().filter(j -> j.path("jobId").asText().equals(jobId)).count();
    }

    private static KafkaProducer<String, String> producer(String kafka) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new StringSerializer());
    }

    private static String sha256Hex(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
