package ai.fastvsr.cli;

import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.inference.EngineSettings;
import ai.fastvsr.inference.Upscaler;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Builds the TensorRT plan a worker with the same model and options will use, ahead of time (an init container,
 * an image build on a GPU node), so no worker spends its first job on a build of several minutes. A valid cached
 * plan is reused and the command returns in seconds.
 */
@Command(
        name = "build-engine",
        mixinStandardHelpOptions = true,
        description = {
            "Build and cache the TensorRT plans for this GPU and the --trt-sizes frame sizes (engine "
                    + "tensorrt; -Pgpu build), then check one on a probe frame. Give the same --model, --trt-cache-dir, --trt-sizes, --trt-builder-level, "
                    + "--fp16, --gpu-tile and --device-id as the workers that will use it."
        })
final class BuildEngineCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            defaultValue = "${env:FASTVSR_MODEL_DIR:-models/fastvsr-tiny}",
            description = "model directory (default ${DEFAULT-VALUE})")
    Path modelDir;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        EngineSettings s = engine.settings();
        EngineSettings tensorRt = new EngineSettings(
                EngineKind.TENSORRT, s.deviceId(), s.fp16(), s.trtCacheDir(), s.threads(), s.gpu(), s.tensorRt());
        long t0 = System.nanoTime();
        try (Upscaler upscaler = Upscaler.load(modelDir, tensorRt, new ObjectMapper())) {
            System.out.printf(
                    "%s%nready in %.1f s (plan built or loaded, then checked on a probe clip)%n",
                    upscaler.describe(), (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
