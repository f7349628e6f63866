"""Cost of the f8 one-step pipeline vs FastVSR (f16), `full` preset: latency, peak memory, MACs per stage.

    python3 models/bench_efficiency.py --out results.json            # H100: 33 frames, 180x320 -> 720x1280, bf16
    /usr/bin/python3 models/bench_efficiency.py --smoke --out x.json # CPU, toy sizes: checks the script itself

Both pipelines share one set of (random) weights: FastVSR's decoder is the f8 decoder plus PixelShuffle + copy.
Latency: CUDA events per stage, warm-up runs first, median of --runs. Memory: torch.cuda.max_memory_allocated
(weights included: the 5B DiT is ~11 GB of it) with the peak counter reset before each measured run.
MACs: torch.utils.flop_counter (FLOPs / 2) where available, else fastvsr.macs hooks.
Variants of FastVSR, each adding one step: manual attention -> SDPA -> channels-last 3-D convolutions in the VAE
-> torch.compile of the DiT blocks. The f8 baseline is measured with the same settings as the compared variant.
"""
import argparse
import contextlib
import copy
import json
import os
import statistics
import sys
import time
import traceback

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fastvsr  # noqa: E402
from fastvsr.decoder_f8 import DecoderF8  # noqa: E402
from fastvsr.layers import set_attention_backend  # noqa: E402
from fastvsr.macs import count_macs  # noqa: E402
from fastvsr.presets import RestorerConfig, VAEConfig, get_preset  # noqa: E402

PAPER = {"f8": {"latency_s": 14.90, "tmacs": 504.8, "peak_gb": 60.78},
         "f16": {"latency_s": 3.80, "tmacs": 125.7, "peak_gb": 32.59}}


def smoke_preset():
    vae = VAEConfig(channels=(16, 16, 32, 32), enc_layers=1, dec_layers=2, mid_layers=1, latent_channels=8, groups=4)
    rc = RestorerConfig(dim=64, depth=2, heads=4, text_len=8, text_dim=16, time_dim=32)
    return get_preset("full", vae=vae, restorer=rc)


def as_f8(m16):
    """The f8 baseline over the same modules: x4 pre-upscale and the f8 head (no weight copied)."""
    m8 = copy.copy(m16)
    m8._modules = dict(m16._modules)
    m8.pre, m8.variant = 4, "f8"
    d = copy.copy(m16.decoder)
    d.__class__ = DecoderF8
    m8._modules["decoder"] = d
    return m8


def staged(m, lr, hook):
    """One forward, stage by stage; hook(name) is a context manager around each stage."""
    lr_p, (t, h, w) = m.pad(lr)
    with hook("encoder"):
        x2 = m.prepare(lr_p)
        z = m.encode(x2)
    with hook("dit"):
        z = m.restore(z)
    with hook("decoder"):
        hr = m.finish(m.render(z, lr_p, x2))[:, :, :t, : 4 * h, : 4 * w]
    return hr, z


class EventTimer:
    def __init__(self, cuda):
        self.cuda, self.marks = cuda, []

    @contextlib.contextmanager
    def __call__(self, name):
        if self.cuda:
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record()
            yield
            b.record()
            self.marks.append((name, a, b))
        else:
            t0 = time.perf_counter()
            yield
            self.marks.append((name, t0, time.perf_counter()))

    def seconds(self):
        if self.cuda:
            torch.cuda.synchronize()
            return {n: a.elapsed_time(b) / 1e3 for n, a, b in self.marks}
        return {n: b - a for n, a, b in self.marks}


