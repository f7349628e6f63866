package ai.fastvsr.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml as Docker Compose itself reads it (Debian's docker-compose v1 `config`, which needs no engine
 * and resolves anchors and merges), then the wiring that makes the box work: the worker built from our Dockerfile,
 * offline, pointed at the Kafka and MinIO of the file, and MinIO's Kafka notification target feeding the topic the
 * intake route reads. The Dockerfiles are checked for the same launch-path rules.
 */
class DockerComposeTest {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    @Test
    void composeFileValidatesAndIsWired() throws Exception {
        Result r = compose(Path.of("docker-compose.yml"));
        assertEquals(0, r.exit(), r.output());
        JsonNode services = yaml.readTree(r.stdout()).path("services");

        JsonNode worker = services.path("worker");
        assertEquals(
                "src/main/docker/Dockerfile", worker.at("/build/dockerfile").asText());
        JsonNode env = worker.path("environment");
        assertEquals("true", env.path("OPT_OUT_TRACKING").asText());
        assertTrue(env.path("JAVA_TOOL_OPTIONS").asText().contains("-Dai.djl.offline=true"));
        assertTrue(
                services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS")
                        .asText()
                        .contains("//" + env.path("FASTVSR_KAFKA_BROKERS").asText()),
                "worker uses Kafka's internal listener");
        assertEquals("http://minio:9000", env.path("FASTVSR_S3_ENDPOINT").asText());

        JsonNode minio = services.path("minio").path("environment");
        assertEquals("on", minio.path("MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY").asText());
        assertEquals(
                env.path("FASTVSR_KAFKA_BROKERS").asText(),
                minio.path("MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY").asText());
        String notifyTopic = minio.path("MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY").asText();
        assertEquals(notifyTopic, env.path("FASTVSR_INTAKE_TOPIC").asText(), "intake reads what MinIO writes");
        String init = services.at("/minio-init/command").toString();
        assertTrue(init.contains("mc event add local/ingest arn:minio:sqs::PRIMARY:kafka --event put"), init);
        String topics = services.at("/kafka-init/command").toString();
        for (String topic : List.of("vsr.jobs", "vsr.events", "vsr.jobs.dlq", notifyTopic, "vsr.intake.seen")) {
            assertTrue(topics.contains(topic), "kafka-init creates " + topic);
        }

        JsonNode gpu = services.path("worker-gpu");
        assertEquals("gpu", gpu.at("/profiles/0").asText(), "GPU worker only behind --profile gpu");
        assertEquals(
                "src/main/docker/Dockerfile.gpu", gpu.at("/build/dockerfile").asText());
        JsonNode device = gpu.at("/deploy/resources/reservations/devices/0");
        assertEquals("nvidia", device.path("driver").asText());
        assertTrue(device.path("capabilities").toString().contains("gpu"));
        assertEquals("true", gpu.at("/environment/OPT_OUT_TRACKING").asText());
        assertTrue(gpu.at("/environment/JAVA_TOOL_OPTIONS").asText().contains("-Dai.djl.offline=true"));
        assertEquals("tensorrt", gpu.at("/environment/FASTVSR_ENGINE").asText());
        String plans = gpu.at("/environment/FASTVSR_TRT_CACHE_DIR").asText();
        assertTrue(
                gpu.path("volumes").toString().contains(plans), "the plan cache is a volume: " + gpu.path("volumes"));
        assertTrue(gpu.at("/environment/FASTVSR_CONCURRENT_JOBS").asInt() >= 1);
        // the GPU worker is the same worker otherwise: same brokers, store and intake
        assertEquals(env.path("FASTVSR_KAFKA_BROKERS"), gpu.at("/environment/FASTVSR_KAFKA_BROKERS"));
        assertEquals(env.path("FASTVSR_INTAKE_TOPIC"), gpu.at("/environment/FASTVSR_INTAKE_TOPIC"));
    }

