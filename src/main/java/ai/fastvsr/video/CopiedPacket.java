package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.javacpp.BytePointer;

/**
 * An audio or subtitle packet passed through untouched, held on the Java heap so it can wait in the pipeline's
 * queues without native memory to free on every path. Timestamps are in the input stream's time base.
 */
public record CopiedPacket(
        int inputStream, long pts, long dts, long duration, int flags, byte[] data, List<SideData> sideData)
        implements MediaReader.Item {

    /** Packet side data (AAC priming to skip, new extradata...), kept because decoders need it. */
    public record SideData(int type, byte[] data) {}

    static CopiedPacket of(AVPacket pkt) {
        return of(pkt, pkt.stream_index());
    }

    /** A copy of {@code pkt} attributed to input stream {@code stream}. */
    static CopiedPacket of(AVPacket pkt, int stream) {
        byte[] data = new byte[pkt.size()];
        if (data.length > 0) {
            pkt.data().get(data);
        }
        List<SideData> side = new ArrayList<>(pkt.side_data_elems());
        for (int i = 0; i < pkt.side_data_elems(); i++) {
            AVPacketSideData sd = pkt.side_data().getPointer(i);
            byte[] bytes = new byte[(int) sd.size()];
            sd.data().get(bytes);
            side.add(new SideData(sd.type(), bytes));
        }
        return new CopiedPacket(stream, pkt.pts(), pkt.dts(), pkt.duration(), pkt.flags(), data, List.copyOf(side));
    }

    /** Fills {@code pkt} (unreferenced) with this packet's bytes and timestamps. */
    void into(AVPacket pkt) {
        if (av_new_packet(pkt, data.length) < 0) {
            throw new OutOfMemoryError("av_new_packet(" + data.length + ")");
        }
        if (data.length > 0) {
            pkt.data().put(data);
        }
        for (SideData sd : sideData) {
            BytePointer p = av_packet_new_side_data(pkt, sd.type(), sd.data().length);
            if (p != null && !p.isNull()) {
                p.put(sd.data());
            }
        }
        pkt.pts(pts).dts(dts).duration(duration).flags(flags).pos(-1);
    }
}
