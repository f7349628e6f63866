package ai.fastvsr.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A child process's output, read line by line on a thread of its own, echoed with a prefix and kept for asserts. */
public final class ProcessLines {
    private final List<String> lines = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread pump;

    private ProcessLines(Process process, String prefix, String readyMarker) {
        pump = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    System.out.println(prefix + line);
                    if (line.contains(readyMarker)) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        pump.start();
    }

    /** Starts reading; {@link #awaitReady} returns once a line contains {@code readyMarker}. */
    public static ProcessLines follow(Process process, String prefix, String readyMarker) {
        return new ProcessLines(process, prefix, readyMarker);
    }

    public boolean awaitReady(long seconds) throws InterruptedException {
        return ready.await(seconds, TimeUnit.SECONDS);
    }

    public String text() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Waits a little for the last lines after the process ended. */
    public void join() throws InterruptedException {
        pump.join(5000);
    }
}
