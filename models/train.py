#!/usr/bin/env python3
"""The fastvsr-tiny training recipe (v2), one command per run (one GPU; models/recipe.sh runs them side by side):

    python3 models/train.py --data models/.data --out OUT/main                       # stages 1-4, eval, export
    python3 models/train.py --data models/.data --out OUT/unguided --stage12 OUT/main/stage12.pt --lam 0 --no-export
    python3 models/train.py --data models/.data --out OUT/nopix --stage12 OUT/main/stage12.pt --preset tiny-nopix ...
    python3 models/train.py --data models/.data --split old --out OUT/olddata ...     # the "old data" ablation

Stages (models/README.md, "Training"):
  1. f8 VAE (encoder + f8 decoder D8) on HR/2 frames (L1 + a small latent-norm penalty); then the encoder is frozen.
  2. one-step latent restorer: LR -> x2 -> encoder -> restorer; target = encoder latents of the clean HR/2 clip
     (MSE) plus an L1 pixel loss through the frozen D8.
  3. f16 decoder (body from D8, head zeroed) + the pixel path (fidelity.py), restorer frozen: HR L1 with lower-bound
     guidance (losses.py; --lam 0 = off). The model starts exactly at bicubic.
  4. end to end: restorer + f16 decoder + pixel path (encoder frozen), same objective.
Data: ClipSet (clips.py): LR crops of delivered clips, HR crops rendered from the photos. Validation: the val split
(whole clips of a package never used for training) every --val-every steps. Then (unless --no-eval): the table of
every method on the val split (eval.py), ONNX export + ORT parity + parity_io + fp16 graph (unless --no-export),
and PyTorch fp16 speed at 480x270 -> 1920x1080. Seeded; --time-caps bound each stage on a slower machine (the
cosine schedule then follows the cap, and the log says so).
"""
import argparse
import copy
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fastvsr  # noqa: E402
from clips import ClipSet  # noqa: E402
from fastvsr.decoder_f8 import DecoderF8  # noqa: E402
from losses import lower_bound_loss, pixel_distance, reference_bound  # noqa: E402


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, flush=True)


def seed_all(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(s)


def half_res(hr01):
    """HR [B, 3, T, H, W] in [0, 1] -> HR/2 in [-1, 1] (2x2 box filter)."""
    b = hr01.shape[0]
    x = F.avg_pool2d(hr01.transpose(1, 2).flatten(0, 1), 2)
    return x.view(b, -1, *x.shape[1:]).transpose(1, 2) * 2.0 - 1.0


def cosine_lr(step, total, base, warm=50):
    if step < warm:
        return base * (step + 1) / warm
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warm) / max(1, total - warm)))) + base * 0.02


class Stage:
    """One optimiser and a cosine schedule. With a time cap, the schedule's progress is the larger of steps done and
    time spent, so a stage stopped by its cap still ends annealed (the run is then no longer step-exact)."""

    def __init__(self, name, params, steps, lr, cap, curves):
        self.name, self.steps, self.base, self.cap = name, steps, lr, cap
        self.params = [p for p in params if p.requires_grad]
        self.opt = torch.optim.AdamW(self.params, lr=lr, betas=(0.9, 0.99), weight_decay=0.0)
        self.curve = curves.setdefault(name, {"step": [], "loss": [], "grad_norm": [], "val": []})
        self.t0 = time.time()
        self.done = 0

    def step(self, i, loss, extra=None):
        total = self.steps
        if self.cap and i >= 50:
            frac = (time.time() - self.t0) / self.cap
            total = max(i + 1, min(self.steps, int(i / max(frac, 1e-6))))
        for gq in self.opt.param_groups:
            gq["lr"] = cosine_lr(i, total, self.base)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(self.params, 1.0)
        self.opt.step()
        self.done = i + 1
        if i % 10 == 0 or i == self.steps - 1:
            self.curve["step"].append(i)
            self.curve["loss"].append(float(loss.detach()))
            self.curve["grad_norm"].append(float(gn))
            for k, v in (extra or {}).items():
                self.curve.setdefault(k, []).append(float(v))
        if i % 200 == 0:
            log(f"{self.name} step {i}/{self.steps} loss {float(loss):.4f} |g| {float(gn):.3f} "
                f"{time.time() - self.t0:.0f}s")

    def over(self):
        return self.cap and time.time() - self.t0 > self.cap


