package ai.fastvsr.cli;

import ai.fastvsr.inference.OrtTempFolder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (Kubernetes, docker stop, Ctrl-C) handled by the program, not by the JVM's shutdown: a shutdown
 * also runs ONNX Runtime's own hook, which frees its environment while a clip in flight still runs in it (SIGSEGV in
 * libonnxruntime), and it skips the finally blocks that remove half-done files. The first signal runs {@code onFirst}
 * with the exit status it stands for (128 + its number); a second one ends the process at once.
 */
final class StopSignals {
    private final Map<Signal, SignalHandler> previous = new HashMap<>();

    private StopSignals(IntConsumer onFirst) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, s -> {
                    int status = 128 + s.getNumber();
                    if (stopping.compareAndSet(false, true)) {
                        onFirst.accept(status);
                    } else {
                        Runtime.getRuntime().halt(status);
                    }
                }));
            } catch (IllegalArgumentException e) {
                // no such signal on this platform: the JVM's default stays
            }
        }
    }

    /**
     * Ends the process now with {@code status}, skipping the JVM's shutdown (see above), after the two things of it
     * that matter here: ONNX Runtime's unpacked libraries are removed and the output streams flushed.
     */
    static void halt(int status) {
        OrtTempFolder.removeNow();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    static StopSignals handle(IntConsumer onFirst) {
        return new StopSignals(onFirst);
    }

    /** The handlers from before, for a command that ended without a signal. */
    void restore() {
        previous.forEach(Signal::handle);
    }
}
