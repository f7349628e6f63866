"""Export a FastVSR preset (random weights, or a checkpoint) to ONNX and write its model card (docs/contracts.md, "Model card").

    /usr/bin/python3 models/export_onnx.py --preset tiny --checkpoint ckpt.pt --out models/fastvsr-tiny [--parity]

Graph: `lr` [1, 3, T, H, W] RGB in [0, 1] -> `hr` [1, 3, T, 4H, 4W] in [0, 1]; T, H, W dynamic (any T >= 1; H, W
multiples of the card's input.multipleOf). The [-1, 1] scaling, the x2 bilinear pre-upscale (Resize linear, not
cubic: cubic Resize is ~10x slower in ONNX Runtime on the CPU), the one-step restorer, the f16 decoder and the
[0, 1] clamp are all inside the graph. Attention exports as MatMul/Softmax; the f16 head's channel copy is folded
into conv_out (exact, `DecoderF16.fuse_copy`). Parity: ONNX Runtime vs PyTorch in fp32 on random input.
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fastvsr  # noqa: E402

# 2: tiny v2 (pixel path, bicubic base), optional files.fp16; 3: tiny-deep distilled from tiny-big;
# 4: tiny-deep4-ps distilled from tiny-big and trained on (models/README.md, "Stage 8")
CARD_VERSION = "4"


def load_model(preset, checkpoint=None, seed=0, fuse=True):
    torch.manual_seed(seed)
    state = torch.load(checkpoint, map_location="cpu") if checkpoint else None
    if isinstance(state, dict) and state.get("preset") in fastvsr.PRESETS:
        preset = state["preset"]      # a training checkpoint names its preset (tiny, tiny-l64, tiny-w64)
    model = fastvsr.build(preset, "f16")
    if checkpoint:
        model.load_state_dict(state.get("model", state), strict=True)
    model.eval()
    model.pad_inputs = False  # the worker pads to multipleOf; the graph stays a pure function of its input
    if fuse and model.decoder.frame_wise and hasattr(model.decoder, "fuse_copy"):
        try:
            model.decoder.fuse_copy()
        except AssertionError:
            pass
    return model


def export(model, path, opset=17, sample=(1, 3, 2, 32, 48)):
    if model.preset.vae.time_factor > 1:
        raise SystemExit("only frame-wise VAEs (tiny) export with dynamic T; `full` is a cost model")
    x = torch.rand(*sample)
    kwargs = dict(input_names=["lr"], output_names=["hr"], opset_version=opset, do_constant_folding=True,
                  dynamic_axes={"lr": {2: "T", 3: "H", 4: "W"}, "hr": {2: "T", 3: "H4", 4: "W4"}})
    if "dynamo" in torch.onnx.export.__code__.co_varnames:
        kwargs["dynamo"] = False  # torch >= 2.5 defaults to the dynamo exporter; the TorchScript one is proven here
    with torch.no_grad():
        torch.onnx.export(model, (x,), path, **kwargs)
    return path


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def toposort(graph):
    """Reorder graph.node so every node comes after the nodes producing its inputs (Kahn; stable otherwise)."""
    known = {i.name for i in graph.input} | {t.name for t in graph.initializer} | {""}
    nodes, ordered = list(graph.node), []
    while nodes:
        ready = [n for n in nodes if all(i in known for i in n.input)]
        if not ready:
            raise ValueError("graph has a cycle or an undefined input")
        for n in ready:
            ordered.append(n)
            known.update(n.output)
        nodes = [n for n in nodes if n not in ready]
    del graph.node[:]
    graph.node.extend(ordered)


def fp16_graph(onnx_path, out_path):
    """A float16 copy of the graph with float32 inputs and outputs (Casts inside), for GPU engines: the worker's
    pinned buffers and conversion kernels stay float32 either way. Needs onnxruntime's transformers tools."""
    import onnx
    from onnxruntime.transformers.float16 import convert_float_to_float16
    m = convert_float_to_float16(onnx.load(onnx_path), keep_io_types=True)
    toposort(m.graph)       # the converter appends its input casts at the end; the checker wants them first
    onnx.save(m, out_path)
    onnx.checker.check_model(onnx.load(out_path))
    return out_path


