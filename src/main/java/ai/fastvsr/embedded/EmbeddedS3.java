package ai.fastvsr.embedded;

import ai.fastvsr.storage.LocalFiles;
import ai.fastvsr.storage.S3Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API server (S3Proxy over a filesystem blob store) on 127.0.0.1, signature v2/v4 checked. Any S3
 * client can use it with path-style addressing and region us-east-1.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String DEFAULT_ACCESS_KEY = "fastvsr";
    public static final String DEFAULT_SECRET_KEY = "fastvsr-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final S3Settings settings;

    private EmbeddedS3(
            S3Proxy proxy, BlobStoreContext context, Path dataDir, boolean deleteOnClose, S3Settings settings) {
        this.proxy = proxy;
        this.context = context;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.settings = settings;
    }

    /**
     * @param port 0 picks a free one
     * @param dataDir where objects are stored; null for a temp dir removed on close
     */
    public static EmbeddedS3 start(int port, Path dataDir, String accessKey, String secretKey) throws Exception {
        boolean temp = dataDir == null;
        Path dir = temp ? Files.createTempDirectory("fastvsr-s3-") : dataDir;
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials("identity", "credential")
                .overrides(props)
                .build(BlobStoreContext.class);
        int chosen = FreePort.orPick(port);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + chosen))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // current AWS CLIs and SDKs send x-amz-checksum-* headers that S3Proxy 2.6 would reject
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(20);
        }
        S3Settings settings = new S3Settings("http://127.0.0.1:" + proxy.getPort(), accessKey, secretKey, "us-east-1");
        return new EmbeddedS3(proxy, context, dir, temp, settings);
    }

    public S3Settings settings() {
        return settings;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
        if (deleteOnClose) {
            LocalFiles.deleteRecursively(dataDir);
        }
    }
}
