#!/usr/bin/env bash
# The facts cache: a second check of the same 200 files (after a rule change, say) against the
# first, cold one. Both run the default check with every analyzer the built-in rules use.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/reelcheck}
WORK=bench/work/header
CACHE=bench/work/cache
RUNS=${RUNS:-5}
[ -d "$WORK/entries" ] || bench/header.sh > /dev/null

echo "== facts cache: second check of 200 files vs the first =="
hyperfine --style none --runs "$RUNS" -i --export-json bench/work/cache-results.json \
  -n "second run (facts cached)" \
  --prepare "$BIN check --cache-dir $CACHE --format json $WORK/entries > /dev/null || true" \
  "$BIN check --cache-dir $CACHE --format json $WORK/entries > /dev/null" \
  -n "first run (empty cache)" \
  --prepare "rm -rf $CACHE" \
  "$BIN check --cache-dir $CACHE --format json $WORK/entries > /dev/null" > /dev/null
python3 bench/median.py bench/work/cache-results.json 0
