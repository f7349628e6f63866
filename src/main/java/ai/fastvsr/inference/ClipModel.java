package ai.fastvsr.inference;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.video.RgbImage;
import java.util.List;

/** Anything that turns a clip of frames into a clip of upscaled frames, one output per input. */
@FunctionalInterface
public interface ClipModel {
    List<RgbImage> apply(List<RgbImage> clip) throws Failure;
}
