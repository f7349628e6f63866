package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.fastvsr.inference.ClipStream;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.TiledUpscaler;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.testing.FloatFiles;
import ai.fastvsr.testing.ImageMath;
import ai.fastvsr.testing.Python;
import ai.fastvsr.testing.TiledUpscalerTestImages;
import ai.fastvsr.video.RgbImage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FastVSR `tiny` graph exported by models/export_onnx.py (Debian torch 1.13), run from Java through DJL and
 * ONNX Runtime, against PyTorch's own output for the same input (models/parity_io.py). Random weights: this checks
 * the export and the runtime, not the quality.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastvsrOnnxParityIT {
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    static Path tmp;

    private Path modelDir;
    private Path io;

    @BeforeAll
    void export() throws Exception {
        modelDir = tmp.resolve("tiny");
        io = tmp.resolve("io");
        Python.run("models/export_onnx.py", "--preset", "tiny", "--seed", "0", "--out", modelDir.toString());
        Python.run(
                "models/parity_io.py", "--preset", "tiny", "--seed", "0", "--shape", "3,24,40", "--out", io.toString());
    }

    @Test
    void djlOnnxRuntimeMatchesPyTorch() throws Exception {
        JsonNode shapes = json.readTree(io.resolve("io.json").toFile());
        long[] inShape = longs(shapes.get("input"));
        long[] outShape = longs(shapes.get("output"));
        float[] input = FloatFiles.read(io.resolve("input.f32"));
        float[] expected = FloatFiles.read(io.resolve("expected.f32"));

        float[] got = runOnnx(modelDir.resolve("model.onnx"), input, inShape, outShape);
        double rel = FloatFiles.relativeError(got, expected);
        System.out.printf(
                "tiny ONNX via DJL/ORT vs PyTorch: relative L2 error %.3g, PSNR %.1f dB%n",
                rel, FloatFiles.psnr(got, expected));
        assertTrue(rel <= 1e-4, "relative error " + rel);
    }

    /** The shipped, trained model: PyTorch's output for its parity clip was stored next to it at export. */
    @Test
    void shippedFastvsrTinyMatchesPyTorch() throws Exception {
        Path parity = Path.of("models/fastvsr-tiny/parity");
        JsonNode shapes = json.readTree(parity.resolve("io.json").toFile());
        float[] got = runOnnx(
                Path.of("models/fastvsr-tiny/model.onnx"),
                FloatFiles.read(parity.resolve("input.f32")),
                longs(shapes.get("input")),
                longs(shapes.get("output")));
        float[] expected = FloatFiles.read(parity.resolve("expected.f32"));
        double psnr = FloatFiles.psnr(got, expected);
        System.out.printf(
                "shipped fastvsr-tiny via DJL/ORT (CPU) vs PyTorch: PSNR %.1f dB, relative error %.3g%n",
                psnr, FloatFiles.relativeError(got, expected));
        assertTrue(psnr >= 45, "PSNR " + psnr);
        // the card the worker enforces agrees with the file
        try (Upscaler upscaler = Upscaler.load(Path.of("models/fastvsr-tiny"), EngineSettings.cpu(1), json)) {
            assertEquals("fastvsr-tiny", upscaler.card().name());
        }
    }

    private static float[] runOnnx(Path onnx, float[] input, long[] inShape, long[] outShape) throws Exception {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(onnx)
                .optEngine("OnnxRuntime")
                .build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager("OnnxRuntime")) {
            NDArray lr = manager.create(input, new Shape(inShape));
            lr.setName("lr");
            NDArray hr = predictor.predict(new NDList(lr)).get(0);
            assertArrayEquals(outShape, hr.getShape().getShape());
            return hr.toFloatArray();
        }
    }

    @Test
    void theWorkerLoadsItAndPadsToItsMultiple() throws Exception {
        try (Upscaler upscaler = Upscaler.load(modelDir, EngineSettings.cpu(2), json)) {
            assertEquals(8, upscaler.card().multipleOf());
            // 30x20 is no multiple of 8: padded to 32x24 in, cropped to 120x80 out
            Random random = new Random(3);
            List<RgbImage> clip = List.of(image(30, 20, random), image(30, 20, random));
            List<RgbImage> out = upscaler.upscale(clip);
            assertEquals(2, out.size());
            assertEquals(120, out.get(0).width());
            assertEquals(80, out.get(0).height());
        }
    }

    @Test
    void tilesAndClipBoundariesStayInvisible() throws Exception {
        Random random = new Random(5);
        try (Upscaler upscaler = Upscaler.load(Path.of("models/fastvsr-tiny"), EngineSettings.cpu(2), json)) {
            // a pan long enough for two of the card's clips (16 sharing 2): footage is coherent in time, and the
            // model's space-time blocks see up to four frames to each side, so frames near a seam differ most
            List<RgbImage> clip = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                clip.add(TiledUpscalerTestImages.pan(64, 48, 5, i));
            }
            // tiles as the card sets them (256, overlap 16) on frames wider than one tile
            List<RgbImage> wide = List.of(
                    TiledUpscalerTestImages.smooth(400, 184, random, 0),
                    TiledUpscalerTestImages.smooth(400, 184, random, 1));
            List<RgbImage> wideWhole = new TiledUpscaler(upscaler, 0, 0).upscale(wide);
            List<RgbImage> wideTiled = TiledUpscaler.fromCard(upscaler).upscale(wide);
            double tiles = Double.POSITIVE_INFINITY;
            for (int f = 0; f < wide.size(); f++) {
                tiles = Math.min(
                        tiles,
                        ImageMath.psnr(
                                wideWhole.get(f).pixels(), wideTiled.get(f).pixels()));
            }
            List<RgbImage> whole = new TiledUpscaler(upscaler, 0, 0).upscale(clip);
            // the same frames as the worker cuts them (the card's clips), against one clip of all of them
            List<RgbImage> streamed = new ArrayList<>();
            ClipStream stream = ClipStream.forCard(upscaler::upscale, upscaler.card());
            for (RgbImage frame : clip) {
                stream.push(frame, streamed::add);
            }
            stream.finish(streamed::add);
            double clips = Double.POSITIVE_INFINITY;
            for (int f = 0; f < clip.size(); f++) {
                clips = Math.min(
                        clips,
                        ImageMath.psnr(whole.get(f).pixels(), streamed.get(f).pixels()));
            }
            System.out.printf(
                    "fastvsr-tiny: tiled vs untiled worst PSNR %.1f dB; clips vs one clip %.1f dB%n", tiles, clips);
            assertTrue(tiles >= 50, "tiled vs untiled " + tiles);
            assertTrue(clips >= 45, "clip boundaries " + clips);
        }
    }

    private static RgbImage image(int w, int h, Random random) {
        byte[] px = new byte[w * h * 3];
        random.nextBytes(px);
        return new RgbImage(w, h, px);
    }

    private static long[] longs(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .mapToLong(JsonNode::asLong)
                .toArray();
    }
}
