package ai.fastvsr.inference.gpu;

import ai.fastvsr.video.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Frames into and out of host memory the GPU copies from: an {@link RgbImage} is already packed RGB rows without
 * padding, so each frame is one bulk copy (a native memcpy), never a loop over pixels in Java. 16-bit frames go
 * as 16-bit samples.
 */
final class FramePacking {
    private FramePacking() {}

    /** Writes the clip's frames one after another at the start of {@code host}. */
    static void pack(List<RgbImage> clip, ClipGeometry g, BytePointer host) {
        long frameBytes = g.inputFrameBytes();
        for (int f = 0; f < clip.size(); f++) {
            RgbImage frame = clip.get(f);
            if (g.deep()) {
                short[] samples = frame.deepPixels();
                shorts(host, f * frameBytes).put(samples, 0, samples.length);
            } else {
                byte[] samples = frame.pixels();
                host.position(f * frameBytes).put(samples, 0, samples.length);
            }
        }
        host.position(0);
    }

    /** Reads {@code g.t()} output frames (cropped, packed) from the start of {@code host}. */
    static List<RgbImage> unpack(ClipGeometry g, BytePointer host) {
        long frameBytes = g.outputFrameBytes();
        int ow = g.outWidth();
        int oh = g.outHeight();
        int n = 3 * ow * oh;
        List<RgbImage> out = new ArrayList<>(g.t());
        for (int f = 0; f < g.t(); f++) {
            if (g.deep()) {
                short[] samples = new short[n];
                shorts(host, f * frameBytes).get(samples, 0, n);
                out.add(new RgbImage(ow, oh, samples));
            } else {
                byte[] samples = new byte[n];
                host.position(f * frameBytes).get(samples, 0, n);
                out.add(new RgbImage(ow, oh, samples));
            }
        }
        host.position(0);
        return out;
    }

    /** 16-bit samples at a byte offset (a ShortPointer's position counts shorts, not bytes). */
    private static ShortPointer shorts(BytePointer host, long byteOffset) {
        ShortPointer shorts = new ShortPointer(host.position(0));
        return shorts.position(byteOffset / Short.BYTES);
    }
}
