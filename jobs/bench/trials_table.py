#!/usr/bin/env python3
"""Prints a Markdown table of compress runs side by side, for choosing settings (stdlib only).

Usage: python3 jobs/bench/trials_table.py [--test] runs/NAME ...
One row per run (runs/NAME/result/metrics.json): the settings in which it differs from the others (every
configuration key, the output folder left out, whose value in this run is not the value most of the runs have), the validation accuracy after
fine-tuning (and the test accuracy with --test), the share of occupied 8x8 tiles weighted by layer size, the units
kept, the non-zeros per layer after unit removal and the FLOPs per sample.
"""
import json
import sys
from pathlib import Path


def load(path):
    return json.loads((Path(path) / "result" / "metrics.json").read_text())


def own_settings(runs):
    """For each run, the keys whose value differs from the one most runs have (None: the key is not set)."""
    keys = sorted({k for m in runs for k in m["config"] if k != "output"})
    values = {k: [m["config"].get(k) for m in runs] for k in keys}
    usual = {k: max(set(v), key=lambda x: (v.count(x), x is not None, str(x))) for k, v in values.items()}
    return [" ".join(f"{k}={m['config'].get(k, '(unset)')}" for k in keys if m["config"].get(k) != usual[k])
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
