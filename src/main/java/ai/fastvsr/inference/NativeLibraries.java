package ai.fastvsr.inference;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;

/**
 * Native libraries shipped beside the jar rather than inside it: the {@code -Pgpu} build's ONNX Runtime (its CUDA
 * provider alone is 183 MB; unpacking it from the jar at every start would cost seconds and as much disk). They
 * live in {@code natives/} next to the jar ({@code target/natives} in a Maven build), or where
 * {@code FASTVSR_NATIVE_DIR} / {@code -Dfastvsr.native.dir} says. JavaCPP searches its preload path for the
 * libraries it is asked to load and for their JNI glue; ONNX Runtime then loads its CUDA provider from its own
 * directory. The CPU build has no such folder and nothing changes for it.
 */
public final class NativeLibraries {
    public static final String PROPERTY = "fastvsr.native.dir";
    public static final String ENV = "FASTVSR_NATIVE_DIR";
    private static final String JAVACPP_PRELOAD_PATH = "org.bytedeco.javacpp.platform.preloadpath";
    private static Optional<Path> configured;

    private NativeLibraries() {}

    /**
     * Points JavaCPP at the natives folder, once, and returns it (empty when there is none). Safe to call from
     * every entry point; it must run before JavaCPP loads a library from that folder.
     */
    public static synchronized Optional<Path> configure() {
        if (configured == null) {
            configured = locate();
            configured.ifPresent(dir -> {
                String previous = System.getProperty(JAVACPP_PRELOAD_PATH);
                System.setProperty(
                        JAVACPP_PRELOAD_PATH,
                        previous == null || previous.isBlank() ? dir.toString() : dir + File.pathSeparator + previous);
                // JavaCPP caches its platform properties at first use (FFmpeg may have been loaded already)
                Loader.loadProperties(true);
            });
        }
        return configured;
    }

    static Optional<Path> locate() {
        String explicit = System.getProperty(PROPERTY, System.getenv(ENV));
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit).toAbsolutePath());
        }
        try {
            CodeSource source = NativeLibraries.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            // the jar (or target/classes) -> its folder -> natives/
            Path dir = Path.of(source.getLocation().toURI()).getParent().resolve("natives");
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
