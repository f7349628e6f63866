package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB48LE;
import static org.bytedeco.ffmpeg.global.swscale.*;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Decoded YUV frames to RGB with the input's matrix and range ({@link ColorTags}), to 8-bit RGB for 8-bit sources
 * and 16-bit RGB for deeper ones. swscale runs as the ffmpeg CLI runs it with {@code -sws_flags bilinear}, so a
 * reference made with the CLI compares with our frames sample for sample (measured: identical RGB on testsrc2).
 * Its "accurate" flags ({@code SWS_ACCURATE_RND}, {@code SWS_FULL_CHR_H_INT}) interpolate chroma differently on
 * sharp colour edges: 22.6 dB against the CLI on the same frames, for no visible gain on real video.
 */
final class FrameToRgb implements AutoCloseable {
    private final ColorTags colors;
    private final boolean deep;
    private SwsContext sws;
    private BytePointer rgb;
    /** The same buffer as 16-bit samples, for deep frames. */
    private ShortPointer rgb16;

    private PointerPointer<?> planes;
    private IntPointer strides;
    private int width = -1;
    private int height = -1;
    private int format = -1;

    FrameToRgb(ColorTags colors, boolean deep) {
        this.colors = colors;
        this.deep = deep;
    }

    RgbImage convert(AVFrame frame) {
        int w = frame.width();
        int h = frame.height();
        if (w != width || h != height || frame.format() != format) {
            reinit(w, h, frame.format());
        }
        sws_scale(sws, frame.data(), frame.linesize(), 0, h, planes, strides);
        int n = w * h * 3;
        if (deep) {
            short[] px = new short[n];
            rgb16.get(px);
            return new RgbImage(w, h, px);
        }
        byte[] px = new byte[n];
        rgb.get(px);
        return new RgbImage(w, h, px);
    }

    /** Frames may change size or format mid-stream (a new sequence header); the converter follows. */
    private void reinit(int w, int h, int srcFormat) {
        freeNative();
        int dst = deep ? AV_PIX_FMT_RGB48LE : AV_PIX_FMT_RGB24;
        sws = sws_getContext(w, h, srcFormat, w, h, dst, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new IllegalStateException("swscale cannot convert pixel format " + srcFormat + " to RGB");
        }
        IntPointer coefficients = sws_getCoefficients(colors.swsMatrix());
        sws_setColorspaceDetails(sws, coefficients, colors.swsRange(), coefficients, 1, 0, 1 << 16, 1 << 16);
        int stride = w * 3 * (deep ? 2 : 1);
        rgb = new BytePointer((long) stride * h);
        rgb16 = new ShortPointer(rgb);
        planes = new PointerPointer<>(4).put(0, rgb);
        strides = new IntPointer(4).put(0, stride);
        width = w;
        height = h;
        format = srcFormat;
    }

    private void freeNative() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (rgb != null) {
            rgb.close();
            planes.close();
            strides.close();
            rgb = null;
        }
    }

    @Override
    public void close() {
        freeNative();
    }
}
