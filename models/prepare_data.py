#!/usr/bin/env python3
"""Builds the v2 data set: real photographs from Debian packages, camera pans over them, delivered as H.264/HEVC
files (DATA.md). Runs on the CPU machine (needs ffmpeg with libx264/libx265 and OpenCV):

    models/recipe.sh data                   # apt-get download + dpkg -x the packages, then this script
    /usr/bin/python3 models/prepare_data.py --root DIR --out models/.data

What travels to the GPU machine is small on purpose: the reduced photos (JPEG) and the LR clips as the coded files
themselves, a few KB each. The GPU machine renders the HR target of any crop from the photo and the clip's camera
path (degrade.render: the same bicubic sampling, so a crop equals that window of the whole frame) and decodes the
LR file with the same OpenCV decoder; HR frames never travel.

Splits (models/data_sources.json names every photo, its package, author, licence and split):
  train  photos of the training packages, HR 432x768 whole frames (LR 108x192), 10 frames, delivery chain (a share
         blind), 10 clips per photo and scale: large photos are used at up to three scales (reduced to ~1.1k, ~1.7k
         and ~2.3k pixels wide), which multiplies the distinct textures a few photos offer;
  val    photos of one package never used for training, HR 576x1024 (LR 144x256), 8 frames, delivery chain only:
         "like delivered footage"; photos reduced ~1.8x, which also hides their JPEG artefacts;
  old    the v1 recipe's sources (42 images of plasma-workspace-wallpapers + gnome-backgrounds, artworks included,
         minus its 3 held-out photos) with the v1 blind chain, HR 256x256 (10 frames, as train): "old data".
Two Debian packages are reserved as independent held-out sources (docs/models.md, "Held-out data") and are never
read here: `RESERVED_SHA256` refuses them by the sha256 of their names, so that models/ never names them.

Layout of OUT: photos/<id>.jpg, <split>/<clip>.mp4, index.json (photos, clips with camera affines and degradation
parameters, and a checksum of each clip's frames as decoded here).
"""
import argparse
import bz2
import glob
import hashlib
import json
import os
import time
from multiprocessing import Pool

import numpy as np
import torch
from PIL import Image

import degrade as D

RESERVED_SHA256 = {"bc15b2c541ef0fd531147a4b2273ebbdfd46766ed4e639a11b87d94f96fa8fe2",
                   "57cef635950287dc36058ba24ca6e8b388b469b0a99016ffa225cdc4705f9235"}


def reserved(package):
    """True for the two held-out packages (docs/models.md, "Held-out data")."""
    return hashlib.sha256(package.encode()).hexdigest() in RESERVED_SHA256


SPLITS = {  # HR (h, w), frames, photo width range, clips per photo (per scale), share of the blind chain
    "train": dict(hr=(432, 768), T=10, width=(1000, 1300), clips=10, blind=0.2),
    "val": dict(hr=(576, 1024), T=8, width=(1300, 1500), clips=3, blind=0.0),
    "old": dict(hr=(256, 256), T=10, width=(1100, 1500), clips=14, blind=1.0),
}
OLD_ART_CLIPS = 4
# v1 (DATA.md): real photos among the Plasma wallpapers, and the three it held out
V1_PHOTOS = ["BytheWater", "ColdRipple", "ColorfulCups", "DarkestHour", "EveningGlow", "FallenLeaf", "Grey", "Kite",
             "OneStandsOut", "Path", "summer_1am"]
V1_VAL = ["EveningGlow", "Path", "ColorfulCups"]
V1_SKIP = {"vnc-d", "vnc-l", "symbolic-d", "symbolic-l"}


def train_widths(width, rng):
    """Reduced widths a training photo is used at: more scales for larger photos (never enlarged)."""
    ws = [min(width, int(rng.integers(*SPLITS["train"]["width"])))]
    if width >= 2000:
        ws.append(int(rng.integers(1500, 1900)))
    if width >= 3000:
        ws.append(int(rng.integers(2100, 2500)))
    return ws


