"""Stage 10: neighbours aligned by the global motion (fastvsr/align.py)."""
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

import fastvsr
from degrade import camera_clip
from fastvsr.align import AlignedNeighbours, GlobalShift, neighbour, warp


def texture(n=1, size=160, seed=0):
    g = torch.Generator().manual_seed(seed)
    return F.avg_pool2d(torch.rand(n, 1, size, size, generator=g), 3, 1, 1)


def test_a_known_sub_pixel_translation_is_found():
    true = torch.tensor([[1.7, -2.3], [0.4, 0.25], [-3.6, 1.1], [5.2, -4.9], [0.0, 0.0]])
    ref = texture().expand(len(true), -1, -1, -1).contiguous()
    moving = warp(ref, -true, mode="bicubic")            # moving(p + true) = ref(p)
    found = GlobalShift()(ref, moving)
    assert (found - true).abs().max() < 0.1, found


def photo_like(size, seed):
    """Detail at every scale from 2 to 32 pixels, as photos have (a box-filtered noise has only the finest)."""
    g = torch.Generator().manual_seed(seed)
    acc = torch.zeros(1, 1, size, size)
    for s in (2, 4, 8, 16, 32):
        n = torch.rand(1, 1, size // s + 1, size // s + 1, generator=g)
        acc += F.interpolate(n, scale_factor=s, mode="bicubic", align_corners=False)[..., :size, :size]
    return (acc - acc.min()) / (acc.max() - acc.min())


def test_the_shift_of_a_downscaled_camera_pan_is_its_velocity_over_four():
    # the data's own camera (no zoom, no rotation) over a photo-like field, reduced x4 by area
    photo = Image.fromarray((photo_like(480, 3)[0, 0].numpy() * 255).astype(np.uint8)).convert("RGB")
    motion = {"vx": 5.0, "vy": -2.6, "sway": 0.0, "sway_phase": 0.0, "zoom0": 1.0, "zoom_rate": 0.0, "rot0": 0.0,
              "rot_rate": 0.0}
    hr, _ = camera_clip(photo, 3, (192, 192), np.random.default_rng(3), motion)       # [T, H, W, 3] uint8
    lr = F.avg_pool2d(torch.from_numpy(hr).float().permute(0, 3, 1, 2) / 255, 4)[:, :1]
    found = GlobalShift()(lr[:1].expand(2, -1, -1, -1), lr[1:])
    # the camera moves (vx, vy) HR pixels per frame: frame t + k holds frame t's pixel p at p - k (vx, vy) / 4
    expected = -torch.tensor([[5.0, -2.6], [10.0, -5.2]]) / 4
    assert (found - expected).abs().max() < 0.1, found


def test_neighbours_replicate_the_clip_ends():
    x = torch.arange(5.0).view(1, 1, 5, 1, 1)
    assert neighbour(x, -2).flatten().tolist() == [0, 0, 0, 1, 2]
    assert neighbour(x, 1).flatten().tolist() == [1, 2, 3, 4, 4]


def test_a_still_clip_aligns_each_neighbour_onto_the_frame_itself():
    frame = texture(3, 64).view(1, 3, 1, 64, 64)
    clip = frame.expand(-1, -1, 4, -1, -1)
    out = AlignedNeighbours(2)(clip)
    assert out.shape == (4, 15, 64, 64)
    for j in range(5):
        assert torch.allclose(out[:, 3 * j:3 * j + 3], out[:, :3], atol=1e-5)


def test_growing_neighbours_computes_the_source_and_then_learns_through_them():
    src = fastvsr.build("tiny", "f16").eval()
    torch.manual_seed(0)
    with torch.no_grad():
        for p in src.parameters():
            p.add_(0.02 * torch.randn_like(p))          # a "trained" source: every zero conv open
    cfg = fastvsr.get_preset("tiny")
    grown = fastvsr.grow(src, replace(cfg, fidelity=replace(cfg.fidelity, neighbours=1))).eval()
    lr = torch.rand(1, 3, 4, 32, 32)
    with torch.no_grad():
        assert torch.allclose(grown(lr), src(lr), atol=1e-6)
    w = grown.pixel.conv_in.weight
    assert w.shape[1] == 9 and w[:, 3:].abs().sum() == 0
    grown.train()
    grown(lr).mean().backward()
    assert w.grad[:, 3:].abs().sum() > 0
    with pytest.raises(ValueError):
        fastvsr.grow(grown, cfg)


def test_aligned_neighbours_export_as_grid_samples():
    onnx = pytest.importorskip("onnx")
    from export_onnx import export

    cfg = fastvsr.get_preset("tiny")
    model = fastvsr.build(replace(cfg, fidelity=replace(cfg.fidelity, neighbours=1))).eval()
    model.pad_inputs = False
    path = export(model, "/tmp/fastvsr-align-test.onnx")
    modes = [a.s.decode() for n in onnx.load(path).graph.node if n.op_type == "GridSample"
             for a in n.attribute if a.name == "mode"]
    # per neighbour: bilinear warps for the 2 + 3 Lucas-Kanade steps, one bicubic warp of the frame
    assert sorted(set(modes)) == ["bicubic", "bilinear"] and modes.count("bicubic") == 2
