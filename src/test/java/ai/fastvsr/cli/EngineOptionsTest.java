package ai.fastvsr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.inference.EngineSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The GPU options as typed on a command line, and how many jobs a worker runs at once by default. */
class EngineOptionsTest {
    @Test
    void gpuOptionsParse() {
        EngineOptions o = parse(
                "--engine",
                "cuda",
                "--gpu-mem-limit",
                "1.5G",
                "--gpu-tile",
                "512",
                "--cuda-option",
                "prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC",
                "--cuda-option",
                "use_tf32=0");
        var s = o.settings();
        assertEquals(EngineKind.CUDA, s.kind());
        assertEquals(3L << 29, s.gpu().memLimitBytes());
        assertEquals(512, s.gpu().tile());
        assertEquals(
                Map.of("prefer_nhwc", "1", "cudnn_conv_algo_search", "HEURISTIC", "use_tf32", "0"),
                s.gpu().providerOptions());
    }

    @Test
    void tensorRtOptionsParse() {
        EngineOptions o = parse(
                "--engine",
                "tensorrt",
                "--trt-sizes",
                "1920x1080, 480X270",
                "--trt-builder-level",
                "1",
                "--trt-cache-dir",
                "/var/cache/plans");
        var s = o.settings();
        assertEquals(EngineKind.TENSORRT, s.kind());
        assertEquals(
                List.of(new EngineSettings.FrameSize(1920, 1080), new EngineSettings.FrameSize(480, 270)),
                s.tensorRt().frameSizes());
        assertEquals(1, s.tensorRt().builderLevel());
        assertEquals(Path.of("/var/cache/plans"), s.trtCacheDir());
        assertEquals(s.tensorRt(), s.withSlots(8).tensorRt(), "more slots keep the plan settings");

        EngineOptions defaults = parse("--engine", "tensorrt");
        assertEquals(3, defaults.settings().tensorRt().builderLevel(), "TensorRT's own default level");
        assertEquals(List.of(), defaults.settings().tensorRt().frameSizes(), "a whole tile");
    }

    @Test
    void badTensorRtOptionsAreRefused() {
        assertThrows(CommandLine.TypeConversionException.class, () -> EngineOptions.frameSizes(List.of("1920x")));
        assertThrows(CommandLine.TypeConversionException.class, () -> EngineOptions.frameSizes(List.of("0x270")));
        assertThrows(IllegalArgumentException.class, () -> new EngineSettings.TensorRt(6, List.of()));
        assertEquals(0, EngineOptions.frameSizes(null).size());
    }

    @Test
    void byteSizes() {
        var c = new EngineOptions.ByteSizeConverter();
        assertEquals(0L, c.convert("0"));
        assertEquals(4096L, c.convert("4096"));
        assertEquals(512L << 20, c.convert("512M"));
        assertEquals(8L << 30, c.convert("8GiB"));
        assertEquals(2L << 40, c.convert("2t"));
    }

    @Test
    void aCudaOptionWithoutValueIsRefused() {
        assertThrows(CommandLine.TypeConversionException.class, () -> EngineOptions.providerOptions(List.of("x")));
    }

    @Test
    void concurrentJobsDefaultToOneOnTheCpuAndHalfTheCoresOnAGpu() {
        assertEquals(1, WorkerOptions.concurrentJobs(0, EngineKind.CPU, 16));
        assertEquals(8, WorkerOptions.concurrentJobs(0, EngineKind.CUDA, 16));
        assertEquals(8, WorkerOptions.concurrentJobs(0, EngineKind.TENSORRT, 16));
        assertEquals(8, WorkerOptions.concurrentJobs(0, EngineKind.CUDA, 64));
        assertEquals(2, WorkerOptions.concurrentJobs(0, EngineKind.CUDA, 2));
        assertEquals(3, WorkerOptions.concurrentJobs(3, EngineKind.CPU, 2));
    }

    /** The options as picocli fills them from a command line. */
    private static EngineOptions parse(String... args) {
        EngineOptions options = new EngineOptions();
        new CommandLine(new Object() {
                    @CommandLine.Mixin
                    EngineOptions mixin = options;
                })
                .parseArgs(args);
        return options;
    }
}
