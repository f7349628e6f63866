"""Multiply-accumulate counting that works on torch 1.13 (torch.utils.flop_counter needs torch >= 2.1).

Counts convolutions, linear layers and the two attention matmuls; norms, activations and resizes are left out (a
few per cent, memory-bound), the convention of the paper-style MAC tables. bench_efficiency.py cross-checks it
against torch.utils.flop_counter on torch 2.x.
"""
import contextlib

import torch.nn as nn

from . import layers
from .layers import CausalConv3d


@contextlib.contextmanager
def count_macs(model):
    box = {"macs": 0}
    hooks = []

    def conv_hook(m, inp, out):
        w = m.conv.weight if isinstance(m, CausalConv3d) else m.weight
        k = w[0].numel() if not isinstance(m, CausalConv3d) or inp[0].dim() == 5 else w[0, :, 0].numel()
        box["macs"] += out.numel() * k

    def lin_hook(m, inp, out):
        box["macs"] += out.numel() * m.in_features

    for m in model.modules():
        if isinstance(m, CausalConv3d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, (nn.Conv2d, nn.Conv3d)) and not any(
                isinstance(p, CausalConv3d) and p.conv is m for p in model.modules()):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(lin_hook))
    orig = layers.attention

    def counted(q, k, v):
        box["macs"] += 2 * q.shape[0] * q.shape[1] * q.shape[2] * k.shape[2] * q.shape[3]
        return orig(q, k, v)

    import fastvsr.restorer as R
    R.attention = counted
    try:
        yield box
    finally:
        R.attention = orig
        for h in hooks:
            h.remove()
