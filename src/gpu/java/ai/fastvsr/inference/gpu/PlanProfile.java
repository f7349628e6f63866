package ai.fastvsr.inference.gpu;

import ai.fastvsr.inference.ModelCard;

/**
 * The one input shape a TensorRT plan is built for: {@code [1, 3, T, H, W]} with all of it fixed, T the card's clip
 * (the pipeline pads the last clip to it; the engine pads the one-frame load-time probe).
 * <ul>
 *   <li>Why H and W are fixed: with a spatially dynamic profile TensorRT 8.6's graph optimiser fails an internal
 *       assertion on this model ({@code residual->extent == output->extent}, where the pixel path joins the
 *       decoder), at every builder level (H200, 2026-11-29); with fixed H and W the extents are constants and the
 *       plan builds. So a plan serves one tile shape, and the engine keeps one per shape it meets.</li>
 *   <li>Why T is fixed too: a plan without dynamic dimensions lets any number of execution contexts run at once
 *       on its one profile (one per slot, TensorRtEngine), where a dynamic one needs a profile per concurrent
 *       context, and each profile is another build.</li>
 * </ul>
 * At 8 frames of 544x544, the largest tile, the model's attention stays below TensorRT's 2^31-element tensor limit.
 */
record PlanProfile(String input, int frames, int height, int width) {
    /** TensorRT refuses any tensor of 2^31 elements or more. */
    static final long TENSORRT_ELEMENT_LIMIT = (1L << 31) - 1;

    PlanProfile {
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("not a profile: T=" + frames + ", " + width + "x" + height);
        }
    }

    /** The plan for input tiles of {@code height x width} (already padded to the card's multiple). */
    static PlanProfile of(ModelCard card, int height, int width) {
        return new PlanProfile(card.input().name(), card.clipFrames(), height, width);
    }

    /**
     * The tile shape a frame of {@code width x height} reaches the engine in: each side cut to the tile if longer
     * (tiles all have the tile's length: TileAxis), then padded up to the card's multiple (ClipGeometry).
     */
    static int[] tileShape(ModelCard card, ModelCard.Tile tile, int width, int height) {
        int m = Math.max(1, card.multipleOf());
        return new int[] {pad(Math.min(height, tile.size()), m), pad(Math.min(width, tile.size()), m)};
    }

    private static int pad(int side, int m) {
        return (side + m - 1) / m * m;
    }

    /** The plan's only input shape: min, opt and max of its profile. */
    long[] shape() {
        return new long[] {1, 3, frames, height, width};
    }

    /** Canonical text, part of the plan's cache key. */
    String text() {
        return input + " fixed [1, 3, " + frames + ", " + height + ", " + width + "]";
    }
}
