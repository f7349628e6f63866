package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import ai.fastvsr.failure.Failure;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Reads a media file in file order: the video stream decoded to {@link VideoFrame}s (RGB with the input's matrix
 * and range; 16-bit for inputs deeper than 8 bits), every audio and subtitle stream as {@link CopiedPacket}s for
 * the writer to copy. Timestamps are the input's own, less the container's start time when that is positive, so
 * a file that starts at 1.4 s (MPEG-TS) comes out starting at 0 with audio and video still aligned.
 */
public final class MediaReader implements AutoCloseable {
    static {
        FfmpegLog.errorsOnly();
    }

    /** What {@link #next()} returns. */
    public sealed interface Item permits VideoFrame, CopiedPacket {}

    /**
     * Demuxers a job's input may use: media containers only. Playlist and concat demuxers (hls, dash, concat,
     * ffconcat, image2 sequences...) are absent on purpose: they make FFmpeg open other files or URLs named inside
     * an untrusted input.
     */
    static final String FORMAT_WHITELIST = String.join(
            ",",
            "mov",
            "mp4",
            "m4a",
            "3gp",
            "3g2",
            "mj2",
            "matroska",
            "webm",
            "avi",
            "mpegts",
            "flv",
            "mxf",
            "mpeg",
            "mpegvideo",
            "h264",
            "hevc",
            "m4v",
            "ivf",
            "obu",
            "asf",
            "yuv4mpegpipe",
            "dv",
            "gxf",
            "ogg");
    /** Bytes / microseconds FFmpeg may read to find the streams: enough for any sane container, bounded for junk. */
    static final String PROBE_SIZE = String.valueOf(10 << 20);

    static final String ANALYZE_DURATION = String.valueOf(10_000_000);
    private static final AVRational MS = av_make_q(1, 1000);

    private final AVFormatContext format;
    private final AVCodecContext decoder;
    private final int videoIndex;
    private final MediaInfo info;
    private final Container container;
    private final boolean deep;
    private final FrameToRgb rgb;
    private final long[] shift;
    private final boolean[] copied;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame frame = av_frame_alloc();
    private final long frameStep;
    private boolean draining;
    private boolean skipVideo;
    private long lastPts = AV_NOPTS_VALUE;
    private long frames;

    private MediaReader(AVFormatContext format, AVCodecContext decoder, int videoIndex) {
        this.format = format;
        this.decoder = decoder;
        this.videoIndex = videoIndex;
        AVStream video = format.streams(videoIndex);
        AVCodecParameters par = video.codecpar();
        this.container = Container.ofInput(format);
        ColorTags colors = ColorTags.of(par).resolvedFor(par.height());
        int depth = bitDepth(par.format());
        this.deep = depth > 8;
        this.rgb = new FrameToRgb(colors, deep);
        AVRational rate = frameRate(video);
        this.frameStep = Math.max(1, av_rescale_q(1, av_make_q(rate.den(), rate.num()), video.time_base()));
        long start = startShift(format);
        int n = format.nb_streams();
        this.shift = new long[n];
        this.copied = new boolean[n];
        int audio = 0;
        int subtitles = 0;
        for (int i = 0; i < n; i++) {
            AVStream st = format.streams(i);
            shift[i] = av_rescale_q(start, av_make_q(1, AV_TIME_BASE), st.time_base());
            int type = st.codecpar().codec_type();
            boolean cover = (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0;
            copied[i] = !cover && (type == AVMEDIA_TYPE_AUDIO || type == AVMEDIA_TYPE_SUBTITLE);
            audio += copied[i] && type == AVMEDIA_TYPE_AUDIO ? 1 : 0;
            subtitles += copied[i] && type == AVMEDIA_TYPE_SUBTITLE ? 1 : 0;
        }
        // the longer of the container's and the stream's durations: limits must hold against what a file claims
        long containerMs = Math.max(0, format.duration()) / 1000;
        long streamMs = video.duration() > 0 ? av_rescale_q(video.duration(), video.time_base(), MS) : 0;
        long durationMs = Math.max(containerMs, streamMs);
        long frameCount = video.nb_frames() > 0 ? video.nb_frames() : Math.round(durationMs * av_q2d(rate) / 1000);
        this.info = new MediaInfo(
                Container.describe(format, container),
                codecName(par.codec_id()),
                pixelFormatName(par.format()),
                depth,
                par.width(),
                par.height(),
                rate.num(),
                rate.den(),
                frameCount,
                durationMs,
                audio,
                subtitles,
                colors);
    }

    /**
     * Opens an untrusted input's container (local file access only, media demuxers only, bounded probing) and
     * finds its streams.
     */
    static AVFormatContext openInput(Path file) throws Failure {
        AVFormatContext format = new AVFormatContext(null);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "protocol_whitelist", "file", 0);
        av_dict_set(options, "format_whitelist", FORMAT_WHITELIST, 0);
        av_dict_set(options, "probesize", PROBE_SIZE, 0);
        av_dict_set(options, "analyzeduration", ANALYZE_DURATION, 0);
        int r = avformat_open_input(format, file.toString(), null, options);
        av_dict_free(options);
        if (r < 0) {
            throw MediaError.corrupt("FFmpeg cannot open the input as video: " + MediaError.describe(r), null);
        }
        r = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (r < 0) {
            avformat_close_input(format);
            throw MediaError.corrupt("FFmpeg cannot read the input's streams: " + MediaError.describe(r), null);
        }
        return format;
    }

