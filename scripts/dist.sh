#!/usr/bin/env bash
# Builds the self-contained Linux release: FFmpeg from Debian's source package, configured with
# only what reelcheck uses and built as static libraries, then reelcheck linked against them.
# Writes dist/reelcheck-VERSION-x86_64-linux-gnu.tar.gz (the binary, FFmpeg's LGPL text and
# reelcheck's licences) and its .sha256. The binary depends on nothing but glibc.
#
#   scripts/dist.sh                    # the release tarball
#   scripts/dist.sh --features X       # extra cargo features (the test build adds fault-injection)
#
# Everything it fetches or builds lives under target/dist; the system's FFmpeg is not used, so
# `make build`, `make test` and `make demo` are unaffected.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/debian-apt.sh
. scripts/debian-apt.sh

FFMPEG_RELEASE=trixie   # Debian 13: FFmpeg 7.1
ROOT="$PWD/target/dist"
PREFIX="$ROOT/ffmpeg"
CARGO=${CARGO:-cargo}
JOBS=${JOBS:-$(nproc)}

EXTRA_FEATURES=""
OUT_DIR="$PWD/dist"
while [ $# -gt 0 ]; do
  case $1 in
    --features) EXTRA_FEATURES=",$2"; shift 2 ;;
    --out) OUT_DIR=$2; shift 2 ;;
    *) echo "dist: unknown argument $1 (use --features LIST or --out DIR)" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" >/dev/null 2>&1 || { echo "dist: $1 is missing: apt-get install $2" >&2; exit 1; }; }
need apt-get apt
need tar tar
need xz xz-utils
need nasm nasm          # FFmpeg's SIMD decoders; without it decoding is several times slower
need make make
need cc gcc
need clang clang        # bindgen
[ -f /usr/lib/x86_64-linux-gnu/libz.a ] || { echo "dist: the static zlib is missing: apt-get install zlib1g-dev" >&2; exit 1; }

# 1. FFmpeg's source, from Debian's archive (signed Release file, hashes checked by apt).
fetch_source() {
  mkdir -p "$ROOT/src"
  debian_apt "$ROOT/apt" deb-src "$FFMPEG_RELEASE"
  (cd "$ROOT/src" && apt-get "${APT_OPTS[@]}" source --download-only ffmpeg)
  # The upstream tarball alone: Debian's patches are for its own packaging.
  local orig
  orig=$(ls "$ROOT"/src/ffmpeg_*.orig.tar.xz | head -1)
  rm -rf "$ROOT/ffmpeg-src" && mkdir -p "$ROOT/ffmpeg-src"
  tar -xJf "$orig" -C "$ROOT/ffmpeg-src" --strip-components=1
}

# 2. FFmpeg, static, with nothing reelcheck does not use. --disable-autodetect keeps every
# optional library out (X11, VA-API, lzma, iconv …) so the result needs only glibc; threads and
# zlib (PNG, zlib-compressed Matroska tracks) are named back in. Encoders: PNG and MJPEG only,
# for the report's thumbnails.
build_ffmpeg() {
  local build="$ROOT/ffmpeg-build"
  rm -rf "$build" "$PREFIX" && mkdir -p "$build"
  (cd "$build" && "$ROOT/ffmpeg-src/configure" --prefix="$PREFIX" \
    --disable-everything --disable-autodetect \
    --enable-demuxers --enable-decoders --enable-parsers --enable-bsfs \
    --enable-encoder=png,mjpeg --enable-protocol=file,pipe \
    --enable-swscale --enable-swresample \
    --disable-avdevice --disable-avfilter --disable-programs --disable-doc --disable-network \
    --enable-pthreads --enable-zlib \
    --enable-static --disable-shared --enable-pic >configure.log 2>&1 ||
    { tail -20 configure.log >&2; echo "dist: FFmpeg's configure failed (log: $build/configure.log)" >&2; exit 1; })
  make -C "$build" -j"$JOBS" >"$build/make.log" 2>&1 ||
    { tail -20 "$build/make.log" >&2; echo "dist: FFmpeg's build failed (log: $build/make.log)" >&2; exit 1; }
  make -C "$build" install >/dev/null
}