def measure(m, lr, runs, warmup, cuda):
    if cuda:
        torch.cuda.empty_cache()
    with torch.no_grad():
        for _ in range(warmup):
            staged(m, lr, EventTimer(cuda))
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        per = []
        for _ in range(runs):
            tm = EventTimer(cuda)
            if cuda:
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
            t0 = time.perf_counter()
            out, z = staged(m, lr, tm)
            if cuda:
                end.record()
                torch.cuda.synchronize()
            st = tm.seconds()
            st["e2e"] = start.elapsed_time(end) / 1e3 if cuda else time.perf_counter() - t0
            per.append(st)
        res = {k: statistics.median(p[k] for p in per) for k in per[0]}
        res["e2e_runs"] = [round(p["e2e"], 4) for p in per]
        res["peak_gb"] = torch.cuda.max_memory_allocated() / 1e9 if cuda else None
        res["peak_reserved_gb"] = torch.cuda.max_memory_reserved() / 1e9 if cuda else None
        res["latent_shape"] = list(z.shape)
        res["out_shape"] = list(out.shape)
        res["finite"] = bool(torch.isfinite(out).all())
    return res


def count(m, lr):
    """MACs per stage (T = 1e12)."""
    out = {}
    try:
        from torch.utils.flop_counter import FlopCounterMode
    except ImportError:
        FlopCounterMode = None

    @contextlib.contextmanager
    def hook(name):
        if FlopCounterMode is not None:
            with FlopCounterMode(display=False) as fc:
                yield
            out[name] = fc.get_total_flops() / 2
        else:
            with count_macs(m) as c:
                yield
            out[name] = c["macs"]

    with torch.no_grad():
        staged(m, lr, hook)
        # cross-check with the hook counter (convs, linears, attention matmuls only)
        with count_macs(m) as c:
            staged(m, lr, lambda n: contextlib.nullcontext())
    out["total"] = sum(out[k] for k in ("encoder", "dit", "decoder"))
    out["total_hooks"] = c["macs"]
    out["counter"] = "torch.utils.flop_counter" if FlopCounterMode is not None else "fastvsr.macs"
    return {k: (v / 1e12 if isinstance(v, (int, float)) else v) for k, v in out.items()}


def to_channels_last(m):
    for mod in (m.encoder, m.decoder):
        for p in mod.modules():
            if isinstance(p, torch.nn.Conv3d):
                p.weight.data = p.weight.data.contiguous(memory_format=torch.channels_last_3d)
            elif isinstance(p, torch.nn.Conv2d):
                p.weight.data = p.weight.data.contiguous(memory_format=torch.channels_last)


