package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.testing.Ffmpeg;
import ai.fastvsr.testing.JarRun;
import ai.fastvsr.testing.ProcessLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGTERM from the test) in the middle of the one-shot commands, as a user stops a long run: no half-written
 * output, nothing left in the temp folder, no native crash of ONNX Runtime, and the process gone well inside its grace.
 */
class InterruptedCommandIT {
    static final Path JAR = Path.of("target/fastvsr-worker.jar");

    @TempDir
    Path dir;

    @Test
    void upscaleLeavesNoHalfWrittenOutput() throws Exception {
        Path in = dir.resolve("in.mp4");
        Ffmpeg.makeClip(in, 96, 64, 30, 20); // 600 frames: far more than the few seconds before the signal
        Path out = dir.resolve("out.mp4");
        Process p = JarRun.start(JAR, dir, Map.of(), "upscale", in.toString(), out.toString());
        ProcessLines log = ProcessLines.follow(p, "[upscale] ", "\u0000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(Files.isRegularFile(out) && Files.size(out) > 0) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive() && Files.size(out) > 0, "writing when stopped:\n" + log.text());
        Thread.sleep(1500);
        sigterm(p);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gone after SIGTERM");
        log.join();
        assertFalse(Files.exists(out), "a half-written output left:\n" + log.text());
        assertStoppedCleanly(p, log);
    }

    @Test
    void benchLeavesNoScratch() throws Exception {
        Process p = JarRun.start(JAR, dir, Map.of(), "bench", "--size", "96x64", "--frames", "600", "--runs", "3");
        ProcessLines log = ProcessLines.follow(p, "[bench] ", "engine");
        assertTrue(log.awaitReady(90), log.text());
        Thread.sleep(3000); // into the warm-up run
        assertTrue(p.isAlive(), "still measuring when stopped:\n" + log.text());
        sigterm(p);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gone after SIGTERM");
        log.join();
        assertStoppedCleanly(p, log);
    }

    /** As Ctrl-C or kill would; Process.destroy() sends the same signal but closes our end of its output first. */
    private static void sigterm(Process p) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-TERM", Long.toString(p.pid()))
                        .start()
                        .waitFor());
    }

    private void assertStoppedCleanly(Process p, ProcessLines log) throws IOException {
        assertEquals(143, p.exitValue(), "exit status of a SIGTERM:\n" + log.text());
        assertTrue(log.text().contains("interrupted: stopping"), "says what it does:\n" + log.text());
        assertFalse(log.text().contains("fatal error has been detected"), log.text());
        assertFalse(log.text().contains("the model is left open"), "the engine freed:\n" + log.text());
        assertEquals(List.of(), list(dir, "hs_err_pid"), "a JVM crash report");
        // every run, stopped or not, keeps its caches and ONNX Runtime's (empty) native folder there
        List<String> left = list(dir.resolve("java-tmp"), "").stream()
                .filter(n -> !JarRun.CACHES.contains(n) && !n.startsWith("onnxruntime-java"))
                .toList();
        assertEquals(List.of(), left, "left in the temp folder");
    }

    private static List<String> list(Path folder, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(prefix))
                    .toList();
        }
    }
}
