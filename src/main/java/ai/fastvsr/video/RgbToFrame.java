package ai.fastvsr.video;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Upscaled RGB frames to the encoder's YUV format with the matrix and range the output is tagged with: the inverse
 * of {@link FrameToRgb}. Chroma is averaged over each 2x2 block from full-resolution RGB.
 */
final class RgbToFrame implements AutoCloseable {
    private final AVFrame frame;
    private final SwsContext sws;
    private final BytePointer rgb;
    /** The same buffer as 16-bit samples, for deep frames. */
    private final ShortPointer rgb16;

    private final PointerPointer<?> planes;
    private final IntPointer strides;
    private final boolean deep;
    private final int width;
    private final int height;

    RgbToFrame(int width, int height, int yuvFormat, boolean deep, ColorTags colors) {
        this.width = width;
        this.height = height;
        this.deep = deep;
        frame = av_frame_alloc();
        frame.format(yuvFormat).width(width).height(height);
        if (av_frame_get_buffer(frame, 0) < 0) {
            av_frame_free(frame);
            throw new IllegalStateException("cannot allocate a " + width + "x" + height + " frame");
        }
        int src = deep ? AV_PIX_FMT_RGB48LE : AV_PIX_FMT_RGB24;
        sws = sws_getContext(
                width, height, src, width, height, yuvFormat, SWS_BILINEAR, null, null, (DoublePointer) null);
        IntPointer coefficients = sws_getCoefficients(colors.swsMatrix());
        sws_setColorspaceDetails(sws, coefficients, 1, coefficients, colors.swsRange(), 0, 1 << 16, 1 << 16);
        int stride = width * 3 * (deep ? 2 : 1);
        rgb = new BytePointer((long) stride * height);
        rgb16 = new ShortPointer(rgb);
        planes = new PointerPointer<>(4).put(0, rgb);
        strides = new IntPointer(4).put(0, stride);
    }

    /** The frame to send to the encoder, valid until the next call; times in the encoder's time base. */
    AVFrame convert(RgbImage image, long pts, long duration) {
        if (image.width() != width || image.height() != height || image.isDeep() != deep) {
            throw new IllegalArgumentException(
                    "frame " + image.width() + "x" + image.height() + " (deep " + image.isDeep()
                            + ") does not match the encoder's " + width + "x" + height + " (deep " + deep + ")");
        }
        if (deep) {
            rgb16.put(image.deepPixels());
        } else {
            rgb.put(image.pixels());
        }
        // the encoder may still reference the previous frame's buffers
        if (av_frame_make_writable(frame) < 0) {
            throw new IllegalStateException("cannot make the frame writable");
        }
        sws_scale(sws, planes, strides, 0, height, frame.data(), frame.linesize());
        frame.pts(pts).duration(duration);
        return frame;
    }

    @Override
    public void close() {
        sws_freeContext(sws);
        av_frame_free(frame);
        rgb.close();
        planes.close();
        strides.close();
    }
}
