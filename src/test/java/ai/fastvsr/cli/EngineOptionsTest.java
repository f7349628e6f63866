package ai.fastvsr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.fastvsr.inference.EngineKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The GPU options as typed on a command line, and how many jobs a worker runs at once by default. */
class EngineOptionsTest {
    @Test
    void gpuOptionsParse() {
        EngineOptions o = new EngineOptions();
        new CommandLine(new Object() {
            @CommandLine.Mixin
            EngineOptions options = o;
        }).parseArgs("--engine", "cuda", "--gpu-mem-limit", "1.5G", "--gpu-tile", "512",
                "--cuda-option", "prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC", "--cuda-option", "use_tf32=0");
        var s = o.settings();
        assertEquals(EngineKind.CUDA, s.kind());
        assertEquals(3L << 29, s.gpu().memLimitBytes());
        assertEquals(512, s.gpu().tile());
        assertEquals(Map.of("prefer_nhwc", "1", "cudnn_conv_algo_search", "HEURISTIC", "use_tf32", "0"),
                s.gpu().providerOptions());
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
        assertEquals(8, WorkerOptions.concurrentJobs(0, EngineKind.CUDA, 64));
        assertEquals(2, WorkerOptions.concurrentJobs(0, EngineKind.CUDA, 2));
        assertEquals(3, WorkerOptions.concurrentJobs(3, EngineKind.CPU, 2));
    }
}
