package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swresample.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Audio the output container cannot hold (AAC or PCM into WebM, a codec MP4 has no tag for) is decoded and
 * encoded again: Opus for WebM, AAC otherwise. Resampled only where the encoder needs it (Opus runs at 48 kHz);
 * samples are re-blocked to the encoder's frame size and timed from the first input frame, so the stream starts
 * where the input's did.
 */
final class AudioTranscoder implements StreamConverter {
    private final AVCodecContext decoder;
    private final AVCodecContext encoder;
    private final SwrContext resampler;
    private final AVAudioFifo fifo;
    private final AVRational inputTimeBase;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame decoded = av_frame_alloc();
    private final AVFrame block = av_frame_alloc();
    private final int frameSize;
    private long nextPts = AV_NOPTS_VALUE;
    private int stream = -1;

    private AudioTranscoder(
            AVCodecContext decoder, AVCodecContext encoder, SwrContext resampler, AVRational inputTimeBase) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.resampler = resampler;
        this.inputTimeBase = inputTimeBase;
        this.frameSize = encoder.frame_size() > 0 ? encoder.frame_size() : 1024;
        this.fifo =
                av_audio_fifo_alloc(encoder.sample_fmt(), encoder.ch_layout().nb_channels(), frameSize);
    }

    /** A transcoder of {@code in} to {@code encoderName} ("aac", "libopus"), or null when FFmpeg cannot do it. */
    static AudioTranscoder open(AVStream in, String encoderName, boolean globalHeader) {
        AVCodec dec = avcodec_find_decoder(in.codecpar().codec_id());
        AVCodec enc = avcodec_find_encoder_by_name(encoderName);
        if (dec == null || dec.isNull() || enc == null || enc.isNull()) {
            return null;
        }
        AVCodecContext d = avcodec_alloc_context3(dec);
        avcodec_parameters_to_context(d, in.codecpar());
        d.pkt_timebase(in.time_base());
        AVCodecContext e = avcodec_alloc_context3(enc);
        SwrContext swr = null;
        boolean ok = false;
        try {
            if (avcodec_open2(d, dec, (AVDictionary) null) < 0 || d.ch_layout().nb_channels() <= 0) {
                return null;
            }
            e.sample_fmt(first(enc.sample_fmts(), AV_SAMPLE_FMT_FLTP));
            e.sample_rate(sampleRate(enc.supported_samplerates(), d.sample_rate()));
            av_channel_layout_copy(e.ch_layout(), d.ch_layout());
            e.bit_rate(Math.min(320_000, 64_000L * d.ch_layout().nb_channels()));
            e.time_base(av_make_q(1, e.sample_rate()));
            if (globalHeader) {
                e.flags(e.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
            if (avcodec_open2(e, enc, (AVDictionary) null) < 0) {
                return null;
            }
            swr = new SwrContext(null);
            if (swr_alloc_set_opts2(
                                    swr,
                                    e.ch_layout(),
                                    e.sample_fmt(),
                                    e.sample_rate(),
                                    d.ch_layout(),
                                    d.sample_fmt(),
                                    d.sample_rate(),
                                    0,
                                    null)
                            < 0
                    || swr_init(swr) < 0) {
                return null;
            }
            ok = true;
            return new AudioTranscoder(d, e, swr, in.time_base());
        } finally {
            if (!ok) {
                avcodec_free_context(d);
                avcodec_free_context(e);
                if (swr != null && !swr.isNull()) {
                    swr_free(swr);
                }
            }
        }
    }

    private static int first(IntPointer list, int fallback) {
        return list == null || list.isNull() ? fallback : list.get(0);
    }

    /** The input's rate when the encoder takes it, else 48 kHz (Opus's own rate). */
    private static int sampleRate(IntPointer supported, int input) {
        if (supported == null || supported.isNull()) {
            return input;
        }
        for (long i = 0; supported.get(i) != 0; i++) {
            if (supported.get(i) == input) {
                return input;
            }
        }
        return 48_000;
    }

    @Override
    public void describe(AVCodecParameters out) {
        avcodec_parameters_from_context(out, encoder);
    }

    @Override
    public AVRational timeBase() {
        return encoder.time_base();
    }

    @Override
    public List<CopiedPacket> convert(CopiedPacket in) {
        stream = in.inputStream();
        in.into(packet);
        List<CopiedPacket> out = new ArrayList<>();
        try {
            if (avcodec_send_packet(decoder, packet) >= 0) {
                receiveDecoded(out);
            }
        } finally {
            av_packet_unref(packet);
        }
        return out;
    }

    @Override
    public List<CopiedPacket> flush() {
        List<CopiedPacket> out = new ArrayList<>();
        if (stream < 0) {
            return out;
        }
        avcodec_send_packet(decoder, (AVPacket) null);
        receiveDecoded(out);
        resample(null, 0);
        encodeBlocks(true, out);
        avcodec_send_frame(encoder, null);
        receiveEncoded(out);
        return out;
    }

    private void receiveDecoded(List<CopiedPacket> out) {
        while (avcodec_receive_frame(decoder, decoded) == 0) {
            if (nextPts == AV_NOPTS_VALUE) {
                long ts = decoded.best_effort_timestamp();
                nextPts = ts == AV_NOPTS_VALUE ? 0 : av_rescale_q(ts, inputTimeBase, encoder.time_base());
            }
            resample(decoded.extended_data(), decoded.nb_samples());
            av_frame_unref(decoded);
            encodeBlocks(false, out);
        }
    }

    /** Converts {@code samples} input samples (none: drain the resampler) into the FIFO. */
    private void resample(PointerPointer<?> data, int samples) {
        int capacity = swr_get_out_samples(resampler, samples);
        if (capacity <= 0) {
            return;
        }
        AVFrame converted = av_frame_alloc();
        try {
            converted
                    .format(encoder.sample_fmt())
                    .sample_rate(encoder.sample_rate())
                    .nb_samples(capacity);
            av_channel_layout_copy(converted.ch_layout(), encoder.ch_layout());
            av_frame_get_buffer(converted, 0);
            int n = swr_convert(resampler, converted.extended_data(), capacity, data, samples);
            if (n > 0) {
                av_audio_fifo_write(fifo, converted.extended_data(), n);
            }
        } finally {
            av_frame_free(converted);
        }
    }

    /** Encodes whole encoder frames from the FIFO (and the short rest at the end). */
    private void encodeBlocks(boolean last, List<CopiedPacket> out) {
        while (av_audio_fifo_size(fifo) >= frameSize || (last && av_audio_fifo_size(fifo) > 0)) {
            int n = Math.min(frameSize, av_audio_fifo_size(fifo));
            block.format(encoder.sample_fmt())
                    .sample_rate(encoder.sample_rate())
                    .nb_samples(n);
            av_channel_layout_copy(block.ch_layout(), encoder.ch_layout());
            av_frame_get_buffer(block, 0);
            av_audio_fifo_read(fifo, block.extended_data(), n);
            block.pts(nextPts == AV_NOPTS_VALUE ? 0 : nextPts);
            nextPts = block.pts() + n;
            avcodec_send_frame(encoder, block);
            av_frame_unref(block);
            receiveEncoded(out);
        }
    }

    private void receiveEncoded(List<CopiedPacket> out) {
        while (true) {
            int r = avcodec_receive_packet(encoder, packet);
            if (r < 0) {
                return;
            }
            out.add(CopiedPacket.of(packet, stream));
            av_packet_unref(packet);
        }
    }

    @Override
    public void close() {
        avcodec_free_context(decoder);
        avcodec_free_context(encoder);
        swr_free(resampler);
        av_audio_fifo_free(fifo);
        av_packet_free(packet);
        av_frame_free(decoded);
        av_frame_free(block);
    }
}
