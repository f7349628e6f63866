"""Stage 3d (ours, not in the paper; trained in stage 10, not shipped): neighbouring frames aligned by the camera's
global motion, into the pixel path.

Why. Delivered footage is mostly camera motion, and a moving camera samples the scene at sub-pixel offsets from frame
to frame: what one LR frame aliased away, its neighbours hold. That is the gain of multi-frame over single-image SR.
The pixel path's 3x3x3 kernels see the neighbours unaligned, at up to ~1.5 LR pixels of motion per frame, and at its
width they may not learn sub-pixel alignment. Stage 9 found that no lever within the CPU budget still paid; this one
gives the path information it did not have, at almost no cost (~3 k MACs per LR pixel, 1 % of v4's). Trained from
v4, it scored 0.03 dB below v4 trained on without it (models/README.md, "Stage 10").

    LR grey ──► per offset k: coarse integer shift at half resolution (mean |difference| over (2r+1)^2 shifts)
            ──► global Lucas-Kanade steps, at half resolution then at LR (one 2x2 solve per frame pair)
            ──► bicubic warp of frame t+k onto frame t (GridSample, edges replicated)
    conv_in( [frame t, warped t+k for each k] )     (the new input channels start at zero: a grown model starts
                                                     exactly where its source ended, fastvsr/grow.py)

One translation per frame pair and per tile: the worker's tiles are small enough that a pan, a slow zoom or a small
rotation is locally a translation. Clip ends are replicated (frame 0's neighbour -1 is frame 0, shift 0), as in
fidelity.TemporalConv. The estimate carries no gradient: it is measured, not learned.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import fold_frames


def grey(x):
    """[N, 3, h, w] -> [N, 1, h, w]: the channels' mean (any brightness will do to measure motion)."""
    return x.mean(dim=1, keepdim=True)


def neighbour_offsets(n):
    """The order of conv_in's neighbours after the frame itself: -n .. -1, 1 .. n."""
    return [k for k in range(-n, n + 1) if k != 0]


def neighbour(x, k):
    """[B, C, T, h, w] -> frame t+k at every t, clip ends replicated."""
    if k == 0:
        return x
    n = abs(k)
    first, last = x[:, :, :1], x[:, :, -1:]
    padded = torch.cat([first] * n + [x] + [last] * n, dim=2)
    return padded[:, :, n + k:padded.shape[2] - n + k]


def shift_grid(d, h, w):
    """Sampling grid [N, h, w, 2] (align_corners=False) for output pixel p reading the source at p + d (LR pixels)."""
    ys = (torch.arange(h, device=d.device, dtype=d.dtype) + 0.5) * (2.0 / h) - 1.0
    xs = (torch.arange(w, device=d.device, dtype=d.dtype) + 0.5) * (2.0 / w) - 1.0
    gx = xs.view(1, 1, w) + (d[:, 0] * (2.0 / w)).view(-1, 1, 1)
    gy = ys.view(1, h, 1) + (d[:, 1] * (2.0 / h)).view(-1, 1, 1)
    return torch.stack([gx.expand(-1, h, w), gy.expand(-1, h, w)], dim=-1)


def warp(x, d, mode="bilinear"):
    """x [N, C, h, w] read at p + d (d [N, 2] = (dx, dy) in pixels), edges replicated."""
    return F.grid_sample(x, shift_grid(d, x.shape[2], x.shape[3]), mode=mode, padding_mode="border",
                         align_corners=False)


def interior(x, m):
    return x[:, :, m:x.shape[2] - m, m:x.shape[3] - m]


def coarse_shift(ref, moving, radius):
    """Integer (dx, dy) in [-radius, radius]^2 minimising mean |ref - moving(p + d)| over the interior; [N, 2].
    Every shifted copy comes from one convolution with one-hot kernels: one graph node instead of one per shift."""
    side = 2 * radius + 1
    onehot = torch.eye(side * side, dtype=ref.dtype, device=ref.device).view(side * side, 1, side, side)
    shifted = F.conv2d(F.pad(moving, (radius,) * 4, mode="replicate"), onehot)      # channel i: shift i
    cost = interior((shifted - ref).abs(), radius).mean(dim=(2, 3))                  # [N, side^2]
    best = cost.argmin(dim=1)
    return torch.stack([best % side, torch.div(best, side, rounding_mode="floor")], dim=1).to(ref.dtype) - radius


