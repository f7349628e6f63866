package ai.fastvsr.inference.gpu;

import ai.fastvsr.inference.ModelCard;

/**
 * The shapes a TensorRT plan is built for: one optimisation profile on the model's input {@code [1, 3, T, H, W]}.
 * <ul>
 *   <li>min: one frame of {@code multipleOf} pixels a side: the load-time self-check runs exactly that;</li>
 *   <li>opt: a whole clip (the card's T: the pipeline pads the last clip to it) of the frame size the worker expects
 *       ({@code --trt-opt-size}, else a whole tile): TensorRT tunes its kernels for this shape;</li>
 *   <li>max: a whole clip of the largest tile the engine cuts frames into. At 8 frames of 544x544 the model's
 *       attention stays below TensorRT's 2^31-element tensor limit (16 frames of 544x960 pass it).</li>
 * </ul>
 */
record PlanProfile(String input, int frames, int minSide, int optHeight, int optWidth, int maxSide) {
    /** TensorRT refuses any tensor of 2^31 elements or more. */
    static final long TENSORRT_ELEMENT_LIMIT = (1L << 31) - 1;

    PlanProfile {
        if (frames < 1 || minSide < 1 || optHeight < minSide || optWidth < minSide || optHeight > maxSide
                || optWidth > maxSide) {
            throw new IllegalArgumentException("not a profile: T=" + frames + ", min " + minSide + ", opt "
                    + optWidth + "x" + optHeight + ", max " + maxSide);
        }
    }

    /**
     * @param tile       the largest piece of a frame the engine runs (GpuTiles)
     * @param optWidth   the expected frame width, 0 = a whole tile
     * @param optHeight  the expected frame height, 0 = a whole tile
     */
    static PlanProfile of(ModelCard card, ModelCard.Tile tile, int optWidth, int optHeight) {
        int m = Math.max(1, card.multipleOf());
        int max = tile.size();
        return new PlanProfile(card.input().name(), card.clipFrames(), m, fit(optHeight, m, max), fit(optWidth, m, max),
                max);
    }

    /** A side rounded up to the model's multiple, within [m, max]; 0 = max. */
    private static int fit(int side, int m, int max) {
        if (side <= 0) {
            return max;
        }
        int up = (side + m - 1) / m * m;
        return Math.max(m, Math.min(max, up));
    }

    long[] min() {
        return new long[] {1, 3, 1, minSide, minSide};
    }

    long[] opt() {
        return new long[] {1, 3, frames, optHeight, optWidth};
    }

    long[] max() {
        return new long[] {1, 3, frames, maxSide, maxSide};
    }

    /** Canonical text, part of the plan's cache key. */
    String text() {
        return input + " min " + shape(min()) + " opt " + shape(opt()) + " max " + shape(max());
    }

    private static String shape(long[] dims) {
        StringBuilder s = new StringBuilder();
        for (long d : dims) {
            s.append(s.isEmpty() ? "" : "x").append(d);
        }
        return s.toString();
    }
}
