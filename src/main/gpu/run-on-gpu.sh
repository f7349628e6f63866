#!/usr/bin/env bash
# The GPU worker on a bare GPU host, from the repository root, through the device tool (src/main/gpu/prepare.sh
# prints the calls). No Java, no network there: the bundle brings a JRE, the GPU jar, ORT's natives and a clip;
# the host brings the NVIDIA driver and, in its Python venv, the CUDA 13 and cuDNN 9 libraries.
#
#   bash src/main/gpu/run-on-gpu.sh stage   copy the carried .gpu-stage/part-NN (worker bundle, prepare.sh) or
#                                           trt-NN (TensorRT 8.6, prepare-tensorrt.sh) to /opt/fastvsr-stage (outside
#                                           the repository copy; kept while the machine stays warm)
#   bash src/main/gpu/run-on-gpu.sh run     the same for a carried part, then unpack (once per bundle) and run the
#                                           steps below; a second `run` on the warm machine reuses what is unpacked
#                                           (and the TensorRT plans built so far)
#
# The run, each step bounded and timed, logs under $OUT (at most 8 files come back):
#   env.log      GPU, driver, libraries, versions
#   run.log      the summary: each step's exit code, time and verdict
#   nocuda.log   start-up with the CUDA libraries out of reach: one error line, exit 1
#   bench.log    bench --engine cuda, 480x270 -> 1920x1080, concurrency sweep
#   upscale.log  the test clip upscaled with --engine cuda and --engine cpu
#   out-cuda.mp4, out-cpu.mp4   those two outputs (compare with ffmpeg's psnr filter on the build machine)
#   demo.log     demo --engine cuda (one whole job through Kafka and S3), then the out-of-memory check
#   trt.log      TensorRT (when its parts were staged): start-up without its libraries, build-engine (a fresh plan),
#                build-engine again (the cached plan), a damaged plan (rebuilt with a warning), bench --engine
#                tensorrt, upscale --engine tensorrt (out-trt.mp4), demo --engine tensorrt
#
# Knobs (environment, set in the device command before the script):
#   FASTVSR_GPU_STEPS      which steps, comma-separated (default nocuda,bench,upscale,demo,oom, then with TensorRT
#                          staged notrt,trtbuild,trtreuse,trtbench,trtupscale,trtdemo; trtcorrupt on request: it
#                          rebuilds a plan, minutes; benchnhwc: the CUDA bench with prefer_nhwc=1; trtbenchheap:
#                          the TensorRT bench without the committed heap)
#   FASTVSR_HEAP_OPTS      the JVM's heap options (default: 25 % of memory, committed and touched at start)
#   FASTVSR_TRT_BUILDER_LEVEL, FASTVSR_TRT_SIZES, FASTVSR_TRT_CACHE_DIR   plan options (default 3, 480x270,
#                          /opt/fastvsr-plans)
#   FASTVSR_BENCH_RUNS, FASTVSR_BENCH_JOBS   the benches' --runs (default 2 for cuda, 3 for tensorrt) and --jobs
#                          (default 1,2,4,8); picocli refuses an option given twice, so not through the next one
#   FASTVSR_BENCH_OPTIONS  extra bench options, e.g. "--cuda-option prefer_nhwc=1" or "--frames 480"
#   FASTVSR_MODEL_DIR      a model folder to use instead of the one in the jar (e.g. a card with other clips)
#   FASTVSR_OOM_LIMIT      ORT's arena cap for the out-of-memory check (default 300M)
#   FASTVSR_TORCH_BENCH    a shell command run last into bench.log (PyTorch fp16 side by side, from models/)
set -uo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
STAGED=/opt/fastvsr-stage
APP=/opt/fastvsr
OUT=${OUT:-$ROOT/gpu-out}
mkdir -p "$STAGED" "$OUT"
t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "[$(elapsed) s] $*" | tee -a "$OUT/run.log"; }

