package ai.fastvsr.inference.gpu;

import ai.fastvsr.video.RgbImage;
import java.util.List;

/**
 * The sizes of one clip on its way through the engine: {@code t} frames of {@code w x h}, padded to
 * {@code pw x ph} (multiples of the card's {@code multipleOf}) for the model, upscaled by {@code scale}, then
 * cropped back to {@code scale * w x scale * h}. {@code deep}: 16-bit samples instead of 8-bit.
 */
record ClipGeometry(int t, int w, int h, int pw, int ph, int scale, boolean deep) {

    static ClipGeometry of(List<RgbImage> clip, int multipleOf, int scale) {
        RgbImage first = clip.get(0);
        int w = first.width();
        int h = first.height();
        for (RgbImage frame : clip) {
            if (frame.width() != w || frame.height() != h || frame.isDeep() != first.isDeep()) {
                throw new IllegalArgumentException("a clip's frames must share size and depth");
            }
        }
        int m = Math.max(1, multipleOf);
        return new ClipGeometry(clip.size(), w, h, (w + m - 1) / m * m, (h + m - 1) / m * m, scale, first.isDeep());
    }

    int sampleBytes() {
        return deep ? 2 : 1;
    }

    /** One input frame as packed samples. */
    long inputFrameBytes() {
        return 3L * w * h * sampleBytes();
    }

    long inputBytes() {
        return t * inputFrameBytes();
    }

    /** The model's input [1, 3, t, ph, pw] in float32. */
    long[] inputShape() {
        return new long[] {1, 3, t, ph, pw};
    }

    /** The model's output [1, 3, t, scale * ph, scale * pw] in float32. */
    long[] outputShape() {
        return new long[] {1, 3, t, (long) scale * ph, (long) scale * pw};
    }

    static long floatBytes(long[] shape) {
        long n = 4;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    int outWidth() {
        return scale * w;
    }

    int outHeight() {
        return scale * h;
    }

    /** One output frame as packed samples (cropped). */
    long outputFrameBytes() {
        return 3L * outWidth() * outHeight() * sampleBytes();
    }

    long outputBytes() {
        return t * outputFrameBytes();
    }
}
