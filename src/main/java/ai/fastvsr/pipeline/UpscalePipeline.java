package ai.fastvsr.pipeline;

import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.inference.ClipModel;
import ai.fastvsr.inference.ClipStream;
import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.inference.ModelCard;
import ai.fastvsr.inference.TiledUpscaler;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.video.Container;
import ai.fastvsr.video.CopiedPacket;
import ai.fastvsr.video.EncodeSettings;
import ai.fastvsr.video.MediaError;
import ai.fastvsr.video.MediaInfo;
import ai.fastvsr.video.MediaReader;
import ai.fastvsr.video.MediaWriter;
import ai.fastvsr.video.RgbImage;
import ai.fastvsr.video.VideoFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The frame path, file to file, as three concurrent stages joined by bounded queues:
 *
 * <pre>
 *   decode ──video──► [lr queue] ──► infer (clips, tiles) ──► [out queue] ──► encode ──► mux
 *      ├─────────────audio, subtitle packets──────────────────────────────────────►┘
 *      └─────────────frame times (pts, duration)──────────────────────────►┘
 * </pre>
 *
 * The frame queues hold about one clip each, so memory stays O(clip x frame) however long the video (an upscaled
 * 4K 10-bit frame is 50 MB), and the slowest stage sets the pace (backpressure). Audio and subtitle packets and
 * the frame times bypass inference in unbounded FIFOs: decoding runs at most a clip ahead of the encoder, so they
 * hold a clip's worth of small packets. The encoder writes the waiting packets before each frame and the muxer
 * interleaves by timestamp. Each upscaled frame is encoded at its input frame's timestamp. A failure
 * in any stage interrupts the others; decoder and encoder are closed only after all three have stopped.
 */
public final class UpscalePipeline {
    private final ClipModel model;
    private final ModelCard card;
    private final boolean nvenc;

    /**
     * @param model what upscales a clip (normally a {@link TiledUpscaler})
     * @param card  the model's card: scale and clip parameters
     */
    public UpscalePipeline(ClipModel model, ModelCard card) {
        this(model, card, false);
    }

    /** @param nvenc encode on the GPU (NVENC) when the model runs there, falling back to software */
    public UpscalePipeline(ClipModel model, ModelCard card, boolean nvenc) {
        this.model = model;
        this.card = card;
        this.nvenc = nvenc;
    }

    /** The frame path for a loaded model, with the tiling and clip parameters of its card. */
    public static UpscalePipeline forModel(Upscaler upscaler) {
        return new UpscalePipeline(
                TiledUpscaler.fromCard(upscaler)::upscale,
                upscaler.card(),
                upscaler.engine().kind() != EngineKind.CPU);
    }

    /** Frames the model takes at once: a range's default context on each side. */
    public int clipFrames() {
        return card.clipFrames();
    }

    /** Checks what the input turned out to be before any frame is processed (limits). */
    @FunctionalInterface
    public interface MediaCheck {
        void check(MediaInfo info) throws Failure;

        MediaCheck NONE = info -> {};
    }

    public UpscaleStats run(Path input, Path output, EncodeSettings encode) throws Failure {
        return run(input, output, encode, MediaCheck.NONE, frames -> {});
    }

    /**
     * @param check          runs once the container is open, before any frame is decoded
     * @param onFrameWritten called from the encode stage with the number of frames written so far
     */
    public UpscaleStats run(
            Path input, Path output, EncodeSettings encode, MediaCheck check, LongConsumer onFrameWritten)
            throws Failure {
        return run(input, output, encode, FrameWindow.ALL, check, onFrameWritten);
    }

