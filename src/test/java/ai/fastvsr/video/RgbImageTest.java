package ai.fastvsr.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** 8-bit and 16-bit frames behave alike through the [0, 1] accessors the inference code uses. */
class RgbImageTest {
    @Test
    void unitsRoundTripAtEachDepth() {
        RgbImage eight = RgbImage.blank(2, 1, false);
        RgbImage deep = RgbImage.blank(2, 1, true);
        for (int i = 0; i < 6; i++) {
            float v = i / 5f;
            eight.setUnit(i, v);
            deep.setUnit(i, v);
            assertEquals(Math.round(v * 255) / 255f, eight.unit(i), 1e-6);
            assertEquals(Math.round(v * 65535) / 65535f, deep.unit(i), 1e-6);
        }
        assertTrue(deep.isDeep());
        assertThrows(IllegalStateException.class, deep::pixels);
        assertThrows(IllegalStateException.class, eight::deepPixels);
    }

    @Test
    void tenBitStepsSurviveWhereEightBitsWouldMergeThem() {
        RgbImage deep = RgbImage.blank(4, 1, true);
        RgbImage eight = RgbImage.blank(4, 1, false);
        int merged = 0;
        for (int i = 0; i < 12; i++) {
            deep.setUnit(i, (512 + i) / 1023f);
            eight.setUnit(i, (512 + i) / 1023f);
        }
        for (int i = 1; i < 12; i++) {
            assertTrue(deep.unit(i) > deep.unit(i - 1), "neighbouring 10-bit codes stay distinct");
            merged += eight.unit(i) == eight.unit(i - 1) ? 1 : 0;
        }
        assertTrue(merged > 0, "the same codes in 8 bits do merge (the test means something)");
    }

    @Test
    void valuesOutsideTheRangeAreClamped() {
        RgbImage img = RgbImage.blank(1, 1, false);
        img.setUnit(0, -0.5f);
        img.setUnit(1, 1.5f);
        assertEquals(0, img.pixels()[0]);
        assertEquals((byte) 255, img.pixels()[1]);
    }

    @Test
    void cropCopiesTheRectangleAtEitherDepth() {
        short[] px = new short[4 * 3 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (short) (i * 1000);
        }
        RgbImage crop = new RgbImage(4, 3, px).crop(1, 1, 2, 2);
        assertArrayEquals(
                new short[] {
                    15000, 16000, 17000, 18000, 19000, 20000, 27000, 28000, 29000, 30000, (short) 31000, (short) 32000
                },
                crop.deepPixels());
    }
}
