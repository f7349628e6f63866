package ai.fastvsr.cli;

import ai.fastvsr.inference.Upscaler;
import ai.fastvsr.pipeline.UpscalePipeline;
import ai.fastvsr.pipeline.UpscaleStats;
import ai.fastvsr.video.EncodeSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "upscale", mixinStandardHelpOptions = true,
        description = "Upscale a local file 4x with the same frame path as the worker; no Kafka, no S3.")
final class UpscaleCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "input video")
    Path input;

    @Parameters(index = "1", description = "output MP4")
    Path output;

    @Option(names = "--model", defaultValue = "${env:FASTVSR_MODEL_DIR:-models/fastvsr-tiny}",
            description = "model directory (default ${DEFAULT-VALUE})")
    Path modelDir;

    @Mixin
    EngineOptions engine;

    @Option(names = "--bitrate", description = "video bitrate in bit/s (default: by size and frame rate)")
    Long bitrate;

    @Option(names = "--crf", defaultValue = "18", description = "x264 quality when the -Pgpl build is used (default ${DEFAULT-VALUE})")
    int crf;

    @Override
    public Integer call() throws Exception {
        var settings = engine.settings();
        try (Upscaler upscaler = Upscaler.load(modelDir, settings, new ObjectMapper())) {
            UpscaleStats stats = UpscalePipeline.forModel(upscaler).run(input, output,
                    new EncodeSettings("h264", crf, "medium", bitrate));
            System.out.printf("%s: %dx%d -> %dx%d, %d frames in %.1f s (%.1f fps), model %s%n", output,
                    stats.input().width(), stats.input().height(), stats.outputWidth(), stats.outputHeight(),
                    stats.framesWritten(), stats.totalMs() / 1000.0, stats.framesPerSecond(), upscaler.card().name());
        }
        return 0;
    }
}
