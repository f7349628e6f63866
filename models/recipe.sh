#!/usr/bin/env bash
# The whole fastvsr-tiny recipe. Data preparation needs apt-get and ffmpeg (the CPU machine, ~1.5 min on 2 cores);
# training + evaluation + export + speed need one GPU (one H100: ~5.3 min, see results/train_h100/train.log).
#
#   models/recipe.sh data            # here: download the two Debian packages, build models/.data (<= 60 MiB)
#   models/recipe.sh train OUT       # on the H100 (models/.data carried along): everything else, into OUT
#   models/recipe.sh variants OUT    # on the H100: issue 5's wider-latent presets, both at once (~7 min), into OUT
#   models/recipe.sh plot OUT        # curves -> OUT/losses.png, OUT/ablation.png
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
case "${1:-}" in
  data)
    DL=${DL:-/tmp/fastvsr-dl}
    mkdir -p "$DL/x" && (cd "$DL" && apt-get download plasma-workspace-wallpapers gnome-backgrounds)
    for f in "$DL"/*.deb; do dpkg -x "$f" "$DL/x"; done
    (cd "$DL" && npm pack @upscalerjs/esrgan-slim @upscalerjs/esrgan-medium)
    for v in slim medium; do
      mkdir -p "$DL/$v" models/.data/esrgan/$v && tar xzf "$DL"/upscalerjs-esrgan-$v-*.tgz -C "$DL/$v"
      cp -r "$DL/$v/package/models" "$DL/$v/package/assets" models/.data/esrgan/$v/ && echo rdn > models/.data/esrgan/$v/ARCH
      rm -rf models/.data/esrgan/$v/models/x2 models/.data/esrgan/$v/models/x3 models/.data/esrgan/$v/models/x8
    done
    /usr/bin/python3 models/prepare_data.py --root "$DL/x" --out models/.data ;;
  train)
    OUT=${2:?OUT}; mkdir -p "$OUT"
    PYTHONUNBUFFERED=1 $PY models/train.py --data models/.data --out "$OUT" 2>&1 | tee "$OUT/train.log" ;;
  variants)
    # tiny-l64 and tiny-w64 (fastvsr/presets.py), guided only, in two processes sharing the GPU (each is launch-bound);
    # the time caps bound every stage and the cosine schedule follows them (train.py, Stage), then ORT CPU timing.
    OUT=${2:?OUT}; mkdir -p "$OUT"
    for v in tiny-l64 tiny-w64; do
      PYTHONUNBUFFERED=1 $PY models/train.py --data models/.data --out "$OUT/$v" --preset $v --runs guided \
        --steps1 6000 --steps2 4000 --steps3 3000 --steps4 4000 --time-caps 65,95,55,120 --esrgan /nonexistent \
        > "$OUT/$v.log" 2>&1 &
    done
    wait
    $PY - "$OUT" <<'PY'
import json, sys, time, numpy as np, onnxruntime as ort
res = {}
for tag, p in (("tiny (shipped)", "models/fastvsr-tiny/model.onnx"), ("tiny-l64", sys.argv[1] + "/tiny-l64/fastvsr-tiny/model.onnx"),
               ("tiny-w64", sys.argv[1] + "/tiny-w64/fastvsr-tiny/model.onnx")):
    try:
        so = ort.SessionOptions(); so.intra_op_num_threads = 2; so.inter_op_num_threads = 1
        s = ort.InferenceSession(p, so, providers=["CPUExecutionProvider"])
        x = np.random.rand(1, 3, 4, 184, 320).astype(np.float32)
        s.run(["hr"], {"lr": x}); ts = []
        for _ in range(2):
            t0 = time.perf_counter(); s.run(["hr"], {"lr": x}); ts.append((time.perf_counter() - t0) / 4)
        res[tag] = min(ts)
    except Exception as e:
        res[tag] = repr(e)
print("ORT CPU 2 threads, s/frame at LR 184x320:", res)
json.dump(res, open(sys.argv[1] + "/ort_cpu.json", "w"))
PY
    ;;
  plot)
    /usr/bin/python3 models/plot_curves.py "${2:?OUT}/curves.json" --out "$2" ;;
  *) sed -n 2,8p "$0"; exit 2 ;;
esac
