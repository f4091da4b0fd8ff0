#!/usr/bin/env python3
"""Writes the results tables of docs/results.md and docs/results.json from finished runs (stdlib only).

Usage: python3 jobs/bench/results_table.py [--previous docs/results.json] [--json docs/results.json]
       [--into docs/results.md] runs/NAME ...
--into replaces what stands between <!-- results:start --> and <!-- results:end --> in that file.
--previous starts from the runs of an earlier results.json (the runs named on the command line replace those of the
same name), so that a table can grow without the earlier runs' folders.
A NAME ending in -dense is a dense baseline (runs/NAME.jsonl, the `train --json` output); any other is a compress
run (runs/NAME/result/metrics.json). Runs are grouped by network and training-set size; each group's table gives
the loss of every method against that group's dense baseline.
"""
import json
import sys
from pathlib import Path


def dense_baseline(path):
    events = [json.loads(line) for line in Path(str(path) + ".jsonl").read_text().splitlines() if line.strip()]
    start = next(e for e in events if e["event"] == "start")
    epochs = [e for e in events if e["event"] == "epoch"]
    test = next(e for e in events if e["event"] == "test")
    return {"run": Path(path).name, "network": start["network"], "method": "dense", "mrf_mode": None,
            "train_size": start["train"], "target": None, "compression": 1.0, "compression_mask": 1.0,
            "epochs": len(epochs), "test": {"fine_tuned": test["test_accuracy"]},
            "validation": {"fine_tuned": epochs[-1]["validation_accuracy"]}}


def compress_run(path):
    m = json.loads((Path(path) / "result" / "metrics.json").read_text())
    config = m["config"]
    layers = m["layers"]
    weights = sum(l["weights"] for l in layers)
    if config.get("turbo.control", "target") == "free":
        target = None
    elif float(config.get("turbo.target.flops", 0)) > 0:
        target = {"flops": float(config["turbo.target.flops"])}
    else:
        target = {"compression": float(config["turbo.target.compression"])}
    return {"run": Path(path).name, "network": m["network"], "method": m["method"],
            "mrf_mode": config.get("mrf.mode", "rows") if m["method"] == "turbo" else None,
            "schedule": config.get("turbo.schedule", "cubic"), "train_size": m["data"]["train"], "target": target,
            "compression": m["compression_after_removal"], "compression_mask": m["compression"],
            "epochs": m["epochs"]["total"], "epochs_detail": m["epochs"],
            "test": m["accuracy"]["test"], "validation": m["accuracy"]["validation"],
            "flops": m["flops"]["compressed"], "flops_dense": m["flops"]["dense"],
            "tile_occupancy_4": sum(l["tile_occupancy_4"] * l["weights"] for l in layers) / weights,
            "tile_occupancy_8": sum(l["tile_occupancy_8"] * l["weights"] for l in layers) / weights,
            "units_kept": [l["units_kept"] for l in layers],
            "nonzeros_per_layer": [l["nonzeros"] for l in layers],
            "nonzeros_per_layer_after_removal": [l["nonzeros_after_removal"] for l in layers]
            if all("nonzeros_after_removal" in l for l in layers) else None,
            "seconds": m["seconds_total"]}


def label(r):
    if r["method"] == "turbo":
        name = f"turbo ({r['mrf_mode']})"
    else:
        name = r["method"]
    if r.get("schedule", "cubic") != "cubic":
        name += f", {r['schedule']}"
    return name


def fmt(x):
    return "" if x is None else f"{x:.4f}"


def table(rows):
    dense = next((r for r in rows if r["method"] == "dense"), None)
    base = dense["test"]["fine_tuned"] if dense else None
    out = ["| run | method | target | compression after unit removal (mask) | epochs | test fine-tuned "
           "| below dense (points) | test masked | validation fine-tuned | units kept | 4x4 tiles | 8x8 tiles "
           "| FLOPs per sample |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["method"] == "dense":
            out.append(f"| {r['run']} | dense baseline | | 1x | {r['epochs']} | {fmt(base)} | | "
                       f"| {fmt(r['validation']['fine_tuned'])} | | | | |")
            continue
        target = r["target"]
        target = (f"{target['compression']:g}x" if "compression" in target else f"{target['flops']:,.0f} FLOPs") \
            if target else "free"
        loss = f"{100 * (base - r['test']['fine_tuned']):.2f}" if base is not None and "fine_tuned" in r["test"] \
            else ""
        out.append(f"| {r['run']} | {label(r)} | {target} | {r['compression']:.1f}x ({r['compression_mask']:.1f}x) "
                   f"| {r['epochs']} | {fmt(r['test'].get('fine_tuned'))} | {loss} | {fmt(r['test'].get('masked'))} "
                   f"| {fmt(r['validation']['fine_tuned'])} | {'/'.join(map(str, r['units_kept']))} "
                   f"| {100 * r['tile_occupancy_4']:.1f}% | {100 * r['tile_occupancy_8']:.1f}% "
                   f"| {r['flops']:,} |")
    return "\n".join(out)


def allocation(rows):
    """Non-zero weights per layer of each compressed run: where the method put the weights it kept."""
    runs = [r for r in rows if r["method"] != "dense"]
    if not runs:
        return ""
    layers = len(runs[0]["nonzeros_per_layer"])
    out = ["| run | method | " + " | ".join(f"layer {k + 1}" for k in range(layers)) + " | total |",
           "|---|---|" + "---|" * (layers + 1)]
    for r in runs:
        counts = r.get("nonzeros_per_layer_after_removal") or r["nonzeros_per_layer"]
        where = "" if r.get("nonzeros_per_layer_after_removal") else " (mask)"
        out.append(f"| {r['run']} | {label(r)}{where} | " + " | ".join(f"{c:,}" for c in counts)
                   + f" | {sum(counts):,} |")
    return "\n".join(out)


def sizes(group):
    """The group's training-set sizes, the first one's first: "55,000" or "55,000 or 54,983"."""
    distinct = list(dict.fromkeys(r["train_size"] for r in group))
    return " or ".join(f"{size:,}" for size in distinct)


def main(argv):
    options = {}
    while argv[:1] in (["--json"], ["--into"], ["--previous"]):
        options[argv[0]], argv = argv[1], argv[2:]
    new = [dense_baseline(p) if Path(p).name.endswith("-dense") else compress_run(p) for p in argv]
    names = {r["run"] for r in new}
    previous = json.loads(Path(options["--previous"]).read_text()) if "--previous" in options else []
    rows = [r for r in previous if r["run"] not in names] + new
    groups = {}
    for r in rows:
        key = next((k for k in groups if k[0] == r["network"] and abs(k[1] - r["train_size"]) <= 0.01 * k[1]),
                   (r["network"], r["train_size"]))
        groups.setdefault(key, []).append(r)
    text = "".join(f"\n{network}, {sizes(group)} training images:\n\n{table(group)}\n\nNon-zero weights per layer "
                   f"(after unit removal; \"(mask)\": the mask's count, for runs that did not record it):\n\n"
                   f"{allocation(group)}\n"
                   for (network, _), group in groups.items())
    print(text)
    if "--json" in options:
        Path(options["--json"]).write_text(json.dumps(rows, indent=1) + "\n")
    if "--into" in options:
        page = Path(options["--into"]).read_text()
        start = page.index("<!-- results:start -->\n") + len("<!-- results:start -->\n")
        end = page.index("<!-- results:end -->")
        Path(options["--into"]).write_text(page[:start] + text.lstrip("\n") + "\n" + page[end:])


if __name__ == "__main__":
    main(sys.argv[1:])
