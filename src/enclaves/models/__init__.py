"""Models the chapters share: synthetic control (with placebo inference) and interrupted time series."""

from .its import ITSResult, interrupted_time_series
from .synth import SynthResult, leave_one_out, placebo_in_space, placebo_in_time, synthetic_control

__all__ = ["ITSResult", "SynthResult", "interrupted_time_series", "leave_one_out", "placebo_in_space",
           "placebo_in_time", "synthetic_control"]
