package ai.fastvsr.inference;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * machine. Here the libraries are unpacked into {@code <temp>/fastvsr-native/onnxruntime-<their CRC-32s>/} and
 * reused, so ORT's own folder stays empty.
 */
final class OrtLibraryCache {
    static final String PROPERTY = "onnxruntime.native.path";
    private static final Logger LOG = LoggerFactory.getLogger(OrtLibraryCache.class);
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");
    private static boolean done;

    private OrtLibraryCache() {}

    /**
     * Points ORT at the cache, once per JVM; call it before ORT loads. Leaves ORT to its own ways when the property
     * is set already, when no jar on the class path holds ORT libraries for this platform, or when the cache cannot be
     * written.
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
        String key = platform == null ? null : key(platform);
        if (key == null) {
            return Optional.empty();
        }
        return Optional.of(UnpackedFolder.install(
                root.resolve("onnxruntime-" + key), System.mapLibraryName(LIBRARIES.get(0)), staging -> {
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

    /**
     * The libraries' CRC-32s as the jar's directory records them (16 hex digits for the two), or null when either is
     * missing or not in a jar. They name what the folder holds in well under a millisecond; a SHA-256 of the 20 MB
     * took 130-300 ms of every start.
     */
    private static String key(String platform) throws IOException {
        StringBuilder key = new StringBuilder();
        for (String name : LIBRARIES) {
            URL url = OrtLibraryCache.class.getClassLoader().getResource(path(platform, name));
            if (url == null || !(url.openConnection() instanceof JarURLConnection jar)) {
                return null;
            }
            long crc = jar.getJarEntry().getCrc();
            if (crc < 0) {
                return null;
            }
            key.append(String.format("%08x", crc));
        }
        return key.toString();
    }

    private static String path(String platform, String name) {
        return "ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(name);
    }

    private static InputStream open(String platform, String name) throws IOException {
        InputStream in = OrtLibraryCache.class.getClassLoader().getResourceAsStream(path(platform, name));
        if (in == null) {
            throw new IOException("no " + System.mapLibraryName(name) + " for " + platform + " in the jar");
        }
        return in;
    }
}
