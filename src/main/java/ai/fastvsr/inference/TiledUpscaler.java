package ai.fastvsr.inference;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.video.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Upscales clips of any frame size in bounded memory: frames larger than the card's {@code tile.size} are cut
 * into overlapping tiles (whole clips of tiles, so the model keeps its temporal context), each tile is upscaled,
 * and the tiles are blended with feathered weights ({@link TileAxis}). Tiles are processed one row of tiles at a
 * time; only that band of the output is held in floating point.
 */
public final class TiledUpscaler {
    private final Upscaler upscaler;
    private final int tile;
    private final int overlap;
    private final int fitTo;

    public TiledUpscaler(Upscaler upscaler, int tile, int overlap) {
        this(upscaler, tile, overlap, 0);
    }

    /** @param fitTo 0: tiles of {@code tile}; else tiles fitted to the frame, in multiples of this ({@link TileAxis}) */
    TiledUpscaler(Upscaler upscaler, int tile, int overlap, int fitTo) {
        this.upscaler = upscaler;
        this.tile = tile;
        this.overlap = overlap;
        this.fitTo = fitTo;
    }

    /**
     * Uses the engine's tile parameters: the card's on the CPU, with tiles fitted to the frame (ONNX Runtime takes
     * any shape); larger, fixed ones on a GPU, where a TensorRT plan serves one shape.
     */
    public static TiledUpscaler fromCard(Upscaler upscaler) {
        ModelCard.Tile t = upscaler.tile();
        int fitTo = upscaler.engine().onGpu() ? 0 : upscaler.card().multipleOf();
        return new TiledUpscaler(upscaler, t == null ? 0 : t.size(), t == null ? 0 : t.overlap(), fitTo);
    }

    public int scale() {
        return upscaler.card().scale();
    }

    public List<RgbImage> upscale(List<RgbImage> clip) throws Failure {
        int w = clip.get(0).width();
        int h = clip.get(0).height();
        TileAxis xs = TileAxis.of(w, tile, overlap, fitTo);
        TileAxis ys = TileAxis.of(h, tile, overlap, fitTo);
        if (xs.count() == 1 && ys.count() == 1) {
            return upscaler.upscale(clip);
        }
        int s = scale();
        int t = clip.size();
        int ow = w * s;
        List<RgbImage> out = new ArrayList<>(t);
        for (int f = 0; f < t; f++) {
            out.add(clip.get(0).blankLike(ow, h * s));
        }
        // one band of output rows [bandY0, bandY0 + bandRows), reused for every row of tiles; rows above the next
        // row of tiles are final and go to the output frames, the rest moves up to the band's top
        int bandRows = ys.length() * s;
        int rowFloats = ow * 3;
        float[][] band = new float[t][bandRows * rowFloats];
        int bandY0 = 0;
        for (int ty = 0; ty < ys.count(); ty++) {
            int y0 = ys.start(ty) * s;
            if (y0 != bandY0) {
                int shift = (y0 - bandY0) * rowFloats;
                for (float[] b : band) {
                    System.arraycopy(b, shift, b, 0, b.length - shift);
                    Arrays.fill(b, b.length - shift, b.length, 0f);
                }
                bandY0 = y0;
            }
            for (int tx = 0; tx < xs.count(); tx++) {
                List<RgbImage> hr = upscaler.upscale(crop(clip, xs.start(tx), ys.start(ty), xs.length(), ys.length()));
                accumulate(band, hr, xs, ys, tx, ty, ow, s);
            }
            int finalUntil = ty == ys.count() - 1 ? h * s : ys.start(ty + 1) * s;
            emitRows(band, out, bandY0, y0, finalUntil, ow);
        }
        return out;
    }

    private static void accumulate(
            float[][] band, List<RgbImage> hr, TileAxis xs, TileAxis ys, int tx, int ty, int ow, int s) {
        int x0 = xs.start(tx) * s;
        for (int f = 0; f < hr.size(); f++) {
            RgbImage img = hr.get(f);
            float[] b = band[f];
            for (int y = 0; y < img.height(); y++) {
                float wy = ys.weight(ty, y / s);
                int row = y * ow * 3;
                for (int x = 0; x < img.width(); x++) {
                    float wgt = wy * xs.weight(tx, x / s);
                    int src = (y * img.width() + x) * 3;
                    int dst = row + (x0 + x) * 3;
                    b[dst] += wgt * img.unit(src);
                    b[dst + 1] += wgt * img.unit(src + 1);
                    b[dst + 2] += wgt * img.unit(src + 2);
                }
            }
        }
    }

    private static void emitRows(float[][] band, List<RgbImage> out, int bandY0, int from, int until, int ow) {
        for (int f = 0; f < band.length; f++) {
            float[] b = band[f];
            RgbImage o = out.get(f);
            for (int y = from; y < until; y++) {
                int src = (y - bandY0) * ow * 3;
                int dst = y * ow * 3;
                for (int i = 0; i < ow * 3; i++) {
                    o.setUnit(dst + i, b[src + i]);
                }
            }
        }
    }

    private static List<RgbImage> crop(List<RgbImage> clip, int x0, int y0, int w, int h) {
        List<RgbImage> tiles = new ArrayList<>(clip.size());
        for (RgbImage frame : clip) {
            tiles.add(frame.crop(x0, y0, w, h));
        }
        return tiles;
    }
}