[ -f "$ROOT/ffmpeg-src/configure" ] || fetch_source
[ -f "$PREFIX/lib/libavutil.a" ] || build_ffmpeg
echo "dist: FFmpeg $(cat "$ROOT/ffmpeg-src/VERSION" 2>/dev/null || echo '?') in $PREFIX"

# 3. reelcheck, linked against those libraries. ffmpeg-sys-next's `static` feature links the
# FFmpeg archives from FFMPEG_DIR; what they need in turn (zlib, libm) is named for the final
# link only (`cargo rustc`, so the other crates' builds are shared with a plain build), zlib as
# Debian's static archive so the binary does not need libz.so.
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
export CARGO_TARGET_DIR="$ROOT/cargo"
FFMPEG_DIR="$PREFIX" PKG_CONFIG_LIBDIR="$PREFIX/lib/pkgconfig" \
  $CARGO rustc --release --locked --bin reelcheck --features "static-ffmpeg$EXTRA_FEATURES" \
  -- -C link-arg=-l:libz.a -C link-arg=-lm
BIN="$CARGO_TARGET_DIR/release/reelcheck"

# 4. Only glibc (and libgcc_s, which Rust's unwinder uses) may be needed at run time.
needed=$(readelf -d "$BIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "dist: readelf -d: NEEDED $(echo $needed)"
for lib in $needed; do
  case $lib in
    libc.so.6 | libm.so.6 | libgcc_s.so.1 | ld-linux-x86-64.so.2) ;;
    *) echo "dist: the binary needs $lib; only glibc, libm and libgcc_s are allowed" >&2; exit 1 ;;
  esac
done
glibc=$(objdump -T "$BIN" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)

# 5. The tarball: the stripped binary, FFmpeg's licence (LGPL 2.1 or later; the configuration
# enables nothing GPL or non-free) and reelcheck's own.
name="reelcheck-$VERSION-x86_64-linux-gnu"
stage="$ROOT/stage/$name"
rm -rf "$ROOT/stage" && mkdir -p "$stage" "$OUT_DIR"
strip -o "$stage/reelcheck" "$BIN"
cp "$ROOT/ffmpeg-src/COPYING.LGPLv2.1" "$stage/COPYING.LGPLv2.1-FFmpeg"
cp LICENSE-MIT LICENSE-APACHE "$stage/"
cat >"$stage/README" <<TXT
reelcheck $VERSION for x86_64 Linux (glibc ${glibc#GLIBC_} or newer).

FFmpeg $(cat "$ROOT/ffmpeg-src/VERSION") is linked in statically, built from Debian's source
package ffmpeg ($(ls "$ROOT"/src/*.dsc | xargs -n1 basename)), licensed under the LGPL 2.1 or
later (COPYING.LGPLv2.1-FFmpeg), configured with:
  $(grep -o -- '--disable-everything.*--enable-pic' "$ROOT/ffmpeg-build/config.h" | head -1)
The corresponding source is Debian's ffmpeg source package of that version
(apt-get source ffmpeg=$(ls "$ROOT"/src/*.dsc | sed 's/.*ffmpeg_\(.*\)\.dsc/\1/') on Debian 13).
reelcheck is licensed under MIT or Apache-2.0 (LICENSE-MIT, LICENSE-APACHE).

Run ./reelcheck --help, or put it on your PATH: install -m755 reelcheck ~/.local/bin/
TXT
tarball="$OUT_DIR/$name.tar.gz"
# Fixed owner and times so the same inputs give the same tarball.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
  -C "$ROOT/stage" -cf - "$name" | gzip -n -9 >"$tarball"
(cd "$OUT_DIR" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "dist: $tarball ($(du -h "$tarball" | cut -f1); binary $(du -h "$stage/reelcheck" | cut -f1), needs glibc ${glibc#GLIBC_}+)"
echo "dist: $(cat "$tarball.sha256")"
