package ai.fastvsr.inference.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.inference.gpu.CudaLibraries.Library;
import ai.fastvsr.inference.gpu.CudaLibraries.Missing;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The library probe with the real dynamic linker: a library that exists, ones that do not, and the message. */
class CudaLibrariesTest {
    @Test
    void aLibraryTheLinkerFindsIsNotMissing() {
        assertEquals(List.of(), CudaLibraries.missing(List.of(new Library("libc.so.6", "C library"))));
        assertNull(CudaLibraries.problem(List.of()));
    }

    @Test
    void everyMissingLibraryIsNamedWithTheLinkersReason() {
        List<Missing> missing = CudaLibraries.missing(List.of(
                new Library("libfastvsr-absent-a.so.13", "cuDNN 9"),
                new Library("libc.so.6", "C library"),
                new Library("libfastvsr-absent-b.so.13", "cuDNN 9"),
                new Library("libfastvsr-absent-c.so.1", "NVIDIA driver")));
        assertEquals(3, missing.size());
        assertTrue(
                missing.get(0).reason().contains("libfastvsr-absent-a.so.13"),
                missing.get(0).reason());
        String text = CudaLibraries.problem(missing);
        assertTrue(
                text.startsWith("CUDA libraries not found: cuDNN 9 (libfastvsr-absent-a.so.13, "
                        + "libfastvsr-absent-b.so.13); NVIDIA driver (libfastvsr-absent-c.so.1)."),
                text);
        assertTrue(text.contains("cannot open shared object file"), text);
        assertTrue(text.contains("LD_LIBRARY_PATH"), text);
        assertTrue(text.contains("nvidia/cu13/lib") && text.contains("nvidia/cudnn/lib"), text);
        assertTrue(!text.contains("\n"), "one line");
    }

    @Test
    void theListCoversWhatOrtsCudaProviderAndTheEngineLink() {
        List<String> names =
                CudaLibraries.REQUIRED.stream().map(Library::soname).toList();
        // ldd of libonnxruntime_providers_cuda.so (1.24.1, bytedeco) and of the CUDA presets' JNI libraries
        for (String needed : List.of(
                "libcublasLt.so.13",
                "libcublas.so.13",
                "libcufft.so.12",
                "libcudart.so.13",
                "libcudnn.so.9",
                "libcuda.so.1",
                "libnvrtc.so.13")) {
            assertTrue(names.contains(needed), needed);
        }
    }

    @Test
    void missingTensorRtLibrariesAreNamedWithWhatToInstall() {
        // the linker's real answer for TensorRT's sonames on this machine (it has no TensorRT)
        List<Missing> missing = CudaLibraries.missing(CudaLibraries.TENSORRT);
        org.junit.jupiter.api.Assumptions.assumeTrue(
                missing.size() == CudaLibraries.TENSORRT.size(), "this machine has TensorRT");
        String text = CudaLibraries.problem(missing);
        assertTrue(
                text.startsWith("TensorRT libraries not found: TensorRT 8.6 (libnvinfer.so.8, "
                        + "libnvinfer_plugin.so.8, libnvonnxparser.so.8); CUDA 12 sonames of TensorRT's plugin library "
                        + "(libcublas.so.12, libcublasLt.so.12, libcudnn.so.8)."),
                text);
        assertTrue(text.contains("prepare-tensorrt.sh"), text);
        assertTrue(!text.contains("cuDNN 9 user-space"), "no CUDA advice when only TensorRT is missing: " + text);
        assertTrue(!text.contains("\n"), "one line");
    }

    @Test
    void withCudaAndTensorRtMissingBothAreNamed() {
        List<Missing> missing = CudaLibraries.missing(
                List.of(new Library("libfastvsr-absent.so.13", "CUDA 13 runtime"), CudaLibraries.TENSORRT.get(0)));
        String text = CudaLibraries.problem(missing);
        assertTrue(
                text.startsWith("CUDA libraries not found: CUDA 13 runtime (libfastvsr-absent.so.13); TensorRT 8.6 "
                        + "(libnvinfer.so.8)."),
                text);
        assertTrue(text.contains("cuDNN 9") && text.contains("TensorRT 8.6 (libnvinfer.so.8, libnvinfer_plugin"), text);
    }

    @Test
    void theTensorRtListCoversWhatItsLibrariesNeed() {
        List<String> names =
                CudaLibraries.TENSORRT.stream().map(Library::soname).toList();
        // readelf -d of TensorRT 8.6.1's libnvonnxparser.so.8 and libnvinfer_plugin.so.8 (bytedeco redist)
        for (String needed : List.of(
                "libnvinfer.so.8",
                "libnvinfer_plugin.so.8",
                "libnvonnxparser.so.8",
                "libcublas.so.12",
                "libcublasLt.so.12",
                "libcudnn.so.8")) {
            assertTrue(names.contains(needed), needed);
        }
        assertTrue(
                names.indexOf("libcudnn.so.8") < names.indexOf("libnvinfer_plugin.so.8"),
                "the plugin's dependencies are probed first, so a missing one is named rather than the plugin");
    }
}
