"""Presets: one code base, two sizes.

`full` has the shapes of the real system (DOVE = one-step CogVideoX1.5-5B): a causal 3-D VAE with widths
128/256/256/512, 16 latent channels, t4 temporal compression, and a 42-layer, 3072-wide, 48-head DiT on 2x2
patches with 226 text tokens. Its weights are random; it exists to measure cost (bench_efficiency.py).

`tiny` keeps the method (frozen f8 encoder -> one-step latent restorer -> f16 decoder with PixelShuffle + copy) at a
size that trains on one H100 in minutes and runs on a 2-core CPU through ONNX Runtime. What it gives up, and why:
  * no temporal kernel or compression in the VAE (kt=1): every clip length T >= 1 works and a clip is cut anywhere;
    frames inform each other in the restorer instead, through temporal attention (factorised space/time attention);
  * no norms in the VAE: GroupNorm statistics span the frame, which would make the worker's tiles disagree;
  * no text tokens (the empty prompt is a constant; at this size a learned bias carries it);
  * a global residual onto the bicubic x4 of the input and a pixel path from the LR frames into the decoder
    (fidelity.py), both zero at initialisation, so training starts exactly at bicubic (v2; v1 added a bilinear x4 to
    an f8-initialised head that drew a whole image, and had no pixel path).
"""
import math
from dataclasses import dataclass, field, asdict, replace
from typing import Tuple


@dataclass(frozen=True)
class VAEConfig:
    channels: Tuple[int, ...] = (128, 256, 256, 512)  # encoder widths per level; decoder uses them reversed
    enc_layers: int = 3          # ResBlocks per encoder level (CogVideoX: layers_per_block = 3)
    dec_layers: int = 4          # ResBlocks per decoder level (CogVideoX: layers_per_block + 1)
    mid_layers: int = 2          # ResBlocks in each mid block
    latent_channels: int = 16
    kt: int = 3                  # temporal kernel of the causal convolutions (1 = frame-wise VAE)
    time_compress_levels: int = 2  # levels that halve T on the way down: 2 -> t4
    enc_norm: str = "group"      # "group" | "none"
    dec_norm: str = "spatial"    # "spatial" (CogVideoX SpatialNorm3D) | "group" | "none"
    groups: int = 32
    scaling_factor: float = 0.7  # CogVideoX1.5 VAE latent scale
    enc_chunk: int = 8           # frames per encoder chunk (CogVideoX: 8; the remainder joins the first chunk)
    dec_chunk: int = 2           # latent frames per decoder chunk (CogVideoX: 2)

    @property
    def spatial_factor(self):
        return 2 ** (len(self.channels) - 1)

    @property
    def time_factor(self):
        return 2 ** self.time_compress_levels


@dataclass(frozen=True)
class RestorerConfig:
    dim: int = 3072
    depth: int = 42
    heads: int = 48
    mlp_ratio: float = 4.0
    patch: int = 2
    attn: str = "full"           # "full": joint 3-D attention over all tokens (CogVideoX); "factorized": space, then time
    text_len: int = 226          # empty-prompt tokens joined into attention (CogVideoX: 226 T5 tokens)
    text_dim: int = 4096
    time_dim: int = 512
    timestep: int = 399          # DOVE's single step
    qk_norm: bool = True


@dataclass(frozen=True)
class FidelityConfig:
    """The pixel path into the f16 decoder (fidelity.py). width 0 = none (the paper's decoder, and tiny v1)."""
    width: int = 0               # feature channels at LR resolution
    temporal_blocks: int = 1     # ResBlocks whose first conv is 3x3x3, centred in time (frames inform each other)
    spatial_blocks: int = 1      # plain 3x3 ResBlocks after them
    at_r: bool = True            # also feed the x2 input into the decoder at R (= half the output size)
    shuffle_r: bool = False      # also feed the path's LR features into R, 4x as many through PixelShuffle(2)
    neighbours: int = 0          # frames on each side warped onto each frame by the global motion, into conv_in


