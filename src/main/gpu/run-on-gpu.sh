#!/usr/bin/env bash
# The GPU worker on a bare GPU host, from the repository root, through the device tool (src/main/gpu/prepare.sh
# prints the calls). No Java, no network there: the bundle brings a JRE, the GPU jar, ORT's natives and a clip;
# the host brings the NVIDIA driver and, in its Python venv, the CUDA 13 and cuDNN 9 libraries.
#
#   bash src/main/gpu/run-on-gpu.sh stage   copy the carried .gpu-stage/part-NN to /opt/fastvsr-stage (outside the
#                                           repository copy; kept while the machine stays warm)
#   bash src/main/gpu/run-on-gpu.sh run     the same for the last part, then unpack and run everything below
#
# The run, each step bounded and timed, logs under $OUT (at most 8 files come back):
#   env.log      GPU, driver, libraries, versions
#   run.log      the summary: each step's exit code, time and verdict
#   nocuda.log   start-up with the CUDA libraries out of reach: one error line, exit 1
#   bench.log    bench --engine cuda, 480x270 -> 1920x1080, concurrency sweep
#   upscale.log  the test clip upscaled with --engine cuda and --engine cpu
#   out-cuda.mp4, out-cpu.mp4   those two outputs (compare with ffmpeg's psnr filter on the build machine)
#   demo.log     demo --engine cuda (one whole job through Kafka and S3), then the out-of-memory check
#
# Knobs (environment, set in the device command before the script):
#   FASTVSR_GPU_STEPS      which steps, comma-separated (default nocuda,bench,upscale,demo,oom)
#   FASTVSR_BENCH_OPTIONS  extra bench options, e.g. "--cuda-option prefer_nhwc=1" or "--frames 480"
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

stage_parts() {
  [[ -f .gpu-stage/MANIFEST ]] || { log "no .gpu-stage/MANIFEST carried"; exit 2; }
  cp .gpu-stage/MANIFEST "$STAGED/MANIFEST"
  for part in .gpu-stage/part-*; do
    [[ -f $part ]] || continue
    name=$(basename "$part")
    want=$(awk -v n="$name" '$2 == n { print $1 }' "$STAGED/MANIFEST")
    got=$(sha256sum "$part" | cut -d' ' -f1)
    if [[ "$want" != "$got" ]]; then
      log "$name: sha256 $got, MANIFEST says $want"
      exit 2
    fi
    cp "$part" "$STAGED/$name"
    log "staged $name ($(stat -c %s "$part") bytes)"
  done
  log "staged so far: $(cd "$STAGED" && ls part-* 2>/dev/null | tr '\n' ' ')of $(awk '$1 == "parts" { print $2 }' "$STAGED/MANIFEST")"
}

case "${1:-}" in
  stage) stage_parts; exit 0 ;;
  run) stage_parts ;;
  *) echo "usage: $0 stage|run" >&2; exit 2 ;;
esac

# ---- unpack ----
want=$(awk '$1 == "parts" { print $2 }' "$STAGED/MANIFEST")
have=$(cd "$STAGED" && ls part-* 2>/dev/null | wc -l)
if [[ "$have" != "$want" ]]; then
  log "only $have of $want parts are staged: the machine went cold between calls? Stage them again."
  exit 2
fi
(cd "$STAGED" && sha256sum --quiet -c <(grep ' part-' MANIFEST)) || { log "a staged part is damaged"; exit 2; }
rm -rf "$APP" && mkdir -p "$APP"
cat "$STAGED"/part-* | xz -d -T0 | tar -x -C /opt || { log "unpacking failed"; exit 2; }
log "unpacked $(cat $APP/VERSION) into $APP"

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
export OPT_OUT_TRACKING=true SVT_LOG=1
JAVA=$APP/jre/bin/java
JAR=$APP/app/fastvsr-worker.jar
JOPTS=(-Dai.djl.offline=true -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp -XX:+ExitOnOutOfMemoryError)
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

STEPS=",${FASTVSR_GPU_STEPS:-nocuda,bench,upscale,demo,oom},"
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
wanted bench && step "bench cuda 480x270 jobs 1,2,4,8" bench.log 330 "$JAVA" "${JOPTS[@]}" -jar "$JAR" bench \
  --engine cuda --size 480x270 --frames 240 --runs 2 --jobs 1,2,4,8 ${FASTVSR_BENCH_OPTIONS:-}

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

# 6. optional: PyTorch fp16 on the same GPU in the same run, if the models/ side provides the command
if [[ -n "${FASTVSR_TORCH_BENCH:-}" ]]; then
  step "torch side by side" bench.log 240 bash -c "$FASTVSR_TORCH_BENCH"
fi

log "summary (total $(elapsed) s):"
for line in "${SUMMARY[@]}"; do log "  $line"; done
ls -la "$OUT" >> "$OUT/run.log"
