package ai.fastvsr.inference.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.ModelCard;
import ai.fastvsr.video.RgbImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GPU tile sizes and the clip geometry of the shipped model's card. */
class GpuTilesTest {
    private static final long GIB = 1L << 30;
    private final ModelCard card = read();

    private static ModelCard read() {
        try {
            return ModelCard.read(Path.of("models/fastvsr-tiny"), new ObjectMapper());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBigCardRuns270pFramesWhole() {
        ModelCard.Tile tile = GpuTiles.choose(card, EngineSettings.Gpu.DEFAULT, 130 * GIB, 8, true);
        assertEquals(GpuTiles.MAX_SIDE, tile.size());
        assertTrue(tile.size() >= 480, "480x270 is one tile");
        assertEquals(card.tile().overlap(), tile.overlap());
    }

    @Test
    void lessMemoryOrMoreSlotsGiveSmallerTilesOfTheCardsMultiple() {
        ModelCard.Tile small = GpuTiles.choose(card, EngineSettings.Gpu.DEFAULT, 16 * GIB, 8, false);
        assertTrue(small.size() < GpuTiles.MAX_SIDE, "" + small.size());
        assertEquals(0, small.size() % card.multipleOf());
        double perSlot = (double) card.clipFrames() * small.size() * small.size() * GpuTiles.BYTES_PER_PIXEL_FRAME;
        assertTrue(perSlot * 8 <= 0.8 * 16 * GIB, "estimate fits");
        assertTrue(small.overlap() * 2 < small.size());
    }

    @Test
    void aFloat16GraphIsEstimatedAtHalfTheMemoryOfAFloat32One() {
        // the shipped card's 16-frame clips on a 140 GiB card with 8 slots: float16 keeps 1080p's 544-pixel tiles,
        // float32's estimate does not
        assertEquals(16, card.clipFrames());
        assertEquals(
                GpuTiles.MAX_SIDE,
                GpuTiles.choose(card, EngineSettings.Gpu.DEFAULT, 130 * GIB, 8, true)
                        .size());
        ModelCard.Tile f32 = GpuTiles.choose(card, EngineSettings.Gpu.DEFAULT, 130 * GIB, 8, false);
        assertTrue(f32.size() < GpuTiles.MAX_SIDE, "" + f32.size());
        ModelCard.Tile f16 = GpuTiles.choose(card, EngineSettings.Gpu.DEFAULT, 16 * GIB, 8, true);
        ModelCard.Tile f32small = GpuTiles.choose(card, EngineSettings.Gpu.DEFAULT, 16 * GIB, 8, false);
        assertTrue(f16.size() > f32small.size(), f16.size() + " vs " + f32small.size());
    }

    @Test
    void anExplicitTileWinsRoundedToTheMultiple() {
        ModelCard.Tile tile = GpuTiles.choose(card, new EngineSettings.Gpu(1, 1000, 0, Map.of()), 1 * GIB, 1, true);
        assertEquals(1000, tile.size());
        assertEquals(
                1000 / 8 * 8,
                GpuTiles.choose(card, new EngineSettings.Gpu(1, 1003, 0, Map.of()), GIB, 1, true)
                        .size());
    }

    @Test
    void geometryPadsToTheMultipleAndCropsTheOutput() {
        List<RgbImage> clip = List.of(RgbImage.blank(480, 270, false), RgbImage.blank(480, 270, false));
        ClipGeometry g = ClipGeometry.of(clip, card.multipleOf(), card.scale());
        assertEquals(272, g.ph());
        assertEquals(480, g.pw());
        assertEquals(List.of(1L, 3L, 2L, 272L, 480L), box(g.inputShape()));
        assertEquals(List.of(1L, 3L, 2L, 1088L, 1920L), box(g.outputShape()));
        assertEquals(2L * 270 * 480 * 3, g.inputBytes());
        assertEquals(2L * 1080 * 1920 * 3, g.outputBytes());
        ClipGeometry deep = ClipGeometry.of(List.of(RgbImage.blank(5, 3, true)), 8, 4);
        assertEquals(2L * 5 * 3 * 3, deep.inputBytes());
        assertEquals(3L * 32 * 32 * Float.BYTES, ClipGeometry.floatBytes(deep.outputShape()), "[1,3,1,32,32] floats");
    }

    private static List<Long> box(long[] a) {
        return Arrays.stream(a).boxed().toList();
    }
}
