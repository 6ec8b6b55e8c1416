"""Chart builders the chapters share. Each returns an Altair chart with a title, axis titles
with units, tooltips and a description (its accessible label)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from .theme import NEUTRAL


def breaks_layer(breaks: Sequence[tuple[int | float, str]], x: str = "year", x_type: str = "Q"):
    """Vertical rules with labels marking methodology breaks or events: [(2000, 'basis changes')]."""
    d = pd.DataFrame(breaks, columns=[x, "label"])
    d["label_y"] = [2 + 13 * (i % 2) for i in range(len(d))]  # stagger labels of nearby breaks
    base = alt.Chart(d)
    rule = base.mark_rule(strokeDash=[4, 3], strokeWidth=1.2).encode(
        x=alt.X(f"{x}:{x_type}"), tooltip=[alt.Tooltip(f"{x}:{x_type}", title="Year"),
                                              alt.Tooltip("label:N", title="Note")])
    text = base.mark_text(align="left", baseline="top", dx=4, dy=2, fontSize=10,
                          color=NEUTRAL["break"]).encode(
        x=alt.X(f"{x}:{x_type}"), y=alt.Y("label_y:Q", scale=None, axis=None), text="label:N")
    return rule + text


def line_with_breaks(df: pd.DataFrame, *, x: str, y: str, title: str, description: str, y_title: str,
                     x_title: str = "Year", color: str | None = None, color_title: str | None = None,
                     color_scale: alt.Scale | None = None, tooltip: Sequence | None = None,
                     breaks: Sequence[tuple[int | float, str]] = (), subtitle: str | None = None,
                     y_format: str = ",.1f", highlight: bool = True) -> alt.LayerChart:
    """A line chart over years with optional break markers and a legend selection.

    With ``color`` and ``highlight``, clicking a legend entry highlights that series (an
    interaction beyond tooltips, reachable from the legend).
    """
    enc_x = alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format="d"))
    enc_y = alt.Y(f"{y}:Q", title=y_title)
    tips = list(tooltip) if tooltip else [alt.Tooltip(f"{x}:Q", title=x_title, format="d"),
                                          alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)]
    base = alt.Chart(df)
    enc = {"x": enc_x, "y": enc_y, "tooltip": tips}
    layers = []
    if color:
        col = alt.Color(f"{color}:N", title=color_title or color,
                        scale=color_scale if color_scale is not None else alt.Undefined)
        enc["color"] = col
        if color and highlight:
            sel = alt.selection_point(fields=[color], bind="legend")
            enc["opacity"] = alt.condition(sel, alt.value(1.0), alt.value(0.18))
            lines = base.mark_line().encode(**enc).add_params(sel)
        else:
            lines = base.mark_line().encode(**enc)
        points = base.mark_point().encode(**{k: v for k, v in enc.items()})
    else:
        lines = base.mark_line().encode(**enc)
        points = base.mark_point().encode(**enc)
    layers += [lines, points]
    if breaks:
        layers.append(breaks_layer(breaks, x=x))
    t = alt.Title(title, subtitle=subtitle) if subtitle else title
    return alt.layer(*layers).properties(title=t, description=description)


def tip(field: str, title: str, fmt: str | None = None) -> alt.Tooltip:
    """A tooltip entry with a readable title (and number format)."""
    return alt.Tooltip(field, title=title, format=fmt) if fmt else alt.Tooltip(field, title=title)


def area_scale(names) -> alt.Scale:
    """Colour scale for areas: the cases and their states keep their fixed colours, the nation is
    near-black, anything else is a neutral grey."""
    from .theme import CASE_COLORS, NATIONAL_NAME, NEUTRAL, STATE_COLORS

    fixed = {**CASE_COLORS, **STATE_COLORS, NATIONAL_NAME: NEUTRAL["national"]}
    domain = list(dict.fromkeys(names))
    greys = ["#9e9e9e", "#7a7a7a", "#bdbdbd", "#5c5c5c", "#adadad"]
    rng, k = [], 0
    for n in domain:
        if n in fixed:
            rng.append(fixed[n])
        else:
            rng.append(greys[k % len(greys)])
            k += 1
    return alt.Scale(domain=domain, range=rng)
