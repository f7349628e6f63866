package ai.fastvsr.inference.gpu;

/**
 * A runtime that runs the model on tensors already on the device: ONNX Runtime's CUDA provider or a TensorRT
 * plan. Everything around it (pinned buffers, streams, conversion kernels, slots) is the engine-independent part
 * of the CUDA engine; a runtime only has to read one device buffer and write another.
 */
interface DeviceEngine extends AutoCloseable {
    /** Per-slot state of the runtime (bindings, execution contexts); one per concurrent clip. */
    interface Run extends AutoCloseable {
        /**
         * Runs the model from {@code input} into {@code output}; {@code stream} is the slot's, on which the input
         * was produced and the output will be read. See {@link #runsOnCallerStream()} for the ordering.
         */
        void run(DeviceTensor input, DeviceTensor output, CudaStream stream);

        @Override
        void close();
    }

    /**
     * How a run is ordered with the slot's stream. false (ONNX Runtime, which runs on streams of its own): the
     * slot synchronises its stream before {@link Run#run}, and the output is complete when it returns. true (an
     * engine that enqueues on the given stream, as TensorRT's {@code enqueueV3} does): no host wait around the
     * run; stream order alone makes the output ready for the work queued after it.
     */
    boolean runsOnCallerStream();

    /** The clip length every run must have (plans built for one shape), or 0 when any length runs. */
    default int fixedFrames() {
        return 0;
    }

    Run newRun();

    /** One line: runtime, graph, precision. */
    String describe();

    /** After a clip failed for lack of device memory: give back what the runtime can (ORT's arena). */
    default void afterOutOfMemory() {}

    @Override
    void close();
}
