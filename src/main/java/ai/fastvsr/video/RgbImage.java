package ai.fastvsr.video;

/** One frame as packed 8-bit RGB, rows top to bottom, no padding: what models read and encoders take. */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (pixels.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes, got " + pixels.length);
        }
    }
}
