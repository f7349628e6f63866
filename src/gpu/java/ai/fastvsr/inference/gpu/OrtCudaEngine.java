package ai.fastvsr.inference.gpu;

import static org.bytedeco.onnxruntime.global.onnxruntime.GetVersionString;
import static org.bytedeco.onnxruntime.global.onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
import static org.bytedeco.onnxruntime.global.onnxruntime.ORT_ENABLE_ALL;
import static org.bytedeco.onnxruntime.global.onnxruntime.ORT_LOGGING_LEVEL_WARNING;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtDeviceAllocator;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtMemTypeDefault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.onnxruntime.CUDAProviderOptions;
import org.bytedeco.onnxruntime.Env;
import org.bytedeco.onnxruntime.IoBinding;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.RunOptions;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.SessionOptions;
import org.bytedeco.onnxruntime.StringStringMap;
import org.bytedeco.onnxruntime.StringVector;
import org.bytedeco.onnxruntime.Value;

/**
 * ONNX Runtime's CUDA execution provider on device buffers, through ORT's C++ API (JavaCPP presets): one session
 * shared by every slot, one {@link IoBinding} per slot bound to that slot's device tensors, so no tensor ever
 * leaves the GPU inside ORT.
 *
 * <p>Ordering between the slot's stream and ORT's streams: the slot synchronises its stream before
 * {@link Run#run} (the input is complete), and {@code Session::Run} returns only after ORT synchronised the streams
 * it ran on (run option {@code disable_synchronize_execution_providers=0}, ORT's default, set explicitly here),
 * so the output is complete when the slot queues its next kernel. {@code IoBinding::SynchronizeOutputs} is not
 * used: on the CUDA provider it synchronises the whole device, which would stall the other slots. ORT picks its
 * own stream per concurrent run, so runs of different slots overlap on the GPU.
 */
final class OrtCudaEngine implements DeviceEngine {
    private static Env env;

    private final Session session;
    private final MemoryInfo deviceMemory;
    private final String inputName;
    private final String outputName;
    private final String description;
    /** ORT's name of the arena to shrink after an out-of-memory failure: gpu:N, or cpu:0 on the host. */
    private final String arena;
    /** Set after an out-of-memory failure: the next run hands ORT's unused arena chunks back to the device. */
    private final AtomicBoolean shrinkArena = new AtomicBoolean();

    private OrtCudaEngine(
            Session session,
            MemoryInfo deviceMemory,
            String inputName,
            String outputName,
            String description,
            String arena) {
        this.session = session;
        this.deviceMemory = deviceMemory;
        this.inputName = inputName;
        this.outputName = outputName;
        this.description = description;
        this.arena = arena;
    }

    private static synchronized Env env() {
        if (env == null) {
            env = new Env(ORT_LOGGING_LEVEL_WARNING, "fastvsr");
        }
        return env;
    }

    /**
     * @param providerOptions the CUDA provider's options by ORT's names (device_id, gpu_mem_limit, ...)
     */
    static OrtCudaEngine open(
            Path model, String inputName, String outputName, int deviceId, Map<String, String> providerOptions) {
        return create(
                model,
                inputName,
                outputName,
                "gpu:" + deviceId,
                options -> {
                    try (CUDAProviderOptions cuda = new CUDAProviderOptions();
                            StringStringMap map = new StringStringMap()) {
                        List<BytePointer> keys = new ArrayList<>();
                        try {
                            for (var e : providerOptions.entrySet()) {
                                BytePointer key = new BytePointer(e.getKey());
                                keys.add(key);
                                map.put(key, e.getValue());
                            }
                            cuda.Update(map);
                            options.AppendExecutionProvider_CUDA_V2(cuda.asOrtCUDAProviderOptionsV2());
                        } finally {
                            keys.forEach(Pointer::close);
                        }
                    }
                },
                new MemoryInfo("Cuda", OrtDeviceAllocator, deviceId, OrtMemTypeDefault),
                "CUDA provider");
    }

    /**
     * The same engine on ORT's CPU provider with tensors in host memory: everything but the CUDA provider (the
     * loading of bytedeco's ORT, the session, bindings to memory we own, run options) can then be exercised on a
     * machine without a GPU (OrtBindingTest).
     */
    static OrtCudaEngine onHost(Path model, String inputName, String outputName) {
        return create(
                model,
                inputName,
                outputName,
                "cpu:0",
                options -> {},
                MemoryInfo.CreateCpu(OrtDeviceAllocator, OrtMemTypeDefault),
                "CPU provider");
    }

