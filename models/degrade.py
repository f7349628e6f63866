"""Pseudo-video from still photos, and the real-world degradation chain that turns an HR clip into its LR input.

Both training data (prepare_data.py) and evaluation (eval.py) build LR inputs with these functions, so anyone can
rebuild the table on their own photos or videos.

Camera (`camera_clip`): a window of the photo moves smoothly over T frames: pan (constant velocity plus a slow
sinusoidal sway), zoom (a geometric ramp, +-6 % over the clip) and a small rotation (+-2 deg over the clip),
rendered with a bicubic affine warp from a photo first reduced (antialiased) so that one HR pixel is about one
photo pixel.

Degradation (`sample_degradation` + `degrade_clip`), per clip, each parameter interpolated linearly from its start
value to its end value across the clip (slowly varying, as a real camera/encoder would):
  1. blur: anisotropic Gaussian on HR, sigma_x, sigma_y in [0.2, 1.8] HR pixels, random orientation;
  2. x4 downscale: bicubic (antialiased), bilinear (antialiased) or area, chosen per clip;
  3. noise: Gaussian, sigma in [0, 5]/255 (LR), colour or luma-only, fresh per frame;
  4. JPEG (p = 0.6): quality in [60, 95] per frame;
  5. H.264 (p = 0.7): libx264 through ffmpeg, yuv420p, CRF in [18, 30], one GOP over the clip. Skipped (and
     recorded) when ffmpeg is not on the PATH.
"""
import io
import math
import shutil
import subprocess

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

RANGES = {"sigma": (0.2, 1.8), "noise": (0.0, 5.0), "jpeg_q": (60, 95), "crf": (18, 30)}


# ---------------------------------------------------------------------------------------------------------------
# camera motion
def reduce_photo(img, width):
    """Antialiased reduction of a PIL RGB photo to `width` pixels (keeps aspect)."""
    w, h = img.size
    if w <= width:
        return img
    return img.resize((width, max(1, round(h * width / w))), Image.LANCZOS)


def sample_motion(rng, T):
    ang = rng.uniform(0, 2 * math.pi)
    speed = rng.uniform(0.5, 6.0)                   # HR pixels per frame
    return {"vx": speed * math.cos(ang), "vy": speed * math.sin(ang),
            "sway": rng.uniform(0.0, 1.5), "sway_phase": rng.uniform(0, 2 * math.pi),
            "zoom0": rng.uniform(0.9, 1.1), "zoom_rate": rng.uniform(-0.06, 0.06) / max(1, T - 1),
            "rot0": rng.uniform(-3, 3), "rot_rate": rng.uniform(-2.0, 2.0) / max(1, T - 1)}


def camera_clip(img, T, size, rng, motion=None):
    """img: PIL RGB; size: (h, w) of the HR frames -> uint8 [T, h, w, 3], motion dict."""
    h, w = size
    m = motion or sample_motion(rng, T)
    W, H = img.size
    # keep every frame's window inside the photo: margin = half diagonal at the largest scale + travel
    smax = 1.0 / min(m["zoom0"], m["zoom0"] * math.exp(m["zoom_rate"] * (T - 1)))
    half = 0.5 * math.hypot(h, w) * smax + 2
    travel_x = abs(m["vx"]) * (T - 1) + m["sway"] + 2
    travel_y = abs(m["vy"]) * (T - 1) + m["sway"] + 2
    lo_x, hi_x = half + (travel_x if m["vx"] < 0 else 0), W - half - (travel_x if m["vx"] > 0 else 0)
    lo_y, hi_y = half + (travel_y if m["vy"] < 0 else 0), H - half - (travel_y if m["vy"] > 0 else 0)
    if hi_x <= lo_x or hi_y <= lo_y:  # photo too small for this motion: stand still in the middle
        m = dict(m, vx=0.0, vy=0.0, sway=0.0)
        lo_x = hi_x = W / 2
        lo_y = hi_y = H / 2
    cx0, cy0 = rng.uniform(lo_x, hi_x), rng.uniform(lo_y, hi_y)
    frames = []
    for t in range(T):
        sway = m["sway"] * math.sin(m["sway_phase"] + 0.7 * t)
        cx = cx0 + m["vx"] * t + sway * 0.6
        cy = cy0 + m["vy"] * t + sway * 0.8
        s = 1.0 / (m["zoom0"] * math.exp(m["zoom_rate"] * t))
        th = math.radians(m["rot0"] + m["rot_rate"] * t)
        a, b = s * math.cos(th), -s * math.sin(th)
        d, e = s * math.sin(th), s * math.cos(th)
        c = cx - a * w / 2 - b * h / 2
        f = cy - d * w / 2 - e * h / 2
        frames.append(np.asarray(img.transform((w, h), Image.AFFINE, (a, b, c, d, e, f), resample=Image.BICUBIC)))
    return np.stack(frames), dict(m, cx0=cx0, cy0=cy0)


