// Conversions at the host/device boundary of the CUDA engine (ai.fastvsr.inference.gpu.ConversionKernels).
//
// Frames cross PCIe as packed RGB samples (8 or 16 bit), 4x (u8) or 2x (u16) fewer bytes than the float32
// tensors the model reads and writes. These kernels do on the GPU what inference.ClipTranslator does in Java on
// the CPU engine, with the same arithmetic, so both engines see the same input values and quantise outputs alike:
//   to_planar: packed HWC frames -> float32 [3, T, PH, PW] in [0, 1], edge-replicated to the padded size;
//   to_packed: float32 [3, T, SH, SW] -> packed HWC frames of OH x OW (the crop of the padded output), clamped to
//              [0, 1] and rounded half up, as RgbImage.setUnit rounds.
// One thread per pixel of a frame (grid: x blocks along a row, y = row, z = frame), three channels each: no
// integer division anywhere, and each of the three planes is read or written by consecutive threads.
//
// Compiled at start-up with NVRTC for the card's own architecture (no fast-math: IEEE division and rounding).
// The per-pixel functions are __host__ __device__ so a host-only build (src/gpu/test) checks the very same
// arithmetic against the Java reference on a machine without a GPU.

typedef unsigned char u8;
typedef unsigned short u16;
#ifndef __CUDACC_RTC__
#include <math.h>
#endif

#ifdef __CUDA_ARCH__
// no fused multiply-add: the product must be the float product Java computes before rounding
#define FASTVSR_MUL(a, b) __fmul_rn((a), (b))
#else
#define FASTVSR_MUL(a, b) ((a) * (b))
#endif

__host__ __device__ inline int fastvsr_min(int a, int b) {
    return a < b ? a : b;
}

// Pixel (x, y) of padded frame f: its three channels into the planes of the model input [3, t, ph, pw].
__host__ __device__ inline void fastvsr_planar_pixel(const u8* src, float* dst, int f, int y, int x, int t, int h,
                                                     int w, int ph, int pw, int deep) {
    // edge replication: rows and columns past the frame repeat its last ones
    long long s = (((long long) f * h + fastvsr_min(y, h - 1)) * w + fastvsr_min(x, w - 1)) * 3;
    long long plane = (long long) ph * pw;
    long long d = (long long) f * plane + (long long) y * pw + x;
    for (int c = 0; c < 3; c++) {
        float v = deep ? (float) ((const u16*) src)[s + c] / 65535.0f : (float) src[s + c] / 255.0f;
        dst[d + (long long) c * t * plane] = v;
    }
}

// One sample of the model output as a packed sample: clamped like RgbImage.setUnit (below 0 and NaN -> 0, above
// 1 -> 1), scaled to the depth, rounded half up like Math.round (scaled - floor(scaled) is exact in float).
__host__ __device__ inline unsigned int fastvsr_quantise(float v, int deep) {
    float clamped = v > 0.0f ? fminf(v, 1.0f) : 0.0f;
    float scaled = FASTVSR_MUL(clamped, deep ? 65535.0f : 255.0f);
    float whole = floorf(scaled);
    if (scaled - whole >= 0.5f) {
        whole += 1.0f;
    }
    return (unsigned int) whole;
}

// Pixel (x, y) of output frame f (oh x ow, cropped from the planar output [3, t, sh, sw]) into packed samples.
__host__ __device__ inline void fastvsr_packed_pixel(const float* src, u8* dst, int f, int y, int x, int t, int oh,
                                                     int ow, int sh, int sw, int deep) {
    long long plane = (long long) sh * sw;
    long long s = (long long) f * plane + (long long) y * sw + x;
    long long d = (((long long) f * oh + y) * ow + x) * 3;
    for (int c = 0; c < 3; c++) {
        unsigned int v = fastvsr_quantise(src[s + (long long) c * t * plane], deep);
        if (deep) {
            ((u16*) dst)[d + c] = (u16) v;
        } else {
            dst[d + c] = (u8) v;
        }
    }
}

extern "C" __global__ void fastvsr_to_planar(const u8* __restrict__ src, float* __restrict__ dst,
                                             int t, int h, int w, int ph, int pw, int deep) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    if (x < pw) {
        fastvsr_planar_pixel(src, dst, blockIdx.z, blockIdx.y, x, t, h, w, ph, pw, deep);
    }
}

extern "C" __global__ void fastvsr_to_packed(const float* __restrict__ src, u8* __restrict__ dst,
                                             int t, int oh, int ow, int sh, int sw, int deep) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    if (x < ow) {
        fastvsr_packed_pixel(src, dst, blockIdx.z, blockIdx.y, x, t, oh, ow, sh, sw, deep);
    }
}
