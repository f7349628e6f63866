package ai.fastvsr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.events.EventStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.JobPublisher;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.testing.ScratchDirs;
import ai.fastvsr.testing.TestServers;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code --max-jobs 1} (the KEDA ScaledJob mode): the worker takes one job, reports it, and stops by itself. */
class MaxJobsIT {
    @Test
    void stopsAfterItsOneJob() throws Exception {
        try (TestServers servers = TestServers.start(1)) {
            WorkerApp worker = WorkerApp.start(new WorkerSettings(
                            servers.kafkaBootstrap(),
                            "it-one-job",
                            Topics.DEFAULT,
                            600_000,
                            servers.s3(),
                            Path.of("models/reference-x4"),
                            Path.of("camel-routes"),
                            ScratchDirs.create("fastvsr-maxjobs-it-"),
                            EngineSettings.cpu(1),
                            WorkerSettings.Guardrails.DEFAULT)
                    .withMaxJobs(1));
            try {
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                    try {
                        worker.awaitStop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                try (JobPublisher jobs =
                                new JobPublisher(servers.kafkaBootstrap(), Topics.DEFAULT.jobs(), new ObjectMapper());
                        EventStream events = new EventStream(servers.kafkaBootstrap(), Topics.DEFAULT.events())) {
                    jobs.publish(new JobRequest(
                            "one-job",
                            new ObjectRef("s3://ingest/absent.mp4", null),
                            new ObjectRef("s3://renditions/absent.x4.mp4", null),
                            null,
                            null,
                            null,
                            Map.of()));
                    CloudEvent last = events.awaitFinal("one-job", Duration.ofSeconds(60), e -> {});
                    assertNotNull(last, "the one job was reported");
                    assertEquals("ai.fastvsr.job.failed", last.getType());
                }
                stopped.get(60, TimeUnit.SECONDS);
                assertTrue(stopped.isDone(), "worker stopped after --max-jobs 1");
            } finally {
                worker.close();
            }
        }
    }
}
