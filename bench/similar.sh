#!/usr/bin/env bash
# Comparing a large batch: 1000 synthetic fingerprints matched as `check` matches a batch
# (bench/similar/match.rs), median of seven runs. Target: under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== similar: 1000 fingerprints compared =="
cargo run --release --locked --quiet --example similar_match -- --films 1000 --runs 7
echo

# What the fingerprints add to a default check: the 200 submissions of bench/full.sh checked
# with and without them (`--no-similar`), uncached, taken in turn. Target: at most 5 %.
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/header
RUNS=${RUNS:-3}
[ -d "$WORK/entries" ] || bench/header.sh > /dev/null
echo "== similar: what the fingerprints (pictures and sound) add to the full check of 200 submissions =="
hyperfine --style none --runs "$RUNS" -i --export-json bench/work/similar-cost.json \
  -n "reelcheck check --no-cache (with fingerprints)" \
  "$BIN check --no-cache --format json $WORK/entries > /dev/null" \
  -n "reelcheck check --no-cache --no-similar" \
  "$BIN check --no-cache --no-similar --format json $WORK/entries > /dev/null" > /dev/null
python3 - bench/work/similar-cost.json <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
with_fp, without = (statistics.median(x["times"]) for x in r)
for x in r:
    print(f"  {statistics.median(x['times']) * 1000:10.1f} ms  median of {len(x['times'])}  {x['command']}")
added = (with_fp / without - 1) * 100
print(f"  fingerprints add {added:+.1f} % (target <= 5 %: {'met' if added <= 5 else 'NOT met'})")
PY
