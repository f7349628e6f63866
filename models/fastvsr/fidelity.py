"""Stage 3c (ours, not in the paper): the pixel path into the f16 decoder, and the bicubic residual base.

Why. In `tiny` everything the decoder draws must pass through a 16-channel latent at 1/16 of HR, which an f8 VAE
trained here reconstructs at ~32 dB: less than bicubic already reaches on delivered footage. Detail the LR frame
holds must not have to squeeze through that channel. StableSR's controllable feature wrapping is the precedent:
features of the degraded input enter the VAE decoder through zero-initialised convolutions, so training starts
from the decoder alone and the path opens only as far as it helps.

    LR ──► conv 3x3 ──► [ResBlock, first conv 3x3x3 centred in time] x n_t ──► [ResBlock 3x3] x n_s ──► f (LR)
    (neighbours > 0: conv 3x3 reads each frame and its neighbours warped onto it by the global motion, align.py)
    f ──► zero conv 1x1 ──► + decoder features where the decoder runs at LR      (the f16 body's third level)
    x2 input ──► zero conv 3x3 ──► + decoder features at R = HR / 2            (its last level, before the head)
    f ──► zero conv 1x1 to 4x ──► PixelShuffle(2) ──► + the same at R         (shuffle_r, stage 8)
    HR = decoder(latent, f) + bicubic x4 (LR)                                   (decoder head starts at zero)

Every addition is zero at initialisation and the head's conv_out starts at zero (decoder_f16.zero_head), so an
untrained model returns exactly the bicubic x4 of its input. The temporal kernel is centred (frame t sees t-1 and
t+1, clip ends replicated), not causal like the VAE's: super-resolution may look ahead, and the worker's
overlapping clips (card clip.overlap) hide the replicated ends. No norms, as in the tiny VAE: tiles must agree.

`BicubicUp` is a fixed bicubic (PyTorch's: a = -0.75, align_corners=False, edges replicated) written as a grouped
5x5 convolution + PixelShuffle: identical to F.interpolate(mode="bicubic") and exported as Conv + DepthToSpace,
which ONNX Runtime runs ~10x faster on the CPU than its cubic Resize.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .align import AlignedNeighbours
from .layers import fold_frames, unfold_frames


def cubic(x, a=-0.75):
    x = abs(x)
    if x <= 1:
        return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1
    if x < 2:
        return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a
    return 0.0


def bicubic_taps(factor):
    """[factor, 5] weights on input offsets -2..2 for each output phase (align_corners=False)."""
    import math
    taps = torch.zeros(factor, 5, dtype=torch.float64)
    for p in range(factor):
        u = (p + 0.5) / factor - 0.5          # source position of output phase p, relative to input pixel i
        f = math.floor(u)
        t = u - f
        for k, d in zip(range(f - 1, f + 3), (1 + t, t, 1 - t, 2 - t)):
            taps[p, k + 2] += cubic(d)
    return taps


class BicubicUp(nn.Module):
    """Fixed bicubic x`factor` of [N, C, H, W] (4-D) or [B, C, T, H, W] (per frame)."""

    def __init__(self, factor, channels=3):
        super().__init__()
        self.factor, self.channels = factor, channels
        t = bicubic_taps(factor)
        k = torch.einsum("pi,qj->pqij", t, t).reshape(factor * factor, 1, 5, 5)   # phase (py, px) -> 5x5 kernel
        self.register_buffer("weight", k.repeat(channels, 1, 1, 1).float(), persistent=False)

    def forward(self, x):
        if x.dim() == 5:
            return unfold_frames(self.forward(fold_frames(x)), x.shape[0])
        y = F.conv2d(F.pad(x, (2, 2, 2, 2), mode="replicate"), self.weight, groups=self.channels)
        return F.pixel_shuffle(y, self.factor)


class TemporalConv(nn.Module):
    """3x3x3 convolution centred in time; the clip's first and last frames are replicated as their neighbours."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 3, padding=(0, 1, 1))

    def forward(self, x):  # [B, C, T, H, W]
        return self.conv(torch.cat([x[:, :, :1], x, x[:, :, -1:]], dim=2))


class PixelBlock(nn.Module):
    """ResBlock without norms; temporal=True makes its first convolution span the neighbouring frames."""

    def __init__(self, width, temporal):
        super().__init__()
        self.temporal = temporal
        self.conv1 = TemporalConv(width, width) if temporal else nn.Conv2d(width, width, 3, padding=1)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1)

    def forward(self, x, batch):  # x: [B*T, C, H, W]
        if self.temporal:
            h = fold_frames(self.conv1(unfold_frames(F.silu(x), batch)))
        else:
            h = self.conv1(F.silu(x))
        return x + self.conv2(F.silu(h))


def zero_conv(cin, cout, k):
    c = nn.Conv2d(cin, cout, k, padding=k // 2)
    nn.init.zeros_(c.weight)
    nn.init.zeros_(c.bias)
    return c


class PixelPath(nn.Module):
    """LR frames [B, 3, T, h, w] in [-1, 1] (+ the x2 input) -> {decoder level: features to add}, folded [B*T, ...]."""

    def __init__(self, cfg, lr_level, lr_channels, r_level=None, r_channels=None):
        super().__init__()
        w = cfg.width
        self.lr_level, self.r_level = lr_level, r_level if cfg.at_r else None
        self.aligned = AlignedNeighbours(cfg.neighbours) if cfg.neighbours else None
        self.conv_in = nn.Conv2d(3 * (1 + 2 * cfg.neighbours), w, 3, padding=1)
        self.blocks = nn.ModuleList([PixelBlock(w, True) for _ in range(cfg.temporal_blocks)]
                                    + [PixelBlock(w, False) for _ in range(cfg.spatial_blocks)])
        self.to_lr = zero_conv(w, lr_channels, 1)
        self.to_r = zero_conv(3, r_channels, 3) if self.r_level is not None else None
        self.to_r_shuffled = zero_conv(w, 4 * r_channels, 1) if cfg.shuffle_r and self.r_level is not None else None

    def close(self):
        """Zeroes every conv through which the path reaches the decoder: the model then runs as if it had none
        (the "pixel path zeroed at inference" ablation)."""
        for zc in (self.to_lr, self.to_r, self.to_r_shuffled):
            if zc is not None:
                nn.init.zeros_(zc.weight)
                nn.init.zeros_(zc.bias)
        return self

    def forward(self, lr, x2):
        b = lr.shape[0]
        h = self.conv_in(self.aligned(lr) if self.aligned is not None else fold_frames(lr))
        for blk in self.blocks:
            h = blk(h, b)
        f = F.silu(h)
        out = {self.lr_level: self.to_lr(f)}
        if self.to_r is not None:
            out[self.r_level] = self.to_r(fold_frames(x2))
            if self.to_r_shuffled is not None:
                out[self.r_level] = out[self.r_level] + F.pixel_shuffle(self.to_r_shuffled(f), 2)
        return out
