"""Stage 3b: FastVSR's f16 decoder (paper Fig. 2c).

    latent -> conv_in -> mid block -> up-sample blocks      (= the f8 decoder's body, unchanged)
           -> features [4C, R] -> PixelShuffle(2) -> [C, 2R] -> copy x4 -> [4C, 2R] -> conv_out (with its norm)

The body runs on FastVSR's latent (from a x2, not x4, upscaled input), so it ends at R = half the output size;
PixelShuffle trades 4 channels for a 2x2 block of pixels, and the channel copy restores the 4C width that the f8
head expects. No layer gains or loses a parameter, so the f8 decoder's state_dict loads strictly: training starts
from the pretrained decoder (the paper fine-tunes it; its losses are not public).

Choices the paper leaves open, and ours:
  * "copy" = repeat_interleave: shuffled channel c fills channels 4c..4c+3. With GroupNorm(G = C groups) in the
    head this is exact bookkeeping: PixelShuffle maps the input channels 4c..4c+3 (= group c) onto shuffled channel
    c, and its 4 copies are again group c, so the head's norm sees the very statistics the f8 head would have seen.
    We use that identity to compute the head's norm statistics at R and run the full-resolution part of the head in
    temporal slices (`head_slices`): the only full-resolution tensors are then a few frames wide.
  * Without a norm in the head (tiny), conv_out(copy(x)) == conv with the copies' weights summed: `fuse_copy()`
    folds it for export, a 4x cheaper conv_out at full resolution with identical output.
"""
import torch
import torch.nn.functional as F

from .decoder_f8 import DecoderF8
from .layers import GroupNorm, Identity, SpatialNorm3D, fold_frames, resize_latent, unfold_frames


def pixel_shuffle(x, r=2):
    """[.., C*r*r, H, W] -> [.., C, r*H, r*W] for 4-D or 5-D (per frame) tensors."""
    if x.dim() == 4:
        return F.pixel_shuffle(x, r)
    return unfold_frames(F.pixel_shuffle(fold_frames(x), r), x.shape[0])


def channel_copy(x, n=4):
    """repeat_interleave along channels as expand + reshape (exports to Expand/Reshape, no Gather)."""
    s = list(x.shape)
    y = x.unsqueeze(2).expand(*s[:2], n, *s[2:])
    return y.reshape(s[0], s[1] * n, *s[2:])


class DecoderF16(DecoderF8):
    factor = 16

    def __init__(self, cfg):
        super().__init__(cfg)
        assert self.out_channels % 4 == 0
        self.head_slices = 0       # >0: run the full-resolution head this many frames at a time (5-D only)
        self.sum_copies = True     # norm-free 2-D head: conv_out(copy(x)) as one conv with the copies' weights summed
        self._fused = None

    def zero_head(self):
        """conv_out <- 0: with a residual base the pipeline then starts exactly at that base (fidelity.py)."""
        torch.nn.init.zeros_(self.conv_out.conv.weight)
        torch.nn.init.zeros_(self.conv_out.conv.bias)
        self._fused = None
        return self

    def shuffle_copy(self, h):
        return channel_copy(pixel_shuffle(h, 2), 4)

    def head(self, h, z):
        if self._fused is not None:
            w, b = self._fused
            return F.conv2d(F.silu(pixel_shuffle(h, 2)), w, b, 1, 1)
        if self.sum_copies and h.dim() == 4 and isinstance(self.norm_out, Identity) and self.conv_out.kt == 1:
            # the same function as copy + conv_out, from the same parameters (each copy's weights get the same
            # gradient), at a quarter of the full-resolution work: what makes training at full size affordable
            w = self.conv_out.conv.weight[:, :, 0]
            w = w.reshape(w.shape[0], w.shape[1] // 4, 4, *w.shape[2:]).sum(2)
            return F.conv2d(F.silu(pixel_shuffle(h, 2)), w, self.conv_out.conv.bias, 1, 1)
        if self.head_slices and h.dim() == 5 and self._sliceable():
            return self._head_sliced(h, z)
        return self.conv_out(F.silu(self.norm_out(self.shuffle_copy(h), z)))

    # -- exact memory-saving head ----------------------------------------------------------------------------------
    def _sliceable(self):
        n = self.norm_out
        g = n.norm if isinstance(n, SpatialNorm3D) else n
        return isinstance(g, torch.nn.GroupNorm) and g.num_groups == self.out_channels // 4

    def _head_sliced(self, h, z):
        n = self.norm_out
        g = n.norm if isinstance(n, SpatialNorm3D) else n
        b, c4, t, hh, ww = h.shape
        # GroupNorm statistics at R (exact, see module docstring), in fp32 like PyTorch's own GroupNorm kernels.
        hv = h.reshape(b, g.num_groups, -1).float()
        mean = hv.mean(-1).view(b, g.num_groups, 1, 1, 1)
        var = hv.var(-1, unbiased=False).view(b, g.num_groups, 1, 1, 1)
        inv = torch.rsqrt(var + g.eps)
        zfull = resize_latent(z, (t, 2 * hh, 2 * ww)) if isinstance(n, SpatialNorm3D) else None
        conv = self.conv_out
        was_streaming = conv.streaming
        conv.streaming = True
        outs = []
        try:
            for a in range(0, t, self.head_slices):
                e = min(t, a + self.head_slices)
                # normalise at R, then PixelShuffle: shuffled channel c carries group c's statistics
                s = pixel_shuffle(((h[:, :, a:e].float() - mean.repeat_interleave(c4 // g.num_groups, 1)
                                    ) * inv.repeat_interleave(c4 // g.num_groups, 1)).to(h.dtype), 2)
                s = channel_copy(s, 4)
                s = s * g.weight.view(1, -1, 1, 1, 1) + g.bias.view(1, -1, 1, 1, 1)
                if zfull is not None:
                    s = n.modulate(s, None, zfull[:, :, a:e])
                outs.append(conv(F.silu(s)))
        finally:
            conv.streaming = was_streaming
            if not was_streaming:
                conv.cache = None
        return torch.cat(outs, dim=2)

    # -- export-time folding of the copy into conv_out (valid without a norm in the head) --------------------------
    def fuse_copy(self):
        assert isinstance(self.norm_out, Identity) and self.conv_out.kt == 1, "only for a norm-free 2-D head"
        w = self.conv_out.conv.weight[:, :, 0]                      # [3, 4C, k, k]
        w = w.reshape(w.shape[0], w.shape[1] // 4, 4, *w.shape[2:]).sum(2)
        self._fused = (w.detach().clone(), self.conv_out.conv.bias.detach().clone())
        return self
