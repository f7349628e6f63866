#!/usr/bin/env bash
# The whole fastvsr-tiny recipe. Data preparation needs apt-get and ffmpeg (the CPU machine, ~1.5 min on 2 cores);
# training + evaluation + export + speed need one GPU (one H100: ~5.3 min, see results/train_h100/train.log).
#
#   models/recipe.sh data            # here: download the two Debian packages, build models/.data (<= 60 MiB)
#   models/recipe.sh train OUT       # on the H100 (models/.data carried along): everything else, into OUT
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
  plot)
    /usr/bin/python3 models/plot_curves.py "${2:?OUT}/curves.json" --out "$2" ;;
  *) sed -n 2,8p "$0"; exit 2 ;;
esac
