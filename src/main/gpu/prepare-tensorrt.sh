#!/usr/bin/env bash
# Stages TensorRT 8.6.1 for --engine tensorrt on a bare GPU host, next to the worker bundle of prepare.sh: the
# libraries from bytedeco's linux-x86_64-redist jar of org.bytedeco:tensorrt (the same version as the bindings in the
# -Pgpu jar), plus stand-ins for the three CUDA 12-era libraries that libnvinfer_plugin.so.8 is linked against.
#
#   bash src/main/gpu/prepare-tensorrt.sh
#
# Output: .gpu-stage/trt-NN + .gpu-stage/TRT-MANIFEST (git-ignored). run-on-gpu.sh stages trt-NN parts like the
# worker's part-NN and unpacks them into /opt/fastvsr/tensorrt. The parts change only when the TensorRT version
# does, so a session that has them can skip this (a minute or two on 2 cores).
#
# What is carried and why (docs/operations.md, "TensorRT"):
#   libnvinfer.so.8                      the runtime (its CUDA runtime is linked in statically)
#   libnvinfer_builder_resource.so.8.6.1 kernels the builder times and picks from: only for building plans
#   libnvonnxparser.so.8                 ONNX -> network, for building plans
#   libnvinfer_plugin.so.8               the parser's plugins; NEEDS libcublas.so.12, libcublasLt.so.12, libcudnn.so.8
#   stubs/                               those three sonames as stand-ins (tensorrt-standins.sh): the engine
#                                        builds with TensorRT's own kernels only, so nothing calls them
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
VERSION=${TRT_PRESETS_VERSION:-8.6-1.5.10}
OUTDIR=$ROOT/.gpu-stage
WORK=$ROOT/target/gpu/trt-stage
t0=$(date +%s)
say() { printf '[prepare-tensorrt %3ds] %s\n' $(( $(date +%s) - t0 )) "$*"; }

REDIST=$HOME/.m2/repository/org/bytedeco/tensorrt/$VERSION/tensorrt-$VERSION-linux-x86_64-redist.jar
if [[ ! -f $REDIST ]]; then
  say "fetching org.bytedeco:tensorrt:$VERSION:linux-x86_64-redist (825 MB) from Maven Central"
  mvn -B -q dependency:get -Dtransitive=false -Dartifact="org.bytedeco:tensorrt:$VERSION:jar:linux-x86_64-redist"
fi

rm -rf "$WORK" && mkdir -p "$WORK/tensorrt/stubs"
say "unpacking the libraries from $(basename "$REDIST")"
unzip -q -j "$REDIST" '*/libnvinfer.so.8' '*/libnvinfer_builder_resource.so.*' '*/libnvonnxparser.so.8' \
  '*/libnvinfer_plugin.so.8' -d "$WORK/tensorrt"

say "stand-ins for the CUDA 12 libraries libnvinfer_plugin.so.8 imports from"
bash "$ROOT/src/main/gpu/tensorrt-standins.sh" "$WORK/tensorrt" "$WORK/tensorrt/stubs"
echo "org.bytedeco:tensorrt:$VERSION" > "$WORK/tensorrt/VERSION"

say "zstd of $(du -sh "$WORK/tensorrt" | cut -f1)"
mkdir -p "$OUTDIR"
rm -f "$OUTDIR"/trt-* "$OUTDIR/TRT-MANIFEST"
tar -C "$WORK" -cf - tensorrt | bash "$ROOT/src/main/gpu/pack-tools.sh" compress > "$OUTDIR/tensorrt.tar.zst"
bash "$ROOT/src/main/gpu/pack-tools.sh" tools "$OUTDIR/tools"
say "TensorRT: $(bash "$ROOT/src/main/gpu/pack-tools.sh" parts "$OUTDIR/tensorrt.tar.zst" trt TRT-MANIFEST)"
rm -rf "$WORK"
echo "Carry each with .gpu-stage/TRT-MANIFEST in a call of: bash src/main/gpu/run-on-gpu.sh stage (before the run)"
