package ai.fastvsr.video;

import ai.fastvsr.failure.Failure;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * A synthetic clip with audio for the demo: moving colour bars, a bouncing disc (motion and edges an upscaler
 * has to keep) and a 440 Hz tone. Made here so the demo needs nothing from the internet.
 */
public final class SampleClip {
    private static final int SAMPLE_RATE = 48_000;

    static {
        FfmpegLog.errorsOnly();
    }

    private SampleClip() {}

    public static void write(Path file, int width, int height, int fps, double seconds) throws Failure {
        int frames = (int) Math.round(fps * seconds);
        int samplesPerFrame = SAMPLE_RATE / fps;
        // a generator, not the job path: JavaCV's recorder is enough to make an ordinary H.264 + AAC file
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 1)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("libopenh264");
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setVideoBitrate(2_000_000);
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setSampleRate(SAMPLE_RATE);
            recorder.setAudioChannels(1);
            recorder.start();
            for (int f = 0; f < frames; f++) {
                recorder.recordImage(
                        width,
                        height,
                        Frame.DEPTH_UBYTE,
                        3,
                        width * 3,
                        avutil.AV_PIX_FMT_RGB24,
                        ByteBuffer.wrap(frame(width, height, f, fps).pixels()));
                short[] tone = new short[samplesPerFrame];
                for (int i = 0; i < tone.length; i++) {
                    double t = (f * samplesPerFrame + i) / (double) SAMPLE_RATE;
                    tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * t));
                }
                recorder.recordSamples(SAMPLE_RATE, 1, ShortBuffer.wrap(tone));
            }
            recorder.stop();
        } catch (Exception e) {
            throw new IllegalStateException("sample clip could not be written", e);
        }
    }

    static RgbImage frame(int w, int h, int index, int fps) {
        byte[] px = new byte[w * h * 3];
        double t = index / (double) fps;
        int cx = (int) (w / 2 + w / 3 * Math.sin(2 * Math.PI * 0.5 * t));
        int cy = (int) (h / 2 + h / 4 * Math.cos(2 * Math.PI * 0.7 * t));
        int r2 = (h / 6) * (h / 6);
        int shift = (int) (t * 40);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                int bar = ((x + shift) * 8 / w) % 8;
                int r = (bar & 1) != 0 ? 220 : 30;
                int g = (bar & 2) != 0 ? 200 : 40;
                int b = (bar & 4) != 0 ? 210 : 50;
                int shade = 60 + 195 * y / h;
                int dx = x - cx;
                int dy = y - cy;
                if (dx * dx + dy * dy < r2) {
                    r = 250;
                    g = 250;
                    b = 240;
                    shade = 255;
                }
                px[i] = (byte) (r * shade / 255);
                px[i + 1] = (byte) (g * shade / 255);
                px[i + 2] = (byte) (b * shade / 255);
            }
        }
        return new RgbImage(w, h, px);
    }
}
