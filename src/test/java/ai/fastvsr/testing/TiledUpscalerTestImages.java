package ai.fastvsr.testing;

import ai.fastvsr.video.RgbImage;
import java.util.Random;

/** Test pictures with structure at several scales and slow motion between frames, not white noise. */
public final class TiledUpscalerTestImages {
    private TiledUpscalerTestImages() {}

    /** Smooth random colour field (bilinear of coarse noise) plus a pattern moving one pixel per frame. */
    public static RgbImage smooth(int w, int h, Random random, int frame) {
        int cw = w / 4 + 2;
        int ch = h / 4 + 2;
        byte[] coarse = new byte[cw * ch * 3];
        random.nextBytes(coarse);
        byte[] fine = ImageMath.bilinear(coarse, cw, ch, 4);
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int stripe = ((x + frame) / 3 + y / 5) % 2 == 0 ? 30 : -30;
                for (int c = 0; c < 3; c++) {
                    int v = (fine[(y * cw * 4 + x) * 3 + c] & 0xff) / 2 + 64 + stripe;
                    px[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return new RgbImage(w, h, px);
    }

    /**
     * Frame {@code frame} of a camera pan: one smooth random field (drawn from {@code seed}, the same in every frame)
     * and the stripe pattern, seen through a window moving one pixel per frame, as in footage. {@link #smooth}
     * draws a new field for every frame, a scene cut per frame.
     */
    public static RgbImage pan(int w, int h, long seed, int frame) {
        int span = w + 64;
        RgbImage field = smooth(span, h, new Random(seed), 0);
        byte[] px = new byte[w * h * 3];
        int dx = frame % (span - w);
        for (int y = 0; y < h; y++) {
            System.arraycopy(field.pixels(), (y * span + dx) * 3, px, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, px);
    }
}
