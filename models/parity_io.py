#!/usr/bin/env python3
"""Writes a seeded random clip and PyTorch's output for it as raw float32, so another runtime can check itself.

The worker's Java tests run the exported ONNX through DJL / ONNX Runtime on `input.f32` and compare with
`expected.f32` (relative L2 error, PSNR). Both arrays are little-endian float32 in NCTHW order; `io.json` gives
their shapes.

    /usr/bin/python3 models/parity_io.py --preset tiny [--checkpoint CKPT] [--seed 0] --shape 3,24,40 --out DIR
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_onnx import load_model  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", default="tiny")
    ap.add_argument("--checkpoint")
    ap.add_argument("--seed", type=int, default=0, help="weight seed (must match the export's)")
    ap.add_argument("--input-seed", type=int, default=1)
    ap.add_argument("--shape", default="3,24,40", help="T,H,W of the LR clip")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    model = load_model(a.preset, a.checkpoint, a.seed)
    t, h, w = (int(v) for v in a.shape.split(","))
    x = torch.rand(1, 3, t, h, w, generator=torch.Generator().manual_seed(a.input_seed))
    with torch.no_grad():
        y = model(x)
    x.numpy().astype("<f4").tofile(os.path.join(a.out, "input.f32"))
    y.numpy().astype("<f4").tofile(os.path.join(a.out, "expected.f32"))
    with open(os.path.join(a.out, "io.json"), "w") as f:
        json.dump({"input": list(x.shape), "output": list(y.shape), "torch": torch.__version__}, f)
    print(json.dumps({"input": list(x.shape), "output": list(y.shape)}))


if __name__ == "__main__":
    main()
