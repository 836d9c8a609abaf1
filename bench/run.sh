#!/usr/bin/env bash
# make bench: every speed target, measured against its peers in the same run.
# Medians of repeated runs (hyperfine); machines are shared and noisy, so read ratios, not times.
set -euo pipefail
cd "$(dirname "$0")/.."
for part in bench/header.sh bench/full.sh bench/credits.sh bench/audio.sh bench/intra4k.sh bench/video.sh bench/decode-ratio.sh bench/similar.sh bench/cache.sh bench/cold.sh; do
  if [ -x "$part" ]; then
    "$part"
    echo
  fi
done
