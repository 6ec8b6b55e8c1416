"""Chart theme and builders. ``import enclaves.charts`` registers the theme and renderer."""

from . import maps
from .builders import (
    area_scale,
    breaks_layer,
    event_labels,
    interval_tips,
    line_with_breaks,
    rate_tips,
    rate_with_interval,
    reference_rule,
    synthetic_control,
    timeline,
    tip,
    with_dropdown,
)
from .maps import choropleth, fold_new_municipalities, locator_map
from .theme import CASE_COLORS, NEUTRAL, setup
from .words import and_list, ordinal, year_spans

__all__ = ["CASE_COLORS", "NEUTRAL", "and_list", "area_scale", "breaks_layer", "choropleth", "event_labels",
           "fold_new_municipalities", "interval_tips", "line_with_breaks", "locator_map", "maps", "ordinal",
           "rate_tips", "rate_with_interval", "reference_rule", "setup", "synthetic_control", "timeline", "tip",
           "with_dropdown", "year_spans"]
