"""Stage 1: the f8 VAE encoder (frozen in FastVSR).

FastVSR keeps the base model's encoder untouched so that the DiT sees exactly the latents it was trained on: the
"asymmetric VAE" changes only the decoder. The encoder therefore has one job in both pipelines: map pixels in
[-1, 1] to 16-channel latents at 1/8 of the spatial size (and 1/4 of the frames, causally, in `full`).
The only difference between the pipelines is what it is fed: x4-upscaled LR (f8 baseline) or x2-upscaled LR
(FastVSR), so FastVSR's latent has 4x fewer positions and every later stage is ~4x cheaper.

Structure = CogVideoX's encoder: conv_in, per level N ResBlocks + a down-sampler (the first
`time_compress_levels` also halve T), a mid block, norm, SiLU, conv_out to mean and log-variance.
We return the mean (the mode): one-step restoration wants a deterministic latent.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import CausalConv3d, Downsample, ResBlock, fold_frames, make_norm, set_streaming, unfold_frames


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        ch = cfg.channels
        # A VAE with no temporal kernel and no temporal compression maps each frame on its own: fold the frames
        # into the batch once and run plain 2-D layers (cheaper on CPU, and any clip length works).
        self.frame_wise = cfg.kt == 1 and cfg.time_compress_levels == 0
        self.conv_in = CausalConv3d(3, ch[0], 3, cfg.kt)
        self.levels = nn.ModuleList()
        cin = ch[0]
        for i, c in enumerate(ch):
            level = nn.Module()
            level.blocks = nn.ModuleList(
                [ResBlock(cin if j == 0 else c, c, cfg.kt, cfg.enc_norm, cfg.groups) for j in range(cfg.enc_layers)])
            level.down = Downsample(c, i < cfg.time_compress_levels) if i < len(ch) - 1 else None
            self.levels.append(level)
            cin = c
        self.mid = nn.ModuleList([ResBlock(cin, cin, cfg.kt, cfg.enc_norm, cfg.groups) for _ in range(cfg.mid_layers)])
        self.norm_out = make_norm(cfg.enc_norm, cin, cfg.groups)
        self.conv_out = CausalConv3d(cin, 2 * cfg.latent_channels, 3, cfg.kt)

    def _forward(self, x):
        h = self.conv_in(x)
        for level in self.levels:
            for blk in level.blocks:
                h = blk(h)
            if level.down is not None:
                h = level.down(h)
        for blk in self.mid:
            h = blk(h)
        h = self.conv_out(F.silu(self.norm_out(h)))
        return h[:, : self.cfg.latent_channels]  # the mean; the log-variance half is unused at inference

    def forward(self, x, chunked=False):
        """x: [B, 3, T, H, W] in [-1, 1] -> latent mean [B, 16, T', H/8, W/8] (unscaled)."""
        if self.frame_wise:
            return unfold_frames(self._forward(fold_frames(x)), x.shape[0])
        if not chunked or x.shape[2] <= self.cfg.enc_chunk:
            return self._forward(x)
        # CogVideoX's frame batching: chunks of enc_chunk frames, the remainder (the lone first frame of 8k+1)
        # joins the first chunk; causal convolutions carry their last frames across chunks.
        n = x.shape[2]
        first = n - self.cfg.enc_chunk * (n // self.cfg.enc_chunk - 1)
        bounds = [0] + list(range(first, n + 1, self.cfg.enc_chunk))
        set_streaming(self, True)
        try:
            outs = [self._forward(x[:, :, a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        finally:
            set_streaming(self, False)
        return torch.cat(outs, dim=2)
