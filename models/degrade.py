"""Pseudo-video from still photos, and the real-world degradation chain that turns an HR clip into its LR input.

Both training data (prepare_data.py) and evaluation (eval.py) build LR inputs with these functions, so anyone can
rebuild the table on their own photos or videos.

Camera (`camera_clip`): a window of the photo moves smoothly over T frames: pan (constant velocity plus a slow
sinusoidal sway), zoom (a geometric ramp, +-6 % over the clip) and a small rotation (+-2 deg over the clip),
rendered with Pillow's bicubic affine warp (`render_pil`; `render` does the same arithmetic in torch, so the GPU
machine can draw any training crop alone with the very values of the whole frame) from a photo first reduced
(antialiased) so that one HR pixel is about one photo pixel.

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


def camera_affines(photo_size, T, size, rng, motion=None):
    """The camera path over a photo of photo_size (W, H) for T frames of size (h, w): one affine per frame mapping
    an output pixel centre (x + .5, y + .5) to photo coordinates (u, v) = (a x' + b y' + c, d x' + e y' + f), PIL's
    AFFINE convention; and the motion actually used."""
    h, w = size
    m = motion or sample_motion(rng, T)
    W, H = photo_size
    # keep every frame's window inside the photo: margin = half extent of the rotated window at the largest scale
    # and angle, + travel
    smax = 1.0 / min(m["zoom0"], m["zoom0"] * math.exp(m["zoom_rate"] * (T - 1)))
    th = math.radians(max(abs(m["rot0"]), abs(m["rot0"] + m["rot_rate"] * (T - 1))))
    half_x = smax * (0.5 * w * math.cos(th) + 0.5 * h * math.sin(th)) + 2
    half_y = smax * (0.5 * w * math.sin(th) + 0.5 * h * math.cos(th)) + 2
    travel_x = abs(m["vx"]) * (T - 1) + m["sway"] + 2
    travel_y = abs(m["vy"]) * (T - 1) + m["sway"] + 2
    lo_x, hi_x = half_x + (travel_x if m["vx"] < 0 else 0), W - half_x - (travel_x if m["vx"] > 0 else 0)
    lo_y, hi_y = half_y + (travel_y if m["vy"] < 0 else 0), H - half_y - (travel_y if m["vy"] > 0 else 0)
    if hi_x <= lo_x or hi_y <= lo_y:  # photo too small for this motion: stand still in the middle
        m = dict(m, vx=0.0, vy=0.0, sway=0.0)
        lo_x = hi_x = W / 2
        lo_y = hi_y = H / 2
    cx0, cy0 = rng.uniform(lo_x, hi_x), rng.uniform(lo_y, hi_y)
    affines = []
    for t in range(T):
        sway = m["sway"] * math.sin(m["sway_phase"] + 0.7 * t)
        cx = cx0 + m["vx"] * t + sway * 0.6
        cy = cy0 + m["vy"] * t + sway * 0.8
        s = 1.0 / (m["zoom0"] * math.exp(m["zoom_rate"] * t))
        th = math.radians(m["rot0"] + m["rot_rate"] * t)
        a, b = s * math.cos(th), -s * math.sin(th)
        d, e = s * math.sin(th), s * math.cos(th)
        affines.append((a, b, cx - a * w / 2 - b * h / 2, d, e, cy - d * w / 2 - e * h / 2))
    return affines, dict(m, cx0=cx0, cy0=cy0)


def render_pil(img, affines, size, window=None):
    """The camera frames, as Pillow draws them (bicubic affine warp): uint8 [T, h, w, 3]. Fast on a CPU. window
    (y0, x0, h, w) draws only that part (the offset folded into the affine)."""
    y0, x0, h, w = window or (0, 0, *size)
    return np.stack([np.asarray(img.transform((w, h), Image.AFFINE, (a, b, c + a * x0 + b * y0, d, e, f + d * x0 + e * y0),
                                              resample=Image.BICUBIC)) for a, b, c, d, e, f in affines])


def _cubic(v1, v2, v3, v4, d):
    # Pillow's bicubic (Geometry.c): Keys' cubic convolution with a = -1, evaluated in this order
    return v2 + d * ((v3 - v1) + d * ((2 * (v1 - v2) + v3 - v4) + d * (v2 - v1 - v3 + v4)))


def render(photo, affines, size, window=None):
    """render_pil on any device, value for value: photo uint8 [3, H, W] (a tensor) -> float [T, 3, h, w] in [0, 1]
    (multiples of 1/255). Same arithmetic as Pillow (double precision, pixel centres, clamped taps, truncation to
    8 bits), so a GPU renders the very HR frames the CPU machine degraded. window (y0, x0, h, w) renders only that
    part of each frame: a training crop needs no whole HR frame."""
    y0, x0, wh, ww = window or (0, 0, *size)
    C, H, W = photo.shape
    dev = photo.device
    one = lambda v: torch.tensor([v], device=dev)  # noqa: E731
    return render_batch(photo.reshape(C, H * W), one(0), one(W), one(H), [affines], one(y0), one(x0), wh, ww)[0]


def render_batch(flat, off, W, H, affines, y0, x0, wh, ww):
    """Many windows of many photos in one go (training batches): flat uint8 [3, N] holds every photo's pixels, photo
    b of the batch starts at off[b] with size W[b] x H[b]; affines [B][T][6]; windows (y0[b], x0[b], wh, ww).
    -> float [B, T, 3, wh, ww]. Pillow's arithmetic, as render()."""
    dev, f64 = flat.device, torch.float64
    A = torch.as_tensor(affines, dtype=f64, device=dev)[..., None, None]                # [B, T, 6, 1, 1]
    ys = (torch.arange(wh, dtype=f64, device=dev)[:, None] + y0.to(f64)[:, None, None, None] + 0.5)   # [B,1,wh,1]
    xs = (torch.arange(ww, dtype=f64, device=dev)[None, :] + x0.to(f64)[:, None, None, None] + 0.5)   # [B,1,1,ww]
    xin = A[:, :, 0] * xs + A[:, :, 1] * ys + A[:, :, 2] - 0.5                            # [B, T, wh, ww]
    yin = A[:, :, 3] * xs + A[:, :, 4] * ys + A[:, :, 5] - 0.5
    xf, yf = torch.floor(xin), torch.floor(yin)
    dx, dy = xin - xf, yin - yf
    xi, yi = xf.long() - 1, yf.long() - 1
    Wb, Hb, ob = W.view(-1, 1, 1, 1), H.view(-1, 1, 1, 1), off.view(-1, 1, 1, 1)
    cols = [torch.minimum(torch.clamp(xi + k, min=0), Wb - 1) for k in range(4)]
    rows = []
    for k in range(4):
        r = ob + torch.minimum(torch.clamp(yi + k, min=0), Hb - 1) * Wb
        rows.append(_cubic(*[flat[:, r + c].to(f64) for c in cols], dx))                 # [C, B, T, wh, ww]
    v = _cubic(*rows, dy).clamp(0, 255).floor()
    return (v / 255.0).to(torch.float32).permute(1, 2, 0, 3, 4).contiguous()


