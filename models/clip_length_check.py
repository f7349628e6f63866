#!/usr/bin/env python3
"""How long the worker's clips should be: the jar's `upscale` with model cards that differ only in `clip.frames`
(and `clip.overlap`), on longer delivered pans of the validation photos, judged by ffmpeg's psnr filter (Y).

    /usr/bin/python3 models/clip_length_check.py --data models/.data --jar target/fastvsr-worker.jar \\
        --clips 8/2,16/2 --frames 40 --out /tmp/clipcheck

Why: the model was trained on 8-frame clips, and the card's 8 frames with 2 of overlap make every clip compute 8
frames for 6 new ones (a quarter of the model's work is repeated). Longer clips repeat less, but the restorer's
temporal attention then spans more frames than it was trained on. This measures what that costs, through the worker.

For each validation photo: one pan of --frames frames (the first validation clip's camera motion, rendered longer),
delivered with that clip's degradation (camera-like x4 downscale, H.264/HEVC at its CRF) as an LR file; the HR
frames as FFV1 yuv420p; then `upscale --bitrate 100000000` (near lossless, so that the encoder's noise does not hide
a difference) with a copy of --model whose card has each clip setting. Writes clips.json and clips.md under --out.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import degrade as D  # noqa: E402
from worker_check import ffv1, psnr_y  # noqa: E402


def card_variant(model_dir, frames, overlap, out):
    """A copy of the model folder whose card runs clips of `frames` sharing `overlap` (the weights are the same)."""
    dst = os.path.join(out, f"model-{frames}-{overlap}")
    if not os.path.isdir(dst):
        shutil.copytree(model_dir, dst)
    card = json.load(open(os.path.join(dst, "model.json")))
    card["clip"] = {"frames": frames, "overlap": overlap}
    json.dump(card, open(os.path.join(dst, "model.json"), "w"), indent=2)
    return dst


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="models/.data")
    ap.add_argument("--jar", default="target/fastvsr-worker.jar")
    ap.add_argument("--model", default="models/fastvsr-tiny")
    ap.add_argument("--clips", default="8/2,16/2", help="card clip settings to compare, frames/overlap")
    ap.add_argument("--frames", type=int, default=40)
    ap.add_argument("--photos", type=int, default=11)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    settings = [tuple(int(v) for v in s.split("/")) for s in a.clips.split(",")]
    models = {f"{f}/{o}": card_variant(a.model, f, o, a.out) for f, o in settings}
    index = json.load(open(os.path.join(a.data, "index.json")))
    h, w = index["splits"]["val"]["hr"]
    env = dict(os.environ, OPT_OUT_TRACKING="true", SVT_LOG="1")
    seen, rows = set(), []
    for c in index["clips"]["val"]:
        if c["photo"] in seen or len(seen) >= a.photos:
            continue
        seen.add(c["photo"])
        d = os.path.join(a.out, c["photo"])
        os.makedirs(d, exist_ok=True)
        img = Image.open(os.path.join(a.data, index["photos"][c["photo"]]["file"])).convert("RGB")
        motion = {k: v for k, v in c["motion"].items() if k not in ("cx0", "cy0")}
        for k in ("zoom_rate", "rot_rate"):         # the same zoom and rotation ramps as the 8-frame clip, spread out
            motion[k] *= (c["T"] - 1) / (a.frames - 1)
        hr, used = D.camera_clip(img, a.frames, (h, w), np.random.default_rng(0), motion)
        ffv1(hr, os.path.join(d, "ref.mkv"))
        lr = os.path.join(d, "lr.mp4")
        D.deliver(torch.from_numpy(hr).permute(0, 3, 1, 2).float() / 255, c["degradation"], lr)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", lr, "-vf", f"scale={w}:{h}:flags=bicubic", "-c:v", "ffv1",
                        "-pix_fmt", "yuv420p", os.path.join(d, "bicubic.mkv")], check=True)
        row = {"photo": c["photo"], "pan_px_per_frame": round(float(np.hypot(used["vx"], used["vy"])), 2),
               "bicubic": psnr_y(os.path.join(d, "bicubic.mkv"), os.path.join(d, "ref.mkv"))}
        for name, model in models.items():
            out = os.path.join(d, f"clip{name.replace('/', '-')}.mp4")
            subprocess.run(["java", "-Dai.djl.offline=true", "-jar", a.jar, "upscale", "--model", model, "--bitrate",
                            "100000000", lr, out], check=True, env=env, stdout=subprocess.DEVNULL)
            row[name] = psnr_y(out, os.path.join(d, "ref.mkv"))
        rows.append(row)
        print(json.dumps(row), flush=True)
    keys = ["bicubic"] + list(models)
    mean = {k: float(np.mean([r[k] for r in rows])) for k in keys}
    md = ["| photo | " + " | ".join(f"clips {k}" if k != "bicubic" else "ffmpeg bicubic" for k in keys) + " |",
          "|---" * (len(keys) + 1) + "|"]
    md += [f"| {r['photo']} | " + " | ".join(f"{r[k]:.2f}" for k in keys) + " |" for r in rows]
    md.append("| **mean** | " + " | ".join(f"**{mean[k]:.2f}**" for k in keys) + " |")
    open(os.path.join(a.out, "clips.md"), "w").write("\n".join(md) + "\n")
    json.dump({"frames": a.frames, "rows": rows, "mean": mean}, open(os.path.join(a.out, "clips.json"), "w"), indent=2)
    print("\n".join(md))
    return mean


if __name__ == "__main__":
    main()
