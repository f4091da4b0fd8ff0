#!/usr/bin/env python3
"""Tables of docs/scaling.md from the JSON lines of the benchmark commands, never typed by hand.

  scaling.py memory SCALE.jsonl
      the heap table from `scale-benchmark --json`
  scaling.py cost --rounds ROUNDS.jsonl --wstep WSTEP.jsonl [--batch 512,4096] [--executors 1,2,8,32,128]
      the cost model of the gradient-mode w-step: round latency fitted as a + b * partitions for every parameter
      count measured (`round-benchmark --json` on a local-cluster master), compute per sample from the single JVM
      (`wstep-benchmark --json`), and the predicted speed-up over one core at each executor count
"""
import argparse
import json
import math
import sys


def lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


def memory(path):
    rows = sorted((r for r in lines(path) if r.get("benchmark") == "scale"),
                  key=lambda r: (r["samples"], r["executors"]))
    print("| training samples | MB as floats | executors | samples per executor | driver live (MB) | "
          "driver used (MB) | executor live, largest (MB) | executor live, mean (MB) | executor used, largest (MB) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['samples']:,} | {r['data_mb_as_floats']:,.0f} | {r['executors']} | "
              f"{r['samples_per_executor']:,.0f} | {r['driver_live_peak_mb']:.0f} | {r['driver_used_peak_mb']:.0f} | "
              f"{r['executor_live_peak_mb']:.0f} | {r['executor_live_peak_mean_mb']:.0f} | "
              f"{r['executor_used_peak_mb']:.0f} |")
    drivers = [r["driver_live_peak_mb"] for r in rows]
    if drivers:
        print()
        print(f"Driver live heap from {min(drivers):.0f} to {max(drivers):.0f} MB over the table "
              f"({(max(drivers) / min(drivers) - 1) * 100:.0f}% apart).")


def fit_line(points):
    """Least squares a + b x."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    b = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    return mean_y - b * mean_x, b


def cost(rounds_path, wstep_path, batches, executor_counts):
    rounds = [r for r in lines(rounds_path) if r.get("benchmark") == "round"]
    by_floats = {}
    for r in rounds:
        by_floats.setdefault(r["floats"], []).append((r["partitions"], r["median_ms"]))
    fits = {n: fit_line(points) for n, points in sorted(by_floats.items()) if len({p for p, _ in points}) > 1}
    print("Round latency on the local-cluster master, median ms, fitted as a + b x partitions:")
    print()
    partitions = sorted({r["partitions"] for r in rounds})
    print("| floats | " + " | ".join(f"{p} partitions" for p in partitions) + " | a (ms) | b (ms per partition) |")
    print("|---|" + "---|" * (len(partitions) + 2))
    for n, (a, b) in fits.items():
        measured = dict(by_floats[n])
        cells = " | ".join(f"{measured[p]:.0f}" if p in measured else "" for p in partitions)
        print(f"| {n:,} | {cells} | {a:.1f} | {b:.2f} |")
    print()

    single = [r for r in lines(wstep_path) if r.get("benchmark") == "w-step" and r["setup"].startswith("single-jvm")]
    if not single:
        sys.exit("no single-JVM line in " + wstep_path)
    rate = max(r["samples_per_s"] for r in single)  # 2 threads
    per_sample_ms = 2 * 1000 / rate
    models = [("variational LeNet-5", per_sample_ms, 862_160), ("10x larger", 10 * per_sample_ms, 8_621_600)]
    print(f"Compute: {per_sample_ms:.3f} ms of one core per sample (single JVM, 2 threads, {rate:,.0f} samples/s); "
          "the 10x larger network is taken to cost 10x the compute and move 10x the floats.")
    print()
    print("| network | floats per round | global batch | " + " | ".join(f"{e} executors" for e in executor_counts)
          + " | best executor count (speed-up) |")
    print("|---|---|---|" + "---|" * (len(executor_counts) + 1))
    for name, compute_ms, floats in models:
        if floats not in fits:
            print(f"| {name} | {floats:,} | (no round measured at this size) |")
            continue
        a, b = fits[floats]
        for batch in batches:
            def speedup(executors):
                round_ms = compute_ms * batch / executors + a + b * executors
                return compute_ms * batch / round_ms
            best = max(1, round(math.sqrt(compute_ms * batch / b))) if b > 0 else max(executor_counts)
            cells = " | ".join(f"{speedup(e):.1f}x" for e in executor_counts)
            print(f"| {name} | {floats:,} | {batch:,} | {cells} | {best} ({speedup(best):.1f}x) |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    memory_command = commands.add_parser("memory")
    memory_command.add_argument("scale")
    cost_command = commands.add_parser("cost")
    cost_command.add_argument("--rounds", required=True)
    cost_command.add_argument("--wstep", required=True)
    cost_command.add_argument("--batch", default="512,4096")
    cost_command.add_argument("--executors", default="1,2,8,32,128")
    args = parser.parse_args()
    if args.command == "memory":
        memory(args.scale)
    else:
        cost(args.rounds, args.wstep, [int(b) for b in args.batch.split(",")],
             [int(e) for e in args.executors.split(",")])


if __name__ == "__main__":
    main()
