package ai.fastvsr.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TileAxisTest {
    @Test
    void weightsArePartitionOfUnityAndTilesCoverTheAxis() {
        for (int size : new int[] {33, 64, 100, 257, 320, 1080, 1920}) {
            for (int[] tileOverlap : new int[][] {{32, 8}, {64, 16}, {256, 16}, {40, 0}, {33, 16}}) {
                for (int multiple : new int[] {0, 1, 8}) {
                    TileAxis axis = TileAxis.of(size, tileOverlap[0], tileOverlap[1], multiple);
                    assertTrue(axis.length() <= Math.max(size, tileOverlap[0]));
                    double[] sum = new double[size];
                    int[] covered = new int[size];
                    for (int i = 0; i < axis.count(); i++) {
                        for (int p = 0; p < axis.length(); p++) {
                            sum[axis.start(i) + p] += axis.weight(i, p);
                            covered[axis.start(i) + p]++;
                        }
                        if (i > 0) {
                            int overlap = axis.start(i - 1) + axis.length() - axis.start(i);
                            assertTrue(overlap >= tileOverlap[1], "overlap " + overlap + " < " + tileOverlap[1]);
                        }
                    }
                    for (int x = 0; x < size; x++) {
                        assertTrue(covered[x] >= 1, "position " + x + " not covered");
                        assertEquals(1.0, sum[x], 1e-5, "weights at " + x + " (size " + size + ")");
                    }
                    assertEquals(size, axis.start(axis.count() - 1) + axis.length());
                }
            }
        }
    }

    @Test
    void fittedTilesAreAsLongAsTheirCountNeedsAndNoLonger() {
        TileAxis fixed = TileAxis.of(320, 256, 16);
        TileAxis fitted = TileAxis.of(320, 256, 16, 8);
        assertEquals(2, fixed.count());
        assertEquals(256, fixed.length()); // columns 64..255 run twice: 512 computed for 320
        assertEquals(2, fitted.count());
        assertEquals(168, fitted.length()); // (320 + 16) / 2, a multiple of 8: 336 computed
        assertEquals(152, fitted.start(1));
        TileAxis hd = TileAxis.of(1280, 256, 16, 8);
        assertEquals(6, hd.count()); // as many tiles as fixed ones, each shorter (232 instead of 256)
        assertEquals(232, hd.length());
        assertEquals(256, TileAxis.of(1200, 256, 16, 8).length()); // nothing to spare: the full tile
    }

    @Test
    void weightsFeatherInsideOverlaps() {
        TileAxis axis = TileAxis.of(100, 40, 10);
        int second = axis.start(1);
        // inside the first overlap the first tile fades out as the second fades in
        float a = axis.weight(0, second - axis.start(0));
        float b = axis.weight(0, axis.length() - 1);
        assertTrue(a > b && b > 0 && a < 1, a + " " + b);
    }

    @Test
    void smallAxesAreOneTileAndBadOverlapsAreRefused() {
        assertEquals(1, TileAxis.of(200, 256, 16).count());
        assertEquals(1, TileAxis.of(200, 0, 0).count());
        assertThrows(IllegalArgumentException.class, () -> TileAxis.of(500, 64, 32));
    }
}