def save(m, report, path):
    recipe = json.loads(json.dumps(report, default=str))   # plain types: loads with torch.load(weights_only=True)
    torch.save({"model": {k: v.detach().cpu() for k, v in m.state_dict().items()}, "preset": report["args"]["preset"],
                "recipe": recipe}, path)


def frozen(m):
    for p in m.parameters():
        p.requires_grad_(False)
    return m.eval()


def trainable(m):
    for p in m.parameters():
        p.requires_grad_(True)
    return m.train()


# ---------------------------------------------------------------------------------------------------------------
def val_psnr(model, val, amp):
    """Mean PSNR (RGB, shave 4) on the val clips (bf16 autocast on the GPU, as training), output rounded to 8 bits."""
    model.eval()
    ps = []
    with torch.no_grad(), torch.autocast(**amp):
        for _, lo, hi in val:
            y = model(lo).float().clamp(0, 1)
            y = (y * 255).round() / 255
            mse = ((y - hi)[..., 4:-4, 4:-4] ** 2).mean().item()
            ps.append(10 * math.log10(1 / max(mse, 1e-12)))
    model.train()
    return float(np.mean(ps))


def hr_objective(m16, dec8, sf, lo_p, x2, z, hi, lam, amp, teacher=None, kd=0.0, loss="l1"):
    """Stages 3 and 4: the distance (losses.pixel_distance: L1, or luma-weighted MSE) between the HR output (decoder +
    pixel path + residual base) and the target; with lam > 0 the lower-bound loss against the f8 reference path's
    estimate; with a teacher, kd x the same distance to its output."""
    with torch.autocast(**amp):
        y = m16.render(z, lo_p, x2)
    y = y.float()
    tgt = hi * 2 - 1
    dist = pixel_distance(y, tgt, loss)
    extra = {"hr_l1": dist} if loss == "l1" else {"hr_l1": (y - tgt).abs().mean().detach(), "hr_" + loss: dist}
    if teacher is not None:
        kd_dist = pixel_distance(y, teacher_output(teacher, lo_p, amp), loss)
        extra["kd_" + loss] = kd_dist
        dist = dist + kd * kd_dist
    if lam <= 0:
        return dist, extra
    with torch.no_grad(), torch.autocast(**amp):
        bound = reference_bound(dec8, z.detach() / sf).float()
    lb, frac = lower_bound_loss(y, tgt, bound)
    extra.update(lb=lb, active=frac)
    return dist + lam * lb, extra


def load_teacher(path, dev):
    """A larger trained model (e.g. tiny-big) whose HR output the student also learns from (stages 3-4, --kd), and
    its preset's name."""
    ck = torch.load(path, map_location="cpu")
    t = fastvsr.build(ck["preset"], "f16")
    t.load_state_dict(ck["model"], strict=True)
    t.pad_inputs = False     # training crops are multiples of every preset's LR multiple
    return frozen(t.to(dev)), ck["preset"]


@torch.no_grad()
def teacher_output(teacher, lo, amp):
    with torch.autocast(**amp):
        x2 = teacher.prepare(lo)
        return teacher.render(teacher.restore(teacher.encode(x2)), lo, x2).float()


class WeightAverage:
    """An exponential moving average of a model's weights (Polyak averaging): the average of the last ~1/(1-decay)
    steps' weights, smoother than the last step's, which is what a short, noisy fine-tune (stage 4/5) ends on."""

    def __init__(self, model, decay):
        self.decay = decay
        self.model = copy.deepcopy(model).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)
        self.pairs = [(a, b) for a, b in zip(self.model.parameters(), model.parameters()) if b.requires_grad]

    @torch.no_grad()
    def update(self):
        avg, cur = (list(t) for t in zip(*self.pairs))
        torch._foreach_mul_(avg, self.decay)
        torch._foreach_add_(avg, cur, alpha=1.0 - self.decay)


def validate_or_stop(st, i, steps, label, every, psnr):
    """Validation every `every` steps and at the last; True (after a last validation) when the time cap hits."""
    if i % every == 0 or i == steps - 1:
        st.curve["val"].append([i, psnr()])
    if st.over():
        log(f"{label} stopped by its time cap at step {i + 1}")
        st.curve["val"].append([i, psnr()])
        return True
    return False


