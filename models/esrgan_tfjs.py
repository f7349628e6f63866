#!/usr/bin/env python3
"""A pretrained peer no one here trained: UpscalerJS's `@upscalerjs/esrgan-{slim,medium,thick}` (npm) in PyTorch.

The npm packages ship TensorFlow.js *layers* models (`models/x4/model.json` = a Keras functional graph + a
weights manifest, `group1-shard*of*.bin` = the float32 weights concatenated in manifest order). We interpret the
graph as it is written: every layer class it uses is re-implemented here, the weights are read from the shards.

    Conv2D (padding same/valid, stride 1, linear/relu)   -> F.conv2d, kernel [kh, kw, in, out] -> [out, in, kh, kw]
    Activation, Add, Concatenate (channels, NHWC axis -1) -> the obvious ops on NCHW
    UpSampling2D (nearest)                                -> repeat_interleave
    MultiplyBeta (custom, beta = 0.2)                     -> x * beta           (esrgan.js in the package)
    PixelShuffle{s}x (custom) = tf.depthToSpace NHWC      -> depth_to_space below (NOT torch's pixel_shuffle order)

Despite the name, slim/medium are idealo's RDN (architecture "rdn": input and output in [0, 255]) and thick is an
RRDN (architecture "rrdn": [0, 1]); the range comes from `dist/.../getModelDefinition.js` of each package and is
stored in MODEL_RANGES. The packages ship `assets/fixture.png` (128x128) and `assets/samples/4x/result.png`
(UpscalerJS's own x4 output of it): `verify()` re-runs the fixture and reports the PSNR against that result.

    /usr/bin/python3 models/esrgan_tfjs.py --package DIR/package [--verify]
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# input/output range per architecture (packages/shared/src/esrgan/esrgan.js: rdn -> [0, 255], else [0, 1])
MODEL_RANGES = {"rdn": 255.0, "rrdn": 1.0}


def depth_to_space(x, r):
    """tf.depthToSpace(x, r, 'NHWC') on an NCHW tensor: channel (i * r + j) * C + c -> pixel (h*r+i, w*r+j), c."""
    n, crr, h, w = x.shape
    c = crr // (r * r)
    return x.view(n, r, r, c, h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c, h * r, w * r)


def read_weights(model_dir, manifest):
    out = {}
    for group in manifest:
        blob = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            assert w["dtype"] == "float32" and "quantization" not in w, w
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            out[w["name"]] = np.frombuffer(blob, "<f4", n, off).reshape(w["shape"]).copy()
            off += 4 * n
        assert off == len(blob), (off, len(blob))
    return out


class TFJSLayersModel(nn.Module):
    """A Keras functional graph (TF.js layers format) as a PyTorch module. NCHW in, NCHW out, model's own range."""

    def __init__(self, model_json, model_dir):
        super().__init__()
        cfg = model_json["modelTopology"]["model_config"]["config"]
        self.layers_cfg = cfg["layers"]
        self.inputs = [x[0] for x in cfg["input_layers"]]
        self.outputs = [x[0] for x in cfg["output_layers"]]
        weights = read_weights(model_dir, model_json["weightsManifest"])
        self.convs = nn.ModuleDict()
        used = set()
        for l in self.layers_cfg:
            if l["class_name"] != "Conv2D":
                continue
            c = l["config"]
            assert tuple(c.get("strides", [1, 1])) == (1, 1) and tuple(c.get("dilation_rate", [1, 1])) == (1, 1), c
            assert c.get("data_format", "channels_last") == "channels_last"
            k = weights[f"{l['name']}/kernel"]
            conv = nn.Conv2d(k.shape[2], k.shape[3], tuple(k.shape[:2]), bias=c.get("use_bias", True))
            conv.weight.data.copy_(torch.from_numpy(k).permute(3, 2, 0, 1))
            used.add(f"{l['name']}/kernel")
            if c.get("use_bias", True):
                conv.bias.data.copy_(torch.from_numpy(weights[f"{l['name']}/bias"]))
                used.add(f"{l['name']}/bias")
            self.convs[l["name"]] = conv
        unused = set(weights) - used
        assert not unused, f"weights the graph does not use: {sorted(unused)[:5]}"

    @staticmethod
    def _act(x, name):
        if name in (None, "linear"):
            return x
        if name == "relu":
            return F.relu(x)
        if name == "sigmoid":
            return torch.sigmoid(x)
        if name == "tanh":
            return torch.tanh(x)
        raise NotImplementedError(name)

    def forward(self, x):
        vals = {self.inputs[0]: x}
        for l in self.layers_cfg:
            cls, name, c = l["class_name"], l["name"], l["config"]
            if cls == "InputLayer":
                continue
            ins = [vals[n[0]] for n in l["inbound_nodes"][0]]
            if cls == "Conv2D":
                conv = self.convs[name]
                kh, kw = conv.kernel_size
                h = ins[0]
                if c["padding"] == "same":  # odd kernels, stride 1: symmetric (TF puts the extra pixel after)
                    ph, pw = kh - 1, kw - 1
                    h = F.pad(h, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
                y = self._act(conv(h), c.get("activation"))
            elif cls == "Activation":
                y = self._act(ins[0], c["activation"])
            elif cls == "Add":
                y = ins[0]
                for t in ins[1:]:
                    y = y + t
            elif cls == "Concatenate":
                assert c.get("axis", -1) in (-1, 3)
                y = torch.cat(ins, dim=1)
            elif cls == "UpSampling2D":
                assert c.get("interpolation", "nearest") == "nearest"
                sh, sw = c["size"]
                y = ins[0].repeat_interleave(sh, 2).repeat_interleave(sw, 3)
            elif cls == "MultiplyBeta":
                y = ins[0] * c.get("beta", 0.2)
            elif cls.startswith("PixelShuffle"):
                y = depth_to_space(ins[0], int(c.get("scale", cls[len("PixelShuffle"):-1])))
            else:
                raise NotImplementedError(cls)
            vals[name] = y
        return vals[self.outputs[0]]


def package_architecture(package_dir):
    """'rdn' or 'rrdn', read from the package's compiled model definition."""
    for root, _, files in os.walk(os.path.join(package_dir, "dist")):
        for f in files:
            if f == "getModelDefinition.js":
                txt = open(os.path.join(root, f)).read()
                for arch in ("rrdn", "rdn"):
                    if f'architecture: "{arch}"' in txt or f"architecture: '{arch}'" in txt:
                        return arch
    raise ValueError(f"no architecture found in {package_dir}")


class ESRGAN(nn.Module):
    """[B, 3, H, W] RGB in [0, 1] -> [B, 3, s*H, s*W] in [0, 1]."""

    def __init__(self, model_dir, arch):
        super().__init__()
        with open(os.path.join(model_dir, "model.json")) as f:
            self.net = TFJSLayersModel(json.load(f), model_dir)
        self.arch, self.range = arch, MODEL_RANGES[arch]

    def forward(self, x):
        return (self.net(x * self.range) / self.range).clamp(0.0, 1.0)


def load(package_dir, scale=4):
    """package_dir = the npm tarball's `package/` folder (or a copy holding models/x{scale}/ and an arch file)."""
    model_dir = os.path.join(package_dir, "models", f"x{scale}")
    arch_file = os.path.join(package_dir, "ARCH")
    arch = open(arch_file).read().strip() if os.path.exists(arch_file) else package_architecture(package_dir)
    return ESRGAN(model_dir, arch).eval()


def _png(path):
    from PIL import Image
    im = Image.open(path)
    a = np.asarray(im.convert("RGBA" if im.mode in ("RGBA", "LA", "P") else "RGB"), dtype=np.float32) / 255.0
    return a


def verify(package_dir, scale=4):
    """Re-run the package's fixture and compare with its shipped x4 sample result (RGB, 8-bit rounding)."""
    model = load(package_dir, scale)
    fx = _png(os.path.join(package_dir, "assets", "fixture.png"))
    ref = _png(os.path.join(package_dir, "assets", "samples", f"{scale}x", "result.png"))
    x = torch.from_numpy(fx[..., :3]).permute(2, 0, 1)[None]
    with torch.no_grad():
        y = model(x)[0].permute(1, 2, 0).numpy()
    y8 = np.round(y * 255.0) / 255.0
    r = ref[..., :3]
    assert y8.shape == r.shape, (y8.shape, r.shape)
    mse = float(np.mean((y8 - r) ** 2))
    bic = torch.nn.functional.interpolate(x, scale_factor=scale, mode="bicubic", align_corners=False)
    bic = bic.clamp(0, 1)[0].permute(1, 2, 0).numpy()
    return {"package": os.path.basename(os.path.dirname(os.path.abspath(package_dir))) or package_dir,
            "arch": model.arch, "fixture": list(fx.shape), "result": list(ref.shape),
            "psnr_vs_shipped_result": 10 * np.log10(1.0 / max(mse, 1e-12)),
            "max_abs_8bit": float(np.abs(y8 - r).max() * 255.0),
            "frac_pixels_exact_8bit": float(np.mean(np.abs(y8 - r) * 255.0 < 0.5)),
            "bicubic_psnr_vs_shipped_result": 10 * np.log10(1.0 / max(float(np.mean((bic - r) ** 2)), 1e-12)),
            "params": sum(p.numel() for p in model.parameters())}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--package", required=True, nargs="+")
    ap.add_argument("--scale", type=int, default=4)
    ap.add_argument("--out", default=None)
    a = ap.parse_args(argv)
    reps = [verify(p, a.scale) for p in a.package]
    print(json.dumps(reps, indent=2))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(reps, f, indent=2)


if __name__ == "__main__":
    main()
