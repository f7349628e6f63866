#!/usr/bin/env python3
"""Builds the training/validation pseudo-video set from the photos that two Debian packages ship (see DATA.md).

    apt-get download plasma-workspace-wallpapers gnome-backgrounds      # in an empty folder, e.g. /tmp/dl
    for f in /tmp/dl/*.deb; do dpkg -x "$f" /tmp/dl/x; done
    /usr/bin/python3 models/prepare_data.py --root /tmp/dl/x --out models/.data

Whole photos are held out for validation (VAL_PHOTOS); training never sees a crop of them. Each clip: a camera
path over one photo (degrade.camera_clip) -> HR frames, then the degradation chain (degrade.degrade_clip, with
ffmpeg's libx264 for the H.264 step) -> LR frames. Output (one file per split, so the set travels in one piece):

    train.npz / val.npz:  lr uint8 [N, T, h, w, 3];  hr_jpeg uint8 (concatenated JPEG files), hr_off int64 [N*T+1];
                          hr_shape [T, H, W]; meta.json: per clip its photo, motion and degradation parameters.

HR frames are stored as JPEG 4:4:4 (train q90, val q97) to fit the set in <= 60 MiB; the LR frames are the exact
degraded uint8 frames.
"""
import argparse
import glob
import io
import json
import os
import time
from multiprocessing import Pool

import numpy as np
from PIL import Image

import degrade as D

# real photographs in plasma-workspace-wallpapers 5.27 (the others are digital artwork; see DATA.md)
PHOTOS = ["BytheWater", "ColdRipple", "ColorfulCups", "DarkestHour", "EveningGlow", "FallenLeaf", "Grey", "Kite",
          "OneStandsOut", "Path", "summer_1am"]
VAL_PHOTOS = ["EveningGlow", "Path", "ColorfulCups"]
SKIP = {"vnc-d", "vnc-l", "symbolic-d", "symbolic-l"}      # flat colour fields


def list_sources(root):
    """{name: path of the largest image} for every wallpaper/background in the two packages."""
    best = {}
    for f in glob.glob(os.path.join(root, "usr/share/wallpapers/*/contents/images*/*")) + \
            glob.glob(os.path.join(root, "usr/share/backgrounds/gnome/*")):
        if not f.lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
            continue
        name = f.split(os.sep)[-4] if "/wallpapers/" in f else os.path.splitext(os.path.basename(f))[0]
        if "images_dark" in f:
            name += "-dark"
        if name in SKIP:
            continue
        with Image.open(f) as im:
            px = im.size[0] * im.size[1]
        if name not in best or px > best[name][1]:
            best[name] = (f, px)
    return {k: v[0] for k, v in sorted(best.items())}


def detail(frame):
    g = frame.astype(np.float32).mean(-1)
    return float(np.abs(np.diff(g, axis=0)).mean() + np.abs(np.diff(g, axis=1)).mean())


def make_clip(job):
    path, name, T, size, seed, min_detail, tries = job
    rng = np.random.default_rng(seed)
    img = Image.open(path).convert("RGB")
    img = D.reduce_photo(img, int(rng.integers(1100, 1500)))
    best = None
    for _ in range(tries):  # a few candidate camera paths; keep the most detailed (skies waste training time)
        hr, motion = D.camera_clip(img, T, size, rng)
        d = detail(hr[0])
        if best is None or d > best[0]:
            best = (d, hr, motion)
        if d >= min_detail:
            break
    _, hr, motion = best
    params = D.sample_degradation(rng)
    lr, applied = D.degrade_clip(hr, params)
    return name, hr, lr, {"photo": name, "motion": motion, "degradation": applied, "seed": seed}


def pack(results, quality):
    lr = np.stack([r[2] for r in results])
    blobs, off = [], [0]
    for r in results:
        for f in r[1]:
            b = io.BytesIO()
            Image.fromarray(f).save(b, "JPEG", quality=quality, subsampling=0)
            blobs.append(np.frombuffer(b.getvalue(), np.uint8))
            off.append(off[-1] + len(blobs[-1]))
    return {"lr": lr, "hr_jpeg": np.concatenate(blobs), "hr_off": np.array(off, np.int64),
            "hr_shape": np.array(results[0][1].shape[:3], np.int64)}


def load_split(path):
    """-> hr uint8 [N, T, H, W, 3], lr uint8 [N, T, h, w, 3], meta list (decodes the JPEGs)."""
    z = np.load(path)
    T, H, W = (int(v) for v in z["hr_shape"])
    lr = z["lr"]
    blob, off = z["hr_jpeg"], z["hr_off"]
    hr = np.empty((lr.shape[0], T, H, W, 3), np.uint8)
    for i in range(lr.shape[0] * T):
        hr[i // T, i % T] = np.asarray(Image.open(io.BytesIO(blob[off[i]:off[i + 1]].tobytes())).convert("RGB"))
    meta_path = os.path.join(os.path.dirname(path), os.path.basename(path).replace(".npz", "_meta.json"))
    meta = json.load(open(meta_path)) if os.path.exists(meta_path) else None
    return hr, lr, meta


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", required=True, help="folder the two .deb packages were dpkg -x'ed into")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--train-T", type=int, default=6)
    ap.add_argument("--train-size", default="256,256")
    ap.add_argument("--photo-clips", type=int, default=14, help="training clips per training photo")
    ap.add_argument("--art-clips", type=int, default=4, help="training clips per artwork")
    ap.add_argument("--val-T", type=int, default=8)
    ap.add_argument("--val-size", default="256,384")
    ap.add_argument("--val-clips", type=int, default=4, help="validation clips per held-out photo")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    src = list_sources(a.root)
    missing = [p for p in PHOTOS if p not in src]
    assert not missing, f"photos not found under {a.root}: {missing}"
    ss = np.random.SeedSequence(a.seed)
    tsize = tuple(int(v) for v in a.train_size.split(","))
    vsize = tuple(int(v) for v in a.val_size.split(","))
    train_jobs, val_jobs = [], []
    for name, path in src.items():
        if name in VAL_PHOTOS:
            for _ in range(a.val_clips):
                val_jobs.append((path, name, a.val_T, vsize, int(ss.spawn(1)[0].generate_state(1)[0]), 12.0, 8))
        else:
            n = a.photo_clips if name in PHOTOS else a.art_clips
            for _ in range(n):
                train_jobs.append((path, name, a.train_T, tsize, int(ss.spawn(1)[0].generate_state(1)[0]), 10.0, 4))
    t0 = time.time()
    with Pool(a.workers) as pool:
        train = pool.map(make_clip, train_jobs, chunksize=4)
        val = pool.map(make_clip, val_jobs, chunksize=2)
    for split, res, q in (("train", train, 90), ("val", val, 97)):
        np.savez(os.path.join(a.out, f"{split}.npz"), **pack(res, q))
        with open(os.path.join(a.out, f"{split}_meta.json"), "w") as f:
            json.dump([r[3] for r in res], f)
    sizes = {f: os.path.getsize(os.path.join(a.out, f)) for f in sorted(os.listdir(a.out))}
    summary = {"train_clips": len(train), "val_clips": len(val), "train_photos": sorted({r[0] for r in train}),
               "val_photos": sorted({r[0] for r in val}), "bytes": sizes, "MiB": sum(sizes.values()) / 2 ** 20,
               "seconds": time.time() - t0, "sources": {k: os.path.relpath(v, a.root) for k, v in src.items()}}
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps({k: v for k, v in summary.items() if k != "sources"}, indent=2))


if __name__ == "__main__":
    main()
