package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.cudaEventCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaEventDestroy;
import static org.bytedeco.cuda.global.cudart.cudaEventDisableTiming;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaStreamWaitEvent;
import static org.bytedeco.tensorrt.global.nvinfer.createInferRuntime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.Dims32;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * TensorRT plans as the slots' runtime: one plan per tile shape (a plan's H and W are fixed: {@link PlanProfile}),
 * each deserialized once with one execution context, all run on one stream of the engine's own.
 * <ul>
 *   <li>Plans for the shapes the worker expects are made ready at start; a clip of another shape gets its plan
 *       when it first comes ({@link Plans}: from the cache, or built, minutes), and clips of the same shape wait
 *       for that one build.</li>
 *   <li>Why one context per plan, shared: contexts running at once need an optimisation profile each, and every
 *       profile multiplies the build time; one context already keeps the GPU busy, so slots gain from overlapping
 *       their copies and conversions with its runs, not from a second model in flight.</li>
 *   <li>Ordering without host waits: a run records an event on the slot's stream (input converted), makes the
 *       engine's stream wait for it, enqueues the model, and makes the slot's stream wait for the model's end. The
 *       host holds a lock only while it sets shape and addresses and enqueues; a context's scratch memory is
 *       reused by the next run in stream order, never concurrently.</li>
 * </ul>
 */
final class TensorRtEngine implements DeviceEngine {
    /** Where plans come from: a valid cached one, else a fresh build. */
    interface Plans {
        /** The serialized plan for input tiles of {@code height x width}; {@code rejected} asks for a rebuild. */
        byte[] plan(int height, int width, boolean rejected);

        /** One line about the plan for the shape (file, how it was obtained). */
        String describe(int height, int width);
    }

    private record Shape(int height, int width) {}

    /** A deserialized plan and its execution context. */
    private record Loaded(ICudaEngine engine, IExecutionContext context, long contextBytes) {}

    private final IRuntime runtime;
    private final Plans plans;
    private final String inputName;
    private final String outputName;
    private final Map<Shape, Loaded> loaded = new ConcurrentHashMap<>();
    private final CudaStream stream = new CudaStream();
    private final ReentrantLock enqueue = new ReentrantLock();
    private final List<String> described = new ArrayList<>();

    TensorRtEngine(Plans plans, String inputName, String outputName) {
        TensorRtLog log = TensorRtLog.INSTANCE;
        this.runtime = createInferRuntime(log);
        if (runtime == null || runtime.isNull()) {
            throw new CudaException("TensorRT could not create a runtime: " + log.lastError(), false);
        }
        this.plans = plans;
        this.inputName = inputName;
        this.outputName = outputName;
    }

    /** Makes the plan for tiles of {@code height x width} ready now (at start, rather than in the first job). */
    void prepare(int height, int width) {
        plan(new Shape(height, width));
    }

    private Loaded plan(Shape shape) {
        // one build per shape: later clips of the shape wait for it, clips of other shapes do not
        return loaded.computeIfAbsent(shape, s -> {
            Loaded l = deserialize(plans.plan(s.height(), s.width(), false));
            if (l == null) {
                l = deserialize(plans.plan(s.height(), s.width(), true));
                if (l == null) {
                    throw new CudaException(
                            "TensorRT rejected the plan it just built for " + s.width() + "x" + s.height() + ": "
                                    + TensorRtLog.INSTANCE.lastError(),
                            false);
                }
            }
            synchronized (described) {
                described.add(plans.describe(s.height(), s.width()) + ", context memory " + l.contextBytes() / (1 << 20)
                        + " MiB");
            }
            return l;
        });
    }

