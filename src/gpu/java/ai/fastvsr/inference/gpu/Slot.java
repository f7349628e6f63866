package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaMemsetAsync;

import ai.fastvsr.video.RgbImage;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;

/**
 * What one clip in flight needs on the GPU, owned by one concurrent job at a time: a stream, pinned host buffers
 * for packed frames in and out, device buffers for the packed frames and for the model's float tensors, and the
 * runtime's per-slot state. Buffers are allocated at the first clip and grow only when a larger one comes, so a
 * job's clips cost no allocation after its first.
 *
 * <p>One clip: pack frames into pinned memory (a bulk copy per frame) → copy in (async, the slot's stream) →
 * convert to planar floats (kernel) → wait for the stream (ORT runs on streams of its own; an engine that enqueues
 * on the slot's stream needs no wait) → run the model → convert to packed samples (kernel) →
 * copy out (async) → wait → unpack (a bulk copy per frame). While this slot waits, other slots copy and convert
 * on their own streams, and ORT runs their models on its streams: the copies of one job overlap the compute of
 * another.
 */
final class Slot implements AutoCloseable {
    private final int device;
    private final ConversionKernels kernels;
    private final DeviceEngine.Run run;
    private final boolean runsOnOurStream;
    private final Timings timings;
    private final CudaStream stream = new CudaStream();
    private final PinnedMemory hostIn = new PinnedMemory("packed input frames");
    private final PinnedMemory hostOut = new PinnedMemory("packed output frames");
    private final DeviceMemory packedIn = new DeviceMemory("packed input frames");
    private final DeviceMemory planarIn = new DeviceMemory("model input");
    private final DeviceMemory planarOut = new DeviceMemory("model output");
    private final DeviceMemory packedOut = new DeviceMemory("packed output frames");

    Slot(int device, ConversionKernels kernels, DeviceEngine engine, Timings timings) {
        this.device = device;
        this.kernels = kernels;
        this.run = engine.newRun();
        this.runsOnOurStream = engine.runsOnCallerStream();
        this.timings = timings;
    }

    List<RgbImage> upscale(List<RgbImage> clip, ClipGeometry g) {
        Cuda.useDevice(device);
        long t0 = System.nanoTime();
        BytePointer in = hostIn.ensure(g.inputBytes());
        FramePacking.pack(clip, g, in);
        long t1 = System.nanoTime();

        DeviceTensor input = modelInput(g);
        DeviceTensor output = modelOutput(g);
        long packedInAddress = packedIn.ensure(g.inputBytes());
        long packedOutAddress = packedOut.ensure(g.outputBytes());
        BytePointer out = hostOut.ensure(g.outputBytes());

        Cuda.check(
                cudaMemcpyAsync(
                        new DeviceAddress(packedInAddress),
                        in,
                        g.inputBytes(),
                        cudaMemcpyHostToDevice,
                        stream.handle()),
                "cudaMemcpyAsync (frames to the GPU)");
        kernels.toPlanar(stream, packedInAddress, input.address(), g);
        if (!runsOnOurStream) {
            stream.synchronize("the input conversion");
        }
        long t2 = System.nanoTime();

        run.run(input, output, stream);
        long t3 = System.nanoTime();

        kernels.toPacked(stream, output.address(), packedOutAddress, g);
        Cuda.check(
                cudaMemcpyAsync(
                        out,
                        new DeviceAddress(packedOutAddress),
                        g.outputBytes(),
                        cudaMemcpyDeviceToHost,
                        stream.handle()),
                "cudaMemcpyAsync (frames from the GPU)");
        stream.synchronize("the output conversion and copy");
        long t4 = System.nanoTime();

        List<RgbImage> frames = FramePacking.unpack(g, out);
        long t5 = System.nanoTime();
        timings.add(g.t(), t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4);
        return frames;
    }

    /** Before {@link #timeModelOnly}: sizes the device tensors, zeroes the input, runs once (lazy loads, tactics). */
    void warmModelOnly(ClipGeometry g) {
        Cuda.useDevice(device);
        DeviceTensor input = modelInput(g);
        DeviceTensor output = modelOutput(g);
        Cuda.check(
                cudaMemsetAsync(new DeviceAddress(input.address()), 0, input.bytes(), stream.handle()),
                "cudaMemsetAsync");
        run.run(input, output, stream);
        stream.synchronize("the warm-up run");
    }

    /**
     * The model alone, {@code runs} times back to back on this slot's device tensors, returning when the last is
     * done: the model with nothing crossing the PCIe bus. Other slots may run theirs at the same time.
     */
    void timeModelOnly(ClipGeometry g, int runs) {
        Cuda.useDevice(device);
        DeviceTensor input = modelInput(g);
        DeviceTensor output = modelOutput(g);
        for (int i = 0; i < runs; i++) {
            if (!runsOnOurStream) {
                stream.synchronize("the previous run");
            }
            run.run(input, output, stream);
        }
        stream.synchronize("the timed runs");
    }

    /** The model's float input for {@code g}, in this slot's buffer (grown if needed). */
    private DeviceTensor modelInput(ClipGeometry g) {
        return new DeviceTensor(planarIn.ensure(ClipGeometry.floatBytes(g.inputShape())), g.inputShape());
    }

    private DeviceTensor modelOutput(ClipGeometry g) {
        return new DeviceTensor(planarOut.ensure(ClipGeometry.floatBytes(g.outputShape())), g.outputShape());
    }

    /**
     * After a failure (out of memory above all): waits for what is still queued, then frees every buffer, so the
     * next clip starts clean and the memory is back for the other slots meanwhile.
     */
    void reset() {
        try {
            stream.synchronize("a failed clip");
        } catch (CudaException ignored) {
            // the stream's error is the one being reported already
        }
        hostIn.close();
        hostOut.close();
        packedIn.close();
        planarIn.close();
        planarOut.close();
        packedOut.close();
    }

    @Override
    public void close() {
        reset();
        run.close();
        stream.close();
    }
}
