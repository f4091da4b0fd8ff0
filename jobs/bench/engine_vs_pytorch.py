#!/usr/bin/env python3
"""Runs the engine benchmark of this project and the same models in PyTorch side by side, case by case in one run
(our engine, then PyTorch, for every model, mode and thread count), and prints every measurement as a JSON line plus
one line per case with the ratio (with --repeat, the median over pairs of runs). Needs the built jar
(mvn -DskipTests package) and Debian's python3-torch. With --table FILE it prints instead the README's engine table
from the JSON lines of an earlier --json run."""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.join(HERE, "..", "target", "turbovbi.jar")
TORCH_PYTHON = "/usr/bin/python3"


def busy_cpu_seconds():
    """CPU time the whole machine has spent busy since boot (/proc/stat: all but idle and iowait)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command, env):
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


MODEL_NAMES = {"lenet300": "LeNet-300-100", "lenet5": "LeNet-5-Caffe"}


def table(path):
    """The README's engine table from the summary lines (those with a ratio) of a --json run."""
    with open(path) as f:
        rows = [json.loads(line) for line in f if line.startswith("{")]
    torch_version = next(r["torch"] for r in rows if r.get("engine") == "pytorch")
    print(f"| model | mode | threads | turbovbi samples/s | PyTorch {torch_version} samples/s | ratio "
          "| other busy cores |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        if "ratio" in r:
            others = f"{r['other_busy_cores']:.2f}" if "other_busy_cores" in r else "not recorded"
            print(f"| {MODEL_NAMES.get(r['model'], r['model'])} | {r['mode']} | {r['threads']} "
                  f"| {r['turbovbi_samples_per_s']:,.0f} | {r['pytorch_samples_per_s']:,.0f} | {r['ratio']:.2f} "
                  f"| {others} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default="lenet300,lenet5")
    parser.add_argument("--modes", default="deterministic,variational")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--seconds", default="5")
    parser.add_argument("--warmup", default="2", help="seconds of steps before timing, for both engines (the JIT "
                                                      "compiles the engine's vector kernels late on a busy machine)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="pairs of runs per case, ours then PyTorch; the summary gives medians (of the pairs' "
                             "ratios for the ratio)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--table", metavar="FILE", help="print the README table from a --json run's output")
    args = parser.parse_args()
    if args.table:
        table(args.table)
        return 0
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    for model in args.models.split(","):
        for mode in args.modes.split(","):
            for threads in args.threads.split(","):
                case = ["--models", model, "--modes", mode, "--threads", threads, "--seconds", args.seconds,
                        "--warmup", args.warmup, "--json"]
                # Cores kept busy by other processes during the case (the machine is shared): busy CPU time of
                # the machine minus that of the benchmark processes, per second of the case.
                start, busy, own = time.time(), busy_cpu_seconds(), own_cpu_seconds()
                ratios, ours_rates, peer_rates = [], [], []
                for _ in range(args.repeat):
                    ours = run(["java", "--add-modules", "jdk.incubator.vector", "-jar", JAR, "benchmark"] + case,
                               env)[0]
                    peer = run([TORCH_PYTHON, os.path.join(HERE, "pytorch_engine_bench.py")] + case, env)[0]
                    ratios.append(ours["samples_per_s"] / peer["samples_per_s"])
                    ours_rates.append(ours["samples_per_s"])
                    peer_rates.append(peer["samples_per_s"])
                    if args.json:
                        print(json.dumps(ours), flush=True)
                        print(json.dumps(peer), flush=True)
                others = ((busy_cpu_seconds() - busy) - (own_cpu_seconds() - own)) / (time.time() - start)
                summary = {"model": model, "mode": mode, "threads": int(threads),
                           "turbovbi_samples_per_s": statistics.median(ours_rates),
                           "pytorch_samples_per_s": statistics.median(peer_rates),
                           "ratio": round(statistics.median(ratios), 3), "pairs": args.repeat,
                           "blas": ours["blas"], "kernels": ours["kernels"],
                           "other_busy_cores": round(max(others, 0.0), 2)}
                if args.json:
                    print(json.dumps(summary), flush=True)
                else:
                    print(f"{model:9s} {mode:13s} threads {threads}: "
                          f"turbovbi {summary['turbovbi_samples_per_s']:9,.0f}  "
                          f"pytorch {summary['pytorch_samples_per_s']:9,.0f}  ratio {summary['ratio']:.2f}  "
                          f"other busy cores {summary['other_busy_cores']:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
