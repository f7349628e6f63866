package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which FFmpeg encoder makes a job's codec, with what options. The LGPL FFmpeg build has openh264 (8-bit H.264),
 * SVT-AV1 (8/10-bit AV1), libvpx (8/10-bit VP9) and the NVENC encoders (need an NVIDIA GPU); the {@code -Pgpl}
 * build adds libx264 (H.264 with CRF) and libx265 (8/10-bit HEVC), which are then preferred.
 */
public final class VideoEncoders {
    /** Software encoders per codec, best first. */
    private static final Map<String, List<String>> ENCODERS = Map.of(
            "h264", List.of("libx264", "libopenh264"),
            "hevc", List.of("libx265"),
            "av1", List.of("libsvtav1", "libaom-av1"),
            "vp9", List.of("libvpx-vp9"));
    /** x264-style preset names mapped to SVT-AV1's 0 (slowest) .. 13 (fastest). */
    private static final Map<String, String> SVT_PRESETS = Map.of(
            "ultrafast",
            "12",
            "superfast",
            "11",
            "veryfast",
            "10",
            "faster",
            "10",
            "fast",
            "9",
            "medium",
            "8",
            "slow",
            "6",
            "slower",
            "5",
            "veryslow",
            "4");

    private static final int GOP_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(VideoEncoders.class);
    private static final AtomicBoolean NVENC_MISSING_LOGGED = new AtomicBoolean();

    private VideoEncoders() {}

    /**
     * The encoders' keyframe interval in frames at {@code frameRate}: an unsplit run's keyframes fall on multiples
     * of it, which is where a split cuts (split.SegmentPlan).
     */
    public static int gopFrames(double frameRate) {
        return Math.max(1, (int) Math.round(GOP_SECONDS * frameRate));
    }

    /** An opened encoder and the pixel format it takes. */
    record Opened(AVCodecContext context, String encoderName, int pixelFormat) {}

    /**
     * @param deep   whether frames come as 16-bit RGB; the output is 10-bit when the encoder allows it
     * @param nvenc  try the NVENC encoder of the codec first (a GPU worker); without one, software (logged once)
     */
    static Opened open(
            String codec,
            int width,
            int height,
            boolean deep,
            AVRational timeBase,
            AVRational frameRate,
            AVRational sampleAspect,
            ColorTags colors,
            EncodeSettings settings,
            boolean globalHeader,
            boolean nvenc,
            List<String> warnings)
            throws Failure {
        List<String> names = ENCODERS.get(codec);
        if (names == null) {
            throw invalid("codec " + codec + " is not one of " + ENCODERS.keySet());
        }
        Failure last = null;
        for (String name : nvenc ? prepend(codec + "_nvenc", names) : names) {
            AVCodec encoder = avcodec_find_encoder_by_name(name);
            if (encoder == null || encoder.isNull()) {
                continue;
            }
            try {
                return openOne(
                        encoder,
                        name,
                        width,
                        height,
                        deep,
                        timeBase,
                        frameRate,
                        sampleAspect,
                        colors,
                        settings,
                        globalHeader,
                        warnings);
            } catch (Failure e) {
                last = e;
                if (name.endsWith("_nvenc") && NVENC_MISSING_LOGGED.compareAndSet(false, true)) {
                    // not a property of the job's media, so a log line (once), not a warning in the event: an H100
                    // has no NVENC at all, and every job there would say so
                    LOG.warn("{} unavailable ({}); encoding in software from now on", name, e.getMessage());
                }
            }
        }
        if (last != null) {
            throw last;
        }
        throw invalid("codec " + codec + " has no encoder in this build"
                + ("hevc".equals(codec) ? ": HEVC needs the -Pgpl build (libx265) or an NVIDIA GPU (hevc_nvenc)" : ""));
    }

