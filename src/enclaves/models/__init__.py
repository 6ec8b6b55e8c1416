"""Models the chapters share: synthetic control (with placebo inference), interrupted time series,
panel regressions (``enclaves.models.panel``) and comparative designs for monthly counts (``counts``).
Submodules load on first use, because statsmodels is slow to import."""

from __future__ import annotations

import importlib

_EXPORTS = {
    "ITSResult": "its", "interrupted_time_series": "its",
    "SynthResult": "synth", "synthetic_control": "synth", "placebo_in_space": "synth",
    "placebo_in_time": "synth", "leave_one_out": "synth",
    "blas_single_thread": "threads",
    "poisson_did": "counts", "poisson_did_placebos": "counts", "placebo_p": "counts",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(name)
