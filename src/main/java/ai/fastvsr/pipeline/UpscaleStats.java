package ai.fastvsr.pipeline;

import ai.fastvsr.video.Container;
import ai.fastvsr.video.MediaInfo;
import java.util.List;

/**
 * What one run of the frame path did: the input as decoded (frames counted), the output as a probe of the written
 * file reads it (frames = video packets written), the encoder, what could not be kept, and how long it took.
 */
public record UpscaleStats(
        MediaInfo input, MediaInfo output, Container container, String encoder, List<String> warnings, long totalMs) {

    public long framesWritten() {
        return output.frameCount();
    }

    public int outputWidth() {
        return output.width();
    }

    public int outputHeight() {
        return output.height();
    }

    public double framesPerSecond() {
        return totalMs == 0 ? 0 : framesWritten() * 1000.0 / totalMs;
    }
}