def write_card(model, onnx_path, card_path, name, clip_frames=16, clip_overlap=2, tile=256, tile_overlap=16,
               training="see models/README.md", fp16_path=None):
    # 16-frame clips sharing 2: the same PSNR through the worker as 8/2 (trained on 8) and a quarter of the model's
    # work no longer repeated (models/README.md, "Clip length")
    card = {
        "name": name, "version": CARD_VERSION, "architecture": "fastvsr",
        "scale": 4,
        "input": {"name": "lr", "layout": "NCTHW", "range": [0, 1], "colour": "RGB",
                  "multipleOf": model.multiple()},
        "output": {"name": "hr", "layout": "NCTHW", "range": [0, 1]},
        "clip": {"frames": clip_frames, "overlap": clip_overlap},
        "tile": {"size": tile, "overlap": tile_overlap},
        "files": dict({"onnx": os.path.basename(onnx_path), "sha256": sha256(onnx_path)},
                      **({"fp16": {"onnx": os.path.basename(fp16_path), "sha256": sha256(fp16_path)}}
                         if fp16_path else {})),
        "training": training,
    }
    with open(card_path, "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    return card


def check_onnx(path):
    import onnx
    onnx.checker.check_model(onnx.load(path))


def parity(model, path, shapes=((1, 3, 1, 16, 24), (1, 3, 3, 24, 40), (1, 3, 5, 40, 32)), threads=None, seed=1):
    """Relative L2 error ORT vs PyTorch (fp32) for each shape; returns a list of dicts."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    if threads:
        so.intra_op_num_threads = threads
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    g = torch.Generator().manual_seed(seed)
    out = []
    for s in shapes:
        x = torch.rand(*s, generator=g)
        with torch.no_grad():
            ref = model(x).numpy()
        got = sess.run(["hr"], {"lr": x.numpy()})[0]
        assert got.shape == ref.shape, (got.shape, ref.shape)
        rel = float(np.linalg.norm(got - ref) / max(np.linalg.norm(ref), 1e-12))
        out.append({"shape": list(s), "rel_err": rel, "max_abs": float(np.abs(got - ref).max())})
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", default="tiny")
    ap.add_argument("--checkpoint")
    ap.add_argument("--out", required=True, help="directory: writes model.onnx and model.json")
    ap.add_argument("--name", default=None)
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--parity", action="store_true", help="compare ONNX Runtime with PyTorch (needs onnxruntime)")
    ap.add_argument("--fp16", action="store_true", help="also write model.fp16.onnx (needs onnxruntime)")
    ap.add_argument("--verify", default=None, help="an existing .onnx: parity only (with --checkpoint), no export")
    ap.add_argument("--save-checkpoint", default=None, help="also save the exported weights (for --verify elsewhere)")
    ap.add_argument("--time-cpu", type=str, default=None,
                    help="T,H,W: time ORT on the CPU with 2 threads on that LR size (e.g. 8,184,320)")
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    model = load_model(a.preset, a.checkpoint, a.seed)
    if a.verify:
        rep = {"verify": a.verify, "torch": torch.__version__, "parity": parity(model, a.verify)}
        rep["parity_ok"] = all(p["rel_err"] <= 1e-4 for p in rep["parity"])
        print(json.dumps(rep, indent=2))
        return rep
    if a.save_checkpoint:
        torch.save({"model": model.state_dict(), "preset": a.preset}, a.save_checkpoint)
    onnx_path = export(model, os.path.join(a.out, "model.onnx"), a.opset)
    check_onnx(onnx_path)
    name = a.name or model.preset.name
    fp16 = fp16_graph(onnx_path, os.path.join(a.out, "model.fp16.onnx")) if a.fp16 else None
    card = write_card(model, onnx_path, os.path.join(a.out, "model.json"), name,
                      training="random weights (export test only)" if not a.checkpoint else "see models/README.md",
                      fp16_path=fp16)
    report = {"onnx_bytes": os.path.getsize(onnx_path), "card": card, "torch": torch.__version__}
    if a.parity:
        report["parity"] = parity(model, onnx_path)
        report["parity_ok"] = all(p["rel_err"] <= 1e-4 for p in report["parity"])
    if a.time_cpu:
        import time
        import onnxruntime as ort
        t, h, w = (int(v) for v in a.time_cpu.split(","))
        so = ort.SessionOptions()
        so.intra_op_num_threads = 2
        so.inter_op_num_threads = 1
        sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
        x = np.random.rand(1, 3, t, h, w).astype(np.float32)
        sess.run(["hr"], {"lr": x})
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            sess.run(["hr"], {"lr": x})
            times.append(time.perf_counter() - t0)
        report["ort_cpu_2threads"] = {"lr": [t, h, w], "s_per_clip": sorted(times)[1], "s_per_frame": sorted(times)[1] / t}
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
