package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import ai.fastvsr.failure.Failure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * The input's video packets in file (decode) order, read without decoding: their presentation times and which are
 * keyframes. What a split is planned from; one packet is one frame.
 *
 * @param timeBaseNum the video stream's time base
 * @param startShift  what the reader subtracts from every timestamp (a positive container start time), in the
 *                    video's time base
 * @param pts         each packet's presentation time, in decode order
 * @param keys        whether each packet is a keyframe
 * @param rateNum     the stream's average frame rate, as the frame path reads it
 */
public record VideoPackets(
        int timeBaseNum, int timeBaseDen, long startShift, long[] pts, boolean[] keys, int rateNum, int rateDen) {

    public static VideoPackets scan(Path file) throws Failure {
        AVFormatContext format = MediaReader.openInput(file);
        AVPacket packet = av_packet_alloc();
        try {
            int video = MediaReader.videoStream(format);
            AVStream st = format.streams(video);
            long shift = av_rescale_q(MediaReader.startShift(format), av_make_q(1, AV_TIME_BASE), st.time_base());
            List<long[]> read = new ArrayList<>();
            long last = AV_NOPTS_VALUE;
            for (int r; (r = av_read_frame(format, packet)) != AVERROR_EOF; ) {
                if (r < 0) {
                    throw MediaError.corrupt(
                            "reading failed after packet " + read.size() + ": " + MediaError.describe(r), null);
                }
                if (packet.stream_index() == video) {
                    long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                    if (pts == AV_NOPTS_VALUE) {
                        throw MediaError.unsupported(
                                "video packet " + read.size() + " has no timestamp: " + "cannot be split at keyframes");
                    }
                    last = pts;
                    read.add(new long[] {pts, (packet.flags() & AV_PKT_FLAG_KEY) != 0 ? 1 : 0});
                }
                av_packet_unref(packet);
            }
            if (read.isEmpty() || last == AV_NOPTS_VALUE) {
                throw MediaError.corrupt("the video stream has no packets", null);
            }
            long[] pts = new long[read.size()];
            boolean[] keys = new boolean[read.size()];
            for (int i = 0; i < pts.length; i++) {
                pts[i] = read.get(i)[0];
                keys[i] = read.get(i)[1] == 1;
            }
            AVRational rate = MediaReader.frameRate(st);
            return new VideoPackets(
                    st.time_base().num(), st.time_base().den(), shift, pts, keys, rate.num(), rate.den());
        } finally {
            av_packet_free(packet);
            avformat_close_input(format);
        }
    }

    /** The frame rate an unsplit run's encoder is set up for (the stream's average), as rational text. */
    public String frameRate() {
        return rateNum + "/" + rateDen;
    }

    /** The first presentation time (the smallest). */
    public long firstShown() {
        return java.util.Arrays.stream(pts).min().orElseThrow();
    }

    public int count() {
        return pts.length;
    }

    /** A time in this stream's time base, in seconds. */
    public double seconds(long ticks) {
        return ticks * (double) timeBaseNum / timeBaseDen;
    }
}
