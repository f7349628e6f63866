package ai.fastvsr.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.cli.Main;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * No GPU here: these show that each GPU engine fails at start with a message naming what is missing, and that
 * the settings map to the provider options ONNX Runtime documents. Nothing here claims a GPU run.
 */
class EngineSelectionTest {
    private static final Path MODEL = Path.of("models/reference-x4");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void tensorRtExecutionProviderOptionsMapToOrtNames() {
        EngineSettings s = new EngineSettings(EngineKind.TENSORRT_EP, 3, true, Path.of("/var/cache/trt"), 4);
        Map<String, String> o = s.tensorRtProviderOptions();
        assertEquals("3", o.get("device_id"));
        assertEquals("1", o.get("trt_fp16_enable"));
        assertEquals("1", o.get("trt_engine_cache_enable"));
        assertEquals("/var/cache/trt", o.get("trt_engine_cache_path"));
        assertEquals("gpu3", s.device());
        EngineSettings fp32 = new EngineSettings(EngineKind.TENSORRT_EP, 0, false, null, 1);
        assertEquals("0", fp32.tensorRtProviderOptions().get("trt_fp16_enable"));
        assertTrue(!fp32.tensorRtProviderOptions().containsKey("trt_engine_cache_enable"));
        assertEquals("2", EngineSettings.cpu(2).cpuOptions().get("intraOpNumThreads"));
    }

    @Test
    void cudaEngineOptionsMapToOrtNames() {
        EngineSettings cuda = new EngineSettings(
                EngineKind.CUDA,
                1,
                true,
                null,
                1,
                new EngineSettings.Gpu(
                        4, 0, 2L << 30, Map.of("prefer_nhwc", "1", "arena_extend_strategy", "kNextPowerOfTwo")));
        Map<String, String> o = cuda.cudaProviderOptions();
        assertEquals("1", o.get("device_id"));
        assertEquals(String.valueOf(2L << 30), o.get("gpu_mem_limit"));
        assertEquals("1", o.get("prefer_nhwc"));
        assertEquals("kNextPowerOfTwo", o.get("arena_extend_strategy"), "explicit options win over the defaults");
        assertEquals(
                "kSameAsRequested",
                new EngineSettings(EngineKind.CUDA, 0, true, null, 1)
                        .cudaProviderOptions()
                        .get("arena_extend_strategy"));
        assertTrue(!new EngineSettings(EngineKind.CUDA, 0, true, null, 1)
                .cudaProviderOptions()
                .containsKey("gpu_mem_limit"));
        assertEquals(8, cuda.withSlots(8).gpu().slots());
        assertEquals(2L << 30, cuda.withSlots(8).gpu().memLimitBytes());
        // the TensorRT EP's CUDA fallback gets the device only
        assertEquals(
                Map.of("device_id", "1"),
                new EngineSettings(EngineKind.TENSORRT_EP, 1, false, null, 1).cudaProviderOptions());
    }

    @Test
    void gpuEnginesFailAtStartNamingWhatIsMissing() {
        // the options reach ONNX Runtime's native SessionOptions, which answers that the provider library is absent
        Failure trt = assertThrows(
                Failure.class,
                () -> Upscaler.load(
                        MODEL, new EngineSettings(EngineKind.TENSORRT_EP, 0, true, Path.of("trt-cache"), 1), json));
        assertEquals(ErrorCode.MODEL_ERROR, trt.code());
        assertTrue(trt.getMessage().contains("Failed to find TensorRT shared provider"), trt.getMessage());
        assertTrue(trt.getMessage().contains("-Pgpu"), trt.getMessage());

        Failure cuda = assertThrows(
                Failure.class,
                () -> Upscaler.load(MODEL, new EngineSettings(EngineKind.CUDA, 0, false, null, 1), json));
        assertTrue(cuda.getMessage().startsWith("engine cuda on gpu0: "), cuda.getMessage());
        if (!ServiceLoader.load(ClipEngineFactory.class).iterator().hasNext()) {
            // the CPU build says which build has the engine; the -Pgpu build's own tests check its messages
            assertTrue(cuda.getMessage().contains("mvn -Pgpu"), cuda.getMessage());
        }

        Failure tensorRt = assertThrows(
                Failure.class,
                () -> Upscaler.load(MODEL, new EngineSettings(EngineKind.TENSORRT, 0, true, null, 1), json));
        assertTrue(tensorRt.getMessage().startsWith("engine tensorrt on gpu0: "), tensorRt.getMessage());
        if (!ServiceLoader.load(ClipEngineFactory.class).iterator().hasNext()) {
            assertTrue(tensorRt.getMessage().contains("mvn -Pgpu"), tensorRt.getMessage());
        }
    }

    @Test
    void theCliExitsNonZeroBeforeDoingAnythingWithAMissingEngine() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            rc = Main.run("upscale", "--engine", "tensorrt-ep", "--model", MODEL.toString(), "in.mp4", "out.mp4");
        } finally {
            System.setErr(err);
        }
        assertEquals(1, rc);
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("error [MODEL_ERROR]: engine tensorrt-ep on gpu0"), text);
    }
}
