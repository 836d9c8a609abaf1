#!/usr/bin/env bash
# Comparing a large batch: 1000 synthetic fingerprints matched as `check` matches a batch
# (bench/similar/match.rs), median of seven runs. Target: under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== similar: 1000 fingerprints compared =="
cargo run --release --locked --quiet --example similar_match -- --films 1000 --runs 7
