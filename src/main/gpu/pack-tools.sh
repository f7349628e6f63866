#!/usr/bin/env bash
# How the GPU bundles are packed, in one place for prepare.sh and prepare-tensorrt.sh:
#
#   pack-tools.sh compress        stdin -> stdout, zstd -9 with a 128 MiB window on 2 threads
#   pack-tools.sh tools DIR       copies this machine's zstd (and the three libraries it links) into DIR, carried with
#                                 the first staging call, so run-on-gpu.sh can unpack on a host that has no zstd
#   pack-tools.sh parts FILE PREFIX MANIFEST
#                                 splits FILE (then removes it) into PREFIX-00, PREFIX-01 ... of PART_BYTES in its
#                                 folder, writes MANIFEST there (part count, total bytes, sha256 of each part), and
#                                 warns when a part, the repository and tools/ together pass what one call carries
#
# 46 MB parts (PART_BYTES): a part + the repository (~16 MB) + tools/ (~1.7 MB) stay under the device tool's 64 MiB.
# With 50 MB parts that sum was 64.3 MiB and the call was refused (2026-11-30).
#
# Why zstd and not xz: on these 2 shared cores xz -6 needed over 30 minutes for TensorRT's 1.3 GB; zstd -9 --long
# needs about a minute and its output is ~10 % larger (one more part of 57 MB, about 25 s of device time).
set -euo pipefail
case "${1:-}" in
  compress) exec zstd -9 --long=27 -T2 -q -c ;;
  tools)
    dir=${2:?usage: pack-tools.sh tools DIR}
    mkdir -p "$dir"
    cp "$(command -v zstd)" "$dir/zstd"
    for lib in $(ldd "$(command -v zstd)" | awk '$3 ~ /^\// && $1 !~ /^lib(c|m|pthread|dl)\.so/ { print $3 }'); do
      cp -L "$lib" "$dir/"
    done
    ;;
  parts)
    file=${2:?usage: pack-tools.sh parts FILE PREFIX MANIFEST} prefix=${3:?} manifest=${4:?}
    part_bytes=${PART_BYTES:-46000000}
    dir=$(dirname "$file")
    total=$(stat -c %s "$file")
    rm -f "$dir/$prefix"-* "$dir/$manifest"
    (cd "$dir" && split -b "$part_bytes" -d -a 2 "$(basename "$file")" "$prefix-" && rm "$(basename "$file")")
    count=$(cd "$dir" && ls "$prefix"-* | wc -l)
    (cd "$dir" && { echo "parts $count"; echo "bytes $total"; sha256sum "$prefix"-*; } > "$manifest")
    # what travels with every call besides the part: tracked files and untracked ones git does not ignore
    root=$(cd "$(dirname "$0")/../../.." && pwd)
    tree=$(cd "$root" && { git ls-files -z; git ls-files -z --others --exclude-standard; } \
      | xargs -0 -r stat -c %s -- 2>/dev/null | awk '{s+=$1} END {print s+0}')
    tools=$(du -sb "$dir/tools" 2>/dev/null | cut -f1)
    if (( tree + part_bytes + ${tools:-0} + 4096 > 64 * 1024 * 1024 )); then
      echo "WARNING: the repository ($tree bytes) plus a part ($part_bytes) and tools/ (${tools:-0}) pass the device" \
        "tool's 64 MiB: set PART_BYTES lower" >&2
    fi
    echo "$total bytes in $count part(s) of at most $part_bytes bytes: $dir/$prefix-NN, $manifest"
    ;;
  *) echo "usage: $0 compress | tools DIR | parts FILE PREFIX MANIFEST" >&2; exit 2 ;;
esac
