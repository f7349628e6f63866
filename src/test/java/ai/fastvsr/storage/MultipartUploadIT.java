package ai.fastvsr.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.embedded.EmbeddedS3;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.job.S3Location;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upscaled outputs are large (a 10 s 4K rendition is easily 40 MB), so uploads above the 16 MiB part size go
 * multipart. Against a real S3 server (S3Proxy): the object appears whole, byte for byte, with the user metadata the
 * worker answers redeliveries from, and its ETag is a multipart one (so the multipart path really ran).
 */
class MultipartUploadIT {
    @TempDir
    Path tmp;

    @Test
    void aLargeOutputArrivesWholeWithItsMetadata() throws Exception {
        Path file = tmp.resolve("big.mp4");
        byte[] bytes = new byte[40 * 1024 * 1024 + 12345];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, tmp.resolve("s3"), "multipart", "multipart-secret");
                ObjectStore store = new ObjectStore(s3.settings())) {
            store.ensureBucket("renditions");
            S3Location to = S3Location.parse("s3://renditions/big/out.x4.mp4");
            Map<String, String> metadata =
                    Map.of("jobid", "big-1", "fastvsr-result", "{\"output\":{\"frameCount\":9}}");
            StoredObject stored = store.upload(file, to, "video/mp4", metadata);

            assertEquals(bytes.length, stored.sizeBytes());
            assertTrue(stored.etag().matches("[0-9a-f]{32}-3"), "a 3-part multipart ETag: " + stored.etag());
            StatObjectResponse stat = store.client()
                    .statObject(StatObjectArgs.builder()
                            .bucket("renditions")
                            .object("big/out.x4.mp4")
                            .build());
            assertEquals(bytes.length, stat.size());
            assertEquals("video/mp4", stat.contentType());
            assertEquals("big-1", stat.userMetadata().get("jobid"));
            assertEquals(
                    Map.of("jobid", "big-1", "fastvsr-result", "{\"output\":{\"frameCount\":9}}"),
                    store.head(to).orElseThrow().userMetadata().entrySet().stream()
                            .filter(e -> metadata.containsKey(e.getKey()))
                            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));

            Path back = tmp.resolve("back.mp4");
            store.download(to, null, back);
            assertArrayEquals(sha256(bytes), sha256(Files.readAllBytes(back)), "the same bytes came back");
        }
    }

    @Test
    void anUploadInterruptedBetweenItsPartsIsAbortedAndLeavesNothing() throws Exception {
        Path file = tmp.resolve("big.mp4");
        byte[] bytes = new byte[80 * 1024 * 1024];
        new Random(8).nextBytes(bytes);
        Files.write(file, bytes);
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, tmp.resolve("s3"), "multipart", "multipart-secret");
                ObjectStore store = new ObjectStore(s3.settings());
                OrphanParts parts = new OrphanParts(s3.settings())) {
            store.ensureBucket("renditions");
            S3Location to = S3Location.parse("s3://renditions/cut/out.x4.mp4");
            Throwable[] outcome = new Throwable[1];
            // the job thread is interrupted as a worker interrupts a job it gives up (shutdown, a failed stage)
            Thread upload = new Thread(() -> {
                try {
                    store.upload(file, to, "video/mp4", Map.of("jobid", "cut-1"));
                } catch (Throwable t) {
                    outcome[0] = t;
                }
            });
            upload.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (parts.inProgress(to).isEmpty() && upload.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, parts.inProgress(to).size(), "the upload was seen in progress");
            upload.interrupt();
            upload.join(60_000);
            assertTrue(outcome[0] instanceof Failure, "the upload failed: " + outcome[0]);
            assertEquals(List.of(), parts.inProgress(to), "its parts were aborted");
            assertTrue(store.head(to).isEmpty(), "no object under the key");
        }
    }

    @Test
    void abortUploadsRemovesExactlyTheUploadsOnOneKey() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, tmp.resolve("s3"), "multipart", "multipart-secret");
                ObjectStore store = new ObjectStore(s3.settings());
                OrphanParts parts = new OrphanParts(s3.settings())) {
            store.ensureBucket("renditions");
            S3Location key = S3Location.parse("s3://renditions/o/seg-1.mp4");
            // same prefix, other keys: not the job's
            S3Location longer = S3Location.parse("s3://renditions/o/seg-1.mp4.bak");
            S3Location other = S3Location.parse("s3://renditions/o/seg-2.mp4");
            parts.leave(key);
            parts.leave(key);
            parts.leave(longer);
            parts.leave(other);
            assertEquals(2, parts.inProgress(key).size());

            assertEquals(2, store.abortUploads(key));
            assertEquals(List.of(), parts.inProgress(key));
            assertEquals(1, parts.inProgress(longer).size());
            assertEquals(1, parts.inProgress(other).size());
            assertEquals(0, store.abortUploads(key), "nothing left to abort");
        }
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
