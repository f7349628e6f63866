package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.cudaEventCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaEventDestroy;
import static org.bytedeco.cuda.global.cudart.cudaEventDisableTiming;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaStreamWaitEvent;
import static org.bytedeco.tensorrt.global.nvinfer.createInferRuntime;

import java.util.ArrayList;
import java.util.List;
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
 * A deserialized TensorRT plan as the slots' runtime. The model runs on a stream of the engine's own, through one
 * execution context that every slot shares in turn:
 * <ul>
 *   <li>why one context: each context that runs concurrently needs an optimisation profile of its own, and every
 *       profile multiplies the build time (minutes each); one context already keeps the GPU busy (1167 frames/s on
 *       the H200), so slots gain from overlapping their copies and conversions with its runs, not from a second
 *       model in flight;</li>
 *   <li>ordering without host waits: a run records an event on the slot's stream (input converted), makes the
 *       engine's stream wait for it, enqueues the model, and makes the slot's stream wait for the model's end. The
 *       host only holds a lock while it sets the context's shape and addresses and enqueues; the context's scratch
 *       memory is reused by the next run in stream order, never concurrently.</li>
 * </ul>
 */
final class TensorRtEngine implements DeviceEngine {
    private final IRuntime runtime;
    private final ICudaEngine engine;
    private final IExecutionContext context;
    private final CudaStream stream = new CudaStream();
    private final ReentrantLock enqueue = new ReentrantLock();
    private final String inputName;
    private final String outputName;
    private final String description;

    private TensorRtEngine(IRuntime runtime, ICudaEngine engine, IExecutionContext context, String inputName,
                           String outputName, String description) {
        this.runtime = runtime;
        this.engine = engine;
        this.context = context;
        this.inputName = inputName;
        this.outputName = outputName;
        this.description = description;
    }

    /**
     * Deserializes {@code plan}; null when TensorRT rejects it (a plan of another version or GPU, or damaged), so
     * the caller can build a fresh one.
     */
    static TensorRtEngine deserialize(byte[] plan, String inputName, String outputName, String description) {
        TensorRtLog log = TensorRtLog.INSTANCE;
        IRuntime runtime = createInferRuntime(log);
        if (runtime == null || runtime.isNull()) {
            throw new CudaException("TensorRT could not create a runtime: " + log.lastError(), false);
        }
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
                throw new CudaException("the plan's tensor " + name + " is not float32: rebuild it from the card's "
                        + "float32 ONNX", false);
            }
        }
        if (!inputs.equals(List.of(inputName)) || !outputs.equals(List.of(outputName))) {
            throw new CudaException("the card names input " + inputName + " and output " + outputName
                    + ", the plan has inputs " + inputs + " and outputs " + outputs, false);
        }
        IExecutionContext context = engine.createExecutionContext();
        if (context == null || context.isNull()) {
            throw new CudaException("TensorRT could not create an execution context (" + engine.getDeviceMemorySize()
                    / (1 << 20) + " MiB of device memory): " + log.lastError(), true);
        }
        return new TensorRtEngine(runtime, engine, context, inputName, outputName,
                description + ", context memory " + engine.getDeviceMemorySize() / (1 << 20) + " MiB");
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
        return description;
    }

    @Override
    public void close() {
        enqueue.lock();
        try {
            stream.synchronize("closing TensorRT");
            context.close();
            engine.close();
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
            enqueue.lock();
            try (Dims32 shape = TensorRtBuilder.dims(input.shape())) {
                Cuda.check(cudaEventRecord(inputReady, caller.handle()), "cudaEventRecord");
                Cuda.check(cudaStreamWaitEvent(stream.handle(), inputReady, 0), "cudaStreamWaitEvent");
                if (!context.setInputShape(inputName, shape)) {
                    throw new CudaException("TensorRT refused the input shape " + java.util.Arrays.toString(
                            input.shape()) + " (outside the plan's profile?): " + TensorRtLog.INSTANCE.lastError(),
                            false);
                }
                context.setTensorAddress(inputName, new DeviceAddress(input.address()));
                context.setTensorAddress(outputName, new DeviceAddress(output.address()));
                if (!context.enqueueV3(stream.handle())) {
                    throw new CudaException("TensorRT could not enqueue the model: " + TensorRtLog.INSTANCE.lastError(),
                            false);
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
