package ai.fastvsr.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TileAxisTest {
    @Test
    void weightsArePartitionOfUnityAndTilesCoverTheAxis() {
        for (int size : new int[] {33, 64, 100, 257, 1080, 1920}) {
            for (int[] tileOverlap : new int[][] {{32, 8}, {64, 16}, {256, 16}, {40, 0}}) {
                TileAxis axis = TileAxis.of(size, tileOverlap[0], tileOverlap[1]);
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
