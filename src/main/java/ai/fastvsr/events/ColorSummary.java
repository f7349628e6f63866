package ai.fastvsr.events;

import ai.fastvsr.video.ColorTags;

/** Colour tags by FFmpeg's names ("bt709", "arib-std-b67", "tv"...), as ffprobe prints them. */
public record ColorSummary(String primaries, String transfer, String matrix, String range) {
    public static ColorSummary of(ColorTags tags) {
        return new ColorSummary(tags.primariesName(), tags.transferName(), tags.matrixName(), tags.rangeName());
    }
}
