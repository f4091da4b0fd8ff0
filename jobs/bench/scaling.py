#!/usr/bin/env python3
"""Tables of docs/scaling.md from the JSON lines of the benchmark commands, never typed by hand.

  scaling.py memory SCALE.jsonl
      the heap table from `scale-benchmark --json`
  scaling.py wstep WSTEP.jsonl
      the w-step table from `wstep-benchmark --json` runs
  scaling.py cost --rounds ROUNDS.jsonl --wstep WSTEP.jsonl [--batch 512,4096] [--executors 1,2,8,32,128]
      the cost model of the gradient-mode w-step: round latency fitted as a + b * partitions for every parameter
      count measured (`round-benchmark --json` on a local-cluster master), compute per sample from the single JVM
      (`wstep-benchmark --json`), and the predicted speed-up over one core at each executor count
"""
import argparse
import json
import math
import statistics
import sys

FAN_IN = 16  # results one node of the job's aggregation tree sums at most (RoundJob.FAN_IN)
LOCAL_BATCH = 128
LOCAL_STEPS = 8


def lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


def memory(path):
    rows = sorted((r for r in lines(path) if r.get("benchmark") == "scale"),
                  key=lambda r: (r["samples"], r["executors"]))
    print("| training samples | MB as floats | executors | samples per executor | driver live, median (MB) | "
          "driver live, peak | executor live, median (largest, MB) | executor live, peak (largest) | "
          "executor live, peak (mean) | readings of the driver | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['samples']:,} | {r['data_mb_as_floats']:,.0f} | {r['executors']} | "
              f"{r['samples_per_executor']:,.0f} | {r['driver_live_median_mb']:.0f} | {r['driver_live_peak_mb']:.0f} | "
              f"{r['executor_live_median_max_mb']:.0f} | {r['executor_live_peak_mb']:.0f} | "
              f"{r['executor_live_peak_mean_mb']:.0f} | {r['driver_readings']} | {r['seconds']:.0f} |")
    medians = [r["driver_live_median_mb"] for r in rows]
    peaks = [r["driver_live_peak_mb"] for r in rows]
    if rows:
        print()
        print(f"Driver live heap, median over each run's readings: {min(medians):.0f} to {max(medians):.0f} MB "
              f"({(max(medians) / min(medians) - 1) * 100:.0f}% apart); peaks {min(peaks):.0f} to {max(peaks):.0f} MB "
              f"({(max(peaks) / min(peaks) - 1) * 100:.0f}% apart).")
        slope = fit_line([(r["samples_per_executor"], r["executor_live_median_max_mb"]) for r in rows])
        print(f"Executor live heap, median, against samples per executor: {slope[0]:.0f} MB + "
              f"{slope[1] * 1024:.2f} KB per sample (a 28x28 image is 3.06 KB as floats).")


def wstep(path):
    rows = [r for r in lines(path) if r.get("benchmark") == "w-step"]
    print("| setup | batch | samples/s | ms/round | against the single JVM of the same run |")
    print("|---|---|---|---|---|")
    for r in rows:
        per_round = "" if r["ms_per_round"] is None else f"{r['ms_per_round']:.0f}"
        print(f"| {r['model']}, {r['setup']} | {r['batch']} | {r['samples_per_s']:,.0f} | {per_round} | "
              f"{r['ratio_to_single_jvm']:.2f} |")
    rate = {}
    for r in rows:
        parts = r["setup"].split(", ")
        if len(parts) == 3 and parts[1].endswith("x 1 thread(s)"):
            rate[(parts[0], parts[2], r["batch"])] = r["samples_per_s"]
    print()
    for (master, mode, batch), value in rate.items():
        one = rate.get(("local[1]", mode, batch))
        if master == "local[2]" and one:
            print(f"local[2] against local[1], {mode}, batch {batch}, one thread per task: {value / one:.2f}x")


