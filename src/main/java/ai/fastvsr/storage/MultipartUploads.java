package ai.fastvsr.storage;

import ai.fastvsr.job.S3Location;
import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.MinioAsyncClient;
import io.minio.ObjectWriteResponse;
import io.minio.Xml;
import io.minio.http.Method;
import io.minio.messages.ListMultipartUploadsResult;
import io.minio.messages.Part;
import io.minio.messages.Upload;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import okhttp3.Response;

/**
 * S3's multipart calls, made one by one instead of inside the MinIO client's {@code uploadObject}: the worker must
 * hold its upload's id to abort it when the job fails, and must list one key's uploads to abort those a crashed
 * worker left. The listing sends only the parameters it needs ({@code uploads}, {@code prefix}); MinIO's own
 * call always adds {@code delimiter} and {@code max-uploads}, which S3Proxy refuses (501).
 */
final class MultipartUploads extends MinioAsyncClient {
    private final String region;

    MultipartUploads(MinioAsyncClient client, String region) {
        super(client);
        this.region = region;
    }

    /** @return the new upload's id; the object gets {@code metadata} as user metadata when it completes */
    String start(S3Location to, String contentType, Map<String, String> metadata) throws Exception {
        Multimap<String, String> headers = HashMultimap.create();
        headers.put("Content-Type", contentType);
        metadata.forEach((k, v) -> headers.put("x-amz-meta-" + k, v));
        return await(createMultipartUploadAsync(to.bucket(), region, to.key(), headers, null))
                .result()
                .uploadId();
    }

    Part part(S3Location to, String uploadId, int number, byte[] bytes, int length) throws Exception {
        return new Part(
                number,
                await(uploadPartAsync(to.bucket(), region, to.key(), bytes, length, uploadId, number, null, null))
                        .etag());
    }

    ObjectWriteResponse complete(S3Location to, String uploadId, List<Part> parts) throws Exception {
        return await(completeMultipartUploadAsync(
                to.bucket(), region, to.key(), uploadId, parts.toArray(Part[]::new), null, null));
    }

    void abort(S3Location to, String uploadId) throws Exception {
        await(abortMultipartUploadAsync(to.bucket(), region, to.key(), uploadId, null, null));
    }

    /** Ids of the uploads in progress on exactly this key. */
    List<String> list(S3Location key) throws Exception {
        return list(key.bucket(), key.key()).stream()
                .filter(u -> key.key().equals(u.objectName()))
                .map(Upload::uploadId)
                .toList();
    }

    /** The uploads in progress under a key prefix ("" for the whole bucket); one page, up to 1000. */
    List<Upload> list(String bucket, String prefix) throws Exception {
        Multimap<String, String> query = HashMultimap.create();
        query.put("uploads", "");
        query.put("prefix", prefix);
        try (Response response = await(executeAsync(Method.GET, bucket, null, region, null, query, null, 0))) {
            return Xml.unmarshal(
                            ListMultipartUploadsResult.class, response.body().charStream())
                    .uploads();
        }
    }

    /** The call's own exception (an S3 error, an I/O error), not the future's wrapper. */
    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
