"""The two inference pipelines, one code base (paper Fig. 2a/2b).

    f8 (baseline):  LR -> x4 upscale -> f8 encoder -> one-step DiT -> f8 decoder  -> HR (4x)
    f16 (FastVSR):  LR -> x2 upscale -> f8 encoder -> one-step DiT -> f16 decoder -> HR (4x)
                    (tiny v2: + pixel path LR -> decoder, + bicubic x4 base; fidelity.py)

Encoder and restorer are the same modules (same weights) in both; only the pre-upscale and the decoder's head
differ. DOVE's conventions are kept: pixels in [-1, 1]; frames padded to 8k+1 for a causal t4 VAE and H, W padded to
the pipeline's multiple (16 for f8 at HR, as DOVE; FastVSR needs the x2 input to be a multiple of 16 as well),
by edge replication, cropped off at the end; the latent is scaled by the VAE's scaling factor around the DiT.

The public interface is the one the worker's model card describes: `lr` [B, 3, T, H, W] RGB in [0, 1] ->
`hr` [B, 3, T, 4H, 4W] in [0, 1].
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .decoder_f8 import DecoderF8
from .decoder_f16 import DecoderF16
from .fidelity import BicubicUp, PixelPath
from .layers import fold_frames, unfold_frames
from .presets import get_preset
from .restorer import Restorer
from .vae_encoder import Encoder


def upscale(x, factor, mode="bilinear"):
    """Per-frame resize of [B, C, T, H, W]. Bilinear, not bicubic: ONNX Runtime's cubic Resize is ~10x slower on
    the CPU, and the VAE encoder sees the result only through strided convolutions."""
    return unfold_frames(F.interpolate(fold_frames(x), scale_factor=float(factor), mode=mode, align_corners=False),
                         x.shape[0])


class OneStepVSR(nn.Module):
    def __init__(self, preset, variant="f16"):
        super().__init__()
        assert variant in ("f8", "f16")
        self.preset, self.variant = preset, variant
        self.pre = 2 if variant == "f16" else 4
        self.encoder = Encoder(preset.vae)
        self.restorer = Restorer(preset.restorer, preset.vae.latent_channels)
        self.decoder = (DecoderF16 if variant == "f16" else DecoderF8)(preset.vae)
        self.pixel = None
        if preset.fidelity.width and variant == "f16":     # the f8 baseline stays the paper's
            assert self.decoder.frame_wise, "the pixel path feeds tiny's frame-wise f16 decoder"
            lr_level = len(preset.vae.channels) - 2        # latent = 2 LR / 8: levels run at LR/4, LR/2, LR, R
            self.pixel = PixelPath(preset.fidelity, lr_level, self.decoder.level_channels(lr_level),
                                   lr_level + 1, self.decoder.level_channels(lr_level + 1))
        self.bicubic = BicubicUp(4) if preset.residual == "bicubic" else None
        if self.bicubic is not None and variant == "f16":
            self.decoder.zero_head()   # an untrained model returns exactly the bicubic x4 of its input
        self.pad_inputs = True   # export turns this off: the worker pads to multipleOf itself
        self.chunked = True      # CogVideoX-style temporal chunks in the VAE (only for a temporal VAE)

    # stage by stage, so the benchmark can time each
    def prepare(self, lr):
        x = lr * 2.0 - 1.0
        return upscale(x, self.pre, self.preset.pre_upscale)

    def encode(self, x):
        return self.encoder(x, chunked=self.chunked) * self.preset.vae.scaling_factor

    def restore(self, z):
        return self.restorer(z)

    def decode(self, z, lr=None, x2=None):
        """Latent -> decoder output in [-1, 1] units; with a pixel path it also reads the LR clip (in [0, 1]) and
        the x2 input (prepare(lr))."""
        inject = self.pixel(lr * 2.0 - 1.0, x2) if self.pixel is not None else None
        return self.decoder(z / self.preset.vae.scaling_factor, chunked=self.chunked, inject=inject)

    def base(self, lr):
        """The residual base the decoder output is added to (0 without one), in [-1, 1]."""
        if self.preset.residual == "bicubic":
            return self.bicubic(lr * 2.0 - 1.0)
        if self.preset.residual == "bilinear":
            return upscale(lr * 2.0 - 1.0, 4, "bilinear")
        return 0.0

    def render(self, z, lr, x2):
        """Restored latent -> HR in [-1, 1], not clamped (what training compares with the target)."""
        return self.decode(z, lr, x2) + self.base(lr)

    def finish(self, y):
        return (y.clamp(-1.0, 1.0) + 1.0) * 0.5

    def multiple(self):
        """LR H, W multiple this pipeline needs (latent must split into whole patches)."""
        return self.preset.vae.spatial_factor * self.preset.restorer.patch // self.pre

    def pad(self, lr):
        t, h, w = lr.shape[2:]
        m, tf = self.multiple(), self.preset.vae.time_factor
        ph, pw = (-h) % m, (-w) % m
        # DOVE pads to 8k+1 frames; a VAE without temporal compression takes any count
        pt = (-(t - 1)) % (2 * tf) if tf > 1 else 0
        if ph or pw:
            lr = unfold_frames(F.pad(fold_frames(lr), (0, pw, 0, ph), mode="replicate"), lr.shape[0])
        if pt:
            lr = torch.cat([lr, lr[:, :, -1:].expand(-1, -1, pt, -1, -1)], dim=2)
        return lr, (t, h, w)

    def forward(self, lr):
        size = None
        if self.pad_inputs:
            lr, size = self.pad(lr)
        x2 = self.prepare(lr)
        hr = self.finish(self.render(self.restore(self.encode(x2)), lr, x2))
        if size is not None:
            t, h, w = size
            hr = hr[:, :, :t, : 4 * h, : 4 * w]
        return hr


def build(preset="tiny", variant="f16", **overrides):
    p = get_preset(preset, **overrides) if isinstance(preset, str) else preset
    return OneStepVSR(p, variant)


def f16_from_f8(f8_model):
    """FastVSR initialisation: same encoder, restorer and decoder weights; only the decoder's head changes. (The
    pixel path and, with a bicubic base, the zeroed head are the f16 model's own: see fidelity.py.)"""
    m = OneStepVSR(f8_model.preset, "f16")
    own = {k: v for k, v in m.state_dict().items() if k.startswith("pixel.")}
    m.load_state_dict(dict(f8_model.state_dict(), **own), strict=True)
    if m.bicubic is not None:
        m.decoder.zero_head()
    return m
