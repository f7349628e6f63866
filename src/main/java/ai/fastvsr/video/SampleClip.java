package ai.fastvsr.video;

import ai.fastvsr.job.JobFailure;
import java.nio.ShortBuffer;
import java.nio.file.Path;

/**
 * A synthetic clip with audio for the demo: moving colour bars, a bouncing disc (motion and edges an upscaler
 * has to keep) and a 440 Hz tone. Made here so the demo needs nothing from the internet.
 */
public final class SampleClip {
    private static final int SAMPLE_RATE = 48_000;

    private SampleClip() {
    }

    public static void write(Path file, int width, int height, int fps, double seconds) throws JobFailure {
        int frames = (int) Math.round(fps * seconds);
        int samplesPerFrame = SAMPLE_RATE / fps;
        try (VideoEncoder encoder = VideoEncoder.open(file, width, height, fps, 1, 1, SAMPLE_RATE,
                new EncodeSettings("h264", 18, "medium", 2_000_000L))) {
            for (int f = 0; f < frames; f++) {
                encoder.writeVideo(frame(width, height, f, fps));
                short[] tone = new short[samplesPerFrame];
                for (int i = 0; i < tone.length; i++) {
                    double t = (f * samplesPerFrame + i) / (double) SAMPLE_RATE;
                    tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * t));
                }
                encoder.writeAudio(SAMPLE_RATE, 1, ShortBuffer.wrap(tone));
            }
            encoder.finish();
        } catch (JobFailure e) {
            throw e;
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
