#!/usr/bin/env python3
"""Train a small CNN with batch normalisation in PyTorch and export it to ONNX: the test fixture of the ONNX import.

Trains on the built-in Fashion-MNIST sample (pipeline/src/main/resources/io/turbovbi/data/sample/: the first
10,000 training images; pixels / 255, as the engine reads them), evaluates on its 2,000 test images, and writes
into pipeline/src/test/resources/io/turbovbi/compress/:

  pytorch-cnn-bn.onnx   the trained network in inference form (opset 13), input "image" [N, 1, 28, 28], output
                        "logits" [N, 10]
  pytorch-cnn-bn.json   PyTorch's own figures, which the Java test compares with the engine's: the test accuracy
                        and the logits of the first 8 test images

The network: Conv(8, 5) BatchNorm2d ReLU MaxPool(2) Conv(16, 5) BatchNorm2d ReLU MaxPool(2) Flatten Linear(64)
BatchNorm1d ReLU Linear(10). PyTorch's exporter folds a BatchNorm2d into the Conv before it; the BatchNorm1d stays
a BatchNormalization node after a Gemm, which the importer folds itself.

Needs python3-torch (Debian) only. Seeded; one thread, so a rerun on the same PyTorch gives the same file.
Usage: /usr/bin/python3 pipeline/tools/make_onnx_fixture.py [--epochs 3] [--out DIR]
"""

import argparse
import gzip
import json
import os
import struct

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "src", "main", "resources", "io", "turbovbi", "data", "sample")
DEFAULT_OUT = os.path.join(HERE, "..", "src", "test", "resources", "io", "turbovbi", "compress")
NAME = "pytorch-cnn-bn"
LOGITS_KEPT = 8


def read_images(path):
    with gzip.open(path, "rb") as f:
        magic, count, rows, columns = struct.unpack(">IIII", f.read(16))
        assert magic == 0x00000803, hex(magic)
        pixels = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8)
    return pixels.reshape(count, 1, rows, columns).float() / 255.0


def read_labels(path):
    with gzip.open(path, "rb") as f:
        magic, count = struct.unpack(">II", f.read(8))
        assert magic == 0x00000801, hex(magic)
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).long()


def network():
    return nn.Sequential(
        nn.Conv2d(1, 8, 5), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 10))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(1)
    train_x = read_images(os.path.join(SAMPLE, "train-images-idx3-ubyte.gz"))
    train_y = read_labels(os.path.join(SAMPLE, "train-labels-idx1-ubyte.gz"))
    test_x = read_images(os.path.join(SAMPLE, "t10k-images-idx3-ubyte.gz"))
    test_y = read_labels(os.path.join(SAMPLE, "t10k-labels-idx1-ubyte.gz"))

    model = network()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(train_x))
        for start in range(0, len(order), 128):
            batch = order[start:start + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[batch]), train_y[batch])
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: last batch loss {loss.item():.4f}")

    model.eval()
    with torch.no_grad():
        logits = model(test_x)
    accuracy = (logits.argmax(1) == test_y).float().mean().item()
    print(f"test accuracy on the {len(test_x)} sample test images: {accuracy:.4f}")

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, NAME + ".onnx")
    torch.onnx.export(model, test_x[:1], onnx_path, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}}, opset_version=13)
    figures = {
        "producer": f"PyTorch {torch.__version__}",
        "script": "pipeline/tools/make_onnx_fixture.py",
        "epochs": args.epochs,
        "train_images": len(train_x),
        "test_images": len(test_x),
        "test_accuracy": accuracy,
        "first_test_logits": [[float(v) for v in row] for row in logits[:LOGITS_KEPT]],
    }
    with open(os.path.join(args.out, NAME + ".json"), "w") as f:
        json.dump(figures, f, indent=1)
        f.write("\n")
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path):,} bytes)")


if __name__ == "__main__":
    main()
