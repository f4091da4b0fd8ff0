#!/usr/bin/env python3
"""Prints docs/results.md's inference table from the JSON lines of `inference-benchmark --json` runs (one file per
batch size): the speed-up of every compressed model over the dense network of the same run, for each variant.

Usage: python3 jobs/bench/inference_table.py docs/results/inference-lenet5-7500-batch1.jsonl ...
"""
import json
import sys

VARIANTS = {"dense layers": "layers after unit removal as dense matrices", "best kernels": "best kernels"}


def main(paths):
    rows = []
    dense_rates = []
    models = []
    for path in paths:
        with open(path) as f:
            lines = [json.loads(line) for line in f if line.startswith("{")]
        dense = next(r for r in lines if r["variant"] == "dense")
        dense_rates.append(f"batch {dense['batch']} {dense['samples_per_s']:,.0f} samples/s")
        for r in lines:
            if r["model"] and r["model"] not in models:
                models.append(r["model"])
        for variant, text in VARIANTS.items():
            rows.append((f"batch {dense['batch']}, {text}",
                         {r["model"]: r["speedup"] for r in lines if r["variant"] == variant}))
    print("| speed-up over the dense network | " + " | ".join(models) + " |")
    print("|---|" + "---|" * len(models))
    for label, speedups in rows:
        print(f"| {label} | " + " | ".join(f"{speedups[m]:.2f}x" if m in speedups else "" for m in models) + " |")
    print()
    print("Dense network in the same runs: " + ", ".join(dense_rates) + ".")


if __name__ == "__main__":
    main(sys.argv[1:])
