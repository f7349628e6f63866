package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.pipeline.UpscalePipeline;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.video.EncodeSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation (display matrix), sample aspect ratio, the title and the audio language survive the frame path, as
 * Debian's ffprobe reads them on input and output.
 */
class StreamTagsIT {
    @TempDir
    Path tmp;

    @Test
    void rotationAspectTitleAndLanguageAreKept() throws Exception {
        Path plain = tmp.resolve("plain.mp4");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=10",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t",
                "1",
                "-vf",
                "setsar=4/3",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-metadata",
                "title=Cam 7 segment 42",
                "-metadata:s:a:0",
                "language=deu",
                "-shortest",
                plain.toString());
        // ffmpeg 5.1 writes a display matrix from the rotate tag only when remuxing
        Path input = tmp.resolve("rotated.mp4");
        Ffmpeg.run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-i",
                plain.toString(),
                "-c",
                "copy",
                "-metadata:s:v:0",
                "rotate=90",
                input.toString());
        Path output = tmp.resolve("rotated.x4.mp4");
        try (Upscaler upscaler =
                Upscaler.load(Path.of("models/reference-x4"), EngineSettings.cpu(1), new ObjectMapper())) {
            UpscalePipeline.forModel(upscaler).run(input, output, EncodeSettings.DEFAULTS);
        }
        JsonNode in = Ffmpeg.probe(input);
        JsonNode out = Ffmpeg.probe(output);
        JsonNode inV = Ffmpeg.stream(in, "video");
        JsonNode outV = Ffmpeg.stream(out, "video");
        assertEquals("4:3", inV.path("sample_aspect_ratio").asText(), "the test input itself");
        assertEquals(
                inV.path("sample_aspect_ratio").asText(),
                outV.path("sample_aspect_ratio").asText());
        int inRotation = rotation(inV);
        assertFalse(inRotation == 0, "the test input is rotated: " + inV);
        assertEquals(inRotation, rotation(outV), "display matrix rotation");
        assertEquals(
                "Cam 7 segment 42",
                out.path("format").path("tags").path("title").asText());
        JsonNode outA = Ffmpeg.stream(out, "audio");
        assertNotNull(outA);
        assertEquals("deu", outA.path("tags").path("language").asText());
        assertFalse(
                out.path("format").path("tags").path("encoder").asText().contains("x264"),
                "the input's encoder tag is not copied");
    }

    private static int rotation(JsonNode stream) {
        for (JsonNode side : stream.path("side_data_list")) {
            if (side.has("rotation")) {
                return side.path("rotation").asInt();
            }
        }
        return stream.path("tags").path("rotate").asInt(0);
    }
}