def photo_u8(img):
    """PIL RGB -> uint8 tensor [3, H, W]."""
    return torch.from_numpy(np.array(img.convert("RGB"))).permute(2, 0, 1).contiguous()


def pixels_sha(a):
    """Short checksum of an array's bytes: frames decoded on two machines must match bit for bit."""
    import hashlib
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:16]


def photo_tensor(img):
    """PIL RGB -> float [3, H, W] in [0, 1]."""
    return torch.from_numpy(np.array(img.convert("RGB"))).permute(2, 0, 1).float() / 255.0


def to_u8(frames):
    """[T, 3, h, w] float in [0, 1] -> uint8 [T, h, w, 3]."""
    return (frames.clamp(0, 1) * 255.0).round().byte().permute(0, 2, 3, 1).contiguous().numpy()


def camera_clip(img, T, size, rng, motion=None):
    """img: PIL RGB; size: (h, w) of the HR frames -> uint8 [T, h, w, 3], motion dict (with the affines)."""
    affines, m = camera_affines(img.size, T, size, rng, motion)
    return render_pil(img, affines, size), dict(m, affines=affines)


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
    try:
        import cv2   # ~10x faster than a 2-D convolution in torch on the CPU; the same values
        out = cv2.filter2D(frame.permute(1, 2, 0).contiguous().numpy(), -1, k, borderType=cv2.BORDER_REFLECT_101)
        return torch.from_numpy(out).permute(2, 0, 1)
    except ImportError:
        pass
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


# ---------------------------------------------------------------------------------------------------------------
# delivery: what footage looks like when it reaches the fleet (the v2 training and validation sets)
#
# A camera-like x4 downscale of the whole frame (area, bicubic, bilinear or Lanczos, antialiased), sometimes a mild
# optical blur before it and a little sensor noise after it, then H.264 (libx264) or HEVC (libx265) at ordinary
# quality on whole frames, yuv420p, as a file. The decoded file is the LR clip. `sample_blind` keeps a share of the
# old blind chain (stronger blur, noise, JPEG) in front of the same encode, for robustness.
DELIVERY = {"down": (("area", 0.35), ("bicubic", 0.35), ("bilinear", 0.1), ("lanczos", 0.2)),
            "blur_p": 0.4, "blur": (0.3, 0.8), "noise_p": 0.25, "noise": (0.5, 2.0),
            "hevc_p": 0.25, "crf_h264": (18, 28), "crf_hevc": (20, 30),
            "presets": ("veryfast", "fast", "medium", "slow")}


