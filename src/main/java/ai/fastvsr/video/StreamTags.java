package ai.fastvsr.video;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What describes an input beyond its pixels and must reach the output unchanged: display rotation, sample aspect
 * ratio, and the container's and streams' metadata (title, language...). Tags that describe how the input was
 * made (its encoder, its MP4 brand) are not copied: they would be false of the output.
 */
public record StreamTags(double displayRotation, double sampleAspectRatio, Map<String, String> container,
                         Map<String, String> video, Map<String, String> audio) {

    private static final Set<String> PRODUCER_TAGS = Set.of("encoder", "major_brand", "minor_version",
            "compatible_brands", "handler_name", "vendor_id", "duration");

    public static final StreamTags NONE = new StreamTags(0, 0, Map.of(), Map.of(), Map.of());

    public StreamTags {
        container = describing(container);
        video = describing(video);
        audio = describing(audio);
    }

    private static Map<String, String> describing(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>();
        if (tags != null) {
            tags.forEach((k, v) -> {
                if (!PRODUCER_TAGS.contains(k.toLowerCase()) && v != null) {
                    out.put(k, v);
                }
            });
        }
        return Map.copyOf(out);
    }
}
