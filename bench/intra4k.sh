#!/usr/bin/env bash
# One second of 4K JPEG 2000 in MXF (an intra-coded master, as festivals receive for DCPs):
# every analyzer (`probe --with all`) against FFmpeg decoding the whole file once. The analyzers
# decode at reduced resolution where the codec allows it, so they cost less than that decode.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/intra4k
RUNS=${RUNS:-3}
mkdir -p "$WORK"
FILM="$WORK/j2k-4k-1s.mxf"
if [ ! -s "$FILM" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=4096x2160:rate=24 \
    -f lavfi -i sine=sample_rate=48000 -t 1 -c:v libopenjpeg -pix_fmt yuv422p10le \
    -c:a pcm_s24le "$FILM"
fi

echo "== 1 s of 4K JPEG 2000 (MXF): reelcheck probe --with all vs ffmpeg decoding it =="
hyperfine --style none --runs "$RUNS" -i --export-json "$WORK/results.json" \
  -n "reelcheck probe --with all --format json (every analyzer)" \
  "$BIN probe --with all --format json $FILM > /dev/null" \
  -n "ffmpeg -i FILM -f null - (one full decode)" \
  "ffmpeg -hide_banner -loglevel error -i $FILM -f null -" > /dev/null
python3 bench/median.py "$WORK/results.json" 0
