package ai.fastvsr.inference.gpu;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.ModelCard;

/**
 * How large a piece of a frame the CUDA engine runs at once. The card's {@code tile.size} (256) is sized for a CPU
 * worker's RAM; on a GPU it would cut a 480x270 frame into six tiles and waste most of the card. Instead:
 * <ul>
 *   <li>at most {@link #MAX_SIDE} input pixels a side: the model's spatial attention grows with the square of a
 *       tile's area, and 544 is the largest side proven on the H200 at 8 frames (at 544x960 x 16 frames the
 *       attention tensor passes 2^31 elements; ../shared/GPU.md). 480x270 and 544x544 inputs run whole;</li>
 *   <li>small enough that every slot's clip fits in the free device memory, by an estimate of
 *       {@link #BYTES_PER_PIXEL_FRAME} of activations per input pixel and frame (ORT, float32, arena overhead),
 *       half that for a float16 graph ({@link #BYTES_PER_PIXEL_FRAME_FP16}: the H200 measured ~0.9 KiB for the
 *       CUDA provider on fastvsr-tiny's float16 graph), kept at 80 % of what is free, so a smaller card or more
 *       slots give smaller tiles rather than an out-of-memory failure mid-job;</li>
 *   <li>a multiple of the card's {@code multipleOf}, with the card's tile overlap.</li>
 * </ul>
 * {@code --gpu-tile} overrides the side. {@code bench} prints the device memory a slot really took, to check the
 * estimate on new hardware.
 */
public final class GpuTiles {
    public static final int MAX_SIDE = 544;
    public static final long BYTES_PER_PIXEL_FRAME = 4096;
    public static final long BYTES_PER_PIXEL_FRAME_FP16 = 2048;
    private static final int MIN_SIDE = 64;

    private GpuTiles() {}

    public static ModelCard.Tile choose(
            ModelCard card, EngineSettings.Gpu gpu, long freeBytes, int slots, boolean fp16Graph) {
        int m = card.multipleOf();
        int overlap = card.tile() == null ? 16 : card.tile().overlap();
        int side;
        if (gpu.tile() > 0) {
            side = gpu.tile();
        } else {
            double budget = 0.8 * freeBytes / Math.max(1, slots);
            long perPixelFrame = fp16Graph ? BYTES_PER_PIXEL_FRAME_FP16 : BYTES_PER_PIXEL_FRAME;
            int byMemory = (int) Math.sqrt(budget / ((double) card.clipFrames() * perPixelFrame));
            side = Math.max(MIN_SIDE, Math.min(MAX_SIDE, byMemory));
        }
        side = Math.max(m, side / m * m);
        // tiles must overlap by less than half of themselves (TileAxis)
        overlap = Math.min(overlap, (side - 1) / 2 / m * m);
        return new ModelCard.Tile(side, Math.max(0, overlap));
    }
}
