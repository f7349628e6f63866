package ai.fastvsr.video;

import ai.fastvsr.job.JobFailure;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Reads a media file in presentation order: video frames as {@link RgbImage}, audio as JavaCV sample frames that go
 * straight to the encoder. Frames returned by {@link #next()} are only valid until the next call (JavaCV reuses
 * its buffers), except the {@link RgbImage}s, which are copies.
 */
public final class VideoDecoder implements AutoCloseable {
    static {
        FfmpegLog.errorsOnly();
    }

    private final FFmpegFrameGrabber grabber;
    private final MediaInfo info;
    private final StreamTags tags;

    private VideoDecoder(FFmpegFrameGrabber grabber, MediaInfo info, StreamTags tags) {
        this.grabber = grabber;
        this.info = info;
        this.tags = tags;
    }

    /**
     * Demuxers a job's input may use: media containers only. Playlist and concat demuxers (hls, dash, concat,
     * ffconcat, image2 sequences...) are absent on purpose: they make FFmpeg open other files or URLs named inside
     * an untrusted input.
     */
    static final String FORMAT_WHITELIST = String.join(",", "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska",
            "webm", "avi", "mpegts", "flv", "mxf", "mpeg", "mpegvideo", "h264", "hevc", "m4v", "ivf", "obu", "asf",
            "yuv4mpegpipe", "dv", "gxf", "ogg");
    /** Bytes / microseconds FFmpeg may read to find the streams: enough for any sane container, bounded for junk. */
    static final String PROBE_SIZE = String.valueOf(10 << 20);
    static final String ANALYZE_DURATION = String.valueOf(10_000_000);

    public static VideoDecoder open(Path file) throws JobFailure {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        // the input is untrusted: local file access only, media demuxers only, bounded probing
        grabber.setOption("protocol_whitelist", "file");
        grabber.setOption("format_whitelist", FORMAT_WHITELIST);
        grabber.setOption("probesize", PROBE_SIZE);
        grabber.setOption("analyzeduration", ANALYZE_DURATION);
        grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        // interpolate chroma to full resolution before converting: the model sees colour edges where they are
        grabber.setImageScalingFlags(swscale.SWS_BILINEAR);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(grabber);
            throw MediaError.corrupt("FFmpeg cannot open the input as video: " + MediaError.ffmpegReason(e), e);
        }
        if (!grabber.hasVideo() || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber);
            throw MediaError.unsupported("input has no video stream");
        }
        var rate = grabber.getVideoFrameRate() > 0 ? rational(grabber) : new int[] {25, 1};
        // the longer of the container's and the streams' durations: limits must hold against what a file claims
        long containerMs = Math.max(0, grabber.getFormatContext().duration()) / 1000;
        MediaInfo info = new MediaInfo(grabber.getVideoCodecName(), grabber.getImageWidth(), grabber.getImageHeight(),
                rate[0], rate[1], grabber.getLengthInVideoFrames(), Math.max(containerMs, grabber.getLengthInTime() / 1000),
                grabber.hasAudio() ? 1 : 0, grabber.getAudioChannels(), grabber.getSampleRate());
        StreamTags tags = new StreamTags(grabber.getDisplayRotation(), grabber.getAspectRatio(),
                grabber.getMetadata(), grabber.getVideoMetadata(), grabber.getAudioMetadata());
        return new VideoDecoder(grabber, info, tags);
    }

    public MediaInfo info() {
        return info;
    }

    /** Rotation, aspect and metadata the output must keep. */
    public StreamTags tags() {
        return tags;
    }

    /** The next frame, or null at the end. Exactly one of {@link Decoded#image()} and {@link Decoded#audio()} is set. */
    public Decoded next() throws JobFailure {
        try {
            Frame frame;
            while ((frame = grabber.grab()) != null) {
                if (frame.image != null) {
                    return new Decoded(copyRgb(frame), null, frame.timestamp);
                }
                if (frame.samples != null) {
                    return new Decoded(null, frame, frame.timestamp);
                }
            }
            return null;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw MediaError.corrupt("decoding failed: " + e.getMessage(), e);
        }
    }

    /** A decoded frame: a video image or an audio chunk, with its presentation time in microseconds. */
    public record Decoded(RgbImage image, Frame audio, long timestampMicros) {
    }

    private static RgbImage copyRgb(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int rowBytes = w * 3;
        byte[] out = new byte[rowBytes * h];
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        for (int y = 0; y < h; y++) {
            src.position(y * frame.imageStride);
            src.get(out, y * rowBytes, rowBytes);
        }
        return new RgbImage(w, h, out);
    }

    private static int[] rational(FFmpegFrameGrabber grabber) {
        var stream = grabber.getFormatContext().streams(grabber.getVideoStream());
        var r = stream.avg_frame_rate();
        if (r.num() > 0 && r.den() > 0) {
            return new int[] {r.num(), r.den()};
        }
        r = stream.r_frame_rate();
        return new int[] {r.num(), r.den()};
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (Exception ignored) {
            // already failing; the first error is the one worth reporting
        }
    }

    @Override
    public void close() throws Exception {
        grabber.close();
    }
}