    /** The plan as TensorRT loads it, or null when TensorRT rejects it (another version or GPU, damaged). */
    private Loaded deserialize(byte[] plan) {
        TensorRtLog log = TensorRtLog.INSTANCE;
        ICudaEngine engine;
        try (BytePointer bytes = new BytePointer(plan)) {
            engine = runtime.deserializeCudaEngine(bytes, plan.length);
        }
        if (engine == null || engine.isNull()) {
            return null;
        }
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < engine.getNbIOTensors(); i++) {
            String name = engine.getIOTensorName(i);
            (engine.getTensorIOMode(name).value == TensorIOMode.kINPUT.value ? inputs : outputs).add(name);
            if (engine.getTensorDataType(name).value != DataType.kFLOAT.value) {
                throw new CudaException(
                        "the plan's tensor " + name + " is not float32: rebuild it from the card's " + "float32 ONNX",
                        false);
            }
        }
        if (!inputs.equals(List.of(inputName)) || !outputs.equals(List.of(outputName))) {
            throw new CudaException(
                    "the card names input " + inputName + " and output " + outputName + ", the plan has inputs "
                            + inputs + " and outputs " + outputs,
                    false);
        }
        IExecutionContext context = engine.createExecutionContext();
        if (context == null || context.isNull()) {
            throw new CudaException(
                    "TensorRT could not create an execution context (" + engine.getDeviceMemorySize() / (1 << 20)
                            + " MiB of device memory): " + log.lastError(),
                    true);
        }
        return new Loaded(engine, context, engine.getDeviceMemorySize());
    }

    /** The run is enqueued on the engine's stream and ordered with the slot's by events: no host wait. */
    @Override
    public boolean runsOnCallerStream() {
        return true;
    }

    @Override
    public Run newRun() {
        return new TrtRun();
    }

    @Override
    public String describe() {
        synchronized (described) {
            return String.join("; ", described);
        }
    }

    @Override
    public void close() {
        enqueue.lock();
        try {
            stream.synchronize("closing TensorRT");
            for (Loaded l : loaded.values()) {
                l.context().close();
                l.engine().close();
            }
            loaded.clear();
            runtime.close();
            stream.close();
        } finally {
            enqueue.unlock();
        }
    }

    private final class TrtRun implements Run {
        private final CUevent_st inputReady = event();
        private final CUevent_st modelDone = event();

        @Override
        public void run(DeviceTensor input, DeviceTensor output, CudaStream caller) {
            long[] s = input.shape();
            IExecutionContext context = plan(new Shape((int) s[3], (int) s[4])).context();
            enqueue.lock();
            try (Dims32 shape = TensorRtBuilder.dims(s)) {
                Cuda.check(cudaEventRecord(inputReady, caller.handle()), "cudaEventRecord");
                Cuda.check(cudaStreamWaitEvent(stream.handle(), inputReady, 0), "cudaStreamWaitEvent");
                if (!context.setInputShape(inputName, shape)) {
                    throw new CudaException(
                            "TensorRT refused the input shape " + Arrays.toString(s)
                                    + " (outside the plan's profile?): " + TensorRtLog.INSTANCE.lastError(),
                            false);
                }
                context.setTensorAddress(inputName, new DeviceAddress(input.address()));
                context.setTensorAddress(outputName, new DeviceAddress(output.address()));
                if (!context.enqueueV3(stream.handle())) {
                    throw new CudaException(
                            "TensorRT could not enqueue the model: " + TensorRtLog.INSTANCE.lastError(), false);
                }
                Cuda.check(cudaEventRecord(modelDone, stream.handle()), "cudaEventRecord");
                Cuda.check(cudaStreamWaitEvent(caller.handle(), modelDone, 0), "cudaStreamWaitEvent");
            } finally {
                enqueue.unlock();
            }
        }

        @Override
        public void close() {
            cudaEventDestroy(inputReady);
            cudaEventDestroy(modelDone);
        }
    }

    private static CUevent_st event() {
        CUevent_st event = new CUevent_st();
        Cuda.check(cudaEventCreateWithFlags(event, cudaEventDisableTiming), "cudaEventCreateWithFlags");
        return event;
    }
}