@dataclass(frozen=True)
class Preset:
    name: str
    vae: VAEConfig
    restorer: RestorerConfig
    residual: str = "none"       # base added to the decoder output: "none", "bilinear" (x4) or "bicubic" (x4)
    pre_upscale: str = "bilinear"
    fidelity: FidelityConfig = field(default_factory=FidelityConfig)

    @property
    def lr_multiple(self):
        """LR height/width must be a multiple of this for the f16 pipeline: x2, then /f8, then 2x2 patches."""
        return self.vae.spatial_factor * self.restorer.patch // 2

    def to_dict(self):
        return asdict(self)


def alphas_cumprod(t, beta_start=0.00085, beta_end=0.012, steps=1000):
    """CogVideoX's scaled_linear schedule; alpha_bar_t for the one-step v -> x0 conversion."""
    betas = [(math.sqrt(beta_start) + (math.sqrt(beta_end) - math.sqrt(beta_start)) * i / (steps - 1)) ** 2
             for i in range(steps)]
    a = 1.0
    for b in betas[: t + 1]:
        a *= 1.0 - b
    return a


FULL = Preset(name="fastvsr-full", vae=VAEConfig(), restorer=RestorerConfig())

# tiny v1 (shipped until card version 1): latent path only, bilinear residual. Kept to evaluate the old model.
TINY_V1 = Preset(
    name="fastvsr-tiny",
    vae=VAEConfig(channels=(16, 16, 32, 64), enc_layers=1, dec_layers=1, mid_layers=1, latent_channels=16, kt=1,
                  time_compress_levels=0, enc_norm="none", dec_norm="none", groups=1, scaling_factor=1.0),
    restorer=RestorerConfig(dim=96, depth=4, heads=4, mlp_ratio=2.0, patch=2, attn="factorized", text_len=0,
                            text_dim=0, time_dim=96, qk_norm=True),
    residual="bilinear",
)

# tiny v2 (card version 2): the same latent path plus a 32-wide pixel path at LR (one space-time and one spatial
# ResBlock) into the decoder at LR and R, and a bicubic residual base (models/README.md, "Deviations").
TINY = replace(TINY_V1, residual="bicubic", fidelity=FidelityConfig(width=32, temporal_blocks=1, spatial_blocks=1))

# Issue 5 variants of `tiny` (same method, same card name): `tiny` keeps 16 latent channels at 1/16 of HR, one
# number per LR pixel, 3x fewer than the LR frame itself; these widen the latent bottleneck.
#   tiny-l64: 64 latent channels (4 numbers per LR pixel), everything else as tiny (+4 % MACs)
#   tiny-w64: 64 latent channels, wider VAE levels (16, 24, 48, 96) and a 128-wide restorer (~1.8x tiny's MACs)
TINY_L64 = replace(TINY_V1, vae=replace(TINY_V1.vae, latent_channels=64))
TINY_W64 = replace(TINY_V1, vae=replace(TINY_V1.vae, channels=(16, 24, 48, 96), latent_channels=64),
                   restorer=replace(TINY_V1.restorer, dim=128, time_dim=128))
# ablation of v2: everything of v2 but the pixel path (bicubic base, zero-initialised head)
TINY_NOPIX = replace(TINY, fidelity=FidelityConfig())

# a candidate for v3 (not shipped): v2's pixel path grown by a second space-time ResBlock (grow.py): 216 k MACs per
# LR pixel against v2's 179 k and v1's 120 k (macs.py), 1.5x v1's CPU time, the issue's limit. Three space-time + two
# spatial blocks (271 k) ran 1.8-1.9x (models/README.md, "Stage 5")
TINY_DEEP = replace(TINY, fidelity=FidelityConfig(width=32, temporal_blocks=2, spatial_blocks=1))

