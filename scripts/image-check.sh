#!/usr/bin/env bash
# Runs the Dockerfile's runtime stage without a container engine: the release tarball's binary
# in an empty root that holds nothing but glibc's libraries and libgcc_s (less than the
# debian:12-slim base has), as the image's unprivileged user (10001), with its default command
# `reelcheck check /intake` on a film made here. Proves the binary needs nothing the image
# lacks. Needs root (chroot, a mount namespace for /proc) and the ffmpeg CLI.
#
#   scripts/image-check.sh dist/reelcheck-VERSION-x86_64-linux-gnu.tar.gz
set -euo pipefail
tarball=${1:?usage: scripts/image-check.sh dist/reelcheck-VERSION-x86_64-linux-gnu.tar.gz}
[ "$(id -u)" -eq 0 ] || { echo "image-check: needs root (chroot)" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "image-check: the ffmpeg CLI is missing: apt-get install ffmpeg" >&2; exit 1; }

root=$(mktemp -d)
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/proc" "$root/tmp" "$root/intake" "$root/home/reelcheck"
chmod 1777 "$root/tmp"
# The devices a container runtime provides (workers' stderr goes to /dev/null).
mkdir -p "$root/dev"
mknod -m 666 "$root/dev/null" c 1 3
mknod -m 666 "$root/dev/zero" c 1 5
mknod -m 666 "$root/dev/random" c 1 8
mknod -m 666 "$root/dev/urandom" c 1 9

# COPY --from=build /out/reelcheck /usr/local/bin/reelcheck
tar -xzf "$tarball" -C "$root/usr/local/bin" --strip-components=1 --wildcards '*/reelcheck'
bin="$root/usr/local/bin/reelcheck"

# The base image's part, cut to glibc: of the libraries the binary names, only glibc's and
# libgcc_s are copied in, so a binary that needs anything else fails to start here.
for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
  case $(basename "$lib") in
    libc.so.6 | libm.so.6 | libgcc_s.so.1 | ld-linux-x86-64.so.2) ;;
    *) continue ;;
  esac
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
echo "image-check: the root holds $(cd "$root" && find . -name '*.so*' | sort | tr '\n' ' ')"

# RUN useradd --uid 10001 … (the home holds the facts cache)
chown 10001:10001 "$root/home/reelcheck"

# A film in /intake: 62 s of picture and sound, MP4 with its index at the front.
ffmpeg -v error -f lavfi -i testsrc2=size=320x240:rate=25:duration=62 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=62 \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -ac 2 -movflags +faststart \
  "$root/intake/entry.mp4"

# ENTRYPOINT ["reelcheck"] CMD ["check", "/intake"], as user 10001, with a clean environment.
set +e
out=$(unshare --mount --fork sh -c '
  mount -t proc proc "$1/proc" &&
  exec env -i HOME=/home/reelcheck PATH=/usr/local/bin \
    "$(command -v chroot)" --userspec=10001:10001 "$1" /usr/local/bin/reelcheck check /intake
' sh "$root" 2>&1)
code=$?
set -e
echo "$out"
# 0 or 1 is a verdict (the film passed or failed the rules); ERROR means it could not be read.
if [ $code -gt 1 ] || ! grep -q 'entry.mp4' <<<"$out" || grep -q '^ERROR' <<<"$out"; then
  echo "image-check: FAILED (exit $code)" >&2
  exit 1
fi
echo "image-check: ok: reelcheck checked /intake/entry.mp4 in a root with only glibc (exit $code)"
