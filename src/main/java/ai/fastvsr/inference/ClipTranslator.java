package ai.fastvsr.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.fastvsr.video.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Clip in, clip out; tensors stay in here. Input: packed RGB samples (8- or 16-bit) become [1,3,T,H,W] floats in [0,1], padded by
 * edge replication to the card's {@code multipleOf}. Output: [1,3,T,sH,sW] back to samples of the input's depth, cropped to s times the
 * unpadded size. No batchifier: the clip already carries its batch dimension (N=1); DJL must not stack another on.
 */
final class ClipTranslator implements NoBatchifyTranslator<Clip, Clip> {
    private static final String SIZE = "size";
    private final ModelCard card;

    ClipTranslator(ModelCard card) {
        this.card = card;
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
            RgbImage frame = clip.frames().get(f);
            for (int y = 0; y < ph; y++) {
                int sy = Math.min(y, h - 1);
                for (int x = 0; x < pw; x++) {
                    int src = (sy * w + Math.min(x, w - 1)) * 3;
                    int dst = f * plane + y * pw + x;
                    data[dst] = frame.unit(src);
                    data[dst + t * plane] = frame.unit(src + 1);
                    data[dst + 2 * t * plane] = frame.unit(src + 2);
                }
            }
        }
        ctx.setAttachment(SIZE, new int[] {w, h, t, clip.frames().get(0).isDeep() ? 1 : 0});
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
        boolean deep = size[3] == 1;
        NDArray hr = list.get(0);
        Shape shape = hr.getShape();
        if (shape.dimension() != 5 || shape.get(1) != 3 || shape.get(2) != t || shape.get(3) < h || shape.get(4) < w) {
            throw new IllegalStateException("model output " + shape + " does not fit the card: expected [1,3," + t + ","
                    + h + "," + w + "] (scale " + s + ")");
        }
        int ow = (int) shape.get(4);
        int plane = (int) (shape.get(3) * ow);
        float[] data = hr.toFloatArray();
        List<RgbImage> frames = new ArrayList<>(t);
        for (int f = 0; f < t; f++) {
            RgbImage frame = RgbImage.blank(w, h, deep);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int src = f * plane + y * ow + x;
                    int dst = (y * w + x) * 3;
                    frame.setUnit(dst, data[src]);
                    frame.setUnit(dst + 1, data[src + t * plane]);
                    frame.setUnit(dst + 2, data[src + 2 * t * plane]);
                }
            }
            frames.add(frame);
        }
        return new Clip(frames);
    }
}
