package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.testing.RecordingInterceptor;
import ai.fastvsr.testing.ScratchDirs;
import ai.fastvsr.testing.TestServers;
import ai.fastvsr.worker.WorkerApp;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Client settings given to the worker (how SASL and TLS are configured) reach every Kafka client it opens: the
 * route's consumer and producers. Shown with an interceptor that records who was configured with it.
 */
class KafkaClientConfigIT {
    @Test
    void clientPropertiesReachTheRoutesConsumerAndProducers() throws Exception {
        RecordingInterceptor.CLIENTS.clear();
        try (TestServers servers = TestServers.start(1);
                WorkerApp worker = WorkerApp.start(new WorkerSettings(
                                servers.kafkaBootstrap(),
                                "client-config",
                                Topics.DEFAULT,
                                600_000,
                                servers.s3(),
                                Path.of("models/reference-x4"),
                                Path.of("camel-routes"),
                                ScratchDirs.create("fastvsr-client-config-"),
                                EngineSettings.cpu(1),
                                Guardrails.DEFAULT)
                        .withKafkaProperties(Map.of("interceptor.classes", RecordingInterceptor.class.getName())))) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!RecordingInterceptor.CLIENTS.contains("consumer:client-config") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(
                    RecordingInterceptor.CLIENTS.contains("consumer:client-config"),
                    RecordingInterceptor.CLIENTS::toString);
            assertTrue(
                    RecordingInterceptor.CLIENTS.stream().anyMatch(c -> c.startsWith("producer:")),
                    RecordingInterceptor.CLIENTS::toString);
        }
    }
}
