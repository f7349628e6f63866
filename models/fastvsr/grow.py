"""Stage 5 (ours, not in the paper): growing a trained model's pixel path, keeping what it computes.

Why. tiny v2's validation curve is flat over its last ~2000 steps (models/README.md): more steps of the same model
do not move it, and the ablations put most of its gain in the pixel path (fidelity.py). Growing the path deeper adds
capacity where the gain is without giving up what v2 learned: every new ResBlock starts as an identity (its second
convolution zeroed, as the path's zero convs are), so a grown, untrained model returns exactly its source's output,
and training (train.py --grow-from) continues end to end from there instead of from bicubic.

    source blocks:  [T0 .. T(a-1)] [S0 .. S(b-1)]               (T: first conv 3x3x3 in time, S: 3x3)
    grown blocks:   [T0 .. T(a-1) | new T ...] [S0 .. S(b-1) | new S ...]      new ones: x + 0 = x

Stage 10 grows the path's input the same way: aligned neighbours (align.py) enter conv_in through new input channels
whose weights start at zero.

Everything else (encoder, restorer, decoder, the path's stem and zero convs) is copied by name; the grown preset
may differ from the source's only in the pixel path's block counts and its neighbours.
"""
from dataclasses import replace

import torch

from .align import neighbour_offsets
from .pipeline import OneStepVSR


def grow(source, preset):
    """A new f16 model of `preset` computing what `source` (an f16 model with a pixel path) computes."""
    sp, gp = source.preset, preset
    sf, gf = sp.fidelity, gp.fidelity
    if sf.width == 0 or gf.width != sf.width or replace(gp, name=sp.name, fidelity=sf) != sp:
        raise ValueError("grow() deepens the pixel path only: same width and everything else as the source")
    if gf.temporal_blocks < sf.temporal_blocks or gf.spatial_blocks < sf.spatial_blocks:
        raise ValueError("grow() cannot remove blocks")
    if gf.neighbours < sf.neighbours:
        raise ValueError("grow() cannot remove neighbours")
    grown = OneStepVSR(gp, "f16")
    # source block i -> grown block index: temporal ones keep their place, spatial ones follow all temporal ones
    where = {i: i if i < sf.temporal_blocks else gf.temporal_blocks + i - sf.temporal_blocks
             for i in range(sf.temporal_blocks + sf.spatial_blocks)}
    state = {}
    for k, v in source.state_dict().items():
        if k.startswith("pixel.blocks."):
            _, _, i, rest = k.split(".", 3)
            k = f"pixel.blocks.{where[int(i)]}.{rest}"
        state[k] = v
    fresh = grown.state_dict()
    # conv_in's input: the frame, then align.neighbour_offsets; the source's channels keep their frames, new ones read 0
    w_in, w_src = fresh["pixel.conv_in.weight"], state["pixel.conv_in.weight"]
    if w_in.shape != w_src.shape:
        w = torch.zeros_like(w_in)
        src_offsets = [0] + neighbour_offsets(sf.neighbours)
        new_offsets = [0] + neighbour_offsets(gf.neighbours)
        for i, k in enumerate(src_offsets):
            j = new_offsets.index(k)
            w[:, 3 * j:3 * j + 3] = w_src[:, 3 * i:3 * i + 3]
        state["pixel.conv_in.weight"] = w
    missing = set(fresh) - set(state)
    for k in missing:
        if not k.startswith("pixel.blocks."):
            raise ValueError(f"{k} is in the grown model but not in the source")
    for j, blk in enumerate(grown.pixel.blocks):
        if j not in where.values():
            with torch.no_grad():
                blk.conv2.weight.zero_()
                blk.conv2.bias.zero_()
            for k, v in blk.state_dict().items():
                state[f"pixel.blocks.{j}.{k}"] = v
    grown.load_state_dict(state, strict=True)
    return grown
