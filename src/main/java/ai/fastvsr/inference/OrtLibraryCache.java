package ai.fastvsr.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime's native libraries, unpacked once per machine instead of once per process. ORT's Java API copies
 * libonnxruntime.so (20 MB) and its JNI glue into a new {@code onnxruntime-java<digits>} folder at every start,
 * unless its property {@code onnxruntime.native.path} names a folder that holds both. {@link OrtTempFolder} removes
 * that copy when the process ends by itself or on a signal, but a process killed with SIGKILL (the OOM killer, a pod
 * past its grace period) left the 20 MB behind: in a crash-looping pod whose /tmp is the 4 GiB emptyDir of k8s/,
 * about 200 restarts would evict the pod, and the test suite's killed workers left ~17 of them per run on the build
 * machine. Here the libraries are unpacked into {@code <temp>/fastvsr-native/onnxruntime-<sha256>/} and reused, so
 * ORT's own folder stays empty.
 */
final class OrtLibraryCache {
    static final String PROPERTY = "onnxruntime.native.path";
    private static final Logger LOG = LoggerFactory.getLogger(OrtLibraryCache.class);
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");
    private static boolean done;

    private OrtLibraryCache() {}

    /**
     * Points ORT at the cache, once per JVM; call it before ORT loads. Leaves ORT to its own ways when the property
     * is set already, when the jar holds no ORT libraries for this platform, or when the cache cannot be written.
     */
    static synchronized void use() {
        if (done) {
            return;
        }
        done = true;
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        try {
            install(Path.of(System.getProperty("java.io.tmpdir"), "fastvsr-native"))
                    .ifPresent(dir -> System.setProperty(PROPERTY, dir.toString()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ONNX Runtime's libraries could not be cached ({}); ORT unpacks them per process", e.toString());
        }
    }

    /** The folder under {@code root} holding this jar's ORT libraries (unpacked now if new); empty if it has none. */
    static Optional<Path> install(Path root) throws IOException {
        String platform = platform();
        if (platform == null || LIBRARIES.stream().anyMatch(name -> resource(platform, name) == null)) {
            return Optional.empty();
        }
        String digest = digest(platform);
        return Optional.of(UnpackedFolder.install(
                root.resolve("onnxruntime-" + digest.substring(0, 16)),
                System.mapLibraryName(LIBRARIES.get(LIBRARIES.size() - 1)),
                staging -> {
                    for (String name : LIBRARIES) {
                        try (InputStream in = open(platform, name)) {
                            Files.copy(in, staging.resolve(System.mapLibraryName(name)));
                        }
                    }
                }));
    }

    /** ORT's name for this platform's resource folder ({@code ai/onnxruntime/native/<platform>/}), or null. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return null; // the jar carries Linux libraries only (pom.xml's shade filters)
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64" -> "linux-aarch64";
            default -> null;
        };
    }

    private static String digest(String platform) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        for (String name : LIBRARIES) {
            try (InputStream in = new DigestInputStream(open(platform, name), sha)) {
                while (in.read(buffer) >= 0) {
                    // the digest reads along
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String resource(String platform, String name) {
        String path = "ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(name);
        return OrtLibraryCache.class.getClassLoader().getResource(path) != null ? path : null;
    }

    private static InputStream open(String platform, String name) throws IOException {
        String path = resource(platform, name);
        InputStream in =
                path == null ? null : OrtLibraryCache.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("no " + System.mapLibraryName(name) + " for " + platform + " in the jar");
        }
        return in;
    }
}
