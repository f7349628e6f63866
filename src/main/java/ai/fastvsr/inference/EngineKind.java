package ai.fastvsr.inference;

/** Which runtime executes the model. Chosen by configuration ({@code --engine}, env FASTVSR_ENGINE). */
public enum EngineKind {
    /** ONNX Runtime on the CPU: the default; in every build. */
    CPU,
    /**
     * The CUDA engine: ONNX Runtime's CUDA execution provider on device buffers, frames converted on the GPU.
     * Needs the {@code -Pgpu} build and the host's CUDA 13 + cuDNN 9 libraries.
     */
    CUDA,
    /**
     * ONNX Runtime's TensorRT execution provider through DJL (CUDA as fallback). No build of this project has it
     * (no ORT build with it for CUDA 13 exists on Maven Central); kept so a host that adds it can use it.
     */
    TENSORRT_EP,
    /** DJL's TensorRT engine on a serialized plan from models/build_trt.sh: {@code -Ptensorrt} build, TensorRT 8.6. */
    TENSORRT
}
