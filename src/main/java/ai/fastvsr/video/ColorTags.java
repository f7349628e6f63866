package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avutil.*;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.javacpp.BytePointer;

/**
 * How a YUV stream's numbers mean colours: primaries, transfer function, matrix and range, as FFmpeg's
 * {@code AVCOL_*} values. The decoder converts to RGB with the input's matrix and range and the encoder converts
 * back with the same ones and writes the same four tags, so a BT.709 input does not come back with BT.601 colours.
 */
public record ColorTags(int primaries, int transfer, int matrix, int range) {

    public static ColorTags of(AVCodecParameters p) {
        return new ColorTags(p.color_primaries(), p.color_trc(), p.color_space(), p.color_range());
    }

    /**
     * Unspecified tags replaced by what players assume for a picture of this height: BT.709 from 720 lines up,
     * BT.601 (SMPTE 170M) below, limited range. The output is written with these explicit tags because players would
     * assume HD colours for the 4x larger output of an untagged SD input.
     */
    public ColorTags resolvedFor(int height) {
        boolean hd = height >= 720;
        int m = matrix == AVCOL_SPC_UNSPECIFIED || matrix == AVCOL_SPC_RESERVED
                ? (hd ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M)
                : matrix;
        int p = primaries == AVCOL_PRI_UNSPECIFIED
                        || primaries == AVCOL_PRI_RESERVED0
                        || primaries == AVCOL_PRI_RESERVED
                ? primariesFor(m, hd)
                : primaries;
        int t = transfer == AVCOL_TRC_UNSPECIFIED || transfer == AVCOL_TRC_RESERVED0 || transfer == AVCOL_TRC_RESERVED
                ? (m == AVCOL_SPC_SMPTE170M || m == AVCOL_SPC_BT470BG ? AVCOL_TRC_SMPTE170M : AVCOL_TRC_BT709)
                : transfer;
        int r = range == AVCOL_RANGE_UNSPECIFIED ? AVCOL_RANGE_MPEG : range;
        return new ColorTags(p, t, m, r);
    }

    private static int primariesFor(int matrix, boolean hd) {
        return switch (matrix) {
            case AVCOL_SPC_BT709 -> AVCOL_PRI_BT709;
            case AVCOL_SPC_BT470BG -> AVCOL_PRI_BT470BG;
            case AVCOL_SPC_SMPTE170M -> AVCOL_PRI_SMPTE170M;
            case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL -> AVCOL_PRI_BT2020;
            default -> hd ? AVCOL_PRI_BT709 : AVCOL_PRI_SMPTE170M;
        };
    }

    /** Limited (16-235) or full (0-255) range, as swscale wants it: 1 for full. */
    public int swsRange() {
        return range == AVCOL_RANGE_JPEG ? 1 : 0;
    }

    /** The matrix as swscale's {@code SWS_CS_*} (the same numbers as {@code AVCOL_SPC_*} for the ones it knows). */
    public int swsMatrix() {
        return switch (matrix) {
            case AVCOL_SPC_BT709,
                    AVCOL_SPC_FCC,
                    AVCOL_SPC_BT470BG,
                    AVCOL_SPC_SMPTE170M,
                    AVCOL_SPC_SMPTE240M,
                    AVCOL_SPC_BT2020_NCL,
                    AVCOL_SPC_BT2020_CL -> matrix;
            default -> AVCOL_SPC_BT709;
        };
    }

    public void applyTo(AVCodecContext encoder) {
        encoder.color_primaries(primaries);
        encoder.color_trc(transfer);
        encoder.colorspace(matrix);
        encoder.color_range(range);
    }

    public String primariesName() {
        return name(av_color_primaries_name(primaries));
    }

    public String transferName() {
        return name(av_color_transfer_name(transfer));
    }

    public String matrixName() {
        return name(av_color_space_name(matrix));
    }

    public String rangeName() {
        return name(av_color_range_name(range));
    }

    private static String name(BytePointer p) {
        return p == null || p.isNull() ? "unknown" : p.getString();
    }
}
