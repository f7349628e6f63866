"""checkpoint_from_onnx: a shipped graph's weights back into a trainable checkpoint."""
import json
import os

import numpy as np
import pytest
import torch

pytest.importorskip("onnx")
from checkpoint_from_onnx import fused_copy, parity_db, recover  # noqa: E402
from export_onnx import export, load_model  # noqa: E402


def test_every_weight_of_an_exported_model_comes_back(tmp_path):
    model = load_model("tiny", fuse=False)
    g = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for t in model.state_dict().values():
            if t.is_floating_point():
                t.copy_(torch.randn(t.shape, generator=g) * 0.05)
    original = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.rand(1, 3, 2, 16, 16, generator=g)
    with torch.no_grad():
        y = model(x)
    model.decoder.fuse_copy()
    export(model, str(tmp_path / "model.onnx"))
    (tmp_path / "parity").mkdir()
    x.numpy().astype("<f4").tofile(tmp_path / "parity" / "input.f32")
    y.numpy().astype("<f4").tofile(tmp_path / "parity" / "expected.f32")
    (tmp_path / "parity" / "io.json").write_text(json.dumps({"input": list(x.shape), "output": list(y.shape)}))

    state = recover(str(tmp_path), "tiny", str(tmp_path / "probe.onnx"))
    assert set(state) == set(original)
    for k, v in original.items():
        if k == "decoder.conv_out.conv.weight":     # only its sum over the channel copy is in the graph
            assert torch.allclose(fused_copy(state[k]), fused_copy(v), atol=1e-6)
            assert not torch.equal(state[k], v)
        else:
            assert torch.equal(state[k], v), k
    assert parity_db(state, "tiny", str(tmp_path)) > 100
    broken = dict(state, **{"decoder.conv_out.conv.bias": state["decoder.conv_out.conv.bias"] + 0.01})
    assert parity_db(broken, "tiny", str(tmp_path)) < 80
    assert os.path.exists(tmp_path / "probe.onnx")
