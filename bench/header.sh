#!/usr/bin/env bash
# Header-only check of 200 short submissions: reelcheck (rules included) against a shell loop
# of ffprobe and against mediainfo over the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/header
RUNS=${RUNS:-7}
mkdir -p "$WORK/entries"

# Ten distinct films, each copied 20 times: 200 submissions with realistic variety.
variants=(
  "mp4|-c:v libx264 -preset ultrafast -c:a aac -movflags +faststart"
  "mov|-c:v libx264 -preset ultrafast -c:a aac"
  "mkv|-c:v libx264 -preset ultrafast -c:a libopus"
  "mp4|-c:v libx265 -preset ultrafast -x265-params log-level=error -c:a aac"
  "webm|-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -c:a libopus"
  "mov|-c:v prores_ks -profile:v 0 -c:a pcm_s16le"
  "mp4|-c:v libx264 -preset ultrafast -c:a aac -ac 1"
  "mp4|-c:v libx264 -preset ultrafast -an"
  "mkv|-c:v libx264 -preset ultrafast -c:a aac -ac 6"
  "mp4|-c:v mpeg4 -c:a aac"
)
if [ "$(find "$WORK/entries" -type f | wc -l)" -ne 200 ]; then
  rm -rf "$WORK/entries" && mkdir -p "$WORK/entries" "$WORK/src"
  i=0
  for v in "${variants[@]}"; do
    ext=${v%%|*}; args=${v#*|}
    src="$WORK/src/v$i.$ext"
    # shellcheck disable=SC2086
    ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=640x360:rate=25 \
      -f lavfi -i sine=sample_rate=48000 -t 10 $args "$src"
    for n in $(seq 1 20); do cp "$src" "$WORK/entries/entry-$(printf %02d $i)-$(printf %02d "$n").$ext"; done
    i=$((i + 1))
  done
fi

FLOOR=${FLOOR:-target/release/examples/floor_header}
JOBS=$(nproc)
echo "== header facts of 200 submissions: reelcheck check vs ffprobe loop vs mediainfo =="
echo "   floor: FFmpeg opening each file and reading its stream info, nothing else, $JOBS threads"
echo "   second floor: the same, then the packets from the picture's last index entry to the end:"
echo "   the least a check reads to measure how long a film plays instead of trusting its header"
QUICK=""
"$BIN" check --help | grep -q -- '--quick' && QUICK="--quick"
hyperfine --style none --warmup 1 --runs "$RUNS" -i --export-json "$WORK/results.json" \
  -n "reelcheck check $QUICK --no-cache --format json (200 files, rules included)" \
  "$BIN check $QUICK --no-cache --format json $WORK/entries > /dev/null" \
  -n "ffprobe -show_format -show_streams -of json, shell loop" \
  "for f in $WORK/entries/*; do ffprobe -v error -show_format -show_streams -of json \"\$f\"; done > /dev/null" \
  -n "mediainfo --Output=JSON over the files" \
  "mediainfo --Output=JSON $WORK/entries/* > /dev/null" \
  -n "floor: open + stream info only ($JOBS threads)" \
  "$FLOOR --jobs $JOBS $WORK/entries > /dev/null" \
  -n "floor: open + stream info + the last packets ($JOBS threads)" \
  "$FLOOR --jobs $JOBS --to-end $WORK/entries > /dev/null" > /dev/null
python3 bench/median.py "$WORK/results.json" 0 --floor 3 --target 1.2 --floor 4
