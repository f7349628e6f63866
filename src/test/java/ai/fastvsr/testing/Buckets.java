package ai.fastvsr.testing;

import io.minio.DownloadObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What tests do with the S3 server directly: put a file, get an object, list a prefix. */
public final class Buckets {
    private Buckets() {}

    public static void upload(MinioClient s3, String bucket, String key, Path file) throws Exception {
        s3.uploadObject(UploadObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .filename(file.toString())
                .build());
    }

    /** The object as the file {@code to}, which is returned. */
    public static Path download(MinioClient s3, String bucket, String key, Path to) throws Exception {
        s3.downloadObject(DownloadObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .filename(to.toString())
                .build());
        return to;
    }

    /** The keys under {@code prefix}, all levels. */
    public static List<String> list(MinioClient s3, String bucket, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (var item : s3.listObjects(ListObjectsArgs.builder()
                .bucket(bucket)
                .prefix(prefix)
                .recursive(true)
                .build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }
}
