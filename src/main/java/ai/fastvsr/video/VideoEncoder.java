package ai.fastvsr.video;

import ai.fastvsr.job.ErrorCode;
import ai.fastvsr.job.JobFailure;
import ai.fastvsr.job.Phase;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes the upscaled video as MP4 (yuv420p) at the input's frame rate, with the input's audio re-encoded to AAC.
 * Video timestamps are frame indices, so the output has exactly as many frames as were written.
 */
public final class VideoEncoder implements AutoCloseable {
    static {
        FfmpegLog.errorsOnly();
    }

    private final FFmpegFrameRecorder recorder;
    private final String codecName;
    private boolean finished;

    private VideoEncoder(FFmpegFrameRecorder recorder, String codecName) {
        this.recorder = recorder;
        this.codecName = codecName;
    }

    /**
     * @param audioChannels 0 for no audio track
     */
    public static VideoEncoder open(Path file, int width, int height, int frameRateNum, int frameRateDen,
                                    int audioChannels, int sampleRate, EncodeSettings settings) throws JobFailure {
        return open(file, width, height, frameRateNum, frameRateDen, audioChannels, sampleRate, settings,
                StreamTags.NONE);
    }

    /** @param tags what the input said about itself that stays true of the output (rotation, SAR, metadata) */
    public static VideoEncoder open(Path file, int width, int height, int frameRateNum, int frameRateDen,
                                    int audioChannels, int sampleRate, EncodeSettings settings, StreamTags tags)
            throws JobFailure {
        String encoder = h264Encoder();
        if (!"h264".equals(settings.codec())) {
            throw new JobFailure(ErrorCode.INVALID_JOB, false, Phase.ENCODING,
                    "codec " + settings.codec() + " is not available in this build; use h264", null);
        }
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, audioChannels);
        recorder.setFormat("mp4");
        recorder.setVideoCodecName(encoder);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        // average chroma over each 2x2 block (full-resolution chroma input) instead of picking every other sample
        recorder.setImageScalingFlags(swscale.SWS_BILINEAR);
        recorder.setFrameRate((double) frameRateNum / frameRateDen);
        recorder.setGopSize(Math.max(1, (int) Math.round(2.0 * frameRateNum / frameRateDen)));
        if ("libx264".equals(encoder)) {
            recorder.setVideoOption("crf", String.valueOf(settings.crf()));
            recorder.setVideoOption("preset", settings.preset());
        } else {
            recorder.setVideoBitrate((int) Math.min(Integer.MAX_VALUE,
                    settings.bitrateFor(width, height, (double) frameRateNum / frameRateDen)));
        }
        if (tags.displayRotation() != 0) {
            recorder.setDisplayRotation(tags.displayRotation());
        }
        if (tags.sampleAspectRatio() > 0) {
            recorder.setAspectRatio(tags.sampleAspectRatio());
        }
        recorder.setMetadata(tags.container());
        recorder.setVideoMetadata(tags.video());
        recorder.setAudioMetadata(tags.audio());
        if (audioChannels > 0) {
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setSampleRate(sampleRate);
            recorder.setAudioChannels(audioChannels);
            recorder.setAudioBitrate(160_000);
        }
        try {
            recorder.start();
        } catch (Exception e) {
            closeQuietly(recorder);
            // the usual cause is a size beyond the encoder's levels (openh264 stops below 8K)
            throw new JobFailure(ErrorCode.UNSUPPORTED_MEDIA, false, Phase.ENCODING, encoder + " cannot encode "
                    + width + "x" + height + " (" + e.getMessage() + "); the -Pgpl build's libx264 reaches larger "
                    + "sizes", e);
        }
        return new VideoEncoder(recorder, encoder);
    }

    private static void closeQuietly(FFmpegFrameRecorder recorder) {
        try {
            recorder.release();
            recorder.close();
        } catch (Exception ignored) {
            // already failing
        }
    }

    /** libx264 where the FFmpeg build has it (-Pgpl), else the LGPL build's openh264. */
    static String h264Encoder() {
        return avcodec.avcodec_find_encoder_by_name("libx264") != null ? "libx264" : "libopenh264";
    }

    public String codecName() {
        return codecName;
    }

    public void writeVideo(RgbImage image) throws JobFailure {
        try {
            recorder.recordImage(image.width(), image.height(), Frame.DEPTH_UBYTE, 3, image.width() * 3,
                    avutil.AV_PIX_FMT_RGB24, ByteBuffer.wrap(image.pixels()));
        } catch (Exception e) {
            throw new JobFailure(ErrorCode.INTERNAL, false, Phase.ENCODING, "video encode failed: " + e.getMessage(), e);
        }
    }

    public void writeAudio(int sampleRate, int channels, Buffer... samples) throws JobFailure {
        try {
            recorder.recordSamples(sampleRate, channels, samples);
        } catch (Exception e) {
            throw new JobFailure(ErrorCode.INTERNAL, false, Phase.ENCODING, "audio encode failed: " + e.getMessage(), e);
        }
    }

    /** Drains the encoders and writes the MP4 index. Without this call the file is unusable. */
    public void finish() throws JobFailure {
        try {
            recorder.stop();
            finished = true;
        } catch (Exception e) {
            throw new JobFailure(ErrorCode.INTERNAL, false, Phase.ENCODING, "encoder flush failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws Exception {
        if (!finished) {
            recorder.release();
        }
        recorder.close();
    }
}
