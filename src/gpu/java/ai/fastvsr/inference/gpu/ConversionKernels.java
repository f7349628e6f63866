package ai.fastvsr.inference.gpu;

import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBIN;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBINSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The two frame conversion kernels of {@code convert.cu}, compiled once at start-up by NVRTC into a cubin for
 * this card's architecture. Why NVRTC rather than a fatbin built here: the source is the only artifact in the
 * repository (nothing binary to keep in step with it), the build needs no CUDA compiler, and the code is native
 * to whatever card the worker lands on (sm_90 today, sm_100/sm_120 tomorrow) without a rebuild. Compiling these
 * ~100 lines takes a fraction of a second.
 */
final class ConversionKernels implements AutoCloseable {
    static final String SOURCE = "convert.cu";
    private static final int THREADS = 256;

    private final CUmod_st module = new CUmod_st();
    private final CUfunc_st toPlanar = new CUfunc_st();
    private final CUfunc_st toPacked = new CUfunc_st();

    private ConversionKernels(byte[] cubin) {
        try (BytePointer image = new BytePointer(cubin)) {
            Cuda.checkDriver(cuModuleLoadData(module, image), "cuModuleLoadData(" + SOURCE + ")");
        }
        Cuda.checkDriver(cuModuleGetFunction(toPlanar, module, "fastvsr_to_planar"), "cuModuleGetFunction");
        Cuda.checkDriver(cuModuleGetFunction(toPacked, module, "fastvsr_to_packed"), "cuModuleGetFunction");
    }

    /** Compiles the kernels for {@code device} and loads them into its primary context (current on this thread). */
    static ConversionKernels load(CudaDevice device) {
        return new ConversionKernels(compile(source(), device.arch()));
    }

    static String source() {
        try (InputStream in = ConversionKernels.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NVRTC: source to cubin for {@code arch} (e.g. sm_90), IEEE arithmetic (no fast-math). */
    static byte[] compile(String source, String arch) {
        _nvrtcProgram program = new _nvrtcProgram();
        Cuda.checkNvrtc(
                nvrtcCreateProgram(
                        program,
                        new BytePointer(source),
                        new BytePointer(SOURCE),
                        0,
                        (PointerPointer<?>) null,
                        (PointerPointer<?>) null),
                "nvrtcCreateProgram");
        try {
            String[] options = {"--gpu-architecture=" + arch, "--std=c++17"};
            int status;
            try (PointerPointer<BytePointer> opts = new PointerPointer<>(options)) {
                status = nvrtcCompileProgram(program, options.length, opts);
            }
            if (status != org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS) {
                throw new CudaException(
                        "NVRTC could not compile " + SOURCE + " for " + arch + ": " + log(program), false);
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                Cuda.checkNvrtc(nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize");
                byte[] cubin = new byte[(int) size.get()];
                Cuda.checkNvrtc(nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN");
                return cubin;
            }
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            nvrtcGetProgramLogSize(program, size);
            byte[] text = new byte[(int) Math.max(1, size.get())];
            nvrtcGetProgramLog(program, text);
            return new String(text, StandardCharsets.UTF_8).strip();
        }
    }

    /** Packed input frames at {@code packed} to the model's float input at {@code planar}, on {@code stream}. */
    void toPlanar(CudaStream stream, long packed, long planar, ClipGeometry g) {
        launch(
                toPlanar,
                stream,
                g.pw(),
                g.ph(),
                g.t(),
                packed,
                planar,
                g.t(),
                g.h(),
                g.w(),
                g.ph(),
                g.pw(),
                g.deep() ? 1 : 0);
    }

    /** The model's float output at {@code planar} to packed, cropped output frames at {@code packed}. */
    void toPacked(CudaStream stream, long planar, long packed, ClipGeometry g) {
        launch(
                toPacked,
                stream,
                g.outWidth(),
                g.outHeight(),
                g.t(),
                planar,
                packed,
                g.t(),
                g.outHeight(),
                g.outWidth(),
                g.scale() * g.ph(),
                g.scale() * g.pw(),
                g.deep() ? 1 : 0);
    }

    /**
     * One thread per pixel: x across a row in blocks of {@value #THREADS}, one grid row per image row, one grid
     * layer per frame. Both kernels take (pointer, pointer, six ints).
     */
    private void launch(
            CUfunc_st kernel, CudaStream stream, int width, int rows, int frames, long a, long b, int... ints) {
        int blocks = (width + THREADS - 1) / THREADS;
        Pointer[] values = new Pointer[2 + ints.length];
        values[0] = new LongPointer(1).put(a);
        values[1] = new LongPointer(1).put(b);
        for (int i = 0; i < ints.length; i++) {
            values[2 + i] = new IntPointer(1).put(ints[i]);
        }
        try (PointerPointer<Pointer> params = new PointerPointer<>(values)) {
            // the driver copies the argument values at launch: they may be freed when it returns
            Cuda.checkDriver(
                    cuLaunchKernel(
                            kernel, blocks, rows, frames, THREADS, 1, 1, 0, stream.handle(), params, (PointerPointer<?>)
                                    null),
                    "cuLaunchKernel");
        } finally {
            for (Pointer v : values) {
                v.close();
            }
        }
    }

    @Override
    public void close() {
        if (!module.isNull()) {
            cuModuleUnload(module);
            module.setNull();
        }
    }
}
