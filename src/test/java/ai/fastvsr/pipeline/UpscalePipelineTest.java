package ai.fastvsr.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.ModelCard;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.video.EncodeSettings;
import ai.fastvsr.video.RgbImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staged frame path on real FFmpeg and ONNX Runtime: it cleans up after itself, on success and on failure. */
class UpscalePipelineTest {
    @TempDir
    Path tmp;

    @Test
    void hundredRunsLeaveNoThreadsAndNoNativeMemoryBehind() throws Exception {
        Path input = tmp.resolve("in.mp4");
        Ffmpeg.makeClip(input, 32, 24, 10, 0.4);
        try (Upscaler upscaler =
                Upscaler.load(Path.of("models/reference-x4"), EngineSettings.cpu(1), new ObjectMapper())) {
            UpscalePipeline pipeline = UpscalePipeline.forModel(upscaler);
            Path out = tmp.resolve("out.mp4");
            // warm up: FFmpeg, ORT and JIT allocate once
            for (int i = 0; i < 5; i++) {
                pipeline.run(input, out, EncodeSettings.DEFAULTS);
            }
            System.gc();
            int threads = Thread.activeCount();
            long nativeBytes = Pointer.totalBytes();
            for (int i = 0; i < 100; i++) {
                UpscaleStats stats = pipeline.run(input, out, EncodeSettings.DEFAULTS);
                assertEquals(4, stats.framesWritten());
            }
            System.gc();
            Thread.sleep(200);
            assertTrue(Thread.activeCount() <= threads, "threads " + threads + " -> " + Thread.activeCount());
            long grown = Pointer.totalBytes() - nativeBytes;
            assertTrue(grown < 4 << 20, "JavaCPP native memory grew by " + grown + " bytes over 100 runs");
        }
    }

    @Test
    void aFailingStageStopsTheOthersAndReportsItsError() throws Exception {
        Path input = tmp.resolve("long.mp4");
        Ffmpeg.makeClip(input, 32, 24, 25, 4.0);
        int before = Thread.activeCount();
        AtomicInteger clips = new AtomicInteger();
        var card = new ObjectMapper()
                .readValue(Path.of("models/reference-x4/model.json").toFile(), ModelCard.class);
        UpscalePipeline broken = new UpscalePipeline(
                clip -> {
                    if (clips.incrementAndGet() == 10) {
                        throw new Failure(ErrorCode.MODEL_ERROR, false, Phase.INFERENCE, "injected", null);
                    }
                    return clip.stream()
                            .map(f ->
                                    new RgbImage(f.width() * 4, f.height() * 4, new byte[f.width() * f.height() * 48]))
                            .toList();
                },
                card);
        Path out = tmp.resolve("broken.mp4");
        Failure e = assertThrows(Failure.class, () -> broken.run(input, out, EncodeSettings.DEFAULTS));
        assertEquals(ErrorCode.MODEL_ERROR, e.code());
        assertEquals("injected", e.getMessage());
        Thread.sleep(200);
        assertTrue(Thread.activeCount() <= before, "stage threads left running");
        assertTrue(Files.exists(input));
        assertTrue(Files.notExists(out), "no half-written output left behind");
    }
}
