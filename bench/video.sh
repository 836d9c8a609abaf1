#!/usr/bin/env bash
# The video analyzer decodes every frame once: `probe --with video` against FFmpeg decoding the
# same file once (`ffmpeg -i FILE -f null -`), on a 5-minute 1080p H.264 film and a 2-minute
# ProRes HQ film. Target: at most 1.3x FFmpeg's time.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/video
RUNS=${RUNS:-3}
mkdir -p "$WORK"
H264="$WORK/h264-1080p-5min.mp4"
PRORES="$WORK/prores-hq-1080p-2min.mov"
if [ ! -s "$H264" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=25 \
    -f lavfi -i sine=sample_rate=48000 -t 300 -c:v libx264 -preset veryfast -crf 23 \
    -pix_fmt yuv420p -c:a aac -movflags +faststart "$H264"
fi
if [ ! -s "$PRORES" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=25 \
    -f lavfi -i sine=sample_rate=48000 -t 120 -c:v prores_ks -profile:v 3 \
    -pix_fmt yuv422p10le -c:a pcm_s24le "$PRORES"
fi

for FILM in "$H264" "$PRORES"; do
  NAME=$(basename "$FILM")
  echo "== $NAME: reelcheck probe --with video vs ffmpeg decoding it once =="
  hyperfine --style none --runs "$RUNS" -i --export-json "$WORK/$NAME.json" \
    -n "reelcheck probe --with video --format json" \
    "$BIN probe --with video --format json $FILM > /dev/null" \
    -n "ffmpeg -i FILM -f null - (one full decode)" \
    "ffmpeg -hide_banner -loglevel error -i $FILM -f null -" > /dev/null
  python3 - "$WORK/$NAME.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
m = [statistics.median(x["times"]) for x in r]
for x, t in zip(r, m):
    print(f"  {t * 1000:10.1f} ms  median of {len(x['times'])}  {x['command']}")
cpu = [x["user"] + x["system"] for x in r]
print(f"  ratio: probe --with video takes {m[0] / m[1]:.2f}x the time of ffmpeg's decode (target <= 1.3x)")
print(f"  ratio: and {cpu[0] / cpu[1]:.2f}x its CPU time (user + system; steadier on a busy machine)")
PY
  echo
done
