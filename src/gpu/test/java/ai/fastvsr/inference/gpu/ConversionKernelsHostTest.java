package ai.fastvsr.inference.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.video.RgbImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversion kernels' arithmetic, checked without a GPU: the shipped {@code convert.cu} is built for the host
 * with nvcc (the per-element functions are {@code __host__ __device__}), run over frames packed by the engine's
 * own {@link FramePacking}, and compared value for value with what the CPU engine's translator computes
 * ({@link RgbImage#unit} in, {@link RgbImage#setUnit} out). Needs nvcc (the build machines have CUDA 13's);
 * the device build of the same file is checked by NVRTC at every start of the CUDA engine.
 */
class ConversionKernelsHostTest {
    @TempDir
    static Path dir;

    private static Path checker;
    private final Random random = new Random(13);

    @BeforeAll
    static void buildChecker() throws Exception {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "no nvcc on this machine");
        Files.writeString(dir.resolve(ConversionKernels.SOURCE), ConversionKernels.source());
        try (InputStream in = ConversionKernelsHostTest.class.getResourceAsStream("kernel_check.cu")) {
            Files.write(dir.resolve("kernel_check.cu"), in.readAllBytes());
        }
        checker = dir.resolve("kernel_check");
        Process p = new ProcessBuilder(
                        nvcc.toString(),
                        "-I" + dir,
                        "-o",
                        checker.toString(),
                        dir.resolve("kernel_check.cu").toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "nvcc failed:\n" + log);
    }

    @Test
    void eightBitFramesBecomeTheFloatsTheCpuEngineFeedsTheModel() throws Exception {
        checkInput(false, 3, 13, 7, 8);
        checkInput(false, 2, 16, 16, 8);
        checkInput(false, 1, 5, 3, 1);
    }

    @Test
    void sixteenBitFramesKeepTheirDepthOnTheWayIn() throws Exception {
        checkInput(true, 2, 11, 6, 8);
    }

    @Test
    void outputsAreClampedRoundedAndCroppedLikeTheCpuEngine() throws Exception {
        checkOutput(false, 3, 13, 7, 8, 4);
        checkOutput(true, 2, 11, 6, 8, 4);
        checkOutput(false, 1, 4, 4, 1, 2);
    }

    /** Input: packed frames (as the engine packs them) through the kernel function vs ClipTranslator's values. */
    private void checkInput(boolean deep, int t, int w, int h, int multipleOf) throws Exception {
        List<RgbImage> clip = new ArrayList<>();
        for (int f = 0; f < t; f++) {
            clip.add(randomFrame(w, h, deep));
        }
        ClipGeometry g = ClipGeometry.of(clip, multipleOf, 4);
        byte[] packed = new byte[(int) g.inputBytes()];
        try (BytePointer host = new BytePointer(g.inputBytes())) {
            FramePacking.pack(clip, g, host);
            host.get(packed);
        }
        float[] kernel = floats(run("planar", packed, t, h, w, g.ph(), g.pw(), deep));
        int plane = g.ph() * g.pw();
        assertEquals(3 * t * plane, kernel.length);
        for (int f = 0; f < t; f++) {
            for (int y = 0; y < g.ph(); y++) {
                for (int x = 0; x < g.pw(); x++) {
                    int src = (Math.min(y, h - 1) * w + Math.min(x, w - 1)) * 3;
                    for (int c = 0; c < 3; c++) {
                        float expected = clip.get(f).unit(src + c);
                        float actual = kernel[c * t * plane + f * plane + y * g.pw() + x];
                        assertEquals(
                                Float.floatToIntBits(expected),
                                Float.floatToIntBits(actual),
                                "c" + c + " f" + f + " y" + y + " x" + x + ": " + expected + " vs " + actual);
                    }
                }
            }
        }
    }

    /** Output: a padded float output through the kernel function and FramePacking vs RgbImage.setUnit. */
    private void checkOutput(boolean deep, int t, int w, int h, int multipleOf, int scale) throws Exception {
        List<RgbImage> clip = new ArrayList<>();
        for (int f = 0; f < t; f++) {
            clip.add(RgbImage.blank(w, h, deep));
        }
        ClipGeometry g = ClipGeometry.of(clip, multipleOf, scale);
        int sh = scale * g.ph();
        int sw = scale * g.pw();
        float full = deep ? 65535f : 255f;
        float[] model = new float[3 * t * sh * sw];
        for (int i = 0; i < model.length; i++) {
            model[i] = switch (i % 7) {
                case 0 -> -0.1f - random.nextFloat(); // below range: 0
                case 1 -> 1f + random.nextFloat(); // above range: full scale
                case 2 -> (random.nextInt((int) full) + 0.5f) / full; // near a tie
                case 3 -> Float.NaN;
                default -> random.nextFloat();
            };
        }
        ByteBuffer bytes = ByteBuffer.allocate(model.length * 4).order(ByteOrder.nativeOrder());
        bytes.asFloatBuffer().put(model);
        byte[] packed = run("packed", bytes.array(), t, g.outHeight(), g.outWidth(), sh, sw, deep);
        assertEquals(g.outputBytes(), packed.length);
        List<RgbImage> frames;
        try (BytePointer host = new BytePointer(packed)) {
            frames = FramePacking.unpack(g, host);
        }
        int ties = 0;
        for (int f = 0; f < t; f++) {
            RgbImage expected = RgbImage.blank(g.outWidth(), g.outHeight(), deep);
            for (int y = 0; y < g.outHeight(); y++) {
                for (int x = 0; x < g.outWidth(); x++) {
                    for (int c = 0; c < 3; c++) {
                        float v = model[((c * t + f) * sh + y) * sw + x];
                        expected.setUnit((y * g.outWidth() + x) * 3 + c, v);
                        float scaled = v * full;
                        ties += scaled == Math.floor(scaled) + 0.5 ? 1 : 0;
                    }
                }
            }
            if (deep) {
                assertArrayEquals(expected.deepPixels(), frames.get(f).deepPixels(), "frame " + f);
            } else {
                assertArrayEquals(expected.pixels(), frames.get(f).pixels(), "frame " + f);
            }
        }
        assertTrue(ties > 0, "the data exercised exact ties");
    }

    private byte[] run(String mode, byte[] input, int t, int a, int b, int c, int d, boolean deep) throws Exception {
        Path in = Files.createTempFile(dir, mode, ".in");
        Path out = Files.createTempFile(dir, mode, ".out");
        Files.write(in, input);
        Process p = new ProcessBuilder(
                        checker.toString(),
                        mode,
                        in.toString(),
                        out.toString(),
                        String.valueOf(t),
                        String.valueOf(a),
                        String.valueOf(b),
                        String.valueOf(c),
                        String.valueOf(d),
                        deep ? "1" : "0")
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        return Files.readAllBytes(out);
    }

    private static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asFloatBuffer().get(out);
        return out;
    }

    private RgbImage randomFrame(int w, int h, boolean deep) {
        if (deep) {
            short[] s = new short[w * h * 3];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) random.nextInt(65536);
            }
            s[0] = (short) 0xffff; // full scale reaches exactly 1
            return new RgbImage(w, h, s);
        }
        byte[] b = new byte[w * h * 3];
        random.nextBytes(b);
        b[0] = (byte) 0xff;
        return new RgbImage(w, h, b);
    }

    private static Path nvcc() throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "nvcc");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Path p = Path.of("/usr/local/cuda/bin/nvcc");
        return Files.isExecutable(p) ? p : null;
    }
}
