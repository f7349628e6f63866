package ai.fastvsr.storage;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.S3Location;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.ServerException;
import io.minio.messages.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's only door to S3. Translates the store's errors into job error codes at this one place, so the rest
 * of the worker never sees an S3 exception.
 */
public final class ObjectStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);
    /** Files above this go up in parts; completion makes the object visible at once, never half-written. */
    private static final int PART_SIZE = 16 * 1024 * 1024;
    /** A failed job's own upload is aborted briefly: the failed event should not wait out an outage for it. */
    private static final RetryPolicy ABORT_RETRY = new RetryPolicy(3, 500, 2000);

    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchVersion");
    private static final Set<String> DENIED = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch");

    private final MinioClient client;
    private final MultipartUploads multipart;
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
        this.client.setTimeout(
                TimeUnit.SECONDS.toMillis(10), TimeUnit.SECONDS.toMillis(60), TimeUnit.SECONDS.toMillis(20));
        MinioAsyncClient async = MinioAsyncClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey())
                .region(settings.region())
                .build();
        async.setTimeout(TimeUnit.SECONDS.toMillis(10), TimeUnit.SECONDS.toMillis(60), TimeUnit.SECONDS.toMillis(20));
        this.multipart = new MultipartUploads(async, settings.region());
        this.retry = retry;
    }

    /** The object's size (one HEAD request), or INPUT_NOT_FOUND. */
    public long size(S3Location object, String versionId) throws Failure {
        return call(retry, Phase.DOWNLOADING, "stat of " + object, () -> client.statObject(StatObjectArgs.builder()
                        .bucket(object.bucket())
                        .object(object.key())
                        .versionId(versionId)
                        .build())
                .size());
    }

    /** The object's etag, version, size and user metadata, or empty when there is no such object. */
    public Optional<ObjectHead> head(S3Location object) throws Failure {
        return retry.call("stat of " + object, () -> {
            try {
                StatObjectResponse stat = client.statObject(StatObjectArgs.builder()
                        .bucket(object.bucket())
                        .object(object.key())
                        .build());
                Map<String, String> user = new HashMap<>();
                stat.userMetadata().forEach((k, v) -> user.put(k.toLowerCase(), v));
                return Optional.of(new ObjectHead(
                        new StoredObject(stripQuotes(stat.etag()), stat.versionId(), stat.size()), user));
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
        call(retry, Phase.DOWNLOADING, "download of " + from, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder()
                    .bucket(from.bucket())
                    .object(from.key())
                    .versionId(versionId)
                    .build())) {
                return Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
            }
        });
    }

    /**
     * Uploads the file as the object {@code to} with {@code metadata} as user metadata: one PUT up to the part size,
     * else a multipart upload whose parts are retried one by one and which is aborted if the upload fails or is
     * interrupted, so a failed job leaves no parts behind.
     */
    public StoredObject upload(Path file, S3Location to, String contentType, Map<String, String> metadata)
            throws Failure {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new Failure(ErrorCode.INTERNAL, true, Phase.UPLOADING, "cannot stat output: " + e, e);
        }
        if (size > PART_SIZE) {
            return uploadInParts(file, size, to, contentType, metadata);
        }
        return call(retry, Phase.UPLOADING, "upload to " + to, () -> {
            ObjectWriteResponse written = client.uploadObject(UploadObjectArgs.builder()
                    .bucket(to.bucket())
                    .object(to.key())
                    .filename(file.toString(), PART_SIZE)
                    .contentType(contentType)
                    .userMetadata(metadata)
                    .build());
            return new StoredObject(stripQuotes(written.etag()), written.versionId(), size);
        });
    }

    private StoredObject uploadInParts(
            Path file, long size, S3Location to, String contentType, Map<String, String> metadata) throws Failure {
        String id = call(
                retry, Phase.UPLOADING, "start of upload to " + to, () -> multipart.start(to, contentType, metadata));
        boolean completed = false;
        try (FileChannel in = FileChannel.open(file)) {
            List<Part> parts = new ArrayList<>();
            byte[] buffer = new byte[PART_SIZE];
            for (long offset = 0; offset < size; offset += PART_SIZE) {
                int number = parts.size() + 1;
                int length = readFully(in, offset, buffer);
                parts.add(call(
                        retry,
                        Phase.UPLOADING,
                        "part " + number + " of upload to " + to,
                        () -> multipart.part(to, id, number, buffer, length)));
            }
            StoredObject stored = call(
                    retry,
                    Phase.UPLOADING,
                    "completion of upload to " + to,
                    () -> complete(to, id, parts, metadata, size));
            completed = true;
            return stored;
        } catch (IOException e) {
            throw new Failure(ErrorCode.INTERNAL, true, Phase.UPLOADING, "reading the output: " + e, e);
        } finally {
            if (!completed) {
                abortQuietly(to, id);
            }
        }
    }

    /**
     * Completes the upload. A completion whose answer was lost (the store went away just then) is retried and
     * meets NoSuchUpload; the object it made is recognised by the metadata it was given.
     */
    private StoredObject complete(S3Location to, String id, List<Part> parts, Map<String, String> metadata, long size)
            throws Exception {
        try {
            ObjectWriteResponse done = multipart.complete(to, id, parts);
            return new StoredObject(stripQuotes(done.etag()), done.versionId(), size);
        } catch (ErrorResponseException e) {
            if (!"NoSuchUpload".equals(e.errorResponse().code())) {
                throw e;
            }
            StatObjectResponse stat = client.statObject(StatObjectArgs.builder()
                    .bucket(to.bucket())
                    .object(to.key())
                    .build());
            Map<String, String> stored = new HashMap<>();
            stat.userMetadata().forEach((k, v) -> stored.put(k.toLowerCase(), v));
            if (stat.size() != size || !stored.entrySet().containsAll(metadata.entrySet())) {
                throw e;
            }
            return new StoredObject(stripQuotes(stat.etag()), stat.versionId(), size);
        }
    }

    private void abortQuietly(S3Location to, String id) {
        // a job given back at shutdown was interrupted, and its upload must still be aborted
        boolean interrupted = Thread.interrupted();
        try {
            call(ABORT_RETRY, Phase.UPLOADING, "abort of upload to " + to, () -> abort(to, id));
            LOG.info("upload {} to {} aborted: the job did not complete", id, to);
        } catch (Failure e) {
            LOG.warn("upload {} to {} not aborted, a bucket lifecycle rule will: {}", id, to, e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The keys of every object under {@code prefix} (a key prefix, usually ending in "/"), in key order. */
    public List<String> list(S3Location prefix) throws Failure {
        return call(retry, Phase.VALIDATING, "list of " + prefix, () -> {
            List<String> keys = new ArrayList<>();
            for (var item : client.listObjects(ListObjectsArgs.builder()
                    .bucket(prefix.bucket())
                    .prefix(prefix.key())
                    .recursive(true)
                    .build())) {
                keys.add(item.get().objectName());
            }
            return keys;
        });
    }

    /** Removes every object under {@code prefix}; an empty prefix is fine. @return how many were removed */
    public int deleteAll(S3Location prefix) throws Failure {
        List<String> keys = list(prefix);
        for (String key : keys) {
            call(retry, Phase.UPLOADING, "delete of " + key, () -> {
                client.removeObject(RemoveObjectArgs.builder()
                        .bucket(prefix.bucket())
                        .object(key)
                        .build());
                return null;
            });
        }
        return keys.size();
    }

    /**
     * Aborts every multipart upload in progress on the key (what crashed workers left there).
     *
     * @return how many there were
     */
    public int abortUploads(S3Location key) throws Failure {
        List<String> ids = call(retry, Phase.UPLOADING, "list of uploads to " + key, () -> multipart.list(key));
        for (String id : ids) {
            call(retry, Phase.UPLOADING, "abort of upload to " + key, () -> abort(key, id));
        }
        return ids.size();
    }

    /** Aborts one upload; one that is gone already (another worker aborted it, a lifecycle rule) is fine. */
    private Void abort(S3Location key, String id) throws Exception {
        try {
            multipart.abort(key, id);
        } catch (ErrorResponseException e) {
            if (!"NoSuchUpload".equals(e.errorResponse().code())) {
                throw e;
            }
        }
        return null;
    }

    private static int readFully(FileChannel in, long offset, byte[] buffer) throws IOException {
        ByteBuffer to = ByteBuffer.wrap(buffer);
        while (to.hasRemaining()) {
            if (in.read(to, offset + to.position()) < 0) {
                break;
            }
        }
        return to.position();
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }

    /** One S3 call under a retry policy, its errors mapped to job error codes. */
    private static <T> T call(RetryPolicy policy, Phase phase, String what, S3Call<T> call) throws Failure {
        return policy.call(what, () -> {
            try {
                return call.run();
            } catch (Exception e) {
                throw failure(e, phase, what);
            }
        });
    }

    /**
     * Null when the store answers and accepts our credentials, else why not. One HEAD on a bucket name nobody
     * uses: 404 means "reachable, signed in".
     */
    public String problem() {
        try {
            client.bucketExists(
                    BucketExistsArgs.builder().bucket("fastvsr-readiness-probe").build());
            return null;
        } catch (ErrorResponseException e) {
            return DENIED.contains(e.errorResponse().code())
                    ? "S3 rejects the credentials: " + e.errorResponse().code()
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
        boolean transientError =
                e instanceof IOException || e instanceof ServerException || e instanceof InsufficientDataException;
        return new Failure(ErrorCode.STORAGE_ERROR, transientError, phase, what + " failed: " + e.getMessage(), e);
    }

    private static String stripQuotes(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    @Override
    public void close() throws Exception {
        client.close();
        multipart.close();
    }
}
