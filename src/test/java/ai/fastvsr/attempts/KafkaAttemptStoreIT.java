package ai.fastvsr.attempts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.embedded.EmbeddedKafka;
import ai.fastvsr.job.CrashedAttempt;
import ai.fastvsr.job.DeadLetterRef;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attempt store on a real broker: what one worker writes, every other worker reads at once; it survives the
 * workers and a broker restart; the topic is created compacted; an unreachable broker is AttemptsUnavailable.
 */
class KafkaAttemptStoreIT {
    private static final String TOPIC = "vsr.jobs.attempts";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void historiesAreSharedByWorkersAndSurviveThemAndTheBroker() throws Exception {
        Path data = tmp.resolve("kafka");
        EmbeddedKafka kafka = EmbeddedKafka.start(0, data);
        String bootstrap = kafka.bootstrapServers();
        try {
            Attempt a1 = new Attempt("a1", 1, "w1", "fastvsr-w1-1-aa", "g", "2026-11-25T10:00:00Z", "s3://r/o.mp4");
            Attempt a2 = new Attempt("a2", 2, "w2", "fastvsr-w2-2-bb", "g", "2026-11-25T09:00:00Z", "s3://r/o.mp4");
            try (KafkaAttemptStore one = store(bootstrap);
                    KafkaAttemptStore two = store(bootstrap)) {
                assertEquals(Optional.empty(), two.read("seg-1"), "nothing yet (and the topic gets created)");
                one.write(new AttemptHistory("seg-1", List.of(a1), null));
                assertEquals(List.of(a1), two.read("seg-1").orElseThrow().attempts(), "read by another worker");
                two.write(new AttemptHistory("seg-1", List.of(a1, a2), null));
                one.write(new AttemptHistory("seg-2", List.of(a1), null));
                one.clear("seg-2");
                assertEquals(List.of(a1, a2), one.read("seg-1").orElseThrow().attempts(), "the latest write wins");
                assertEquals(Optional.empty(), two.read("seg-2"), "a tombstone clears the job");
                one.write(new AttemptHistory(
                        "seg-3",
                        List.of(),
                        new Quarantine(
                                List.of(new CrashedAttempt("w1", "2026-11-25T10:00:00Z")),
                                "w4",
                                "2026-11-25T10:05:00Z",
                                "s3://r/q.mp4",
                                new DeadLetterRef("vsr.jobs.dlq", 0, 7))));
            }
            try (Admin admin = kafka.admin()) {
                var config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC)))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .values()
                        .iterator()
                        .next();
                assertEquals("compact", config.get("cleanup.policy").value());
            }

            kafka.close();
            kafka = EmbeddedKafka.start(0, data);
            assertEquals(bootstrap, kafka.bootstrapServers());
            try (KafkaAttemptStore restarted = store(bootstrap)) {
                assertEquals(
                        List.of(a1, a2),
                        restarted.read("seg-1").orElseThrow().attempts(),
                        "a worker started later, after a broker restart");
                assertEquals(Optional.empty(), restarted.read("seg-2"));
                assertEquals(
                        new DeadLetterRef("vsr.jobs.dlq", 0, 7),
                        restarted.read("seg-3").orElseThrow().quarantine().deadLetter());
                assertEquals(2, restarted.all().size());

                kafka.close();
                kafka = null;
                long t0 = System.nanoTime();
                assertThrows(
                        AttemptsUnavailable.class,
                        () -> restarted.write(new AttemptHistory("seg-4", List.of(a1), null)),
                        "no broker: unavailable, not lost silently");
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60), "bounded wait");
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private KafkaAttemptStore store(String bootstrap) {
        return new KafkaAttemptStore(bootstrap, Map.of(), TOPIC, json);
    }
}
