package ai.fastvsr.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.job.JobAbandoned;
import ai.fastvsr.storage.LocalFiles;
import ai.fastvsr.testing.ImageMath;
import ai.fastvsr.video.RgbImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference model through DJL + ONNX Runtime, and the model card refusing to lie. */
class UpscalerTest {
    private static final Path REFERENCE = Path.of("models/reference-x4");
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void referenceModelIsExactBilinearX4() throws Exception {
        Random random = new Random(7);
        int w = 13;
        int h = 7;
        byte[] a = new byte[w * h * 3];
        byte[] b = new byte[w * h * 3];
        random.nextBytes(a);
        random.nextBytes(b);
        try (Upscaler upscaler = Upscaler.load(REFERENCE, EngineSettings.cpu(1), json)) {
            List<RgbImage> out = upscaler.upscale(List.of(new RgbImage(w, h, a), new RgbImage(w, h, b)));
            assertEquals(2, out.size());
            assertEquals(52, out.get(0).width());
            assertEquals(28, out.get(0).height());
            int maxDiff = Math.max(
                    maxDiff(ImageMath.bilinear(a, w, h, 4), out.get(0).pixels()),
                    maxDiff(ImageMath.bilinear(b, w, h, 4), out.get(1).pixels()));
            assertTrue(maxDiff <= 1, "max difference " + maxDiff + " code values");
        }
    }

    /**
     * A worker stopped mid-clip closes the model while a stage thread is inside ONNX Runtime; freeing the session
     * under it crashed the JVM (SIGSEGV in libonnxruntime, seen in FleetIT). close() must wait for the clip, and a
     * clip that comes after it is abandoned, not failed.
     */
    @Test
    void closingWhileAClipRunsWaitsForItAndLaterClipsAreAbandoned() throws Exception {
        List<RgbImage> clip = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clip.add(new RgbImage(480, 272, new byte[480 * 272 * 3]));
        }
        Upscaler upscaler = Upscaler.load(REFERENCE, EngineSettings.cpu(1), json);
        var result = new CompletableFuture<List<RgbImage>>();
        Thread stage = new Thread(() -> {
            try {
                result.complete(upscaler.upscale(clip));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        stage.start();
        Thread.sleep(50); // the clip takes far longer than this on one thread: close() lands during the run
        upscaler.close();
        assertTrue(result.isDone(), "close() returned before the clip in flight finished");
        try {
            assertEquals(8, result.get().size());
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof JobAbandoned, e.getCause().toString());
        }
        assertThrows(JobAbandoned.class, () -> upscaler.upscale(clip.subList(0, 1)));
        stage.join();
    }

    @Test
    void checksumMismatchIsAModelError() throws Exception {
        Path dir = copyReference();
        ObjectNode card = (ObjectNode) json.readTree(dir.resolve("model.json").toFile());
        ((ObjectNode) card.get("files")).put("sha256", "0".repeat(64));
        json.writeValue(dir.resolve("model.json").toFile(), card);
        Failure e = assertThrows(Failure.class, () -> Upscaler.load(dir, EngineSettings.cpu(1), json));
        assertEquals(ErrorCode.MODEL_ERROR, e.code());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void aCardClaimingAnotherScaleIsRefused() throws Exception {
        Path dir = copyReference();
        ObjectNode card = (ObjectNode) json.readTree(dir.resolve("model.json").toFile());
        card.put("scale", 2);
        json.writeValue(dir.resolve("model.json").toFile(), card);
        Failure e = assertThrows(Failure.class, () -> Upscaler.load(dir, EngineSettings.cpu(1), json));
        assertEquals(ErrorCode.MODEL_ERROR, e.code());
    }

    @Test
    void cardsWithImpossibleParametersAreRefused() throws Exception {
        String[][] lies = {
            {"/output/range", "[0, 255]"},
            {"/clip/overlap", "1"},
            {"/tile/overlap", "40"},
            {"/input/layout", "\"NHWC\""},
            {"/input/colour", "\"BGR\""}
        };
        for (String[] lie : lies) {
            Path dir = copyReference();
            ObjectNode card =
                    (ObjectNode) json.readTree(dir.resolve("model.json").toFile());
            String[] path = lie[0].substring(1).split("/");
            ((ObjectNode) card.get(path[0])).set(path[1], json.readTree(lie[1]));
            if (lie[0].startsWith("/tile")) {
                ((ObjectNode) card.get("tile")).put("size", 64);
            }
            json.writeValue(dir.resolve("model.json").toFile(), card);
            Failure e = assertThrows(Failure.class, () -> Upscaler.load(dir, EngineSettings.cpu(1), json), lie[0]);
            assertEquals(ErrorCode.MODEL_ERROR, e.code(), lie[0]);
            LocalFiles.deleteRecursively(dir);
        }
    }

    @Test
    void anFp16GraphOnTheCardIsReadAndOnlyItsUsersCheckIt() throws Exception {
        Path dir = copyReference();
        ObjectNode card = (ObjectNode) json.readTree(dir.resolve("model.json").toFile());
        ObjectNode fp16 = ((ObjectNode) card.get("files")).putObject("fp16");
        fp16.put("onnx", "model.fp16.onnx").put("sha256", "0".repeat(64));
        json.writeValue(dir.resolve("model.json").toFile(), card);
        ModelCard read = ModelCard.read(dir, json);
        assertEquals("model.fp16.onnx", read.files().fp16().onnx());
        assertEquals(null, read.problem());
        // the CPU engine never reads the float16 graph (absent here, with a wrong checksum): it loads
        try (Upscaler upscaler = Upscaler.load(dir, EngineSettings.cpu(1), json)) {
            assertEquals(4, upscaler.card().scale());
        }
        // the CUDA engine with --fp16 checks it like the main file, before any engine starts
        Files.copy(dir.resolve("model.onnx"), dir.resolve("model.fp16.onnx"));
        Failure lie = assertThrows(
                Failure.class, () -> Upscaler.load(dir, new EngineSettings(EngineKind.CUDA, 0, true, null, 1), json));
        assertTrue(
                lie.getMessage().startsWith("checksum mismatch for " + dir.resolve("model.fp16.onnx")),
                lie.getMessage());
        Failure fp32 = assertThrows(
                Failure.class, () -> Upscaler.load(dir, new EngineSettings(EngineKind.CUDA, 0, false, null, 1), json));
        assertTrue(
                fp32.getMessage().startsWith("engine cuda on gpu0: "), "--fp16 false skips it: " + fp32.getMessage());
        fp16.remove("sha256");
        json.writeValue(dir.resolve("model.json").toFile(), card);
        Failure e = assertThrows(Failure.class, () -> Upscaler.load(dir, EngineSettings.cpu(1), json));
        assertTrue(e.getMessage().contains("files.fp16 needs onnx and sha256"), e.getMessage());
    }

    @Test
    void aMissingModelDirIsAModelError() {
        Failure e = assertThrows(Failure.class, () -> Upscaler.load(tmp.resolve("nope"), EngineSettings.cpu(1), json));
        assertEquals(ErrorCode.MODEL_ERROR, e.code());
    }

    private Path copyReference() throws Exception {
        Path dir = tmp.resolve("model");
        Files.createDirectories(dir);
        Files.copy(REFERENCE.resolve("model.json"), dir.resolve("model.json"));
        Files.copy(REFERENCE.resolve("model.onnx"), dir.resolve("model.onnx"));
        return dir;
    }

    private static int maxDiff(byte[] a, byte[] b) {
        assertArrayEquals(new int[] {a.length}, new int[] {b.length});
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        }
        return max;
    }
}
