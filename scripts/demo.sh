#!/usr/bin/env bash
# Makes a few sample submissions in ./demo and checks them with the built-in rules,
# so a newcomer sees a report at once.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/reelcheck
mkdir -p demo/entries
# Each film has pictures of its own (a lavfi source): films made from one pattern would be
# reported, rightly, as the same film entered more than once.
make_film() { # name seconds source [extra ffmpeg args...]
  local name=$1 secs=$2 source=$3; shift 3
  [ -s "demo/entries/$name" ] && return 0
  echo "demo: making $name" >&2
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "$source" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t "$secs" -ac 2 -c:v libx264 -preset superfast -profile:v high -pix_fmt yuv420p \
    -c:a aac -b:a 96k -movflags +faststart "$@" "demo/entries/.tmp-$name"
  mv "demo/entries/.tmp-$name" "demo/entries/$name"
}
# A good film: 70 s of picture, then 15 s of white credits scrolling on black.
[ -s demo/entries/good-film.mp4 ] || {
  echo "demo: making good-film.mp4" >&2
  printf 'Directed by\nAnna Lumiere\n\nWritten by\nLouis Lumiere\n\nCamera\nAuguste Lumiere\n\nSound\nJean Vigo\n\nThanks to\nLa Ciotat\n' > demo/credits.txt
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=1280x720:rate=25:duration=70" \
    -f lavfi -i "color=c=black:size=1280x720:rate=25:duration=15" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=85" \
    -filter_complex "[1:v]drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile=demo/credits.txt:fontsize=40:fontcolor=white:line_spacing=12:x=(w-text_w)/2:y=h-t*70[c];[0:v][c]concat=n=2:v=1[v]" \
    -map "[v]" -map 2:a -ac 2 -c:v libx264 -preset superfast -profile:v high -pix_fmt yuv420p \
    -c:a aac -b:a 96k -movflags +faststart demo/entries/.tmp-good-film.mp4
  mv demo/entries/.tmp-good-film.mp4 demo/entries/good-film.mp4
}
make_film too-short.mp4 45 "life=size=1280x720:rate=25:ratio=0.2:mold=10:life_color=#ffd060:death_color=#303080"
make_film no-audio.mp4 70 "cellauto=size=1280x720:rate=25:rule=110" -an
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
"$BIN" check demo/entries --track human -o demo/report.html > /dev/null 2>&1 || true
echo
echo "The same report as a page to open or email: demo/report.html"
echo "Exit code $status (0: all passed, 1: some entry failed or is unreadable, 2: usage error, 3: the report could not be written, 4: some entry could not be checked for a reason not its own)."
echo "Try: $BIN check demo/entries --format json | less   or   $BIN probe demo/entries/good-film.mp4"
