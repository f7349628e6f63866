package ai.fastvsr.testing;

import ai.fastvsr.storage.LocalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scratch roots for the workers that tests start. A worker removes its own job folders but not the root it was
 * given, so every root made here is removed when the test JVM exits, whether the test passed or not.
 */
public final class ScratchDirs {
    private static final Set<Path> MADE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ScratchDirs::removeAll, "scratch-dirs"));
    }

    private ScratchDirs() {}

    /** A new empty folder under the temp folder, named {@code prefix} + a random part. */
    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        MADE.add(dir);
        return dir;
    }

    private static void removeAll() {
        for (Path dir : MADE) {
            try {
                LocalFiles.deleteRecursively(dir);
            } catch (IOException e) {
                System.err.println("could not remove " + dir + ": " + e); // at exit: nothing else to tell
            }
        }
    }
}
