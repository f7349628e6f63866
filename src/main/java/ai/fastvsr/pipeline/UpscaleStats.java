package ai.fastvsr.pipeline;

import ai.fastvsr.video.MediaInfo;

/** What one run of the frame path did: the input as decoded, the output as written, and how long it took. */
public record UpscaleStats(MediaInfo input, int outputWidth, int outputHeight, long framesWritten, String videoCodec,
                           long totalMs) {

    public double framesPerSecond() {
        return totalMs == 0 ? 0 : framesWritten * 1000.0 / totalMs;
    }
}