class F8Ref(torch.nn.Module):
    """The f8 reference path's HR estimate (bicubic x2 of the f8 decoder's HR/2), for the table."""

    def __init__(self, model, dec8):
        super().__init__()
        self.model, self.dec8 = model, dec8

    def forward(self, lr01):
        m = self.model
        lr01, (t, h, w) = m.pad(lr01)
        z = m.restore(m.encode(m.prepare(lr01)))
        y = reference_bound(self.dec8, z / m.preset.vae.scaling_factor)
        return ((y.clamp(-1, 1) + 1) * 0.5)[:, :, :t, :4 * h, :4 * w]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="models/.data")
    ap.add_argument("--split", default="train", help="training split: train (v2 data) or old (v1 sources/chain)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--preset", default="tiny", help="tiny | tiny-nopix (fastvsr/presets.py)")
    ap.add_argument("--lam", type=float, default=1.0, help="lower-bound guidance weight (0 = the ablation)")
    ap.add_argument("--stage12", default=None, help="reuse stages 1-2 from this stage12.pt (ablations)")
    ap.add_argument("--grow-from", default=None,
                    help="continue from this trained checkpoint (fastvsr_tiny.pt), its pixel path grown to --preset "
                         "(fastvsr/grow.py): stage 3 is skipped, stage 4 trains the grown model; needs --stage12 "
                         "(the f8 decoder the guidance uses) unless --lam 0")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--steps1", type=int, default=3000)
    ap.add_argument("--steps2", type=int, default=2000)
    ap.add_argument("--steps3", type=int, default=3000)
    ap.add_argument("--steps4", type=int, default=3000, help="end-to-end restorer + decoder + pixel path (0: skip)")
    ap.add_argument("--time-caps", default="40,40,110,140", help="seconds per stage 1-4; 0 = none")
    ap.add_argument("--lr4", type=float, default=3e-4, help="stage 4's peak learning rate")
    ap.add_argument("--ema", type=float, default=0.0,
                    help="stage 4 keeps an exponential moving average of the weights with this decay (e.g. 0.999) "
                         "and validates, saves and exports the average; 0 = off")
    ap.add_argument("--batch", type=int, default=32, help="clips per batch (stages 2-4)")
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--lr-crop", type=int, default=48, help="LR crop (HR = 4x)")
    ap.add_argument("--val-every", type=int, default=250)
    ap.add_argument("--esrgan", default="models/.data/esrgan", help="folder with slim/, medium/, thick/ packages")
    ap.add_argument("--old-onnx", default="models/.data/fastvsr-tiny-v1.onnx",
                    help="the v1 model for the table (recipe.sh data: git show 227923b:models/fastvsr-tiny/model.onnx)")
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--teacher", default=None, help="distil from this trained checkpoint's output (stages 3-4)")
    ap.add_argument("--kd", type=float, default=1.0, help="weight of the distance to the teacher's output")
    ap.add_argument("--loss", default="l1", choices=["l1", "ymse"],
                    help="stages 3-4's distance to the target and the teacher (losses.pixel_distance)")
    ap.add_argument("--smoke", action="store_true", help="CPU check: tiny sizes, few clips, no export/bench")
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    dev = torch.device(a.device)
    t_start = time.time()
    if dev.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    seed_all(a.seed)
    caps = [float(c) for c in a.time_caps.split(",")]
    limit = 6 if a.smoke else 0
    data = ClipSet(a.data, a.split, dev, limit)
    val_set = ClipSet(a.data, "val", dev, 2 if a.smoke else 0)
    val = val_set.whole(3 if a.smoke else None)
    if a.smoke:
        val = [(i, lo[..., :32, :32], hi[..., :128, :128]) for i, lo, hi in val]
    log(f"data: {len(data)} {a.split} clips, {len(val)} val clips; decoded differently from the CPU machine: "
        f"{len(data.mismatched) + len(val_set.mismatched)}; {time.time() - t_start:.1f}s")
    g = torch.Generator().manual_seed(a.seed)
    s_crop = 16 if a.smoke else a.lr_crop
    b = a.batch
    amp = dict(device_type=dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda")
    curves = {}
    report = {"args": vars(a), "torch": torch.__version__,
              "device": torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu",
              "data": {"split": a.split, "clips": len(data), "val_clips": len(val),
                       "decode_mismatches": data.mismatched + val_set.mismatched}}

    seed_all(a.seed)
    model = fastvsr.build(a.preset, "f16").to(dev)           # encoder + restorer (+ an f16 decoder, set in stage 3)
    dec8 = DecoderF8(model.preset.vae).to(dev)
    sf = model.preset.vae.scaling_factor

    # the f8 decoder is trained (stage 1) or loaded (--stage12), except for a grown checkpoint run without guidance
    dec8_trained = bool(a.stage12 or not a.grow_from)
    if not dec8_trained and a.lam > 0:
        ap.error("--grow-from needs --stage12 (the guidance's f8 decoder), or --lam 0")
    if a.stage12:
        st12 = torch.load(a.stage12, map_location=dev)
        model.encoder.load_state_dict(st12["encoder"])
        model.restorer.load_state_dict(st12["restorer"])
        dec8.load_state_dict(st12["decoder_f8"])
        report["stage12"] = a.stage12
    elif dec8_trained:         # (a grown checkpoint brings its stages 1-2)
        # ---- stage 1: f8 VAE on HR/2 -----------------------------------------------------------------------
        st = Stage("stage1_vae", list(model.encoder.parameters()) + list(dec8.parameters()), a.steps1, 2e-3,
                   caps[0], curves)
        for i in range(a.steps1):
            _, hi = data.sample(b // 2, 4, s_crop, g)
            x = half_res(hi)
            with torch.autocast(**amp):
                z = model.encoder(x)
                rec = dec8(z)
                l1 = (rec.float() - x).abs().mean()
                loss = l1 + 1e-4 * (z.float() ** 2).mean()
            st.step(i, loss, {"l1": l1})
            if st.over():
                log(f"stage 1 stopped by its time cap at step {i + 1}")
                break
        report["stage1"] = {"steps": st.done, "seconds": time.time() - st.t0, "final_l1": curves["stage1_vae"]["l1"][-1]}
        frozen(model.encoder)
        frozen(dec8)

        # ---- stage 2: one-step latent restorer -----------------------------------------------------------------
        with torch.no_grad(), torch.autocast(**amp):   # latent scale, to normalise the latent MSE
            zs = model.encoder(half_res(data.sample(8, a.frames, s_crop, g)[1])).float()
        zvar = float(zs.var())
        st = Stage("stage2_restorer", model.restorer.parameters(), a.steps2, 1e-3, caps[1], curves)
        for i in range(a.steps2):
            lo, hi = data.sample(b, a.frames, s_crop, g)
            with torch.no_grad(), torch.autocast(**amp):
                z_lr = model.encode(model.prepare(lo))
                z_hr = model.encoder(half_res(hi)) * sf
            with torch.autocast(**amp):
                z_hat = model.restore(z_lr)
                lat = ((z_hat.float() - z_hr.float()) ** 2).mean() / zvar
                pix = (dec8(z_hat / sf).float() - half_res(hi)).abs().mean()
                loss = lat + pix
            st.step(i, loss, {"latent_mse": lat, "pixel_l1": pix})
            if st.over():
                log(f"stage 2 stopped by its time cap at step {i + 1}")
                break
        report["stage2"] = {"steps": st.done, "seconds": time.time() - st.t0, "zvar": zvar}
        tmp = os.path.join(a.out, "stage12.pt.tmp")   # ablation runs wait for this file: write it whole, then rename
        torch.save({"encoder": model.encoder.state_dict(), "restorer": model.restorer.state_dict(),
                    "decoder_f8": dec8.state_dict()}, tmp)
        os.replace(tmp, os.path.join(a.out, "stage12.pt"))
    frozen(model.encoder)
    frozen(model.restorer)
    frozen(dec8)

    # ---- stage 3: f16 decoder (from D8, head zeroed) + pixel path; the model starts at bicubic ---------------------
    seed_all(a.seed + 3)
    if a.grow_from:
        # stage 5 instead (grow.py): a trained model, its pixel path deepened; it starts where the source ended
        src_ck = torch.load(a.grow_from, map_location="cpu")
        src = fastvsr.build(src_ck["preset"], "f16")
        src.load_state_dict(src_ck["model"], strict=True)
        m16 = fastvsr.grow(src, fastvsr.get_preset(a.preset)).to(dev)
        report["grown_from"] = {"checkpoint": a.grow_from, "preset": src_ck["preset"]}
    else:
        m16 = fastvsr.build(a.preset, "f16").to(dev)
        m16.encoder.load_state_dict(model.encoder.state_dict())
        m16.restorer.load_state_dict(model.restorer.state_dict())
        m16.decoder.load_state_dict(dec8.state_dict(), strict=True)  # f16 decoder <- f8 decoder (fastvsr.f16_from_f8)
        if m16.bicubic is not None:
            m16.decoder.zero_head()
    frozen(m16.encoder)
    frozen(m16.restorer)
    trainable(m16.decoder)
    if m16.pixel is not None:
        trainable(m16.pixel)
    teacher, teacher_preset = load_teacher(a.teacher, dev) if a.teacher else (None, None)
    if teacher is not None:
        report["teacher"] = {"checkpoint": a.teacher, "preset": teacher_preset, "kd": a.kd}
    g3 = torch.Generator().manual_seed(a.seed + 3)                # the same batches for every run
    psnr = lambda: val_psnr(m16, val, amp)  # noqa: E731
    report["val_psnr_at_start"] = psnr()
    log(f"val PSNR at the start of stage 3 (= the residual base, or the grown model's source): "
        f"{report['val_psnr_at_start']:.3f}")
    head = list(m16.decoder.parameters()) + (list(m16.pixel.parameters()) if m16.pixel is not None else [])
    st = Stage("stage3", head, 0 if a.grow_from else a.steps3, 1e-3, caps[2], curves)
    for i in range(0 if a.grow_from else a.steps3):
        lo, hi = data.sample(b, a.frames, s_crop, g3)
        with torch.no_grad(), torch.autocast(**amp):
            x2 = m16.prepare(lo)
            z = m16.restore(m16.encode(x2))
        loss, extra = hr_objective(m16, dec8, sf, lo, x2, z, hi, a.lam, amp, teacher, a.kd, a.loss)
        st.step(i, loss, extra)
        if validate_or_stop(st, i, a.steps3, "stage 3", a.val_every, psnr):
            break
    if not a.grow_from:
        report["stage3"] = {"steps": st.done, "seconds": time.time() - st.t0, "lambda": a.lam,
                            "final_val_psnr": st.curve["val"][-1][1]}

    # ---- stage 4: end to end (encoder frozen) ---------------------------------------------------------------------
    if a.steps4:
        trainable(m16.restorer)
        st = Stage("stage4", list(m16.restorer.parameters()) + head, a.steps4, a.lr4, caps[3], curves)
        ema = WeightAverage(m16, a.ema) if a.ema else None
        if ema is not None:
            psnr = lambda: val_psnr(ema.model, val, amp)  # noqa: E731
        for i in range(a.steps4):
            lo, hi = data.sample(b, a.frames, s_crop, g3)
            with torch.no_grad(), torch.autocast(**amp):
                x2 = m16.prepare(lo)
                zl = m16.encode(x2)
            with torch.autocast(**amp):
                z = m16.restore(zl)
            loss, extra = hr_objective(m16, dec8, sf, lo, x2, z, hi, a.lam, amp, teacher, a.kd, a.loss)
            st.step(i, loss, extra)
            if ema is not None:
                ema.update()
            if validate_or_stop(st, i, a.steps4, "stage 4", a.val_every, psnr):
                break
        report["stage4"] = {"steps": st.done, "seconds": time.time() - st.t0, "lambda": a.lam, "lr": a.lr4,
                            "ema": a.ema, "final_val_psnr": st.curve["val"][-1][1]}
        if ema is not None:
            m16.load_state_dict(ema.model.state_dict())   # what ships is the average, as validated
        frozen(m16.restorer)
    m16.eval()
    ck = os.path.join(a.out, "fastvsr_tiny.pt")
    save(m16, report, ck)
    report["train_seconds"] = time.time() - t_start
    json.dump(curves, open(os.path.join(a.out, "curves.json"), "w"))
    log(f"training done in {report['train_seconds']:.0f}s")
    json.dump(report, open(os.path.join(a.out, "report.json"), "w"), indent=2)
    if a.no_eval:
        return report

    # ---- the table on the val split ---------------------------------------------------------------------------------
    import eval as ev
    clips = [(cid, lo, hi) for cid, lo, hi in val]
    methods = {"bicubic": ev.interp("bicubic"), "bilinear": ev.interp("bilinear")}
    for v in ("slim", "medium", "thick"):
        p = os.path.join(a.esrgan, v)
        if os.path.isdir(p) and not a.smoke:
            methods[f"ESRGAN-{v} (npm, pretrained)"] = ev.esrgan_method(p, dev)
    if os.path.exists(a.old_onnx) and not a.smoke:
        methods["fastvsr-tiny v1 (shipped before, ONNX Runtime CPU)"] = ev.onnx_method(a.old_onnx)
    if dec8_trained:
        methods["f8 reference bound (bicubic x2 of f8 decoder)"] = ev.ckpt_method(F8Ref(m16, dec8).eval(), dev)
    tag = f"fastvsr-{a.preset}, {a.split} data, lambda {a.lam:g}"   # the preset names the model (not always v2)
    if teacher is not None:
        tag += f", distilled from {teacher_preset} (kd {a.kd:g})"
    if a.loss != "l1":
        tag += f", {a.loss} loss"
    m16.pad_inputs = True
    methods[tag] = ev.ckpt_method(m16, dev)
    if m16.pixel is not None:
        closed = copy.deepcopy(m16)
        closed.pixel.close()
        methods[tag + ", pixel path zeroed at inference"] = ev.ckpt_method(closed, dev)
    res = ev.evaluate_clips(methods, clips)
    report["eval"] = res
    md = ev.table(res, f"val: {len(clips)} clips x {clips[0][1].shape[2]} frames, LR "
                       f"{clips[0][1].shape[3]}x{clips[0][1].shape[4]} -> HR x4 (package never used for training)")
    open(os.path.join(a.out, "table.md"), "w").write(md)
    log("\n" + md)
    json.dump(report, open(os.path.join(a.out, "report.json"), "w"), indent=2)
    if a.smoke or a.no_export:
        return report

    # ---- export, ONNX Runtime parity, parity_io, fp16 graph, fp16 speed ---------------------------------------------
    try:
        import export_onnx
        report["export"] = export_onnx.main(["--preset", a.preset, "--checkpoint", ck, "--out",
                                             os.path.join(a.out, "fastvsr-tiny"), "--name", "fastvsr-tiny",
                                             "--parity", "--fp16"])
        import parity_io
        parity_io.main(["--preset", a.preset, "--checkpoint", ck, "--shape", "2,24,32",
                        "--out", os.path.join(a.out, "fastvsr-tiny", "parity")])
        onnx_res = ev.evaluate_clips({"fastvsr-tiny ONNX (ORT CPU)": ev.onnx_method(
            os.path.join(a.out, "fastvsr-tiny", "model.onnx"))}, clips[:3])
        report["onnx_eval_first3"] = onnx_res
    except Exception as e:  # keep the training results even if export breaks
        report["export_error"] = repr(e)
        log("export failed:", repr(e))
    json.dump(report, open(os.path.join(a.out, "report.json"), "w"), indent=2)
    try:
        report["fps_fp16_1080p"] = bench_fp16(m16, dev)
        log("PyTorch fp16 480x270 -> 1920x1080:", report["fps_fp16_1080p"])
    except Exception as e:
        report["bench_error"] = repr(e)
    report["total_seconds"] = time.time() - t_start
    json.dump(report, open(os.path.join(a.out, "report.json"), "w"), indent=2)
    log(f"all done in {report['total_seconds']:.0f}s")
    return report


def bench_fp16(model, dev, T=8, reps=10):
    """PyTorch fp16 (model.half()), eager, LR 270x480 (padded to 272 by the pipeline) -> 1080x1920, T-frame clips."""
    m = copy.deepcopy(model).half().eval()
    m.pad_inputs = True
    x = torch.rand(1, 3, T, 270, 480, device=dev).half()
    out = {}
    with torch.no_grad():
        for _ in range(3):
            y = m(x)
        torch.cuda.synchronize()
        ts = []
        for _ in range(reps):
            e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            e0.record()
            y = m(x)
            e1.record()
            torch.cuda.synchronize()
            ts.append(e0.elapsed_time(e1) / 1000)
    med = sorted(ts)[len(ts) // 2]
    out.update(clip_frames=T, output=list(y.shape), s_per_clip_median=med, fps=T / med,
               peak_gb=torch.cuda.max_memory_allocated() / 1e9, finite=bool(torch.isfinite(y.float()).all()))
    return out


if __name__ == "__main__":
    main()
