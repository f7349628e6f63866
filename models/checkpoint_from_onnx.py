"""A trainable checkpoint from a shipped ONNX graph, for when the training checkpoint is gone.

Why. Checkpoints are git-ignored and live only on the machine that trained them; the ONNX graph and its parity files
are what the repository keeps. Every weight of the f16 model is in the graph, so a later stage (grow.py, train.py
--grow-from) can start from the shipped model instead of re-training it.

How. The same preset is built here with every tensor filled with distinct random values and exported with
export_onnx, so each state-dict entry can be found in that probe graph by value: as is, transposed (Linear ->
MatMul; frame-wise 3-D convolutions export as 2-D ones, so values are compared flat) or summed over the f16 head's channel copy (DecoderF16.fuse_copy). The shipped graph is matched to the probe
by structure: an initializer is known by the n-th node of its op type that reads it and the input slot, which does
not depend on the numbers an exporter gives anonymous tensors. The head's copy is undone by splitting each fused
weight evenly over its four copies (the same function). The result is checked against the shipped parity files.

    /usr/bin/python3 models/checkpoint_from_onnx.py --model models/fastvsr-tiny --preset tiny-deep4-ps \
        --out models/results/ckpt/fastvsr_tiny_v4.pt
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_onnx import export, load_model  # noqa: E402


def tensors_by_place(path):
    """{(op type, n-th node of that type, input slot): array} for every constant a node of the graph reads."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(path).graph
    consts = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    for n in graph.node:
        if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
            consts[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
    seen, out = {}, {}
    for n in graph.node:
        if n.op_type == "Constant":
            continue
        k = seen.get(n.op_type, 0)
        seen[n.op_type] = k + 1
        for slot, name in enumerate(n.input):
            if name in consts:
                out[(n.op_type, k, slot)] = consts[name]
    return out


def fused_copy(w):
    """DecoderF16.fuse_copy's weight: input channels c*4 .. c*4+3 summed."""
    return w.reshape(w.shape[0], w.shape[1] // 4, 4, *w.shape[2:]).sum(2)


def place_of_each_weight(preset, probe_path, seed=1):
    """{state key: (place, how)} found by value in a probe export of `preset` with distinct random weights."""
    model = load_model(preset, fuse=False)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for t in model.state_dict().values():
            if t.is_floating_point():
                t.copy_(torch.randn(t.shape, generator=g))
    if hasattr(model.decoder, "fuse_copy"):
        model.decoder.fuse_copy()
    export(model, probe_path)
    probe = tensors_by_place(probe_path)
    places = {}
    for key, t in model.state_dict().items():
        a = t.numpy()
        forms = {"same": a}
        if a.ndim == 2:
            forms["transposed"] = a.T
        if key == "decoder.conv_out.conv.weight":
            forms = {"fused_copy": fused_copy(a)}
        hit = [(p, how) for p, arr in probe.items() for how, f in forms.items()
               if arr.size == f.size and np.array_equal(arr.ravel(), f.ravel())]
        if len(hit) != 1:
            raise SystemExit(f"{key}: {len(hit)} places in the probe graph (expected one)")
        places[key] = hit[0]
    return model, places


def recover(model_dir, preset, probe_path):
    model, places = place_of_each_weight(preset, probe_path)
    shipped = tensors_by_place(os.path.join(model_dir, "model.onnx"))
    state = {}
    for key, t in model.state_dict().items():
        place, how = places[key]
        a = shipped[place]
        if how == "transposed":
            a = a.T
        elif how == "fused_copy":   # split evenly over the four copies: the same fused weight
            a = np.repeat(a[:, :, None] / 4, 4, axis=2).reshape(t.shape)
        state[key] = torch.from_numpy(np.array(a)).reshape(t.shape).to(t.dtype)   # a copy: ONNX arrays are read-only
    return state


def parity_db(state, preset, model_dir):
    model = load_model(preset, fuse=False)
    model.load_state_dict(state, strict=True)
    import json
    d = os.path.join(model_dir, "parity")
    shapes = json.load(open(os.path.join(d, "io.json")))
    x = np.fromfile(os.path.join(d, "input.f32"), "<f4").reshape(shapes["input"])
    expected = np.fromfile(os.path.join(d, "expected.f32"), "<f4").reshape(shapes["output"])
    with torch.no_grad():
        y = model(torch.from_numpy(x)).numpy()
    mse = float(np.mean((y - expected) ** 2))
    return 10 * np.log10(1.0 / max(mse, 1e-30))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="models/fastvsr-tiny", help="a model directory (model.onnx + parity/)")
    ap.add_argument("--preset", required=True, help="the preset the graph was exported from (its provenance.json)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--min-db", type=float, default=60.0, help="refuse a checkpoint below this parity PSNR")
    a = ap.parse_args(argv)
    state = recover(a.model, a.preset, a.out + ".probe.onnx")
    os.remove(a.out + ".probe.onnx")
    db = parity_db(state, a.preset, a.model)
    print(f"parity against {a.model}/parity: {db:.1f} dB")
    if db < a.min_db:
        raise SystemExit(f"recovered weights do not reproduce the parity clip ({db:.1f} dB < {a.min_db})")
    torch.save({"model": state, "preset": a.preset, "recovered_from": os.path.join(a.model, "model.onnx")}, a.out)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
