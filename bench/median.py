#!/usr/bin/env python3
"""Prints medians and ratios from a hyperfine --export-json file.

usage: median.py RESULTS.json BASE_INDEX [--floor INDEX [--target RATIO]]... [--faster R]
                 [--bound INDEX] [--within SECONDS]
The command at BASE_INDEX (reelcheck's) is compared with every other command. A floor is a
program doing only FFmpeg's own part of the same work: for it the ratio is printed the other
way round (reelcheck's time over the floor's) beside its target, since lower is better.
A bound is a floor no check doing the same work can beat: how much faster than the other
commands it is shows the most a `--faster` target can ask.
"""
import argparse
import json
import statistics

parser = argparse.ArgumentParser()
parser.add_argument("results")
parser.add_argument("base", type=int, nargs="?", default=0)
parser.add_argument("--floor", type=int, action="append", default=[])
parser.add_argument("--target", type=float, action="append", default=[])
parser.add_argument("--bound", type=int, action="append", default=[],
                    help="a floor whose own speed-up over the others is printed")
parser.add_argument("--faster", type=float, default=None,
                    help="target: reelcheck at least this many times faster than the others")
parser.add_argument("--within", type=float, default=None,
                    help="target: reelcheck's median at most this many seconds")
args = parser.parse_args()

results = json.load(open(args.results))["results"]
med = [statistics.median(r["times"]) for r in results]
base = args.base
for r, m in zip(results, med):
    print(f"  {m * 1000:10.1f} ms  median of {len(r['times'])}  {r['command']}")
if args.within is not None:
    verdict = "met" if med[base] <= args.within else "NOT met"
    print(f"  time: reelcheck takes {med[base]:.2f} s  (target <= {args.within:g} s: {verdict})")
targets = dict(zip(args.floor, args.target))
floors = set(args.floor) | set(args.bound)
for i, (r, m) in enumerate(zip(results, med)):
    if i == base:
        continue
    if i in floors:
        ratio = med[base] / m
        line = f"  floor: reelcheck takes {ratio:.2f}x the time of: {r['command']}"
        if i in targets:
            verdict = "met" if ratio <= targets[i] else "NOT met"
            line += f"  (target <= {targets[i]:.1f}x: {verdict})"
        print(line)
    else:
        ratio = m / med[base]
        line = f"  ratio: reelcheck is {ratio:.1f}x faster than: {r['command']}"
        if args.faster is not None:
            verdict = "met" if ratio >= args.faster else "NOT met"
            line += f"  (target >= {args.faster:g}x: {verdict})"
        print(line)
for b in args.bound:
    for i, (r, m) in enumerate(zip(results, med)):
        if i == base or i in floors:
            continue
        line = f"  bound: the floor alone is {m / med[b]:.1f}x faster than: {r['command']}"
        if args.faster is not None:
            line += f"  (so no check doing this work reaches {args.faster:g}x)" if m / med[b] < args.faster else ""
        print(line)
for f, target in targets.items():
    for g in sorted(floors - {f}):
        ratio = med[g] / med[f]
        line = f"  bound: {results[g]['command']} alone takes {ratio:.2f}x the time of: {results[f]['command']}"
        if ratio > target:
            line += f"  (so no check doing that reading reaches {target:.1f}x)"
        print(line)
