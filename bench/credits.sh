#!/usr/bin/env bash
# Credits analysis against a full decode (`ffmpeg -i FILE -f null -`) of 2-, 5- and 15-minute
# 1080p H.264 films, medians of repeated runs measured together. The targets: the
# 2-minute film within 1.5 s, the 15-minute film at least 50x faster than the full decode,
# and a cost that stays flat with length.
#
# Films are built cheaply: one minute of picture and one minute of credits are encoded once
# (x264 ultrafast, default GOP), then joined by stream copy into each length.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/credits
RUNS=${RUNS:-3}
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
mkdir -p "$WORK"
[ -f "$FONT" ] || { echo "needs $FONT (apt-get install fonts-dejavu-core)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine" >&2; exit 2; }
[ -x "$BIN" ] || cargo build --release --quiet

enc=(-c:v libx264 -preset ultrafast -pix_fmt yuv420p -an)
if [ ! -f "$WORK/picture.mp4" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi \
    -i "mandelbrot=s=320x180:r=24:maxiter=300:end_scale=0.05,scale=1920:1080:flags=bicubic,setsar=1" \
    -t 60 "${enc[@]}" "$WORK/picture.mp4"
fi
if [ ! -f "$WORK/credits.mp4" ]; then
  python3 - "$WORK/credits.txt" <<'PY'
import sys
roles = ["Directed by", "Written by", "Produced by", "Director of Photography", "Editor",
         "Original Music", "Sound Design", "Casting", "Colorist", "Visual Effects"]
names = ["Jane Doe", "Alex Moreno", "Priya Natarajan", "Tomasz Kowalski", "Mei Lin Chen",
         "Sofia Rossi", "Lars Eriksson", "Camille Dubois", "Diego Herrera", "Hana Suzuki"]
with open(sys.argv[1], "w") as f:
    for i in range(40):
        f.write(f"{roles[i % 10]}\n{names[(i * 3) % 10]}\n\n")
PY
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=black:s=1920x1080:r=24" -vf \
    "drawtext=fontfile=$FONT:textfile=$WORK/credits.txt:fontsize=44:fontcolor=white:line_spacing=22:x=(w-text_w)/2:y=h*0.72-(t/60)*(text_h+h*0.72)" \
    -t 60 "${enc[@]}" "$WORK/credits.mp4"
fi
for minutes in 2 5 15; do
  film="$WORK/film-${minutes}min.mp4"
  [ -f "$film" ] && continue
  list="$WORK/list-$minutes.txt"
  : >"$list"
  for _ in $(seq 1 $((minutes - 1))); do echo "file 'picture.mp4'" >>"$list"; done
  echo "file 'credits.mp4'" >>"$list"
  ffmpeg -hide_banner -loglevel error -y -f concat -safe 0 -i "$list" -c copy -movflags +faststart "$film"
done

echo "== credits analysis vs full decode (1080p H.264, 24 fps; credits are the last minute) =="
for minutes in 2 5 15; do
  film="$WORK/film-${minutes}min.mp4"
  echo "-- ${minutes}-minute film: $("$BIN" credits "$film" | sed -n 2p | sed 's/^ *//')"
  hyperfine --style none --runs "$RUNS" --export-json "$WORK/result-$minutes.json" \
    "$BIN credits $film" "ffmpeg -hide_banner -loglevel error -i $film -f null -" >/dev/null
  target=""
  [ "$minutes" = 2 ] && target="--within 1.5"
  [ "$minutes" = 15 ] && target="--faster 50"
  # shellcheck disable=SC2086
  python3 bench/median.py "$WORK/result-$minutes.json" 0 $target
done
