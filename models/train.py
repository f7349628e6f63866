#!/usr/bin/env python3
"""The fastvsr-tiny training recipe, end to end, in one command (one H100, ~9 minutes):

    python3 models/train.py --data models/.data --out OUT        # prepare_data.py first (see DATA.md)

Stages (models/README.md, "Training"):
  1. f8 VAE (encoder + f8 decoder) on HR/2 frames (L1 + a small latent-norm penalty); then the encoder is frozen.
  2. one-step latent restorer: LR -> x2 -> encoder -> restorer; target = encoder latents of the clean HR/2 clip
     (MSE) plus an L1 pixel loss through the frozen f8 decoder.
  3. f16 decoder, initialised from the f8 decoder (same parameters: PixelShuffle + channel copy, fastvsr.f16_from_f8),
     trained to produce HR (global residual onto bilinear x4, as the pipeline) with lower-bound guidance
     (losses.lower_bound_loss); run twice from the same initialisation and batches: with the guidance (lambda = 1,
     the shipped model) and without it (lambda = 0, the ablation).
  4. a short joint fine-tune of restorer + f16 decoder (encoder still frozen) with each run's own stage-3
     objective (the bound then follows the restorer's latent).
Then: evaluation on the held-out photos (bicubic, ESRGAN from npm, both f16 models, the f8 reference bound), ONNX
export + ONNX Runtime parity, parity_io files, and the fp16 1080p speed. Everything lands in OUT.

Seeded (--seed); each stage runs a fixed number of steps (--steps1/2/3). `--time-caps` (seconds per stage) only
stops a stage early on a slower machine (then the log says so and the run is no longer step-exact).
"""
import argparse
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
from fastvsr.decoder_f8 import DecoderF8  # noqa: E402
from losses import lower_bound_loss, reference_bound  # noqa: E402


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, flush=True)


def seed_all(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)
    torch.cuda.manual_seed_all(s)


# ---------------------------------------------------------------------------------------------------------------
class Batches:
    """Random clip crops from the training split, kept on the device as uint8. Same generator seed -> same batches."""

    def __init__(self, hr, lr, device, seed):
        self.hr = torch.from_numpy(hr).to(device)      # [N, T, H, W, 3]
        self.lr = torch.from_numpy(lr).to(device)      # [N, T, h, w, 3]
        self.g = torch.Generator().manual_seed(seed)
        self.device = device

    def sample(self, b, t, lr_crop):
        n, T, h, w = self.lr.shape[:4]
        r = lambda hi: int(torch.randint(0, hi, (1,), generator=self.g))  # noqa: E731
        los, his = [], []
        for _ in range(b):
            i, t0 = r(n), r(T - t + 1)
            y, x = r(h - lr_crop + 1), r(w - lr_crop + 1)
            lo = self.lr[i, t0:t0 + t, y:y + lr_crop, x:x + lr_crop]
            hi = self.hr[i, t0:t0 + t, 4 * y:4 * (y + lr_crop), 4 * x:4 * (x + lr_crop)]
            flips = r(8)
            if flips & 1:
                lo, hi = lo.flip(2), hi.flip(2)
            if flips & 2:
                lo, hi = lo.flip(1), hi.flip(1)
            if flips & 4:
                lo, hi = lo.transpose(1, 2), hi.transpose(1, 2)
            if r(2):
                lo, hi = lo.flip(0), hi.flip(0)
            los.append(lo)
            his.append(hi)
        # -> [B, 3, T, H, W] float in [0, 1]
        f = lambda z: torch.stack(z).permute(0, 4, 1, 2, 3).float() / 255.0  # noqa: E731
        return f(los), f(his)


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


# ---------------------------------------------------------------------------------------------------------------
def val_psnr(model, val_lr, val_hr, dev):
    """Mean PSNR (RGB, shave 4) of an f16 model on the held-out clips (bf16 autocast, as training)."""
    model.eval()
    ps = []
    with torch.no_grad(), torch.autocast(dev.type, torch.bfloat16, enabled=dev.type == "cuda"):
        for i in range(val_lr.shape[0]):
            y = model(val_lr[i:i + 1]).float().clamp(0, 1)
            y = (y * 255).round() / 255
            mse = ((y - val_hr[i:i + 1])[..., 4:-4, 4:-4] ** 2).mean().item()
            ps.append(10 * math.log10(1 / max(mse, 1e-12)))
    model.train()
    return float(np.mean(ps))


