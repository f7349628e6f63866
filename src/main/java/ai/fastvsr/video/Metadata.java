package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avutil.av_dict_iterate;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;

/**
 * Container and stream metadata carried to the output (title, language, chapter names...). Tags that describe how
 * the input was made (its encoder, its MP4 brand, its track handler) are not copied: they would be false of the
 * output.
 */
final class Metadata {
    private static final Set<String> PRODUCER_TAGS = Set.of(
            "encoder",
            "major_brand",
            "minor_version",
            "compatible_brands",
            "handler_name",
            "vendor_id",
            "duration",
            "creation_time",
            "_statistics_tags",
            "_statistics_writing_app",
            "_statistics_writing_date_utc",
            "bps",
            "number_of_frames",
            "number_of_bytes");

    private Metadata() {}

    static Map<String, String> read(AVDictionary dict) {
        Map<String, String> out = new TreeMap<>();
        if (dict == null || dict.isNull()) {
            return out;
        }
        for (AVDictionaryEntry e = av_dict_iterate(dict, null);
                e != null && !e.isNull();
                e = av_dict_iterate(dict, e)) {
            out.put(e.key().getString(), e.value().getString());
        }
        return out;
    }

    /** A new dictionary with the describing tags of {@code from} (the caller hands it to a struct that owns it). */
    static AVDictionary describing(AVDictionary from) {
        AVDictionary out = new AVDictionary(null);
        read(from).forEach((k, v) -> {
            String key = k.toLowerCase();
            // Matroska's per-track statistics tags come with a language suffix ("BPS-eng")
            boolean statistics = key.startsWith("bps")
                    || key.startsWith("number_of_")
                    || key.startsWith("_statistics")
                    || key.startsWith("duration");
            if (!PRODUCER_TAGS.contains(key) && !statistics) {
                av_dict_set(out, k, v, 0);
            }
        });
        return out;
    }
}
