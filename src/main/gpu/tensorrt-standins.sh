#!/usr/bin/env bash
# Builds stand-ins for the CUDA 12-era libraries TensorRT 8.6's plugin library is linked against
# (libcublas.so.12, libcublasLt.so.12, libcudnn.so.8), for hosts that have CUDA 13 only:
#
#   bash src/main/gpu/tensorrt-standins.sh <dir with libnvinfer_plugin.so.8> <output dir>
#
# Each stand-in carries its soname's symbol version and every function the plugin library imports from it; each
# function returns a "not supported" status (cuBLAS 15, cuDNN 9), cudnnGetErrorString a text. The TensorRT engine
# builds with TensorRT's own kernels only (tactic sources EDGE_MASK_CONVOLUTIONS | JIT_CONVOLUTIONS), so nothing
# calls them; a host with the real CUDA 12 cuBLAS / cuDNN 8 needs none. Needs gcc, nm (binutils).
set -euo pipefail
TRT=${1:?usage: tensorrt-standins.sh <tensorrt lib dir> <output dir>}
OUT=${2:?usage: tensorrt-standins.sh <tensorrt lib dir> <output dir>}
PLUGIN=$TRT/libnvinfer_plugin.so.8
mkdir -p "$OUT"
SRC=$(mktemp -d)
trap 'rm -rf "$SRC"' EXIT
for lib in libcublas.so.12 libcublasLt.so.12 libcudnn.so.8; do
  c=$SRC/$lib.c
  case $lib in libcudnn*) status=9 ;; *) status=15 ;; esac
  echo "/* stand-in for $lib (src/main/gpu/tensorrt-standins.sh) */" > "$c"
  nm -D --undefined-only "$PLUGIN" | awk -v l="@$lib" '$2 ~ l"$" { sub(/@.*/, "", $2); print $2 }' | sort -u \
    | while read -r fn; do
        if [[ $fn == *GetErrorString ]]; then
          echo "const char *$fn(int s) { (void) s; return \"$lib is a stand-in: install the real library\"; }" >> "$c"
        else
          echo "int $fn(void) { return $status; }" >> "$c"
        fi
      done
  printf '%s { global: *; };\n' "$lib" > "$SRC/$lib.map"
  gcc -shared -fPIC -O2 -o "$OUT/$lib" -Wl,-soname,"$lib" -Wl,--version-script="$SRC/$lib.map" "$c"
done
# the parser must now link completely (RTLD_NOW): a symbol missing from a stand-in shows here, not on a GPU host
cat > "$SRC/linkcheck.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(void) {
    void *h = dlopen("libnvonnxparser.so.8", RTLD_NOW | RTLD_GLOBAL);
    if (!h) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    return 0;
}
C
gcc -o "$SRC/linkcheck" "$SRC/linkcheck.c" -ldl
LD_LIBRARY_PATH=$OUT:$TRT "$SRC/linkcheck"
echo "stand-ins in $OUT: libnvonnxparser.so.8 -> libnvinfer_plugin.so.8 -> stand-ins resolve with RTLD_NOW"
