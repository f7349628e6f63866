"""FastVSR (arXiv 2509.24142) and its f8 one-step baseline, in PyTorch. See models/README.md."""
from .pipeline import OneStepVSR, build, f16_from_f8, upscale
from .grow import grow
from .presets import FULL, TINY, PRESETS, get_preset

__all__ = ["OneStepVSR", "build", "f16_from_f8", "upscale", "grow", "FULL", "TINY", "PRESETS", "get_preset"]
