package ai.fastvsr.testing;

/**
 * Reference computations written for the tests alone: the reference model's bilinear x4 (half-pixel centres,
 * edges clamped, as ONNX Resize defines it) and PSNR. Nothing here calls the worker's code.
 */
public final class ImageMath {
    private ImageMath() {}

    public static byte[] bilinear(byte[] rgb, int w, int h, int scale) {
        int ow = w * scale;
        int oh = h * scale;
        byte[] out = new byte[ow * oh * 3];
        for (int y = 0; y < oh; y++) {
            double sy = Math.max(0, Math.min(h - 1, (y + 0.5) / scale - 0.5));
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < ow; x++) {
                double sx = Math.max(0, Math.min(w - 1, (x + 0.5) / scale - 0.5));
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = px(rgb, w, x0, y0, c) * (1 - fx) + px(rgb, w, x1, y0, c) * fx;
                    double bottom = px(rgb, w, x0, y1, c) * (1 - fx) + px(rgb, w, x1, y1, c) * fx;
                    out[(y * ow + x) * 3 + c] = (byte) Math.round(top * (1 - fy) + bottom * fy);
                }
            }
        }
        return out;
    }

    public static double psnr(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("sizes differ: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xff) - (b[i] & 0xff);
            sum += d * d;
        }
        double mse = sum / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    private static int px(byte[] rgb, int w, int x, int y, int c) {
        return rgb[(y * w + x) * 3 + c] & 0xff;
    }
}
