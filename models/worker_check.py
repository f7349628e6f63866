#!/usr/bin/env python3
"""The model through the worker, judged by ffmpeg alone: the jar's `upscale` on delivered validation clips, against
ffmpeg's own bicubic, both scored by ffmpeg's psnr filter (Y) against the true HR frames.

    /usr/bin/python3 models/worker_check.py --data models/.data --jar target/fastvsr-worker.jar --out /tmp/wc

For one clip of each validation photo (the LR file exactly as delivered, H.264/HEVC):
  ref.mkv       the HR frames (Pillow's render of the camera path), FFV1 yuv420p: lossless in the psnr filter's space
  bicubic.mkv   ffmpeg -vf scale=WxH:flags=bicubic of the LR file, FFV1 (lossless: bicubic at its best)
  worker.mp4    java -jar JAR upscale LR worker.mp4, default settings (openh264 at the default bits per pixel)
  nearlossless.mkv  the same upscale coded VP9 at CRF 0 (~70 bits per pixel; within 0.03 dB of the model's frames
                converted by the ffmpeg CLI on the cleanest clip), to see what the default encode costs. Not openh264
                at a high bitrate: openh264 does not quantise finer than its floor whatever bitrate it is given (the
                same bytes at 3.7 and at 100 Mbit/s), so its "high rate" is its default
With --frames N, each clip is rendered anew for N frames along its own camera path (the same total travel, zoom and
turn, so slower per frame; the same degradation, delivered again) instead of the dataset's 8: segments in production
are seconds long, and a rate control could need frames to settle. check.json keeps each frame's PSNR.
Writes check.json and check.md under --out.
"""
import argparse
import json
import os
import re
import subprocess
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import degrade as D  # noqa: E402


def psnr_y(a, b, stats):
    """ffmpeg's PSNR of Y over the clip, and each frame's (a list; ffmpeg writes them to the file `stats`)."""
    r = subprocess.run(["ffmpeg", "-hide_banner", "-i", a, "-i", b, "-lavfi", f"[0:v][1:v]psnr=stats_file={stats}",
                        "-f", "null", "-"], stderr=subprocess.PIPE, check=True).stderr.decode()
    return (float(re.findall(r"PSNR y:([0-9.inf]+)", r)[-1]),
            [float(m) for m in re.findall(r"psnr_y:([0-9.inf]+)", open(stats).read())])


def longer_clip(img, clip, size, frames, lr_path):
    """The clip's camera path stretched to `frames` frames (per-frame motion scaled so the whole path covers what the
    dataset's clip covered) and delivered as the dataset delivered it -> the HR frames, uint8 [T, h, w, 3]."""
    k = (clip["T"] - 1) / (frames - 1)
    motion = {key: v * k if key in ("vx", "vy", "zoom_rate", "rot_rate") else v
              for key, v in clip["motion"].items() if key not in ("cx0", "cy0")}
    rng = np.random.default_rng(clip["degradation"]["seed"])
    affines, _ = D.camera_affines(img.size, frames, size, rng, motion)
    hr = D.render_pil(img, affines, size)
    D.deliver(torch.from_numpy(hr).permute(0, 3, 1, 2).float() / 255.0, clip["degradation"], lr_path)
    return hr


def ffv1(frames, path):
    T, h, w, _ = frames.shape
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", "25",
                    "-i", "-", "-c:v", "ffv1", "-pix_fmt", "yuv420p", path], input=frames.tobytes(), check=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="models/.data")
    ap.add_argument("--split", default="val")
    ap.add_argument("--jar", default="target/fastvsr-worker.jar")
    ap.add_argument("--model", default="models/fastvsr-tiny")
    ap.add_argument("--clips", type=int, default=11, help="one clip per photo, at most this many photos")
    ap.add_argument("--frames", type=int, default=0, help="render each clip anew for this many frames (default: the "
                    "dataset's clip as delivered)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    index = json.load(open(os.path.join(a.data, "index.json")))
    h, w = index["splits"][a.split]["hr"]
    seen, rows = set(), []
    cols = ("bicubic.mkv", "worker.mp4", "nearlossless.mkv")
    env = dict(os.environ, OPT_OUT_TRACKING="true", SVT_LOG="1")
    for c in index["clips"][a.split]:
        if c["photo"] in seen or len(seen) >= a.clips:
            continue
        seen.add(c["photo"])
        d = os.path.join(a.out, c["id"])
        os.makedirs(d, exist_ok=True)
        img = Image.open(os.path.join(a.data, index["photos"][c["photo"]]["file"])).convert("RGB")
        if a.frames:
            lr = os.path.join(d, "lr.mp4")
            ffv1(longer_clip(img, c, (h, w), a.frames, lr), os.path.join(d, "ref.mkv"))
        else:
            lr = os.path.join(a.data, c["file"])
            ffv1(D.render_pil(img, c["affines"], (h, w)), os.path.join(d, "ref.mkv"))
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", lr, "-vf", f"scale={w}:{h}:flags=bicubic", "-c:v", "ffv1",
                        "-pix_fmt", "yuv420p", os.path.join(d, "bicubic.mkv")], check=True)
        for name, extra in (("worker.mp4", []), ("nearlossless.mkv", ["--codec", "vp9", "--crf", "0"])):
            subprocess.run(["java", "-Dai.djl.offline=true", "-jar", a.jar, "upscale", "--model", a.model, *extra, lr,
                            os.path.join(d, name)], check=True, env=env, stdout=subprocess.DEVNULL)
        row = {"clip": c["id"], "degradation": f"{c['degradation']['down']} {c['degradation']['codec']} crf "
                                                f"{c['degradation']['crf']}"}
        for name in cols:
            row[name], row[name + " by frame"] = psnr_y(os.path.join(d, name), os.path.join(d, "ref.mkv"),
                                                         os.path.join(d, name + ".psnr.txt"))
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if not k.endswith("by frame")}), flush=True)
    mean = {k: float(np.mean([r[k] for r in rows])) for k in cols}
    md = ["| clip | delivered as | ffmpeg bicubic | worker (default encode) | worker (VP9 CRF 0) | default encode costs |",
          "|---|---|---|---|---|---|"]
    md += [f"| {r['clip']} | {r['degradation']} | {r['bicubic.mkv']:.2f} | {r['worker.mp4']:.2f} | "
           f"{r['nearlossless.mkv']:.2f} | {r['nearlossless.mkv'] - r['worker.mp4']:.2f} |" for r in rows]
    md.append(f"| **mean** | | **{mean['bicubic.mkv']:.2f}** | **{mean['worker.mp4']:.2f}** | "
              f"**{mean['nearlossless.mkv']:.2f}** | **{mean['nearlossless.mkv'] - mean['worker.mp4']:.2f}** |")
    open(os.path.join(a.out, "check.md"), "w").write("\n".join(md) + "\n")
    json.dump({"rows": rows, "mean": mean}, open(os.path.join(a.out, "check.json"), "w"), indent=2)
    print("\n".join(md))
    return mean


if __name__ == "__main__":
    main()
