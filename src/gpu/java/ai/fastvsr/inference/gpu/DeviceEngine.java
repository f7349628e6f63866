package ai.fastvsr.inference.gpu;

/**
 * A runtime that runs the model on tensors already on the device: ONNX Runtime's CUDA provider now, TensorRT
 * next. Everything around it (pinned buffers, streams, conversion kernels, slots) is the engine-independent part
 * of the CUDA engine; a runtime only has to read one device buffer and write another.
 */
interface DeviceEngine extends AutoCloseable {
    /** Per-slot state of the runtime (bindings, execution contexts); one per concurrent clip. */
    interface Run extends AutoCloseable {
        /**
         * Runs the model from {@code input} into {@code output}. On return the output is complete and visible to
         * any stream: the caller's copies and kernels that follow need no further wait. The caller has finished
         * writing {@code input} (its stream synchronised) before calling.
         */
        void run(DeviceTensor input, DeviceTensor output);

        @Override
        void close();
    }

    Run newRun();

    /** One line: runtime, graph, precision. */
    String describe();

    @Override
    void close();
}
