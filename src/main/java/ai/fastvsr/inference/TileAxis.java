package ai.fastvsr.inference;

import java.util.Arrays;

/**
 * How one axis of a frame is cut into overlapping tiles, and how much each tile counts at each position.
 *
 * <p>Tiles have the same length and are spread evenly, so every overlap is at least the requested one. Inside an
 * overlap the weights are linear ramps; they are normalised per position, so at every pixel the weights of the
 * tiles covering it sum to exactly 1 — a partition of unity. The 2-D weight of a tile is the product of its two
 * axis weights, which is again a partition of unity: blending needs no second pass to divide by the weight sum.
 */
final class TileAxis {
    private final int[] starts;
    private final int length;
    private final float[][] weights;

    private TileAxis(int[] starts, int length, float[][] weights) {
        this.starts = starts;
        this.length = length;
        this.weights = weights;
    }

    /**
     * @param size    the axis length in pixels
     * @param tile    the longest tile; 0 or at least {@code size} means one tile
     * @param overlap the least overlap between neighbours (must be under half a tile)
     */
    static TileAxis of(int size, int tile, int overlap) {
        return of(size, tile, overlap, 0);
    }

    /**
     * As {@link #of(int, int, int)}, with tiles only as long as the count of tiles needs: {@code tile} caps the
     * length, the count stays the least that covers the axis, and the length is that count's share of the axis plus
     * the overlaps, rounded up to {@code multiple} (the model's). A 320-pixel axis then runs as two 168-pixel tiles
     * instead of two 256-pixel ones (60 % of the work done twice). For engines that take any shape; a TensorRT plan
     * serves one.
     *
     * @param multiple round the fitted length up to this; 0 = keep tiles of {@code tile}
     */
    static TileAxis of(int size, int tile, int overlap, int multiple) {
        if (tile <= 0 || tile >= size) {
            return new TileAxis(new int[] {0}, size, new float[][] {ones(size)});
        }
        if (overlap < 0 || 2 * overlap >= tile) {
            throw new IllegalArgumentException("tile overlap " + overlap + " must be in [0, tile/2) for tile " + tile);
        }
        int n = (int) Math.ceil((size - overlap) / (double) (tile - overlap));
        if (multiple > 0) {
            int fitted = (size + (n - 1) * overlap + n - 1) / n;
            // never so short that the ramps of a tile's two overlaps would meet
            tile = Math.min(tile, Math.max(2 * overlap + multiple, (fitted + multiple - 1) / multiple * multiple));
        }
        int[] starts = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = (int) Math.round(i * (size - tile) / (double) (n - 1));
        }
        float[][] raw = new float[n][tile];
        for (int i = 0; i < n; i++) {
            int rampIn = i == 0 ? 0 : starts[i - 1] + tile - starts[i];
            int rampOut = i == n - 1 ? 0 : starts[i] + tile - starts[i + 1];
            for (int p = 0; p < tile; p++) {
                float w = 1f;
                if (p < rampIn) {
                    w = Math.min(w, (p + 0.5f) / rampIn);
                }
                if (p >= tile - rampOut) {
                    w = Math.min(w, (tile - p - 0.5f) / rampOut);
                }
                raw[i][p] = w;
            }
        }
        float[] sum = new float[size];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < tile; p++) {
                sum[starts[i] + p] += raw[i][p];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < tile; p++) {
                raw[i][p] /= sum[starts[i] + p];
            }
        }
        return new TileAxis(starts, tile, raw);
    }

    int count() {
        return starts.length;
    }

    int start(int i) {
        return starts[i];
    }

    int length() {
        return length;
    }

    /** Weight of tile {@code i} at its own position {@code p} (0 ≤ p < length). */
    float weight(int i, int p) {
        return weights[i][p];
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        Arrays.fill(w, 1f);
        return w;
    }
}
