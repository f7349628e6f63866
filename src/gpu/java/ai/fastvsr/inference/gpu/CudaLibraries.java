package ai.fastvsr.inference.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.bytedeco.javacpp.Loader;

/**
 * The host's CUDA user-space libraries the CUDA engine needs, looked for one by one before anything else touches
 * the GPU. Loading the engine's JNI code or ONNX Runtime's CUDA provider without one of them fails with a linker
 * message about whichever library the linker met first, deep in a stack trace; probing each soname ourselves
 * names every missing one in a single start-up error.
 *
 * <p>Each library is opened by soname with the dynamic linker's own search (LD_LIBRARY_PATH, the ld.so cache,
 * the default directories), exactly as ONNX Runtime and the JNI code will look for it later.
 */
public final class CudaLibraries {
    /** A shared library by soname and what needs it. */
    public record Library(String soname, String role) {}

    /** A library that could not be opened, with the dynamic linker's reason. */
    public record Missing(Library library, String reason) {}

    /** What the CUDA engine loads: the driver, the runtime, ONNX Runtime's CUDA provider's dependencies, NVRTC. */
    public static final List<Library> REQUIRED = List.of(
            new Library("libcuda.so.1", "NVIDIA driver"),
            new Library("libcudart.so.13", "CUDA 13 runtime"),
            new Library("libcublasLt.so.13", "cuBLAS 13"),
            new Library("libcublas.so.13", "cuBLAS 13"),
            new Library("libcufft.so.12", "cuFFT"),
            new Library("libcudnn.so.9", "cuDNN 9"),
            new Library("libcudnn_graph.so.9", "cuDNN 9"),
            new Library("libcudnn_ops.so.9", "cuDNN 9"),
            new Library("libcudnn_cnn.so.9", "cuDNN 9"),
            new Library("libcudnn_engines_precompiled.so.9", "cuDNN 9"),
            new Library("libcudnn_engines_runtime_compiled.so.9", "cuDNN 9"),
            new Library("libcudnn_heuristic.so.9", "cuDNN 9"),
            new Library("libnvrtc.so.13", "NVRTC 13"));

    /**
     * What the TensorRT engine loads on top: TensorRT 8.6 (its bindings also load the CUDA 13 presets' JNI, hence
     * {@link #REQUIRED}), and the CUDA 12-era sonames its plugin library is linked against (the real libraries or
     * the GPU bundle's stand-ins; docs/operations.md, "TensorRT").
     */
    public static final List<Library> TENSORRT = List.of(
            new Library("libnvinfer.so.8", "TensorRT 8.6"),
            new Library("libcublas.so.12", "CUDA 12 sonames of TensorRT's plugin library"),
            new Library("libcublasLt.so.12", "CUDA 12 sonames of TensorRT's plugin library"),
            new Library("libcudnn.so.8", "CUDA 12 sonames of TensorRT's plugin library"),
            new Library("libnvinfer_plugin.so.8", "TensorRT 8.6"),
            new Library("libnvonnxparser.so.8", "TensorRT 8.6"));

    private CudaLibraries() {}

    /** The libraries of {@code wanted} the dynamic linker cannot open here. */
    public static List<Missing> missing(List<Library> wanted) {
        List<Missing> missing = new ArrayList<>();
        for (Library library : wanted) {
            try {
                Loader.loadGlobal(library.soname());
            } catch (UnsatisfiedLinkError e) {
                missing.add(new Missing(library, e.getMessage()));
            }
        }
        return missing;
    }

    /**
     * One message naming every missing library and where the linker looked, or null when all are there; what to
     * install follows for each kind that is missing (CUDA 13 + cuDNN 9, TensorRT 8.6, the driver).
     */
    public static String problem(List<Missing> missing) {
        if (missing.isEmpty()) {
            return null;
        }
        boolean tensorRt = missing.stream().anyMatch(m -> TENSORRT.contains(m.library()));
        boolean cuda = missing.stream().anyMatch(m -> !TENSORRT.contains(m.library()));
        StringBuilder text = new StringBuilder(cuda ? "CUDA libraries not found: " : "TensorRT libraries not found: ")
                .append(names(missing));
        String first = missing.get(0).reason();
        text.append(". The linker said: ").append(first == null ? "?" : first.strip());
        text.append(". Searched LD_LIBRARY_PATH=").append(ldLibraryPath()).append(" and the ld.so cache");
        if (cuda) {
            text.append(". The GPU engines need an NVIDIA driver for CUDA 13 and the CUDA 13 + cuDNN 9 user-space "
                    + "libraries: install them (NVIDIA's cuda 13 cudnn runtime image has them) or point "
                    + "LD_LIBRARY_PATH at their folders (pip packages: <site-packages>/nvidia/cu13/lib and "
                    + "<site-packages>/nvidia/cudnn/lib)");
        }
        if (tensorRt) {
            text.append(". --engine tensorrt also needs TensorRT 8.6 (libnvinfer.so.8, libnvinfer_plugin.so.8, "
                    + "libnvonnxparser.so.8; libnvinfer_builder_resource.so.8.6.1 to build plans) and, for its plugin "
                    + "library, libcublas.so.12, libcublasLt.so.12 and libcudnn.so.8 (real, or the stand-ins of "
                    + "src/main/gpu/prepare-tensorrt.sh): the GPU image has them in /opt/tensorrt");
        }
        if (missing.stream().anyMatch(m -> m.library().soname().equals("libcuda.so.1"))) {
            text.append(". libcuda.so.1 comes with the NVIDIA driver: is there one on this host (or mounted into "
                    + "the container by the NVIDIA Container Toolkit)?");
        }
        return text.toString();
    }

    /** Grouped by what they belong to: "cuDNN 9 (libcudnn.so.9, libcudnn_ops.so.9)". */
    private static String names(List<Missing> missing) {
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        for (Missing m : missing) {
            byRole.computeIfAbsent(m.library().role(), r -> new ArrayList<>())
                    .add(m.library().soname());
        }
        StringJoiner groups = new StringJoiner("; ");
        byRole.forEach((role, names) -> groups.add(role + " (" + String.join(", ", names) + ")"));
        return groups.toString();
    }

    private static String ldLibraryPath() {
        String path = System.getenv("LD_LIBRARY_PATH");
        return path == null || path.isBlank() ? "(empty)" : path;
    }
}
