package ai.fastvsr.inference;

import ai.fastvsr.video.RgbImage;
import java.util.ArrayList;
import java.util.List;

/** Consecutive frames of one size that go through the model together, so it can use temporal context. */
public record Clip(List<RgbImage> frames) {
    public Clip {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a clip needs at least one frame");
        }
    }

    /**
     * {@code frames} followed by copies of its last frame up to {@code length} (unchanged if already as long): how a
     * short clip is made whole for a model that runs whole clips; the padding's outputs are dropped.
     */
    public static List<RgbImage> padded(List<RgbImage> frames, int length) {
        List<RgbImage> out = new ArrayList<>(frames);
        while (out.size() < length) {
            out.add(frames.get(frames.size() - 1));
        }
        return out;
    }

    public int width() {
        return frames.get(0).width();
    }

    public int height() {
        return frames.get(0).height();
    }
}
