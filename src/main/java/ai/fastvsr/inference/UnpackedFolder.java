package ai.fastvsr.inference;

import ai.fastvsr.storage.LocalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A folder of files unpacked from the jar, there whole or not at all: it is filled beside its final name and renamed
 * into place, so a process starting at the same moment never sees half of it. Callers name the folder after a digest
 * of what it holds, so a newer jar unpacks into a new folder instead of overwriting one that a running process uses.
 */
final class UnpackedFolder {
    /** Writes the folder's files into an empty staging folder. */
    interface Filler {
        void fill(Path staging) throws IOException;
    }

    private UnpackedFolder() {}

    /**
     * The target, unpacked by {@code filler} unless it already holds {@code marker} (any file the filler writes).
     */
    static Path install(Path target, String marker, Filler filler) throws IOException {
        if (Files.isRegularFile(target.resolve(marker))) {
            return target;
        }
        Path root = target.getParent();
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, ".unpack-");
        try {
            filler.fill(staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // another process won the race: "file exists", or "directory not empty" on Linux
                if (!Files.isRegularFile(target.resolve(marker))) {
                    throw e;
                }
            }
        } finally {
            LocalFiles.deleteRecursively(staging);
        }
        return target;
    }
}
