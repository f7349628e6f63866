import torch
import torch.nn.functional as F

import fastvsr
from fastvsr.decoder_f16 import DecoderF16, channel_copy, pixel_shuffle
from fastvsr.decoder_f8 import DecoderF8
from helpers import mini_full, randomize_


def test_pixel_shuffle_and_copy_by_hand():
    c4, h, w = 8, 2, 3
    x = torch.arange(c4 * h * w, dtype=torch.float32).reshape(1, c4, h, w)
    y = channel_copy(pixel_shuffle(x, 2), 4)
    assert y.shape == (1, c4, 2 * h, 2 * w)
    for ch in range(c4):
        c = ch // 4                      # copy: channels 4c..4c+3 all hold shuffled channel c
        for yy in range(2 * h):
            for xx in range(2 * w):
                i, j = yy % 2, xx % 2        # PixelShuffle: (2h+i, 2w+j) of channel c <- channel 4c+2i+j at (h, w)
                assert y[0, ch, yy, xx] == x[0, 4 * c + 2 * i + j, yy // 2, xx // 2]
    # 5-D (per frame) is the same thing frame by frame
    x5 = torch.randn(1, 8, 3, 2, 2)
    y5 = channel_copy(pixel_shuffle(x5, 2), 4)
    for t in range(3):
        assert torch.equal(y5[:, :, t], channel_copy(F.pixel_shuffle(x5[:, :, t], 2), 4))


def test_f8_weights_load_strict_into_f16():
    cfg = mini_full().vae
    f8 = randomize_(DecoderF8(cfg))
    f16 = DecoderF16(cfg)
    assert set(f8.state_dict()) == set(f16.state_dict())
    f16.load_state_dict(f8.state_dict(), strict=True)
    z = torch.randn(1, 8, 3, 4, 4)
    with torch.no_grad():
        body8, body16 = f8.body(z), f16.body(z)
        out8, out16 = f8(z), f16(z)
    assert torch.equal(body8, body16)          # same body, same features [4C, R]
    assert out8.shape == (1, 3, 9, 32, 32) and out16.shape == (1, 3, 9, 64, 64)
    # and the whole pipelines: f16_from_f8 keeps every weight
    p8 = fastvsr.build(mini_full(), "f8")
    p16 = fastvsr.f16_from_f8(p8)
    for (k, a), (k2, b) in zip(p8.state_dict().items(), p16.state_dict().items()):
        assert k == k2 and torch.equal(a, b)


def test_f16_head_by_hand_with_pointwise_conv_out():
    """Norm-free head, conv_out reduced to its centre tap: every output pixel is a hand-computable sum."""
    cfg = mini_full(dec_norm="none").vae
    dec = randomize_(DecoderF16(cfg))
    with torch.no_grad():
        wc = dec.conv_out.conv.weight[:, :, -1, 1, 1].clone()        # [3, 4C] (causal: last temporal tap = now)
        dec.conv_out.conv.weight.zero_()
        dec.conv_out.conv.weight[:, :, -1, 1, 1] = wc
        h = torch.randn(1, 16, 2, 3, 3)                                  # features [4C=16, R=3x3], 2 frames
        out = dec.head(h, None)
    bias = dec.conv_out.conv.bias
    s = F.silu(h)
    for o in range(3):
        for t in range(2):
            for yy in range(6):
                for xx in range(6):
                    i, j = yy % 2, xx % 2
                    want = bias[o] + sum(wc[o, 4 * c + k] * s[0, 4 * c + 2 * i + j, t, yy // 2, xx // 2]
                                         for c in range(4) for k in range(4))
                    assert abs(float(out[0, o, t, yy, xx] - want)) < 1e-5


def test_sliced_head_equals_plain_head():
    """GroupNorm statistics at R + temporal slices == norm after PixelShuffle/copy on the full tensor."""
    cfg = mini_full(dec_norm="spatial").vae
    dec = randomize_(DecoderF16(cfg), seed=5)
    z = torch.randn(1, 8, 3, 4, 4)
    with torch.no_grad():
        h = dec.body(z) * 3 + 1
        plain = dec.head(h, z)
        dec.head_slices = 2
        sliced = dec.head(h, z)
    assert dec._sliceable()
    assert torch.allclose(plain, sliced, atol=1e-4, rtol=1e-4)


def test_fused_copy_equals_plain_head():
    """copy + conv_out (the paper's head), the summed-weights conv training uses, and the constant export folds."""
    m = randomize_(fastvsr.build("tiny", "f16"), seed=2).eval()
    x = torch.rand(1, 3, 2, 16, 24)
    with torch.no_grad():
        m.decoder.sum_copies = False
        a = m(x)
        m.decoder.sum_copies = True
        b = m(x)
        m.decoder.fuse_copy()
        c = m(x)
    assert torch.allclose(a, b, atol=1e-5) and torch.allclose(a, c, atol=1e-5)
    m.decoder._fused = None   # and the summed form trains the very same parameters: equal gradients
    grads = []
    for flag in (False, True):
        m.decoder.sum_copies = flag
        m.zero_grad()
        m(x).square().mean().backward()
        grads.append(m.decoder.conv_out.conv.weight.grad.clone())
    assert torch.allclose(*grads, atol=1e-6, rtol=1e-4)
