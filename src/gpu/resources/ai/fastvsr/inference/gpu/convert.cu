// Conversions at the host/device boundary of the CUDA engine (ai.fastvsr.inference.gpu.ConversionKernels).
//
// Frames cross PCIe as packed RGB samples (8 or 16 bit), 4x (u8) or 2x (u16) fewer bytes than the float32
// tensors the model reads and writes. These kernels do on the GPU what inference.ClipTranslator does in Java on
// the CPU engine, with the same arithmetic, so both engines see the same input values and quantise outputs alike:
//   to_planar: packed HWC frames -> float32 [3, T, PH, PW] in [0, 1], edge-replicated to the padded size;
//   to_packed: float32 [3, T, SH, SW] -> packed HWC frames of OH x OW (the crop of the padded output), clamped to
//              [0, 1] and rounded half up, as RgbImage.setUnit rounds.
//
// Compiled at start-up with NVRTC for the card's own architecture (no fast-math: IEEE division and rounding).
// The per-element functions are __host__ __device__ so a host-only build (src/gpu/test) can check the very same
// arithmetic against the Java reference on a machine without a GPU.

#ifdef __CUDACC_RTC__
typedef unsigned char u8;
typedef unsigned short u16;
#else
#include <math.h>
typedef unsigned char u8;
typedef unsigned short u16;
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

// Element i of the planar input [3, t, ph, pw]: the sample it reads and its value in [0, 1].
__host__ __device__ inline float fastvsr_planar_value(const u8* src, long long i, int t, int h, int w,
                                                      int ph, int pw, int deep) {
    int x = (int) (i % pw);
    long long r = i / pw;
    int y = (int) (r % ph);
    r /= ph;
    int f = (int) (r % t);
    int c = (int) (r / t);
    // edge replication: rows and columns past the frame repeat its last ones
    long long s = (((long long) f * h + fastvsr_min(y, h - 1)) * w + fastvsr_min(x, w - 1)) * 3 + c;
    if (deep) {
        return (float) ((const u16*) src)[s] / 65535.0f;
    }
    return (float) src[s] / 255.0f;
}

// Packed output sample i (of t frames oh x ow x 3), read from the planar output [3, t, sh, sw].
__host__ __device__ inline unsigned int fastvsr_packed_value(const float* src, long long i, int t, int oh, int ow,
                                                             int sh, int sw, int deep) {
    int c = (int) (i % 3);
    long long p = i / 3;
    int x = (int) (p % ow);
    p /= ow;
    int y = (int) (p % oh);
    int f = (int) (p / oh);
    float v = src[(((long long) c * t + f) * sh + y) * sw + x];
    // clamp as RgbImage.setUnit does: below 0 (and NaN) -> 0, above 1 -> 1
    float clamped = v > 0.0f ? fminf(v, 1.0f) : 0.0f;
    float scaled = FASTVSR_MUL(clamped, deep ? 65535.0f : 255.0f);
    // Math.round: half up; scaled - floor(scaled) is exact in float
    float whole = floorf(scaled);
    if (scaled - whole >= 0.5f) {
        whole += 1.0f;
    }
    return (unsigned int) whole;
}

extern "C" __global__ void fastvsr_to_planar(const u8* __restrict__ src, float* __restrict__ dst,
                                             int t, int h, int w, int ph, int pw, int deep) {
    long long n = 3LL * t * ph * pw;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n;
         i += (long long) gridDim.x * blockDim.x) {
        dst[i] = fastvsr_planar_value(src, i, t, h, w, ph, pw, deep);
    }
}

extern "C" __global__ void fastvsr_to_packed(const float* __restrict__ src, u8* __restrict__ dst,
                                             int t, int oh, int ow, int sh, int sw, int deep) {
    long long n = 3LL * t * oh * ow;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n;
         i += (long long) gridDim.x * blockDim.x) {
        unsigned int v = fastvsr_packed_value(src, i, t, oh, ow, sh, sw, deep);
        if (deep) {
            ((u16*) dst)[i] = (u16) v;
        } else {
            dst[i] = (u8) v;
        }
    }
}
