#!/usr/bin/env python3
"""Builds the reference x4 model: plain bilinear upscaling written directly in ONNX.

Why it exists: the worker's plumbing (clips, tiles, colour, encode) must be testable against an output that a
test can recompute on its own, bit for bit. Bilinear with half-pixel centres and edge clamping is simple to
recompute in any language, unlike a learned model. Cubic Resize is avoided on purpose: ONNX Runtime runs it an
order of magnitude slower.

Contract (docs/contracts.md, "Model card"): input `lr` [1,3,T,H,W] RGB in [0,1], output `hr` [1,3,T,4H,4W] in [0,1].
Usage: /usr/bin/python3 make_reference.py [outdir]   (needs only Debian's python3-onnx)
"""
import hashlib
import json
import os
import sys

import onnx
from onnx import TensorProto, helper

SCALE = 4


def build_graph():
    lr = helper.make_tensor_value_info("lr", TensorProto.FLOAT, [1, 3, "T", "H", "W"])
    hr = helper.make_tensor_value_info("hr", TensorProto.FLOAT, [1, 3, "T", "H4", "W4"])
    # Resize's 'scales' input upsamples only H and W; T and channels stay.
    roi = helper.make_tensor("roi", TensorProto.FLOAT, [0], [])
    scales = helper.make_tensor("scales", TensorProto.FLOAT, [5], [1.0, 1.0, 1.0, float(SCALE), float(SCALE)])
    resize = helper.make_node(
        "Resize", ["lr", "roi", "scales"], ["up"],
        mode="linear", coordinate_transformation_mode="half_pixel")
    # Bilinear of values in [0,1] stays in [0,1]; the Clip documents the output range and guards rounding.
    lo = helper.make_tensor("lo", TensorProto.FLOAT, [], [0.0])
    hi = helper.make_tensor("hi", TensorProto.FLOAT, [], [1.0])
    clip = helper.make_node("Clip", ["up", "lo", "hi"], ["hr"])
    graph = helper.make_graph([resize, clip], "reference_bilinear_x4", [lr], [hr], [roi, scales, lo, hi])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="fastvsr-worker")
    model.ir_version = 8  # readable by ONNX Runtime 1.21 (DJL 0.38)
    onnx.checker.check_model(model)
    return model


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(out, "model.onnx")
    onnx.save(build_graph(), path)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    card = {
        "name": "reference-x4",
        "version": "1",
        "architecture": "bilinear",
        "scale": SCALE,
        "input": {"name": "lr", "layout": "NCTHW", "range": [0, 1], "colour": "RGB", "multipleOf": 1},
        "output": {"name": "hr", "layout": "NCTHW", "range": [0, 1]},
        "clip": {"frames": 1, "overlap": 0},
        "tile": {"size": 0, "overlap": 0},
        "files": {"onnx": "model.onnx", "sha256": digest},
        "training": "none: fixed bilinear x4 (half-pixel centres, edges clamped), built by make_reference.py",
    }
    with open(os.path.join(out, "model.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"wrote {path} sha256={digest}")


if __name__ == "__main__":
    main()
