#!/usr/bin/env python3
"""Draws train.py's curves.json as PNG line plots with PIL only (no matplotlib on the CPU machine).

    /usr/bin/python3 models/plot_curves.py models/results/train_h100/curves.json --out models/results/train_h100

Writes losses.png (per-stage training loss, moving average of 10 logged points) and ablation.png (stage 3 + 4 of
the f16 decoder with vs without lower-bound guidance: HR L1 and held-out PSNR).
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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("curves")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    c = json.load(open(a.curves))
    loss_panels = []
    for name in ("stage1_vae", "stage2_restorer"):
        if name in c:
            loss_panels.append(panel([(name, c[name]["step"], smooth(c[name]["loss"]))], f"{name}: loss (MA 10)",
                                     "step", logy=True))
    abl = []
    for metric, title in (("hr_l1", "HR L1 (MA 10)"), ("grad_norm", "grad norm (MA 10)")):
        series = []
        for tag in ("guided", "unguided"):
            s3, s4 = c.get(f"stage3_{tag}"), c.get(f"stage4_{tag}")
            if not s3:
                continue
            xs = list(s3["step"]) + ([s3["step"][-1] + 1 + s for s in s4["step"]] if s4 else [])
            ys = list(s3[metric]) + (list(s4[metric]) if s4 else [])
            series.append((f"{'with' if tag == 'guided' else 'without'} guidance", xs, smooth(ys)))
        abl.append(panel(series, f"f16 decoder, stage 3 then 4: {title}", "step", logy=True))
    series = []
    for tag in ("guided", "unguided"):
        s3, s4 = c.get(f"stage3_{tag}"), c.get(f"stage4_{tag}")
        v = [(s, p) for s, p in s3["val"]] + ([(s3["step"][-1] + 1 + s, p) for s, p in s4["val"]] if s4 else [])
        v = [(s, p) for s, p in v if s > 0]   # step 0 (the f8-initialised head) is far below the rest
        series.append((f"{'with' if tag == 'guided' else 'without'} guidance", [s for s, _ in v], [p for _, p in v]))
    abl.append(panel(series, "held-out PSNR RGB (dB), stage 3 then 4", "step"))
    if "stage3_guided" in c and "active" in c["stage3_guided"]:
        s3, s4 = c["stage3_guided"], c.get("stage4_guided")
        xs = list(s3["step"]) + ([s3["step"][-1] + 1 + s for s in s4["step"]] if s4 else [])
        ys = list(s3["active"]) + (list(s4["active"]) if s4 else [])
        abl.append(panel([("patches where the bound is active", xs, smooth(ys))],
                         "guided run: fraction of patches worse than the bound", "step"))
    os.makedirs(a.out, exist_ok=True)
    grid(loss_panels).save(os.path.join(a.out, "losses.png"), optimize=True)
    grid(abl).save(os.path.join(a.out, "ablation.png"), optimize=True)
    print("wrote", os.path.join(a.out, "losses.png"), os.path.join(a.out, "ablation.png"))


if __name__ == "__main__":
    main()
