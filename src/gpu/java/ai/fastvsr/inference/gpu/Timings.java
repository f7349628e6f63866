package ai.fastvsr.inference.gpu;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where the time of the CUDA engine's clips goes, summed over all slots (so with several slots the parts add up to
 * more than the wall time): packing frames into pinned memory, copy in + input conversion, the model, output
 * conversion + copy out, unpacking into frames. {@code bench} prints it per frame.
 *
 * <p>An engine that enqueues on the slot's stream (TensorRT) returns before its model has run: its "model" is the
 * time to enqueue, and the model's GPU time falls into the wait that ends "convert + copy out". The labels say so,
 * since a TensorRT breakdown read as ORT's once passed GPU time off as host work (2026-11-30, docs/benchmarks.md).
 */
final class Timings {
    private final boolean modelEnqueued;
    private final LongAdder frames = new LongAdder();
    private final LongAdder pack = new LongAdder();
    private final LongAdder upload = new LongAdder();
    private final LongAdder model = new LongAdder();
    private final LongAdder download = new LongAdder();
    private final LongAdder unpack = new LongAdder();

    Timings(boolean modelEnqueued) {
        this.modelEnqueued = modelEnqueued;
    }

    void add(int clipFrames, long packNs, long uploadNs, long modelNs, long downloadNs, long unpackNs) {
        frames.add(clipFrames);
        pack.add(packNs);
        upload.add(uploadNs);
        model.add(modelNs);
        download.add(downloadNs);
        unpack.add(unpackNs);
    }

    /** Milliseconds per frame of each part since the last report; resets. */
    String reportAndReset() {
        long n = frames.sumThenReset();
        long[] parts = {
            pack.sumThenReset(),
            upload.sumThenReset(),
            model.sumThenReset(),
            download.sumThenReset(),
            unpack.sumThenReset()
        };
        if (n == 0) {
            return "";
        }
        return String.format(
                "ms per frame, summed over slots: pack %.3f, copy in + convert %.3f, %s %.3f, %s %.3f, unpack %.3f "
                        + "(%d frames)",
                parts[0] / 1e6 / n,
                parts[1] / 1e6 / n,
                modelEnqueued ? "model enqueued" : "model",
                parts[2] / 1e6 / n,
                modelEnqueued ? "model on the GPU + convert + copy out" : "convert + copy out",
                parts[3] / 1e6 / n,
                parts[4] / 1e6 / n,
                n);
    }
}
