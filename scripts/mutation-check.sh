#!/usr/bin/env bash
# Mutation check: breaks each analyzer's headline fact in turn, rebuilds, runs the tests that
# cover it, and expects at least one of them to fail. A mutant that survives means the suite
# could pass with that analyzer broken.
#
#   scripts/mutation-check.sh            # every mutant
#   scripts/mutation-check.sh fps black  # only these
#
# Each mutant edits one source line in place and the file is restored afterwards (also on
# Ctrl-C); the script refuses to start when a file it would edit has uncommitted changes.
# A pattern that no longer matches the source stops the script: it never reports a mutant
# it did not make.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
FEATURES=(--release --features fault-injection)

# Each mutant: name, file, a perl substitution that changes one line, and the test filter.
NAMES=(duration fps loudness credits black provenance video head tone)
declare -A FILE SUBST FILTER
FILE[duration]=crates/probe/src/container.rs
SUBST[duration]='s/(let secs = \(end\? - start\) as f64 \* tb);/$1 * 2.0;/m'
FILTER[duration]=check::
FILE[fps]=crates/probe/src/container.rs
SUBST[fps]='s/fps: measured\.fps,/fps: measured.fps.map(|f| f * 2.0),/m'
FILTER[fps]=frame_rate::
FILE[loudness]=crates/probe/src/audio/meter.rs
SUBST[loudness]='s/(integrated_lufs: integrated\.map\()round2\)/$1|l| round2(l + 3.0))/m'
FILTER[loudness]=audio::
FILE[credits]=crates/probe/src/credits/mod.rs
SUBST[credits]='s/start_s: round\(start\),/start_s: round(start + 3.0),/m'
FILTER[credits]=credits::
FILE[black]=crates/probe/src/black.rs
SUBST[black]='s/head_s: head\(sampler\)\?,/head_s: head(sampler)?.map(|h| h + 1.0),/m'
FILTER[black]=black::
FILE[provenance]=crates/probe/src/provenance.rs
SUBST[provenance]='s/"declared-ai"$/"unknown"/m'
FILTER[provenance]=provenance::
FILE[video]=crates/probe/src/video_qc/mod.rs
SUBST[video]='s/self\.integrity\.frame\(t, damaged\);/self.integrity.frame(t, damaged \&\& false);/m'
FILTER[video]=video_qc::
FILE[head]=crates/probe/src/video_qc/head.rs
SUBST[head]='s/bands\.len\(\) >= 6 && saturated >= 4/bands.len() >= 16 \&\& saturated >= 4/m'
FILTER[head]=video_qc::
FILE[tone]=crates/probe/src/audio/tone.rs
SUBST[tone]='s/^const MIN_TONE_S: f64 = 1\.0;/const MIN_TONE_S: f64 = 5.0;/m'
FILTER[tone]=video_qc::

want=("$@")
selected() {
  [ ${#want[@]} -eq 0 ] && return 0
  local w
  for w in "${want[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

files=()
for name in "${NAMES[@]}"; do
  selected "$name" && files+=("${FILE[$name]}")
done
if ! git diff --quiet -- "${files[@]}"; then
  echo "mutation-check: commit or stash your changes to ${files[*]} first" >&2
  exit 2
fi

current=""
restore() { [ -n "$current" ] && git checkout -q -- "$current"; current=""; }
trap restore EXIT INT TERM

survived=0
printf '%-11s %-8s %s\n' mutant result "tests that failed"
for name in "${NAMES[@]}"; do
  selected "$name" || continue
  file=${FILE[$name]} subst=${SUBST[$name]} filter=${FILTER[$name]}
  current="$file"
  perl -0pi -e "\$n += ($subst); END { \$? = \$n ? 0 : 3 }" "$file" || {
    echo "mutation-check: the '$name' pattern no longer matches $file; update it" >&2
    exit 2
  }
  log="target/mutation-$name.log"
  if ! $CARGO build "${FEATURES[@]}" --tests --quiet 2>"$log"; then
    echo "mutation-check: the '$name' mutant does not compile (see $log)" >&2
    exit 2
  fi
  if $CARGO test "${FEATURES[@]}" --quiet --test cli -- "$filter" >>"$log" 2>&1; then
    printf '%-11s %-8s %s\n' "$name" SURVIVED "none (filter $filter)"
    survived=$((survived + 1))
  else
    failed=$(grep -E '^    [a-z_:]+$' "$log" | sed 's/^ *//' | sort -u | tr '\n' ' ')
    printf '%-11s %-8s %s\n' "$name" killed "${failed:-see $log}"
  fi
  restore
done
# Leave the tree's own build behind, not the last mutant's.
$CARGO build "${FEATURES[@]}" --tests --quiet
if [ "$survived" -ne 0 ]; then
  echo "mutation-check: $survived mutant(s) survived" >&2
  exit 1
fi
echo "mutation-check: every mutant was caught"
