#!/usr/bin/env bash
# The whole fastvsr-tiny v2 recipe. Data preparation needs apt-get, ffmpeg (libx264/libx265) and OpenCV (the CPU
# machine, ~10 min on 2 cores); training, evaluation, export and speed need one GPU (one H200: ~6.5 min for the
# shipped run, then ~2.5 min for two ablation runs side by side).
#
#   models/recipe.sh data              # here: download the Debian packages + npm ESRGANs, build models/.data (~100 MiB)
#   models/recipe.sh pack              # here: models/.data -> .devcarry/data.partNN (<= 48 MB each: one part + the
#                                      working tree (~12.5 MB) must stay under the 64 MiB a device call carries)
#   MORE=models/data_sources_more.json DATA=models/.data-more models/recipe.sh data    # v2's set + survey 2's photos
#   DATA=models/.data-more models/recipe.sh pack                                        #   (their clips come last:
#                                                 every clip of v2's set, validation included, stays as it was)
#   models/recipe.sh train OUT         # there: main run (stages 1-4, table, export), then the ablations, into OUT
#   models/recipe.sh plot OUT          # curves -> PNG
# On the GPU machine through the device tool (each call carries one part; files outside the repo stay only while
# the machine is warm, so make the calls back to back; docs/models.md lists them):
#   stage        copy the carried .devcarry/*.part* to $STAGE (/opt/fastvsr-stage)
#   gpu-train    unpack the data to $RUN/data and start `train-main $RUN/train` in the background; returns at once
#                (WHAT=train-grow: stage 5 instead, v2 grown to tiny-deep; WHAT=train-stage5: its 4 variants;
#                WHAT=train-big: the upper-bound preset tiny-big; WHAT=train-v3: main, crop96 and big side by side;
#                WHAT=train-candidates: v3 candidates within the CPU budget;
#                WHAT=train-stage8: stage 8's candidates, all distilled from TEACHER;
#                WHAT=train-stage9: a student's loss, and a grown teacher; then train-stage9b OUT;
#                ablate-guidance OUT: guidance on and off at equal wall time;
#                WHAT=train-stage10: the shipped model trained on, with and without aligned neighbours)
#                (TEACHER=CKPT with train-candidates: each candidate also distilled from that model, a "-kd" twin)
#   int8-study   quantize_int8.py on INT8_MODELS (CPU only; can run beside a training)
#   gpu-ablate   start `train-ablations $RUN/train` in the background (after the main run)
#   status       the runs' progress;  collect: results -> $OUT (one tar of logs/tables/model, one of checkpoints);
#                collect-v3: train-v3's results (six tars)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
STAGE=${STAGE:-/opt/fastvsr-stage}
RUN=${RUN:-/opt/fastvsr-run}
DATA=${DATA:-models/.data}
# v2's shipped run, step for step (its time caps stopped it here on one H200): runs sharing a GPU stay comparable
V2_STEPS=(--steps1 1121 --steps2 776 --steps3 1923 --steps4 2154 --time-caps 0,0,0,0)
# each run's table under one file: tables OUT RUN...
tables() { local out=$1; shift; for run; do echo "## $run"; cat "$out/$run/table.md" 2>/dev/null || echo "(no table)"; done \
  > "$out/tables.md"; }
second_gpu() { local n; n=$( (nvidia-smi -L 2>/dev/null || true) | wc -l); echo $(( n > 1 ? 1 : 0 )); }
# wait_stage12 DIR PID: until DIR/stage12.pt is written (the run that writes it renames it into place whole) or PID
# (that run) has exited
wait_stage12() { while [ ! -f "$1/stage12.pt" ] && kill -0 "$2" 2>/dev/null; do sleep 5; done; }
# train_on GPU DIR ARGS...: one train.py run in the background on that GPU, into DIR (its log DIR/train.log)
train_on() { local gpu=$1 dir=$2; shift 2; mkdir -p "$dir"
  CUDA_VISIBLE_DEVICES=$gpu $PY models/train.py "$@" --out "$dir" ${V3_EXTRA:-} > "$dir/train.log" 2>&1 & }
