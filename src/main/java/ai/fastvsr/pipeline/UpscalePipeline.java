package ai.fastvsr.pipeline;

import ai.fastvsr.inference.ClipModel;
import ai.fastvsr.inference.ClipStream;
import ai.fastvsr.inference.ModelCard;
import ai.fastvsr.inference.TiledUpscaler;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.job.ErrorCode;
import ai.fastvsr.job.JobFailure;
import ai.fastvsr.video.EncodeSettings;
import ai.fastvsr.video.MediaInfo;
import ai.fastvsr.video.RgbImage;
import ai.fastvsr.video.VideoDecoder;
import ai.fastvsr.video.VideoDecoder.Decoded;
import ai.fastvsr.video.VideoEncoder;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.bytedeco.javacv.Frame;

/**
 * The frame path, file to file, as three concurrent stages joined by bounded queues:
 *
 * <pre>
 *   decode ──video──► [lr queue] ──► infer (clips, tiles) ──► [out queue] ──► encode
 *      └─────────────audio──────────────────────────────────────►┘
 * </pre>
 *
 * The queues hold about one clip each, so memory stays O(clip x frame) however long the video, and the slowest
 * stage sets the pace (backpressure). Audio skips inference; the MP4 muxer interleaves it by timestamp. A failure
 * in any stage interrupts the others; decoder and encoder are closed only after all three have stopped.
 */
public final class UpscalePipeline {
    private final ClipModel model;
    private final ModelCard card;

    /**
     * @param model what upscales a clip (normally a {@link TiledUpscaler})
     * @param card  the model's card: scale and clip parameters
     */
    public UpscalePipeline(ClipModel model, ModelCard card) {
        this.model = model;
        this.card = card;
    }

    /** The frame path for a loaded model, with the tiling and clip parameters of its card. */
    public static UpscalePipeline forModel(Upscaler upscaler) {
        return new UpscalePipeline(TiledUpscaler.fromCard(upscaler)::upscale, upscaler.card());
    }

    /** Checks what the input turned out to be before any frame is processed (limits). */
    @FunctionalInterface
    public interface MediaCheck {
        void check(MediaInfo info) throws JobFailure;

        MediaCheck NONE = info -> { };
    }

    public UpscaleStats run(Path input, Path output, EncodeSettings encode) throws JobFailure {
        return run(input, output, encode, MediaCheck.NONE, frames -> { });
    }

    /**
     * @param check          runs once the container is open, before any frame is decoded
     * @param onFrameWritten called from the encode stage with the number of frames written so far
     */
    public UpscaleStats run(Path input, Path output, EncodeSettings encode, MediaCheck check,
                            LongConsumer onFrameWritten) throws JobFailure {
        long start = System.nanoTime();
        int scale = card.scale();
        int clipFrames = card.clipFrames();
        try (VideoDecoder decoder = VideoDecoder.open(input)) {
            MediaInfo in = decoder.info();
            check.check(in);
            try (VideoEncoder encoder = VideoEncoder.open(output, in.width() * scale, in.height() * scale,
                    in.frameRateNum(), in.frameRateDen(), in.audioChannels(), in.sampleRate(), encode,
                    decoder.tags())) {
                BlockingQueue<Item> lr = new ArrayBlockingQueue<>(clipFrames + 2);
                BlockingQueue<Item> out = new ArrayBlockingQueue<>(clipFrames + 64);
                AtomicLong written = new AtomicLong();
                Stages stages = new Stages("frames");
                stages.start("decode", () -> decode(decoder, lr, out));
                stages.start("infer", () -> infer(lr, out));
                stages.start("encode", () -> encodeAll(out, encoder, written, onFrameWritten));
                stages.join();
                encoder.finish();
                long ms = (System.nanoTime() - start) / 1_000_000;
                return new UpscaleStats(in, in.width() * scale, in.height() * scale, written.get(),
                        encoder.codecName(), ms);
            }
        } catch (JobFailure e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(ErrorCode.INTERNAL, true, null, "interrupted", e);
        } catch (Exception e) {
            throw new JobFailure(ErrorCode.INTERNAL, false, null, "frame path failed: " + e, e);
        }
    }

    /** What flows between the stages. */
    private sealed interface Item permits Video, Audio, End {
    }

    private record Video(RgbImage image) implements Item {
    }

    /** A deep copy: the decoder reuses its audio buffers for the next chunk. */
    private record Audio(Frame samples) implements Item {
    }

    private record End() implements Item {
    }

    private static final End END = new End();

    private static void decode(VideoDecoder decoder, BlockingQueue<Item> lr, BlockingQueue<Item> out)
            throws Exception {
        for (Decoded frame; (frame = decoder.next()) != null; ) {
            if (frame.image() != null) {
                lr.put(new Video(frame.image()));
            } else {
                out.put(new Audio(frame.audio().clone()));
            }
        }
        lr.put(END);
    }

    private void infer(BlockingQueue<Item> lr, BlockingQueue<Item> out) throws Exception {
        ClipStream clips = ClipStream.forCard(model, card);
        ClipStream.Sink sink = frame -> put(out, new Video(frame));
        for (Item item; !((item = lr.take()) instanceof End); ) {
            clips.push(((Video) item).image(), sink);
        }
        clips.finish(sink);
        out.put(END);
    }

    private static void encodeAll(BlockingQueue<Item> out, VideoEncoder encoder, AtomicLong written,
                                  LongConsumer onFrameWritten) throws Exception {
        for (Item item; !((item = out.take()) instanceof End); ) {
            if (item instanceof Video v) {
                encoder.writeVideo(v.image());
                onFrameWritten.accept(written.incrementAndGet());
            } else {
                Frame a = ((Audio) item).samples();
                encoder.writeAudio(a.sampleRate, a.audioChannels, a.samples);
            }
        }
    }

    private static void put(BlockingQueue<Item> queue, Item item) throws JobFailure {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(ErrorCode.INTERNAL, true, null, "cancelled", e);
        }
    }
}
