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
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * Cuts the input's video stream into MP4 files by stream copy (no re-encode), each a run of packets in decode
 * order that starts at a keyframe, with the input's timestamps and time base. Pieces may overlap (context frames
 * for the model); the input is read once whatever the number of pieces.
 */
public final class SegmentFiles {
    /** Packets {@code from} (a keyframe) to {@code to} (exclusive), in decode order, into {@code file}. */
    public record Piece(int from, int to, Path file) {}

    private SegmentFiles() {}

    public static void cut(Path input, List<Piece> pieces) throws Failure {
        AVFormatContext in = MediaReader.openInput(input);
        AVPacket packet = av_packet_alloc();
        List<Open> open = new ArrayList<>();
        try {
            int video = MediaReader.videoStream(in);
            AVStream st = in.streams(video);
            int index = 0;
            int next = 0;
            for (int r; (r = av_read_frame(in, packet)) != AVERROR_EOF; av_packet_unref(packet)) {
                if (r < 0) {
                    throw MediaError.corrupt("reading failed at packet " + index + ": " + MediaError.describe(r), null);
                }
                if (packet.stream_index() != video) {
                    continue;
                }
                while (next < pieces.size() && pieces.get(next).from() == index) {
                    open.add(Open.start(pieces.get(next++), st));
                }
                for (Open o : open) {
                    o.write(packet, st);
                }
                index++;
                for (var it = open.iterator(); it.hasNext(); ) {
                    Open o = it.next();
                    if (o.piece().to() == index) {
                        it.remove();
                        o.finish();
                    }
                }
            }
            if (!open.isEmpty() || next < pieces.size()) {
                throw MediaError.corrupt("the video stream ended at packet " + index + " before its last piece", null);
            }
        } finally {
            open.forEach(Open::close);
            av_packet_free(packet);
            avformat_close_input(in);
        }
    }

    /** One piece being written. */
    private record Open(Piece piece, AVFormatContext out, AVPacket copy) {
        static Open start(Piece piece, AVStream from) throws Failure {
            AVFormatContext out = new AVFormatContext(null);
            String file = piece.file().toString();
            if (avformat_alloc_output_context2(out, null, "mp4", file) < 0) {
                throw new IllegalStateException("no mp4 muxer");
            }
            Open o = new Open(piece, out, av_packet_alloc());
            AVStream st = avformat_new_stream(out, null);
            avcodec_parameters_copy(st.codecpar(), from.codecpar());
            st.codecpar().codec_tag(0);
            st.time_base(from.time_base());
            AVIOContext pb = new AVIOContext(null);
            int r = avio_open(pb, file, AVIO_FLAG_WRITE);
            if (r < 0) {
                o.close();
                throw new IllegalStateException("cannot create " + file + ": " + MediaError.describe(r));
            }
            out.pb(pb);
            AVDictionary options = new AVDictionary(null);
            // no edit list: with B-frames the muxer's list ends at the last packet's decode time and a reader drops
            // the last frames shown after it; a piece's frames only need their spacing, the join places them
            av_dict_set(options, "use_editlist", "0", 0);
            r = avformat_write_header(out, options);
            av_dict_free(options);
            if (r < 0) {
                o.close();
                throw MediaError.unsupported(
                        "the video stream cannot be cut into MP4 pieces: " + MediaError.describe(r));
            }
            return o;
        }

        void write(AVPacket packet, AVStream from) throws Failure {
            av_packet_ref(copy, packet);
            copy.stream_index(0);
            av_packet_rescale_ts(copy, from.time_base(), out.streams(0).time_base());
            copy.pos(-1);
            int r = av_interleaved_write_frame(out, copy);
            av_packet_unref(copy);
            if (r < 0) {
                throw MediaError.corrupt("cannot copy a video packet into a piece: " + MediaError.describe(r), null);
            }
        }

        void finish() throws Failure {
            int r = av_write_trailer(out);
            close();
            if (r < 0) {
                throw MediaError.corrupt("cannot finish a piece: " + MediaError.describe(r), null);
            }
        }

        void close() {
            if (out.pb() != null && !out.pb().isNull()) {
                avio_close(out.pb());
                out.pb(null);
            }
            avformat_free_context(out);
            av_packet_free(copy);
        }
    }
}
