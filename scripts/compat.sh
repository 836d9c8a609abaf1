#!/usr/bin/env bash
# Checks that reelcheck builds against each FFmpeg it supports, not just the system's:
# FFmpeg 5.1 (Debian 12, the system's own), 7.1 (Debian 13) and the newest 8.x Debian carries
# (unstable: FFmpeg 9.0 at the time of writing; Debian carries no 8.x any more). Each release's -dev packages are fetched with apt-get download into a folder of
# their own (target/compat/RELEASE), unpacked with dpkg -x and found through PKG_CONFIG_LIBDIR
# and PKG_CONFIG_SYSROOT_DIR; nothing is installed over the system's packages.
#
#   scripts/compat.sh                 # every release
#   scripts/compat.sh trixie          # just one (bookworm, trixie, sid)
#
# Runs `cargo check` and clippy (warnings as errors) on every target for each release.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/debian-apt.sh
. scripts/debian-apt.sh

RELEASES=("$@")
[ ${#RELEASES[@]} -eq 0 ] && RELEASES=(bookworm trixie sid)
PACKAGES="libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev"
CARGO=${CARGO:-cargo}

fetch() {
  local release=$1 root=$2
  mkdir -p "$root/debs" "$root/sysroot"
  debian_apt "$root/apt" deb "$release"
  (cd "$root/debs" && apt-get "${APT_OPTS[@]}" download $PACKAGES)
  for deb in "$root"/debs/*.deb; do dpkg -x "$deb" "$root/sysroot"; done
}

status=0
for release in "${RELEASES[@]}"; do
  root="$PWD/target/compat/$release"
  if [ "$release" = bookworm ] && pkg-config --exists libavcodec 2>/dev/null &&
    [ "$(. /etc/os-release && echo "$VERSION_CODENAME")" = bookworm ]; then
    env_vars=()   # the system's own FFmpeg, checked in the usual target folder
    target=()
  else
    [ -d "$root/sysroot/usr/include" ] || fetch "$release" "$root"
    pc=$(dirname "$(find "$root/sysroot" -name libavcodec.pc | head -1)")
    env_vars=(PKG_CONFIG_LIBDIR="$pc" PKG_CONFIG_SYSROOT_DIR="$root/sysroot")
    # A folder of its own: ffmpeg-sys-next's bindings differ per FFmpeg.
    target=(CARGO_TARGET_DIR="$root/target")
  fi
  version=$(env "${env_vars[@]}" pkg-config --modversion libavcodec)
  echo "== $release: libavcodec $version"
  if env "${env_vars[@]}" "${target[@]}" \
    $CARGO clippy --release --locked --workspace --all-targets --all-features --quiet -- -D warnings; then
    echo "== $release: ok"
  else
    echo "== $release: FAILED" >&2
    status=1
  fi
done
exit $status
