package ai.fastvsr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.testing.TileMemoryProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A 1920x1080 frame (7680x4320 out) through the CPU engine in a JVM capped at 512 MiB of heap: with 256-pixel
 * tiles it fits; the same frame untiled does not — so the cap is a real constraint, and tiling is what meets it.
 */
class TiledMemoryIT {
    private static final String HEAP = "-Xmx512m";

    @Test
    void hdFrameFitsTheHeapOnlyWhenTiled() throws Exception {
        Result tiled = probe(256);
        assertEquals(0, tiled.rc, tiled.output);
        assertTrue(tiled.output.contains("ok 7680x4320"), tiled.output);
        System.out.println("tile 256 under " + HEAP + ": "
                + tiled.output
                        .lines()
                        .filter(l -> l.startsWith("ok"))
                        .findFirst()
                        .orElse("?") + ", peak RSS " + tiled.peakRssMb + " MiB");

        Result untiled = probe(0);
        assertNotEquals(0, untiled.rc, "untiled should not fit " + HEAP + ": " + untiled.output);
        assertTrue(untiled.output.contains("OutOfMemoryError"), untiled.output);
    }

    private record Result(int rc, String output, long peakRssMb) {}

    private static Result probe(int tile) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(
                        java,
                        HEAP,
                        "-Dai.djl.offline=true",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TileMemoryProbe.class.getName(),
                        String.valueOf(tile)))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        long peakKb = 0;
        StringBuilder out = new StringBuilder();
        Thread pump = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // ended
            }
        });
        pump.start();
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakKb = Math.max(peakKb, Long.parseLong(line.replaceAll("\\D", "")));
                    }
                }
            } catch (IOException ignored) {
                // process just ended
            }
        }
        pump.join();
        return new Result(p.exitValue(), out.toString(), peakKb >> 10);
    }
}