# ---------------------------------------------------------------------------------------------------------------
# degradation
def sample_degradation(rng):
    lo, hi = RANGES["sigma"]
    nlo, nhi = RANGES["noise"]
    qlo, qhi = RANGES["jpeg_q"]
    return {
        "sigma_x": [rng.uniform(lo, hi), rng.uniform(lo, hi)], "sigma_y": [rng.uniform(lo, hi), rng.uniform(lo, hi)],
        "theta": [rng.uniform(0, math.pi)] * 2,
        "down": str(rng.choice(["bicubic", "bilinear", "area"])),
        "noise": [rng.uniform(nlo, nhi), rng.uniform(nlo, nhi)], "noise_gray": bool(rng.random() < 0.4),
        "jpeg": bool(rng.random() < 0.6), "jpeg_q": [int(rng.integers(qlo, qhi + 1)), int(rng.integers(qlo, qhi + 1))],
        "h264": bool(rng.random() < 0.7), "crf": int(rng.integers(RANGES["crf"][0], RANGES["crf"][1] + 1)),
        "seed": int(rng.integers(0, 2 ** 31 - 1)),
    }


def lerp(pair, t, T):
    a, b = pair
    return a + (b - a) * (t / max(1, T - 1))


def gaussian_kernel(sx, sy, theta, size=None):
    size = size or (2 * int(math.ceil(3 * max(sx, sy))) + 1)
    r = size // 2
    y, x = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float64)
    c, s = math.cos(theta), math.sin(theta)
    u, v = c * x + s * y, -s * x + c * y
    k = np.exp(-0.5 * ((u / sx) ** 2 + (v / sy) ** 2))
    return (k / k.sum()).astype(np.float32)


def blur(frame, k):
    """frame: float tensor [3, H, W]; k: 2-D kernel (odd) -> same shape, reflect padding."""
    r = k.shape[0] // 2
    x = F.pad(frame[None], (r, r, r, r), mode="reflect")
    w = torch.from_numpy(k)[None, None].expand(3, 1, *k.shape)
    return F.conv2d(x, w, groups=3)[0]


def downscale4(frame, mode):
    x = frame[None]
    if mode == "area":
        y = F.avg_pool2d(x, 4)
    else:
        y = F.interpolate(x, scale_factor=0.25, mode=mode, align_corners=False, antialias=True)
    return y[0]


def jpeg(frame_u8, q):
    buf = io.BytesIO()
    Image.fromarray(frame_u8).save(buf, "JPEG", quality=int(q))
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def have_ffmpeg():
    return shutil.which("ffmpeg") is not None


def h264(frames_u8, crf):
    """Round trip through libx264 (yuv420p). frames: uint8 [T, h, w, 3] with even h, w."""
    T, h, w, _ = frames_u8.shape
    enc = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
         "-r", "25", "-i", "-", "-c:v", "libx264", "-preset", "medium", "-crf", str(crf), "-pix_fmt", "yuv420p",
         "-g", str(max(T, 1)), "-threads", "1", "-f", "h264", "-"],
        input=frames_u8.tobytes(), stdout=subprocess.PIPE, check=True).stdout
    dec = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "h264", "-i", "-", "-f", "rawvideo",
         "-pix_fmt", "rgb24", "-threads", "1", "-"], input=enc, stdout=subprocess.PIPE, check=True).stdout
    out = np.frombuffer(dec, np.uint8)
    assert out.size == frames_u8.size, (out.size, frames_u8.shape)
    return out.reshape(frames_u8.shape).copy()


def degrade_clip(hr_u8, params, use_ffmpeg=None):
    """hr_u8: uint8 [T, H, W, 3] (H, W multiples of 4) -> (lr uint8 [T, H/4, W/4, 3], params actually applied)."""
    T, H, W, _ = hr_u8.shape
    assert H % 4 == 0 and W % 4 == 0, (H, W)
    g = torch.Generator().manual_seed(params["seed"])
    out = []
    for t in range(T):
        x = torch.from_numpy(hr_u8[t]).permute(2, 0, 1).float() / 255.0
        k = gaussian_kernel(lerp(params["sigma_x"], t, T), lerp(params["sigma_y"], t, T), lerp(params["theta"], t, T))
        x = downscale4(blur(x, k), params["down"])
        sig = lerp(params["noise"], t, T) / 255.0
        if sig > 0:
            n = torch.randn((1 if params["noise_gray"] else 3, *x.shape[1:]), generator=g) * sig
            x = x + n
        f = (x.clamp(0, 1) * 255.0).round().byte().permute(1, 2, 0).numpy()
        if params["jpeg"]:
            f = jpeg(f, round(lerp(params["jpeg_q"], t, T)))
        out.append(f)
    lr = np.stack(out)
    applied = dict(params)
    use = have_ffmpeg() if use_ffmpeg is None else use_ffmpeg
    if params["h264"]:
        if use and lr.shape[1] % 2 == 0 and lr.shape[2] % 2 == 0:
            lr = h264(lr, params["crf"])
        else:
            applied["h264"] = False
            applied["h264_skipped"] = "no ffmpeg" if not use else "odd size"
    return lr, applied
