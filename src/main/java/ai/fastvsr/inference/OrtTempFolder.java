package ai.fastvsr.inference;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removes the folder ONNX Runtime's Java API unpacks its libraries into ({@code onnxruntime-java<digits>} in the temp
 * directory) when the JVM exits. ORT 1.21 asks the JVM to delete the folder and its files on exit, but the JVM deletes
 * in reverse order of asking: the folder first, which fails while the libraries are still in it, then the libraries.
 * Every run left an empty folder behind (1600 of them on the build machine).
 *
 * <p>A shutdown hook runs before the JVM's own deletions, so this one deletes the libraries (Linux lets a loaded
 * library be unlinked) and then the folder. It touches only the folder ORT recorded as its own, read from ORT's
 * private field: another process's folder is never guessed at, and if a later ORT renames the field, nothing
 * happens. One that ends by {@code Runtime.halt} (the worker's drain) calls {@link #removeNow()} first. A process
 * killed with SIGKILL leaves the folder, as any JVM leaves its temp files, but empty: ORT loads the libraries from
 * {@link OrtLibraryCache}'s folder instead of unpacking them there.
 */
public final class OrtTempFolder {
    private static boolean registered;

    private OrtTempFolder() {}

    /** Arranges the removal at exit, once per JVM; call it when ONNX Runtime is about to be loaded. */
    static synchronized void removeAtExit() {
        if (!registered) {
            registered = true;
            Runtime.getRuntime().addShutdownHook(new Thread(OrtTempFolder::removeNow, "ort-temp-folder"));
        }
    }

    /** ORT's folder, or null when ORT was not loaded, unpacked nothing, or hides its folder elsewhere. */
    static Path folder() {
        try {
            Class<?> runtime = Class.forName("ai.onnxruntime.OnnxRuntime", false, OrtTempFolder.class.getClassLoader());
            Field field = runtime.getDeclaredField("tempDirectory");
            field.setAccessible(true);
            return field.get(null) instanceof Path path ? path : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Removes the folder now, if this process loaded ORT; for a process about to end by {@code Runtime.halt}, which
     * runs no shutdown hook.
     */
    public static void removeNow() {
        synchronized (OrtTempFolder.class) {
            if (!registered) {
                return; // this process never loaded ORT through ModelLoader: nothing of ORT's to look at
            }
        }
        Path dir = folder();
        if (dir == null || !dir.getFileName().toString().startsWith("onnxruntime-java") || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // best effort at exit: the JVM's own deletions still follow
        }
    }
}
