package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVSubtitle;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Text subtitles the output container cannot hold as they are (SubRip or ASS into MP4, anything into WebM) are
 * decoded and encoded again in the container's subtitle format, cue by cue, keeping each cue's timing.
 * Bitmap subtitles (DVD, PGS) have no such path; the writer drops them with a warning.
 */
final class SubtitleConverter implements StreamConverter {
    private static final int MAX_CUE_BYTES = 1 << 16;
    private final AVCodecContext decoder;
    private final AVCodecContext encoder;
    private final AVSubtitle subtitle = new AVSubtitle();
    private final AVPacket packet = av_packet_alloc();
    private final BytePointer buffer = new BytePointer(MAX_CUE_BYTES);
    private final IntPointer got = new IntPointer(1);
    private final AVRational timeBase;

    private SubtitleConverter(AVCodecContext decoder, AVCodecContext encoder, AVRational timeBase) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.timeBase = timeBase;
    }

    /** Whether a stream's codec is text (and so can be converted). */
    static boolean isText(AVCodecParameters par) {
        AVCodecDescriptor d = avcodec_descriptor_get(par.codec_id());
        return d != null && !d.isNull() && (d.props() & AV_CODEC_PROP_TEXT_SUB) != 0;
    }

    /** A converter from {@code in}'s codec to {@code encoderName}, or null when FFmpeg cannot do it. */
    static SubtitleConverter open(AVStream in, String encoderName) {
        AVCodec dec = avcodec_find_decoder(in.codecpar().codec_id());
        AVCodec enc = avcodec_find_encoder_by_name(encoderName);
        if (dec == null || dec.isNull() || enc == null || enc.isNull()) {
            return null;
        }
        AVCodecContext d = avcodec_alloc_context3(dec);
        AVCodecContext e = avcodec_alloc_context3(enc);
        avcodec_parameters_to_context(d, in.codecpar());
        d.pkt_timebase(in.time_base());
        if (avcodec_open2(d, dec, (AVDictionary) null) < 0) {
            avcodec_free_context(d);
            avcodec_free_context(e);
            return null;
        }
        e.time_base(in.time_base());
        // text encoders style their cues from the decoder's ASS header, as the ffmpeg CLI passes it on
        int size = d.subtitle_header_size();
        if (size > 0) {
            BytePointer header = new BytePointer(av_mallocz(size + 1L));
            Pointer.memcpy(header, d.subtitle_header(), size);
            e.subtitle_header(header).subtitle_header_size(size);
        }
        if (avcodec_open2(e, enc, (AVDictionary) null) < 0) {
            avcodec_free_context(d);
            avcodec_free_context(e);
            return null;
        }
        return new SubtitleConverter(d, e, in.time_base());
    }

    @Override
    public void describe(AVCodecParameters out) {
        avcodec_parameters_from_context(out, encoder);
    }

    @Override
    public AVRational timeBase() {
        return timeBase;
    }

    @Override
    public List<CopiedPacket> flush() {
        return List.of();
    }

    /** The cue of {@code in} in the new format (none when the packet holds none). */
    @Override
    public List<CopiedPacket> convert(CopiedPacket in) {
        in.into(packet);
        try {
            if (avcodec_decode_subtitle2(decoder, subtitle, got, packet) < 0 || got.get() == 0) {
                return List.of();
            }
            try {
                int size = avcodec_encode_subtitle(encoder, buffer, MAX_CUE_BYTES, subtitle);
                if (size <= 0) {
                    return List.of();
                }
                byte[] data = new byte[size];
                buffer.get(data);
                long duration = in.duration() > 0
                        ? in.duration()
                        : av_rescale_q(
                                subtitle.end_display_time() - subtitle.start_display_time(),
                                av_make_q(1, 1000),
                                timeBase);
                return List.of(new CopiedPacket(
                        in.inputStream(), in.pts(), in.dts(), duration, AV_PKT_FLAG_KEY, data, List.of()));
            } finally {
                avsubtitle_free(subtitle);
            }
        } finally {
            av_packet_unref(packet);
        }
    }

    @Override
    public void close() {
        avcodec_free_context(decoder);
        avcodec_free_context(encoder);
        av_packet_free(packet);
        buffer.close();
        got.close();
    }
}
