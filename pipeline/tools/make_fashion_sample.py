#!/usr/bin/env python3
"""Make the built-in Fashion-MNIST sample of io.turbovbi.data.BuiltInSample.

Reads the full Fashion-MNIST IDX files of the Debian package dataset-fashion-mnist and writes, into
pipeline/src/main/resources/io/turbovbi/data/sample/:

  train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz   the FIRST 10,000 training images and labels
  t10k-images-idx3-ubyte.gz,  t10k-labels-idx1-ubyte.gz    the FIRST 2,000 test images and labels
  README.txt, LICENSE.txt                                   source, subset, class balance, checksums, licence

No shuffling or re-ordering: sample i of the subset is sample i of the original file. The gzip files are
written with mtime 0, no file name in the header and compression level 9, so a rerun with the same zlib gives
byte-identical files. Standard library only.

Usage: python3 pipeline/tools/make_fashion_sample.py [--source DIR] [--out DIR]
"""

import argparse
import gzip
import hashlib
import io
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = "/usr/share/datasets/fashion-mnist"
DEFAULT_OUT = os.path.join(HERE, "..", "src", "main", "resources", "io", "turbovbi", "data", "sample")

IMAGES_MAGIC = 0x00000803  # unsigned byte, 3 dimensions (count, rows, columns)
LABELS_MAGIC = 0x00000801  # unsigned byte, 1 dimension (count)
NUM_CLASSES = 10
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

# (split prefix, number of samples kept)
SUBSETS = [("train", 10_000), ("t10k", 2_000)]


