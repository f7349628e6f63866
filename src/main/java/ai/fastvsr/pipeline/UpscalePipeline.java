package ai.fastvsr.pipeline;

import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.job.JobFailure;
import ai.fastvsr.video.EncodeSettings;
import ai.fastvsr.video.MediaInfo;
import ai.fastvsr.video.RgbImage;
import ai.fastvsr.video.VideoDecoder;
import ai.fastvsr.video.VideoDecoder.Decoded;
import ai.fastvsr.video.VideoEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame path, file to file: decode, gather frames into clips of the model's length, upscale each clip, encode.
 * Audio chunks pass straight to the encoder; the MP4 muxer interleaves them with the video by timestamp.
 */
public final class UpscalePipeline {
    private final Upscaler upscaler;

    public UpscalePipeline(Upscaler upscaler) {
        this.upscaler = upscaler;
    }

    public UpscaleStats run(Path input, Path output, EncodeSettings encode) throws JobFailure {
        long start = System.nanoTime();
        int scale = upscaler.card().scale();
        int clipFrames = upscaler.card().clipFrames();
        try (VideoDecoder decoder = VideoDecoder.open(input)) {
            MediaInfo in = decoder.info();
            try (VideoEncoder encoder = VideoEncoder.open(output, in.width() * scale, in.height() * scale,
                    in.frameRateNum(), in.frameRateDen(), in.audioChannels(), in.sampleRate(), encode)) {
                List<RgbImage> clip = new ArrayList<>(clipFrames);
                long written = 0;
                for (Decoded frame; (frame = decoder.next()) != null; ) {
                    if (frame.image() != null) {
                        clip.add(frame.image());
                        if (clip.size() == clipFrames) {
                            written += writeClip(clip, encoder);
                        }
                    } else {
                        encoder.writeAudio(frame.audio().sampleRate, frame.audio().audioChannels, frame.audio().samples);
                    }
                }
                if (!clip.isEmpty()) {
                    written += writeClip(clip, encoder);
                }
                long inferredMs = (System.nanoTime() - start) / 1_000_000;
                encoder.finish();
                return new UpscaleStats(in, in.width() * scale, in.height() * scale, written, encoder.codecName(),
                        inferredMs, (System.nanoTime() - start) / 1_000_000);
            }
        } catch (JobFailure e) {
            throw e;
        } catch (Exception e) {
            throw new JobFailure(ai.fastvsr.job.ErrorCode.INTERNAL, false, null, "frame path failed: " + e, e);
        }
    }

    private int writeClip(List<RgbImage> clip, VideoEncoder encoder) throws JobFailure {
        for (RgbImage hr : upscaler.upscale(clip)) {
            encoder.writeVideo(hr);
        }
        int n = clip.size();
        clip.clear();
        return n;
    }
}
