package ai.fastvsr.video;

/**
 * One frame as packed RGB, rows top to bottom, no padding: what models read and encoders take. Samples are 8-bit
 * ({@link #pixels()}) for 8-bit sources and 16-bit ({@link #deepPixels()}) for deeper ones (10-bit and up), so a
 * 10-bit input is never quantised to 8 bits on its way through the model. Code that does arithmetic on frames
 * reads and writes samples through {@link #unit(int)} / {@link #setUnit(int, float)} and works for both.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] pixels;
    private final short[] deep;

    /** An 8-bit frame. */
    public RgbImage(int width, int height, byte[] pixels) {
        this(width, height, pixels, null);
        check(pixels.length);
    }

    /** A 16-bit frame (samples are unsigned, 65535 is full scale). */
    public RgbImage(int width, int height, short[] deepPixels) {
        this(width, height, null, deepPixels);
        check(deepPixels.length);
    }

    private RgbImage(int width, int height, byte[] pixels, short[] deep) {
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this.deep = deep;
    }

    /** A black frame of the given depth, to be filled with {@link #setUnit}. */
    public static RgbImage blank(int width, int height, boolean deep) {
        int n = width * height * 3;
        return deep ? new RgbImage(width, height, new short[n]) : new RgbImage(width, height, new byte[n]);
    }

    /** A black frame as deep as this one. */
    public RgbImage blankLike(int width, int height) {
        return blank(width, height, isDeep());
    }

    private void check(int length) {
        if (length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " samples, got " + length);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public boolean isDeep() {
        return deep != null;
    }

    /** The 8-bit samples; only for 8-bit frames. */
    public byte[] pixels() {
        if (pixels == null) {
            throw new IllegalStateException("a 16-bit frame has no 8-bit samples");
        }
        return pixels;
    }

    /** The 16-bit samples; only for 16-bit frames. */
    public short[] deepPixels() {
        if (deep == null) {
            throw new IllegalStateException("an 8-bit frame has no 16-bit samples");
        }
        return deep;
    }

    /** Sample {@code i} (= (y * width + x) * 3 + channel) scaled to [0, 1]. */
    public float unit(int i) {
        return deep != null ? (deep[i] & 0xffff) / 65535f : (pixels[i] & 0xff) / 255f;
    }

    /** Sets sample {@code i} from a value in [0, 1]; values outside are clamped, the rest rounded to the depth. */
    public void setUnit(int i, float v) {
        float c = v < 0 ? 0 : Math.min(v, 1);
        if (deep != null) {
            deep[i] = (short) Math.round(c * 65535f);
        } else {
            pixels[i] = (byte) Math.round(c * 255f);
        }
    }

    /** A copy of the rectangle at (x0, y0) of size w x h. */
    public RgbImage crop(int x0, int y0, int w, int h) {
        RgbImage out = blankLike(w, h);
        for (int y = 0; y < h; y++) {
            int from = ((y0 + y) * width + x0) * 3;
            if (deep != null) {
                System.arraycopy(deep, from, out.deep, y * w * 3, w * 3);
            } else {
                System.arraycopy(pixels, from, out.pixels, y * w * 3, w * 3);
            }
        }
        return out;
    }
}