def read_idx(path, magic, ndims):
    """Returns (dims, data bytes) of a gzip IDX file, checking magic, dimensions and length."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    header = 4 + 4 * ndims
    found, = struct.unpack(">I", raw[:4])
    if found != magic:
        sys.exit(f"{path}: magic 0x{found:08X}, expected 0x{magic:08X}")
    dims = struct.unpack(">" + "I" * ndims, raw[4:header])
    size = 1
    for d in dims:
        size *= d
    if len(raw) != header + size:
        sys.exit(f"{path}: header promises {size} data bytes, file holds {len(raw) - header}")
    return dims, raw[header:]


def write_idx_gz(path, magic, dims, data):
    """Writes a gzip IDX file deterministically (mtime 0, empty file name, level 9)."""
    payload = struct.pack(">I", magic) + struct.pack(">" + "I" * len(dims), *dims) + data
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    with open(path, "wb") as f:
        f.write(buf.getvalue())
    return payload


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=DEFAULT_SOURCE, help="folder of the full Fashion-MNIST .gz files")
    parser.add_argument("--out", default=DEFAULT_OUT, help="resource folder to write")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    report = []  # (split, kept, total, counts, {file: (sha256 of uncompressed, compressed size)}, source sha)
    for split, keep in SUBSETS:
        img_src = os.path.join(args.source, f"{split}-images-idx3-ubyte.gz")
        lab_src = os.path.join(args.source, f"{split}-labels-idx1-ubyte.gz")
        (n_img, rows, cols), pixels = read_idx(img_src, IMAGES_MAGIC, 3)
        (n_lab,), labels = read_idx(lab_src, LABELS_MAGIC, 1)
        if n_img != n_lab:
            sys.exit(f"{img_src}: {n_img} images but {lab_src}: {n_lab} labels")
        if keep > n_img:
            sys.exit(f"{img_src}: only {n_img} images, cannot keep {keep}")
        sub_pixels = pixels[: keep * rows * cols]
        sub_labels = labels[:keep]
        counts = [0] * NUM_CLASSES
        for label in sub_labels:
            if label >= NUM_CLASSES:
                sys.exit(f"{lab_src}: label {label} out of range")
            counts[label] += 1
        files = {}
        for name, magic, dims, data in (
                (f"{split}-images-idx3-ubyte.gz", IMAGES_MAGIC, (keep, rows, cols), sub_pixels),
                (f"{split}-labels-idx1-ubyte.gz", LABELS_MAGIC, (keep,), sub_labels)):
            out = os.path.join(args.out, name)
            payload = write_idx_gz(out, magic, dims, data)
            files[name] = (sha256(payload), os.path.getsize(out))
        source_sha = {os.path.basename(p): sha256(gzip.open(p, "rb").read()) for p in (img_src, lab_src)}
        report.append((split, keep, n_img, rows, cols, counts, files, source_sha))

    with open(os.path.join(args.out, "README.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme(report))
    with open(os.path.join(args.out, "LICENSE.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(LICENSE)

    for split, keep, total, _, _, counts, files, _ in report:
        print(f"{split}: kept {keep} of {total}; class counts {counts}")
        for name, (digest, size) in files.items():
            print(f"  {name}: {size} bytes (uncompressed sha256 {digest})")


def readme(report):
    lines = [
        "Built-in Fashion-MNIST sample of io.turbovbi.data.BuiltInSample",
        "=================================================================",
        "",
        "GENERATED by pipeline/tools/make_fashion_sample.py; do not edit by hand, rerun the script.",
        "",
        "Source: Fashion-MNIST by Zalando Research (Han Xiao, Kashif Rasul, Roland Vollgraf),",
        "https://github.com/zalandoresearch/fashion-mnist, Copyright (c) 2017 Zalando SE, MIT licence",
        "(see LICENSE.txt), taken from the Debian package dataset-fashion-mnist",
        "(version 0.0~git20200523.55506a9-1, files under /usr/share/datasets/fashion-mnist/).",
        "",
        "Subset: the FIRST samples of each original file, in their original order, nothing else changed",
        "(same IDX format, same pixels, same labels):",
        "",
    ]
    for split, keep, total, rows, cols, _, _, _ in report:
        lines.append(f"  {split}: first {keep:,} of {total:,} images ({rows}x{cols}, 1 channel) and labels")
    lines += [
        "",
        "How it was made: the script reads the Debian .gz files, checks their IDX headers, keeps the first",
        "N records, rewrites the header counts and writes gzip files with compression level 9, mtime 0 and",
        "no file name in the gzip header, so a rerun with the same zlib gives byte-identical files.",
        "",
        "Class balance (label: count). Labels: " + ", ".join(f"{i} {n}" for i, n in enumerate(CLASS_NAMES[:5])) + ",",
        "  " + ", ".join(f"{i + 5} {n}" for i, n in enumerate(CLASS_NAMES[5:])) + ".",
        "",
    ]
    for split, keep, _, _, _, counts, _, _ in report:
        lo, hi = min(counts), max(counts)
        lines.append(f"  {split} ({keep:,}): " + ", ".join(f"{i}: {c}" for i, c in enumerate(counts)))
        lines.append(f"    min {lo} ({100.0 * lo / keep:.2f}%), max {hi} ({100.0 * hi / keep:.2f}%); "
                     f"a balanced split would hold {keep // NUM_CLASSES} per class")
    lines += [
        "",
        "The prefixes are close to balanced but not exactly (the full files hold exactly 6,000 and",
        "1,000 per class): accuracy on the sample weights the classes slightly differently from the full",
        "test set.",
        "",
        "Checksums: SHA-256 of the UNCOMPRESSED IDX bytes (the Debian .gz files are recompressed, so",
        "their compressed checksums differ from the upstream README's MD5s); sizes of the .gz files here:",
        "",
    ]
    for _, _, _, _, _, _, files, source_sha in report:
        for name, (digest, size) in files.items():
            lines.append(f"  {name:28s} {size:>11,d} B {digest}")
        for name, digest in source_sha.items():
            lines.append(f"  {'(source, full) ' + name:42s} {digest}")
    lines.append("")
    return "\n".join(lines)


LICENSE = """\
The files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
t10k-labels-idx1-ubyte.gz in this folder are a subset of Fashion-MNIST
(https://github.com/zalandoresearch/fashion-mnist), distributed under the following licence:

The MIT License (MIT)

Copyright (c) 2017 Zalando SE

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

if __name__ == "__main__":
    main()
