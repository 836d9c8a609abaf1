#!/usr/bin/env bash
# Installs what building and testing reelcheck needs, if it is missing:
# FFmpeg's development libraries, clang (for bindgen), pkg-config, the ffmpeg CLI (tests and
# the demo make their media with it) and strace (a test counts how often a probe opens the
# film). Extra Debian packages can be named as arguments (the benchmark adds hyperfine and
# mediainfo).
set -euo pipefail

LIBS="libavformat libavcodec libavutil libswscale libswresample libavfilter libavdevice"
DEB_PACKAGES="libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev libavdevice-dev clang pkg-config ffmpeg strace chromium fonts-dejavu-core fonts-droid-fallback"

missing=()
for lib in $LIBS; do
  pkg-config --exists "$lib" 2>/dev/null || { missing+=("$lib"); }
done
for tool in clang pkg-config ffmpeg ffprobe strace chromium "$@"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done

# The test films' credits are drawn with DejaVu Sans.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=("fonts-dejavu-core")
# ...and the Chinese ones with Droid Sans Fallback.
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || missing+=("fonts-droid-fallback")

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: missing: ${missing[*]}" >&2

if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "install-deps: run as root: apt-get install -y $DEB_PACKAGES $*" >&2; exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $DEB_PACKAGES "$@" >/dev/null
  exit 0
fi

echo "install-deps: no apt-get here. Install the same things with your package manager:" >&2
if command -v dnf >/dev/null 2>&1; then
  echo "  sudo dnf install -y ffmpeg-free-devel ffmpeg-free clang pkgconf-pkg-config $*" >&2
elif command -v brew >/dev/null 2>&1; then
  echo "  brew install ffmpeg pkg-config llvm $*" >&2
else
  echo "  FFmpeg 5.1+ development libraries ($LIBS), clang, pkg-config and the ffmpeg CLI" >&2
fi
exit 1
