#!/usr/bin/env python3
"""Evaluate x4 video SR methods on any folder of HR photos or videos, with LR inputs built as in training.

    # your own footage: photos become pseudo-video clips (camera motion), videos are cut into T-frame windows;
    # each clip is degraded by degrade.degrade_clip with parameters drawn from --seed (H.264 needs ffmpeg)
    /usr/bin/python3 models/eval.py --hr-dir ~/footage --methods bicubic,fastvsr:models/fastvsr-tiny/model.onnx

    # the recipe's delivery-like validation split (prepare_data.py: coded files + photos; decoded with OpenCV)
    python3 models/eval.py --data models/.data --split val --methods bicubic,esrgan:DIR/package,ckpt:CKPT.pt

Methods (comma separated): `bicubic`, `bilinear`, `esrgan:PACKAGE_DIR` (the npm package's `package/` folder,
esrgan_tfjs.py), `fastvsr:MODEL.onnx` (ONNX Runtime, CPU, the graph the worker runs), `ckpt:CKPT.pt` (the
PyTorch `tiny` pipeline from a checkpoint). Clips are run whole (fastvsr: T frames at once). Output: a JSON with
per-clip and mean metrics (metrics.py) and a Markdown table (--out-md).
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import degrade as D  # noqa: E402
import metrics as M  # noqa: E402

PHOTO_EXT = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff")
VIDEO_EXT = (".mp4", ".mkv", ".mov", ".webm", ".avi", ".y4m", ".m4v")


# ---------------------------------------------------------------------------------------------------------------
# building clips
def read_video(path, max_frames):
    info = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                           "stream=width,height", "-of", "csv=p=0", path], stdout=subprocess.PIPE, check=True)
    w, h = (int(v) for v in info.stdout.decode().strip().split(",")[:2])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-frames:v", str(max_frames), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], stdout=subprocess.PIPE, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)


def build_clips(hr_dir, T=8, size=(256, 384), clips_per_photo=2, clips_per_video=2, seed=0, max_side=None):
    """-> list of (name, hr uint8 [T, H, W, 3], lr uint8 [T, H/4, W/4, 3], meta). HR H, W multiples of 32."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    out = []
    files = sorted(f for f in glob.glob(os.path.join(hr_dir, "**", "*"), recursive=True) if os.path.isfile(f))
    for f in files:
        ext = os.path.splitext(f)[1].lower()
        name = os.path.relpath(f, hr_dir)
        if ext in PHOTO_EXT:
            img = Image.open(f).convert("RGB")
            if max_side:
                img = D.reduce_photo(img, max_side)
            for k in range(clips_per_photo):
                hr, motion = D.camera_clip(img, T, size, rng)
                lr, applied = D.degrade_clip(hr, D.sample_degradation(rng))
                out.append((f"{name}#{k}", hr, lr, {"motion": motion, "degradation": applied}))
        elif ext in VIDEO_EXT:
            frames = read_video(f, T * clips_per_video)
            H, W = (frames.shape[1] // 32) * 32, (frames.shape[2] // 32) * 32
            for k in range(len(frames) // T):
                hr = np.ascontiguousarray(frames[k * T:(k + 1) * T, :H, :W])
                lr, applied = D.degrade_clip(hr, D.sample_degradation(rng))
                out.append((f"{name}#{k}", hr, lr, {"degradation": applied}))
    return out


def split_clips(root, split, device):
    """The clips of a prepare_data.py split as (id, lo [1,3,T,h,w], hi [1,3,T,H,W]) on device."""
    from clips import ClipSet
    return ClipSet(root, split, device).whole()


def to_tensor(clip_u8, device):
    """uint8 [T, H, W, 3] -> float [T, 3, H, W] in [0, 1]."""
    return torch.from_numpy(np.ascontiguousarray(clip_u8)).to(device).permute(0, 3, 1, 2).float() / 255.0


# ---------------------------------------------------------------------------------------------------------------
# methods: each maps lr [T, 3, h, w] in [0, 1] -> [T, 3, 4h, 4w] in [0, 1]
def interp(mode):
    def run(lr):
        return F.interpolate(lr, scale_factor=4.0, mode=mode, align_corners=False).clamp(0, 1)
    return run


def esrgan_method(package_dir, device):
    import esrgan_tfjs
    net = esrgan_tfjs.load(package_dir).to(device)

    def run(lr):
        with torch.no_grad():
            return torch.cat([net(lr[i:i + 1]) for i in range(lr.shape[0])])
    return run


def ckpt_method(path_or_model, device, dtype=torch.float32):
    if isinstance(path_or_model, str):
        from export_onnx import load_model
        model = load_model("tiny", path_or_model, fuse=False)
        model.pad_inputs = True
    else:
        model = path_or_model
    model = model.to(device).eval()

    def run(lr):
        with torch.no_grad():
            return model(lr.permute(1, 0, 2, 3)[None])[0].permute(1, 0, 2, 3).float().clamp(0, 1)
    return run


def onnx_method(path):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = min(16, os.cpu_count() or 1)
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    mult = json.load(open(os.path.join(os.path.dirname(path), "model.json")))["input"]["multipleOf"] \
        if os.path.exists(os.path.join(os.path.dirname(path), "model.json")) else 8

    def run(lr):
        t, _, h, w = lr.shape
        ph, pw = (-h) % mult, (-w) % mult
        x = F.pad(lr, (0, pw, 0, ph), mode="replicate") if (ph or pw) else lr
        y = sess.run(["hr"], {"lr": x.permute(1, 0, 2, 3)[None].cpu().numpy()})[0][0]
        return torch.from_numpy(y).permute(1, 0, 2, 3)[:, :, :4 * h, :4 * w].to(lr.device)
    return run


def make_method(spec, device):
    kind, _, arg = spec.partition(":")
    if kind in ("bicubic", "bilinear"):
        return interp(kind)
    if kind == "esrgan":
        return esrgan_method(arg, device)
    if kind == "ckpt":
        return ckpt_method(arg, device)
    if kind == "fastvsr":
        return onnx_method(arg)
    raise SystemExit(f"unknown method {spec}")


# ---------------------------------------------------------------------------------------------------------------
def evaluate(methods, clips, device, shave=4):
    """methods: {label: fn}; clips: list of (name, hr_u8, lr_u8, meta) -> {label: {mean metrics, per_clip, s}}."""
    res = {}
    for label, fn in methods.items():
        per, t0 = [], time.time()
        for name, hr_u8, lr_u8, _ in clips:
            hr, lr = to_tensor(hr_u8, device), to_tensor(lr_u8, device)
            out = fn(lr)
            assert out.shape == hr.shape, (label, out.shape, hr.shape)
            out = (out.clamp(0, 1) * 255.0).round() / 255.0     # what a video file would hold
            per.append(dict(clip=name, **M.all_metrics(out, hr, shave)))
        mean = {k: float(np.mean([p[k] for p in per])) for k in ("psnr", "psnr_y", "ssim", "flicker")}
        res[label] = dict(mean, seconds=time.time() - t0, per_clip=per)
    return res


def evaluate_clips(methods, clips, shave=4):
    """Like evaluate, for clips already on the device as (id, lo [1,3,T,h,w], hi [1,3,T,H,W]) in [0, 1]; adds the
    mean per-clip gain over bicubic and the worst clip's gain when bicubic is among the methods."""
    res = {}
    for label, fn in methods.items():
        per, t0 = [], time.time()
        for name, lo, hi in clips:
            lr, ref = lo[0].transpose(0, 1), hi[0].transpose(0, 1)
            with torch.no_grad():
                out = fn(lr)
            assert out.shape == ref.shape, (label, out.shape, ref.shape)
            out = (out.clamp(0, 1) * 255.0).round() / 255.0
            per.append(dict(clip=name, **M.all_metrics(out, ref, shave)))
        mean = {k: float(np.mean([p[k] for p in per])) for k in ("psnr", "psnr_y", "ssim", "flicker")}
        res[label] = dict(mean, seconds=time.time() - t0, per_clip=per)
    if "bicubic" in res:
        base = {p["clip"]: p["psnr_y"] for p in res["bicubic"]["per_clip"]}
        for r in res.values():
            gains = [p["psnr_y"] - base[p["clip"]] for p in r["per_clip"]]
            r["gain_y_mean"], r["gain_y_worst"] = float(np.mean(gains)), float(np.min(gains))
    return res


def table(res, title=None):
    gains = all("gain_y_mean" in r for r in res.values())
    lines = ([f"**{title}**", ""] if title else []) + [
        "| method | PSNR RGB (dB) | PSNR Y (dB) | SSIM (Y) | flicker (8-bit) |"
        + (" Y vs bicubic, mean / worst clip (dB) |" if gains else ""),
        "|---|---|---|---|---|" + ("---|" if gains else "")]
    for label, r in res.items():
        lines.append(f"| {label} | {r['psnr']:.2f} | {r['psnr_y']:.2f} | {r['ssim']:.4f} | {r['flicker']:.3f} |"
                     + (f" {r['gain_y_mean']:+.2f} / {r['gain_y_worst']:+.2f} |" if gains else ""))
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--hr-dir", help="folder of HR photos and/or videos (searched recursively)")
    src.add_argument("--data", help="a set written by prepare_data.py (e.g. models/.data), with --split")
    ap.add_argument("--split", default="val")
    ap.add_argument("--methods", default="bicubic")
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--size", default="256,384", help="H,W of HR clips cut from photos (multiples of 32)")
    ap.add_argument("--clips-per-file", type=int, default=2)
    ap.add_argument("--max-side", type=int, default=1400, help="reduce photos to this width first (0: keep)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shave", type=int, default=4)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--out", default=None, help="JSON with all numbers")
    ap.add_argument("--out-md", default=None)
    a = ap.parse_args(argv)
    device = torch.device(a.device)
    methods = {spec: make_method(spec, device) for spec in a.methods.split(",")}
    if a.data:
        clips = split_clips(a.data, a.split, device)
        res = evaluate_clips(methods, clips, a.shave)
        md = table(res, f"{a.data} {a.split}: {len(clips)} clips of {clips[0][2].shape[2]} frames, HR "
                        f"{clips[0][2].shape[3]}x{clips[0][2].shape[4]}")
    else:
        size = tuple(int(v) for v in a.size.split(","))
        clips = build_clips(a.hr_dir, a.frames, size, a.clips_per_file, a.clips_per_file, a.seed, a.max_side or None)
        if not clips:
            raise SystemExit("no clips")
        res = evaluate(methods, clips, device, a.shave)
        md = table(res, f"{len(clips)} clips of {clips[0][1].shape[0]} frames, HR {clips[0][1].shape[1]}x"
                        f"{clips[0][1].shape[2]}")
    print(md)
    if a.out:
        with open(a.out, "w") as f:
            json.dump({"clips": len(clips), "results": res}, f, indent=2)
    if a.out_md:
        with open(a.out_md, "w") as f:
            f.write(md)
    return res


if __name__ == "__main__":
    main()
