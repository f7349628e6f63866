package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.cli.Main;
import ai.fastvsr.testing.Ffmpeg;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README command one: {@code demo} prints a completed event and leaves a 4x video that ffprobe agrees with. */
class DemoIT {
    @TempDir
    Path out;

    @Test
    void demoUpscalesTheSampleClip() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream tee = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            rc = Main.run("demo", "--out", out.toString(), "--seconds", "2");
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, printed);
        assertTrue(printed.contains("\"type\" : \"ai.fastvsr.job.completed\""), printed);
        assertTrue(printed.contains("summary: 320x180 -> 1280x720"), printed);

        JsonNode in = Ffmpeg.probe(out.resolve("sample-input.mp4"));
        JsonNode hr = Ffmpeg.probe(out.resolve("sample.x4.mp4"));
        JsonNode inV = Ffmpeg.stream(in, "video");
        JsonNode hrV = Ffmpeg.stream(hr, "video");
        assertEquals(4 * inV.path("width").asInt(), hrV.path("width").asInt());
        assertEquals(4 * inV.path("height").asInt(), hrV.path("height").asInt());
        assertEquals(
                inV.path("nb_read_frames").asLong(), hrV.path("nb_read_frames").asLong());
        assertEquals(inV.path("duration").asDouble(), hrV.path("duration").asDouble(), 1.0 / 30);
        assertNotNull(Ffmpeg.stream(hr, "audio"), "audio stream present");
    }

    /** Shows the demo's output in the test log while capturing it. */
    private static final class TeeStream extends OutputStream {
        private final PrintStream a;
        private final ByteArrayOutputStream b;

        TeeStream(PrintStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
