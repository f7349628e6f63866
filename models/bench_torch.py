#!/usr/bin/env python3
"""PyTorch fp16 eager speed of a trained fastvsr-tiny on the GPU, to print beside the Java worker's numbers in the
same run (src/main/gpu/run-on-gpu.sh's FASTVSR_TORCH_BENCH):

    python3 models/bench_torch.py --checkpoint CKPT [--size 480x270] [--frames 8,16]

Output left on the GPU (as PyTorch would hand it to a GPU encoder); median of 10 after 3 warm-ups, CUDA events.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_onnx import load_model  # noqa: E402
from train import bench_fp16  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--frames", default="8,16")
    a = ap.parse_args(argv)
    torch.backends.cudnn.benchmark = True
    model = load_model("tiny", a.checkpoint, fuse=False).cuda()   # fused constants are not parameters: .half() skips them
    for t in (int(v) for v in a.frames.split(",")):
        r = bench_fp16(model, torch.device("cuda"), T=t)
        print(f"PyTorch fp16 eager, {torch.cuda.get_device_name(0)}, 480x270 -> 1920x1080, T={t}: "
              f"{r['fps']:.1f} frames/s ({r['s_per_clip_median'] * 1000:.2f} ms per clip) {json.dumps(r)}")


if __name__ == "__main__":
    main()
