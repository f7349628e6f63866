#!/usr/bin/env bash
# How the GPU bundles are packed, in one place for prepare.sh and prepare-tensorrt.sh:
#
#   pack-tools.sh compress        stdin -> stdout, zstd -9 with a 128 MiB window on 2 threads
#   pack-tools.sh tools DIR       copies this machine's zstd (and the three libraries it links) into DIR, carried with
#                                 the first staging call, so run-on-gpu.sh can unpack on a host that has no zstd
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
  *) echo "usage: $0 compress | tools DIR" >&2; exit 2 ;;
esac
