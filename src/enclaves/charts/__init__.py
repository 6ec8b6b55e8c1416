"""Chart theme and builders. ``import enclaves.charts`` registers the theme and renderer."""

from .builders import (
    area_scale,
    breaks_layer,
    line_with_breaks,
    rate_with_interval,
    timeline,
    tip,
    with_dropdown,
)
from .theme import CASE_COLORS, NEUTRAL, setup

__all__ = ["CASE_COLORS", "NEUTRAL", "area_scale", "breaks_layer", "line_with_breaks", "rate_with_interval",
           "setup", "timeline", "tip", "with_dropdown"]
