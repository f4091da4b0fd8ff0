#!/usr/bin/env python3
"""Prints a Markdown table of compress runs side by side, for choosing settings (stdlib only).

Usage: python3 jobs/bench/trials_table.py [--test] runs/NAME ...
One row per run (runs/NAME/result/metrics.json): the settings in which it differs from the others (every
configuration key, the output folder left out, whose value in this run is not the one more than half of the runs
have, every run's value where no value has a majority; "(default)" where the run did not set the key), the
validation accuracy after fine-tuning (and the test accuracy with --test; empty for a run that did not evaluate
it), the share of occupied 8x8 tiles weighted by layer size, the units kept, the non-zeros per layer after unit
removal (the mask's count, marked, for runs that did not record it) and the FLOPs per sample.
"""
import json
import sys
from pathlib import Path

from results_table import compress_run


def own_settings(configs):
    """For each run, the keys whose value is not the majority's."""
    keys = sorted({k for c in configs for k in c if k != "output"})
    usual = {}
    for k in keys:
        values = [c.get(k) for c in configs]
        majority = [v for v in set(values) if values.count(v) * 2 > len(values)]
        if len(set(values)) > 1:
            usual[k] = majority[0] if majority else object()
    return [" ".join(f"{k}={c.get(k, '(default)')}" for k in usual if c.get(k) != usual[k]) for c in configs]


def main(argv):
    test = "--test" in argv
    paths = [a for a in argv if a != "--test"]
    if not paths:
        sys.exit(__doc__)
    configs = [json.loads((Path(p) / "result" / "metrics.json").read_text())["config"] for p in paths]
    runs = [compress_run(p) for p in paths]
    header = ["run", "settings", "validation"] + (["test"] if test else []) + [
        "8x8 tiles", "units kept", "non-zeros per layer", "FLOPs per sample"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r, own in zip(runs, own_settings(configs)):
        cells = [r["run"], own or "(as most)", f"{r['validation']['fine_tuned']:.4f}"]
        if test:
            cells.append(f"{r['test']['fine_tuned']:.4f}" if "fine_tuned" in r["test"] else "")
        nonzeros = r["nonzeros_per_layer_after_removal"]
        counts = " / ".join(f"{n:,}" for n in nonzeros or r["nonzeros_per_layer"]) + ("" if nonzeros else " (mask)")
        cells += [f"{r['tile_occupancy_8']:.1%}", "/".join(str(u) for u in r["units_kept"]), counts,
                  f"{r['flops']:,}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
