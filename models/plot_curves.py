#!/usr/bin/env python3
"""Draws train.py's curves.json as PNG line plots with PIL only (no matplotlib on the CPU machine).

    /usr/bin/python3 models/plot_curves.py R/main/curves.json R/unguided/curves.json R/olddata/curves.json \
        --labels "shipped (guided)","guidance off","old data" --out models/results/train_h200

Writes losses.png (stages 1-2 of the first run, moving average of 10 logged points) and ablation.png (stages 3 + 4
of every run: HR L1, grad norm, validation PSNR, and where the lower bound is active).
"""
import argparse
import json
import os

import numpy as np
from PIL import Image, ImageDraw

COLOURS = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189)]


def smooth(v, k=10):
    v = np.asarray(v, float)
    if len(v) < k:
        return v
    c = np.cumsum(np.insert(v, 0, 0.0))
    return np.concatenate([v[:k - 1], (c[k:] - c[:-k]) / k])


def panel(series, title, xlabel, size=(560, 360), logy=False):
    """series: list of (label, xs, ys). Returns a PIL image."""
    w, h = size
    im = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(im)
    left, right, top, bottom = 60, 10, 28, 40
    xs = np.concatenate([np.asarray(s[1], float) for s in series])
    ys = np.concatenate([np.asarray(s[2], float) for s in series])
    if logy:
        ys = np.log10(np.maximum(ys, 1e-8))
    x0, x1 = xs.min(), xs.max() if xs.max() > xs.min() else xs.min() + 1
    lo, hi = np.percentile(ys, 1), np.percentile(ys, 99.5)
    pad = 0.05 * (hi - lo + 1e-9)
    lo, hi = lo - pad, hi + pad
    X = lambda x: left + (x - x0) / (x1 - x0) * (w - left - right)  # noqa: E731
    Y = lambda y: top + (hi - np.clip(y, lo, hi)) / (hi - lo) * (h - top - bottom)  # noqa: E731
    d.rectangle([left, top, w - right, h - bottom], outline="black")
    for i in range(5):
        yv = lo + (hi - lo) * i / 4
        d.line([left - 4, Y(yv), left, Y(yv)], fill="black")
        d.text((2, Y(yv) - 6), f"{10 ** yv:.3g}" if logy else f"{yv:.3g}", fill="black")
        xv = x0 + (x1 - x0) * i / 4
        d.text((X(xv) - 12, h - bottom + 4), f"{xv:.0f}", fill="black")
    d.text((left, 6), title, fill="black")
    d.text((w // 2 - 20, h - 16), xlabel, fill="black")
    for k, (label, sx, sy) in enumerate(series):
        sy = np.asarray(sy, float)
        if logy:
            sy = np.log10(np.maximum(sy, 1e-8))
        pts = [(X(a), Y(b)) for a, b in zip(sx, sy)]
        col = COLOURS[k % len(COLOURS)]
        if len(pts) > 1:
            d.line(pts, fill=col, width=2)
        d.text((w - right - 230, top + 6 + 14 * k), label, fill=col)
    return im


def grid(images, cols=2):
    w, h = images[0].size
    rows = (len(images) + cols - 1) // cols
    out = Image.new("RGB", (cols * w, rows * h), "white")
    for i, im in enumerate(images):
        out.paste(im, ((i % cols) * w, (i // cols) * h))
    return out


def joined(c, metric):
    """Stage 3 then stage 4 of one run as one series (stage 4's steps continue stage 3's)."""
    s3, s4 = c.get("stage3"), c.get("stage4")
    if not s3 or metric not in s3:
        return [], []
    if metric == "val":
        v = list(s3["val"]) + ([(s3["step"][-1] + 1 + st, p) for st, p in s4["val"]] if s4 else [])
        return [st for st, _ in v], [p for _, p in v]
    xs = list(s3["step"]) + ([s3["step"][-1] + 1 + st for st in s4["step"]] if s4 else [])
    return xs, list(s3[metric]) + (list(s4[metric]) if s4 else [])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("curves", nargs="+", help="curves.json of each run; the first is the shipped run")
    ap.add_argument("--labels", default=None, help="comma-separated, one per run (default: the folder names)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    runs = [json.load(open(p)) for p in a.curves]
    labels = a.labels.split(",") if a.labels else [os.path.basename(os.path.dirname(p)) for p in a.curves]
    loss_panels = []
    for name in ("stage1_vae", "stage2_restorer"):
        if name in runs[0]:
            c = runs[0][name]
            loss_panels.append(panel([(name, c["step"], smooth(c["loss"]))], f"{name}: loss (MA 10)", "step",
                                     logy=True))
    abl = []
    for metric, title in (("hr_l1", "HR L1 (MA 10)"), ("grad_norm", "grad norm (MA 10)")):
        series = [(lab, *joined(c, metric)) for lab, c in zip(labels, runs)]
        abl.append(panel([(lab, x, smooth(y)) for lab, x, y in series if x], f"stage 3 then 4: {title}", "step",
                         logy=True))
    series = [(lab, *joined(c, "val")) for lab, c in zip(labels, runs)]
    abl.append(panel([s for s in series if s[1]], "validation PSNR RGB (dB), stage 3 then 4 (step 0 = bicubic)", "step"))
    x, y = joined(runs[0], "active")
    if x:
        abl.append(panel([("patches where the bound is active", x, smooth(y))],
                         f"{labels[0]}: fraction of patches worse than the bound", "step"))
    os.makedirs(a.out, exist_ok=True)
    grid(loss_panels).save(os.path.join(a.out, "losses.png"), optimize=True)
    grid(abl).save(os.path.join(a.out, "ablation.png"), optimize=True)
    print("wrote", os.path.join(a.out, "losses.png"), os.path.join(a.out, "ablation.png"))


if __name__ == "__main__":
    main()
