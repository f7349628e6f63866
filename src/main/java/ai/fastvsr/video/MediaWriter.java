package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVChapter;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Writes the output: the upscaled video encoded at the input's timestamps, time base, colour tags, rotation and
 * aspect ratio; every audio and subtitle stream of the input copied packet for packet (subtitles converted when the
 * container needs another format); chapters and describing metadata kept. What cannot be kept is listed in
 * {@link #warnings()} (and reported in the completed event) instead of failing the job.
 */
public final class MediaWriter implements AutoCloseable {
    static {
        FfmpegLog.errorsOnly();
    }

    /** Side data of the input video stream that stays true after upscaling: rotation and HDR light levels. */
    private static final int[] KEPT_SIDE_DATA = {
        AV_PKT_DATA_DISPLAYMATRIX, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, AV_PKT_DATA_CONTENT_LIGHT_LEVEL
    };

    private final AVFormatContext out;
    private final MediaReader source;
    private final Container container;
    private final List<String> warnings;
    private final AVPacket packet = av_packet_alloc();
    private AVCodecContext encoder;
    private VideoEncoders.Opened opened;
    private AVStream video;
    private RgbToFrame yuv;
    private final int[] outputOf;
    private final StreamConverter[] converters;
    private long videoPackets;
    /** Encoder packets shown before this are a warm-up's, not written (MAX_VALUE: warming up now). */
    private long keepFrom = Long.MIN_VALUE;

    private MediaWriter(AVFormatContext out, MediaReader source, Container container, List<String> warnings) {
        this.out = out;
        this.source = source;
        this.container = container;
        this.warnings = warnings;
        int n = source.formatContext().nb_streams();
        this.outputOf = new int[n];
        Arrays.fill(outputOf, -1);
        this.converters = new StreamConverter[n];
    }

    /**
     * @param width  the output picture size (the input's times the model's scale)
     * @param nvenc  prefer the NVIDIA encoder (a GPU worker); falls back to software (logged once)
     */
    public static MediaWriter open(
            Path file,
            MediaReader source,
            int width,
            int height,
            Container container,
            EncodeSettings settings,
            boolean nvenc)
            throws Failure {
        return open(file, source, container, settings, w -> w.addVideo(width, height, settings, nvenc));
    }

    /**
     * A writer whose video is not encoded but copied from already encoded pieces (a split's renditions, all with the
     * parameters of {@code template}), with everything else from {@code source} as {@link #open} takes it.
     */
    static MediaWriter openCopy(
            Path file, MediaReader source, AVStream template, Container container, EncodeSettings settings)
            throws Failure {
        return open(file, source, container, settings, w -> w.addCopiedVideo(template));
    }

    /** How the video stream is made: encoded, or copied. */
    @FunctionalInterface
    private interface VideoStream {
        void add(MediaWriter writer) throws Failure;
    }

    private static MediaWriter open(
            Path file, MediaReader source, Container container, EncodeSettings settings, VideoStream video)
            throws Failure {
        AVFormatContext out = new AVFormatContext(null);
        int r = avformat_alloc_output_context2(out, null, container.muxer(), file.toString());
        if (r < 0) {
            throw failure("no " + container.muxer() + " muxer: " + MediaError.describe(r));
        }
        MediaWriter writer = new MediaWriter(out, source, container, new ArrayList<>());
        try {
            video.add(writer);
            writer.addCopiedStreams(settings);
            writer.copyChapters();
            out.metadata(Metadata.describing(source.formatContext().metadata()));
            writer.start(file);
            return writer;
        } catch (Failure | RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    private void addCopiedVideo(AVStream template) {
        AVStream in = source.formatContext().streams(source.videoIndex());
        video = avformat_new_stream(out, null);
        avcodec_parameters_copy(video.codecpar(), template.codecpar());
        video.codecpar().codec_tag(0);
        video.time_base(in.time_base());
        video.avg_frame_rate(MediaReader.frameRate(in));
        video.sample_aspect_ratio(template.sample_aspect_ratio());
        video.metadata(Metadata.describing(in.metadata()));
        video.disposition(in.disposition());
    }

    /** Copies one encoded video packet whose timestamps are in {@code timeBase} (copy mode). */
    void writeCopiedVideo(CopiedPacket p, AVRational timeBase) throws Failure {
        mux(p, video.index(), timeBase);
        videoPackets++;
    }

    /** The time base video timestamps are written in: the input video's. */
    AVRational videoTimeBase() {
        return video.time_base();
    }

    private void addVideo(int width, int height, EncodeSettings settings, boolean nvenc) throws Failure {
        AVStream in = source.formatContext().streams(source.videoIndex());
        String codec = settings.codec() != null ? settings.codec() : container.defaultCodec(source.isDeep());
        // the same question the copied streams ask the muxer (WebM holds only VP8/VP9/AV1 video)
        var descriptor = avcodec_descriptor_get_by_name(codec);
        if (descriptor != null
                && !descriptor.isNull()
                && avformat_query_codec(out.oformat(), descriptor.id(), FF_COMPLIANCE_NORMAL) == 0) {
            throw new Failure(
                    ErrorCode.INVALID_JOB,
                    false,
                    Phase.ENCODING,
                    container.label() + " cannot hold " + codec + " video",
                    null);
        }
        AVRational sar = in.sample_aspect_ratio().num() > 0
                ? in.sample_aspect_ratio()
                : in.codecpar().sample_aspect_ratio();
        AVRational rate = settings.frameRate() != null ? rational(settings.frameRate()) : MediaReader.frameRate(in);
        opened = VideoEncoders.open(
                codec,
                width,
                height,
                source.isDeep(),
                in.time_base(),
                rate,
                sar,
                source.colors(),
                settings,
                globalHeader(),
                nvenc,
                warnings);
        encoder = opened.context();
        yuv = new RgbToFrame(width, height, opened.pixelFormat(), source.isDeep(), source.colors());
        video = avformat_new_stream(out, null);
        avcodec_parameters_from_context(video.codecpar(), encoder);
        video.time_base(in.time_base());
        video.avg_frame_rate(rate);
        video.sample_aspect_ratio(sar);
        video.metadata(Metadata.describing(in.metadata()));
        video.disposition(in.disposition());
        for (int type : KEPT_SIDE_DATA) {
            copySideData(in.codecpar(), video.codecpar(), type);
        }
    }

    private void addCopiedStreams(EncodeSettings settings) {
        AVFormatContext in = source.formatContext();
        for (int i = 0; i < in.nb_streams(); i++) {
            if (!source.isCopied(i)) {
                continue;
            }
            AVStream st = in.streams(i);
            AVCodecParameters par = st.codecpar();
            boolean audio = par.codec_type() == AVMEDIA_TYPE_AUDIO;
            if (audio ? !settings.audio() : !settings.subtitles()) {
                continue;
            }
            String what = (audio ? "audio" : "subtitle") + " stream " + i + " (" + MediaReader.codecName(par.codec_id())
                    + ")";
            AVStream o;
            if (avformat_query_codec(out.oformat(), par.codec_id(), FF_COMPLIANCE_NORMAL) != 0) {
                o = avformat_new_stream(out, null);
                avcodec_parameters_copy(o.codecpar(), par);
                o.codecpar().codec_tag(0);
            } else if (!audio && SubtitleConverter.isText(par)) {
                SubtitleConverter converter = SubtitleConverter.open(st, container.subtitleCodec());
                if (converter == null) {
                    warnings.add(what + " dropped: cannot convert it to " + container.subtitleCodec());
                    continue;
                }
                o = avformat_new_stream(out, null);
                converter.describe(o.codecpar());
                converters[i] = converter;
                warnings.add(what + " converted to " + container.subtitleCodec() + " for " + container.label());
            } else if (audio) {
                String codec = container.audioEncoder();
                AudioTranscoder transcoder = AudioTranscoder.open(st, codec, globalHeader());
                if (transcoder == null) {
                    warnings.add(what + " dropped: " + container.label() + " cannot hold it and it cannot be "
                            + "re-encoded; choose container mkv to keep it");
                    continue;
                }
                o = avformat_new_stream(out, null);
                transcoder.describe(o.codecpar());
                converters[i] = transcoder;
                warnings.add(what + " re-encoded to " + codec + ": " + container.label() + " cannot hold it");
            } else {
                warnings.add(what + " dropped: " + container.label() + " cannot hold bitmap subtitles; choose "
                        + "container mkv to keep it");
                continue;
            }
            o.time_base(converters[i] != null ? converters[i].timeBase() : st.time_base());
            o.metadata(Metadata.describing(st.metadata()));
            o.disposition(st.disposition());
            outputOf[i] = o.index();
        }
    }

    private void copyChapters() {
        AVFormatContext in = source.formatContext();
        int n = in.nb_chapters();
        if (n == 0) {
            return;
        }
        // the muxer context frees chapters and their array with av_free: allocate them with av_malloc
        PointerPointer<AVChapter> array = new PointerPointer<>(av_mallocz(8L * n));
        for (int i = 0; i < n; i++) {
            AVChapter from = in.chapters(i);
            AVChapter to = new AVChapter(av_mallocz(Loader.sizeof(AVChapter.class)));
            to.id(from.id()).time_base(from.time_base()).start(from.start()).end(from.end());
            to.metadata(Metadata.describing(from.metadata()));
            array.put(i, to);
        }
        out.chapters(array).nb_chapters(n);
    }

    private void start(Path file) throws Failure {
        AVIOContext pb = new AVIOContext(null);
        int r = avio_open(pb, file.toString(), AVIO_FLAG_WRITE);
        if (r < 0) {
            throw failure("cannot create " + file.getFileName() + ": " + MediaError.describe(r));
        }
        out.pb(pb);
        AVDictionary options = new AVDictionary(null);
        if (container == Container.MP4 || container == Container.MOV) {
            // index first, as delivery services do: players can start before the whole file has arrived
            av_dict_set(options, "movflags", "+faststart", 0);
            // the movie's time scale measures the edit list that says when the video starts: at the default 1/1000
            // a range of frames that starts at 0.916667 s would start at 0.916016 s; the video track's own scale
            // (its time base, doubled up to 10000 as the muxer does) keeps it exact
            av_dict_set(options, "movie_timescale", String.valueOf(movieTimescale(video.time_base())), 0);
        }
        r = avformat_write_header(out, options);
        av_dict_free(options);
        if (r < 0) {
            throw failure(container.muxer() + " rejected the streams: " + MediaError.describe(r));
        }
    }

    /** The MP4 muxer's time scale for a video track of {@code timeBase}: its denominator, doubled up to 10000. */
    static long movieTimescale(AVRational timeBase) {
        long scale = timeBase.den();
        while (scale < 10000) {
            scale *= 2;
        }
        return scale;
    }

    /** The FFmpeg encoder used for video ("libopenh264", "libsvtav1"...). */
    public String encoderName() {
        return opened.encoderName();
    }

    /** What could not be kept as it was (converted or dropped streams, 8-bit output of a 10-bit input...). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public long videoPacketsWritten() {
        return videoPackets;
    }

    /** Encodes one upscaled frame at the input frame's time. */
    public void writeVideo(RgbImage image, long pts, long duration) throws Failure {
        // the first frame after a warm-up starts the output: a keyframe, and the warm-up's packets are dropped
        boolean first = keepFrom == Long.MAX_VALUE;
        if (first) {
            keepFrom = pts;
        }
        encode(image, pts, duration, first);
    }

    /**
     * Encodes a frame shown before the output's first and drops its packets: the encoder (rate control, its
     * reference pictures) reaches the output's first frame in the state it would have in a run over the whole
     * input. The output's first frame, the next {@link #writeVideo}, is then forced to be a keyframe.
     */
    public void warmUp(RgbImage image, long pts, long duration) throws Failure {
        if (videoPackets > 0) {
            throw new IllegalStateException("warm-up after the output began");
        }
        keepFrom = Long.MAX_VALUE;
        encode(image, pts, duration, false);
    }

    private void encode(RgbImage image, long pts, long duration, boolean keyframe) throws Failure {
        AVFrame frame = yuv.convert(image, pts, duration);
        frame.pict_type(keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        int r = avcodec_send_frame(encoder, frame);
        if (r < 0) {
            throw failure("video encode failed: " + MediaError.describe(r));
        }
        drainEncoder();
    }

    /** Copies (or converts) one audio or subtitle packet; packets of dropped streams are ignored. */
    public void writePacket(CopiedPacket p) throws Failure {
        int o = outputOf[p.inputStream()];
        if (o < 0) {
            return;
        }
        StreamConverter converter = converters[p.inputStream()];
        if (converter == null) {
            mux(p, o, source.formatContext().streams(p.inputStream()).time_base());
            return;
        }
        for (CopiedPacket converted : converter.convert(p)) {
            mux(converted, o, converter.timeBase());
        }
    }

    private void mux(CopiedPacket p, int stream, AVRational timeBase) throws Failure {
        p.into(packet);
        packet.stream_index(stream);
        av_packet_rescale_ts(packet, timeBase, out.streams(stream).time_base());
        mux();
    }

    private void drainEncoder() throws Failure {
        while (true) {
            int r = avcodec_receive_packet(encoder, packet);
            if (r == MediaError.AGAIN || r == AVERROR_EOF) {
                return;
            }
            if (r < 0) {
                throw failure("video encode failed: " + MediaError.describe(r));
            }
            if (packet.pts() < keepFrom) {
                av_packet_unref(packet);
                continue;
            }
            av_packet_rescale_ts(packet, encoder.time_base(), video.time_base());
            packet.stream_index(video.index());
            videoPackets++;
            mux();
        }
    }

    private void mux() throws Failure {
        int r = av_interleaved_write_frame(out, packet);
        if (r < 0) {
            throw failure("writing the output failed: " + MediaError.describe(r));
        }
    }

    /** Drains the encoder and writes the index. Without this call the file is unusable. */
    public void finish() throws Failure {
        if (encoder != null) {
            int r = avcodec_send_frame(encoder, null);
            if (r < 0 && r != AVERROR_EOF) {
                throw failure("encoder flush failed: " + MediaError.describe(r));
            }
            drainEncoder();
        }
        for (int i = 0; i < converters.length; i++) {
            if (converters[i] != null) {
                for (CopiedPacket p : converters[i].flush()) {
                    mux(p, outputOf[i], converters[i].timeBase());
                }
            }
        }
        int r = av_write_trailer(out);
        if (r < 0) {
            throw failure("writing the index failed: " + MediaError.describe(r));
        }
    }

    /** Whether the container wants codec headers out of band (MP4, Matroska): encoders must be told. */
    private boolean globalHeader() {
        return (out.oformat().flags() & AVFMT_GLOBALHEADER) != 0;
    }

    private static void copySideData(AVCodecParameters from, AVCodecParameters to, int type) {
        AVPacketSideData sd = av_packet_side_data_get(from.coded_side_data(), from.nb_coded_side_data(), type);
        if (sd == null || sd.isNull()) {
            return;
        }
        try (PointerPointer<AVPacketSideData> array = new PointerPointer<>(1);
                IntPointer count = new IntPointer(1)) {
            array.put(0, to.coded_side_data());
            count.put(to.nb_coded_side_data());
            AVPacketSideData added = av_packet_side_data_new(array, count, type, sd.size(), 0);
            to.coded_side_data(new AVPacketSideData(array.get(0)));
            to.nb_coded_side_data(count.get());
            if (added != null && !added.isNull()) {
                Pointer.memcpy(added.data(), sd.data(), sd.size());
            }
        }
    }

    private static AVRational rational(String text) throws Failure {
        String[] parts = text.split("/");
        try {
            int num = Integer.parseInt(parts[0]);
            int den = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
            if (parts.length <= 2 && num > 0 && den > 0) {
                return av_make_q(num, den);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new Failure(ErrorCode.INVALID_JOB, false, Phase.VALIDATING, "frame rate " + text + " is not n/d", null);
    }

    private static Failure failure(String message) {
        return new Failure(ErrorCode.INTERNAL, false, Phase.ENCODING, message, null);
    }

    @Override
    public void close() {
        for (StreamConverter c : converters) {
            if (c != null) {
                c.close();
            }
        }
        if (yuv != null) {
            yuv.close();
        }
        if (encoder != null) {
            avcodec_free_context(encoder);
        }
        av_packet_free(packet);
        if (out.pb() != null && !out.pb().isNull()) {
            avio_close(out.pb());
            out.pb(null);
        }
        avformat_free_context(out);
    }
}
