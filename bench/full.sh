#!/usr/bin/env bash
# The full default check of the 200 submissions (every analyzer the built-in rules use:
# credits, black, audio, subtitles, provenance), uncached, against the same ffprobe loop: what an
# organizer's first run costs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/header
RUNS=${RUNS:-3}
FLOOR=${FLOOR:-target/release/examples/floor_decode}
JOBS=$(nproc)
[ -d "$WORK/entries" ] || bench/header.sh > /dev/null

echo "== full default check of 200 submissions (all analyzers, no cache) vs ffprobe loop =="
echo "   floor: FFmpeg decoding every picture of each film (deblocking skipped), $JOBS threads;"
echo "   seven of the ten kinds of film are one 10 s GOP: their last picture (black padding, the
   credits' end) needs every picture before it"
hyperfine --style none --runs "$RUNS" -i --export-json bench/work/full-results.json \
  -n "reelcheck check --no-cache --format json (200 files, all analyzers)" \
  "$BIN check --no-cache --format json $WORK/entries > /dev/null" \
  -n "ffprobe -show_format -show_streams -of json, shell loop" \
  "for f in $WORK/entries/*; do ffprobe -v error -show_format -show_streams -of json \"\$f\"; done > /dev/null" \
  -n "floor: every picture decoded, nothing else ($JOBS films at a time)" \
  "$FLOOR --jobs $JOBS $WORK/entries > /dev/null" > /dev/null
python3 bench/median.py bench/work/full-results.json 0 --faster 5 --bound 2
