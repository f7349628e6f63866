"""The training recipe's pieces: pseudo-video + degradation, the TF.js ESRGAN loader, metrics, the lower-bound loss,
the dataset round trip and a CPU smoke run of train.py on a synthetic set. No network, no big dataset, tmp_path
only."""
import json
import os
import shutil

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

import degrade as D
import esrgan_tfjs
import metrics as M
from losses import lower_bound_loss, patch_err


def photo(h=300, w=420, seed=0):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([127 + 100 * np.sin(x / 7.0 + k) * np.cos(y / 11.0) for k in range(3)], -1)
    img = img + rng.normal(0, 10, img.shape)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


# ---- pseudo-video and degradation ----------------------------------------------------------------------------------
def test_camera_clip_moves_smoothly_and_is_seeded():
    a, _ = D.camera_clip(photo(), 5, (64, 96), np.random.default_rng(1))
    b, _ = D.camera_clip(photo(), 5, (64, 96), np.random.default_rng(1))
    assert a.shape == (5, 64, 96, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    diffs = [np.abs(a[t + 1].astype(float) - a[t]).mean() for t in range(4)]
    assert all(d > 0 for d in diffs)                      # the camera moves ...
    assert max(diffs) < 60                                # ... but no cut between frames


def test_degrade_clip_shapes_determinism_and_slow_variation():
    hr, _ = D.camera_clip(photo(), 4, (64, 64), np.random.default_rng(2))
    p = D.sample_degradation(np.random.default_rng(3))
    p.update(h264=False, jpeg=True, noise=[2.0, 4.0])
    lr1, ap1 = D.degrade_clip(hr, p)
    lr2, _ = D.degrade_clip(hr, p)
    assert lr1.shape == (4, 16, 16, 3) and lr1.dtype == np.uint8
    assert np.array_equal(lr1, lr2)
    assert ap1["jpeg"] and not ap1["h264"]
    # blur + x4 reduction: LR is close to a box-filtered HR, far from a random image
    box = hr.reshape(4, 16, 4, 16, 4, 3).mean((2, 4))
    assert np.abs(lr1.astype(float) - box).mean() < 25


def test_h264_is_skipped_and_recorded_without_ffmpeg():
    hr = np.random.default_rng(0).integers(0, 255, (3, 32, 32, 3), dtype=np.uint8)
    p = dict(D.sample_degradation(np.random.default_rng(0)), h264=True)
    _, applied = D.degrade_clip(hr, p, use_ffmpeg=False)
    assert applied["h264"] is False and applied["h264_skipped"] == "no ffmpeg"


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg")
def test_h264_round_trip_keeps_shape_and_content():
    hr, _ = D.camera_clip(photo(), 4, (64, 64), np.random.default_rng(4))
    out = D.h264(hr, 20)
    assert out.shape == hr.shape and np.abs(out.astype(float) - hr).mean() < 12


def test_gaussian_kernel_normalised_and_anisotropic():
    k = D.gaussian_kernel(2.0, 0.5, 0.0)
    assert abs(k.sum() - 1) < 1e-6 and k.shape[0] % 2 == 1
    c = k.shape[0] // 2
    assert k[c, c + 2] > k[c + 2, c]                       # wider along x than along y


# ---- ESRGAN from TF.js layers format -----------------------------------------------------------------------------
def write_tfjs(tmp_path, arch="rrdn"):
    rng = np.random.default_rng(0)
    w = {"c1/kernel": rng.normal(0, 0.3, (3, 3, 3, 8)), "c1/bias": rng.normal(0, 0.1, 8),
         "c2/kernel": rng.normal(0, 0.3, (1, 1, 8, 48)), "c2/bias": rng.normal(0, 0.1, 48)}
    layers = [
        {"class_name": "InputLayer", "name": "inp", "config": {"name": "inp"}, "inbound_nodes": []},
        {"class_name": "Conv2D", "name": "c1", "config": {"padding": "same", "activation": "linear",
                                                          "strides": [1, 1], "use_bias": True},
         "inbound_nodes": [[["inp", 0, 0, {}]]]},
        {"class_name": "Activation", "name": "r", "config": {"activation": "relu"}, "inbound_nodes": [[["c1", 0, 0, {}]]]},
        {"class_name": "MultiplyBeta", "name": "mb", "config": {"beta": 0.2}, "inbound_nodes": [[["r", 0, 0, {}]]]},
        {"class_name": "Add", "name": "add", "config": {}, "inbound_nodes": [[["mb", 0, 0, {}], ["c1", 0, 0, {}]]]},
        {"class_name": "Conv2D", "name": "c2", "config": {"padding": "valid", "activation": "linear",
                                                          "strides": [1, 1], "use_bias": True},
         "inbound_nodes": [[["add", 0, 0, {}]]]},
        {"class_name": "PixelShuffle4x", "name": "ps", "config": {"scale": 4}, "inbound_nodes": [[["c2", 0, 0, {}]]]},
    ]
    manifest = [{"paths": ["group1-shard1of1.bin"],
                 "weights": [{"name": k, "shape": list(v.shape), "dtype": "float32"} for k, v in w.items()]}]
    d = tmp_path / "package" / "models" / "x4"
    d.mkdir(parents=True)
    (d / "group1-shard1of1.bin").write_bytes(b"".join(v.astype("<f4").tobytes() for v in w.values()))
    (d / "model.json").write_text(json.dumps({"format": "layers-model", "modelTopology": {"model_config": {
        "class_name": "Functional", "config": {"layers": layers, "input_layers": [["inp", 0, 0]],
                                               "output_layers": [["ps", 0, 0]]}}}, "weightsManifest": manifest}))
    (tmp_path / "package" / "ARCH").write_text(arch)
    return tmp_path / "package", w


def test_depth_to_space_matches_tensorflow_nhwc_order():
    r, c, h, w = 2, 3, 2, 2
    x = torch.arange(r * r * c * h * w, dtype=torch.float32).view(1, r * r * c, h, w)
    y = esrgan_tfjs.depth_to_space(x, r)
    for i in range(r):
        for j in range(r):
            for ch in range(c):   # TF: out[h*r+i, w*r+j, ch] = in[h, w, (i*r+j)*C + ch]
                assert torch.equal(y[0, ch, i::r, j::r], x[0, (i * r + j) * c + ch])


def test_tfjs_graph_matches_hand_computation(tmp_path):
    pkg, w = write_tfjs(tmp_path)
    model = esrgan_tfjs.load(str(pkg))
    x = torch.rand(1, 3, 5, 6, generator=torch.Generator().manual_seed(0))
    t = lambda k: torch.from_numpy(w[k].astype(np.float32))  # noqa: E731
    h = torch.nn.functional.conv2d(x, t("c1/kernel").permute(3, 2, 0, 1), t("c1/bias"), padding=1)
    h = torch.relu(h) * 0.2 + h
    h = torch.nn.functional.conv2d(h, t("c2/kernel").permute(3, 2, 0, 1), t("c2/bias"))
    ref = esrgan_tfjs.depth_to_space(h, 4).clamp(0, 1)
    with torch.no_grad():
        got = model(x)
    assert got.shape == (1, 3, 20, 24)
    assert torch.allclose(got, ref, atol=1e-5)


def test_tfjs_rejects_unused_weights(tmp_path):
    pkg, _ = write_tfjs(tmp_path)
    d = pkg / "models" / "x4"
    m = json.loads((d / "model.json").read_text())
    m["weightsManifest"][0]["weights"].append({"name": "extra/kernel", "shape": [1], "dtype": "float32"})
    (d / "model.json").write_text(json.dumps(m))
    with open(d / "group1-shard1of1.bin", "ab") as f:
        f.write(np.zeros(1, "<f4").tobytes())
    with pytest.raises(AssertionError):
        esrgan_tfjs.load(str(pkg))


# ---- metrics and the lower-bound loss -------------------------------------------------------------------------------
def test_metrics_basic_properties():
    g = torch.Generator().manual_seed(0)
    gt = torch.rand(3, 3, 32, 32, generator=g)
    m = M.all_metrics(gt, gt)
    assert m["psnr"] > 100 and abs(m["ssim"] - 1) < 1e-9 and m["flicker"] == 0
    noisy = (gt + 0.1 * torch.randn(gt.shape, generator=g)).clamp(0, 1)
    n = M.all_metrics(noisy, gt)
    assert 15 < n["psnr"] < 25 and n["ssim"] < 0.99 and n["flicker"] > 0
    # a static output for a moving ground truth flickers exactly as much as the ground truth changes
    static = gt[:1].expand(3, -1, -1, -1)
    assert M.flicker(static, gt, 0) == pytest.approx(((gt[1:] - gt[:-1]).abs().mean() * 255).item(), rel=1e-6)


def test_lower_bound_loss_is_active_only_where_worse_than_the_bound():
    x = torch.zeros(1, 3, 1, 16, 16)
    bound = torch.full_like(x, 0.1)
    y = torch.full_like(x, 0.05)
    y[..., :8, :8] = 0.5                              # one 8x8 patch worse than the bound, three better
    loss, frac = lower_bound_loss(y, x, bound)
    assert frac.item() == pytest.approx(0.25)
    assert loss.item() == pytest.approx(0.25 * 0.4, rel=1e-5)   # mean over patches of m_p * |Y - B|_p
    y.requires_grad_(True)
    loss, _ = lower_bound_loss(y, x, bound)
    loss.backward()
    assert y.grad[..., 8:, 8:].abs().sum() == 0 and y.grad[..., :8, :8].abs().sum() > 0
    assert patch_err(y.detach(), x).shape == (1, 1, 2, 2)


# ---- the v2 data set and a CPU smoke run of the whole recipe -------------------------------------------------------
def test_torch_render_is_pillows_render_and_a_window_is_a_crop():
    img = photo(200, 260, seed=3)
    aff, _ = D.camera_affines(img.size, 3, (64, 96), np.random.default_rng(5))
    pil = D.render_pil(img, aff, (64, 96))
    tor = (D.render(D.photo_u8(img), aff, (64, 96)) * 255).round().byte().permute(0, 2, 3, 1).numpy()
    assert (tor != pil).mean() < 1e-3                     # same arithmetic (doubles, truncation): equal values
    win = D.render(D.photo_u8(img), aff, (64, 96), (8, 16, 32, 40))
    assert torch.equal(win, D.render(D.photo_u8(img), aff, (64, 96))[:, :, 8:40, 16:56])
    assert np.array_equal(D.render_pil(img, aff, (64, 96), (8, 16, 32, 40)), pil[:, 8:40, 16:56])


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg")
@pytest.mark.parametrize("codec", ["h264", "hevc"])
def test_delivery_makes_a_coded_file_of_the_lr_clip(tmp_path, codec):
    pytest.importorskip("cv2")
    hr = torch.from_numpy(D.camera_clip(photo(), 4, (64, 96), np.random.default_rng(6))[0]).permute(0, 3, 1, 2) / 255.
    p = dict(D.sample_delivery(np.random.default_rng(7)), codec=codec, crf=20, down="area", blur=0.5, noise=1.0)
    D.deliver(hr, p, str(tmp_path / "c.mp4"))
    lr = D.decode_video(str(tmp_path / "c.mp4"))
    assert lr.shape == (4, 16, 24, 3)
    box = F.avg_pool2d(hr, 4).permute(0, 2, 3, 1).numpy() * 255
    assert np.abs(lr - box).mean() < 12                   # the coded x4 reduction of the clip, not something else


def fake_sources(tmp_path):
    root = tmp_path / "root"
    (root / "pkg").mkdir(parents=True)
    photos = []
    for i, split in enumerate(("train", "train", "val")):
        photo(700, 1100, seed=i).save(root / "pkg" / f"p{i}.png")
        photos.append({"id": f"p{i}", "split": split, "package": "pkg", "path": f"pkg/p{i}.png", "licence": "CC0"})
    (tmp_path / "sources.json").write_text(json.dumps({"photos": photos}))
    return root


def small_splits(monkeypatch, P, train_frames, train_clips):
    """prepare_data's train and val splits at test sizes."""
    monkeypatch.setitem(P.SPLITS, "train", dict(P.SPLITS["train"], hr=(96, 160), T=train_frames, width=(400, 500),
                                                clips=train_clips))
    monkeypatch.setitem(P.SPLITS, "val", dict(P.SPLITS["val"], hr=(96, 128), T=3, width=(400, 500), clips=1))


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg")
def test_prepare_and_train_smoke_on_cpu(tmp_path, monkeypatch):
    pytest.importorskip("cv2")
    import prepare_data as P
    import train
    from clips import ClipSet
    small_splits(monkeypatch, P, train_frames=4, train_clips=2)
    root = fake_sources(tmp_path)
    data = tmp_path / "data"
    summary = P.main(["--root", str(root), "--sources", str(tmp_path / "sources.json"), "--out", str(data),
                      "--splits", "train,val", "--workers", "1"])
    assert summary["train"]["clips"] == 4 and summary["val"]["clips"] == 1
    val = ClipSet(str(data), "val", torch.device("cpu"))
    assert not val.mismatched                             # decoded here as when it was made
    (cid, lo, hi), = val.whole()
    assert lo.shape == (1, 3, 3, 24, 32) and hi.shape == (1, 3, 3, 96, 128)
    up = F.interpolate(lo[0].transpose(0, 1), scale_factor=4, mode="bicubic", align_corners=False).clamp(0, 1)
    assert M.psnr(up, hi[0].transpose(0, 1)) > 12         # LR and HR are the same scene, aligned
    # a batch of crops drawn by the tensor renderer (the GPU's path) equals Pillow's, crop for crop
    a, b = ClipSet(str(data), "train", torch.device("cpu")), ClipSet(str(data), "train", torch.device("cpu"), pil=False)
    (lo1, hi1), (lo2, hi2) = (c.sample(3, 3, 16, torch.Generator().manual_seed(1)) for c in (a, b))
    assert torch.equal(lo1, lo2) and torch.equal(hi1, hi2) and hi1.shape == (3, 3, 3, 64, 64)
    out = tmp_path / "out"
    rep = train.main(["--data", str(data), "--out", str(out), "--device", "cpu", "--smoke", "--steps1", "2",
                      "--steps2", "2", "--steps3", "2", "--steps4", "2", "--batch", "2", "--frames", "3",
                      "--val-every", "1", "--esrgan", str(tmp_path / "none")])
    assert {"stage1", "stage2", "stage3", "stage4", "eval"} <= set(rep)
    assert abs(rep["val_psnr_at_start"] - rep["eval"]["bicubic"]["psnr"]) < 0.05   # stage 3 starts at bicubic
    state = torch.load(out / "fastvsr_tiny.pt")
    import fastvsr
    fastvsr.build("tiny", "f16").load_state_dict(state["model"], strict=True)
    assert json.dumps(state["recipe"])    # plain types only (torch.load(weights_only=True) on torch >= 2.6)
    # stage 5: the trained model's pixel path grown (grow.py) starts exactly where the model ended, then trains
    grown = train.main(["--data", str(data), "--out", str(tmp_path / "grown"), "--device", "cpu", "--smoke",
                        "--preset", "tiny-deep", "--grow-from", str(out / "fastvsr_tiny.pt"), "--stage12",
                        str(out / "stage12.pt"), "--steps4", "2", "--batch", "2", "--frames", "3", "--val-every", "1",
                        "--esrgan", str(tmp_path / "none"), "--no-eval", "--ema", "0.9"])
    assert "stage3" not in grown and grown["stage4"]["steps"] == 2 and grown["stage4"]["ema"] == 0.9
    assert abs(grown["val_psnr_at_start"] - rep["stage4"]["final_val_psnr"]) < 1e-3
    fastvsr.build("tiny-deep", "f16").load_state_dict(torch.load(tmp_path / "grown" / "fastvsr_tiny.pt")["model"])
    # stage 7: distilled from a trained model (here the run above), from its stages 1-2
    kd = train.main(["--data", str(data), "--out", str(tmp_path / "kd"), "--device", "cpu", "--smoke", "--preset",
                     "tiny-px40", "--stage12", str(out / "stage12.pt"), "--teacher", str(out / "fastvsr_tiny.pt"),
                     "--kd", "2", "--steps3", "2", "--steps4", "2", "--batch", "2", "--frames", "3", "--val-every", "1",
                     "--esrgan", str(tmp_path / "none")])
    assert kd["teacher"] == {"checkpoint": str(out / "fastvsr_tiny.pt"), "preset": "tiny", "kd": 2.0}
    assert any("distilled from tiny (kd 2)" in k for k in kd["eval"])
    curves = json.load(open(tmp_path / "kd" / "curves.json"))
    assert len(curves["stage3"]["kd_l1"]) == len(curves["stage3"]["hr_l1"]) > 0 and "kd_l1" in curves["stage4"]


def test_distillation_adds_the_l1_to_the_teachers_output(tmp_path):
    import fastvsr
    import train
    torch.manual_seed(0)
    student, teacher = fastvsr.build("tiny"), fastvsr.build("tiny-px40")
    with torch.no_grad():       # untrained, both return bicubic; the teacher now adds 0.1 to every pixel ([-1, 1] units)
        teacher.decoder.conv_out.conv.bias.fill_(0.1)
    torch.save({"model": teacher.state_dict(), "preset": "tiny-px40"}, tmp_path / "t.pt")
    t, name = train.load_teacher(str(tmp_path / "t.pt"), torch.device("cpu"))
    assert name == "tiny-px40" and not any(p.requires_grad for p in t.parameters())
    lo, hi = torch.rand(2, 3, 2, 16, 16), torch.rand(2, 3, 2, 64, 64)
    x2 = student.prepare(lo)
    z = student.restore(student.encode(x2))
    amp = dict(device_type="cpu", dtype=torch.bfloat16, enabled=False)
    plain, _ = train.hr_objective(student, None, 1.0, lo, x2, z, hi, 0.0, amp)
    loss, extra = train.hr_objective(student, None, 1.0, lo, x2, z, hi, 0.0, amp, t, 2.0)
    assert abs(float(extra["kd_l1"]) - 0.1) < 1e-5
    assert abs(float(loss) - (float(plain) + 2.0 * 0.1)) < 1e-5
    # the teacher's output is its whole pipeline on the crop: the bicubic x4 of the input, + 0.1
    t.pad_inputs = True
    with torch.no_grad():
        ref = t(lo) * 2 - 1
    assert torch.allclose(train.teacher_output(t, lo, amp).clamp(-1, 1), ref, atol=1e-5)


def test_the_luma_weighted_mse_scores_luma_fully_and_chroma_at_a_quarter():
    from losses import CHROMA_WEIGHT, MSE_SCALE, YCBCR, pixel_distance
    x = torch.zeros(1, 3, 2, 8, 8)
    grey = torch.full_like(x, 0.1)              # the same error in R, G and B: luma only (chroma rows sum to 0)
    luma = 0.1 * (65.481 + 128.553 + 24.966) / 255
    assert abs(float(pixel_distance(grey, x, "ymse")) - MSE_SCALE * luma ** 2) < 1e-6
    assert abs(float(pixel_distance(grey, x, "l1")) - 0.1) < 1e-6
    # an error with no luma (the cross product of the luma row with a chroma row is orthogonal to the luma row) ...
    d = torch.linalg.cross(YCBCR[0].double(), YCBCR[1].double()).float()
    pure = (d / d.norm() * 0.1).view(1, 3, 1, 1, 1).expand_as(x)
    ycc = YCBCR @ pure[0, :, 0, 0, 0]
    assert abs(float(ycc[0])) < 1e-7
    # ... counts at the chroma weight, and a second computation by hand agrees
    want = MSE_SCALE * CHROMA_WEIGHT * float(ycc[1] ** 2 + ycc[2] ** 2)
    assert abs(float(pixel_distance(pure, x, "ymse")) - want) < 1e-6
    with pytest.raises(ValueError):
        pixel_distance(grey, x, "l2")


def test_the_distillation_term_uses_the_runs_distance(tmp_path):
    import fastvsr
    import train
    torch.manual_seed(0)
    student, teacher = fastvsr.build("tiny"), fastvsr.build("tiny")
    with torch.no_grad():       # the teacher adds 0.1 to every channel: pure luma, 0.1 * 0.8588 in Y
        teacher.decoder.conv_out.conv.bias.fill_(0.1)
    torch.save({"model": teacher.state_dict(), "preset": "tiny"}, tmp_path / "t.pt")
    t, _ = train.load_teacher(str(tmp_path / "t.pt"), torch.device("cpu"))
    lo, hi = torch.rand(1, 3, 2, 16, 16), torch.rand(1, 3, 2, 64, 64)
    x2 = student.prepare(lo)
    z = student.restore(student.encode(x2))
    amp = dict(device_type="cpu", dtype=torch.bfloat16, enabled=False)
    plain, _ = train.hr_objective(student, None, 1.0, lo, x2, z, hi, 0.0, amp, loss="ymse")
    loss, extra = train.hr_objective(student, None, 1.0, lo, x2, z, hi, 0.0, amp, t, 1.0, loss="ymse")
    luma = 0.1 * (65.481 + 128.553 + 24.966) / 255
    assert abs(float(extra["kd_ymse"]) - 10.0 * luma ** 2) < 1e-5
    assert abs(float(loss) - float(plain) - float(extra["kd_ymse"])) < 1e-6
    assert "hr_ymse" in extra and "hr_l1" in extra


def test_the_weight_average_is_an_exponential_moving_average():
    import train
    net = torch.nn.Linear(3, 2)
    frozen_bias = net.bias.detach().clone()
    net.bias.requires_grad_(False)                  # frozen weights are left as they are
    avg = train.WeightAverage(net, 0.75)
    w0 = net.weight.detach().clone()
    with torch.no_grad():
        net.weight.add_(4.0)
        net.bias.add_(1.0)
    avg.update()
    assert torch.allclose(avg.model.weight, 0.75 * w0 + 0.25 * (w0 + 4.0))
    assert torch.equal(avg.model.bias, frozen_bias)
    avg.update()
    assert torch.allclose(avg.model.weight, 0.75 * (0.75 * w0 + 0.25 * (w0 + 4.0)) + 0.25 * (w0 + 4.0))
    assert avg.model.weight.requires_grad is False and net.weight.requires_grad


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg")
def test_more_sources_add_training_clips_and_change_no_other_clip(tmp_path, monkeypatch):
    pytest.importorskip("cv2")
    import bz2
    import prepare_data as P
    small_splits(monkeypatch, P, train_frames=3, train_clips=1)
    root = fake_sources(tmp_path)
    # a further photo in SciPy's face.dat form (bz2 of raw 768x1024 RGB), as data_sources_more.json lists one
    face = np.asarray(photo(768, 1024, seed=9), dtype=np.uint8)
    (root / "pkg" / "face.dat").write_bytes(bz2.compress(face.tobytes()))
    assert np.array_equal(np.asarray(P.open_photo(str(root / "pkg" / "face.dat"))), face)
    more = {"photos": [{"id": "face", "split": "train", "package": "pkg", "path": "pkg/face.dat", "licence": "BSD"}]}
    (tmp_path / "more.json").write_text(json.dumps(more))
    args = ["--root", str(root), "--sources", str(tmp_path / "sources.json"), "--splits", "train,val", "--workers", "1"]
    P.main(args + ["--out", str(tmp_path / "a")])
    P.main(args + ["--out", str(tmp_path / "b"), "--more", str(tmp_path / "more.json")])
    a, b = (json.load(open(tmp_path / d / "index.json")) for d in ("a", "b"))
    sha = lambda idx, split: {c["id"]: c["lr_sha"] for c in idx["clips"][split]}  # noqa: E731
    assert sha(a, "val") == sha(b, "val")                 # validation untouched
    assert sha(a, "train").items() <= sha(b, "train").items()
    assert {c["photo"].split("@")[0] for c in b["clips"]["train"]} == {"p0", "p1", "face"}


def test_the_held_out_packages_are_refused_and_in_no_source_list():
    import re
    import prepare_data as P
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    line = next(l for l in open(os.path.join(root, "docs", "models.md")) if l.startswith("**Held-out, reserved"))
    names = re.findall(r"`([a-z0-9.+-]+)`", line)
    assert len(names) == 2 and all(P.reserved(n) for n in names)
    for f in ("data_sources.json", "data_sources_more.json"):
        packages = {p["package"] for p in json.load(open(os.path.join(root, "models", f)))["photos"]}
        assert packages and not any(P.reserved(p) for p in packages)
    assert not P.reserved("plasma-workspace-wallpapers")


# ---- the shipped model ---------------------------------------------------------------------------------------------
SHIPPED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fastvsr-tiny")


@pytest.mark.skipif(not os.path.exists(os.path.join(SHIPPED, "model.json")), reason="fastvsr-tiny not shipped")
def test_shipped_card_onnx_and_parity_files_agree():
    import export_onnx
    card = json.load(open(os.path.join(SHIPPED, "model.json")))
    onnx_path = os.path.join(SHIPPED, card["files"]["onnx"])
    assert card["name"] == "fastvsr-tiny" and card["scale"] == 4 and card["input"]["multipleOf"] == 8
    assert export_onnx.sha256(onnx_path) == card["files"]["sha256"]
    assert os.path.getsize(onnx_path) <= 20 * 2 ** 20
    io = json.load(open(os.path.join(SHIPPED, "parity", "io.json")))
    for key, name in (("input", "input.f32"), ("output", "expected.f32")):
        assert os.path.getsize(os.path.join(SHIPPED, "parity", name)) == 4 * int(np.prod(io[key]))
    i, o = io["input"], io["output"]
    assert o[:3] == i[:3] and o[3:] == [4 * i[3], 4 * i[4]]
    y = np.fromfile(os.path.join(SHIPPED, "parity", "expected.f32"), "<f4")
    assert np.isfinite(y).all() and y.min() >= 0 and y.max() <= 1
