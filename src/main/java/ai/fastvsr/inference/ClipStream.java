package ai.fastvsr.inference;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.video.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cuts an endless stream of frames into clips of {@code frames} with {@code overlap} frames shared between
 * neighbours, runs each clip, and cross-fades the outputs of shared frames linearly, so a clip boundary does not
 * show as a jump in time. The last clip is padded by repeating its last frame, and the padding is dropped. Holds
 * at most one clip of input and one of output: memory does not grow with the video.
 *
 * <p>Not thread-safe: one inference stage owns it.
 */
public final class ClipStream {
    /** Receives upscaled frames in input order. */
    @FunctionalInterface
    public interface Sink {
        void accept(RgbImage frame) throws Failure;
    }

    private static final Map<Float, byte[]> BLEND_TABLES = new ConcurrentHashMap<>();

    private final ClipModel model;
    private final int frames;
    private final int overlap;
    private final List<RgbImage> pending = new ArrayList<>();
    /** Outputs of the previous clip's last {@code overlap} frames, waiting to be blended with the next clip. */
    private List<RgbImage> tail = List.of();
    /** How many frames of {@link #pending} the previous clip already covered (its overlap). */
    private int carried;

    public ClipStream(ClipModel model, int frames, int overlap) {
        if (frames < 1 || overlap < 0 || overlap >= frames) {
            throw new IllegalArgumentException("clip of " + frames + " frames cannot overlap by " + overlap);
        }
        this.model = model;
        this.frames = frames;
        this.overlap = overlap;
    }

    /** Clips as the model's card sets them. */
    public static ClipStream forCard(ClipModel model, ModelCard card) {
        return new ClipStream(model, card.clipFrames(), card.clipOverlap());
    }

    public void push(RgbImage frame, Sink sink) throws Failure {
        pending.add(frame);
        if (pending.size() == frames) {
            runClip(frames, sink);
        }
    }

    /** Flushes what is left: the frames after the last full clip, padded to a whole clip. */
    public void finish(Sink sink) throws Failure {
        if (pending.size() > carried) {
            int real = pending.size();
            List<RgbImage> whole = Clip.padded(pending, frames);
            pending.clear();
            pending.addAll(whole);
            runClip(real, sink);
        }
        for (RgbImage frame : tail) {
            sink.accept(frame);
        }
        tail = List.of();
        pending.clear();
        carried = 0;
    }

    /** Runs the clip in {@link #pending}, of which the first {@code real} frames are real. */
    private void runClip(int real, Sink sink) throws Failure {
        List<RgbImage> out = new ArrayList<>(model.apply(List.copyOf(pending)));
        for (int i = 0; i < carried; i++) {
            // weight of the new clip rises across the shared frames: (i+1)/(overlap+1)
            out.set(i, blend(tail.get(i), out.get(i), (i + 1f) / (carried + 1f)));
        }
        int keep = real < frames ? 0 : overlap;
        for (int i = 0; i < real - keep; i++) {
            sink.accept(out.get(i));
        }
        tail = List.copyOf(out.subList(real - keep, real));
        List<RgbImage> next = new ArrayList<>(pending.subList(real - keep, real));
        pending.clear();
        pending.addAll(next);
        carried = keep;
    }

    static RgbImage blend(RgbImage a, RgbImage b, float wb) {
        if (!a.isDeep() && !b.isDeep()) {
            return blend8(a, b, wb);
        }
        RgbImage out = a.blankLike(a.width(), a.height());
        int n = a.width() * a.height() * 3;
        for (int i = 0; i < n; i++) {
            out.setUnit(i, a.unit(i) * (1 - wb) + b.unit(i) * wb);
        }
        return out;
    }

    /**
     * The same cross-fade for 8-bit frames through a table of all 65536 sample pairs, each entry computed with
     * exactly the arithmetic above: a 1080p frame is 6 million samples, and at GPU speeds the per-sample float
     * arithmetic and rounding in Java took longer than the model (one core managed ~185 frames/s with no model).
     * A stream uses as many weights as its overlap, so the tables are made once per weight.
     */
    private static RgbImage blend8(RgbImage a, RgbImage b, float wb) {
        byte[] table = BLEND_TABLES.computeIfAbsent(wb, ClipStream::blendTable);
        byte[] pa = a.pixels();
        byte[] pb = b.pixels();
        byte[] out = new byte[pa.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = table[(pa[i] & 0xff) << 8 | (pb[i] & 0xff)];
        }
        return new RgbImage(a.width(), a.height(), out);
    }

    private static byte[] blendTable(float wb) {
        byte[] table = new byte[256 * 256];
        RgbImage pair = RgbImage.blank(1, 1, false);
        for (int x = 0; x < 256; x++) {
            float ua = (x & 0xff) / 255f * (1 - wb);
            for (int y = 0; y < 256; y++) {
                pair.setUnit(0, ua + (y & 0xff) / 255f * wb);
                table[x << 8 | y] = pair.pixels()[0];
            }
        }
        return table;
    }
}
