"""Video SR metrics on [T, 3, H, W] tensors in [0, 1] (one clip), computed in float64 on whatever device they are.

* PSNR (RGB): over all pixels and channels of the clip, peak 1.
* PSNR (Y): BT.601 luma as in the SR literature, Y = (16 + 65.481 R + 128.553 G + 24.966 B) / 255.
* SSIM: on Y (x255), Gaussian window 11, sigma 1.5, K1 = 0.01, K2 = 0.03 (Wang et al. 2004), mean over frames.
* flicker: mean |(out[t+1] - out[t]) - (gt[t+1] - gt[t])| over the clip, in 8-bit levels (x255): how much the
  frame-to-frame change of the output departs from the true one (0 = temporally as stable as the ground truth).
Every metric ignores a `shave`-pixel border (default 4 = the scale), as is customary for SR.
"""
import math

import torch
import torch.nn.functional as F


def _crop(x, shave):
    return x[..., shave:x.shape[-2] - shave, shave:x.shape[-1] - shave] if shave else x


# BT.601 RGB [0, 1] -> Y, Cb, Cr in 8-bit levels, without the offsets (16, 128, 128); losses.py weighs its rows too
BT601 = ((65.481, 128.553, 24.966), (-37.797, -74.203, 112.0), (112.0, -93.786, -18.214))


def rgb_to_y(x):
    w = torch.tensor(BT601[0], dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    return (16.0 + (x * w).sum(1, keepdim=True)) / 255.0


def psnr(a, b, shave=4):
    mse = torch.mean((_crop(a, shave).double() - _crop(b, shave).double()) ** 2).item()
    return 10.0 * math.log10(1.0 / max(mse, 1e-12))


def psnr_y(a, b, shave=4):
    return psnr(rgb_to_y(a.double()), rgb_to_y(b.double()), shave)


def _gauss(size=11, sigma=1.5, device=None):
    g = torch.exp(-((torch.arange(size, dtype=torch.float64, device=device) - size // 2) ** 2) / (2 * sigma ** 2))
    g = g / g.sum()
    return (g[:, None] * g[None, :]).view(1, 1, size, size)


def ssim(a, b, shave=4):
    x = _crop(rgb_to_y(a.double()), shave) * 255.0
    y = _crop(rgb_to_y(b.double()), shave) * 255.0
    w = _gauss(device=x.device)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = F.conv2d(x, w), F.conv2d(y, w)
    sxx = F.conv2d(x * x, w) - mx ** 2
    syy = F.conv2d(y * y, w) - my ** 2
    sxy = F.conv2d(x * y, w) - mx * my
    s = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx ** 2 + my ** 2 + c1) * (sxx + syy + c2))
    return s.mean().item()


def flicker(out, gt, shave=4):
    if out.shape[0] < 2:
        return 0.0
    o, g = _crop(out.double(), shave), _crop(gt.double(), shave)
    return (torch.abs((o[1:] - o[:-1]) - (g[1:] - g[:-1])).mean() * 255.0).item()


def all_metrics(out, gt, shave=4):
    out = out.clamp(0, 1)
    return {"psnr": psnr(out, gt, shave), "psnr_y": psnr_y(out, gt, shave), "ssim": ssim(out, gt, shave),
            "flicker": flicker(out, gt, shave)}