    @Test
    void composeRejectsABrokenFile() throws Exception {
        // the check above can fail: Compose refuses an option it does not know
        Path broken = tmp.resolve("docker-compose.yml");
        Files.writeString(broken, "services:\n  worker:\n    image: x\n    enviroment: {A: b}\n");
        Result r = compose(broken);
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("enviroment"), r.output());
    }

    @Test
    void dockerfilesBuildTheJarAndRunItOfflineAsNonRoot() throws IOException {
        for (String name : List.of("Dockerfile", "Dockerfile.gpu")) {
            List<String> lines = instructions(Path.of("src/main/docker", name));
            assertTrue(
                    lines.get(0).startsWith("FROM maven:3.9-eclipse-temurin-17 AS build"), name + ": " + lines.get(0));
            String runtime = lines.stream()
                    .filter(l -> l.startsWith("FROM "))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            if (name.equals("Dockerfile")) {
                assertEquals("FROM eclipse-temurin:17-jre", runtime);
            }
            String all = String.join("\n", lines);
            assertTrue(all.contains("RUN mvn -B -q package -DskipTests"), name + " builds the jar");
            String target = name.equals("Dockerfile") ? "/src/target/" : "/src/target/gpu/";
            // the slim worker jar (no embedded Kafka/S3 servers), under the name the entry point runs
            assertTrue(
                    all.contains("COPY --from=build " + target + "fastvsr-worker-slim.jar ./fastvsr-worker.jar"),
                    name + " copies the slim jar");
            assertTrue(
                    all.contains("COPY models/fastvsr-tiny ./models/fastvsr-tiny")
                            && all.contains("COPY camel-routes ./camel-routes"),
                    name + " builds the jar with its routes and default model");
            assertTrue(all.contains("COPY models/ ./models/") && all.contains("COPY camel-routes/ ./camel-routes/"));
            String env = lines.stream().filter(l -> l.startsWith("ENV ")).reduce("", String::concat);
            assertTrue(env.contains("OPT_OUT_TRACKING=true"), name);
            assertTrue(env.contains("-Dai.djl.offline=true"), name);
            String user = lines.stream()
                    .filter(l -> l.startsWith("USER "))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertTrue(!user.contains("root") && !user.matches("USER 0(:.*)?"), name + ": " + user);
            String entry = lines.stream()
                    .filter(l -> l.startsWith("ENTRYPOINT "))
                    .findFirst()
                    .orElseThrow();
            String cmd =
                    lines.stream().filter(l -> l.startsWith("CMD ")).findFirst().orElseThrow();
            assertEquals("ENTRYPOINT [\"java\", \"-jar\", \"/opt/fastvsr/fastvsr-worker.jar\"]", entry);
            assertEquals("CMD [\"worker\"]", cmd);
        }
        assertTrue(
                Files.readString(Path.of("src/main/docker/Dockerfile.gpu")).contains("NEVER BUILT"),
                "the GPU variant says plainly it is unproven");
        gpuImageMatchesTheGpuBuild();
    }

    /** Dockerfile.gpu packs what the pom's gpu profile builds, on a base with the libraries the engine needs. */
    private static void gpuImageMatchesTheGpuBuild() throws IOException {
        List<String> lines = instructions(Path.of("src/main/docker/Dockerfile.gpu"));
        String all = String.join("\n", lines);
        assertTrue(all.contains("RUN mvn -B -q package -DskipTests -Pgpu"), "built with the gpu profile");
        String runtime = lines.stream()
                .filter(l -> l.startsWith("FROM "))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertTrue(
                runtime.matches("FROM nvidia/cuda:13\\.\\d+\\.\\d+-cudnn-runtime-ubuntu24\\.04"),
                "CUDA 13 + cuDNN runtime base: " + runtime);
        // ORT's natives beside the jar, where NativeLibraries looks for them (natives/ next to the jar)
        assertTrue(all.contains("COPY --from=build /src/target/gpu/natives/ ./natives/"), all);
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(
                pom.contains("<directory>${project.basedir}/target/gpu</directory>")
                        && pom.contains("${project.build.directory}/natives"),
                "the gpu profile builds into target/gpu");
        assertTrue(pom.contains("<classifier>${javacpp.platform}-gpu</classifier>"), "ORT's GPU natives");
        String env = lines.stream().filter(l -> l.startsWith("ENV ")).reduce("", String::concat);
        assertTrue(env.contains("FASTVSR_ENGINE=tensorrt"), env);
        // TensorRT's libraries: the version of the jar's bindings, on the library path, plans in a writable cache
        Matcher version =
                Pattern.compile("<tensorrt.version>([^<]+)</tensorrt.version>").matcher(pom);
        assertTrue(version.find(), "the gpu profile pins the TensorRT bindings");
        assertTrue(
                all.contains("tensorrt-" + version.group(1) + "-linux-x86_64-redist.jar"),
                "the image's TensorRT libraries are the bindings' version " + version.group(1));
        assertTrue(all.contains("COPY --from=tensorrt /opt/tensorrt/ /opt/tensorrt/"), all);
        assertTrue(all.contains("tensorrt-standins.sh")
                && Files.isRegularFile(Path.of("src/main/gpu/tensorrt-standins.sh")));
        assertTrue(env.contains("LD_LIBRARY_PATH=/opt/tensorrt:/opt/tensorrt/stubs"), env);
        assertTrue(env.contains("FASTVSR_TRT_CACHE_DIR=/var/cache/fastvsr/tensorrt"), env);
    }

    /** Instructions with continuation lines joined and comments dropped. */
    private static List<String> instructions(Path dockerfile) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            out.add(current.append(t).toString().replaceAll("\\s+", " "));
            current.setLength(0);
        }
        return out;
    }

    private record Result(int exit, String stdout, String stderr) {
        String output() {
            return stdout + "\n" + stderr;
        }
    }

    private static Result compose(Path file) throws Exception {
        Path out = Files.createTempFile("compose-out", ".txt");
        Path err = Files.createTempFile("compose-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder("docker-compose", "-f", file.toString(), "config")
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // config never needs an engine; make sure no remote one is tried either
            pb.environment().remove("DOCKER_HOST");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("docker-compose config hung");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
