package ai.fastvsr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.job.JobRoute;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The names in {@link JobRoute} are the ones the YAML routes and the log configuration really use. */
class JobRouteContractTest {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void routesUseTheContractsNames() throws Exception {
        JsonNode jobs = yaml.readTree(Path.of("camel-routes/jobs.yaml").toFile());
        List<String> ids = new ArrayList<>();
        List<String> froms = new ArrayList<>();
        jobs.forEach(r -> {
            ids.add(r.at("/route/id").asText());
            froms.add(r.at("/route/from/uri").asText());
        });
        assertEquals(JobRoute.ID, ids.get(0));
        assertTrue(
                froms.containsAll(List.of(
                        JobRoute.PUBLISH_EVENT,
                        JobRoute.DEAD_LETTER,
                        JobRoute.PUBLISH_CHILDREN,
                        JobRoute.CHILD_DONE_ROUTE,
                        JobRoute.CHILD_FAILED)),
                froms.toString());

        Set<String> properties = new TreeSet<>();
        for (String file : List.of("jobs.yaml", "intake.yaml")) {
            collect(yaml.readTree(Path.of("camel-routes", file).toFile()), properties);
        }
        assertEquals(
                new TreeSet<>(Set.of(
                        JobRoute.JOB,
                        JobRoute.RAW_JOB,
                        JobRoute.KAFKA_COMMIT,
                        JobRoute.ATTEMPT,
                        JobRoute.SEGMENTS,
                        JobRoute.CHILD_DONE)),
                properties);
        // arguments reach beans one way: annotated parameters, never ${exchangeProperty...} in a bean method
        String text = Files.readString(Path.of("camel-routes/jobs.yaml"));
        assertTrue(!text.matches("(?s).*method: \"?\\w+\\(.*"), "a bean method with arguments in jobs.yaml");
    }

    @Test
    void logConfigurationsNameTheJobRoutesLogger() throws Exception {
        for (String file : List.of("log4j2.xml", "log4j2-json.xml")) {
            String xml = Files.readString(Path.of("src/main/resources", file));
            assertTrue(xml.contains("<Logger name=\"" + JobRoute.ID + "\""), file);
        }
    }

    private static void collect(JsonNode node, Set<String> properties) {
        if (node.isObject()) {
            JsonNode set = node.get("setProperty");
            if (set != null) {
                properties.add(set.path("name").asText());
            }
            node.forEach(child -> collect(child, properties));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, properties));
        }
    }
}
