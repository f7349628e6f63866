package ai.fastvsr.inference.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GPU jar on a host without the NVIDIA driver or CUDA libraries (these build machines; emptied
 * LD_LIBRARY_PATH): {@code --engine cuda} and {@code --engine tensorrt} stop at start with one line naming what is missing and exit code 1,
 * no stack trace, and a worker never reaches Kafka. Skipped where a driver is installed.
 */
class CudaStartupIT {
    private static final Path JAR = Path.of("target/gpu/fastvsr-worker.jar");

    @BeforeAll
    static void onlyWithoutADriver() {
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "the -Pgpu jar is built by package");
        Assumptions.assumeFalse(
                CudaLibraries.missing(List.of(CudaLibraries.REQUIRED.get(0))).isEmpty(),
                "this host has an NVIDIA driver");
    }

    @Test
    void upscaleNamesTheMissingLibrariesInOneLine() throws Exception {
        Result r = run("upscale", "--engine", "cuda", "--model", "models/reference-x4", "in.mp4", "out.mp4");
        assertEquals(1, r.exit(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line:\n" + r.err());
        String line = lines.get(0);
        assertTrue(
                line.startsWith("error [MODEL_ERROR]: engine cuda on gpu0: CUDA libraries not found: "
                        + "NVIDIA driver (libcuda.so.1)"),
                line);
        assertTrue(line.contains("cuDNN 9 (libcudnn.so.9"), line);
        assertTrue(line.contains("LD_LIBRARY_PATH=(empty)"), line);
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), "no stack trace:\n" + r.err());
    }

    @Test
    void aWorkerFailsBeforeItConsumesAnything() throws Exception {
        // nothing listens on port 1: had the worker got as far as Kafka it would hang retrying, not exit
        Result r = run(
                "worker",
                "--engine",
                "cuda",
                "--model",
                "models/reference-x4",
                "--kafka",
                "127.0.0.1:1",
                "--http-port",
                "-1");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("error [MODEL_ERROR]: engine cuda on gpu0: CUDA libraries not found"), r.err());
    }

    @Test
    void theDeviceIdIsNamedInTheMessage() throws Exception {
        Result r = run("upscale", "--engine", "cuda", "--device-id", "3", "--model", "models/reference-x4", "a", "b");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error [MODEL_ERROR]: engine cuda on gpu3: "), r.err());
    }

    @Test
    void tensorRtNamesCudaAndTensorRtLibrariesInOneLine() throws Exception {
        Result r = run("upscale", "--engine", "tensorrt", "--model", "models/reference-x4", "in.mp4", "out.mp4");
        assertEquals(1, r.exit(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line:\n" + r.err());
        String line = lines.get(0);
        assertTrue(
                line.startsWith("error [MODEL_ERROR]: engine tensorrt on gpu0: CUDA libraries not found: "
                        + "NVIDIA driver (libcuda.so.1)"),
                line);
        assertTrue(line.contains("TensorRT 8.6 (libnvinfer.so.8, libnvinfer_plugin.so.8, libnvonnxparser.so.8)"), line);
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), "no stack trace:\n" + r.err());
    }

    @Test
    void buildEngineFailsTheSameWay() throws Exception {
        Result r = run("build-engine", "--model", "models/reference-x4", "--trt-cache-dir", "target/gpu/plans-never");
        assertEquals(1, r.exit(), r.err());
        assertTrue(
                r.err().startsWith("error [MODEL_ERROR]: engine tensorrt on gpu0: CUDA libraries not found"), r.err());
        assertTrue(Files.notExists(Path.of("target/gpu/plans-never")), "nothing written");
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cuda-startup", ".out");
        Path err = Files.createTempFile("cuda-startup", ".err");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            env.put("LD_LIBRARY_PATH", "");
            env.put("OPT_OUT_TRACKING", "true");
            env.put("FASTVSR_S3_SECRET_KEY", "not-used");
            env.remove("FASTVSR_DEBUG");
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("no exit within 120 s: " + String.join(" ", args));
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
