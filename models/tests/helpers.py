"""Small configurations with the structure of the presets, so the tests run in seconds on a 2-core CPU."""
import torch

import fastvsr
from fastvsr.presets import FULL, RestorerConfig, VAEConfig, get_preset


def mini_full(dec_norm="spatial", enc_norm="group"):
    """`full`'s structure (causal 3-D VAE, t4, GroupNorm/SpatialNorm with groups == 4C/4, joint attention with
    text tokens) at toy widths."""
    vae = VAEConfig(channels=(16, 16, 32, 32), enc_layers=1, dec_layers=2, mid_layers=1, latent_channels=8,
                    kt=3, time_compress_levels=2, enc_norm=enc_norm, dec_norm=dec_norm, groups=4,
                    scaling_factor=0.7, enc_chunk=8, dec_chunk=2)
    rc = RestorerConfig(dim=32, depth=2, heads=4, mlp_ratio=2.0, patch=2, attn="full", text_len=5, text_dim=12,
                        time_dim=16)
    return get_preset("full", vae=vae, restorer=rc)


def randomize_(module, seed=0):
    """Random values everywhere, zero-initialised layers included, so that every path carries signal."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * (0.5 / max(1, p[0].numel()) ** 0.5 if p.dim() > 1 else 0.1))
    return module
