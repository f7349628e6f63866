package ai.fastvsr.testing;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.TiledUpscaler;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.video.RgbImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Run in a child JVM with a small heap by TiledMemoryIT: upscales one 1920x1080 frame with the reference model at
 * the given tile size and prints the output size. Exits non-zero (OutOfMemoryError) when it does not fit.
 */
public final class TileMemoryProbe {
    private TileMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        int tile = Integer.parseInt(args[0]);
        RgbImage frame = TiledUpscalerTestImages.smooth(1920, 1080, new Random(1), 0);
        try (Upscaler upscaler =
                Upscaler.load(Path.of("models/reference-x4"), EngineSettings.cpu(2), new ObjectMapper())) {
            List<RgbImage> out = new TiledUpscaler(upscaler, tile, tile == 0 ? 0 : 16).upscale(List.of(frame));
            Runtime rt = Runtime.getRuntime();
            System.out.printf(
                    "ok %dx%d heap-used-mb=%d%n",
                    out.get(0).width(), out.get(0).height(), (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
    }
}
