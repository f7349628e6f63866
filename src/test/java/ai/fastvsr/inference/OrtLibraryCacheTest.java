package ai.fastvsr.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ORT's libraries unpacked once into a folder named after their digest, whole, and reused. */
class OrtLibraryCacheTest {
    @TempDir
    Path root;

    @Test
    void unpacksBothLibrariesAsTheJarHoldsThem() throws Exception {
        Path dir = OrtLibraryCache.install(root).orElseThrow();
        assertTrue(dir.getFileName().toString().matches("onnxruntime-[0-9a-f]{16}"), dir.toString());
        for (String name : List.of("onnxruntime", "onnxruntime4j_jni")) {
            String file = System.mapLibraryName(name);
            byte[] want;
            try (InputStream in = getClass()
                    .getClassLoader()
                    .getResourceAsStream("ai/onnxruntime/native/" + OrtLibraryCache.platform() + "/" + file)) {
                want = in.readAllBytes();
            }
            assertArrayEquals(want, Files.readAllBytes(dir.resolve(file)), file);
        }
        try (var entries = Files.list(root)) {
            assertEquals(List.of(dir), entries.toList(), "only the folder itself: no staging folder left");
        }
    }

    @Test
    void aSecondStartReusesTheFolderWithoutWritingIt() throws Exception {
        Path dir = OrtLibraryCache.install(root).orElseThrow();
        Path lib = dir.resolve(System.mapLibraryName("onnxruntime"));
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(lib, old);
        assertEquals(dir, OrtLibraryCache.install(root).orElseThrow());
        assertEquals(old, Files.getLastModifiedTime(lib), "the library was written again");
    }
}
