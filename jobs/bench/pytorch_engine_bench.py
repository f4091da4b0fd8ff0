#!/usr/bin/env python3
"""Training throughput of LeNet-300-100 and LeNet-5-Caffe in PyTorch on the CPU, deterministic and variational
(local reparameterisation trick + KL to a per-weight Gaussian prior), on the project's built-in Fashion-MNIST sample:
the peer of `turbovbi.jar benchmark`. Prints one JSON object per line with --json."""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "pipeline", "src", "main",
                      "resources", "io", "turbovbi", "data", "sample")


def read_idx(name, offset):
    with gzip.open(os.path.join(SAMPLE, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


class VLinear(nn.Module):
    def __init__(self, fan_in, fan_out):
        super().__init__()
        self.mu = nn.Parameter(torch.randn(fan_out, fan_in) * (2.0 / fan_in) ** 0.5)
        self.logvar = nn.Parameter(torch.full((fan_out, fan_in), -10.0))
        self.bias = nn.Parameter(torch.zeros(fan_out))

    def forward(self, x):
        m = F.linear(x, self.mu, self.bias)
        v = F.linear(x * x, self.logvar.exp())
        return m + v.sqrt() * torch.randn_like(m)


class VConv(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.mu = nn.Parameter(torch.randn(cout, cin, k, k) * (2.0 / (cin * k * k)) ** 0.5)
        self.logvar = nn.Parameter(torch.full((cout, cin, k, k), -10.0))
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x):
        m = F.conv2d(x, self.mu, self.bias)
        v = F.conv2d(x * x, self.logvar.exp())
        return m + v.sqrt() * torch.randn_like(m)


def build(model, variational):
    lin = VLinear if variational else nn.Linear
    conv = VConv if variational else nn.Conv2d
    if model == "lenet300":
        return nn.Sequential(nn.Flatten(), lin(784, 300), nn.ReLU(), lin(300, 100), nn.ReLU(), lin(100, 10)), 266200
    return nn.Sequential(conv(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2), conv(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), lin(800, 500), nn.ReLU(), lin(500, 10)), 430500


def kl(net):
    total = 0.0
    for m in net.modules():
        if isinstance(m, (VLinear, VConv)):
            total = total + 0.5 * (m.mu.pow(2) + m.logvar.exp() - 1 - m.logvar).sum()
    return total


def measure(model, mode, threads, batch, seconds, warmup, x, y):
    torch.manual_seed(1)
    torch.set_num_threads(threads)
    variational = mode == "variational"
    net, _ = build(model, variational)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    n = x.shape[0]
    steps = n // batch

    def step(i):
        lo = (i % steps) * batch
        xb, yb = x[lo:lo + batch], y[lo:lo + batch]
        opt.zero_grad()
        loss = F.cross_entropy(net(xb), yb)
        if variational:
            loss = loss + kl(net) / n
        loss.backward()
        opt.step()
        with torch.no_grad():
            for m in net.modules():
                if isinstance(m, (VLinear, VConv)):
                    m.logvar.clamp_(max=-8.0)

    i = 0
    warm_end = time.perf_counter() + warmup
    while time.perf_counter() < warm_end:
        step(i)
        i += 1
    start = time.perf_counter()
    samples = 0
    while time.perf_counter() < start + seconds:
        step(i)
        i += 1
        samples += batch
    elapsed = time.perf_counter() - start
    return samples / elapsed, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default="lenet300,lenet5")
    parser.add_argument("--modes", default="deterministic,variational")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, help="seconds of steps before timing (default: min(2, seconds/2))")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    x = torch.tensor(read_idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    y = torch.tensor(read_idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    for model in args.models.split(","):
        for mode in args.modes.split(","):
            for threads in [int(t) for t in args.threads.split(",")]:
                warmup = args.warmup if args.warmup is not None else min(2.0, args.seconds / 2)
                rate, elapsed = measure(model, mode, threads, args.batch, args.seconds, warmup, x, y)
                row = {"engine": "pytorch", "model": model, "mode": mode, "threads": threads, "batch": args.batch,
                       "samples_per_s": round(rate, 1), "torch": torch.__version__, "seconds": round(elapsed, 2)}
                print(json.dumps(row) if args.json else
                      f"{model:9s} {mode:13s} threads {threads}  {rate:10,.0f} samples/s", flush=True)


if __name__ == "__main__":
    main()
