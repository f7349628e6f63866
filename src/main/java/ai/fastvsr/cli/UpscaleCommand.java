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

@Command(
        name = "upscale",
        mixinStandardHelpOptions = true,
        description = "Upscale a local file 4x with the same frame path as the worker; no Kafka, no S3.")
final class UpscaleCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "input video")
    Path input;

    @Parameters(index = "1", description = "output MP4")
    Path output;

    @Option(names = "--model", defaultValue = "${env:FASTVSR_MODEL_DIR}", description = ModelDirs.OPTION_DESCRIPTION)
    Path modelDir;

    @Mixin
    EngineOptions engine;

    @Option(names = "--bitrate", description = "video bitrate in bit/s (default: by size and frame rate)")
    Long bitrate;

    @Option(
            names = "--crf",
            description =
                    "quality for codecs with CRF (libx264/x265 in the -Pgpl build, av1, vp9; default: the codec's)")
    Integer crf;

    @Option(
            names = "--codec",
            description = "h264, hevc, av1 or vp9 (default: h264, av1 for 10-bit input, vp9 in WebM)")
    String codec;

    @Option(
            names = "--container",
            description = "mp4, mov, mkv or webm (default: the output name's extension, else the input's)")
    String container;

    @Override
    public Integer call() throws Exception {
        var settings = engine.settings();
        try (StopOnSignal stop = StopOnSignal.ofThisThread();
                Upscaler upscaler = Upscaler.load(ModelDirs.orBundled(modelDir), settings, new ObjectMapper())) {
            UpscaleStats stats = UpscalePipeline.forModel(upscaler)
                    .run(input, output, new EncodeSettings(container, codec, null, crf, null, bitrate, true, true));
            System.out.printf(
                    "%s: %dx%d -> %dx%d %s (%s), %d frames in %.1f s (%.1f fps), model %s%n",
                    output,
                    stats.input().width(),
                    stats.input().height(),
                    stats.outputWidth(),
                    stats.outputHeight(),
                    stats.container().label(),
                    stats.encoder(),
                    stats.framesWritten(),
                    stats.totalMs() / 1000.0,
                    stats.framesPerSecond(),
                    upscaler.card().name());
            stats.warnings().forEach(w -> System.out.println("warning: " + w));
        }
        return 0;
    }
}
