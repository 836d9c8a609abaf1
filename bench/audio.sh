#!/usr/bin/env bash
# Audio analysis of a 10-minute stereo 48 kHz AAC film (with a picture track, as submissions
# have): reelcheck's whole audio pass (loudness, range, true peak, silence, clipping, channels)
# against FFmpeg measuring loudness and true peak alone, and against the floor: FFmpeg decoding
# the sound and doing nothing with it, in the same hyperfine run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/audio
RUNS=${RUNS:-7}
FILM="$WORK/film-10min.mp4"
mkdir -p "$WORK"

if [ ! -s "$FILM" ]; then
  # Pink noise under a slow level swing stands in for a mix; a tiny picture keeps the file
  # realistic (the audio pass must skip video packets) without making it slow to generate.
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=320x180:rate=25" \
    -f lavfi -i "anoisesrc=color=pink:sample_rate=48000:amplitude=0.2,volume='0.6+0.4*sin(2*PI*t/30)':eval=frame" \
    -t 600 -ac 2 -c:v libx264 -preset ultrafast -crf 35 -c:a aac -b:a 256k \
    -movflags +faststart "$FILM.tmp.mp4"
  mv "$FILM.tmp.mp4" "$FILM"
fi

echo "== audio analysis of a 10-minute stereo 48 kHz AAC film: reelcheck vs ffmpeg ebur128 =="
hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$WORK/results.json" \
  -n "reelcheck probe --with audio --format json" \
  "$BIN probe --with audio --format json $FILM > /dev/null" \
  -n "ffmpeg -i FILE -map 0:a:0 -af ebur128=peak=true -f null -" \
  "ffmpeg -hide_banner -nostats -loglevel error -i $FILM -map 0:a:0 -af ebur128=peak=true -f null -" \
  -n "floor: ffmpeg -i FILE -map 0:a:0 -f null - (decoding the sound, nothing else)" \
  "ffmpeg -hide_banner -nostats -loglevel error -i $FILM -map 0:a:0 -f null -" \
  > /dev/null
python3 bench/median.py "$WORK/results.json" 0 --floor 2 --target 1.2