def hr_objective(m16, dec8, sf, lo_p, z, hi, lam, amp):
    """Stages 3 and 4: L1 between the f16 decoder's HR output (plus the bilinear x4 of the input for residual
    presets) and the target, and with lam > 0 the lower-bound loss against the f8 reference path's estimate."""
    with torch.autocast(**amp):
        y = m16.decode(z)
        if m16.preset.residual:
            y = y + fastvsr.upscale(lo_p * 2 - 1, 4, "bilinear")
    y = y.float()
    tgt = hi * 2 - 1
    l1 = (y - tgt).abs().mean()
    extra = {"hr_l1": l1}
    if lam <= 0:
        return l1, extra
    with torch.no_grad(), torch.autocast(**amp):
        bound = reference_bound(dec8, z.detach() / sf).float()
    lb, frac = lower_bound_loss(y, tgt, bound)
    extra.update(lb=lb, active=frac)
    return l1 + lam * lb, extra


def validate_or_stop(st, i, steps, label, every, psnr):
    """Validation every `every` steps and at the last; True (after a last validation) when the time cap hits."""
    if i % every == 0 or i == steps - 1:
        st.curve["val"].append([i, psnr()])
    if st.over():
        log(f"{label} stopped by its time cap at step {i + 1}")
        st.curve["val"].append([i, psnr()])
        return True
    return False


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="models/.data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--preset", default="tiny", help="tiny | tiny-l64 | tiny-w64 (fastvsr/presets.py)")
    ap.add_argument("--runs", default="guided,unguided", help="stage 3/4 runs: guided (lambda = --lam), unguided")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--steps1", type=int, default=3000)
    ap.add_argument("--steps2", type=int, default=2000)
    ap.add_argument("--steps3", type=int, default=1500)
    ap.add_argument("--steps4", type=int, default=800, help="joint restorer + f16 decoder fine-tune (0: skip)")
    ap.add_argument("--time-caps", default="85,115,80,75",
                    help="seconds per stage (1, 2, each 3, each 4); 0 = none")
    ap.add_argument("--batch", type=int, default=16, help="clips per batch")
    ap.add_argument("--frames", type=int, default=6)
    ap.add_argument("--lr-crop", type=int, default=48, help="LR crop (HR = 4x)")
    ap.add_argument("--lam", type=float, default=1.0, help="lower-bound guidance weight of the shipped model")
    ap.add_argument("--val-every", type=int, default=100)
    ap.add_argument("--esrgan", default="models/.data/esrgan", help="folder with slim/ and medium/ packages")
    ap.add_argument("--smoke", action="store_true", help="CPU check: tiny sizes, few steps, no export/bench")
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
    from prepare_data import load_split
    hr, lr, _ = load_split(os.path.join(a.data, "train.npz"))
    vhr, vlr, vmeta = load_split(os.path.join(a.data, "val.npz"))
    if a.smoke:
        hr, lr, vhr, vlr = hr[:8], lr[:8], vhr[:2, :3, :128, :128], vlr[:2, :3, :32, :32]
    log(f"data: train {hr.shape} lr {lr.shape}; val {vhr.shape}; {time.time() - t_start:.1f}s")
    data = Batches(hr, lr, dev, a.seed)
    to5 = lambda z: torch.from_numpy(z).to(dev).permute(0, 4, 1, 2, 3).float() / 255.0  # noqa: E731
    val_hr, val_lr = to5(vhr), to5(vlr)
    amp = dict(device_type=dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda")
    curves, report = {}, {"args": vars(a), "torch": torch.__version__,
                          "device": torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu"}

    seed_all(a.seed)
    model = fastvsr.build(a.preset, "f16").to(dev)          # encoder + restorer (+ an f16 decoder, set in stage 3)
    dec8 = DecoderF8(model.preset.vae).to(dev)
    sf = model.preset.vae.scaling_factor

    # ---- stage 1: f8 VAE on HR/2 -----------------------------------------------------------------------------
    st = Stage("stage1_vae", list(model.encoder.parameters()) + list(dec8.parameters()), a.steps1, 2e-3, caps[0],
               curves)
    for i in range(a.steps1):
        _, hi = data.sample(a.batch, a.frames, 64 if not a.smoke else 16)   # HR 256 -> HR/2 128
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

    # ---- stage 2: one-step latent restorer ---------------------------------------------------------------------
    with torch.no_grad(), torch.autocast(**amp):   # latent scale, to normalise the latent MSE
        zs = model.encoder(half_res(data.sample(8, a.frames, 32 if not a.smoke else 16)[1])).float()
    zvar = float(zs.var())
    st = Stage("stage2_restorer", model.restorer.parameters(), a.steps2, 1e-3, caps[1], curves)
    for i in range(a.steps2):
        lo, hi = data.sample(a.batch, a.frames, a.lr_crop if not a.smoke else 16)
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
    frozen(model.restorer)

    # the f8 reference path's HR estimate (bicubic x2 of the f8 decoder's HR/2), for the table
    class F8Ref(torch.nn.Module):
        def forward(self, lr01):
            lr01, size = model.pad(lr01)
            z = model.restore(model.encode(model.prepare(lr01)))
            y = reference_bound(dec8, z / sf)
            t, h, w = size
            return ((y.clamp(-1, 1) + 1) * 0.5)[:, :, :t, :4 * h, :4 * w]

    # ---- stage 3: f16 decoder, with and without lower-bound guidance ---------------------------------------------
    init = {k: v.detach().clone() for k, v in dec8.state_dict().items()}
    runs = {}
    for tag, lam in [(t, lm) for t, lm in (("guided", a.lam), ("unguided", 0.0)) if t in a.runs.split(",")]:
        seed_all(a.seed + 3)
        m16 = fastvsr.build(a.preset, "f16").to(dev)
        m16.encoder.load_state_dict(model.encoder.state_dict())
        m16.restorer.load_state_dict(model.restorer.state_dict())
        m16.decoder.load_state_dict(init, strict=True)        # f16 decoder <- f8 decoder (fastvsr.f16_from_f8)
        frozen(m16.encoder)
        frozen(m16.restorer)
        m16.decoder.train()
        data3 = Batches.__new__(Batches)
        data3.hr, data3.lr, data3.device = data.hr, data.lr, dev
        data3.g = torch.Generator().manual_seed(a.seed + 3)        # identical batches for both runs
        name = f"stage3_{tag}"
        psnr = lambda: val_psnr(m16, val_lr, val_hr, dev)  # noqa: E731
        st = Stage(name, m16.decoder.parameters(), a.steps3, 1e-3, caps[2], curves)
        for i in range(a.steps3):
            lo, hi = data3.sample(a.batch, a.frames, a.lr_crop if not a.smoke else 16)
            with torch.no_grad(), torch.autocast(**amp):
                lo_p, _ = m16.pad(lo)
                z = m16.restore(m16.encode(m16.prepare(lo_p)))
            loss, extra = hr_objective(m16, dec8, sf, lo_p, z, hi, lam, amp)
            st.step(i, loss, extra)
            if validate_or_stop(st, i, a.steps3, f"stage 3 ({tag})", a.val_every, psnr):
                break
        report[name] = {"steps": st.done, "seconds": time.time() - st.t0, "lambda": lam,
                        "final_val_psnr": st.curve["val"][-1][1]}
        save(m16, report, os.path.join(a.out, f"fastvsr_tiny_{tag}_stage3.pt"))
        # ---- stage 4: joint fine-tune of restorer + f16 decoder (encoder stays frozen), same objective --------
        if a.steps4:
            for p in m16.restorer.parameters():
                p.requires_grad_(True)
            m16.restorer.train()
            name4 = f"stage4_{tag}"
            st = Stage(name4, list(m16.restorer.parameters()) + list(m16.decoder.parameters()), a.steps4, 3e-4,
                       caps[3], curves)
            for i in range(a.steps4):
                lo, hi = data3.sample(a.batch, a.frames, a.lr_crop if not a.smoke else 16)
                with torch.no_grad(), torch.autocast(**amp):
                    lo_p, _ = m16.pad(lo)
                    zl = m16.encode(m16.prepare(lo_p))
                with torch.autocast(**amp):
                    z = m16.restore(zl)
                loss, extra = hr_objective(m16, dec8, sf, lo_p, z, hi, lam, amp)
                st.step(i, loss, extra)
                if validate_or_stop(st, i, a.steps4, f"stage 4 ({tag})", a.val_every, psnr):
                    break
            report[name4] = {"steps": st.done, "seconds": time.time() - st.t0, "lambda": lam,
                             "final_val_psnr": st.curve["val"][-1][1]}
            frozen(m16.restorer)
        m16.eval()
        runs[tag] = m16
        save(m16, report, os.path.join(a.out, f"fastvsr_tiny_{tag}.pt"))
        json.dump(curves, open(os.path.join(a.out, "curves.json"), "w"))
    torch.save({"encoder": model.encoder.state_dict(), "restorer": model.restorer.state_dict(),
                "decoder_f8": dec8.state_dict()}, os.path.join(a.out, "stage12.pt"))
    report["train_seconds"] = time.time() - t_start
    json.dump(curves, open(os.path.join(a.out, "curves.json"), "w"))
    log(f"training done in {report['train_seconds']:.0f}s")

    # ---- evaluation on the held-out photos ----------------------------------------------------------------------
    import eval as ev
    clips = [(m["photo"] + f"#{i}", vhr[i], vlr[i], m) for i, m in enumerate(vmeta[:len(vhr)])]
    methods = {"bicubic": ev.interp("bicubic")}
    for v in ("slim", "medium"):
        p = os.path.join(a.esrgan, v)
        if os.path.isdir(p):
            methods[f"ESRGAN-{v} (npm, pretrained)"] = ev.esrgan_method(p, dev)
    methods["f8 reference bound (bicubic x2 of f8 decoder)"] = ev.ckpt_method(F8Ref().eval(), dev)
    for tag, m16 in runs.items():
        m16.pad_inputs = True
        methods[f"fastvsr-{a.preset}, {'with' if tag == 'guided' else 'without'} lower-bound guidance"] = \
            ev.ckpt_method(m16, dev)
    res = ev.evaluate(methods, clips, dev)
    report["eval"] = {k: {kk: vv for kk, vv in v.items()} for k, v in res.items()}
    md = ev.table(res, f"held-out photos {sorted({c[3]['photo'] for c in clips})}: {len(clips)} clips x "
                       f"{vhr.shape[1]} frames, HR {vhr.shape[2]}x{vhr.shape[3]}, fp32")
    open(os.path.join(a.out, "table.md"), "w").write(md)
    log("\n" + md)
    json.dump(report, open(os.path.join(a.out, "report.json"), "w"), indent=2)
    if a.smoke:
        return report

    # ---- export, ONNX Runtime parity, parity_io, fp16 speed -------------------------------------------------------
    try:
        import export_onnx
        ck = os.path.join(a.out, "fastvsr_tiny_guided.pt")
        report["export"] = export_onnx.main(["--preset", a.preset, "--checkpoint", ck, "--out",
                                             os.path.join(a.out, "fastvsr-tiny"), "--name", "fastvsr-tiny",
                                             "--parity"])
        import parity_io
        parity_io.main(["--preset", a.preset, "--checkpoint", ck, "--shape", "2,24,32",
                        "--out", os.path.join(a.out, "fastvsr-tiny", "parity")])
        ort_eval = ev.evaluate({"fastvsr-tiny ONNX (ORT CPU)": ev.onnx_method(
            os.path.join(a.out, "fastvsr-tiny", "model.onnx"))}, clips[:3], torch.device("cpu"))
        report["onnx_eval_first3"] = ort_eval
    except Exception as e:  # keep the training results even if export breaks
        report["export_error"] = repr(e)
        log("export failed:", repr(e))
    json.dump(report, open(os.path.join(a.out, "report.json"), "w"), indent=2)
    try:
        report["fps_fp16_1080p"] = bench_fp16(runs["guided"], dev)
        log("fp16 480x270 -> 1920x1080:", report["fps_fp16_1080p"])
    except Exception as e:
        report["bench_error"] = repr(e)
    report["total_seconds"] = time.time() - t_start
    json.dump(report, open(os.path.join(a.out, "report.json"), "w"), indent=2)
    log(f"all done in {report['total_seconds']:.0f}s")
    return report


def bench_fp16(model, dev, T=8, reps=10):
    """PyTorch fp16 (model.half()), LR 270x480 (padded to 272 by the pipeline) -> 1080x1920, T-frame clips."""
    import copy
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
