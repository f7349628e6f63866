#!/usr/bin/env python3
"""A study, not a shipped stage: what 8-bit weights and activations would buy on the CPU.

Why. The CPU budget (issue 12: within 1.5x of v1's frames/s on 2 cores) is what keeps the default model small, and the
upper bound `tiny-big` runs ~2.9x slower than v2 there. CPUs with VNNI (this project's CI machine has AVX-512 VNNI)
multiply 8-bit integers several times faster than floats, so an int8 graph might make room for a larger model.

What it does (ONNX Runtime's own static quantisation, QDQ format, as its docs recommend for CNNs on x86):
  1. calibrates the activations' ranges on LR clips of the *training* split (never the validation set);
  2. quantises the convolutions (weights int8 per output channel, activations uint8 per tensor), the rest stays fp32;
  3. scores fp32 and int8 on the validation clips (Y-PSNR against bicubic, as the tables) and times both with
     2 threads at 320x180 -> 1280x720, alternating, so the ratio is measured side by side.
The int8 graph is written beside a copy of the card (its sha256 updated), so the jar's `bench --model DIR` can time
it on the CPU machine too.

    python3 models/quantize_int8.py --model models/fastvsr-tiny --data models/.data --out /tmp/int8
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval as ev  # noqa: E402
from clips import ClipSet  # noqa: E402
from export_onnx import sha256  # noqa: E402


def calibration_reader(clips, multiple):
    from onnxruntime.quantization import CalibrationDataReader

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.items = iter(clips)

        def get_next(self):
            lo = next(self.items, None)
            if lo is None:
                return None
            h, w = lo.shape[3:]
            lo = lo[..., : h - h % multiple, : w - w % multiple]
            return {"lr": lo.numpy()}
    return Reader()


def quantise(src, dst, reader, method):
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    quantize_static(src, dst, reader, quant_format=QuantFormat.QDQ, op_types_to_quantize=["Conv"],
                    per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=getattr(CalibrationMethod, method))


def time_side_by_side(paths, shape, threads, rounds):
    import onnxruntime as ort
    sessions = {}
    for name, p in paths.items():
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        sessions[name] = ort.InferenceSession(p, so, providers=["CPUExecutionProvider"])
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    times = {n: [] for n in sessions}
    for s in sessions.values():
        s.run(["hr"], {"lr": x})   # warm-up
    for _ in range(rounds):
        for n, s in sessions.items():
            t0 = time.perf_counter()
            s.run(["hr"], {"lr": x})
            times[n].append(time.perf_counter() - t0)
    frames = shape[2]
    return {n: {"fps_median": frames / statistics.median(ts), "seconds": ts} for n, ts in times.items()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="an exported model folder (model.onnx + model.json)")
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--calib-clips", type=int, default=24)
    ap.add_argument("--method", default="MinMax", help="ORT CalibrationMethod: MinMax | Percentile | Entropy")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--val-clips", type=int, default=0, help="0 = all")
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    card = json.load(open(os.path.join(a.model, "model.json")))
    mult = card["input"]["multipleOf"]
    cpu = torch.device("cpu")
    train = ClipSet(a.data, "train", cpu, a.calib_clips)
    calib = [lo for _, lo, _ in train.whole(8)]
    fp32 = os.path.join(a.model, card["files"]["onnx"])
    int8 = os.path.join(a.out, "model.onnx")
    t0 = time.time()
    quantise(fp32, int8, calibration_reader(calib, mult), a.method)
    report = {"model": a.model, "method": a.method, "calib_clips": len(calib), "quantise_seconds": time.time() - t0,
              "bytes": {"fp32": os.path.getsize(fp32), "int8": os.path.getsize(int8)}}
    card["files"] = {"onnx": "model.onnx", "sha256": sha256(int8)}
    card["quantised"] = {"from": card.get("version"), "weights": "int8 per channel", "activations": "uint8",
                         "ops": ["Conv"], "calibration": f"{len(calib)} training clips, {a.method}"}
    json.dump(card, open(os.path.join(a.out, "model.json"), "w"), indent=2)
    if os.path.isdir(os.path.join(a.model, "parity")):
        shutil.copytree(os.path.join(a.model, "parity"), os.path.join(a.out, "parity"), dirs_exist_ok=True)

    val = ClipSet(a.data, "val", cpu, a.val_clips).whole(8)
    res = ev.evaluate_clips({"bicubic": ev.interp("bicubic"), "fp32": ev.onnx_method(fp32),
                             "int8": ev.onnx_method(int8)}, val)
    report["eval"] = res
    report["table"] = ev.table(res, f"val: {len(val)} clips, fp32 vs int8 (ONNX Runtime CPU)")
    h = 180 + (-180) % mult
    report["speed"] = time_side_by_side({"fp32": fp32, "int8": int8}, (1, 3, 8, h, 320), a.threads, a.rounds)
    report["speed"]["ratio_int8_over_fp32"] = (report["speed"]["int8"]["fps_median"]
                                               / report["speed"]["fp32"]["fps_median"])
    report["cpu"] = open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0].strip(": \t") \
        if os.path.exists("/proc/cpuinfo") else "?"
    json.dump(report, open(os.path.join(a.out, "int8_report.json"), "w"), indent=2)
    print(report["table"])
    print(json.dumps({k: report["speed"][k] if k.startswith("ratio") else report["speed"][k]["fps_median"]
                      for k in report["speed"]}), report["cpu"])


if __name__ == "__main__":
    main()
