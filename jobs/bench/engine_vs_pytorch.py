#!/usr/bin/env python3
"""Runs the engine benchmark of this project and the same models in PyTorch side by side, case by case in one run
(our engine, then PyTorch, for every model, mode and thread count), and prints every measurement as a JSON line plus
one line per case with the ratio. Needs the built jar (mvn -DskipTests package) and Debian's python3-torch."""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.join(HERE, "..", "target", "turbovbi.jar")
TORCH_PYTHON = "/usr/bin/python3"


def run(command, env):
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default="lenet300,lenet5")
    parser.add_argument("--modes", default="deterministic,variational")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--seconds", default="5")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    for model in args.models.split(","):
        for mode in args.modes.split(","):
            for threads in args.threads.split(","):
                case = ["--models", model, "--modes", mode, "--threads", threads, "--seconds", args.seconds, "--json"]
                ours = run(["java", "--add-modules", "jdk.incubator.vector", "-jar", JAR, "benchmark"] + case, env)[0]
                peer = run([TORCH_PYTHON, os.path.join(HERE, "pytorch_engine_bench.py")] + case, env)[0]
                ratio = ours["samples_per_s"] / peer["samples_per_s"]
                summary = {"model": model, "mode": mode, "threads": int(threads),
                           "turbovbi_samples_per_s": ours["samples_per_s"],
                           "pytorch_samples_per_s": peer["samples_per_s"], "ratio": round(ratio, 3),
                           "blas": ours["blas"]}
                for row in (ours, peer, summary):
                    if args.json:
                        print(json.dumps(row), flush=True)
                if not args.json:
                    print(f"{model:9s} {mode:13s} threads {threads}: turbovbi {ours['samples_per_s']:9,.0f}  "
                          f"pytorch {peer['samples_per_s']:9,.0f}  ratio {ratio:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
