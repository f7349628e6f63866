#!/usr/bin/env bash
# Build a serialized TensorRT engine (plan) from an exported FastVSR ONNX with trtexec.
#
# NOT RUN: no machine of this project has TensorRT (see README.md, "What was not run"). The script is written
# against trtexec's documented options (TensorRT 8.6+: opset-17 LayerNormalization needs 8.6; DJL's TensorRT
# engine needs 8.x, and Hopper needs 8.6.x).
#
#   models/build_trt.sh models/fastvsr-tiny/model.onnx models/fastvsr-tiny/model.plan
#
# Shapes are `lr` [1, 3, T, H, W]; T, H, W are dynamic in the ONNX, so the engine gets one optimisation profile:
#   min: 1 frame,  multipleOf x multipleOf
#   opt: clip.frames frames of one tile (the worker's usual call)
#   max: clip.frames frames of a whole 360p frame (a tile-free call on small inputs)
# Override with env vars: MIN_SHAPE, OPT_SHAPE, MAX_SHAPE (trtexec syntax 1x3xTxHxW), WORKSPACE_MB, EXTRA.
# An engine is tied to the GPU model and TensorRT version it was built with: build it on the target host.
set -euo pipefail

ONNX=${1:?usage: build_trt.sh model.onnx [out.plan]}
PLAN=${2:-${ONNX%.onnx}.plan}
CARD=$(dirname "$ONNX")/model.json

FRAMES=8; TILE=256; MULT=8
if [[ -f "$CARD" ]] && command -v python3 >/dev/null; then
  read -r FRAMES TILE MULT < <(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["clip"]["frames"], c["tile"]["size"], c["input"]["multipleOf"])' "$CARD")
fi
MIN_SHAPE=${MIN_SHAPE:-1x3x1x${MULT}x${MULT}}
OPT_SHAPE=${OPT_SHAPE:-1x3x${FRAMES}x${TILE}x${TILE}}
MAX_SHAPE=${MAX_SHAPE:-1x3x${FRAMES}x368x640}
WORKSPACE_MB=${WORKSPACE_MB:-8192}

command -v trtexec >/dev/null || { echo "trtexec not found (install TensorRT 8.6+, or use the ORT TensorRT EP, see README.md)" >&2; exit 2; }

# --fp16: FP16 kernels where TensorRT judges them accurate enough; the graph's I/O stays fp32, so the worker
# feeds the same float buffers as with ONNX Runtime. LayerNorm/Softmax run in fp32 where TensorRT keeps them so.
trtexec \
  --onnx="$ONNX" \
  --saveEngine="$PLAN" \
  --fp16 \
  --minShapes=lr:"$MIN_SHAPE" \
  --optShapes=lr:"$OPT_SHAPE" \
  --maxShapes=lr:"$MAX_SHAPE" \
  --memPoolSize=workspace:"$WORKSPACE_MB" \
  --skipInference=false \
  ${EXTRA:-}

sha256sum "$PLAN"
echo "engine: $PLAN (profile min=$MIN_SHAPE opt=$OPT_SHAPE max=$MAX_SHAPE)"

# Alternative without a separate build step: ONNX Runtime's TensorRT execution provider builds and caches the
# engine on first use. Provider options (ORT SessionOptions, e.g. through DJL's "sessionOptions"):
#   trt_fp16_enable=1, trt_engine_cache_enable=1, trt_engine_cache_path=/var/cache/fastvsr/trt,
#   trt_timing_cache_enable=1, trt_profile_min_shapes=lr:1x3x1x8x8,
#   trt_profile_opt_shapes=lr:1x3x8x256x256, trt_profile_max_shapes=lr:1x3x8x368x640
# The first session on a host pays the build (minutes); later sessions load the cached engine. Keep the cache on
# a persistent volume per GPU model + TensorRT version, and fall back to the CUDA EP for shapes outside the profile.
