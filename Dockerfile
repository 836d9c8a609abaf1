# reelcheck in a container: `docker build -t reelcheck .`, then
#   docker run --rm -v /srv/intake:/intake:ro reelcheck                      # check /intake
#   docker run --rm -v "$PWD":/work -w /work reelcheck check film.mp4 --track ai
#
# The build stage runs `make dist` (FFmpeg 7.1 from Debian's source package, static, and
# reelcheck linked against it); the image holds that one binary on a slim Debian.

# Any Rust from 1.88 (Cargo.toml's rust-version) builds it; the build runs on bookworm, the
# runtime stage's Debian, so the binary asks for no newer glibc than the image has.
ARG RUST_VERSION=1
FROM rust:${RUST_VERSION}-slim-bookworm AS build
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends ca-certificates clang make nasm xz-utils zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make dist \
 && mkdir /out \
 && tar -xzf dist/reelcheck-*-x86_64-linux-gnu.tar.gz -C /out --strip-components=1

FROM debian:12-slim
COPY --from=build /out/reelcheck /usr/local/bin/reelcheck
COPY --from=build /out/COPYING.LGPLv2.1-FFmpeg /out/LICENSE-MIT /out/LICENSE-APACHE /out/README /usr/share/doc/reelcheck/
# Films are untrusted input: probe them as an unprivileged user. Its home holds the facts cache.
RUN useradd --uid 10001 --user-group --create-home --home-dir /home/reelcheck reelcheck
USER reelcheck
WORKDIR /home/reelcheck
ENTRYPOINT ["reelcheck"]
CMD ["check", "/intake"]