    /**
     * @param window which frames are written and which only give the model context (a split job's segment);
     *               packets of other streams are copied only when the window is the whole input
     */
    public UpscaleStats run(
            Path input,
            Path output,
            EncodeSettings encode,
            FrameWindow window,
            MediaCheck check,
            LongConsumer onFrameWritten)
            throws Failure {
        long start = System.nanoTime();
        int scale = card.scale();
        int clipFrames = card.clipFrames();
        boolean complete = false;
        try (MediaReader reader = MediaReader.open(input)) {
            MediaInfo in = reader.info();
            check.check(in);
            Container container =
                    Container.choose(encode.container(), output.getFileName().toString(), reader.container());
            try (MediaWriter writer = MediaWriter.open(
                    output, reader, in.width() * scale, in.height() * scale, container, encode, nvenc)) {
                BlockingQueue<Item> lr = new ArrayBlockingQueue<>(clipFrames + 2);
                BlockingQueue<Item> out = new ArrayBlockingQueue<>(clipFrames + 2);
                // frames leave inference one for one and in order: their times wait here, not in the model's path
                Queue<FrameTime> times = new ConcurrentLinkedQueue<>();
                Queue<CopiedPacket> packets = new ConcurrentLinkedQueue<>();
                AtomicLong written = new AtomicLong();
                Stages stages = new Stages("frames");
                stages.start("decode", () -> decode(reader, window, lr, times, packets));
                stages.start("infer", () -> infer(lr, out));
                stages.start("encode", () -> encodeAll(out, writer, times, packets, written, onFrameWritten));
                stages.join();
                writer.finish();
                long ms = (System.nanoTime() - start) / 1_000_000;
                MediaInfo result = MediaReader.probe(output);
                complete = true;
                return new UpscaleStats(
                        in.withFrames(reader.framesDecoded()),
                        result.withFrames(writer.videoPacketsWritten()),
                        container,
                        writer.encoderName(),
                        writer.warnings(),
                        ms);
            }
        } catch (Failure e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(ErrorCode.INTERNAL, true, null, "interrupted", e);
        } catch (Exception e) {
            throw new Failure(ErrorCode.INTERNAL, false, null, "frame path failed: " + e, e);
        } finally {
            // a half-written file looks like a video to whoever finds it: none is left (the writer is closed here)
            if (!complete) {
                deleteQuietly(output);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the job's directory is removed anyway; the CLI's output may stay, with the error printed
        }
    }

    /** What flows between the stages. */
    private sealed interface Item permits Video, End {}

    private record Video(RgbImage image) implements Item {}

    private record End() implements Item {}

    /**
     * When a frame is shown, in the input video stream's time base: what the encoder needs beside the pixels; and
     * whether it is written at all (context frames at a range's edges are not).
     */
    private record FrameTime(long pts, long duration, FrameWindow.Use use) {}

    private static final End END = new End();

    private static void decode(
            MediaReader reader,
            FrameWindow window,
            BlockingQueue<Item> lr,
            Queue<FrameTime> times,
            Queue<CopiedPacket> packets)
            throws Exception {
        long index = 0;
        for (MediaReader.Item item; (item = reader.next()) != null; ) {
            if (item instanceof VideoFrame frame) {
                FrameWindow.Use use = window.use(index++);
                if (use == FrameWindow.Use.PAST) {
                    index--;
                    break;
                }
                if (use != FrameWindow.Use.SKIP) {
                    times.add(new FrameTime(frame.pts(), frame.duration(), use));
                    lr.put(new Video(frame.image()));
                }
            } else if (!window.isRange()) {
                packets.add((CopiedPacket) item);
            }
        }
        if (window.isRange() && index < window.end()) {
            throw MediaError.corrupt(
                    "the input has " + index + " frames, the job's range ends at frame " + window.end(), null);
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

    /** The decoder finishes before inference sends END, so at END every packet is waiting to be written. */
    private static void encodeAll(
            BlockingQueue<Item> out,
            MediaWriter writer,
            Queue<FrameTime> times,
            Queue<CopiedPacket> packets,
            AtomicLong written,
            LongConsumer onFrameWritten)
            throws Exception {
        for (Item item; ; ) {
            item = out.take();
            for (CopiedPacket p; (p = packets.poll()) != null; ) {
                writer.writePacket(p);
            }
            if (item instanceof End) {
                return;
            }
            FrameTime time = times.poll();
            if (time == null) {
                throw new IllegalStateException("inference returned more frames than were decoded");
            }
            switch (time.use()) {
                case WARMUP -> writer.warmUp(((Video) item).image(), time.pts(), time.duration());
                case OUTPUT -> {
                    writer.writeVideo(((Video) item).image(), time.pts(), time.duration());
                    onFrameWritten.accept(written.incrementAndGet());
                }
                default -> {
                    // model context only
                }
            }
        }
    }

    private static void put(BlockingQueue<Item> queue, Item item) throws Failure {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(ErrorCode.INTERNAL, true, null, "cancelled", e);
        }
    }
}
