#!/usr/bin/env python3
"""Prints a Markdown table of compress runs side by side, for choosing settings (stdlib only).

Usage: python3 jobs/bench/trials_table.py [--test] runs/NAME ...
One row per run (runs/NAME/result/metrics.json): the settings in which it differs from the others (every
configuration key, the output folder left out, whose value in this run is not the one more than half of the runs
have; every run's value where no value has a majority), the validation accuracy after
fine-tuning (and the test accuracy with --test), the share of occupied 8x8 tiles weighted by layer size, the units
kept, the non-zeros per layer after unit removal and the FLOPs per sample.
"""
import json
import sys
from pathlib import Path


def load(path):
    return json.loads((Path(path) / "result" / "metrics.json").read_text())


def own_settings(runs):
    """For each run, the keys whose value is not the majority's (a key not set shows as its default)."""
    keys = sorted({k for m in runs for k in m["config"] if k != "output"})
    usual = {}
    for k in keys:
        values = [m["config"].get(k) for m in runs]
        majority = [v for v in set(values) if values.count(v) * 2 > len(values)]
        if len(set(values)) > 1:
            usual[k] = majority[0] if majority else object()
    return [" ".join(f"{k}={m['config'].get(k, '(default)')}" for k in usual if m["config"].get(k) != usual[k])
            for m in runs]


def tiles(m):
    layers = m["layers"]
    return sum(l["tile_occupancy_8"] * l["weights"] for l in layers) / sum(l["weights"] for l in layers)


def main(argv):
    test = "--test" in argv
    paths = [a for a in argv if a != "--test"]
    if not paths:
        sys.exit(__doc__)
    runs = [load(p) for p in paths]
    settings = own_settings(runs)
    header = ["run", "settings", "validation"] + (["test"] if test else []) + [
        "8x8 tiles", "units kept", "non-zeros per layer", "FLOPs per sample"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for path, m, own in zip(paths, runs, settings):
        cells = [Path(path).name, own or "(as most)", f"{m['accuracy']['validation']['fine_tuned']:.4f}"]
        if test:
            cells.append(f"{m['accuracy']['test']['fine_tuned']:.4f}")
        cells += [f"{tiles(m):.1%}", "/".join(str(l["units_kept"]) for l in m["layers"]),
                  " / ".join(f"{l['nonzeros_after_removal']:,}" for l in m["layers"]),
                  f"{m['flops']['compressed']:,}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
