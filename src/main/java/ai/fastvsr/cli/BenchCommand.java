package ai.fastvsr.cli;

import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.pipeline.StageBench;
import ai.fastvsr.storage.LocalFiles;
import ai.fastvsr.video.EncodeSettings;
import ai.fastvsr.video.SampleClip;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the frame path's stages side by side in one run: decode only, inference only, "
                    + "encode only and end to end (frames/s), the ratio end-to-end / slowest stage, and which stage "
                    + "is the slowest.",
            "With --jobs, then N pipelines at once over the same input (as a worker with N concurrent jobs), "
                    + "for each N: total inference-only and end-to-end frames/s.",
            "Input: a generated clip of --size and --frames, or --input FILE."
        })
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "${env:FASTVSR_MODEL_DIR}", description = ModelDirs.OPTION_DESCRIPTION)
    Path modelDir;

    @Option(
            names = "--size",
            defaultValue = "320x180",
            description = "generated input size WxH (default ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--frames", defaultValue = "90", description = "generated input length (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--input", description = "a video file instead of the generated clip")
    Path input;

    @Mixin
    EngineOptions engine;

    @Option(
            names = "--runs",
            defaultValue = "2",
            description = "measured runs after one warm-up (default ${DEFAULT-VALUE})")
    int runs;

    @Option(
            names = "--jobs",
            split = ",",
            description = "concurrency sweep, e.g. 1,2,4,8: N pipelines at once " + "(none by default)")
    List<Integer> jobs;

    @Override
    public Integer call() throws Exception {
        int most = jobs == null
                ? 1
                : jobs.stream().mapToInt(Integer::intValue).max().orElse(1);
        // as many GPU slots as pipelines will run at once
        var settings = engine.settings().withSlots(Math.max(1, most));
        // around the scratch folder too: Ctrl-C still deletes it
        try (StopOnSignal stop = StopOnSignal.ofThisThread()) {
            measure(settings, most);
        }
        return 0;
    }

    private void measure(EngineSettings settings, int most) throws Exception {
        Path scratch = Files.createTempDirectory("fastvsr-bench-");
        try (Upscaler upscaler = Upscaler.load(ModelDirs.orBundled(modelDir), settings, new ObjectMapper())) {
            Path clip = input;
            // the generated clip's size, which the model-alone measurement uses too; none for --input
            EngineSettings.FrameSize generated = input == null ? EngineSettings.FrameSize.parse(size) : null;
            if (generated != null) {
                clip = scratch.resolve("bench-input.mp4");
                SampleClip.write(clip, generated.width(), generated.height(), 30, frames / 30.0);
            }
            StageBench bench = new StageBench(upscaler);
            System.out.printf(
                    "model %s, engine %s, %d cores, input %s%n",
                    upscaler.card().name(),
                    upscaler.describe(),
                    Runtime.getRuntime().availableProcessors(),
                    input != null ? input : size + " x " + frames + " frames");
            bench.run(clip, scratch, EncodeSettings.DEFAULTS); // warm-up: JIT, ORT arena, cuDNN algorithms, encoder
            timings(upscaler, "warm-up");
            deviceOnly(upscaler, generated);
            System.out.printf(
                    "%-4s %8s %10s %10s %10s %10s %12s  %s%n",
                    "run", "frames", "decode", "inference", "encode", "e2e", "e2e/slowest", "slowest");
            List<StageBench.Result> results = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                StageBench.Result res = bench.run(clip, scratch, EncodeSettings.DEFAULTS);
                results.add(res);
                row(Integer.toString(r), res);
                timings(upscaler, "run " + r);
            }
            if (runs > 1) {
                row("best", StageBench.Result.best(results));
            }
            System.out.println("(frames per second; e2e/slowest = end-to-end fps over the slowest stage's fps; best: "
                    + "each column's best run)");
            if (jobs != null && !jobs.isEmpty()) {
                // new slots and their buffers come up at the first concurrent run: not in the numbers
                bench.concurrent(clip, scratch, EncodeSettings.DEFAULTS, most);
                timings(upscaler, "concurrent warm-up");
                System.out.printf(
                        "%n%-5s %8s %16s %16s %12s%n", "jobs", "frames", "inference fps", "e2e fps", "e2e/infer");
                for (int n : jobs) {
                    StageBench.Concurrent c = bench.concurrent(clip, scratch, EncodeSettings.DEFAULTS, n);
                    System.out.printf(
                            "%-5d %8d %16s %16s %12.2f%n",
                            n,
                            c.frames() * n,
                            fps(c.inferenceFps()),
                            fps(c.endToEndFps()),
                            c.endToEndFps() / c.inferenceFps());
                    timings(upscaler, n + " jobs");
                }
                System.out.println("(total frames per second of N pipelines at once over the same input; inference "
                        + "fps: clips and tiles as in the pipeline, frames from and to host memory)");
            }
        } finally {
            LocalFiles.deleteRecursively(scratch);
        }
    }

    private static void row(String run, StageBench.Result res) {
        System.out.printf(
                "%-4s %8d %10s %10s %10s %10s %12.2f  %s%n",
                run,
                res.frames(),
                fps(res.decodeFps()),
                fps(res.inferenceFps()),
                fps(res.encodeFps()),
                fps(res.endToEndFps()),
                res.efficiency(),
                res.slowestStage());
    }

    /**
     * Two decimals below 10 frames/s: a CPU at 0.5 frames/s printed as "0.5" hid a 20 % difference
     * between two models (0.45 and 0.55 alike).
     */
    static String fps(double framesPerSecond) {
        return String.format(Locale.ROOT, framesPerSecond < 10 ? "%.2f" : "%.1f", framesPerSecond);
    }

    /** GPU engines: the model alone with frames staying on the device, like PyTorch's number (bench_torch.py). */
    private static void deviceOnly(Upscaler upscaler, EngineSettings.FrameSize size) {
        if (size == null) {
            return;
        }
        int w = size.width();
        int h = size.height();
        int side = upscaler.tile().size();
        if (w > side || h > side) {
            return; // frames run as tiles: no single clip shape to time
        }
        int s = upscaler.card().scale();
        int most = upscaler.concurrentClips();
        for (int clips : most > 1 ? new int[] {1, most} : new int[] {1}) {
            double fps = upscaler.deviceOnlyFramesPerSecond(w, h, 50, clips);
            if (fps > 0) {
                System.out.printf(
                        "model alone, frames staying on the GPU, %d clip(s) at once: %.1f frames/s (50 clips of %d "
                                + "frames each, %dx%d -> %dx%d padded)%n",
                        clips, fps, upscaler.card().clipFrames(), w, h, w * s, h * s);
            }
        }
    }

    /** The engine's own breakdown of where inference time went (the CUDA engine measures it). */
    private static void timings(Upscaler upscaler, String after) {
        String report = upscaler.timingReport();
        if (!report.isEmpty()) {
            System.out.println("  [" + after + "] " + report);
        }
    }
}
