#!/usr/bin/env python3
"""Prints a Markdown table of compress runs repeated over seeds: one row per setting (stdlib only).

Usage: python3 jobs/bench/seeds_table.py runs/NAME-s1 runs/NAME-s2 ... runs/OTHER-s1 ...
Runs whose folder names differ only in a trailing -sN (the seed) form one row: the mean of the test accuracy after
fine-tuning with its lowest and highest value, the same for the validation accuracy, the mean share of occupied
8x8 tiles (weighted by layer size) and the mean of the units kept per layer. Rows keep the order in which their
first run was named.
"""
import re
import sys
from statistics import mean

from results_table import compress_run


def spread(values, digits=4):
    return f"{mean(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def main(paths):
    if not paths:
        sys.exit(__doc__)
    groups = {}
    for path in paths:
        run = compress_run(path)
        groups.setdefault(re.sub(r"-s\d+$", "", run["run"]), []).append(run)
    print("| setting | seeds | test, mean (lowest-highest) | validation, mean (lowest-highest) | 8x8 tiles | "
          "units kept (mean) |")
    print("|---|---|---|---|---|---|")
    for name, runs in groups.items():
        units = "/".join(f"{mean(u):.0f}" for u in zip(*(r["units_kept"] for r in runs)))
        print(f"| {name} | {len(runs)} | {spread([r['test']['fine_tuned'] for r in runs])} | "
              f"{spread([r['validation']['fine_tuned'] for r in runs])} | "
              f"{mean(r['tile_occupancy_8'] for r in runs):.1%} | {units} |")


if __name__ == "__main__":
    main(sys.argv[1:])
