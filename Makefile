# make demo   installs what is missing, builds, makes sample submissions and checks them
# make test   installs what is missing and runs every test, the engine's unit tests first
# make test-engine  the engine tier alone: the application's unit tests (plan, batch, cache,
#              journal, watch, merge) with a fake prober; no FFmpeg run, no media, seconds
# make test-fast  the fast tier: everything but the long ground-truth films
# make bench  measures reelcheck against its peers (ffprobe, mediainfo, ffmpeg) in one run
# make accuracy  prints the detectors' accuracy against ground truth
# make compat  checks the code against FFmpeg 5.1, 7.1 and the newest FFmpeg Debian carries
# make dist   the self-contained Linux release: dist/reelcheck-VERSION-x86_64-linux-gnu.tar.gz
# make dist-test  runs the integration tests against a self-contained build

CARGO ?= cargo
BIN := target/release/reelcheck

.PHONY: all deps build demo test test-engine test-fast mutants compat lint bench accuracy dist dist-test clean

all: build

deps:
	@scripts/install-deps.sh
	@scripts/check-toolchain.sh

build: deps
	$(CARGO) build --release --locked

demo: build
	@scripts/demo.sh

lint: deps
	$(CARGO) fmt --check
	$(CARGO) clippy --release --locked --workspace --all-targets --all-features -- -D warnings

# The engine tier first: a mistake in the plan, the batch or the store shows in seconds, before
# the integration suite spends minutes making and checking films. Built with the suite's
# features, so that `make test` compiles the unit tests once for both.
test-engine: deps
	$(CARGO) test --release --locked -p reelcheck --lib --features fault-injection

test: test-engine
	$(CARGO) test --release --locked --workspace --features fault-injection

# The slow tier is the credits ground-truth films and the runtime-boundary films (minutes of
# sound to measure); everything else runs here, in under a minute once the test media exist.
COMPAT_RELEASES ?= bookworm trixie
SLOW_TESTS := credits::ground_truth:: check::runtime_limits_include_the_boundaries
test-fast: deps
	$(CARGO) test --release --locked --workspace --features fault-injection -- $(addprefix --skip ,$(SLOW_TESTS))

# cargo check and clippy against the -dev packages of other Debian releases, fetched into
# target/compat (never installed): bookworm (FFmpeg 5.1, the system's), trixie (7.1), sid.
compat: deps
	scripts/compat.sh $(COMPAT_RELEASES)

# Breaks each analyzer's headline fact in turn and shows that a test fails for each.
mutants: deps
	scripts/mutation-check.sh

# Detector accuracy against ground truth: credits (generated films with known credits), black
# padding (films with known padding), loudness (agreement with FFmpeg's ebur128 filter) and
# silence (tracks with known gaps), agreement per fact with the expected truth on the
# real-media set in fixtures/real, and the video analyzer (scan, damage, flashing, freezes,
# black, bars) beside FFmpeg's idet, freezedetect, blackdetect and cropdetect, and the same
# film twice (precision and recall of `similar` on generated and real pairs).
accuracy: deps
	$(CARGO) run --release --locked --example credits_accuracy
	$(CARGO) run --release --locked --example black_accuracy
	$(CARGO) run --release --locked --example audio_agreement
	$(CARGO) run --release --locked --example silence_agreement
	$(CARGO) run --release --locked --example real_agreement
	$(CARGO) run --release --locked --example video_qc_accuracy
	$(CARGO) run --release --locked --example similar_accuracy

bench: build
	@scripts/install-deps.sh hyperfine mediainfo
	$(CARGO) build --release --locked --example floor_header --example floor_decode
	@bench/run.sh

# FFmpeg 7.1 from Debian's source package, static, with only what reelcheck uses; the system's
# FFmpeg is not involved. The first run builds FFmpeg (long); later runs reuse it (target/dist).
dist:
	@scripts/check-toolchain.sh --no-ffmpeg
	scripts/dist.sh

# The same self-contained build with the test-only fault-injection feature (the isolation tests
# need it in the binary under test), then the whole integration suite against it, then the
# container image's runtime stage (scripts/image-check.sh, as root).
DIST_TEST_BIN := target/dist/test/reelcheck
dist-test: deps
	scripts/dist.sh --features fault-injection --out target/dist/test
	tar -xzf target/dist/test/reelcheck-*.tar.gz -C target/dist/test --strip-components=1
	REELCHECK_BIN=$(CURDIR)/$(DIST_TEST_BIN) REELCHECK_SELF_CONTAINED=1 $(CARGO) test --release --locked --workspace --features fault-injection --test cli
	scripts/image-check.sh target/dist/test/reelcheck-*.tar.gz

clean:
	$(CARGO) clean
	rm -rf demo bench/work dist