    /** The input's main video stream. */
    static int videoStream(AVFormatContext format) throws Failure {
        int video = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (video < 0) {
            throw MediaError.unsupported("input has no video stream");
        }
        return video;
    }

    /** How far the reader moves every timestamp back: a positive container start time, in {@code AV_TIME_BASE}. */
    static long startShift(AVFormatContext format) {
        return format.start_time() == AV_NOPTS_VALUE ? 0 : Math.max(0, format.start_time());
    }

    public static MediaReader open(Path file) throws Failure {
        AVFormatContext format = openInput(file);
        AVCodecContext decoder = null;
        try {
            int video = videoStream(format);
            AVStream st = format.streams(video);
            AVCodecParameters par = st.codecpar();
            if (par.width() <= 0 || par.height() <= 0) {
                throw MediaError.corrupt("the video stream has no picture size", null);
            }
            AVCodec codec = decoderFor(par.codec_id());
            if (codec == null) {
                throw MediaError.unsupported("no decoder for video codec " + codecName(par.codec_id()));
            }
            decoder = avcodec_alloc_context3(codec);
            avcodec_parameters_to_context(decoder, par);
            decoder.pkt_timebase(st.time_base());
            decoder.thread_count(Math.min(4, Runtime.getRuntime().availableProcessors()));
            int r = avcodec_open2(decoder, codec, (AVDictionary) null);
            if (r < 0) {
                throw MediaError.unsupported(
                        "cannot open the " + codecName(par.codec_id()) + " decoder: " + MediaError.describe(r));
            }
            return new MediaReader(format, decoder, video);
        } catch (Failure | RuntimeException e) {
            if (decoder != null) {
                avcodec_free_context(decoder);
            }
            avformat_close_input(format);
            throw e;
        }
    }

    /** What a file holds, read from its header (a written output, for the completed event). */
    public static MediaInfo probe(Path file) throws Failure {
        try (MediaReader reader = open(file)) {
            return reader.info();
        }
    }

    /** FFmpeg's native AV1 decoder only drives hardware; prefer the software ones. */
    private static AVCodec decoderFor(int codecId) {
        if (codecId == AV_CODEC_ID_AV1) {
            for (String name : new String[] {"libdav1d", "libaom-av1"}) {
                AVCodec c = avcodec_find_decoder_by_name(name);
                if (c != null && !c.isNull()) {
                    return c;
                }
            }
        }
        AVCodec c = avcodec_find_decoder(codecId);
        return c == null || c.isNull() ? null : c;
    }

    public MediaInfo info() {
        return info;
    }

    /** The family the input's container belongs to, for choosing the output's. */
    public Container container() {
        return container;
    }

    /** The input's colour tags, unspecified ones resolved ({@link ColorTags#resolvedFor}). */
    public ColorTags colors() {
        return info.colors();
    }

    /** Whether frames come as 16-bit RGB (inputs deeper than 8 bits). */
    public boolean isDeep() {
        return deep;
    }

    /** Video frames decoded so far. */
    public long framesDecoded() {
        return frames;
    }

    AVFormatContext formatContext() {
        return format;
    }