def compile_dit(m):
    import torch._dynamo
    torch._dynamo.config.cache_size_limit = max(64, torch._dynamo.config.cache_size_limit)
    torch._dynamo.config.automatic_dynamic_shapes = False  # f8 and f16 shapes: two static graphs, not one dynamic
    for blk in m.restorer.blocks:
        blk.compile()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="CPU, toy shapes: exercise every code path quickly")
    ap.add_argument("--frames", type=int, default=33)
    ap.add_argument("--lr", default="180,320", help="LR H,W (output is 4x)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--variants", default="manual,sdpa,cudnn,compile",
                    help="cumulative steps; also available: cl (channels-last 3-D VAE: 2x slower in run 1, dropped)")
    ap.add_argument("--head-slices", type=int, default=2)
    ap.add_argument("--no-f8", action="store_true")
    ap.add_argument("--out", default=None)
    a = ap.parse_args(argv)

    cuda = torch.cuda.is_available() and not a.smoke
    dev = "cuda" if cuda else "cpu"
    dtype = torch.bfloat16 if cuda else torch.float32
    preset = smoke_preset() if a.smoke else fastvsr.FULL
    frames, (h, w) = (9, (16, 32)) if a.smoke else (a.frames, tuple(int(v) for v in a.lr.split(",")))
    report = {"device": torch.cuda.get_device_name() if cuda else "cpu", "torch": torch.__version__,
              "dtype": str(dtype), "preset": preset.name if not a.smoke else "smoke", "frames": frames,
              "lr": [h, w], "hr": [4 * h, 4 * w], "paper": PAPER, "results": {}, "errors": {}}

    def save():
        if a.out:
            with open(a.out, "w") as f:
                json.dump(report, f, indent=2)

    torch.manual_seed(0)
    t0 = time.time()
    old = torch.get_default_dtype()
    try:
        torch.set_default_dtype(dtype)  # initialise the 5B parameters directly in bf16, on the device
    except (TypeError, RuntimeError):
        pass
    try:
        if cuda:
            with torch.device(dev):
                m16 = fastvsr.build(preset, "f16")
        else:
            m16 = fastvsr.build(preset, "f16")
    finally:
        torch.set_default_dtype(old)
    m16 = m16.to(dev, dtype).eval()
    m8 = as_f8(m16)
    report["params_b"] = sum(p.numel() for p in m16.parameters()) / 1e9
    report["params_dit_b"] = sum(p.numel() for p in m16.restorer.parameters()) / 1e9
    report["build_s"] = time.time() - t0
    lr = torch.rand(1, 3, frames, h, w, device=dev, dtype=dtype)
    runs, warm = (1, 1) if a.smoke else (a.runs, 1)

    # MACs (eager, SDPA)
    for name, m in (("f16", m16), ("f8", m8)):
        if name == "f8" and a.no_f8:
            continue
        try:
            report.setdefault("macs_t", {})[name] = count(m, lr)
        except Exception as e:  # keep going: the latency table matters more
            report["errors"][f"macs_{name}"] = traceback.format_exc(limit=3)
        save()

    steps = [v for v in a.variants.split(",") if v]
    applied = []
    for v in steps:
        try:
            if v == "manual":
                set_attention_backend("manual")
            elif v == "sdpa":
                set_attention_backend("auto")
                m16.decoder.head_slices = 0
                report["results"]["f16/sdpa-noslice"] = measure(m16, lr, runs, warm, cuda)
                save()
                m16.decoder.head_slices = a.head_slices
            elif v == "cl":
                to_channels_last(m16)
            elif v == "cudnn":
                torch.backends.cudnn.benchmark = True  # autotune conv algorithms per shape (warm-up pays)
            elif v == "compile":
                if a.smoke:
                    continue
                t1 = time.time()
                compile_dit(m16)
                warm = 2
                report["compile_note"] = "first compiled run includes compilation; warm-up covers it"
            applied.append(v)
            if v == "sdpa":
                applied.remove("manual") if "manual" in applied else None
            label = "+".join(applied) if v != "manual" else "manual-attention"
            m16.decoder.head_slices = a.head_slices if v != "manual" else 0
            r = measure(m16, lr, runs, warm, cuda)
            if v == "compile":
                r["compile_and_warmup_s"] = time.time() - t1
            report["results"]["f16/" + label] = r
            print(f"f16/{label}: e2e {r['e2e']:.3f}s peak {r['peak_gb']}", flush=True)
            save()
            if v in ("sdpa", steps[-1]) and not a.no_f8 and v != "manual":
                r8 = measure(m8, lr, runs, 1 if v != "compile" else 2, cuda)
                report["results"]["f8/" + label] = r8
                print(f"f8/{label}: e2e {r8['e2e']:.3f}s peak {r8['peak_gb']}", flush=True)
                save()
        except Exception:
            report["errors"][v] = traceback.format_exc(limit=5)
            print("ERROR in", v, report["errors"][v], flush=True)
            if cuda:
                torch.cuda.empty_cache()
            save()

    # summary
    res = report["results"]
    lines = ["| variant | f16 e2e s | f8 e2e s | speed-up | f16 peak GB | f8 peak GB | mem ratio |", "|---|---|---|---|---|---|---|"]
    for k, r in res.items():
        if not k.startswith("f16/"):
            continue
        r8 = res.get("f8/" + k[4:])
        sp = f"{r8['e2e'] / r['e2e']:.2f}x" if r8 else ""
        mr = f"{r['peak_gb'] / r8['peak_gb']:.3f}" if r8 and r8.get("peak_gb") else ""
        lines.append(f"| {k[4:]} | {r['e2e']:.3f} | {r8['e2e']:.3f} | {sp} | {r['peak_gb']} | {r8['peak_gb']} | {mr} |"
                     if r8 else f"| {k[4:]} | {r['e2e']:.3f} | | | {r['peak_gb']} | | |")
    report["summary_md"] = "\n".join(lines)
    save()
    print(json.dumps({k: v for k, v in report.items() if k not in ("results",)}, indent=1, default=str))
    print(report["summary_md"])
    return report


if __name__ == "__main__":
    main()
