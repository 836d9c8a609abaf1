#!/usr/bin/env python3
"""Prints medians and ratios from a hyperfine --export-json file.

usage: median.py RESULTS.json BASE_INDEX
The command at BASE_INDEX (reelcheck's) is compared with every other command.
"""
import json
import statistics
import sys

results = json.load(open(sys.argv[1]))["results"]
base = int(sys.argv[2]) if len(sys.argv) > 2 else 0
med = [statistics.median(r["times"]) for r in results]
for r, m in zip(results, med):
    print(f"  {m * 1000:10.1f} ms  median of {len(r['times'])}  {r['command']}")
for i, (r, m) in enumerate(zip(results, med)):
    if i != base:
        print(f"  ratio: reelcheck is {m / med[base]:.1f}x faster than: {r['command']}")