    int videoIndex() {
        return videoIndex;
    }

    /** Whether the writer gets this stream's packets. */
    boolean isCopied(int stream) {
        return copied[stream];
    }

    /**
     * From now on {@link #next()} returns only the packets of the copied streams, and the video is neither read
     * into frames nor decoded: what a join needs from the input beside its renditions.
     */
    void skipVideo() {
        skipVideo = true;
    }

    /** The next video frame or copied packet in file order, or null at the end. */
    public Item next() throws Failure {
        while (skipVideo) {
            int r = av_read_frame(format, packet);
            if (r == AVERROR_EOF) {
                return null;
            }
            if (r < 0) {
                throw MediaError.corrupt("reading failed: " + MediaError.describe(r), null);
            }
            try {
                int s = packet.stream_index();
                if (s < copied.length && copied[s]) {
                    packet.pts(minus(packet.pts(), shift[s])).dts(minus(packet.dts(), shift[s]));
                    return CopiedPacket.of(packet);
                }
            } finally {
                av_packet_unref(packet);
            }
        }
        while (true) {
            int r = avcodec_receive_frame(decoder, frame);
            if (r == 0) {
                return videoFrame();
            }
            if (r == AVERROR_EOF) {
                return null;
            }
            if (r != MediaError.AGAIN) {
                throw MediaError.corrupt("decoding failed at frame " + frames + ": " + MediaError.describe(r), null);
            }
            r = av_read_frame(format, packet);
            if (r < 0) {
                if (r != AVERROR_EOF) {
                    throw MediaError.corrupt(
                            "reading failed after frame " + frames + ": " + MediaError.describe(r), null);
                }
                // end of file: drain the frames the decoder still holds
                if (!draining) {
                    draining = true;
                    avcodec_send_packet(decoder, (AVPacket) null);
                }
                continue;
            }
            try {
                int s = packet.stream_index();
                if (s == videoIndex) {
                    r = avcodec_send_packet(decoder, packet);
                    if (r < 0 && r != AVERROR_INVALIDDATA) {
                        throw MediaError.corrupt(
                                "decoding failed at frame " + frames + ": " + MediaError.describe(r), null);
                    }
                } else if (s < copied.length && copied[s]) {
                    packet.pts(minus(packet.pts(), shift[s])).dts(minus(packet.dts(), shift[s]));
                    return CopiedPacket.of(packet);
                }
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    private VideoFrame videoFrame() {
        try {
            long pts = frame.best_effort_timestamp();
            pts = pts == AV_NOPTS_VALUE
                    ? (lastPts == AV_NOPTS_VALUE ? 0 : lastPts + frameStep)
                    : pts - shift[videoIndex];
            // encoders need strictly increasing timestamps; a broken input's duplicates move up one tick
            if (lastPts != AV_NOPTS_VALUE && pts <= lastPts) {
                pts = lastPts + 1;
            }
            lastPts = pts;
            frames++;
            long duration = frame.duration() > 0 ? frame.duration() : frameStep;
            return new VideoFrame(rgb.convert(frame), pts, duration);
        } finally {
            av_frame_unref(frame);
        }
    }

    private static long minus(long ts, long shift) {
        return ts == AV_NOPTS_VALUE ? ts : ts - shift;
    }

    static AVRational frameRate(AVStream video) {
        AVRational r = video.avg_frame_rate();
        if (r.num() > 0 && r.den() > 0) {
            return r;
        }
        r = video.r_frame_rate();
        return r.num() > 0 && r.den() > 0 ? r : av_make_q(25, 1);
    }

    static int bitDepth(int pixelFormat) {
        AVPixFmtDescriptor d = pixelFormat < 0 ? null : av_pix_fmt_desc_get(pixelFormat);
        return d == null || d.isNull() ? 8 : d.comp(0).depth();
    }

    static String codecName(int codecId) {
        return avcodec_get_name(codecId).getString();
    }

    static String pixelFormatName(int pixelFormat) {
        var name = pixelFormat < 0 ? null : av_get_pix_fmt_name(pixelFormat);
        return name == null || name.isNull() ? "unknown" : name.getString();
    }

    @Override
    public void close() {
        rgb.close();
        av_packet_free(packet);
        av_frame_free(frame);
        avcodec_free_context(decoder);
        avformat_close_input(format);
    }
}