case "${1:-}" in
  data)
    DL=${DL:-/tmp/fastvsr-dl}
    pkgs=$(/usr/bin/python3 -c 'import json,sys;print(" ".join(sorted({p["package"] for f in sys.argv[1:] if f
      for p in json.load(open(f))["photos"]})))' models/data_sources.json ${MORE:-})
    mkdir -p "$DL/x" && (cd "$DL" && apt-get download $pkgs gnome-backgrounds)
    for f in "$DL"/*.deb; do p=$(dpkg-deb -f "$f" Package); mkdir -p "$DL/x/$p"; dpkg -x "$f" "$DL/x/$p"; done
    (cd "$DL" && npm pack @upscalerjs/esrgan-slim @upscalerjs/esrgan-medium @upscalerjs/esrgan-thick)
    for v in slim medium thick; do
      mkdir -p "$DL/$v" "$DATA/esrgan/$v" && tar xzf "$DL"/upscalerjs-esrgan-$v-*.tgz -C "$DL/$v"
      cp -r "$DL/$v/package/models" "$DL/$v/package/assets" "$DATA/esrgan/$v/"
      [ $v = thick ] && echo rrdn > "$DATA/esrgan/$v/ARCH" || echo rdn > "$DATA/esrgan/$v/ARCH"
      rm -rf "$DATA/esrgan/$v/models/x2" "$DATA/esrgan/$v/models/x3" "$DATA/esrgan/$v/models/x8"
    done
    /usr/bin/python3 models/prepare_data.py --root "$DL/x" --out "$DATA" ${MORE:+--more "$MORE"}
    # the model shipped before (v1), for the table
    git show 227923b:models/fastvsr-tiny/model.onnx > "$DATA/fastvsr-tiny-v1.onnx" ;;
  pack)
    mkdir -p .devcarry && rm -f .devcarry/data.part*
    # always unpacked as .data on the GPU machine (gpu-train), whatever DATA is called here
    tar cf - -C "$(dirname "$DATA")" --transform "s,^$(basename "$DATA"),.data," "$(basename "$DATA")" \
      | split -b ${PART_BYTES:-48000000} -d - .devcarry/data.part
    ls -l .devcarry/data.part* ;;
  stage)
    # whatever this call carried under .devcarry: data parts, and e.g. extra/ (a teacher checkpoint, a model to study)
    mkdir -p "$STAGE" && cp -rv .devcarry/. "$STAGE"/ && ls -lR "$STAGE" | head -20 ;;
  gpu-train)
    mkdir -p "$RUN" && rm -rf "$RUN/.data" "$RUN/data" && cat "$STAGE"/data.part* | tar xf - -C "$RUN" && mv "$RUN/.data" "$RUN/data"
    du -sh "$RUN/data"; nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv,noheader
    DATA="$RUN/data" setsid nohup bash models/recipe.sh "${WHAT:-train-main}" "$RUN/train" > "$RUN/recipe.log" 2>&1 < /dev/null &
    sleep 30; bash models/recipe.sh status ;;
  gpu-ablate)
    DATA="$RUN/data" setsid nohup bash models/recipe.sh train-ablations "$RUN/train" > "$RUN/ablate.log" 2>&1 < /dev/null &
    sleep 5; bash models/recipe.sh status ;;
  status)
    for f in "$RUN"/train/*/train.log; do echo "== $f"; grep -E "data:|stopped|done|val PSNR|step (0|[0-9]*00)/" "$f" | tail -4; done
    grep -h -A12 "^\*\*val" "$RUN"/train/*/train.log 2>/dev/null | tail -40; tail -3 "$RUN/recipe.log"
    nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader ;;
  collect)
    OUT=${OUT:?OUT}; cd "$RUN/train"
    tar czf "$OUT/results.tgz" tables.md */train.log */report.json */curves.json */table.md */fastvsr-tiny 2>/dev/null || true
    tar czf "$OUT/checkpoints.tgz" */fastvsr_tiny.pt main/stage12.pt 2>/dev/null || true
    ls -l "$OUT" ;;
  train-big-cont)
    # the upper bound trained on: train-v3's big run continued end to end (stage 4) for CONT_SECONDS, as is and with
    # 96x96 crops, one per GPU; no export, no ESRGAN/v1 rows (they are in train-v3's table)
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1; mkdir -p "$OUT"/{big-cont,big-cont96}
    second=$(second_gpu)
    common=(--data "$DATA" --esrgan none --old-onnx none --preset tiny-big --grow-from "$OUT/big/fastvsr_tiny.pt"
      --stage12 "$OUT/big/stage12.pt" --time-caps "0,0,0,${CONT_SECONDS:-420}" --steps4 40000 --no-export)
    extra=(${V3_EXTRA:-})
    CUDA_VISIBLE_DEVICES=0 $PY models/train.py "${common[@]}" --out "$OUT/big-cont" "${extra[@]}" \
      > "$OUT/big-cont/train.log" 2>&1 &
    CUDA_VISIBLE_DEVICES=$second $PY models/train.py "${common[@]}" --lr-crop 96 --batch 8 --out "$OUT/big-cont96" \
      "${extra[@]}" > "$OUT/big-cont96/train.log" 2>&1 &
    wait ;;
  train-candidates)
    # v3 candidates within the CPU budget (CANDIDATES, presets.py: default the 40-wide and the deeper pixel path), each
    # with v2's recipe step for step on the data given, export included; round robin over the GPUs. With TEACHER (a
    # trained checkpoint, e.g. tiny-big's), each also gets a twin "$p-kd" on its GPU that learns from the teacher's
    # output as well (train.py --teacher): it takes its stages 1-2 from the twin (the same preset, seed and batches
    # make them identical) as soon as they are written, so the two differ only in the distillation
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1
    second=$(second_gpu); i=0; runs=()
    for p in ${CANDIDATES:-tiny-px40 tiny-deep}; do
      gpu=$(( i % 2 ? second : 0 )); i=$((i + 1)); runs+=("$p")
      common=(--data "$DATA" --esrgan "$DATA/esrgan" --old-onnx "$DATA/fastvsr-tiny-v1.onnx" --preset $p "${V2_STEPS[@]}")
      mkdir -p "$OUT/$p"
      CUDA_VISIBLE_DEVICES=$gpu $PY models/train.py "${common[@]}" --out "$OUT/$p" ${V3_EXTRA:-} > "$OUT/$p/train.log" 2>&1 &
      [ -n "${TEACHER:-}" ] || continue
      twin=$!; runs+=("$p-kd"); mkdir -p "$OUT/$p-kd"
      ( wait_stage12 "$OUT/$p" $twin
        CUDA_VISIBLE_DEVICES=$gpu $PY models/train.py "${common[@]}" --stage12 "$OUT/$p/stage12.pt" --teacher "$TEACHER" \
          --out "$OUT/$p-kd" ${V3_EXTRA:-} > "$OUT/$p-kd/train.log" 2>&1 ) &
    done
    wait
    tables "$OUT" "${runs[@]}" ;;
  train-stage8)
    # stage 8 (models/README.md): CANDIDATES, each distilled from TEACHER with v2's steps, export included; round robin
    # over the GPUs, two per GPU. The first run on a GPU trains stages 1-2, the second starts from them (stage12.pt,
    # the same in every tiny-family preset: they differ only in the pixel path, trained from stage 3 on), so a GPU's
    # pair differs only in its pixel path. Each run's folder gets the stage12.pt it used (train-kd-more reads it)
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1
    second=$(second_gpu); i=0; runs=(); declare -A lead pid
    for p in ${CANDIDATES:-tiny-deep-ps tiny-deep4-ps tiny-deep3-ps tiny-deep3}; do
      gpu=$(( i % 2 ? second : 0 )); i=$((i + 1)); run=$p-kd; runs+=("$run"); mkdir -p "$OUT/$run"
      args=(--data "$DATA" --esrgan "$DATA/esrgan" --old-onnx "$DATA/fastvsr-tiny-v1.onnx" --preset $p "${V2_STEPS[@]}"
        --teacher "${TEACHER:?TEACHER}" --out "$OUT/$run" ${V3_EXTRA:-})
      if [ -z "${lead[$gpu]:-}" ]; then
        CUDA_VISIBLE_DEVICES=$gpu $PY models/train.py "${args[@]}" > "$OUT/$run/train.log" 2>&1 &
        lead[$gpu]=$run; pid[$gpu]=$!
      else
        first=${lead[$gpu]}
        ( wait_stage12 "$OUT/$first" ${pid[$gpu]}
          ln -sf "../$first/stage12.pt" "$OUT/$run/stage12.pt"
          CUDA_VISIBLE_DEVICES=$gpu $PY models/train.py "${args[@]}" --stage12 "$OUT/$first/stage12.pt" \
            > "$OUT/$run/train.log" 2>&1 ) &
      fi
    done
    wait
    tables "$OUT" "${runs[@]}" ;;
  train-kd-more)
    # after train-candidates with TEACHER, two ways to push its best distilled run (KD_RUN, default tiny-deep-kd)
    # further, one per GPU: kd3 = the same from its stages 1-2 with the teacher weighted 3x; cont = it trained on end
    # to end with the teacher for CONT_SECONDS. Tables only (collect-candidates takes them and their checkpoints)
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1; run=${KD_RUN:-tiny-deep-kd}; twin=${run%-kd}
    [ -f "$OUT/$run/stage12.pt" ] && twin=$run     # train-stage8's runs keep the stage12.pt they used
    second=$(second_gpu); p=$($PY -c "import torch,sys; print(torch.load(sys.argv[1])['preset'])" "$OUT/$run/fastvsr_tiny.pt")
    common=(--data "$DATA" --esrgan none --old-onnx none --preset "$p" --stage12 "$OUT/$twin/stage12.pt"
      --teacher "${TEACHER:?TEACHER}" --no-export)
    # UNGUIDED=1: the first of the two is instead the guidance-off ablation (lambda 0, otherwise the run itself)
    if [ -n "${UNGUIDED:-}" ]; then first=$run-unguided; how=(--lam 0); else first=${run}3; how=(--kd 3); fi
    mkdir -p "$OUT/$first" "$OUT/$run-cont"
    CUDA_VISIBLE_DEVICES=0 $PY models/train.py "${common[@]}" "${how[@]}" "${V2_STEPS[@]}" --out "$OUT/$first" ${V3_EXTRA:-} \
      > "$OUT/$first/train.log" 2>&1 &
    CUDA_VISIBLE_DEVICES=$second $PY models/train.py "${common[@]}" --grow-from "$OUT/$run/fastvsr_tiny.pt" \
      --time-caps "0,0,0,${CONT_SECONDS:-300}" --steps4 40000 --out "$OUT/$run-cont" ${V3_EXTRA:-} > "$OUT/$run-cont/train.log" 2>&1 &
    wait
    tables "$OUT" "$run" "$first" "$run-cont" ;;
  train-stage9)
    # stage 9 (models/README.md), from trained checkpoints in $STAGE/extra (TEACHER, STUDENT and its STUDENT_S12):
    # on GPU 0 the student trained on for S9_SECONDS with the teacher, once with the recipe's L1 and once with the
    # luma-weighted MSE (train.py --loss ymse), side by side; on GPU 1 alone, a stronger teacher: TEACHER's pixel
    # path grown to 6 space-time blocks and trained on (no guidance: its stages 1-2 were not kept), as stage 6
    # trained it on (96x96 crops, batch 8)
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1; second=$(second_gpu); secs=${S9_SECONDS:-600}
    student=(--data "$DATA" --esrgan none --old-onnx none --preset "${STUDENT_PRESET:-tiny-deep4-ps}"
      --grow-from "${STUDENT:?STUDENT}" --stage12 "${STUDENT_S12:?STUDENT_S12}" --teacher "${TEACHER:?TEACHER}"
      --time-caps "0,0,0,$secs" --steps4 40000)
    for loss in l1 ymse; do train_on 0 "$OUT/student-$loss" "${student[@]}" --loss $loss; done
    train_on $second "$OUT/teacher-deep6" --data "$DATA" --esrgan none --old-onnx none --preset tiny-big-deep6 \
      --grow-from "$TEACHER" --lam 0 --lr-crop 96 --batch 8 --time-caps "0,0,0,$secs" --steps4 40000 --no-export
    wait
    tables "$OUT" student-l1 student-ymse teacher-deep6 ;;
  train-stage9b)
    # after train-stage9: its student run FROM (default student-l1, with its LOSS) trained on for S9B_SECONDS from the
    # grown teacher, with the teacher's weight 1 on GPU 0 and 3 on GPU 1. The control, the same time from the old
    # teacher, is train-stage9's own run: its last 600 s added nothing (models/README.md, "Stage 9")
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1; second=$(second_gpu); from=${FROM:-student-l1}
    common=(--data "$DATA" --esrgan none --old-onnx none --preset "${STUDENT_PRESET:-tiny-deep4-ps}"
      --grow-from "$OUT/$from/fastvsr_tiny.pt" --stage12 "${STUDENT_S12:?STUDENT_S12}" --loss "${LOSS:-l1}"
      --teacher "$OUT/teacher-deep6/fastvsr_tiny.pt" --time-caps "0,0,0,${S9B_SECONDS:-420}" --steps4 40000)
    train_on 0 "$OUT/$from-t6" "${common[@]}"
    train_on $second "$OUT/$from-t6-kd3" "${common[@]}" --kd 3
    wait
    tables "$OUT" student-l1 student-ymse teacher-deep6 "$from-t6" "$from-t6-kd3" ;;
  train-stage10)
    # stage 10 (models/README.md): the shipped model (STUDENT, a checkpoint; checkpoint_from_onnx.py recovers one from
    # models/fastvsr-tiny) trained on for S10_SECONDS, as it is on GPU 0 (the control) and grown to STUDENT_PRESET_AL
    # (its neighbours aligned by the global motion, align.py) on GPU 1. No teacher and no guidance: neither survived
    # the machine that trained them, and stage 9 found the guidance worth nothing for this preset
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1; second=$(second_gpu)
    common=(--data "$DATA" --esrgan none --old-onnx none --grow-from "${STUDENT:?STUDENT}" --lam 0
      --time-caps "0,0,0,${S10_SECONDS:-480}" --steps4 40000)
    train_on 0 "$OUT/control" "${common[@]}" --preset "${STUDENT_PRESET:-tiny-deep4-ps}"
    train_on $second "$OUT/aligned" "${common[@]}" --preset "${STUDENT_PRESET_AL:-tiny-deep4-ps-al}"
    wait
    tables "$OUT" control aligned ;;
  ablate-guidance)
    # the guidance-off ablation for STUDENT_PRESET (default v4's), distilled from TEACHER as v4 was, from its stages 1-2
    # (STUDENT_S12): stages 3-4 with and without the guidance, one per GPU, at equal wall time (ABLATE_CAPS; v2's
    # steps as the upper limit). Tables only
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1; second=$(second_gpu)
    common=(--data "$DATA" --esrgan none --old-onnx none --preset "${STUDENT_PRESET:-tiny-deep4-ps}"
      --stage12 "${STUDENT_S12:?STUDENT_S12}" --teacher "${TEACHER:?TEACHER}" --steps3 1923 --steps4 2154
      --time-caps "${ABLATE_CAPS:-0,0,140,190}" --no-export)
    train_on 0 "$OUT/ablation-guided" "${common[@]}"
    train_on $second "$OUT/ablation-unguided" "${common[@]}" --lam 0
    wait
    tables "$OUT" ablation-guided ablation-unguided ;;
  int8-study)
    # what int8 would buy on the CPU (quantize_int8.py), for each exported model folder in INT8_MODELS (default the
    # shipped one): calibrated on $DATA's training split, scored on its validation split, timed fp32 vs int8
    OUT=${2:?OUT}; mkdir -p "$OUT"
    for m in ${INT8_MODELS:-models/fastvsr-tiny}; do
      n=$(basename "$m"); $PY models/quantize_int8.py --model "$m" --data "$DATA" --out "$OUT/int8-$n" > "$OUT/int8-$n.log" 2>&1 || true
    done ;;
  train-split)
    # where tiny-big's gain comes from, at equal wall time (SPLIT_CAPS, short): v2's preset, tiny-big, and each half of
    # it (tiny-biglat: its latent path; tiny-bigpix: its pixel path), two per GPU; tables only
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1
    second=$(second_gpu); i=0
    for p in tiny tiny-big tiny-biglat tiny-bigpix; do
      mkdir -p "$OUT/split-$p"
      CUDA_VISIBLE_DEVICES=$(( i % 2 ? second : 0 )) $PY models/train.py --data "$DATA" --esrgan none --old-onnx none \
        --preset $p --time-caps "${SPLIT_CAPS:-15,15,55,70}" --no-export --out "$OUT/split-$p" ${V3_EXTRA:-} \
        > "$OUT/split-$p/train.log" 2>&1 &
      i=$((i + 1))
    done
    wait ;;
  collect-v3)
    # train-v3's results in six files (the device returns at most 8, 16 MiB each): logs/reports/curves/tables, and per
    # run its exported model and its checkpoints
    OUT=${OUT:?OUT}; cd "$RUN/train"
    tar czf "$OUT/v3-results.tgz" tables.md */train.log */report.json */curves.json */table.md 2>/dev/null || true
    for run in main crop96; do
      tar czf "$OUT/v3-$run-model.tgz" $run/fastvsr-tiny 2>/dev/null || true
      tar czf "$OUT/v3-$run-ckpt.tgz" $run/fastvsr_tiny.pt $run/stage12.pt 2>/dev/null || true
    done
    tar czf "$OUT/v3-big-ckpt.tgz" big/fastvsr_tiny.pt 2>/dev/null || true
    ls -l "$OUT" ;;
  collect-candidates)
    # train-candidates' results (+ int8-study's, if run into $RUN/int8): logs/reports/curves/tables in one file, then per
    # run its exported model and checkpoint, and the int8 graphs (the device returns at most 8 files, 16 MiB each)
    OUT=${OUT:?OUT}; cd "$RUN/train"
    tar czf "$OUT/cand-results.tgz" tables.md */train.log */report.json */curves.json */table.md \
      ../int8/*.log ../int8/*/int8_report.json 2>/dev/null || true
    for run in */; do run=${run%/}; tar czf "$OUT/cand-$run.tgz" $run/fastvsr-tiny $run/fastvsr_tiny.pt 2>/dev/null || true; done
    (cd .. && tar czf "$OUT/int8-models.tgz" int8/*/model.onnx int8/*/model.json 2>/dev/null || true)
    ls -l "$OUT" ;;
  train)
    bash "$0" train-main "${2:?OUT}" && bash "$0" train-ablations "$2" ;;
  train-main)
    # the shipped run alone on the GPU: stages 1-4, the table, export, parity files, fp16 graph and speed
    OUT=${2:?OUT}; mkdir -p "$OUT/main"
    PYTHONUNBUFFERED=1 $PY models/train.py --data "$DATA" --esrgan "$DATA/esrgan" --old-onnx "$DATA/fastvsr-tiny-v1.onnx" \
      --out "$OUT/main" > "$OUT/main/train.log" 2>&1 ;;
  train-grow)
    # stage 5 (fastvsr/grow.py), not in the shipped run: v2's checkpoint, its pixel path grown to tiny-deep (it starts
    # exactly at v2), trained end to end for GROW_SECONDS; the table, export and speed as train-main. The checkpoints
    # are git-ignored: carry models/results/ckpt/fastvsr_tiny_v2.pt and stage12_v2.pt (WHAT=train-grow gpu-train)
    OUT=${2:?OUT}; mkdir -p "$OUT/grown"
    PYTHONUNBUFFERED=1 $PY models/train.py --data "$DATA" --esrgan "$DATA/esrgan" --old-onnx "$DATA/fastvsr-tiny-v1.onnx" \
      --preset tiny-deep --grow-from "${FROM:-models/results/ckpt/fastvsr_tiny_v2.pt}" \
      --stage12 "${STAGE12:-models/results/ckpt/stage12_v2.pt}" --time-caps "0,0,0,${GROW_SECONDS:-300}" \
      --steps4 "${GROW_STEPS:-20000}" --out "$OUT/grown" > "$OUT/grown/train.log" 2>&1 ;;
  train-stage5)
    # stage 5's variants side by side from v2's checkpoints, GROW_SECONDS each (the GPU is launch-bound at these
    # sizes, so four processes share it): grown = the planned run; grown-ema = + weight average (train.py --ema);
    # grown-b64 = + batch 64; cont-ema = v2 itself (no growth) with the average, so the growth's own share shows.
    # Then each one's PyTorch fp16 speed at 480x270 -> 1920x1080, one after another. Carry models/results/ckpt/*.pt.
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1
    common=(--data "$DATA" --esrgan "$DATA/esrgan" --old-onnx "$DATA/fastvsr-tiny-v1.onnx"
      --grow-from "${FROM:-models/results/ckpt/fastvsr_tiny_v2.pt}" --stage12 "${STAGE12:-models/results/ckpt/stage12_v2.pt}"
      --time-caps "0,0,0,${GROW_SECONDS:-420}" --steps4 "${GROW_STEPS:-40000}")
    variant() { local run=$1; shift; mkdir -p "$OUT/$run"
      $PY models/train.py "${common[@]}" --out "$OUT/$run" "$@" > "$OUT/$run/train.log" 2>&1; }
    variant grown --preset tiny-deep &
    variant grown-ema --preset tiny-deep --ema 0.999 &
    variant grown-b64 --preset tiny-deep --ema 0.999 --batch 64 &
    variant cont-ema --preset tiny --ema 0.999 &
    wait
    for run in grown grown-ema grown-b64 cont-ema; do
      echo "## $run"; cat "$OUT/$run/table.md" 2>/dev/null || echo "(no table)"
      [ -f "$OUT/$run/fastvsr_tiny.pt" ] && $PY models/bench_torch.py --checkpoint "$OUT/$run/fastvsr_tiny.pt" 2>&1 | tail -3
    done > "$OUT/tables.md" ;;
  train-big)
    # an upper bound, not shippable on a CPU: preset tiny-big (823 k MACs per LR pixel, 4.6x v2; presets.py), the
    # whole recipe with doubled time caps (~10 min on an H200), no export. Does anything this data allows reach
    # +1.5 dB over bicubic on the validation set? (WHAT=train-big gpu-train)
    OUT=${2:?OUT}; mkdir -p "$OUT/big"
    PYTHONUNBUFFERED=1 $PY models/train.py --data "$DATA" --esrgan "$DATA/esrgan" --old-onnx "$DATA/fastvsr-tiny-v1.onnx" \
      --preset tiny-big --time-caps "${BIG_CAPS:-80,80,220,280}" --no-export --out "$OUT/big" ${V3_EXTRA:-} \
      > "$OUT/big/train.log" 2>&1 ;;
  train-v3)
    # the v3 candidates on survey 2's data (DATA=.data-more packed), side by side over the GPUs there are:
    #   main  = v2's recipe step for step (its shipped run's 1121/776/1923/2154 steps, no time caps), export included;
    #   crop96 = the same with 96x96 LR crops at batch 8 (as many pixels per batch; the restorer's attention then sees
    #            12x12 tokens per frame in training instead of 6x6, nearer the 18x32 of a 144x256 clip), export included;
    #   big   = the upper bound (train-big) alone on the second GPU where there is one.
    OUT=${2:?OUT}; export PYTHONUNBUFFERED=1; mkdir -p "$OUT"/{main,crop96}
    second=$(second_gpu)
    common=(--data "$DATA" --esrgan "$DATA/esrgan" --old-onnx "$DATA/fastvsr-tiny-v1.onnx")
    extra=(${V3_EXTRA:-})   # last, so it overrides (the CPU smoke run: --smoke --device cpu --steps1 3 ...)
    CUDA_VISIBLE_DEVICES=0 $PY models/train.py "${common[@]}" "${V2_STEPS[@]}" --out "$OUT/main" "${extra[@]}" \
      > "$OUT/main/train.log" 2>&1 &
    CUDA_VISIBLE_DEVICES=0 $PY models/train.py "${common[@]}" "${V2_STEPS[@]}" --lr-crop 96 --batch 8 \
      --out "$OUT/crop96" "${extra[@]}" > "$OUT/crop96/train.log" 2>&1 &
    CUDA_VISIBLE_DEVICES=$second bash "$0" train-big "$OUT" &
    wait
    tables "$OUT" main crop96 big ;;
  train-ablations)
    # side by side, shorter: lambda 0 from the main run's stages 1-2, and everything on the old data
    OUT=${2:?OUT}; mkdir -p "$OUT"/{unguided,olddata}
    export PYTHONUNBUFFERED=1
    $PY models/train.py --data "$DATA" --out "$OUT/unguided" --stage12 "$OUT/main/stage12.pt" --lam 0 \
      --time-caps 0,0,60,70 --no-export --old-onnx none > "$OUT/unguided/train.log" 2>&1 &
    $PY models/train.py --data "$DATA" --split old --out "$OUT/olddata" --time-caps 20,20,60,70 \
      --no-export --old-onnx none > "$OUT/olddata/train.log" 2>&1 &
    wait
    tables "$OUT" main unguided olddata ;;
  plot)
    /usr/bin/python3 models/plot_curves.py "${2:?OUT}/curves.json" --out "$2" ;;
  *) sed -n 2,11p "$0"; exit 2 ;;
esac