def v1_sources(root):
    """{name: path} of the v1 recipe's images (the largest file of each wallpaper/background)."""
    best = {}
    for f in glob.glob(os.path.join(root, "*usr/share/wallpapers/*/contents/images*/*")) + \
            glob.glob(os.path.join(root, "*/usr/share/wallpapers/*/contents/images*/*")) + \
            glob.glob(os.path.join(root, "*usr/share/backgrounds/gnome/*")) + \
            glob.glob(os.path.join(root, "*/usr/share/backgrounds/gnome/*")):
        if not f.lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
            continue
        name = f.split(os.sep)[-4] if "/wallpapers/" in f else os.path.splitext(os.path.basename(f))[0]
        if "images_dark" in f:
            name += "-dark"
        if name in V1_SKIP or name in V1_VAL:
            continue
        with Image.open(f) as im:
            px = im.size[0] * im.size[1]
        if name not in best or px > best[name][1]:
            best[name] = (f, px)
    return {k: v[0] for k, v in sorted(best.items())}


RAW_DAT_SHAPE = (768, 1024, 3)   # SciPy's raccoon ships as face.dat: bz2 of raw RGB bytes of this shape


def open_photo(path):
    """A source photo as PIL RGB (a .dat file: bz2 of raw RAW_DAT_SHAPE bytes)."""
    if path.endswith(".dat"):
        with open(path, "rb") as f:
            raw = np.frombuffer(bz2.decompress(f.read()), dtype=np.uint8)
        return Image.fromarray(raw.reshape(RAW_DAT_SHAPE))
    return Image.open(path).convert("RGB")


def photo_width(path):
    """Its width, from the header alone (the photo is decoded once, later, by reduce_and_store)."""
    if path.endswith(".dat"):
        return RAW_DAT_SHAPE[1]
    with Image.open(path) as im:
        return im.size[0]


def reduce_and_store(job):
    """Reduce a photo (Lanczos) and store it as JPEG q94 4:4:4; returns its entry (checksum of the decoded file)."""
    src, pid, width, out = job
    img = open_photo(src)
    img = D.reduce_photo(img, width)
    path = os.path.join(out, "photos", pid + ".jpg")
    img.save(path, "JPEG", quality=94, subsampling=0)
    dec = np.asarray(Image.open(path).convert("RGB"))
    return pid, {"file": f"photos/{pid}.jpg", "size": [dec.shape[1], dec.shape[0]], "sha": D.pixels_sha(dec)}


def detail(frame):
    g = frame.astype(np.float32).mean(-1)
    return float(np.abs(np.diff(g, axis=0)).mean() + np.abs(np.diff(g, axis=1)).mean())


