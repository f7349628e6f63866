"""Building blocks shared by every stage: causal convolutions, norms, residual blocks, attention.

Tensor layout. A clip is [B, C, T, H, W] ("5-D"). Stages that never mix frames (the tiny preset's VAE) fold the
frames into the batch once, [B*T, C, H, W] ("4-D"), and every layer here accepts both: in 4-D a causal
convolution must have a temporal kernel of 1 and runs as a plain 2-D convolution. Folding once instead of per
layer matters on the CPU, where each fold is a full transpose copy.

Everything here runs on torch 1.13 (no scaled_dot_product_attention, no flop counter) and on torch 2.x.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# ----------------------------------------------------------------------------------------------------------------
# Frame folding helpers. They use only shape-preserving view/permute ops so that ONNX export keeps T, H, W dynamic.


def fold_frames(x):
    """[B, C, T, H, W] -> [B*T, C, H, W]."""
    return x.transpose(1, 2).flatten(0, 1)


def unfold_frames(y, batch):
    """[B*T, C, H, W] -> [B, C, T, H, W] (batch is B)."""
    return y.reshape(batch, -1, y.shape[1], y.shape[2], y.shape[3]).transpose(1, 2)


# ----------------------------------------------------------------------------------------------------------------
# Attention. F.scaled_dot_product_attention (torch >= 2.0) picks the fused flash / memory-efficient kernels on the
# GPU; torch 1.13 and ONNX export use the explicit softmax(QK^T)V, which exports to plain MatMul/Softmax nodes that
# every ONNX runtime knows.

_ATTENTION_BACKEND = {"name": "auto"}


def set_attention_backend(name):
    """'auto' (SDPA where torch has it), 'manual' (explicit softmax; used by the benchmark's 'before' column)."""
    assert name in ("auto", "manual")
    _ATTENTION_BACKEND["name"] = name


def _exporting():
    return hasattr(torch.onnx, "is_in_onnx_export") and torch.onnx.is_in_onnx_export()


def attention(q, k, v):
    """q, k, v: [B, heads, N, d] -> [B, heads, N, d]."""
    if (_ATTENTION_BACKEND["name"] == "auto" and hasattr(F, "scaled_dot_product_attention")
            and not _exporting()):
        return F.scaled_dot_product_attention(q, k, v)
    scale = 1.0 / math.sqrt(q.shape[-1])
    w = torch.softmax(torch.matmul(q * scale, k.transpose(-2, -1)), dim=-1)
    return torch.matmul(w, v)


# ----------------------------------------------------------------------------------------------------------------
# Causal 3-D convolution (CogVideoX's CausalConv3d): the temporal receptive field only looks back, so frame t never
# depends on frames > t. The first frame is padded by replication, which is what lets the VAE encode a single
# image as a 1-frame video. In "streaming" mode the layer keeps the last kt-1 input frames and uses them instead
# of the replication pad on the next call: a long clip can then be processed in temporal chunks with the same
# result at every convolution as one pass (the norms, whose statistics are per call, are the only difference, as
# in CogVideoX's own chunked VAE).


class CausalConv3d(nn.Module):
    def __init__(self, cin, cout, kernel=3, kt=None, stride=1):
        super().__init__()
        kt = kernel if kt is None else kt
        self.kt, self.stride, self.pad = kt, stride, kernel // 2
        self.conv = nn.Conv3d(cin, cout, (kt, kernel, kernel), stride=(1, stride, stride),
                              padding=(0, self.pad, self.pad))
        self.streaming = False
        self.cache = None

    # cuDNN/PyTorch convolutions index with 32 bits unless the library says otherwise; a 720p clip at 256 channels
    # passes 2^31 elements. A temporal convolution splits exactly along time (each output frame reads kt inputs).
    max_numel = 2 ** 31 - 1

    def _conv(self, x):
        per_frame = x.shape[0] * max(x.shape[1], self.conv.out_channels) * x.shape[3] * x.shape[4]
        if per_frame * x.shape[2] <= self.max_numel:
            return self.conv(x)
        n_out = x.shape[2] - self.kt + 1
        step = max(1, self.max_numel // per_frame - self.kt + 1)
        return torch.cat([self.conv(x[:, :, a:a + step + self.kt - 1]) for a in range(0, n_out, step)], dim=2)

    def forward(self, x):
        if x.dim() == 4:  # frames folded into the batch: only valid without a temporal kernel
            assert self.kt == 1, "a 4-D input needs kt == 1"
            return F.conv2d(x, self.conv.weight[:, :, 0], self.conv.bias, self.stride, self.pad)
        if self.kt > 1:
            if self.cache is not None:
                x = torch.cat([self.cache, x], dim=2)
            else:
                x = torch.cat([x[:, :, :1]] * (self.kt - 1) + [x], dim=2)
            if self.streaming:
                self.cache = x[:, :, -(self.kt - 1):].detach()
        return self._conv(x)


def set_streaming(module, on):
    """Switch every CausalConv3d below `module` to streaming (chunked) mode, dropping old caches either way."""
    for m in module.modules():
        if isinstance(m, CausalConv3d):
            m.streaming = on
            m.cache = None


# ----------------------------------------------------------------------------------------------------------------
# Norms. CogVideoX uses GroupNorm(32) in the encoder and SpatialNorm3D in the decoder (GroupNorm whose scale and
# shift come from the latent zq through 1x1 convolutions). The tiny preset uses none: GroupNorm statistics span the
# whole frame, so a tiled frame would be normalised differently per tile and the worker's tiles would show seams.


class Identity(nn.Module):
    def forward(self, x, zq=None):
        return x


class GroupNorm(nn.GroupNorm):
    def forward(self, x, zq=None):
        return super().forward(x)


def resize_latent(zq, size):
    """Nearest resize of the latent zq to size = (H, W) (4-D) or (T, H, W) (5-D), CogVideoX style: with an odd
    frame count the first latent frame maps to the first frame alone (causal VAE: frame 0 is its own latent)."""
    if zq.dim() == 4:
        return F.interpolate(zq, size=size, mode="nearest")
    t, h, w = size
    if t > 1 and t % 2 == 1 and zq.shape[2] > 1:
        first = F.interpolate(zq[:, :, :1], size=(1, h, w), mode="nearest")
        rest = F.interpolate(zq[:, :, 1:], size=(t - 1, h, w), mode="nearest")
        return torch.cat([first, rest], dim=2)
    return F.interpolate(zq, size=(t, h, w), mode="nearest")


class SpatialNorm3D(nn.Module):
    def __init__(self, channels, zq_channels, groups):
        super().__init__()
        self.norm = nn.GroupNorm(groups, channels, eps=1e-6, affine=True)
        self.conv_y = CausalConv3d(zq_channels, channels, kernel=1)
        self.conv_b = CausalConv3d(zq_channels, channels, kernel=1)

    def modulate(self, normed, zq, z=None):
        """The zq-dependent part, split out so the f16 head can apply it slice by slice (z: zq already resized)."""
        if z is None:
            z = resize_latent(zq, normed.shape[2:])
        return normed * self.conv_y(z) + self.conv_b(z)

    def forward(self, x, zq=None):
        return self.modulate(self.norm(x), zq)


def make_norm(kind, channels, groups, zq_channels=None):
    if kind == "none":
        return Identity()
    if kind == "group":
        return GroupNorm(groups, channels, eps=1e-6)
    if kind == "spatial":
        return SpatialNorm3D(channels, zq_channels, groups)
    raise ValueError(kind)


# ----------------------------------------------------------------------------------------------------------------
# Residual block (CogVideoXResnetBlock3D without the time embedding, which the VAE does not use).


class ResBlock(nn.Module):
    def __init__(self, cin, cout, kt, norm, groups, zq_channels=None):
        super().__init__()
        self.norm1 = make_norm(norm, cin, groups, zq_channels)
        self.conv1 = CausalConv3d(cin, cout, 3, kt)
        self.norm2 = make_norm(norm, cout, groups, zq_channels)
        self.conv2 = CausalConv3d(cout, cout, 3, kt)
        # A 1x1 projection only where the width changes, as in CogVideoX (its conv_shortcut=False path).
        self.skip = CausalConv3d(cin, cout, 1) if cin != cout else None

    def forward(self, x, zq=None):
        h = self.conv1(F.silu(self.norm1(x, zq)))
        h = self.conv2(F.silu(self.norm2(h, zq)))
        return h + (x if self.skip is None else self.skip(x))


# ----------------------------------------------------------------------------------------------------------------
# Resampling between VAE levels. Spatial steps are per-frame 2-D convolutions (as in CogVideoX); the temporal step
# (x2 on the way down/up, used twice for t4) keeps frame 0 apart when the count is odd, so 8k+1 frames map to
# 4k+1 and then 2k+1 and back exactly.


class Downsample(nn.Module):
    def __init__(self, channels, compress_time):
        super().__init__()
        self.compress_time = compress_time
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=1)

    def forward(self, x):
        if x.dim() == 4:
            return self.conv(x)
        if self.compress_time and x.shape[2] > 1:
            if x.shape[2] % 2 == 1:
                first, rest = x[:, :, :1], x[:, :, 1:]
                rest = 0.5 * (rest[:, :, 0::2] + rest[:, :, 1::2])
                x = torch.cat([first, rest], dim=2)
            else:
                x = 0.5 * (x[:, :, 0::2] + x[:, :, 1::2])
        b = x.shape[0]
        return unfold_frames(self.conv(fold_frames(x)), b)


class Upsample(nn.Module):
    def __init__(self, channels, compress_time):
        super().__init__()
        self.compress_time = compress_time
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        if x.dim() == 4:
            return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))
        b = x.shape[0]
        if self.compress_time and x.shape[2] > 1:
            if x.shape[2] % 2 == 1:
                first = unfold_frames(F.interpolate(fold_frames(x[:, :, :1]), scale_factor=2.0, mode="nearest"), b)
                rest = F.interpolate(x[:, :, 1:], scale_factor=2.0, mode="nearest")
                x = torch.cat([first, rest], dim=2)
            else:
                x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        else:
            x = unfold_frames(F.interpolate(fold_frames(x), scale_factor=2.0, mode="nearest"), b)
        return unfold_frames(self.conv(fold_frames(x)), b)
