package ai.fastvsr.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.testing.ImageMath;
import ai.fastvsr.testing.TiledUpscalerTestImages;
import ai.fastvsr.video.RgbImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tiles must not show: tiled and untiled outputs of the reference model agree far beyond what an eye sees. */
class TiledUpscalerTest {
    @Test
    void tiledEqualsUntiledForTheReferenceModel() throws Exception {
        Random random = new Random(11);
        int w = 100;
        int h = 60;
        List<RgbImage> clip = List.of(
                TiledUpscalerTestImages.smooth(w, h, random, 0), TiledUpscalerTestImages.smooth(w, h, random, 1));
        try (Upscaler model =
                Upscaler.load(Path.of("models/reference-x4"), EngineSettings.cpu(1), new ObjectMapper())) {
            List<RgbImage> whole = new TiledUpscaler(model, 0, 0).upscale(clip);
            // fixed tiles (GPU engines) and tiles fitted to the frame (the CPU's), both against the whole frame
            for (TiledUpscaler tiler : List.of(new TiledUpscaler(model, 32, 8), new TiledUpscaler(model, 32, 8, 8))) {
                List<RgbImage> tiled = tiler.upscale(clip);
                assertEquals(2, tiled.size());
                assertEquals(400, tiled.get(0).width());
                assertEquals(240, tiled.get(0).height());
                for (int f = 0; f < 2; f++) {
                    double psnr =
                            ImageMath.psnr(whole.get(f).pixels(), tiled.get(f).pixels());
                    assertTrue(psnr >= 50, "tiled vs untiled PSNR " + psnr);
                }
            }
        }
    }

    /** 16-bit frames (10-bit input) take the same tiled path and keep their precision. */
    @Test
    void deepFramesAreTiledLikeEightBitOnes() throws Exception {
        Random random = new Random(12);
        RgbImage eight = TiledUpscalerTestImages.smooth(100, 60, random, 0);
        short[] px = new short[eight.pixels().length];
        for (int i = 0; i < px.length; i++) {
            // 8-bit values widened, plus a sub-8-bit ramp the output must keep
            px[i] = (short) ((eight.pixels()[i] & 0xff) * 257 + (i % 7) * 40);
        }
        List<RgbImage> clip = List.of(new RgbImage(100, 60, px));
        try (Upscaler model =
                Upscaler.load(Path.of("models/reference-x4"), EngineSettings.cpu(1), new ObjectMapper())) {
            RgbImage whole = new TiledUpscaler(model, 0, 0).upscale(clip).get(0);
            RgbImage tiled = new TiledUpscaler(model, 32, 8).upscale(clip).get(0);
            assertTrue(tiled.isDeep());
            double squares = 0;
            Set<Integer> codes = new HashSet<>();
            int n = whole.deepPixels().length;
            for (int i = 0; i < n; i++) {
                double d = whole.unit(i) - tiled.unit(i);
                squares += d * d;
                codes.add(tiled.deepPixels()[i] & 0xffff);
            }
            double psnr = 10 * Math.log10(1 / (squares / n));
            assertTrue(psnr >= 50, "tiled vs untiled PSNR " + psnr);
            assertTrue(codes.size() > 256, "16-bit output has more than 256 levels: " + codes.size());
        }
    }
}