    private static List<String> prepend(String first, List<String> rest) {
        var all = new ArrayList<String>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static Opened openOne(
            AVCodec encoder,
            String name,
            int width,
            int height,
            boolean deep,
            AVRational timeBase,
            AVRational frameRate,
            AVRational sampleAspect,
            ColorTags colors,
            EncodeSettings settings,
            boolean globalHeader,
            List<String> warnings)
            throws Failure {
        // H.264 stays 8-bit unless asked: High 10 plays almost nowhere in hardware
        boolean h264 = encoder.id() == AV_CODEC_ID_H264;
        int format = pixelFormat(encoder, deep && !h264, settings.pixFmt());
        boolean tenBit = MediaReader.bitDepth(format) > 8;
        if (deep && !tenBit && settings.pixFmt() == null) {
            warnings.add("the 10-bit input is written 8-bit by " + name
                    + (h264
                            ? " (H.264 High 10 plays almost " + "nowhere; pixFmt yuv420p10le forces it)"
                            : " (no 10-bit mode)")
                    + "; codec av1 or vp9 keeps 10 bits");
        }
        AVCodecContext c = avcodec_alloc_context3(encoder);
        c.width(width).height(height).pix_fmt(format).time_base(timeBase).framerate(frameRate);
        c.sample_aspect_ratio(sampleAspect);
        c.gop_size(gopFrames(av_q2d(frameRate)));
        colors.applyTo(c);
        if (globalHeader) {
            c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        AVDictionary options = new AVDictionary(null);
        Long bitrate = settings.bitrate();
        switch (name) {
            case "libx264", "libx265" -> {
                quality(c, options, settings, bitrate, name.equals("libx264") ? 18 : 20);
                av_dict_set(options, "preset", settings.preset() == null ? "medium" : settings.preset(), 0);
                if (name.equals("libx265")) {
                    // x265 prints its banner and statistics to stderr by itself, which breaks JSON log lines
                    av_dict_set(options, "x265-params", "log-level=error", 0);
                }
            }
            case "libsvtav1" -> {
                quality(c, options, settings, bitrate, 30);
                String p = settings.preset() == null
                        ? "10"
                        : SVT_PRESETS.getOrDefault(settings.preset(), settings.preset());
                av_dict_set(options, "preset", p, 0);
            }
            case "libaom-av1" -> {
                quality(c, options, settings, bitrate, 30);
                av_dict_set(options, "cpu-used", "8", 0);
                av_dict_set(options, "usage", "realtime", 0);
            }
            case "libvpx-vp9" -> {
                quality(c, options, settings, bitrate, 32);
                if (bitrate == null) {
                    c.bit_rate(0);
                }
                av_dict_set(options, "deadline", "good", 0);
                av_dict_set(options, "cpu-used", "5", 0);
                av_dict_set(options, "row-mt", "1", 0);
            }
            default -> {
                // openh264 and NVENC: rate-controlled by bitrate
                c.bit_rate(settings.bitrateFor(width, height, av_q2d(frameRate)));
                if (name.endsWith("_nvenc")) {
                    av_dict_set(options, "preset", "p5", 0);
                }
            }
        }
        int r = avcodec_open2(c, encoder, options);
        av_dict_free(options);
        if (r < 0) {
            avcodec_free_context(c);
            // the usual cause is a size beyond the encoder's levels (openh264 stops below 8K)
            throw new Failure(
                    ErrorCode.UNSUPPORTED_MEDIA,
                    false,
                    Phase.ENCODING,
                    name + " cannot encode "
                            + width + "x" + height + " " + MediaReader.pixelFormatName(format) + ": "
                            + MediaError.describe(r),
                    null);
        }
        return new Opened(c, name, format);
    }

    private static void quality(
            AVCodecContext c, AVDictionary options, EncodeSettings settings, Long bitrate, int defaultCrf) {
        if (bitrate != null) {
            c.bit_rate(bitrate);
        } else {
            av_dict_set(options, "crf", String.valueOf(settings.crf() == null ? defaultCrf : settings.crf()), 0);
        }
    }

    /** 4:2:0 at the input's depth: 8-bit, or the encoder's 10-bit format when it has one. */
    private static int pixelFormat(AVCodec encoder, boolean deep, String requested) throws Failure {
        if (requested != null) {
            int f = av_get_pix_fmt(requested);
            if (supports(encoder, f)) {
                return f;
            }
            throw invalid(encoder.name().getString() + " cannot write pixel format " + requested);
        }
        if (deep) {
            for (int f : new int[] {AV_PIX_FMT_YUV420P10LE, AV_PIX_FMT_P010LE}) {
                if (supports(encoder, f)) {
                    return f;
                }
            }
        }
        return supports(encoder, AV_PIX_FMT_YUV420P) ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_NV12;
    }

    private static boolean supports(AVCodec encoder, int format) {
        IntPointer formats = encoder.pix_fmts();
        if (formats == null || formats.isNull()) {
            return format == AV_PIX_FMT_YUV420P;
        }
        for (long i = 0; formats.get(i) != AV_PIX_FMT_NONE; i++) {
            if (formats.get(i) == format) {
                return true;
            }
        }
        return false;
    }

    private static Failure invalid(String message) {
        return new Failure(ErrorCode.INVALID_JOB, false, Phase.ENCODING, message, null);
    }
}
