package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Joins a split's renditions into one file without re-encoding: their video packets in order, each piece moved
 * in time so its first frame lands on the timestamp the manifest gives it (the input's own), and the input's
 * audio and subtitle streams, chapters and metadata copied once, interleaved by time. The renditions must share
 * their codec parameters (they were encoded by the same worker build with the same settings); otherwise the join
 * fails rather than writing a file whose later pieces a decoder would misread.
 */
public final class SegmentJoin {
    /** One rendition and where its first frame belongs, in the input video's time base. */
    public record Piece(Path file, long firstPts) {}

    /** What was written. */
    public record Joined(long framesWritten, String codec, List<String> warnings) {}

    private SegmentJoin() {}

    public static Joined join(Path input, List<Piece> pieces, Path output, Container container, EncodeSettings settings)
            throws Failure {
        try (MediaReader source = MediaReader.open(input)) {
            source.skipVideo();
            AVFormatContext first = MediaReader.openInput(pieces.get(0).file());
            MediaWriter writer;
            byte[] extradata;
            String codec;
            try {
                AVStream template = first.streams(MediaReader.videoStream(first));
                extradata = extradata(template.codecpar());
                codec = MediaReader.codecName(template.codecpar().codec_id());
                writer = MediaWriter.openCopy(output, source, template, container, settings);
            } finally {
                avformat_close_input(first);
            }
            try (writer) {
                Interleave rest = new Interleave(source, writer);
                long lastDts = Long.MIN_VALUE;
                for (int i = 0; i < pieces.size(); i++) {
                    lastDts = copyPiece(pieces.get(i), i, extradata, writer, rest, lastDts);
                }
                rest.writeUpTo(Double.POSITIVE_INFINITY);
                writer.finish();
                return new Joined(writer.videoPacketsWritten(), codec, writer.warnings());
            }
        }
    }

    /** The input's other packets, written as the video reaches their time. */
    private static final class Interleave {
        private final MediaReader source;
        private final MediaWriter writer;
        private CopiedPacket next;
        private boolean started;

        Interleave(MediaReader source, MediaWriter writer) {
            this.source = source;
            this.writer = writer;
        }

        void writeUpTo(double seconds) throws Failure {
            if (!started) {
                next = (CopiedPacket) source.next();
                started = true;
            }
            while (next != null && seconds(next) <= seconds) {
                writer.writePacket(next);
                next = (CopiedPacket) source.next();
            }
        }

        private double seconds(CopiedPacket p) {
            AVRational tb = source.formatContext().streams(p.inputStream()).time_base();
            long t = p.dts() != AV_NOPTS_VALUE ? p.dts() : p.pts();
            return t == AV_NOPTS_VALUE ? Double.NEGATIVE_INFINITY : t * av_q2d(tb);
        }
    }

    private static long copyPiece(
            Piece piece, int index, byte[] extradata, MediaWriter writer, Interleave rest, long lastDts)
            throws Failure {
        long firstPts = VideoPackets.scan(piece.file()).firstShown();
        AVFormatContext in = MediaReader.openInput(piece.file());
        AVPacket packet = av_packet_alloc();
        try {
            int v = MediaReader.videoStream(in);
            AVStream st = in.streams(v);
            if (!Arrays.equals(extradata, extradata(st.codecpar()))) {
                throw new Failure(
                        ErrorCode.INTERNAL,
                        false,
                        Phase.JOINING,
                        "rendition " + index + " was encoded with other codec parameters than rendition 0: "
                                + "it cannot be joined without re-encoding",
                        null);
            }
            AVRational to = writer.videoTimeBase();
            long offset = piece.firstPts() - av_rescale_q(firstPts, st.time_base(), to);
            for (int r; (r = av_read_frame(in, packet)) != AVERROR_EOF; av_packet_unref(packet)) {
                if (r < 0) {
                    throw MediaError.corrupt("rendition " + index + " unreadable: " + MediaError.describe(r), null);
                }
                if (packet.stream_index() != v) {
                    continue;
                }
                CopiedPacket p = CopiedPacket.of(packet, -1);
                long pts = av_rescale_q(p.pts(), st.time_base(), to) + offset;
                long dts = av_rescale_q(p.dts() != AV_NOPTS_VALUE ? p.dts() : p.pts(), st.time_base(), to) + offset;
                // the muxer wants strictly increasing decode times across the pieces
                dts = Math.min(Math.max(dts, lastDts + 1), pts);
                lastDts = dts;
                rest.writeUpTo(dts * av_q2d(to));
                writer.writeCopiedVideo(
                        new CopiedPacket(
                                -1,
                                pts,
                                dts,
                                av_rescale_q(p.duration(), st.time_base(), to),
                                p.flags(),
                                p.data(),
                                p.sideData()),
                        to);
            }
            return lastDts;
        } finally {
            av_packet_free(packet);
            avformat_close_input(in);
        }
    }

    private static byte[] extradata(AVCodecParameters par) {
        if (par.extradata() == null || par.extradata().isNull() || par.extradata_size() <= 0) {
            return new byte[0];
        }
        byte[] bytes = new byte[par.extradata_size()];
        ByteBuffer.wrap(bytes)
                .put(par.extradata().capacity(par.extradata_size()).asByteBuffer());
        return bytes;
    }
}
