package ai.fastvsr.video;

import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Re-encodes one copied stream the output container cannot hold as it is (audio to AAC or Opus, text subtitles to
 * the container's format). Packets come in with the input stream's times and leave in {@link #timeBase()}.
 */
interface StreamConverter extends AutoCloseable {
    /** Fills the output stream's parameters. */
    void describe(AVCodecParameters out);

    /** The time base of the packets this converter returns. */
    AVRational timeBase();

    List<CopiedPacket> convert(CopiedPacket in);

    /** What the converter still holds at the end of the input. */
    List<CopiedPacket> flush();

    @Override
    void close();
}
