"""Stage 2: the one-step latent restorer (DiT), shared by both pipelines.

DOVE's restorer is CogVideoX1.5-5B fine-tuned to map the LR video's latent to the HR latent in one step: the LR
latent is fed as the "noisy" latent x_t at t = 399 with the empty-prompt embedding, the network predicts v, and
x0 = sqrt(abar_t) * x_t - sqrt(1 - abar_t) * v. FastVSR reuses it unchanged; it only sees 4x fewer tokens because
the latent comes from a x2 (not x4) upscaled input. Attention cost falls ~16x, linear layers ~4x.

Structure: 2x2 patch embedding -> positional conv -> N blocks (adaLN-modulated attention + MLP, QK-norm, GELU-tanh)
-> adaLN -> linear un-patchify. Where we differ from CogVideoX, and why:
  * positions come from a depthwise 3x3x3 convolution on the token grid (conditional positional encoding) instead of
    3-D RoPE: it is resolution- and length-agnostic without tables and exports to ONNX with dynamic T, H, W.
    Its cost is negligible, so the MAC/latency figures are unaffected;
  * one adaLN per block for text and video tokens (CogVideoX has a second set for the text tokens: 0.1% of MACs);
  * the empty-prompt T5 embedding is a stored buffer (it is a constant at inference; no T5 is loaded);
  * attn='factorized' (tiny): spatial attention within a frame, then temporal attention across frames at the same
    position. Frames of a clip inform each other at linear cost in T, which a CPU can afford; 'full' (CogVideoX)
    attends jointly over every token of the clip and the text.
  * proj_out starts at zero (DiT convention), so an untrained restorer returns sqrt(abar_t) * x_t;
  * LayerNorms keep their affine parameters (an affine-free LayerNorm does not export from torch 1.13 at opset 17).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import attention, fold_frames, unfold_frames
from .presets import alphas_cumprod


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = float(t) * freqs
    return torch.cat([torch.cos(args), torch.sin(args)])[None]


class Attention(nn.Module):
    def __init__(self, dim, heads, qk_norm):
        super().__init__()
        self.heads, self.dh = heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.q_norm = nn.LayerNorm(self.dh, eps=1e-6) if qk_norm else nn.Identity()
        self.k_norm = nn.LayerNorm(self.dh, eps=1e-6) if qk_norm else nn.Identity()
        self.out = nn.Linear(dim, dim)

    def forward(self, x):  # [B, N, dim]
        b = x.shape[0]
        qkv = self.qkv(x).reshape(b, -1, 3, self.heads, self.dh).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        o = attention(self.q_norm(q), self.k_norm(k), v)
        return self.out(o.transpose(1, 2).reshape(b, -1, self.heads * self.dh))


def _mod(x, shift, scale):
    return x * (1 + scale) + shift


class Block(nn.Module):
    def __init__(self, rc):
        super().__init__()
        d = rc.dim
        self.factorized = rc.attn == "factorized"
        n_mod = 9 if self.factorized else 6
        self.ada = nn.Linear(rc.time_dim, n_mod * d)
        self.norm1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = Attention(d, rc.heads, rc.qk_norm)
        if self.factorized:
            self.norm_t = nn.LayerNorm(d, eps=1e-5)
            self.attn_t = Attention(d, rc.heads, rc.qk_norm)
        self.norm2 = nn.LayerNorm(d, eps=1e-5)
        hidden = int(d * rc.mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(d, hidden), nn.GELU(approximate="tanh"), nn.Linear(hidden, d))

    def forward(self, x, temb):
        """full: x [B, N, d]; factorized: x [B, T, S, d]. temb [B, time_dim]."""
        m = self.ada(F.silu(temb))
        m = m.view(m.shape[0], *([1] * (x.dim() - 2)), m.shape[-1]).chunk(9 if self.factorized else 6, dim=-1)
        if not self.factorized:
            x = x + m[2] * self.attn(_mod(self.norm1(x), m[0], m[1]))
        else:
            b, t = x.shape[0], x.shape[1]
            h = _mod(self.norm1(x), m[0], m[1]).flatten(0, 1)                        # frames: [B*T, S, d]
            x = x + m[2] * self.attn(h).reshape(x.shape)
            h = _mod(self.norm_t(x), m[6], m[7]).transpose(1, 2).flatten(0, 1)       # positions: [B*S, T, d]
            h = self.attn_t(h).reshape(b, -1, t, x.shape[-1]).transpose(1, 2)
            x = x + m[8] * h
        return x + m[5] * self.mlp(_mod(self.norm2(x), m[3], m[4]))


class Restorer(nn.Module):
    def __init__(self, rc, latent_channels):
        super().__init__()
        self.rc, d, p = rc, rc.dim, rc.patch
        self.zc = latent_channels
        self.patch_embed = nn.Conv2d(latent_channels, d, p, stride=p)
        self.pos = nn.Conv3d(d, d, 3, padding=1, groups=d)
        self.register_buffer("t_freq", timestep_embedding(rc.timestep, 256), persistent=False)
        self.time_mlp = nn.Sequential(nn.Linear(256, rc.time_dim), nn.SiLU(), nn.Linear(rc.time_dim, rc.time_dim))
        if rc.text_len:
            # stands in for T5("") -- a constant; a real port would store DOVE's precomputed embedding here
            self.register_buffer("null_text", torch.randn(1, rc.text_len, rc.text_dim) * 0.1)
            self.text_proj = nn.Linear(rc.text_dim, d)
        self.blocks = nn.ModuleList([Block(rc) for _ in range(rc.depth)])
        self.norm_out = nn.LayerNorm(d, eps=1e-5)
        self.ada_out = nn.Linear(rc.time_dim, 2 * d)
        self.proj_out = nn.Linear(d, p * p * latent_channels)
        nn.init.zeros_(self.proj_out.weight)
        nn.init.zeros_(self.proj_out.bias)
        ab = alphas_cumprod(rc.timestep)
        self.c_skip, self.c_out = math.sqrt(ab), math.sqrt(1.0 - ab)

    def forward(self, z):
        """z: scaled latent [B, C, T, h, w] (x_t) -> x0 of the same shape."""
        b, t = z.shape[0], z.shape[2]
        d, p = self.rc.dim, self.rc.patch
        x = unfold_frames(self.patch_embed(fold_frames(z)), b)              # [B, d, T, hp, wp]
        x = x + self.pos(x)
        hp, wp = x.shape[3], x.shape[4]
        x = x.flatten(3).permute(0, 2, 3, 1)                                 # [B, T, S, d]
        temb = self.time_mlp(self.t_freq.to(x.dtype)).expand(b, -1)
        n_text = 0
        if self.rc.attn == "full":
            x = x.reshape(b, -1, d)                                          # [B, T*S, d]
            if self.rc.text_len:
                text = self.text_proj(self.null_text.to(x.dtype)).expand(b, -1, -1)
                x = torch.cat([text, x], dim=1)
                n_text = self.rc.text_len
        for blk in self.blocks:
            x = blk(x, temb)
        shift, scale = self.ada_out(F.silu(temb)).chunk(2, dim=-1)
        x = x[:, n_text:].reshape(b, t, -1, d)
        x = _mod(self.norm_out(x), shift[:, None, None], scale[:, None, None])
        v = self.proj_out(x)                                                 # [B, T, S, p*p*C]
        v = v.reshape(b * t, hp, wp, self.zc, p, p).permute(0, 3, 1, 4, 2, 5)
        v = v.reshape(b * t, self.zc, hp * p, wp * p)
        v = unfold_frames(v, b)
        return self.c_skip * z - self.c_out * v
