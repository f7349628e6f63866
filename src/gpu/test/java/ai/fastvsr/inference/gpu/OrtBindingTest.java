package ai.fastvsr.inference.gpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.inference.NativeLibraries;
import ai.fastvsr.testing.ImageMath;
import ai.fastvsr.video.RgbImage;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA engine's ONNX Runtime part on a machine without a GPU: bytedeco's ORT 1.24.1 loads from the natives
 * folder beside the classes (with the oneDNN and OpenCL libraries its presets drag in), and a session run through
 * an IoBinding to tensors in memory the engine owns writes the right numbers where it was told to, also after
 * the binding moves to another buffer. Only the provider (CPU here, CUDA on a GPU) and the memory kind differ
 * from the engine's GPU path.
 */
class OrtBindingTest {
    private static final Path MODEL = Path.of("models/reference-x4/model.onnx");

    @BeforeAll
    static void nativesBesideTheClasses() {
        // as ModelLoader does before it opens the CUDA engine: target/gpu/natives
        assertTrue(NativeLibraries.configure().isPresent(), "target/gpu/natives");
    }

    @Test
    void aBoundRunWritesTheModelsOutputIntoOurBuffer() {
        Random random = new Random(5);
        int t = 2;
        int w = 13;
        int h = 7;
        byte[][] frames = new byte[t][w * h * 3];
        for (byte[] f : frames) {
            random.nextBytes(f);
        }
        long[] inShape = {1, 3, t, h, w};
        long[] outShape = {1, 3, t, 4L * h, 4L * w};
        try (OrtCudaEngine engine = OrtCudaEngine.onHost(MODEL, "lr", "hr");
                DeviceEngine.Run run = engine.newRun();
                FloatPointer in = new FloatPointer(3L * t * h * w);
                FloatPointer out = new FloatPointer(3L * t * 16 * h * w);
                FloatPointer moved = new FloatPointer(3L * t * 16 * h * w)) {
            assertTrue(engine.describe().startsWith("ONNX Runtime 1.24.1 CPU provider, model.onnx"), engine.describe());
            for (int f = 0; f < t; f++) {
                RgbImage frame = new RgbImage(w, h, frames[f]);
                for (int i = 0; i < w * h; i++) {
                    for (int c = 0; c < 3; c++) {
                        in.put(((long) (c * t + f) * h * w) + i, frame.unit(i * 3 + c));
                    }
                }
            }
            // no stream: ORT orders its runs itself (runsOnCallerStream() is false), and these tensors are on the host
            run.run(new DeviceTensor(in.address(), inShape), new DeviceTensor(out.address(), outShape), null);
            check(frames, out, t, w, h);
            // what follows an out-of-memory failure: the next run also returns the arena's unused memory
            engine.afterOutOfMemory();
            run.run(new DeviceTensor(in.address(), inShape), new DeviceTensor(moved.address(), outShape), null);
            check(frames, moved, t, w, h);
        }
    }

    @Test
    void aCardThatNamesOtherPortsIsRefused() {
        CudaException e = assertThrows(CudaException.class, () -> OrtCudaEngine.onHost(MODEL, "lr", "sr"));
        assertTrue(e.getMessage().contains("outputs [hr]"), e.getMessage());
    }

    private static void check(byte[][] frames, FloatPointer out, int t, int w, int h) {
        int ow = 4 * w;
        int oh = 4 * h;
        for (int f = 0; f < t; f++) {
            RgbImage got = RgbImage.blank(ow, oh, false);
            for (int i = 0; i < ow * oh; i++) {
                for (int c = 0; c < 3; c++) {
                    got.setUnit(i * 3 + c, out.get(((long) (c * t + f) * oh * ow) + i));
                }
            }
            byte[] expected = ImageMath.bilinear(frames[f], w, h, 4);
            int max = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs((expected[i] & 0xff) - (got.pixels()[i] & 0xff)));
            }
            assertTrue(max <= 1, "frame " + f + ": max difference " + max);
        }
    }
}
