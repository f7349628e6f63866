package ai.fastvsr.inference.gpu;

import static org.bytedeco.tensorrt.global.nvinfer.createInferRuntime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.Dims32;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * TensorRT plans as the slots' runtime: one plan per tile shape (a plan's input shape is fixed: {@link PlanProfile}),
 * each deserialized once, and an execution context of it per slot.
 * <ul>
 *   <li>Plans for the shapes the worker expects are made ready at start; a clip of another shape gets its plan
 *       when it first comes ({@link Plans}: from the cache, or built, minutes), and clips of the same shape wait
 *       for that one build.</li>
 *   <li>Why a context per slot: a context is the plan's scratch memory and its enqueued work, and a plan without
 *       dynamic dimensions may run in any number of contexts at once. With one per slot, each slot enqueues the
 *       model on its own stream, behind its own input conversion, with no lock, no events and no host wait, and
 *       the clips of concurrent jobs overlap on the GPU rather than queueing behind one context. The price is a
 *       context's memory per slot (838 MiB for 480x272 tiles of 8 frames), which the tile choice accounts for.</li>
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

    private final IRuntime runtime;
    private final Plans plans;
    private final String inputName;
    private final String outputName;
    private final int frames;
    private final Map<Shape, ICudaEngine> loaded = new ConcurrentHashMap<>();
    private final List<String> described = new ArrayList<>();

    /** {@code frames}: the clip length every plan is built for (the card's). */
    TensorRtEngine(Plans plans, String inputName, String outputName, int frames) {
        TensorRtLog log = TensorRtLog.INSTANCE;
        this.runtime = createInferRuntime(log);
        if (runtime == null || runtime.isNull()) {
            throw new CudaException("TensorRT could not create a runtime: " + log.lastError(), false);
        }
        this.plans = plans;
        this.inputName = inputName;
        this.outputName = outputName;
        this.frames = frames;
    }

    /** Makes the plan for tiles of {@code height x width} ready now (at start, rather than in the first job). */
    void prepare(int height, int width) {
        plan(new Shape(height, width));
    }

    private ICudaEngine plan(Shape shape) {
        // one build per shape: later clips of the shape wait for it, clips of other shapes do not
        return loaded.computeIfAbsent(shape, s -> {
            ICudaEngine engine = deserialize(plans.plan(s.height(), s.width(), false));
            if (engine == null) {
                engine = deserialize(plans.plan(s.height(), s.width(), true));
                if (engine == null) {
                    throw new CudaException(
                            "TensorRT rejected the plan it just built for " + s.width() + "x" + s.height() + ": "
                                    + TensorRtLog.INSTANCE.lastError(),
                            false);
                }
            }
            synchronized (described) {
                described.add(plans.describe(s.height(), s.width()) + ", context memory "
                        + engine.getDeviceMemorySize() / (1 << 20) + " MiB per slot");
            }
            return engine;
        });
    }

    /** The plan as TensorRT loads it, or null when TensorRT rejects it (another version or GPU, damaged). */
    private ICudaEngine deserialize(byte[] plan) {
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
        return engine;
    }

    /** The run is enqueued on the slot's stream: stream order alone sequences it, no host wait. */
    @Override
    public boolean runsOnCallerStream() {
        return true;
    }

    /** Plans are built for whole clips: a shorter one (the load-time probe) is padded to this. */
    @Override
    public int fixedFrames() {
        return frames;
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

    /** After the slots (and their contexts) are closed. */
    @Override
    public void close() {
        for (ICudaEngine engine : loaded.values()) {
            engine.close();
        }
        loaded.clear();
        runtime.close();
    }

    /** A slot's contexts, one per plan it has run. */
    private final class TrtRun implements Run {
        private final Map<Shape, IExecutionContext> contexts = new HashMap<>();

        @Override
        public void run(DeviceTensor input, DeviceTensor output, CudaStream caller) {
            long[] s = input.shape();
            IExecutionContext context = contexts.computeIfAbsent(new Shape((int) s[3], (int) s[4]), h -> context(h, s));
            context.setTensorAddress(inputName, new DeviceAddress(input.address()));
            context.setTensorAddress(outputName, new DeviceAddress(output.address()));
            if (!context.enqueueV3(caller.handle())) {
                throw new CudaException(
                        "TensorRT could not enqueue the model: " + TensorRtLog.INSTANCE.lastError(), false);
            }
        }

        /** A context of the plan for {@code shape}, its input shape set once: the plan's shape is fixed. */
        private IExecutionContext context(Shape shape, long[] inputShape) {
            ICudaEngine engine = plan(shape);
            IExecutionContext context;
            synchronized (engine) { // slots make their first contexts at once; one at a time is cheap and sure
                context = engine.createExecutionContext();
            }
            if (context == null || context.isNull()) {
                throw new CudaException(
                        "TensorRT could not create an execution context (" + engine.getDeviceMemorySize() / (1 << 20)
                                + " MiB of device memory): " + TensorRtLog.INSTANCE.lastError(),
                        true);
            }
            try (Dims32 dims = TensorRtBuilder.dims(inputShape)) {
                if (!context.setInputShape(inputName, dims)) {
                    context.close();
                    throw new CudaException(
                            "TensorRT refused the input shape " + Arrays.toString(inputShape)
                                    + " (the plan's is fixed): " + TensorRtLog.INSTANCE.lastError(),
                            false);
                }
            }
            return context;
        }

        @Override
        public void close() {
            for (IExecutionContext context : contexts.values()) {
                context.close();
            }
            contexts.clear();
        }
    }
}