def sample_delivery(rng):
    names, probs = zip(*DELIVERY["down"])
    hevc = bool(rng.random() < DELIVERY["hevc_p"])
    lo, hi = DELIVERY["crf_hevc" if hevc else "crf_h264"]
    return {"chain": "delivery", "down": str(rng.choice(names, p=probs)),
            "blur": float(rng.uniform(*DELIVERY["blur"])) if rng.random() < DELIVERY["blur_p"] else 0.0,
            "noise": float(rng.uniform(*DELIVERY["noise"])) if rng.random() < DELIVERY["noise_p"] else 0.0,
            "codec": "hevc" if hevc else "h264", "crf": int(rng.integers(lo, hi + 1)),
            "preset": str(rng.choice(DELIVERY["presets"])), "seed": int(rng.integers(0, 2 ** 31 - 1))}


def sample_blind(rng):
    """The v1 chain (blur up to 1.8, noise up to 5, JPEG), always followed by an H.264 encode of the file."""
    p = sample_degradation(rng)
    return dict(p, chain="blind", codec="h264", preset="medium", h264=False)


def downscale4_frames(frames, mode):
    """[T, 3, H, W] float -> [T, 3, H/4, W/4]: area (box), bicubic/bilinear (antialiased) or Lanczos (PIL)."""
    if mode == "area":
        return F.avg_pool2d(frames, 4)
    if mode == "lanczos":
        u8 = to_u8(frames)
        h, w = u8.shape[1] // 4, u8.shape[2] // 4
        return torch.stack([photo_tensor(Image.fromarray(f).resize((w, h), Image.LANCZOS)) for f in u8])
    return F.interpolate(frames, scale_factor=0.25, mode=mode, align_corners=False, antialias=True)


def encode_video(frames_u8, path, codec="h264", crf=23, preset="medium", fps=25):
    """uint8 [T, h, w, 3] -> an MP4 file (libx264 / libx265, yuv420p, untagged BT.601 as the CLI converts)."""
    T, h, w, _ = frames_u8.shape
    lib = {"h264": ["-c:v", "libx264"], "hevc": ["-c:v", "libx265", "-x265-params", "log-level=error", "-tag:v", "hvc1"]}
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
                    "-s", f"{w}x{h}", "-r", str(fps), "-i", "-", *lib[codec], "-preset", preset, "-crf", str(crf),
                    "-pix_fmt", "yuv420p", "-threads", "1", "-an", path],
                   input=np.ascontiguousarray(frames_u8).tobytes(), check=True)
    return path


def decode_video(path):
    """An LR file -> uint8 [T, h, w, 3] RGB, through OpenCV's FFmpeg (the same decoder and colour conversion on the
    CPU machine that makes the set and on the GPU machine that trains on it)."""
    import cv2
    cap = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(f[:, :, ::-1])
    cap.release()
    if not frames:
        raise IOError(f"no frames decoded from {path}")
    return np.ascontiguousarray(np.stack(frames))


def deliver(hr, params, path):
    """HR clip [T, 3, H, W] float in [0, 1] -> the LR file at path (see DELIVERY); returns the parameters used."""
    T = hr.shape[0]
    if params["chain"] == "blind":
        lr, applied = degrade_clip(to_u8(hr), params, use_ffmpeg=False)
        encode_video(lr, path, "h264", params["crf"], params["preset"])
        return dict(applied, h264=True)
    x = hr
    if params["blur"] > 0:   # isotropic, separable: OpenCV is ~50x faster than a 2-D conv here
        import cv2
        k = len(gaussian_kernel(params["blur"], params["blur"], 0.0))
        x = torch.stack([torch.from_numpy(cv2.GaussianBlur(f.permute(1, 2, 0).contiguous().numpy(), (k, k),
                                                           params["blur"], borderType=cv2.BORDER_REFLECT_101))
                         .permute(2, 0, 1) for f in x])
    x = downscale4_frames(x, params["down"])
    if params["noise"] > 0:
        g = torch.Generator().manual_seed(params["seed"])
        x = x + torch.randn(x.shape, generator=g) * params["noise"] / 255.0
    encode_video(to_u8(x), path, params["codec"], params["crf"], params["preset"])
    return dict(params, frames=T)
