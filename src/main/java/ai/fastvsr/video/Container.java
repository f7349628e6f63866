package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;

import java.util.Locale;
import java.util.Set;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;

/**
 * The output containers a job can get, each with what it needs from the encoder side: the muxer, the default video
 * codec (WebM holds only VP8/VP9/AV1) and the subtitle format text subtitles are converted to when the input's
 * cannot be copied (MP4 and MOV hold only mov_text; WebM only WebVTT).
 */
public enum Container {
    MP4("mp4", "mp4", "video/mp4", "mov_text"),
    MOV("mov", "mov", "video/quicktime", "mov_text"),
    MKV("matroska", "mkv", "video/x-matroska", "subrip"),
    WEBM("webm", "webm", "video/webm", "webvtt");

    private static final Set<Integer> WEBM_CODECS = Set.of(
            AV_CODEC_ID_VP8,
            AV_CODEC_ID_VP9,
            AV_CODEC_ID_AV1,
            AV_CODEC_ID_OPUS,
            AV_CODEC_ID_VORBIS,
            AV_CODEC_ID_WEBVTT);

    private final String muxer;
    private final String label;
    private final String mimeType;
    private final String subtitleCodec;

    Container(String muxer, String label, String mimeType, String subtitleCodec) {
        this.muxer = muxer;
        this.label = label;
        this.mimeType = mimeType;
        this.subtitleCodec = subtitleCodec;
    }

    public String muxer() {
        return muxer;
    }

    /** The name jobs and events use (also the usual file extension). */
    public String label() {
        return label;
    }

    public String mimeType() {
        return mimeType;
    }

    String subtitleCodec() {
        return subtitleCodec;
    }

    /** The encoder for audio this container cannot hold as it is: Opus for WebM, AAC for the others. */
    String audioEncoder() {
        return this == WEBM ? "libopus" : "aac";
    }

    /** The video codec used when the job names none: H.264 for 8-bit, AV1 for deeper input (the LGPL build's 10-bit encoder), VP9 in WebM. */
    public String defaultCodec(boolean deep) {
        if (this == WEBM) {
            return deep ? "av1" : "vp9";
        }
        return deep ? "av1" : "h264";
    }

    /** A container by its job name or file extension; null when it is none of ours. */
    public static Container named(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mp4", "m4v" -> MP4;
            case "mov", "qt" -> MOV;
            case "mkv", "matroska" -> MKV;
            case "webm" -> WEBM;
            default -> null;
        };
    }

    /** The container named by a file name's extension, or null. */
    public static Container ofFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? null : named(fileName.substring(dot + 1));
    }

    /**
     * The output family of an input: MOV for QuickTime files, WebM for Matroska files holding only WebM codecs,
     * Matroska for the other Matroska files, MP4 for everything else (MP4 itself, AVI, MPEG-TS, FLV...).
     */
    static Container ofInput(AVFormatContext format) {
        String demuxer = format.iformat().name().getString();
        if (demuxer.startsWith("mov")) {
            AVDictionaryEntry brand = av_dict_get(format.metadata(), "major_brand", null, 0);
            return brand != null
                            && !brand.isNull()
                            && brand.value().getString().trim().equals("qt")
                    ? MOV
                    : MP4;
        }
        if (demuxer.startsWith("matroska")) {
            for (int i = 0; i < format.nb_streams(); i++) {
                var par = format.streams(i).codecpar();
                int type = par.codec_type();
                boolean media =
                        type == AVMEDIA_TYPE_VIDEO || type == AVMEDIA_TYPE_AUDIO || type == AVMEDIA_TYPE_SUBTITLE;
                if (media && !WEBM_CODECS.contains(par.codec_id())) {
                    return MKV;
                }
            }
            return WEBM;
        }
        return MP4;
    }

    /**
     * How the input's container is reported: its family's name ({@code family} = {@link #ofInput}) for our own
     * families, the demuxer's for other formats ("avi").
     */
    static String describe(AVFormatContext format, Container family) {
        String demuxer = format.iformat().name().getString();
        if (demuxer.startsWith("mov") || demuxer.startsWith("matroska")) {
            return family.label();
        }
        int comma = demuxer.indexOf(',');
        return comma < 0 ? demuxer : demuxer.substring(0, comma);
    }

    /**
     * The job's choice, else the output name's extension, else the input's family.
     */
    public static Container choose(String requested, String outputName, Container input) {
        Container c = named(requested);
        if (c == null && outputName != null) {
            c = ofFileName(outputName);
        }
        return c != null ? c : input;
    }
}
