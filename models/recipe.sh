#!/usr/bin/env bash
# The whole fastvsr-tiny v2 recipe. Data preparation needs apt-get, ffmpeg (libx264/libx265) and OpenCV (the CPU
# machine, ~10 min on 2 cores); training, evaluation, export and speed need one GPU (one H200: ~8 min for the
# shipped run and its three ablations side by side).
#
#   models/recipe.sh data              # here: download the Debian packages + npm ESRGANs, build models/.data (~100 MiB)
#   models/recipe.sh pack              # here: models/.data -> .devcarry/data.partNN (<= 55 MB each, to carry to the GPU)
#   models/recipe.sh train OUT         # there: main run (stages 1-4, table, export) + ablations, into OUT
#   models/recipe.sh plot OUT          # curves -> PNG
# On the GPU machine through the device tool (each call carries one part; files outside the repo stay only while
# the machine is warm, so make the calls back to back; docs/models.md lists them):
#   stage        copy the carried .devcarry/*.part* to $STAGE (/opt/fastvsr-stage)
#   gpu-train    unpack the data to $RUN/data and start `train $RUN/train` in the background; returns at once
#   status       the runs' progress;  collect: results -> $OUT (one tar of logs/tables/model, one of checkpoints)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
STAGE=${STAGE:-/opt/fastvsr-stage}
RUN=${RUN:-/opt/fastvsr-run}
DATA=${DATA:-models/.data}
case "${1:-}" in
  data)
    DL=${DL:-/tmp/fastvsr-dl}
    pkgs=$(/usr/bin/python3 -c 'import json;print(" ".join(sorted({p["package"] for p in json.load(open("models/data_sources.json"))["photos"]})))')
    mkdir -p "$DL/x" && (cd "$DL" && apt-get download $pkgs gnome-backgrounds)
    for f in "$DL"/*.deb; do p=$(dpkg-deb -f "$f" Package); mkdir -p "$DL/x/$p"; dpkg -x "$f" "$DL/x/$p"; done
    (cd "$DL" && npm pack @upscalerjs/esrgan-slim @upscalerjs/esrgan-medium @upscalerjs/esrgan-thick)
    for v in slim medium thick; do
      mkdir -p "$DL/$v" models/.data/esrgan/$v && tar xzf "$DL"/upscalerjs-esrgan-$v-*.tgz -C "$DL/$v"
      cp -r "$DL/$v/package/models" "$DL/$v/package/assets" models/.data/esrgan/$v/
      [ $v = thick ] && echo rrdn > models/.data/esrgan/$v/ARCH || echo rdn > models/.data/esrgan/$v/ARCH
      rm -rf models/.data/esrgan/$v/models/x2 models/.data/esrgan/$v/models/x3 models/.data/esrgan/$v/models/x8
    done
    /usr/bin/python3 models/prepare_data.py --root "$DL/x" --out models/.data
    # the model shipped before (v1), for the table
    git show 227923b:models/fastvsr-tiny/model.onnx > models/.data/fastvsr-tiny-v1.onnx ;;
  pack)
    mkdir -p .devcarry && rm -f .devcarry/data.part*
    tar cf - -C models .data | split -b 55000000 -d - .devcarry/data.part
    ls -l .devcarry/data.part* ;;
  stage)
    mkdir -p "$STAGE" && cp -v .devcarry/*.part* "$STAGE"/ && ls -l "$STAGE" ;;
  gpu-train)
    mkdir -p "$RUN" && rm -rf "$RUN/.data" "$RUN/data" && cat "$STAGE"/data.part* | tar xf - -C "$RUN" && mv "$RUN/.data" "$RUN/data"
    du -sh "$RUN/data"; nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv,noheader
    DATA="$RUN/data" setsid nohup bash models/recipe.sh train "$RUN/train" > "$RUN/recipe.log" 2>&1 < /dev/null &
    sleep 75; bash models/recipe.sh status ;;
  status)
    for f in "$RUN"/train/*/train.log; do echo "== $f"; grep -E "data:|stopped|done|val PSNR|step (0|[0-9]*00)/" "$f" | tail -4; done
    grep -h -A12 "^\*\*val" "$RUN"/train/*/train.log 2>/dev/null | tail -40; tail -3 "$RUN/recipe.log"
    nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader ;;
  collect)
    OUT=${OUT:?OUT}; cd "$RUN/train"
    tar czf "$OUT/results.tgz" tables.md */train.log */report.json */curves.json */table.md main/fastvsr-tiny 2>/dev/null || true
    tar czf "$OUT/checkpoints.tgz" */fastvsr_tiny.pt main/stage12.pt 2>/dev/null || true
    ls -l "$OUT" ;;
  train)
    # main run first; the ablations reuse its stages 1-2 (unguided: lambda 0; nopix: no pixel path) or train
    # everything on the old data. They share the GPU with the main run, at half its batch.
    OUT=${2:?OUT}; mkdir -p "$OUT"/{main,unguided,nopix,olddata}
    export PYTHONUNBUFFERED=1
    $PY models/train.py --data "$DATA" --esrgan "$DATA/esrgan" --old-onnx "$DATA/fastvsr-tiny-v1.onnx" --out "$OUT/main" --time-caps 50,50,140,160 > "$OUT/main/train.log" 2>&1 &
    main=$!
    $PY models/train.py --data "$DATA" --split old --out "$OUT/olddata" --batch 24 --time-caps 40,40,80,90 \
      --no-export --old-onnx none > "$OUT/olddata/train.log" 2>&1 &
    while [ ! -f "$OUT/main/stage12.pt" ] && kill -0 $main 2>/dev/null; do sleep 2; done
    for run in unguided nopix; do
      extra=$([ $run = unguided ] && echo "--lam 0" || echo "--preset tiny-nopix")
      $PY models/train.py --data "$DATA" --out "$OUT/$run" --stage12 "$OUT/main/stage12.pt" $extra --batch 24 \
        --time-caps 0,0,80,90 --no-export --old-onnx none > "$OUT/$run/train.log" 2>&1 &
    done
    wait
    for run in main unguided nopix olddata; do echo "## $run"; cat "$OUT/$run/table.md" 2>/dev/null; done > "$OUT/tables.md" ;;
  plot)
    /usr/bin/python3 models/plot_curves.py "${2:?OUT}/curves.json" --out "$2" ;;
  *) sed -n 2,11p "$0"; exit 2 ;;
esac
