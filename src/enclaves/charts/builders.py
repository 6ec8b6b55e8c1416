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


def rate_with_interval(df: pd.DataFrame, *, x: str = "year", y: str = "homicide_rate", low: str = "rate_low",
                       high: str = "rate_high", color: str | None = None, title: str, description: str,
                       y_title: str, x_title: str = "Year", color_scale: alt.Scale | None = None,
                       color_title: str | None = None, tooltip: Sequence | None = None,
                       breaks: Sequence[tuple[int | float, str]] = (), subtitle: str | None = None):
    """A rate line with its exact Poisson 95% interval as a band (for small places), with a legend
    selection when ``color`` is given."""
    base = alt.Chart(df)
    enc_x = alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format="d"))
    tips = list(tooltip) if tooltip else [tip(x, x_title, "d"), tip(y, y_title, ".1f"),
                                          tip(low, "95% interval, low", ".1f"), tip(high, "95% interval, high", ".1f")]
    col = {}
    if color:
        col["color"] = alt.Color(f"{color}:N", title=color_title or color,
                                 scale=color_scale if color_scale is not None else alt.Undefined)
    sel = alt.selection_point(fields=[color], bind="legend") if color else None
    op = {"opacity": alt.condition(sel, alt.value(0.22), alt.value(0.04))} if sel else {"opacity": alt.value(0.22)}
    band = base.mark_area().encode(x=enc_x, y=alt.Y(f"{low}:Q", title=y_title), y2=f"{high}:Q", **col, **op)
    lop = {"opacity": alt.condition(sel, alt.value(1.0), alt.value(0.15))} if sel else {}
    line = base.mark_line().encode(x=enc_x, y=alt.Y(f"{y}:Q", title=y_title), tooltip=tips, **col, **lop)
    pts = base.mark_point().encode(x=enc_x, y=f"{y}:Q", tooltip=tips, **col, **lop)
    if sel is not None:
        line = line.add_params(sel)
    layers = [band, line, pts]
    if breaks:
        layers.append(breaks_layer(breaks, x=x))
    t = alt.Title(title, subtitle=subtitle) if subtitle else title
    return alt.layer(*layers).properties(title=t, description=description)


def with_dropdown(df: pd.DataFrame, *, field: str, options: Sequence[str], default: str, label: str,
                  x: str, y: str, title: str, description: str, y_title: str, x_title: str = "Year",
                  fixed: str | None = None, fixed_label: str | None = None, y_format: str = ".1f",
                  breaks: Sequence[tuple[int | float, str]] = ()):
    """Lines for ``fixed`` (e.g. the case) and one series picked from a dropdown (keyboard-reachable)."""
    pick = alt.param(name=f"pick_{field}", value=default,
                     bind=alt.binding_select(options=list(options), name=label + " "))
    base = alt.Chart(df)
    enc_x = alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format="d"))
    tips = [tip(field, "Area"), tip(x, x_title, "d"), tip(y, y_title, y_format)]
    shown = base.transform_filter(f"datum['{field}'] == pick_{field}" + (f" || datum['{field}'] == '{fixed}'"
                                                                          if fixed else ""))
    lines = shown.mark_line().encode(x=enc_x, y=alt.Y(f"{y}:Q", title=y_title),
                                     color=alt.Color(f"{field}:N", title=fixed_label or "Area"), tooltip=tips)
    pts = shown.mark_point().encode(x=enc_x, y=f"{y}:Q", color=f"{field}:N", tooltip=tips)
    layers = [lines.add_params(pick), pts]
    if breaks:
        layers.append(breaks_layer(breaks, x=x))
    return alt.layer(*layers).properties(title=title, description=description)


def timeline(series: pd.DataFrame, events: pd.DataFrame, *, x: str = "year", y: str = "homicide_rate",
             title: str, description: str, y_title: str, x_title: str = "Year", color: str | None = None,
             color_scale: alt.Scale | None = None, event_x: str = "date", event_label: str = "event"):
    """A timeline of events (vertical rules with labels and tooltips) drawn over a series.

    ``events``: one row per event with a numeric position ``event_x`` (e.g. 2013.9 for late 2013)
    and a short ``event_label``; labels alternate in height so neighbours do not collide.
    """
    ev = events.copy().reset_index(drop=True)
    ev["label_y"] = [4 + 14 * (i % 3) for i in range(len(ev))]
    enc_x = alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format="d"))
    base = alt.Chart(series)
    col = {"color": alt.Color(f"{color}:N", scale=color_scale if color_scale is not None else alt.Undefined,
                              title="Area")} if color else {}
    tips = [tip(x, x_title, "d"), tip(y, y_title, ".1f")] + ([tip(color, "Area")] if color else [])
    line = base.mark_line().encode(x=enc_x, y=alt.Y(f"{y}:Q", title=y_title), tooltip=tips, **col)
    pts = base.mark_point().encode(x=enc_x, y=f"{y}:Q", tooltip=tips, **col)
    rules = alt.Chart(ev).mark_rule(strokeDash=[4, 3]).encode(
        x=alt.X(f"{event_x}:Q"), tooltip=[tip(event_label, "Event"), tip(event_x, "When", ".1f")])
    labels = alt.Chart(ev).mark_text(align="left", dx=3, baseline="top", fontSize=10, color=NEUTRAL["break"]).encode(
        x=f"{event_x}:Q", y=alt.Y("label_y:Q", scale=None, axis=None), text=f"{event_label}:N")
    return alt.layer(line, pts, rules, labels).properties(title=title, description=description)
