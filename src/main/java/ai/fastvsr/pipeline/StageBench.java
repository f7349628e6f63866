package ai.fastvsr.pipeline;

import ai.fastvsr.inference.ClipStream;
import ai.fastvsr.inference.TiledUpscaler;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.video.Container;
import ai.fastvsr.video.EncodeSettings;
import ai.fastvsr.video.MediaReader;
import ai.fastvsr.video.MediaWriter;
import ai.fastvsr.video.RgbImage;
import ai.fastvsr.video.VideoFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the frame path's stages alone and together, in one run on one machine, so their ratios mean something
 * on a noisy box: decode only, inference only (clips and tiles exactly as in the pipeline), encode only (of the
 * real upscaled frames), and end to end.
 */
public final class StageBench {
    /** Frames per second of each stage and of the whole path. */
    public record Result(long frames, double decodeFps, double inferenceFps, double encodeFps, double endToEndFps) {
        public double slowestStageFps() {
            return Math.min(decodeFps, Math.min(inferenceFps, encodeFps));
        }

        /** decode, inference or encode: the stage that sets the pace. */
        public String slowestStage() {
            double slowest = slowestStageFps();
            return slowest == inferenceFps ? "inference" : slowest == encodeFps ? "encode" : "decode";
        }

        public double efficiency() {
            return endToEndFps / slowestStageFps();
        }

        /**
         * Each stage's and the whole path's best over {@code runs}: on a shared, noisy host the least disturbed
         * run of each is the closest to what it can do, so their ratio is steadier than any one run's.
         */
        public static Result best(List<Result> runs) {
            return new Result(
                    runs.stream().mapToLong(Result::frames).max().orElse(0),
                    runs.stream().mapToDouble(Result::decodeFps).max().orElse(0),
                    runs.stream().mapToDouble(Result::inferenceFps).max().orElse(0),
                    runs.stream().mapToDouble(Result::encodeFps).max().orElse(0),
                    runs.stream().mapToDouble(Result::endToEndFps).max().orElse(0));
        }
    }

    /**
     * {@code jobs} pipelines at once over the same input, as a worker with that many concurrent jobs runs them:
     * total frames/s of inference alone (frames in and out of host memory as {@link RgbImage}s, outputs dropped)
     * and of whole pipelines (decode, inference, encode).
     */
    public record Concurrent(int jobs, long frames, double inferenceFps, double endToEndFps) {}

    private final Upscaler upscaler;

    public StageBench(Upscaler upscaler) {
        this.upscaler = upscaler;
    }

    public Result run(Path input, Path scratch, EncodeSettings encode) throws Exception {
        // decode only
        long t0 = System.nanoTime();
        List<VideoFrame> lr = decodeAll(input);
        double decodeFps = fps(lr.size(), t0);

        // inference only, with the pipeline's clip and tile settings
        ClipStream clips = ClipStream.forCard(TiledUpscaler.fromCard(upscaler)::upscale, upscaler.card());
        List<RgbImage> hr = new ArrayList<>(lr.size());
        long t1 = System.nanoTime();
        for (VideoFrame frame : lr) {
            stopIfInterrupted();
            clips.push(frame.image(), hr::add);
        }
        clips.finish(hr::add);
        double inferenceFps = fps(hr.size(), t1);

        // encode only, the real upscaled frames, video stream alone
        Path encoded = scratch.resolve("bench-encode.mp4");
        EncodeSettings videoOnly = new EncodeSettings(
                encode.container(),
                encode.codec(),
                encode.pixFmt(),
                encode.crf(),
                encode.preset(),
                encode.bitrate(),
                false,
                false);
        long t2 = System.nanoTime();
        try (MediaReader source = MediaReader.open(input);
                MediaWriter writer = MediaWriter.open(
                        encoded,
                        source,
                        hr.get(0).width(),
                        hr.get(0).height(),
                        Container.choose(
                                encode.container(), encoded.getFileName().toString(), source.container()),
                        videoOnly,
                        false)) {
            for (int i = 0; i < hr.size(); i++) {
                stopIfInterrupted();
                writer.writeVideo(hr.get(i), lr.get(i).pts(), lr.get(i).duration());
            }
            writer.finish();
        }
        double encodeFps = fps(hr.size(), t2);
        Files.deleteIfExists(encoded);
        hr.clear();
        lr.clear();

        // end to end through the staged pipeline
        Path out = scratch.resolve("bench-e2e.mp4");
        long t3 = System.nanoTime();
        UpscaleStats stats = UpscalePipeline.forModel(upscaler).run(input, out, encode);
        double e2eFps = fps(stats.framesWritten(), t3);
        Files.deleteIfExists(out);
        return new Result(stats.framesWritten(), decodeFps, inferenceFps, encodeFps, e2eFps);
    }

    public Concurrent concurrent(Path input, Path scratch, EncodeSettings encode, int jobs) throws Exception {
        List<RgbImage> lr = decodeAll(input).stream().map(VideoFrame::image).toList();
        AtomicLong inferred = new AtomicLong();
        long t0 = System.nanoTime();
        atOnce(jobs, job -> {
            ClipStream clips = ClipStream.forCard(TiledUpscaler.fromCard(upscaler)::upscale, upscaler.card());
            ClipStream.Sink count = frame -> inferred.incrementAndGet();
            for (RgbImage frame : lr) {
                stopIfInterrupted();
                clips.push(frame, count);
            }
            clips.finish(count);
        });
        double inferenceFps = fps(inferred.get(), t0);

        AtomicLong written = new AtomicLong();
        long t1 = System.nanoTime();
        atOnce(jobs, job -> {
            Path out = scratch.resolve("bench-concurrent-" + job + ".mp4");
            written.addAndGet(
                    UpscalePipeline.forModel(upscaler).run(input, out, encode).framesWritten());
            Files.deleteIfExists(out);
        });
        return new Concurrent(jobs, lr.size(), inferenceFps, fps(written.get(), t1));
    }

    private interface Job {
        void run(int job) throws Exception;
    }

    /** Runs {@code jobs} copies of {@code job} on their own threads and waits for all; the first failure wins. */
    private static void atOnce(int jobs, Job job) throws Exception {
        Stages stages = new Stages("bench");
        for (int j = 0; j < jobs; j++) {
            int n = j;
            stages.start("job-" + n, () -> job.run(n));
        }
        stages.join();
    }

    /** Every video frame of the input, in memory: the stage-alone measurements time one stage at a time. */
    private static List<VideoFrame> decodeAll(Path input) throws Exception {
        List<VideoFrame> frames = new ArrayList<>();
        try (MediaReader reader = MediaReader.open(input)) {
            for (MediaReader.Item item; (item = reader.next()) != null; ) {
                stopIfInterrupted();
                if (item instanceof VideoFrame frame) {
                    frames.add(frame);
                }
            }
        }
        return frames;
    }

    /** The stage-alone loops run on the caller's thread: Ctrl-C (an interrupt, cli.StopOnSignal) ends them. */
    private static void stopIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("bench interrupted");
        }
    }

    private static double fps(long frames, long startNanos) {
        return frames / ((System.nanoTime() - startNanos) / 1e9);
    }
}
