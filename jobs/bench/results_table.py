#!/usr/bin/env python3
"""Prints the results table of docs/results.md from finished runs' metrics.json (stdlib only).

Usage: python3 jobs/bench/results_table.py runs/lenet300-rows/result runs/lenet300-iid/result ...
"""
import json
import sys
from pathlib import Path


def row(folder):
    m = json.loads((Path(folder) / "metrics.json").read_text())
    layers = m["layers"]
    weights = sum(l["weights"] for l in layers)
    tile8 = sum(l["tile_occupancy_8"] * l["weights"] for l in layers) / weights
    tile4 = sum(l["tile_occupancy_4"] * l["weights"] for l in layers) / weights
    mode = m["config"].get("mrf.mode", "") if m["method"] == "turbo" else ""
    test = m["accuracy"]["test"]
    valid = m["accuracy"]["validation"]
    kept = "/".join(str(l["units_kept"]) for l in layers)
    return (f"| {Path(folder).parent.name} | {m['method']}{' (' + mode + ')' if mode else ''} "
            f"| {m['compression']:.1f}x | {test.get('dense', float('nan')):.4f} | {test.get('masked', float('nan')):.4f} "
            f"| {test.get('fine_tuned', float('nan')):.4f} | {valid['fine_tuned']:.4f} | {kept} "
            f"| {100 * tile4:.1f}% | {100 * tile8:.1f}% | {m['flops']['dense']:,} -> {m['flops']['compressed']:,} "
            f"({m['flops']['reduction']:.1f}x) | {m['flops']['compressed_dense_layers']:,} "
            f"| {m.get('iterations', 0)} | {m['seconds_total']:.0f} s |")


print("| run | method | compression | test dense | test masked | test fine-tuned | validation fine-tuned "
      "| units kept per layer | 4x4 tiles | 8x8 tiles | FLOPs (non-zero MACs x2) | FLOPs of the smaller dense layers "
      "| iterations | wall time |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for folder in sys.argv[1:]:
    print(row(folder))
