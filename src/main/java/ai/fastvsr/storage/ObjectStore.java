package ai.fastvsr.storage;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.S3Location;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.ObjectWriteResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.Set;

/**
 * The worker's only door to S3. Translates the store's errors into job error codes at this one place, so the rest
 * of the worker never sees an S3 exception.
 */
public final class ObjectStore implements AutoCloseable {
    /** MinIO uploads files above this in parts; completion makes the object visible at once, never half-written. */
    private static final long PART_SIZE = 16L * 1024 * 1024;
    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchVersion");
    private static final Set<String> DENIED = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch");

    private final MinioClient client;
    private final RetryPolicy retry;

    public ObjectStore(S3Settings settings) {
        this(settings, RetryPolicy.NONE);
    }

    public ObjectStore(S3Settings settings, RetryPolicy retry) {
        this.client = MinioClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey())
                .region(settings.region())
                .build();
        // MinIO's defaults are 5 minutes each: a request caught by a store restart would hang that long before
        // the retry policy even sees it. Read is per read, not per object, so large transfers are unaffected.
        this.client.setTimeout(TimeUnit.SECONDS.toMillis(10), TimeUnit.SECONDS.toMillis(60),
                TimeUnit.SECONDS.toMillis(20));
        this.retry = retry;
    }

    /** The object's size (one HEAD request), or INPUT_NOT_FOUND. */
    public long size(S3Location object, String versionId) throws Failure {
        return retry.call("stat of " + object, () -> {
            try {
                return client.statObject(StatObjectArgs.builder().bucket(object.bucket()).object(object.key())
                        .versionId(versionId).build()).size();
            } catch (Exception e) {
                throw failure(e, Phase.DOWNLOADING, "stat of " + object);
            }
        });
    }

    /** The object's etag, version, size and user metadata, or empty when there is no such object. */
    public Optional<ObjectHead> head(S3Location object) throws Failure {
        return retry.call("stat of " + object, () -> {
            try {
                StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(object.bucket())
                        .object(object.key()).build());
                Map<String, String> user = new HashMap<>();
                stat.userMetadata().forEach((k, v) -> user.put(k.toLowerCase(), v));
                return Optional.of(new ObjectHead(new StoredObject(stripQuotes(stat.etag()), stat.versionId(),
                        stat.size()), user));
            } catch (ErrorResponseException e) {
                if (NOT_FOUND.contains(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw failure(e, Phase.VALIDATING, "stat of " + object);
            } catch (Exception e) {
                throw failure(e, Phase.VALIDATING, "stat of " + object);
            }
        });
    }

    public void download(S3Location from, String versionId, Path to) throws Failure {
        retry.call("download of " + from, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder()
                    .bucket(from.bucket()).object(from.key()).versionId(versionId).build())) {
                Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                return null;
            } catch (Exception e) {
                throw failure(e, Phase.DOWNLOADING, "download of " + from);
            }
        });
    }

    public StoredObject upload(Path file, S3Location to, String contentType, Map<String, String> metadata)
            throws Failure {
        return retry.call("upload to " + to, () -> {
            try {
                ObjectWriteResponse written = client.uploadObject(UploadObjectArgs.builder()
                        .bucket(to.bucket()).object(to.key())
                        .filename(file.toString(), PART_SIZE)
                        .contentType(contentType)
                        .userMetadata(metadata)
                        .build());
                return new StoredObject(stripQuotes(written.etag()), written.versionId(), Files.size(file));
            } catch (Exception e) {
                throw failure(e, Phase.UPLOADING, "upload to " + to);
            }
        });
    }

    /**
     * Null when the store answers and accepts our credentials, else why not. One HEAD on a bucket name nobody
     * uses: 404 means "reachable, signed in".
     */
    public String problem() {
        try {
            client.bucketExists(BucketExistsArgs.builder().bucket("fastvsr-readiness-probe").build());
            return null;
        } catch (ErrorResponseException e) {
            return DENIED.contains(e.errorResponse().code()) ? "S3 rejects the credentials: " + e.errorResponse().code()
                    : null;
        } catch (Exception e) {
            return "S3 unreachable: " + e.getMessage();
        }
    }

    /** Creates the bucket unless it exists (used by the embedded stack and tests). */
    public void ensureBucket(String bucket) throws Exception {
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
    }

    public MinioClient client() {
        return client;
    }

    private static Failure failure(Exception e, Phase phase, String what) {
        if (e instanceof ErrorResponseException s3) {
            String code = s3.errorResponse().code();
            if (NOT_FOUND.contains(code) && phase == Phase.DOWNLOADING) {
                return new Failure(ErrorCode.INPUT_NOT_FOUND, false, phase, what + ": " + code, e);
            }
            if (DENIED.contains(code)) {
                return new Failure(ErrorCode.ACCESS_DENIED, false, phase, what + ": " + code, e);
            }
            return new Failure(ErrorCode.STORAGE_ERROR, true, phase, what + ": " + code, e);
        }
        // network trouble and 5xx answers pass; anything else (a bug, a bad argument) would fail again the same way
        boolean transientError = e instanceof IOException || e instanceof ServerException
                || e instanceof InsufficientDataException;
        return new Failure(ErrorCode.STORAGE_ERROR, transientError, phase, what + " failed: " + e.getMessage(), e);
    }

    private static String stripQuotes(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
