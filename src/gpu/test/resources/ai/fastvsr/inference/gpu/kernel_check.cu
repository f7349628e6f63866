// Host-side check of convert.cu's arithmetic (ConversionKernelsHostTest): runs the kernels' per-pixel
// functions on the CPU over a file and writes the result, so a machine without a GPU can compare them with the
// Java reference. Built by the test with nvcc; never shipped.
//   kernel_check planar IN OUT t h w ph pw deep   packed samples -> float32 [3, t, ph, pw]
//   kernel_check packed IN OUT t oh ow sh sw deep  float32 [3, t, sh, sw] -> packed samples of oh x ow
#include "convert.cu"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char* slurp(const char* path, long* size) {
    FILE* f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char* data = (unsigned char*) malloc(*size > 0 ? *size : 1);
    if (fread(data, 1, *size, f) != (size_t) *size) { perror("fread"); exit(2); }
    fclose(f);
    return data;
}

int main(int argc, char** argv) {
    if (argc != 10) {
        fprintf(stderr, "usage: kernel_check planar|packed IN OUT t a b c d deep\n");
        return 2;
    }
    long size;
    unsigned char* in = slurp(argv[2], &size);
    int t = atoi(argv[4]), a = atoi(argv[5]), b = atoi(argv[6]), c = atoi(argv[7]), d = atoi(argv[8]);
    int deep = atoi(argv[9]);
    FILE* out = fopen(argv[3], "wb");
    if (!out) { perror(argv[3]); return 2; }
    if (strcmp(argv[1], "planar") == 0) {
        // a = h, b = w, c = ph, d = pw
        long long n = 3LL * t * c * d;
        float* planar = (float*) calloc(n, sizeof(float));
        for (int f = 0; f < t; f++)
            for (int y = 0; y < c; y++)
                for (int x = 0; x < d; x++)
                    fastvsr_planar_pixel(in, planar, f, y, x, t, a, b, c, d, deep);
        fwrite(planar, sizeof(float), n, out);
        free(planar);
    } else {
        // a = oh, b = ow, c = sh, d = sw
        long long n = 3LL * t * a * b;
        u8* packed = (u8*) calloc(n, deep ? 2 : 1);
        for (int f = 0; f < t; f++)
            for (int y = 0; y < a; y++)
                for (int x = 0; x < b; x++)
                    fastvsr_packed_pixel((const float*) in, packed, f, y, x, t, a, b, c, d, deep);
        fwrite(packed, deep ? 2 : 1, n, out);
        free(packed);
    }
    fclose(out);
    free(in);
    return 0;
}
