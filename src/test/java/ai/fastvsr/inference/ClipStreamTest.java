package ai.fastvsr.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.fastvsr.video.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class ClipStreamTest {
    /** Frame i is a 1x1 image of value i; the "model" adds 100 x (clip number) so each clip's outputs differ. */
    private static RgbImage frame(int v) {
        return new RgbImage(1, 1, new byte[] {(byte) v, (byte) v, (byte) v});
    }

    private static int value(RgbImage img) {
        return img.pixels()[0] & 0xff;
    }

    @Test
    void everyFrameComesOutOnceInOrderWithWholeClips() throws Exception {
        for (int frames = 1; frames <= 6; frames++) {
            for (int overlap = 0; overlap < frames; overlap++) {
                for (int n = 1; n <= 20; n++) {
                    List<Integer> clipSizes = new ArrayList<>();
                    ClipStream stream = new ClipStream(
                            clip -> {
                                clipSizes.add(clip.size());
                                return clip;
                            },
                            frames,
                            overlap);
                    List<Integer> out = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        stream.push(frame(i), f -> out.add(value(f)));
                    }
                    stream.finish(f -> out.add(value(f)));
                    List<Integer> expected = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        expected.add(i);
                    }
                    String where = "frames=" + frames + " overlap=" + overlap + " n=" + n;
                    assertEquals(expected, out, where);
                    for (int size : clipSizes) {
                        assertEquals(frames, size, where);
                    }
                }
            }
        }
    }

    @Test
    void aShortClipIsPaddedWithItsLastFrameAndAWholeOneIsLeftAlone() {
        List<RgbImage> two = List.of(frame(1), frame(2));
        assertEquals(
                List.of(1, 2, 2, 2),
                Clip.padded(two, 4).stream().map(ClipStreamTest::value).toList());
        assertEquals(
                List.of(1, 2),
                Clip.padded(two, 2).stream().map(ClipStreamTest::value).toList());
        assertEquals(
                List.of(1, 2),
                Clip.padded(two, 1).stream().map(ClipStreamTest::value).toList());
    }

    @Test
    void theEightBitCrossFadeEqualsTheSampleBySampleOne() {
        Random random = new Random(3);
        int w = 37;
        int h = 11;
        byte[] pa = new byte[w * h * 3];
        byte[] pb = new byte[w * h * 3];
        random.nextBytes(pa);
        random.nextBytes(pb);
        RgbImage a = new RgbImage(w, h, pa);
        RgbImage b = new RgbImage(w, h, pb);
        for (float wb : new float[] {1 / 3f, 2 / 3f, 0.5f, 0.25f, 1 / 7f, 0f, 1f}) {
            RgbImage expected = RgbImage.blank(w, h, false);
            for (int i = 0; i < pa.length; i++) {
                expected.setUnit(i, a.unit(i) * (1 - wb) + b.unit(i) * wb);
            }
            Assertions.assertArrayEquals(
                    expected.pixels(), ClipStream.blend(a, b, wb).pixels(), "weight " + wb);
        }
        // every pair of samples, at the weights a clip of 8 overlapping by 2 uses
        byte[] xa = new byte[3 * 256 * 256];
        byte[] xb = new byte[3 * 256 * 256];
        for (int i = 0; i < 256 * 256; i++) {
            Arrays.fill(xa, 3 * i, 3 * i + 3, (byte) (i >> 8));
            Arrays.fill(xb, 3 * i, 3 * i + 3, (byte) i);
        }
        RgbImage all = new RgbImage(256, 256, xa);
        RgbImage other = new RgbImage(256, 256, xb);
        for (float wb : new float[] {1 / 3f, 2 / 3f}) {
            RgbImage blended = ClipStream.blend(all, other, wb);
            for (int i = 0; i < xa.length; i++) {
                float v = all.unit(i) * (1 - wb) + other.unit(i) * wb;
                float c = v < 0 ? 0 : Math.min(v, 1);
                assertEquals((byte) Math.round(c * 255f), blended.pixels()[i], "sample " + i + " weight " + wb);
            }
        }
    }

    @Test
    void sharedFramesAreCrossFaded() throws Exception {
        int[] clipNo = {0};
        ClipStream stream = new ClipStream(
                clip -> {
                    int offset = 100 * clipNo[0]++;
                    return clip.stream()
                            .map(f -> frame(Math.min(255, value(f) + offset)))
                            .toList();
                },
                4,
                2);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stream.push(frame(i), f -> out.add(value(f)));
        }
        stream.finish(f -> out.add(value(f)));
        // clip 0 = frames 0..3 (+0), clip 1 = frames 2..5 (+100); frames 2,3 blend with weights 1/3 and 2/3
        assertEquals(List.of(0, 1, Math.round(2 + 100 / 3f), Math.round(3 + 200 / 3f), 104, 105), out);
    }
}
