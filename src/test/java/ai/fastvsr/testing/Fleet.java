package ai.fastvsr.testing;

import ai.fastvsr.embedded.EmbeddedStack;
import ai.fastvsr.events.EventStream;
import ai.fastvsr.job.JobPublisher;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A broker and an S3 server, the clients the test drives them with, and worker JVMs started against them. */
public record Fleet(TestServers servers, MinioClient s3, JobPublisher jobs, EventStream events, Path dir)
        implements AutoCloseable {
    public static Fleet start(int partitions, Path dir) throws Exception {
        TestServers servers = TestServers.start(partitions);
        var s = servers.s3();
        MinioClient s3 = MinioClient.builder()
                .endpoint(s.endpoint())
                .credentials(s.accessKey(), s.secretKey())
                .build();
        return new Fleet(
                servers,
                s3,
                new JobPublisher(servers.kafkaBootstrap(), "vsr.jobs", new ObjectMapper()),
                new EventStream(servers.kafkaBootstrap(), "vsr.events"),
                dir);
    }

    /** The first event of {@code type} for {@code jobId} within 2 minutes; fails without one. */
    public CloudEvent awaitType(String jobId, String type) {
        CloudEvent[] found = new CloudEvent[1];
        events.follow(Duration.ofMinutes(2), e -> {
            if (jobId.equals(e.getSubject()) && type.equals(e.getType())) {
                found[0] = e;
                return false;
            }
            return true;
        });
        if (found[0] == null) {
            throw new AssertionError("no " + type + " for " + jobId);
        }
        return found[0];
    }

    /** A generated clip, uploaded to the ingest bucket as {@code key}. */
    public void uploadClip(String key, int width, int height, int fps, double seconds) throws Exception {
        Path clip = dir.resolve(key.replace('/', '-'));
        Ffmpeg.makeClip(clip, width, height, fps, seconds);
        s3.uploadObject(UploadObjectArgs.builder()
                .bucket(EmbeddedStack.INGEST_BUCKET)
                .object(key)
                .filename(clip.toString())
                .build());
    }

    public WorkerProcess worker(String name, String group, String... args) throws IOException {
        return WorkerProcess.start(name, servers.kafkaBootstrap(), servers.s3(), group, dir, args);
    }

    public WorkerProcess worker(String name, String group, Map<String, String> env) throws IOException {
        return WorkerProcess.start(name, servers.kafkaBootstrap(), servers.s3(), group, dir, env);
    }

    @Override
    public void close() throws Exception {
        events.close();
        jobs.close();
        s3.close();
        servers.close();
    }
}
