package ai.fastvsr.testing;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.job.JobPublisher;
import ai.fastvsr.storage.S3Settings;
import ai.fastvsr.worker.WorkerApp;
import ai.fastvsr.worker.WorkerSettings;
import ai.fastvsr.worker.WorkerSettings.Guardrails;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MinioClient;
import java.nio.file.Path;

/**
 * What a worker-level integration test runs against: real Kafka and S3 ({@link TestServers}), one in-process worker
 * on the reference model with the test's guardrails, an S3 client and a job publisher. Closed in reverse order.
 */
public record WorkerStack(TestServers servers, WorkerApp worker, MinioClient s3, JobPublisher jobs, Path workDir)
        implements AutoCloseable {

    public static WorkerStack start(String consumerGroup, EngineSettings engine, Guardrails guardrails)
            throws Exception {
        TestServers servers = TestServers.start(1);
        Path workDir = ScratchDirs.create("fastvsr-" + consumerGroup + "-work-");
        S3Settings s = servers.s3();
        MinioClient s3 = MinioClient.builder()
                .endpoint(s.endpoint())
                .credentials(s.accessKey(), s.secretKey())
                .build();
        WorkerApp worker = WorkerApp.start(new WorkerSettings(
                servers.kafkaBootstrap(),
                consumerGroup,
                Topics.DEFAULT,
                600_000,
                s,
                Path.of("models/reference-x4"),
                Path.of("camel-routes"),
                workDir,
                engine,
                guardrails));
        JobPublisher jobs = new JobPublisher(servers.kafkaBootstrap(), Topics.DEFAULT.jobs(), new ObjectMapper());
        return new WorkerStack(servers, worker, s3, jobs, workDir);
    }

    @Override
    public void close() throws Exception {
        jobs.close();
        worker.close();
        s3.close();
        servers.close();
    }
}