# an upper bound, not for the CPU: tiny-w64's wider latent path with v2's bicubic base and a pixel path twice as wide
# and 2.5x as deep. It asks whether anything trained on this data reaches the +1.5 dB goal (models/README.md)
TINY_BIG = replace(TINY_W64, residual="bicubic", fidelity=FidelityConfig(width=64, temporal_blocks=3, spatial_blocks=2))

# tiny-big's two halves, to learn which one buys its gain (models/README.md, "Stage 6"): its wider latent path with
# v2's pixel path (286 k MACs per LR pixel), and v2's latent path with its pixel path (715 k; the pixel path is 598 k
# of tiny-big's 823 k)
TINY_BIGLAT = replace(TINY_BIG, fidelity=TINY.fidelity)
TINY_BIGPIX = replace(TINY, fidelity=TINY_BIG.fidelity)

# a candidate for v3 at ~1.1x v2's CPU time (bench, 2 cores): the pixel path 40 wide instead of 32 (210 k MACs per LR
# pixel). Depthwise-separable blocks were cheaper in MACs but 1.5-2x slower in ONNX Runtime on the CPU (NOTES.md)
TINY_PX40 = replace(TINY, fidelity=replace(TINY.fidelity, width=40))

# stage 8 candidates (models/README.md): the path's features also enter the decoder at R through a zero 1x1 conv and
# PixelShuffle(2) (+2 k MACs per LR pixel), so what it computes at LR reaches R as 64 numbers per LR pixel instead of
# 16 squeezed through the decoder's LR level and its nearest-neighbour up-sampler; and deeper space-time stacks, which
# the fitted CPU tiles (docs/architecture.md) now leave room for
TINY_DEEP_PS = replace(TINY_DEEP, fidelity=replace(TINY_DEEP.fidelity, shuffle_r=True))
TINY_DEEP3 = replace(TINY, fidelity=replace(TINY.fidelity, temporal_blocks=3))
TINY_DEEP3_PS = replace(TINY_DEEP3, fidelity=replace(TINY_DEEP3.fidelity, shuffle_r=True))
TINY_DEEP4_PS = replace(TINY_DEEP3_PS, fidelity=replace(TINY_DEEP3_PS.fidelity, temporal_blocks=4))

# stage 9's teacher (models/README.md): the upper bound's pixel path grown from 3 to 6 space-time blocks (grow.py),
# trained on from stage 6's tiny-big; not for the CPU
TINY_BIG_DEEP6 = replace(TINY_BIG, fidelity=replace(TINY_BIG.fidelity, temporal_blocks=6))

# stage 10's candidate (models/README.md): v4 with its two neighbours on each side aligned by the camera's global
# motion (align.py) and fed to the path's first conv, grown from v4 (its new input channels start at zero)
TINY_DEEP4_PS_AL = replace(TINY_DEEP4_PS, fidelity=replace(TINY_DEEP4_PS.fidelity, neighbours=2))

PRESETS = {"tiny": TINY, "tiny-deep": TINY_DEEP, "tiny-v1": TINY_V1, "tiny-nopix": TINY_NOPIX, "full": FULL,
           "tiny-l64": TINY_L64, "tiny-w64": TINY_W64, "tiny-big": TINY_BIG,
           "tiny-biglat": TINY_BIGLAT, "tiny-bigpix": TINY_BIGPIX,
           "tiny-px40": TINY_PX40, "tiny-deep-ps": TINY_DEEP_PS, "tiny-deep3": TINY_DEEP3,
           "tiny-deep3-ps": TINY_DEEP3_PS, "tiny-deep4-ps": TINY_DEEP4_PS, "tiny-big-deep6": TINY_BIG_DEEP6,
           "tiny-deep4-ps-al": TINY_DEEP4_PS_AL}


def get_preset(name, **overrides):
    """get_preset('full', vae=..., restorer=...) -> a copy with fields replaced (tests shrink `full` this way)."""
    return replace(PRESETS[name], **overrides) if overrides else PRESETS[name]
