package ai.fastvsr.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.fastvsr.video.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Clip in, clip out; tensors stay in here. Input: packed RGB bytes become [1,3,T,H,W] floats in [0,1], padded by
 * edge replication to the card's {@code multipleOf}. Output: [1,3,T,sH,sW] back to bytes, cropped to s times the
 * unpadded size.
 */
final class ClipTranslator implements Translator<Clip, Clip> {
    private static final String SIZE = "size";
    private final ModelCard card;

    ClipTranslator(ModelCard card) {
        this.card = card;
    }

    /** The clip already carries its batch dimension (N=1); DJL must not stack another on. */
    @Override
    public Batchifier getBatchifier() {
        return null;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Clip clip) {
        int t = clip.frames().size();
        int w = clip.width();
        int h = clip.height();
        int m = card.multipleOf();
        int pw = (w + m - 1) / m * m;
        int ph = (h + m - 1) / m * m;
        float[] data = new float[3 * t * ph * pw];
        int plane = ph * pw;
        for (int f = 0; f < t; f++) {
            byte[] px = clip.frames().get(f).pixels();
            for (int y = 0; y < ph; y++) {
                int sy = Math.min(y, h - 1);
                for (int x = 0; x < pw; x++) {
                    int src = (sy * w + Math.min(x, w - 1)) * 3;
                    int dst = f * plane + y * pw + x;
                    data[dst] = (px[src] & 0xff) / 255f;
                    data[dst + t * plane] = (px[src + 1] & 0xff) / 255f;
                    data[dst + 2 * t * plane] = (px[src + 2] & 0xff) / 255f;
                }
            }
        }
        ctx.setAttachment(SIZE, new int[] {w, h, t});
        NDArray lr = ctx.getNDManager().create(data, new Shape(1, 3, t, ph, pw));
        lr.setName(card.input().name());
        return new NDList(lr);
    }

    @Override
    public Clip processOutput(TranslatorContext ctx, NDList list) {
        int[] size = (int[]) ctx.getAttachment(SIZE);
        int s = card.scale();
        int w = size[0] * s;
        int h = size[1] * s;
        int t = size[2];
        NDArray hr = list.get(0);
        Shape shape = hr.getShape();
        if (shape.dimension() != 5 || shape.get(1) != 3 || shape.get(2) != t
                || shape.get(3) < h || shape.get(4) < w) {
            throw new IllegalStateException("model output " + shape + " does not fit the card: expected [1,3,"
                    + t + "," + h + "," + w + "] (scale " + s + ")");
        }
        int ow = (int) shape.get(4);
        int plane = (int) (shape.get(3) * ow);
        float[] data = hr.toFloatArray();
        List<RgbImage> frames = new ArrayList<>(t);
        for (int f = 0; f < t; f++) {
            byte[] px = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int src = f * plane + y * ow + x;
                    int dst = (y * w + x) * 3;
                    px[dst] = toByte(data[src]);
                    px[dst + 1] = toByte(data[src + t * plane]);
                    px[dst + 2] = toByte(data[src + 2 * t * plane]);
                }
            }
            frames.add(new RgbImage(w, h, px));
        }
        return new Clip(frames);
    }

    private static byte toByte(float v) {
        int i = Math.round(v * 255f);
        return (byte) (i < 0 ? 0 : Math.min(i, 255));
    }
}
