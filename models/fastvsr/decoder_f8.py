"""Stage 3a: the f8 VAE decoder (the baseline's, and the body of the f16 decoder).

CogVideoX's decoder: conv_in from the 16-channel latent, a mid block, per level (widths reversed) N ResBlocks and
an up-sampler (the first `time_compress_levels` also double T), then the output head norm -> SiLU -> conv_out to
RGB. In `full`, every norm is a SpatialNorm3D conditioned on the latent itself (zq).

The head is a separate method because it is the only thing FastVSR's f16 decoder changes (decoder_f16.py).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import CausalConv3d, ResBlock, Upsample, fold_frames, make_norm, set_streaming, unfold_frames


class DecoderF8(nn.Module):
    factor = 8

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        ch = tuple(reversed(cfg.channels))
        self.frame_wise = cfg.kt == 1 and cfg.time_compress_levels == 0
        zc = cfg.latent_channels
        self.conv_in = CausalConv3d(zc, ch[0], 3, cfg.kt)
        self.mid = nn.ModuleList([ResBlock(ch[0], ch[0], cfg.kt, cfg.dec_norm, cfg.groups, zc)
                                  for _ in range(cfg.mid_layers)])
        self.levels = nn.ModuleList()
        cin = ch[0]
        for i, c in enumerate(ch):
            level = nn.Module()
            level.blocks = nn.ModuleList([ResBlock(cin if j == 0 else c, c, cfg.kt, cfg.dec_norm, cfg.groups, zc)
                                          for j in range(cfg.dec_layers)])
            level.up = Upsample(c, i < cfg.time_compress_levels) if i < len(ch) - 1 else None
            self.levels.append(level)
            cin = c
        self.out_channels = cin  # 128 in CogVideoX: the "4C" of the paper's Fig. 2c
        self.norm_out = make_norm(cfg.dec_norm, cin, cfg.groups, zc)
        self.conv_out = CausalConv3d(cin, 3, 3, cfg.kt)

    def body(self, z, inject=None):
        """Everything up to the output head: latent -> [B, 4C, T, 8h, 8w] features. `inject` {level: features}
        adds features at a level's input (the pixel path, fidelity.py; frame-wise decoders only)."""
        h = self.conv_in(z)
        for blk in self.mid:
            h = blk(h, z)
        for i, level in enumerate(self.levels):
            if inject and i in inject:
                h = h + inject[i]
            for blk in level.blocks:
                h = blk(h, z)
            if level.up is not None:
                h = level.up(h)
        return h

    def head(self, h, z):
        return self.conv_out(F.silu(self.norm_out(h, z)))

    def level_channels(self, i):
        """Channels entering level i (what an injection there must have)."""
        ch = tuple(reversed(self.cfg.channels))
        return ch[max(0, i - 1)]

    def _forward(self, z, inject=None):
        return self.head(self.body(z, inject), z)

    def forward(self, z, chunked=False, inject=None):
        """z: unscaled latent [B, 16, T', h, w] -> pixels in ~[-1, 1], [B, 3, T, f*h, f*w]."""
        if self.frame_wise:
            return unfold_frames(self._forward(fold_frames(z), inject), z.shape[0])
        assert not inject, "the pixel path needs a frame-wise decoder"
        if not chunked or z.shape[2] <= self.cfg.dec_chunk:
            return self._forward(z)
        # CogVideoX's latent frame batching: dec_chunk latent frames per call, remainder in the first chunk;
        # each chunk is its own zq for the spatial norms, causal convolutions carry state across chunks.
        n, k = z.shape[2], self.cfg.dec_chunk
        first = n - k * (n // k - 1)
        bounds = [0] + list(range(first, n + 1, k))
        set_streaming(self, True)
        try:
            outs = [self._forward(z[:, :, a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        finally:
            set_streaming(self, False)
        return torch.cat(outs, dim=2)