# stage_kind PATTERN MANIFEST DEST: copies the carried parts named PATTERN-NN, checked against MANIFEST, into DEST
stage_kind() {
  local pattern=$1 manifest=$2 dest=$3 part name want got
  ls .gpu-stage/"$pattern"-* >/dev/null 2>&1 || return 0
  [[ -f .gpu-stage/$manifest ]] || { log "no .gpu-stage/$manifest carried with $pattern parts"; exit 2; }
  mkdir -p "$dest"
  cp ".gpu-stage/$manifest" "$dest/MANIFEST"
  for part in .gpu-stage/"$pattern"-*; do
    name=$(basename "$part")
    want=$(awk -v n="$name" '$2 == n { print $1 }' "$dest/MANIFEST")
    got=$(sha256sum "$part" | cut -d' ' -f1)
    if [[ "$want" != "$got" ]]; then
      log "$name: sha256 $got, $manifest says $want"
      exit 2
    fi
    cp "$part" "$dest/$name"
    log "staged $name ($(stat -c %s "$part") bytes)"
  done
  log "staged so far: $(cd "$dest" && ls "$pattern"-* 2>/dev/null | tr '\n' ' ')of $(awk '$1 == "parts" { print $2 }' "$dest/MANIFEST")"
}

stage_parts() {
  stage_kind part MANIFEST "$STAGED"
  stage_kind trt TRT-MANIFEST "$STAGED/trt"
  if [[ -x .gpu-stage/tools/zstd ]]; then
    mkdir -p "$STAGED/tools" && cp .gpu-stage/tools/* "$STAGED/tools/" && log "staged the unpacking tools (zstd)"
  fi
}

# the decompressor for a part stream: the host's zstd, else the one carried in .gpu-stage/tools
decompress() {
  if command -v zstd >/dev/null 2>&1; then zstd -d --long=27 -T0 -q -c
  elif [[ -x $STAGED/tools/zstd ]]; then LD_LIBRARY_PATH=$STAGED/tools "$STAGED/tools/zstd" -d --long=27 -q -c
  else log "no zstd here and none staged (carry .gpu-stage/tools with a staging call)"; return 2
  fi
}

# unpack_kind PATTERN DIR TARGET: when every part named in DIR/MANIFEST is there and TARGET was not unpacked from
# this very MANIFEST yet, checks and unpacks them under /opt (the tar holds TARGET's last path element)
unpack_kind() {
  local pattern=$1 dir=$2 target=$3 want have
  [[ -f $dir/MANIFEST ]] || return 1
  if [[ -f $target/.manifest ]] && cmp -s "$dir/MANIFEST" "$target/.manifest"; then
    return 0
  fi
  want=$(awk '$1 == "parts" { print $2 }' "$dir/MANIFEST")
  have=$(cd "$dir" && ls "$pattern"-* 2>/dev/null | wc -l)
  if [[ "$have" != "$want" ]]; then
    log "only $have of $want $pattern parts are staged: the machine went cold between calls? Stage them again."
    return 2
  fi
  (cd "$dir" && sha256sum --quiet -c <(grep " $pattern-" MANIFEST)) || { log "a staged $pattern part is damaged"; return 2; }
  rm -rf "$target" && mkdir -p "$(dirname "$target")"
  cat "$dir/$pattern"-* | decompress | tar -x -C "$(dirname "$target")" || { log "unpacking $pattern failed"; return 2; }
  cp "$dir/MANIFEST" "$target/.manifest"
  log "unpacked $pattern parts into $target"
}

case "${1:-}" in
  stage) stage_parts; exit 0 ;;
  run) stage_parts ;;
  *) echo "usage: $0 stage|run" >&2; exit 2 ;;
esac

# ---- unpack ----
unpack_kind part "$STAGED" "$APP"; rc=$?
(( rc == 0 )) || { log "no complete worker bundle staged"; exit 2; }
log "worker bundle $(cat $APP/VERSION) in $APP"
TRT=$APP-tensorrt/tensorrt
unpack_kind trt "$STAGED/trt" "$TRT"; trt_rc=$?
(( trt_rc == 2 )) && exit 2
HAVE_TRT=false
[[ -f $TRT/libnvinfer.so.8 ]] && HAVE_TRT=true && log "TensorRT $(cat "$TRT/VERSION") in $TRT"

# ---- the host's CUDA libraries ----
# NVIDIA's pip packages in the Python that has torch: nvidia/cu13/lib (cudart, cuBLAS, cuFFT, NVRTC) and
# nvidia/cudnn/lib (cuDNN 9); libcuda.so.1 comes from the driver
SITE=""
for py in python3 /usr/bin/python3 /usr/local/bin/python3; do
  s=$("$py" -c 'import site; print(site.getsitepackages()[0])' 2>/dev/null) || continue
  if [[ -d $s/nvidia/cu13/lib ]]; then SITE=$s; break; fi
done
[[ -n "$SITE" ]] || log "no site-packages with nvidia/cu13/lib found: the CUDA steps will report the missing libraries"
if [[ -n "$SITE" ]]; then
  export LD_LIBRARY_PATH=$SITE/nvidia/cu13/lib:$SITE/nvidia/cudnn/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
CUDA_LIBRARY_PATH=${LD_LIBRARY_PATH:-}
TRT_LIBRARY_PATH=$TRT:$TRT/stubs${CUDA_LIBRARY_PATH:+:$CUDA_LIBRARY_PATH}
export OPT_OUT_TRACKING=true SVT_LOG=1
export FASTVSR_TRT_BUILDER_LEVEL=${FASTVSR_TRT_BUILDER_LEVEL:-3} FASTVSR_TRT_SIZES=${FASTVSR_TRT_SIZES:-480x270}
export FASTVSR_TRT_CACHE_DIR=${FASTVSR_TRT_CACHE_DIR:-/opt/fastvsr-plans}
JAVA=$APP/jre/bin/java
JAR=$APP/app/fastvsr-worker.jar
# the heap committed and touched at start, as the GPU image commits it (Dockerfile.gpu): 1080p frames are 6 MB arrays
# made at hundreds a second, and a growing heap page-faults under them; FASTVSR_HEAP_OPTS="" measures without
# shellcheck disable=SC2206
JOPTS=(-Dai.djl.offline=true -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp -XX:+ExitOnOutOfMemoryError
  ${FASTVSR_HEAP_OPTS--XX:InitialRAMPercentage=25 -XX:MaxRAMPercentage=25 -XX:+AlwaysPreTouch})
CLIP=$(ls "$APP"/clips/*.mp4 | head -1)
{
  echo "== nvidia-smi"; nvidia-smi 2>&1 | head -20
  echo "== java"; "$JAVA" -version 2>&1
  echo "== JRE modules"; cat "$APP/jre-modules"
  echo "== site-packages: $SITE"; ls "$SITE/nvidia/cu13/lib" "$SITE/nvidia/cudnn/lib" 2>&1
  echo "== natives"; ls -la "$APP/app/natives"
  M=${FASTVSR_MODEL_DIR:-models/fastvsr-tiny}; echo "== model $M"; ls -la "$M"; cat "$M/model.json"
  echo "== cores $(nproc), memory $(free -g | awk '/Mem/ { print $2 }') GiB"
} > "$OUT/env.log" 2>&1
log "environment in env.log; LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"

DEFAULT_STEPS=nocuda,bench,upscale,demo,oom
$HAVE_TRT && DEFAULT_STEPS=$DEFAULT_STEPS,notrt,trtbuild,trtreuse,trtbench,trtupscale,trtdemo
STEPS=",${FASTVSR_GPU_STEPS:-$DEFAULT_STEPS},"
wanted() { [[ $STEPS == *",$1,"* ]]; }

# step NAME LOG TIMEOUT COMMAND...: runs a step with a bound, appends its output to LOG, records rc and time
declare -a SUMMARY
step() {
  local name=$1 logfile=$2 limit=$3; shift 3
  local s; s=$(date +%s.%N)
  echo "===== $name: $*" >> "$OUT/$logfile"
  timeout --kill-after=10 "$limit" "$@" >> "$OUT/$logfile" 2>&1
  local rc=$?
  local took; took=$(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  SUMMARY+=("$(printf '%-34s rc=%-3s %7s s' "$name" "$rc" "$took")")
  log "$name: rc=$rc in $took s ($logfile)"
  return $rc
}

# 1. start-up without the CUDA libraries: must be one error line naming them, exit 1
if wanted nocuda; then
  step "no CUDA libraries (expect rc=1)" nocuda.log 60 env LD_LIBRARY_PATH= "$JAVA" "${JOPTS[@]}" -jar "$JAR" \
    upscale --engine cuda "$CLIP" /tmp/never.mp4
  if grep -q '^error \[MODEL_ERROR\]: engine cuda on gpu0: CUDA libraries not found' "$OUT/nocuda.log" \
     && ! grep -q 'Exception' "$OUT/nocuda.log"; then log "  verdict: one clear line, no stack trace"
  else log "  verdict: UNEXPECTED (see nocuda.log)"; fi
fi

# 2. the throughput numbers: stages side by side, then N pipelines at once
# shellcheck disable=SC2086
wanted bench && step "bench cuda 480x270 jobs ${FASTVSR_BENCH_JOBS:-1,2,4,8}" bench.log 330 "$JAVA" "${JOPTS[@]}" -jar "$JAR" \
  bench --engine cuda --size 480x270 --frames 240 --runs "${FASTVSR_BENCH_RUNS:-2}" --jobs "${FASTVSR_BENCH_JOBS:-1,2,4,8}" \
  ${FASTVSR_BENCH_OPTIONS:-}

# 2b. on request: the same with ORT's NHWC CUDA kernels (prefer_nhwc=1), one run, 1 and 8 jobs
# shellcheck disable=SC2086
wanted benchnhwc && step "bench cuda prefer_nhwc=1 jobs 1,8" bench.log 240 "$JAVA" "${JOPTS[@]}" -jar "$JAR" bench \
  --engine cuda --size 480x270 --frames 240 --runs 1 --jobs 1,8 --cuda-option prefer_nhwc=1

# 3. the same clip through both engines, for PSNR on the build machine (high bitrate: the codec adds little)
if wanted upscale; then
  step "upscale --engine cuda" upscale.log 180 "$JAVA" "${JOPTS[@]}" -jar "$JAR" upscale --engine cuda \
    --bitrate 60000000 "$CLIP" "$OUT/out-cuda.mp4"
  step "upscale --engine cpu" upscale.log 240 "$JAVA" "${JOPTS[@]}" -jar "$JAR" upscale --engine cpu \
    --bitrate 60000000 "$CLIP" "$OUT/out-cpu.mp4"
fi

# 4. one whole job through embedded Kafka and S3 on the GPU
if wanted demo; then
  step "demo --engine cuda" demo.log 240 "$JAVA" "${JOPTS[@]}" -jar "$JAR" demo --engine cuda --size 480x270 \
    --seconds 3 --out /tmp/demo-cuda
  grep -q '"type" : "ai.fastvsr.job.completed"' "$OUT/demo.log" && log "  verdict: completed event printed" \
    || log "  verdict: NO completed event (see demo.log)"
fi

# 5. out of memory mid-job: ORT's arena capped, a 480x270 job must fail GPU_OUT_OF_MEMORY (retryable) and the
#    32x32 job after it must still complete on the same worker (cuDNN's algorithm search kept to its small
#    workspace, so only the activations decide)
if wanted oom; then
  step "out-of-memory check (expect rc=2)" demo.log 240 "$JAVA" "${JOPTS[@]}" -jar "$JAR" demo --engine cuda \
    --gpu-mem-limit "${FASTVSR_OOM_LIMIT:-300M}" --cuda-option cudnn_conv_use_max_workspace=0 \
    --size 480x270,32x32 --seconds 1 --out /tmp/demo-oom
  oom=$(sed -n '/===== out-of-memory check/,$p' "$OUT/demo.log")
  if grep -q '"errorCode" : "GPU_OUT_OF_MEMORY"' <<<"$oom" && grep -q '"retryable" : true' <<<"$oom" \
     && grep -q '"type" : "ai.fastvsr.job.completed"' <<<"$oom"; then
    log "  verdict: first job GPU_OUT_OF_MEMORY (retryable), the next one completed"
  else
    log "  verdict: UNEXPECTED (see demo.log; FASTVSR_OOM_LIMIT changes the cap)"
  fi
fi

# 6. TensorRT (its libraries on the path only for these steps)
TRTJ=(env LD_LIBRARY_PATH="$TRT_LIBRARY_PATH" "$JAVA" "${JOPTS[@]}" -jar "$JAR")
PLAN_GLOB="$FASTVSR_TRT_CACHE_DIR/*.plan"
if $HAVE_TRT; then
  if wanted notrt; then
    step "tensorrt without its libraries (expect rc=1)" trt.log 60 env LD_LIBRARY_PATH="$CUDA_LIBRARY_PATH" \
      "$JAVA" "${JOPTS[@]}" -jar "$JAR" upscale --engine tensorrt "$CLIP" /tmp/never.mp4
    if grep -q '^error \[MODEL_ERROR\]: engine tensorrt on gpu0: TensorRT libraries not found' "$OUT/trt.log" \
       && ! grep -q 'Exception' "$OUT/trt.log"; then log "  verdict: one clear line, no stack trace"
    else log "  verdict: UNEXPECTED (see trt.log)"; fi
  fi
  if ls .gpu-stage/plans/*.plan >/dev/null 2>&1 && ! wanted trtbuild; then
    # plans a fresh machine would rebuild for minutes: carried back in from an earlier run's $OUT/plans
    mkdir -p "$FASTVSR_TRT_CACHE_DIR" && cp .gpu-stage/plans/* "$FASTVSR_TRT_CACHE_DIR"/
    log "plans carried in: $(ls .gpu-stage/plans | tr '\n' ' ')"
  fi
  if wanted trtbuild; then
    rm -rf "$FASTVSR_TRT_CACHE_DIR"
    step "build-engine (fresh plan, level $FASTVSR_TRT_BUILDER_LEVEL)" trt.log 560 "${TRTJ[@]}" build-engine
    ls -la $PLAN_GLOB >> "$OUT/trt.log" 2>&1
    # for a later machine (carry them as .gpu-stage/plans): the cache checks them as it checks its own
    mkdir -p "$OUT/plans" && cp "$FASTVSR_TRT_CACHE_DIR"/* "$OUT/plans/" 2>/dev/null
  fi
  if wanted trtreuse; then
    step "build-engine again (cached plan)" trt.log 120 "${TRTJ[@]}" build-engine
    sed -n '/===== build-engine again/,$p' "$OUT/trt.log" | grep -q "tiles from the cache" && log "  verdict: the cached plan was loaded" \
      || log "  verdict: NO cache hit (see trt.log)"
  fi
  if wanted trtbench; then
    # shellcheck disable=SC2086
    step "bench tensorrt 480x270 jobs ${FASTVSR_BENCH_JOBS:-1,2,4,8}" trt.log 330 "${TRTJ[@]}" bench --engine tensorrt \
      --size 480x270 --frames 240 --runs "${FASTVSR_BENCH_RUNS:-3}" --jobs "${FASTVSR_BENCH_JOBS:-1,2,4,8}" ${FASTVSR_BENCH_OPTIONS:-}
  fi
  if wanted trtbenchheap; then
    # the same without the committed heap (JOPTS), to show what it is worth to the unpack into Java frames
    step "bench tensorrt jobs 1,8, the JVM's default heap" trt.log 240 env LD_LIBRARY_PATH="$TRT_LIBRARY_PATH" "$JAVA" \
      -Dai.djl.offline=true -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp -jar "$JAR" bench --engine tensorrt \
      --size 480x270 --frames 240 --runs 1 --jobs 1,8
  fi
  wanted trtupscale && step "upscale --engine tensorrt" trt.log 180 "${TRTJ[@]}" upscale --engine tensorrt \
    --bitrate 60000000 "$CLIP" "$OUT/out-trt.mp4"
  if wanted trtdemo; then
    step "demo --engine tensorrt" trt.log 240 "${TRTJ[@]}" demo --engine tensorrt --size 480x270 --seconds 3 --out /tmp/demo-trt
    sed -n '/===== demo --engine tensorrt/,$p' "$OUT/trt.log" | grep -q '"type" : "ai.fastvsr.job.completed"' \
      && log "  verdict: completed event printed" || log "  verdict: NO completed event (see trt.log)"
  fi
  if wanted trtcorrupt; then
    for plan in $PLAN_GLOB; do printf 'damaged' | dd of="$plan" bs=1 seek=4096 conv=notrunc status=none; done
    step "build-engine on a damaged plan (rebuilt)" trt.log 420 "${TRTJ[@]}" build-engine
    sed -n '/===== build-engine on a damaged plan/,$p' "$OUT/trt.log" | grep -q "is not used and will be rebuilt" \
      && log "  verdict: warned and rebuilt" || log "  verdict: UNEXPECTED (see trt.log)"
  fi
fi

# 7. optional: PyTorch fp16 on the same GPU in the same run, if the models/ side provides the command
if [[ -n "${FASTVSR_TORCH_BENCH:-}" ]]; then
  step "torch side by side" bench.log 240 bash -c "$FASTVSR_TORCH_BENCH"
fi

log "summary (total $(elapsed) s):"
for line in "${SUMMARY[@]}"; do log "  $line"; done
ls -la "$OUT" >> "$OUT/run.log"