def make_clip(job):
    """One clip: a camera path over the photo (the most detailed of a few candidates), HR rendered whole here,
    degraded and coded to <split>/<cid>.mp4."""
    torch.set_num_threads(1)
    out, split, cid, pid, seed, blind = job
    cfg = SPLITS[split]
    rng = np.random.default_rng(seed)
    img = Image.open(os.path.join(out, "photos", pid + ".jpg")).convert("RGB")
    best = None
    for _ in range(4):
        affines, motion = D.camera_affines(img.size, cfg["T"], cfg["hr"], rng)
        d = detail(D.render_pil(img, affines[:1], cfg["hr"])[0])
        if best is None or d > best[0]:
            best = (d, affines, motion)
        if d >= 10.0:
            break
    _, affines, motion = best
    hr = torch.from_numpy(D.render_pil(img, affines, cfg["hr"])).permute(0, 3, 1, 2).float() / 255.0
    params = D.sample_blind(rng) if rng.random() < blind else D.sample_delivery(rng)
    path = os.path.join(out, split, cid + ".mp4")
    applied = D.deliver(hr, params, path)
    lr = D.decode_video(path)
    assert lr.shape == (cfg["T"], cfg["hr"][0] // 4, cfg["hr"][1] // 4, 3), lr.shape
    return {"id": cid, "photo": pid, "file": f"{split}/{cid}.mp4", "T": cfg["T"], "hr": list(cfg["hr"]),
            "affines": [list(a) for a in affines], "motion": {k: v for k, v in motion.items()},
            "degradation": applied, "lr_sha": D.pixels_sha(lr), "lr_mean": float(lr.mean()),
            "bytes": os.path.getsize(path), "detail": best[0]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", required=True, help="folder the Debian packages were dpkg -x'ed into")
    ap.add_argument("--sources", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data_sources.json"))
    ap.add_argument("--more", default="", help="comma-separated further source files (e.g. data_sources_more.json): "
                    "their training photos come after every split of --sources, so those clips stay as they were")
    ap.add_argument("--out", required=True)
    ap.add_argument("--splits", default="train,val,old")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--limit", type=int, default=0, help="at most this many photos per split (tests)")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    splits = a.splits.split(",")
    for d in ["photos"] + splits:
        os.makedirs(os.path.join(a.out, d), exist_ok=True)
    sources = json.load(open(a.sources))["photos"]
    more = [p for f in a.more.split(",") if f for p in json.load(open(f))["photos"]]
    for s in sources + more:
        assert not reserved(s["package"]), f"{s['package']} is reserved as a held-out test source"
    ss = np.random.SeedSequence(a.seed)
    photos, clip_jobs, photo_jobs = {}, [], []
    # the further sources' photos last, each under its own split: every random draw before them is unchanged
    passes = [(split, None) for split in splits] + [(split, "more") for split in splits if split != "old" and more]
    for split, extra in passes:
        if split == "old":
            chosen = [{"id": "v1-" + k, "path": v, "art": k not in V1_PHOTOS}
                      for k, v in v1_sources(a.root).items()]
        else:
            chosen = [dict(s, id=s["id"]) for s in (more if extra else sources) if s["split"] == split]
        if a.limit:
            chosen = chosen[:a.limit]
        cfg = SPLITS[split]
        for s in chosen:
            rng = np.random.default_rng(ss.spawn(1)[0])
            src = s["path"] if os.path.isabs(s["path"]) else os.path.join(a.root, s["path"])
            width = photo_width(src)
            widths = train_widths(width, rng) if split == "train" else [int(rng.integers(*cfg["width"]))]
            for w in widths:
                pid = f"{s['id']}@{w}"
                photo_jobs.append((src, pid, w, a.out))
                n = OLD_ART_CLIPS if s.get("art") else cfg["clips"]
                for k in range(n):
                    clip_jobs.append((a.out, split, f"{pid}-{k:02d}", pid,
                                      int(ss.spawn(1)[0].generate_state(1)[0]), cfg["blind"]))
                photos[pid] = dict({k: s[k] for k in ("package", "path", "author", "licence") if k in s},
                                   source=s["id"], width=w)
    t0 = time.time()
    with Pool(a.workers) as pool:
        for pid, entry in pool.map(reduce_and_store, photo_jobs):
            photos[pid].update(entry)
        clips = pool.map(make_clip, clip_jobs, chunksize=4)
    index = {"version": 2, "seed": a.seed, "splits": {s: SPLITS[s] for s in splits}, "photos": photos,
             "clips": {s: [c for c in clips if c["file"].startswith(s + "/")] for s in splits}}
    json.dump(index, open(os.path.join(a.out, "index.json"), "w"))
    size = sum(os.path.getsize(f) for f in glob.glob(os.path.join(a.out, "**", "*"), recursive=True)
               if os.path.isfile(f))
    summary = {s: {"photos": len({c["photo"] for c in index["clips"][s]}), "clips": len(index["clips"][s]),
                   "MiB": sum(c["bytes"] for c in index["clips"][s]) / 2 ** 20} for s in splits}
    summary.update(total_MiB=size / 2 ** 20, seconds=time.time() - t0)
    json.dump(summary, open(os.path.join(a.out, "summary.json"), "w"), indent=2)
    print(json.dumps(summary, indent=2))
    return summary


if __name__ == "__main__":
    main()
