package ai.fastvsr.inference;

import ai.fastvsr.video.RgbImage;
import java.util.List;

/** Consecutive frames of one size that go through the model together, so it can use temporal context. */
public record Clip(List<RgbImage> frames) {
    public Clip {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a clip needs at least one frame");
        }
    }

    public int width() {
        return frames.get(0).width();
    }

    public int height() {
        return frames.get(0).height();
    }
}