    private static OrtCudaEngine create(
            Path model,
            String inputName,
            String outputName,
            String arena,
            Consumer<SessionOptions> provider,
            MemoryInfo memory,
            String providerName) {
        Session session;
        try (SessionOptions options = new SessionOptions()) {
            options.SetGraphOptimizationLevel(ORT_ENABLE_ALL);
            // the nodes ORT leaves on the CPU are shape arithmetic: one thread, and no spinning that would take
            // cores from the encoders of concurrent jobs
            options.SetIntraOpNumThreads(1);
            options.SetInterOpNumThreads(1);
            options.AddConfigEntry("session.intra_op.allow_spinning", "0");
            options.AddConfigEntry("session.inter_op.allow_spinning", "0");
            provider.accept(options);
            try (BytePointer path = new BytePointer(model.toAbsolutePath().toString())) {
                session = new Session(env(), path, options);
            }
        } catch (RuntimeException e) {
            memory.close();
            throw new CudaException(
                    "ONNX Runtime could not open " + model + " on its " + providerName + ": " + e.getMessage(), e);
        }
        List<String> inputs = names(session.GetInputNames());
        List<String> outputs = names(session.GetOutputNames());
        if (!inputs.contains(inputName) || !outputs.contains(outputName)) {
            session.close();
            memory.close();
            throw new CudaException(
                    "the card names input " + inputName + " and output " + outputName + ", the model " + "has inputs "
                            + inputs + " and outputs " + outputs,
                    false);
        }
        String description =
                "ONNX Runtime " + GetVersionString().getString() + " " + providerName + ", " + model.getFileName();
        return new OrtCudaEngine(session, memory, inputName, outputName, description, arena);
    }

    private static List<String> names(StringVector vector) {
        List<String> names = new ArrayList<>();
        for (long i = 0; i < vector.size(); i++) {
            names.add(vector.get(i).getString());
        }
        return names;
    }

    /** After an out-of-memory failure: let the next run give ORT's unused arena memory back to the device. */
    @Override
    public void afterOutOfMemory() {
        shrinkArena.set(true);
    }

    /** ORT runs on its own streams: the slot's stream is synchronised before a run, and Run returns complete. */
    @Override
    public boolean runsOnCallerStream() {
        return false;
    }

    @Override
    public Run newRun() {
        return new OrtRun();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        deviceMemory.close();
        session.close();
    }

    private final class OrtRun implements Run {
        private final IoBinding binding = new IoBinding(session);
        private final RunOptions options = runOptions(false);
        private Value input;
        private Value output;
        private DeviceTensor boundInput;
        private DeviceTensor boundOutput;

        @Override
        public void run(DeviceTensor in, DeviceTensor out, CudaStream stream) {
            try {
                if (!same(in, boundInput)) {
                    input = replace(input, in);
                    binding.BindInput(inputName, input);
                    boundInput = in;
                }
                if (!same(out, boundOutput)) {
                    output = replace(output, out);
                    binding.BindOutput(outputName, output);
                    boundOutput = out;
                }
                if (shrinkArena.getAndSet(false)) {
                    try (RunOptions shrinking = runOptions(true)) {
                        session.Run(shrinking, binding);
                    }
                } else {
                    session.Run(options, binding);
                }
            } catch (RuntimeException e) {
                // a failed run may have left the binding half-made: bind afresh next time
                boundInput = null;
                boundOutput = null;
                throw e instanceof CudaException
                        ? e
                        : new CudaException("ONNX Runtime run failed: " + e.getMessage(), e);
            }
        }

        private Value replace(Value old, DeviceTensor tensor) {
            if (old != null) {
                old.close();
            }
            return Value.CreateTensor(
                    deviceMemory.asOrtMemoryInfo(),
                    new DeviceAddress(tensor.address()),
                    tensor.bytes(),
                    tensor.shape(),
                    tensor.shape().length,
                    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT);
        }

        private static boolean same(DeviceTensor a, DeviceTensor b) {
            return b != null && a.address() == b.address() && Arrays.equals(a.shape(), b.shape());
        }

        @Override
        public void close() {
            binding.close();
            options.close();
            if (input != null) {
                input.close();
            }
            if (output != null) {
                output.close();
            }
        }
    }

    private RunOptions runOptions(boolean shrink) {
        RunOptions options = new RunOptions();
        options.AddConfigEntry("disable_synchronize_execution_providers", "0");
        if (shrink) {
            options.AddConfigEntry("memory.enable_memory_arena_shrinkage", arena);
        }
        return options;
    }
}
