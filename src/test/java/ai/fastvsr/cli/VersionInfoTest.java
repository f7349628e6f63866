package ai.fastvsr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VersionInfoTest {
    @Test
    void namesTheBuildTheDefaultModelAndTheEngines() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            rc = Main.run("--version");
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        // the model files on disk, read and hashed here, independently of the jar's resources
        JsonNode card = new ObjectMapper()
                .readTree(Path.of("models/fastvsr-tiny/model.json").toFile());
        String sha = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(Path.of("models/fastvsr-tiny/model.onnx"))));
        assertTrue(text.startsWith("fastvsr-worker 0.1.0"), text);
        assertTrue(
                text.contains(
                        "default model: fastvsr-tiny v" + card.path("version").asText() + ", model.onnx sha256 " + sha),
                text);
        assertTrue(text.contains("engines: cpu"), text);
        assertTrue(text.contains("built 20"), "a build time, filtered in by Maven: " + text);
    }
}