def fit_line(points):
    """Least squares a + b x."""
    if len({x for x, _ in points}) < 2:
        sys.exit("a line needs points at two x values at least")
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
        cells = " | ".join(f"{measured[p]:,.0f}" if p in measured else "" for p in partitions)
        print(f"| {n:,} | {cells} | {a:.1f} | {b:.2f} |")
    print()

    single = [r for r in lines(wstep_path) if r.get("benchmark") == "w-step" and r["setup"].startswith("single-jvm")]
    if not single:
        sys.exit("no single-JVM line in " + wstep_path)
    rate = statistics.median(r["samples_per_s"] for r in single)  # 2 threads, taken as twice one core
    per_sample_ms = 2 * 1000 / rate
    scheduling_ms = fits[min(fits)][1]  # slope at the fewest floats: per-partition cost without vector work
    models = [("variational LeNet-5", per_sample_ms, 862_160), ("10x larger", 10 * per_sample_ms, 8_621_600)]
    print(f"Compute: {per_sample_ms:.3f} ms of one core per sample (single JVM on 2 threads, median of "
          f"{len(single)} runs: {rate:,.0f} samples/s, taken as twice one core); "
          "the 10x larger network is taken to cost 10x the compute and move 10x the floats. Per-partition cost "
          f"without vector work (the slope at {min(fits):,} floats): {scheduling_ms:.2f} ms.")
    print()
    print("Predicted speed-up of the w-step over one core, one core per executor and one partition each "
          "(depth 1 / tree: see the text):")
    print()
    print("| network | mode | batch per round | " + " | ".join(f"{e} executors" for e in executor_counts)
          + " | best executor count, depth 1 (speed-up) |")
    print("|---|---|---|" + "---|" * (len(executor_counts) + 1))
    for name, compute_ms, floats in models:
        if floats not in fits:
            sys.exit(f"no round measured at {floats:,} floats")
        a, b = fits[floats]
        if b <= 0:
            sys.exit(f"the fitted cost per partition at {floats:,} floats is not positive: measure more partitions")

        def round_ms(executors, tree):
            if not tree or executors <= FAN_IN:
                return a + b * executors
            # Assumed, not measured: Spark's treeReduce of depth 2 sums groups of about sqrt(E) results on the
            # executors, so that about E / ceil(sqrt(E)) results reach the driver; the other partitions cost
            # scheduling only, and the second level adds one more fixed latency.
            at_driver = math.ceil(executors / math.ceil(math.sqrt(executors)))
            return 2 * a + b * at_driver + scheduling_ms * (executors - at_driver)

        def cell(speedups):
            depth_one, tree = speedups
            return f"{depth_one:.1f}x" if abs(tree - depth_one) < 0.05 else f"{depth_one:.1f}x / {tree:.1f}x"

        for batch in batches:
            def gradient(executors, tree):
                return compute_ms * batch / (compute_ms * batch / executors + round_ms(executors, tree))
            best = max(1, round(math.sqrt(compute_ms * batch / b)))
            cells = " | ".join(cell((gradient(e, False), gradient(e, True))) for e in executor_counts)
            print(f"| {name} | gradient | {batch:,} | {cells} | {best} ({gradient(best, False):.1f}x) |")
        local_ms = compute_ms * LOCAL_BATCH * LOCAL_STEPS

        def average(executors, tree):
            return executors * local_ms / (local_ms + round_ms(executors, tree))
        cells = " | ".join(cell((average(e, False), average(e, True))) for e in executor_counts)
        print(f"| {name} | average, {LOCAL_STEPS} steps of {LOCAL_BATCH} | {LOCAL_BATCH * LOCAL_STEPS:,} per "
              f"executor | {cells} | |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    memory_command = commands.add_parser("memory")
    memory_command.add_argument("scale")
    wstep_command = commands.add_parser("wstep")
    wstep_command.add_argument("wstep")
    cost_command = commands.add_parser("cost")
    cost_command.add_argument("--rounds", required=True)
    cost_command.add_argument("--wstep", required=True)
    cost_command.add_argument("--batch", default="512,4096")
    cost_command.add_argument("--executors", default="1,2,8,32,128")
    args = parser.parse_args()
    if args.command == "memory":
        memory(args.scale)
    elif args.command == "wstep":
        wstep(args.wstep)
    else:
        cost(args.rounds, args.wstep, [int(b) for b in args.batch.split(",")],
             [int(e) for e in args.executors.split(",")])


if __name__ == "__main__":
    main()
