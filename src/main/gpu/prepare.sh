#!/usr/bin/env bash
# Stages the GPU worker for a bare Linux GPU host (no Java, no network): builds the -Pgpu jar, jlinks a JRE from
# this machine's JDK 17, gathers ONNX Runtime's natives, adds a real-content test clip, and packs it all into one
# tar.zst split into parts small enough for the device tool (each call carries one part plus the repository,
# 64 MiB in all). Then it prints the exact sequence of device calls that runs src/main/gpu/run-on-gpu.sh there.
#
#   bash src/main/gpu/prepare.sh [--no-build]
#
# Runs on the build machine (JDK 17, Maven, xz, zip, ffmpeg). Output: .gpu-stage/ (git-ignored): part-00 ...,
# MANIFEST (sha256 of each part), tools/ (the zstd that unpacks them there). Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
STAGE_OUT=$ROOT/.gpu-stage
WORK=$ROOT/target/gpu/stage
t0=$(date +%s)
say() { printf '[prepare %3ds] %s\n' $(( $(date +%s) - t0 )) "$*"; }

if [[ "${1:-}" != "--no-build" ]]; then
  say "building the GPU jar: mvn -Pgpu package -DskipTests"
  OPT_OUT_TRACKING=true mvn -B -q -Pgpu package -DskipTests
fi
JAR=$ROOT/target/gpu/fastvsr-worker.jar
NATIVES=$ROOT/target/gpu/natives
[[ -f $JAR && -d $NATIVES ]] || { echo "no $JAR or $NATIVES: build with mvn -Pgpu package" >&2; exit 1; }

# only the worker bundle's own files: TensorRT's trt-NN parts (prepare-tensorrt.sh) live beside them
rm -rf "$WORK"
rm -f "$STAGE_OUT"/part-* "$STAGE_OUT/MANIFEST" "$STAGE_OUT/fastvsr-gpu.tar.zst"
mkdir -p "$WORK/fastvsr/app" "$WORK/fastvsr/clips" "$STAGE_OUT"

# The jar, stored instead of deflated: zstd with a long window over the whole bundle then compresses classes and
# FFmpeg's libraries better than the jar's per-entry deflate, and the GPU host runs it as it is.
say "repacking the jar uncompressed"
EXPLODED=$WORK/exploded
mkdir -p "$EXPLODED"
unzip -q "$JAR" -d "$EXPLODED"
(cd "$EXPLODED" && zip -q -0 -X -r "$WORK/fastvsr/app/fastvsr-worker.jar" META-INF/MANIFEST.MF . )
cp -a "$NATIVES" "$WORK/fastvsr/app/natives"

# The JRE: the modules jdeps finds in the jar's classes, plus those only reached by reflection or service loading
# (JNDI for Kafka's SASL, the EC provider for TLS, java.net.http and jdk.httpserver for health and clients).
say "jdeps over the jar's classes (module list for jlink)"
FOUND=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$EXPLODED" 2>/dev/null | tail -1)
MODULES=$(printf '%s\n' "${FOUND//,/$'\n'}" java.base java.logging java.management java.naming java.net.http \
  java.xml java.sql jdk.unsupported jdk.crypto.ec jdk.httpserver java.security.jgss java.security.sasl \
  jdk.management jdk.zipfs | grep -E '^[a-z]' | sort -u | paste -sd, -)
say "jlink: $MODULES"
jlink --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=0 \
  --output "$WORK/fastvsr/jre"
rm -rf "$EXPLODED"

# A clip with real content for upscale (GPU vs CPU output): a slow pan over a held-out photo of the training set
# (models/DATA.md) when this checkout has it, else FFmpeg's test pattern.
CLIP=$WORK/fastvsr/clips/pan-480x270.mp4
PHOTO=$(ls "$ROOT"/models/.data/photos/EveningGlow*.jpg "$ROOT"/models/.data-more/photos/EveningGlow*.jpg 2>/dev/null | head -1 || true)
if [[ -n "$PHOTO" ]]; then
  say "test clip: 48 frames 480x270 panning over $(basename "$PHOTO")"
  ffmpeg -v error -y -loop 1 -i "$PHOTO" -vf "scale=1920:-2,crop=1440:810:'min(iw-1440,t*160)':'min(ih-810,t*40)',scale=480:270:flags=area,format=yuv420p" \
    -r 30 -frames:v 48 -c:v libx264 -crf 12 -preset slow "$CLIP"
else
  say "test clip: 48 frames 480x270 of FFmpeg's testsrc2 (no held-out photo in this checkout)"
  ffmpeg -v error -y -f lavfi -i testsrc2=size=480x270:rate=30 -frames:v 48 -c:v libx264 -crf 12 -pix_fmt yuv420p "$CLIP"
fi
git -C "$ROOT" log -1 --format='%H %cd' > "$WORK/fastvsr/VERSION"
echo "$MODULES" > "$WORK/fastvsr/jre-modules"

say "sizes: jar $(du -sh "$WORK/fastvsr/app/fastvsr-worker.jar" | cut -f1) (stored), natives $(du -sh "$WORK/fastvsr/app/natives" | cut -f1), JRE $(du -sh "$WORK/fastvsr/jre" | cut -f1)"
say "zstd of the bundle"
tar -C "$WORK" -cf - fastvsr | bash "$ROOT/src/main/gpu/pack-tools.sh" compress > "$STAGE_OUT/fastvsr-gpu.tar.zst"
bash "$ROOT/src/main/gpu/pack-tools.sh" tools "$STAGE_OUT/tools"
say "bundle: $(bash "$ROOT/src/main/gpu/pack-tools.sh" parts "$STAGE_OUT/fastvsr-gpu.tar.zst" part MANIFEST)"
PARTS=$(cd "$STAGE_OUT" && ls part-* | wc -l)
rm -rf "$WORK"

echo
echo "Device calls, one after another (each within 30 s of the last, while the machine stays warm):"
for ((i = 0; i < PARTS; i++)); do
  part=$(printf 'part-%02d' "$i")
  if (( i < PARTS - 1 )); then
    echo "  $((i + 1)). run  carry=[\".gpu-stage/$part\", \".gpu-stage/MANIFEST\", \".gpu-stage/tools\"]  timeout_s=300"
    echo "       command: bash src/main/gpu/run-on-gpu.sh stage"
  else
    echo "  $((i + 1)). run  carry=[\".gpu-stage/$part\", \".gpu-stage/MANIFEST\"]  timeout_s=600"
    echo "       command: bash src/main/gpu/run-on-gpu.sh run"
  fi
done
echo "Files come back under \$OUT (run.log first). Compare the two upscales here:"
echo "  ffmpeg -i out-cuda.mp4 -i out-cpu.mp4 -lavfi psnr -f null -"
