#!/usr/bin/env bash
# Bounded cost: every analyzer (`probe --with all`) on each file of the real-media set
# (fixtures/real; with ALL=1 also the credits clips under it) and on three heavier films made
# here (4K HEVC 10-bit, 4K JPEG 2000 in MXF, 1080p60 H.264 in FLV), against FFmpeg decoding the
# same file once (`ffmpeg -i FILE -f null -`, every stream, its default threads). Both run on
# the same cores (all of them: reelcheck gives a film checked alone every core, as FFmpeg
# does). Prints each file's ratio of wall time and of CPU time (user + system, children
# included), medians of RUNS runs taken in turn, and the worst. Target: no file above 1.0.
#
#   RUNS=5 bench/decode-ratio.sh                 # every file of fixtures/real
#   ALL=1 bench/decode-ratio.sh                  # and the credits clips
#   bench/decode-ratio.sh fixtures/real/sample.flv ...   # these files only
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/decode-ratio
RUNS=${RUNS:-3}
mkdir -p "$WORK"
HEVC="$WORK/hevc-4k-10bit-3s.mp4"
J2K="$WORK/j2k-4k-1s.mxf"
FLV="$WORK/flv-1080p60-10s.flv"
if [ ! -s "$HEVC" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=3840x2160:rate=30 \
    -f lavfi -i sine=sample_rate=48000 -t 3 -c:v libx265 -preset ultrafast \
    -x265-params log-level=error -pix_fmt yuv420p10le -tag:v hvc1 -c:a aac "$HEVC"
fi
if [ ! -s "$J2K" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=4096x2160:rate=24 \
    -f lavfi -i sine=sample_rate=48000 -t 1 -c:v libopenjpeg -pix_fmt yuv422p10le \
    -c:a pcm_s24le "$J2K"
fi
if [ ! -s "$FLV" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=60 \
    -f lavfi -i sine=sample_rate=44100 -t 10 -c:v libx264 -preset veryfast -crf 23 \
    -pix_fmt yuv420p -c:a aac "$FLV"
fi

if [ $# -gt 0 ]; then
  FILES=("$@")
else
  mapfile -t FILES < <(find fixtures/real -maxdepth "$([ "${ALL:-0}" = 1 ] && echo 2 || echo 1)" -type f \
    ! -name '*.md' ! -name '*.json' ! -name '*.rs' ! -name '*.toml' ! -path '*/LICENSES/*' | sort)
  FILES+=("$HEVC" "$J2K" "$FLV")
fi

echo "== probe --with all against one full decode (ffmpeg -i FILE -f null -), medians of $RUNS =="
python3 - "$BIN" "$RUNS" "${FILES[@]}" <<'PY'
import os, statistics, subprocess, sys, time

binary, runs, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def timed(cmd):
    """Wall and CPU seconds (user + system of the process and its children) of one run."""
    start = time.perf_counter()
    with subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as p:
        _, _, usage = os.wait4(p.pid, 0)
        p.returncode = 0
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime

rows = []
print(f"  {'file':58} {'probe':>8} {'ffmpeg':>8} {'wall':>6} {'cpu':>6}")
for f in files:
    ours = [binary, "probe", "--with", "all", "--format", "json", f]
    theirs = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", f, "-f", "null", "-"]
    a, b = [], []
    for _ in range(runs):
        # In turn, so both see the same load on a shared machine.
        a.append(timed(ours))
        b.append(timed(theirs))
    wall = [statistics.median(x[0] for x in r) for r in (a, b)]
    cpu = [statistics.median(x[1] for x in r) for r in (a, b)]
    rw, rc = wall[0] / max(wall[1], 1e-9), cpu[0] / max(cpu[1], 1e-9)
    rows.append((f, rw, rc))
    name = f if len(f) <= 58 else "…" + f[-57:]
    print(f"  {name:58} {wall[0]*1000:6.0f}ms {wall[1]*1000:6.0f}ms {rw:5.2f}x {rc:5.2f}x", flush=True)
worst_wall = max(rows, key=lambda r: r[1])
worst_cpu = max(rows, key=lambda r: r[2])
print(f"  worst wall-time ratio: {worst_wall[1]:.2f}x ({worst_wall[0]})  (target <= 1.0: "
      f"{'met' if worst_wall[1] <= 1.0 else 'NOT met'})")
print(f"  worst CPU-time ratio:  {worst_cpu[2]:.2f}x ({worst_cpu[0]})  (target <= 1.0: "
      f"{'met' if worst_cpu[2] <= 1.0 else 'NOT met'})")
PY
