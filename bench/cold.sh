#!/usr/bin/env bash
# Cold disk: the full default check (every analyzer the built-in rules use) of a 5-minute
# ProRes HQ 1080p master with 24-bit PCM sound interleaved (2.5 GB), with the page cache dropped
# before every run, against reading the whole file sequentially (cat), also from a cold cache:
# the floor, since the sound the audio pass reads is spread through the whole file. The same
# check with the file in the cache is shown beside. Dropping the cache needs root
# (`sync; echo 3 > /proc/sys/vm/drop_caches`); without it this part is skipped. On a virtual
# machine the host may still hold the file, so "cold" means cold for this system's cache.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/cold
RUNS=${RUNS:-3}
FILM="$WORK/master.mov"
DROP='sync; echo 3 > /proc/sys/vm/drop_caches'
mkdir -p "$WORK"

if ! { [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/drop_caches ]; }; then
  echo "== cold disk: skipped (dropping the page cache needs root) =="
  exit 0
fi

if [ ! -s "$FILM" ]; then
  # ProRes HQ encodes 1080p slowly: 10 s are encoded and repeated 30 times without re-encoding.
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=1920x1080:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t 10 -ac 2 -c:v prores_ks -profile:v 3 -c:a pcm_s24le "$WORK/segment.mov"
  ffmpeg -hide_banner -loglevel error -y -stream_loop 29 -i "$WORK/segment.mov" -map 0 -c copy \
    "$FILM.tmp.mov"
  mv "$FILM.tmp.mov" "$FILM"
  rm -f "$WORK/segment.mov"
fi

size=$(( $(stat -c %s "$FILM") / 1000000 ))
echo "== full default check of a 5-minute ProRes HQ 1080p master with PCM sound ($size MB), cold =="
echo "   page cache dropped before every run ($DROP), as root"
hyperfine --style none --runs "$RUNS" --prepare "$DROP" --export-json "$WORK/results.json" \
  -n "reelcheck check --no-cache --format json FILE (cold cache)" \
  "$BIN check --no-cache --format json $FILM > /dev/null" \
  -n "floor: cat FILE > /dev/null (cold cache, the whole file sequentially)" \
  "cat $FILM > /dev/null" \
  > /dev/null
python3 bench/median.py "$WORK/results.json" 0 --floor 1 --target 2
echo "   the same check with the file in the cache:"
hyperfine --style none --runs "$RUNS" --warmup 1 --export-json "$WORK/warm.json" \
  -n "reelcheck check --no-cache --format json FILE (warm cache)" \
  "$BIN check --no-cache --format json $FILM > /dev/null" \
  > /dev/null
python3 bench/median.py "$WORK/warm.json" 0
# What the cold cache costs the check: on a fast disk with a slow processor the ratio to cat
# says more about decoding than about reading; this says how much of the check waits on reading.
python3 - "$WORK/results.json" "$WORK/warm.json" <<'PY'
import json, statistics, sys
cold, warm = (statistics.median(json.load(open(p))["results"][0]["times"]) for p in sys.argv[1:])
print(f"  the cold cache adds {(cold - warm) * 1000:.0f} ms to the check ({cold / warm:.2f}x its warm time)")
PY
