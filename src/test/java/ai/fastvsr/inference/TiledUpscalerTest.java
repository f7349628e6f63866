package ai.fastvsr.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.testing.ImageMath;
import ai.fastvsr.testing.TiledUpscalerTestImages;
import ai.fastvsr.video.RgbImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tiles must not show: tiled and untiled outputs of the reference model agree far beyond what an eye sees. */
class TiledUpscalerTest {
    @Test
    void tiledEqualsUntiledForTheReferenceModel() throws Exception {
        Random random = new Random(11);
        int w = 100;
        int h = 60;
        List<RgbImage> clip = List.of(TiledUpscalerTestImages.smooth(w, h, random, 0), TiledUpscalerTestImages.smooth(w, h, random, 1));
        try (Upscaler model = Upscaler.load(Path.of("models/reference-x4"), 1, new ObjectMapper())) {
            List<RgbImage> whole = new TiledUpscaler(model, 0, 0).upscale(clip);
            List<RgbImage> tiled = new TiledUpscaler(model, 32, 8).upscale(clip);
            assertEquals(2, tiled.size());
            assertEquals(400, tiled.get(0).width());
            assertEquals(240, tiled.get(0).height());
            for (int f = 0; f < 2; f++) {
                double psnr = ImageMath.psnr(whole.get(f).pixels(), tiled.get(f).pixels());
                assertTrue(psnr >= 50, "tiled vs untiled PSNR " + psnr);
            }
        }
    }
}
