package ai.fastvsr.events;

/** Colour tags by FFmpeg's names ("bt709", "arib-std-b67", "tv"...), as ffprobe prints them. */
public record ColorSummary(String primaries, String transfer, String matrix, String range) {
}
