package ai.fastvsr.storage;

import ai.fastvsr.job.S3Location;
import io.minio.MinioAsyncClient;
import io.minio.messages.Upload;
import java.util.List;
import java.util.Map;

/**
 * What a worker killed mid-upload leaves on a real S3 server: a multipart upload started on a key, one part
 * uploaded, never completed nor aborted. Tests make such uploads and count them through ListMultipartUploads.
 */
public final class OrphanParts implements AutoCloseable {
    private final MultipartUploads uploads;

    public OrphanParts(S3Settings s3) {
        this.uploads = new MultipartUploads(
                MinioAsyncClient.builder()
                        .endpoint(s3.endpoint())
                        .credentials(s3.accessKey(), s3.secretKey())
                        .region(s3.region())
                        .build(),
                s3.region());
    }

    /** Starts an upload on {@code key} and sends one part of it; returns the upload's id. */
    public String leave(S3Location key) throws Exception {
        String id = uploads.start(key, "video/mp4", Map.of("jobid", "crashed"));
        byte[] part = new byte[64 * 1024];
        uploads.part(key, id, 1, part, part.length);
        return id;
    }

    /** The uploads in progress on exactly {@code key}. */
    public List<String> inProgress(S3Location key) throws Exception {
        return uploads.list(key);
    }

    /** The keys of all uploads in progress in {@code bucket}, one entry per upload. */
    public List<String> inProgress(String bucket) throws Exception {
        return uploads.list(bucket, "").stream().map(Upload::objectName).toList();
    }

    @Override
    public void close() throws Exception {
        uploads.close();
    }
}
