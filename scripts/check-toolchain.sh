#!/usr/bin/env bash
# Stops with one line saying what is missing and how to get it, before cargo would fail with
# pages of compiler or bindgen errors: a Rust older than Cargo.toml's rust-version, or (unless
# --no-ffmpeg) FFmpeg's development libraries missing or older than 5.1.
#
#   scripts/check-toolchain.sh              # Rust and the system's FFmpeg (make build/test/demo)
#   scripts/check-toolchain.sh --no-ffmpeg  # Rust only (make dist builds its own FFmpeg)
set -euo pipefail
cd "$(dirname "$0")/.."

# "1.88" -> 1088; "1.88.0" -> 1088
rust_number() { awk -F. '{ printf "%d", $1 * 1000 + $2 }' <<<"$1"; }

need_rust=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
if ! command -v cargo >/dev/null 2>&1 || ! command -v rustc >/dev/null 2>&1; then
  echo "reelcheck needs Rust $need_rust or newer, and there is no cargo here: install it with rustup (https://rustup.rs): curl --proto '=https' -sSf https://sh.rustup.rs | sh" >&2
  exit 1
fi
have_rust=$(rustc --version | awk '{ print $2 }')
if [ "$(rust_number "$have_rust")" -lt "$(rust_number "$need_rust")" ]; then
  if command -v rustup >/dev/null 2>&1; then how="rustup update stable"; else
    how="install rustup (https://rustup.rs): curl --proto '=https' -sSf https://sh.rustup.rs | sh"; fi
  echo "reelcheck needs Rust $need_rust or newer; this is rustc $have_rust ($(command -v rustc)): $how" >&2
  exit 1
fi

[ "${1:-}" = --no-ffmpeg ] && exit 0

# FFmpeg 5.1 is libavcodec 59.37.
if command -v brew >/dev/null 2>&1; then how="brew install ffmpeg pkg-config"
elif command -v apt-get >/dev/null 2>&1; then how="apt-get install libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev pkg-config"
elif command -v dnf >/dev/null 2>&1; then how="dnf install ffmpeg-free-devel pkgconf-pkg-config"
else how="install FFmpeg 5.1 or newer with its development files and pkg-config"; fi
if ! command -v pkg-config >/dev/null 2>&1; then
  echo "reelcheck needs pkg-config to find FFmpeg, and it is missing: $how" >&2
  exit 1
fi
for lib in libavformat libavcodec libavutil libswscale libswresample; do
  if ! pkg-config --exists "$lib"; then
    echo "reelcheck needs FFmpeg 5.1 or newer with its development files, and $lib is missing: $how" >&2
    exit 1
  fi
done
if ! pkg-config --atleast-version=59.37 libavcodec; then
  echo "reelcheck needs FFmpeg 5.1 or newer (libavcodec 59.37); this one's libavcodec is $(pkg-config --modversion libavcodec): upgrade it ($how; Debian 12 and Ubuntu 23.04 on ship 5.1 or newer) or use the release binary, which has its own" >&2
  exit 1
fi
