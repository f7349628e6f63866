package ai.fastvsr.inference;

/** Which runtime executes the model. Chosen by configuration ({@code --engine}, env FASTVSR_ENGINE). */
public enum EngineKind {
    /** ONNX Runtime on the CPU: the default; in every build. */
    CPU,
    /** ONNX Runtime with the CUDA execution provider: needs the {@code -Pgpu} build and CUDA 12 + cuDNN 9. */
    CUDA,
    /** ONNX Runtime with the TensorRT execution provider (CUDA as fallback): {@code -Pgpu} build plus TensorRT 10. */
    TENSORRT_EP,
    /** DJL's TensorRT engine on a serialized plan from models/build_trt.sh: {@code -Ptensorrt} build, TensorRT 8.6. */
    TENSORRT
}