def central_gradient(x):
    """(d/dx, d/dy) of [N, C, h, w] by central differences, edges replicated."""
    p = F.pad(x, (1, 1, 1, 1), mode="replicate")
    return 0.5 * (p[:, :, 1:-1, 2:] - p[:, :, 1:-1, :-2]), 0.5 * (p[:, :, 2:, 1:-1] - p[:, :, :-2, 1:-1])


def lucas_kanade_step(ref, moving, d, margin):
    """One Gauss-Newton step of a global translation: solve (sum g g^T) delta = sum g (ref - moving(p + d))."""
    m = warp(moving, d)
    gx, gy = central_gradient(m)
    r = interior(ref - m, margin)
    gx, gy = interior(gx, margin), interior(gy, margin)
    a, b, c = (gx * gx).sum(dim=(1, 2, 3)), (gx * gy).sum(dim=(1, 2, 3)), (gy * gy).sum(dim=(1, 2, 3))
    u, v = (gx * r).sum(dim=(1, 2, 3)), (gy * r).sum(dim=(1, 2, 3))
    det = a * c - b * b
    ok = det > 1e-6 * (a + c) ** 2 + 1e-12           # flat or one-directional texture: keep the estimate
    safe = torch.where(ok, det, torch.ones_like(det))
    step = torch.stack([(c * u - b * v) / safe, (a * v - b * u) / safe], dim=1)
    step = torch.where(ok.unsqueeze(1), step, torch.zeros_like(step)).clamp(-1.0, 1.0)
    return d + step


class GlobalShift(nn.Module):
    """The translation (dx, dy), in LR pixels, at which each frame t + k is read to line up with frame t.
    Coarse to fine: an integer search and two Lucas-Kanade steps at half resolution, then three at LR (the first on
    a 3x3 box-smoothed copy, for a wider basin). On photo pans reduced x4 the median error is ~0.05 LR pixels."""

    def __init__(self, radius=3, half_steps=2, steps=3):
        super().__init__()
        self.radius, self.half_steps, self.steps = radius, half_steps, steps   # search +-2 radius LR pixels

    @torch.no_grad()
    def forward(self, ref, moving):  # [N, 1, h, w] each (grey, any range) -> [N, 2]
        r2, m2 = F.avg_pool2d(ref, 2), F.avg_pool2d(moving, 2)
        d = coarse_shift(r2, m2, self.radius)
        for _ in range(self.half_steps):
            d = lucas_kanade_step(r2, m2, d, self.radius + 1)
        d = 2.0 * d
        margin = 2 * self.radius + 2
        smooth = lambda x: F.avg_pool2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), 3, stride=1)  # noqa: E731
        for i in range(self.steps):
            d = lucas_kanade_step(smooth(ref), smooth(moving), d, margin) if i == 0 else \
                lucas_kanade_step(ref, moving, d, margin)
        return d


class AlignedNeighbours(nn.Module):
    """LR clip [B, 3, T, h, w] -> [B*T, 3 * (1 + 2n), h, w]: each frame, then its n neighbours on each side warped
    onto it (bicubic, as the residual base)."""

    def __init__(self, n):
        super().__init__()
        self.offsets = neighbour_offsets(n)
        self.shift = GlobalShift()

    def forward(self, lr):
        frames = fold_frames(lr)
        ref = grey(frames)
        out = [frames]
        for k in self.offsets:
            moving = fold_frames(neighbour(lr, k))
            d = self.shift(ref, grey(moving))
            out.append(warp(moving, d, mode="bicubic"))
        return torch.cat(out, dim=1)
