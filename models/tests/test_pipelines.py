import dataclasses

import pytest
import torch

import fastvsr
from fastvsr.layers import set_attention_backend
from helpers import mini_full, randomize_


@pytest.mark.parametrize("variant", ["f8", "f16"])
@pytest.mark.parametrize("shape", [(1, 3, 1, 16, 24), (2, 3, 3, 20, 28)])  # 20x28: not multiples -> pad + crop
def test_tiny_shapes(variant, shape):
    torch.manual_seed(0)
    m = fastvsr.build("tiny", variant).eval()
    x = torch.rand(*shape)
    with torch.no_grad():
        y = m(x)
    b, c, t, h, w = shape
    assert y.shape == (b, 3, t, 4 * h, 4 * w)
    assert float(y.min()) >= 0.0 and float(y.max()) <= 1.0


@pytest.mark.parametrize("variant", ["f8", "f16"])
@pytest.mark.parametrize("frames", [1, 5, 9])
def test_full_structure_shapes(variant, frames):
    torch.manual_seed(0)
    m = fastvsr.build(mini_full(), variant).eval()
    x = torch.rand(1, 3, frames, 16, 16)
    with torch.no_grad():
        # the latent: 8k+1 frames -> 2k+1 latent frames (t4), spatial /8 of the pre-upscaled input
        lr, _ = m.pad(x)
        z = m.encode(m.prepare(lr))
        y = m(x)
    assert lr.shape[2] % 8 == 1
    assert z.shape == (1, 8, (lr.shape[2] - 1) // 4 + 1, 16 * m.pre // 8, 16 * m.pre // 8)
    assert y.shape == (1, 3, frames, 64, 64)


def test_f16_latent_has_four_times_fewer_tokens():
    torch.manual_seed(0)
    f8 = fastvsr.build(mini_full(), "f8").eval()
    f16 = fastvsr.f16_from_f8(f8).eval()
    x = torch.rand(1, 3, 9, 16, 32)
    with torch.no_grad():
        z8 = f8.encode(f8.prepare(x))
        z16 = f16.encode(f16.prepare(x))
    assert z8.shape[3] * z8.shape[4] == 4 * z16.shape[3] * z16.shape[4]
    assert z8.shape[:3] == z16.shape[:3]


def test_full_preset_real_shapes_build():
    """`full` has CogVideoX1.5-5B's shapes: parameters counted without allocating them (meta device)."""
    rc = fastvsr.FULL.restorer
    assert (rc.depth, rc.dim, rc.heads, rc.patch) == (42, 3072, 48, 2)
    assert fastvsr.FULL.vae.channels == (128, 256, 256, 512) and fastvsr.FULL.vae.latent_channels == 16
    assert fastvsr.FULL.vae.time_factor == 4 and fastvsr.FULL.vae.spatial_factor == 8
    from fastvsr.restorer import Block
    n = sum(p.numel() for p in Block(rc).parameters())
    assert 110e6 < n < 150e6  # ~12 d^2 per block -> ~5B for 42 blocks


def test_chunked_vae_equals_one_pass_without_norms():
    """Streaming causal convolutions: with no norms (whose statistics are per chunk), chunked == one pass."""
    torch.manual_seed(0)
    m = randomize_(fastvsr.build(mini_full(dec_norm="none", enc_norm="none"), "f8")).eval()
    x = torch.rand(1, 3, 17, 16, 16) * 2 - 1
    up = fastvsr.upscale(x, 4)
    with torch.no_grad():
        m.chunked = False
        z1 = m.encode(up)
        y1 = m.decode(z1)
        m.chunked = True
        z2 = m.encode(up)
        y2 = m.decode(z1)
    assert z1.shape == z2.shape == (1, 8, 5, 8, 8)
    assert torch.allclose(z1, z2, atol=1e-5, rtol=1e-4)
    assert torch.allclose(y1, y2, atol=1e-5, rtol=1e-4)


def test_causality_of_full_vae():
    """A causal VAE: changing frame 8 changes nothing in the reconstruction of frames 0..4 (latent frames 0..1)."""
    torch.manual_seed(0)
    m = randomize_(fastvsr.build(mini_full(dec_norm="none", enc_norm="none"), "f8")).eval()
    m.chunked = False
    x = torch.rand(1, 3, 9, 16, 16) * 2 - 1
    x2 = x.clone()
    x2[:, :, 8] = -x2[:, :, 8]
    with torch.no_grad():
        y, y2 = m.decode(m.encode(x)), m.decode(m.encode(x2))
    assert torch.equal(y[:, :, :5], y2[:, :, :5])
    assert not torch.allclose(y[:, :, 5:], y2[:, :, 5:])


def test_tiny_frames_inform_each_other():
    """tiny's VAE is frame-wise, so any cross-frame effect comes from the restorer's temporal attention."""
    torch.manual_seed(0)
    m = fastvsr.build("tiny", "f16").eval()
    randomize_(m.restorer, seed=3)
    z = torch.randn(1, 16, 3, 8, 8)
    z2 = z.clone()
    z2[:, :, 0] = torch.randn(1, 16, 8, 8)
    with torch.no_grad():
        r, r2 = m.restore(z), m.restore(z2)
    assert (r[:, :, 2] - r2[:, :, 2]).abs().max() > 1e-3 * r.abs().mean()
    # and the rest of the pipeline is frame-wise: without the restorer, frame 2 no longer sees frame 0
    x = torch.rand(1, 3, 3, 16, 16)
    x2 = x.clone()
    x2[:, :, 0] = torch.rand(1, 3, 16, 16)
    m.restorer = torch.nn.Identity()
    with torch.no_grad():
        assert torch.equal(m(x)[:, :, 2], m(x2)[:, :, 2])


@pytest.mark.skipif(not hasattr(torch.nn.functional, "scaled_dot_product_attention"), reason="torch < 2.0")
def test_sdpa_matches_manual_attention():
    torch.manual_seed(0)
    m = randomize_(fastvsr.build(mini_full(), "f16")).eval()
    x = torch.rand(1, 3, 5, 16, 16)
    with torch.no_grad():
        a = m(x)
        set_attention_backend("manual")
        try:
            b = m(x)
        finally:
            set_attention_backend("auto")
    assert torch.allclose(a, b, atol=1e-5)


def test_large_tensor_time_split_is_exact():
    from fastvsr.layers import CausalConv3d
    torch.manual_seed(0)
    conv = CausalConv3d(4, 6, 3, 3)
    x = torch.randn(1, 4, 7, 5, 5)
    with torch.no_grad():
        a = conv(x)
        conv.max_numel = 4 * 5 * 5 * 6 * 3  # forces pieces of a single output frame... and of several
        b = conv(x)
        conv.max_numel = 6 * 5 * 5 * 5
        c = conv(x)
    assert a.shape == b.shape == c.shape == (1, 6, 7, 5, 5)
    assert torch.allclose(a, b, atol=1e-6) and torch.allclose(a, c, atol=1e-6)


# ---- tiny v2: the pixel path and the bicubic base (fidelity.py) ----------------------------------------------------
@pytest.mark.parametrize("factor", [2, 4])
def test_bicubic_conv_is_torch_bicubic(factor):
    from fastvsr.fidelity import BicubicUp
    x = torch.rand(2, 3, 11, 17)
    ref = torch.nn.functional.interpolate(x, scale_factor=factor, mode="bicubic", align_corners=False)
    assert torch.allclose(BicubicUp(factor)(x), ref, atol=1e-5)


@pytest.mark.parametrize("preset", ["tiny", "tiny-big", "tiny-biglat", "tiny-bigpix", "tiny-px40", "tiny-deep-ps",
                                    "tiny-deep4-ps"])
def test_untrained_v2_returns_exactly_bicubic(preset):
    torch.manual_seed(0)
    m = fastvsr.build(preset, "f16").eval()
    lr = torch.rand(1, 3, 3, 16, 24)
    with torch.no_grad():
        y = m(lr)
    ref = torch.nn.functional.interpolate(lr[0].transpose(0, 1), scale_factor=4, mode="bicubic",
                                          align_corners=False).clamp(0, 1).transpose(0, 1)[None]
    assert torch.allclose(y, ref, atol=1e-5)


def test_pixel_path_opens_from_zero_and_mixes_neighbouring_frames():
    """Zero-initialised: the first gradient step reaches the zero convs; once open, frame t depends on t +- 1
    through the path's space-time block even with the restorer's temporal attention out of the way."""
    torch.manual_seed(0)
    m = fastvsr.build("tiny", "f16")
    lr = torch.rand(1, 3, 4, 16, 16)
    m(lr).mean().backward()
    assert m.decoder.conv_out.conv.weight.grad.abs().sum() > 0      # the zeroed head learns first ...
    with torch.no_grad():
        m.decoder.conv_out.conv.weight.normal_(0, 0.01)
    m.zero_grad()
    m(lr).mean().backward()
    assert m.pixel.to_lr.weight.grad.abs().sum() > 0 and m.pixel.to_r.weight.grad.abs().sum() > 0   # ... then the path
    randomize_(m)
    m.eval()
    for blk in m.restorer.blocks:   # no temporal attention: only the pixel path can carry other frames
        torch.nn.init.zeros_(blk.attn_t.out.weight)
        torch.nn.init.zeros_(blk.attn_t.out.bias)
    lr2 = lr.clone()
    lr2[:, :, 2] = torch.rand(1, 3, 16, 16)
    with torch.no_grad():
        y, y2 = m(lr), m(lr2)
    assert (y[:, :, 1] - y2[:, :, 1]).abs().max() > 1e-4          # neighbour of the changed frame
    assert torch.allclose(y[:, :, 0], y2[:, :, 0], atol=1e-6)    # two frames away: untouched


def test_shuffled_path_gives_each_r_pixel_of_an_lr_pixel_its_own_features():
    """shuffle_r: the path's LR features reach R through PixelShuffle(2), so the four R pixels under one LR pixel get
    four different channels of the 1x1 conv per R channel: a change in one of them moves exactly one R pixel in every
    2x2 block.
    And training opens it: once the head is open, its zero conv gets a gradient."""
    torch.manual_seed(0)
    m = fastvsr.build("tiny-deep-ps", "f16")
    lr = torch.rand(1, 3, 2, 16, 16)
    with torch.no_grad():
        m.decoder.conv_out.conv.weight.normal_(0, 0.01)
    m(lr).mean().backward()
    assert m.pixel.to_r_shuffled.weight.grad.abs().sum() > 0
    path = m.pixel.eval()
    with torch.no_grad():
        x2 = m.prepare(lr)
        base = path(lr * 2 - 1, x2)[path.r_level]
        path.to_r_shuffled.bias[2::4] += 1.0       # PixelShuffle: channel 4c + 2 -> channel c at (row 1, column 0)
        moved = path(lr * 2 - 1, x2)[path.r_level] - base
    assert base.shape[-2:] == (32, 32)
    assert torch.allclose(moved[..., 1::2, 0::2], torch.ones_like(moved[..., 1::2, 0::2]))
    for dy, dx in ((0, 0), (0, 1), (1, 1)):
        assert moved[..., dy::2, dx::2].abs().max() == 0


def test_f16_from_f8_keeps_every_weight_and_adds_the_pixel_path():
    torch.manual_seed(0)
    f8 = randomize_(fastvsr.build("tiny", "f8"))
    f16 = fastvsr.f16_from_f8(f8)
    own = {k for k in f16.state_dict() if k.startswith("pixel.")}
    assert own and set(f16.state_dict()) - own == set(f8.state_dict())
    for k, v in f8.state_dict().items():
        if not k.startswith("decoder.conv_out"):
            assert torch.equal(v, f16.state_dict()[k])
    assert f16.decoder.conv_out.conv.weight.abs().sum() == 0     # head zeroed: starts at the bicubic base


def test_a_grown_pixel_path_computes_what_its_source_computes_and_then_learns():
    torch.manual_seed(0)
    src = randomize_(fastvsr.build("tiny", "f16")).eval()
    assert len(fastvsr.grow(src, fastvsr.get_preset("tiny-deep")).pixel.blocks) == 3
    deeper = dataclasses.replace(src.preset, fidelity=dataclasses.replace(src.preset.fidelity, temporal_blocks=3,
                                                                           spatial_blocks=2))
    grown = fastvsr.grow(src, deeper).eval()
    assert len(grown.pixel.blocks) == 5 and len(src.pixel.blocks) == 2
    lr = torch.rand(1, 3, 4, 16, 24)
    with torch.no_grad():
        assert torch.allclose(grown(lr), src(lr), atol=1e-6)
    # the source's spatial block sits after all the grown model's space-time blocks
    assert torch.equal(grown.pixel.blocks[3].conv2.weight, src.pixel.blocks[1].conv2.weight)
    assert grown.pixel.blocks[1].conv2.weight.abs().sum() == 0 and grown.pixel.blocks[1].temporal
    grown.train()
    grown(lr).mean().backward()
    for j in (1, 2, 4):                                   # the new blocks learn from the first step
        assert grown.pixel.blocks[j].conv2.weight.grad.abs().sum() > 0


def test_grow_only_deepens_the_pixel_path():
    src = fastvsr.build("tiny", "f16")
    tiny = fastvsr.get_preset("tiny")
    wider = dataclasses.replace(tiny, fidelity=dataclasses.replace(tiny.fidelity, width=48))
    with pytest.raises(ValueError):
        fastvsr.grow(src, wider)
    with pytest.raises(ValueError):
        fastvsr.grow(src, fastvsr.get_preset("tiny-l64"))
    with pytest.raises(ValueError):
        fastvsr.grow(fastvsr.build("tiny-nopix", "f16"), fastvsr.get_preset("tiny-deep"))
