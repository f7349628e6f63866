package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.ProcessLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --embedded} driven from outside, as a user would: the shaded jar as its own process, a plain Kafka
 * producer and consumer (strings, no CloudEvents SDK), and the AWS CLI as the S3 client.
 */
class ServeEmbeddedIT {
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void externalClientsDriveTheEmbeddedStack() throws Exception {
        int kafkaPort = freePort();
        int s3Port = freePort();
        Path jar = Path.of("target/fastvsr-worker.jar");
        assertTrue(Files.isRegularFile(jar), "run in the integration-test phase, after package");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-Dai.djl.offline=true",
                        "-jar",
                        jar.toString(),
                        "serve",
                        "--embedded",
                        "--kafka-port",
                        String.valueOf(kafkaPort),
                        "--s3-port",
                        String.valueOf(s3Port),
                        "--work-dir",
                        tmp.resolve("work").toString(),
                        "--http-port",
                        "0")
                .redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process server = pb.start();
        ProcessLines log = ProcessLines.follow(server, "[serve] ", "fastvsr-worker is serving");
        try {
            assertTrue(log.awaitReady(120), () -> "serve did not come up: " + log.text());
            String s3 = "http://127.0.0.1:" + s3Port;
            String kafka = "127.0.0.1:" + kafkaPort;

            Path input = tmp.resolve("clip.mp4");
            Ffmpeg.makeClip(input, 96, 64, 10, 1.0);
            String jobId = "ext-" + UUID.randomUUID();
            aws("s3", "cp", input.toString(), "s3://ingest/ext/" + jobId + ".mp4", "--endpoint-url", s3);

            String job = "{\"jobId\":\"" + jobId + "\",\"input\":{\"uri\":\"s3://ingest/ext/" + jobId + ".mp4\"},"
                    + "\"output\":{\"uri\":\"s3://renditions/ext/" + jobId + ".x4.mp4\"},"
                    + "\"userMetadata\":{\"assetId\":\"A-77\"}}";
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("vsr.jobs", jobId, job)).get(30, TimeUnit.SECONDS);
            }

            JsonNode completed = awaitEvent(kafka, jobId, "ai.fastvsr.job.completed");
            assertEquals(jobId, completed.path("subject").asText());
            assertEquals(
                    "A-77",
                    completed.path("data").path("userMetadata").path("assetId").asText());

            // the jar's own job client against the running stack: upload, publish, follow with progress, exit 0
            Path longer = tmp.resolve("longer.mp4");
            Ffmpeg.makeClip(longer, 96, 64, 25, 4.0);
            List<String> submit = new ArrayList<>(List.of(
                    java,
                    "-Dai.djl.offline=true",
                    "-jar",
                    jar.toString(),
                    "submit",
                    "--kafka",
                    kafka,
                    "--s3-endpoint",
                    s3,
                    "--upload",
                    longer.toString(),
                    "--input",
                    "s3://ingest/ext/longer.mp4",
                    "--output",
                    "s3://renditions/ext/longer.x4.mp4",
                    "--job-id",
                    "ext-submit-" + jobId.substring(4, 12),
                    "--wait",
                    "--timeout",
                    "3m"));
            ProcessBuilder spb = new ProcessBuilder(submit).redirectErrorStream(true);
            spb.environment().put("OPT_OUT_TRACKING", "true");
            spb.environment().put("FASTVSR_S3_SECRET_KEY", "fastvsr-secret");
            Process client = spb.start();
            String clientOut = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(4, TimeUnit.MINUTES));
            System.out.println("[submit] " + clientOut.replace("\r", "\n[submit] "));
            assertEquals(0, client.exitValue(), clientOut);
            assertTrue(clientOut.contains("completed  s3://renditions/ext/longer.x4.mp4"), clientOut);
            assertTrue(
                    clientOut.contains("INFERENCE") || clientOut.contains("UPLOADING"), "progress shown: " + clientOut);

            Path output = tmp.resolve("clip.x4.mp4");
            aws("s3", "cp", "s3://renditions/ext/" + jobId + ".x4.mp4", output.toString(), "--endpoint-url", s3);
            JsonNode video = Ffmpeg.stream(Ffmpeg.probe(output), "video");
            assertNotNull(video);
            assertEquals(384, video.path("width").asInt());
            assertEquals(256, video.path("height").asInt());
        } finally {
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
            log.join();
        }
    }

    /** A structured-mode CloudEvent read as plain JSON text, as any consumer without our SDK sees it. */
    private JsonNode awaitEvent(String kafka, String jobId, String type) throws IOException {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "ext-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("vsr.events"));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = json.readTree(r.value());
                    if (jobId.equals(r.key()) && type.equals(event.path("type").asText())) {
                        return event;
                    }
                    if (jobId.equals(r.key())
                            && "ai.fastvsr.job.failed".equals(event.path("type").asText())) {
                        throw new AssertionError("job failed: " + r.value());
                    }
                }
            }
        }
        throw new AssertionError("no " + type + " for " + jobId);
    }

    private static void aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "fastvsr");
        env.put("AWS_SECRET_ACCESS_KEY", "fastvsr-secret");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        // never ask the EC2 metadata service for anything: this test talks to loopback only
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> "aws " + String.join(" ", args) + ": " + out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
