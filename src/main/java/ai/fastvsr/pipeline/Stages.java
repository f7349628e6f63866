package ai.fastvsr.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A few threads that live and die together: the first one to fail interrupts the others, and {@link #join()}
 * rethrows that first failure once every thread has stopped — so whoever owns the native resources can free them
 * knowing nobody still uses them.
 */
final class Stages {
    /** A stage's body; may block on queues and is expected to end when interrupted. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private final String name;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Stages(String name) {
        this.name = name;
    }

    void start(String stage, Body body) {
        Thread thread = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (Throwable t) {
                        if (failure.compareAndSet(null, t)) {
                            cancel();
                        }
                    }
                },
                name + "-" + stage);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Interrupts every stage; they end at their next blocking call. */
    void cancel() {
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                t.interrupt();
            }
        }
    }

    /** Waits for all stages; throws the first failure, if any. An interrupt of the caller cancels the stages. */
    void join() throws Exception {
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    failure.compareAndSet(null, e);
                    cancel();
                }
            }
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }
}
