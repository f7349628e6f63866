import hashlib
import json
import os

import numpy as np
import pytest
import torch

import export_onnx


def test_export_tiny_and_card(tmp_path):
    rep = export_onnx.main(["--preset", "tiny", "--out", str(tmp_path), "--name", "fastvsr-tiny"])
    onnx_path, card_path = tmp_path / "model.onnx", tmp_path / "model.json"
    assert onnx_path.stat().st_size <= 20 * 1024 * 1024
    card = json.loads(card_path.read_text())
    assert card["name"] == "fastvsr-tiny" and card["scale"] == 4 and card["architecture"] == "fastvsr"
    assert card["input"] == {"name": "lr", "layout": "NCTHW", "range": [0, 1], "colour": "RGB", "multipleOf": 8}
    assert card["output"]["name"] == "hr" and card["output"]["layout"] == "NCTHW"
    assert card["files"]["onnx"] == "model.onnx"
    assert card["files"]["sha256"] == hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    import onnx
    m = onnx.load(str(onnx_path))
    onnx.checker.check_model(m)
    assert max(o.version for o in m.opset_import if o.domain in ("", "ai.onnx")) >= 17 or torch.__version__ < "1.13"
    ops = {n.op_type for n in m.graph.node}
    assert "DepthToSpace" in ops  # the f16 head's PixelShuffle
    for n in m.graph.node:
        if n.op_type == "Resize":
            assert dict((a.name, a.s) for a in n.attribute)["mode"] != b"cubic"
    dims = [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
    assert dims[:2] == [1, 3] and all(isinstance(d, str) for d in dims[2:])


def test_ort_parity(tmp_path):
    pytest.importorskip("onnxruntime")
    model = export_onnx.load_model("tiny", seed=0)
    path = export_onnx.export(model, str(tmp_path / "m.onnx"))
    for r in export_onnx.parity(model, path):
        assert r["rel_err"] <= 1e-4, r
