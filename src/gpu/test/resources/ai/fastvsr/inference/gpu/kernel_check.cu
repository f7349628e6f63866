// Host-side check of convert.cu's arithmetic (ConversionKernelsHostTest): runs the kernels' per-element
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
        long long n = 3LL * t * c * d;
        for (long long i = 0; i < n; i++) {
            float v = fastvsr_planar_value(in, i, t, a, b, c, d, deep);
            fwrite(&v, sizeof v, 1, out);
        }
    } else {
        long long n = 3LL * t * a * b;
        for (long long i = 0; i < n; i++) {
            unsigned int v = fastvsr_packed_value((const float*) in, i, t, a, b, c, d, deep);
            if (deep) {
                unsigned short s = (unsigned short) v;
                fwrite(&s, sizeof s, 1, out);
            } else {
                unsigned char s = (unsigned char) v;
                fwrite(&s, sizeof s, 1, out);
            }
        }
    }
    fclose(out);
    free(in);
    return 0;
}
