package ai.fastvsr.cli;

import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.pipeline.StageBench;
import ai.fastvsr.storage.LocalFiles;
import ai.fastvsr.video.EncodeSettings;
import ai.fastvsr.video.SampleClip;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the frame path's stages side by side in one run: decode only, inference only, "
                + "encode only and end to end (frames/s), and the ratio end-to-end / slowest stage.",
                "Input: a generated clip of --size and --frames, or --input FILE."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "${env:FASTVSR_MODEL_DIR:-models/fastvsr-tiny}",
            description = "model directory (default ${DEFAULT-VALUE})")
    Path modelDir;

    @Option(names = "--size", defaultValue = "320x180", description = "generated input size WxH (default ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--frames", defaultValue = "90", description = "generated input length (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--input", description = "a video file instead of the generated clip")
    Path input;

    @Mixin
    EngineOptions engine;

    @Option(names = "--runs", defaultValue = "2", description = "measured runs after one warm-up (default ${DEFAULT-VALUE})")
    int runs;

    @Override
    public Integer call() throws Exception {
        var settings = engine.settings();
        Path scratch = Files.createTempDirectory("fastvsr-bench-");
        try (Upscaler upscaler = Upscaler.load(modelDir, settings, new ObjectMapper())) {
            Path clip = input;
            if (clip == null) {
                String[] wh = size.toLowerCase().split("x");
                clip = scratch.resolve("bench-input.mp4");
                SampleClip.write(clip, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), 30, frames / 30.0);
            }
            StageBench bench = new StageBench(upscaler);
            System.out.printf("model %s, engine %s, %d inference threads, %d cores, input %s%n",
                    upscaler.card().name(), settings.kind(), settings.threads(),
                    Runtime.getRuntime().availableProcessors(), input != null ? input : size + " x " + frames + " frames");
            bench.run(clip, scratch, EncodeSettings.DEFAULTS); // warm-up: JIT, ORT arena, encoder init
            System.out.printf("%-4s %8s %10s %10s %10s %10s %12s%n", "run", "frames", "decode", "inference",
                    "encode", "e2e", "e2e/slowest");
            for (int r = 1; r <= runs; r++) {
                StageBench.Result res = bench.run(clip, scratch, EncodeSettings.DEFAULTS);
                System.out.printf("%-4d %8d %10.1f %10.1f %10.1f %10.1f %12.2f%n", r, res.frames(), res.decodeFps(),
                        res.inferenceFps(), res.encodeFps(), res.endToEndFps(), res.efficiency());
            }
            System.out.println("(frames per second; e2e/slowest = end-to-end fps over the slowest stage's fps)");
        } finally {
            LocalFiles.deleteRecursively(scratch);
        }
        return 0;
    }
}
