#!/usr/bin/env bash
# Makes a few sample submissions in ./demo and checks them with the built-in rules,
# so a newcomer sees a report at once.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/reelcheck
mkdir -p demo/entries
make_film() { # name seconds [extra ffmpeg args...]
  local name=$1 secs=$2; shift 2
  [ -s "demo/entries/$name" ] && return 0
  echo "demo: making $name" >&2
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=1280x720:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t "$secs" -ac 2 -c:v libx264 -preset superfast -profile:v high -pix_fmt yuv420p \
    -c:a aac -b:a 96k -movflags +faststart "$@" "demo/entries/.tmp-$name"
  mv "demo/entries/.tmp-$name" "demo/entries/$name"
}
make_film good-film.mp4 75
make_film too-short.mp4 45
make_film no-audio.mp4 70 -an
# A long film costs little at a low frame rate and size.
[ -s demo/entries/too-long.mp4 ] || {
  echo "demo: making too-long.mp4" >&2
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=24" \
    -f lavfi -i "sine=frequency=220:sample_rate=48000" -t 960 -ac 2 \
    -c:v libx264 -preset superfast -profile:v high -pix_fmt yuv420p -g 240 -c:a aac -b:a 64k \
    -movflags +faststart demo/entries/.tmp-too-long.mp4
  mv demo/entries/.tmp-too-long.mp4 demo/entries/too-long.mp4
}
echo
echo "\$ reelcheck check demo/entries --track human"
echo
status=0
"$BIN" check demo/entries --track human || status=$?
echo
echo "Exit code $status (0: all passed, 1: some entry failed or could not be read, 2: usage error)."
echo "Try: $BIN check demo/entries --format json | less   or   $BIN probe demo/entries/good-film.mp4"
