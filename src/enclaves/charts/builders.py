"""Chart builders the chapters share. Each returns an Altair chart with a title, axis titles
with units, tooltips and a description (its accessible label)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from .theme import NEUTRAL

#: Charts narrower than this (px of plotting area; a phone) always give each event label a row of its own.
NARROW_WIDTH = 560
#: Estimated width of one character of a 10-px label, and the gap kept between neighbouring labels (px).
CHAR_PX, GAP_PX = 6.0, 8.0


def stacking_width(xs: Sequence[float], labels: Sequence[str], rows: int, lo: float, hi: float) -> float:
    """The plotting width (px) below which labels alternating between ``rows`` heights would overlap a
    neighbour in their row or run past the right end; at least :data:`NARROW_WIDTH`."""
    need = NARROW_WIDTH
    span = hi - lo
    if span <= 0:
        return need
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    for r in range(rows):
        row = order[r::rows]
        for a, b in zip(row, row[1:] + [None], strict=False):
            room = ((xs[b] if b is not None else hi) - xs[a]) / span
            text = len(labels[a]) * CHAR_PX + GAP_PX
            if room > 0:
                need = max(need, text / room)
            elif b is not None:
                need = float("inf")
    return need


def event_labels(events: pd.DataFrame, *, x: str, label: str, x_type: str = "Q", rows: int = 2, top: int = 2,
                 domain: tuple[float, float] | None = None) -> alt.LayerChart:
    """Labels for event or break rules that neither overlap nor leave the chart, at any width.

    Where the chart is wide enough (:func:`stacking_width`, re-checked as the chart resizes) labels
    alternate between ``rows`` heights; otherwise each has a row of its own. A label sits right of its
    rule where it fits there (or where there is more room), else left of it, and is cut short (…) only
    if it is longer than the room on its side.
    ``domain``: the chart's x range (default: the events' own)."""
    ev = events.sort_values(x, kind="stable").reset_index(drop=True)
    lo, hi = domain if domain is not None else (ev[x].min(), ev[x].max())
    stacked = f"width < {NARROW_WIDTH}"
    if x_type == "Q":
        need = stacking_width(ev[x].astype(float).tolist(), ev[label].astype(str).tolist(), rows, lo, hi)
        stacked = "true" if need == float("inf") else f"width < {round(need)}"
    base = alt.Chart(ev).transform_window(label_row="row_number()").transform_calculate(
        label_y=f"{top} + 13 * ({stacked} ? datum.label_row - 1 : (datum.label_row - 1) % {rows})")
    at = f"scale('x', datum['{x}'])"
    right = f"({at} + {CHAR_PX} * length(datum['{label}']) + {GAP_PX} <= width || width - {at} >= {at})"
    place = {"align": alt.ExprRef(f"{right} ? 'left' : 'right'"), "dx": alt.ExprRef(f"{right} ? 4 : -4"),
             "limit": alt.ExprRef(f"({right} ? width - {at} : {at}) - {GAP_PX}"), "baseline": "top", "fontSize": 10}
    enc = {"x": alt.X(f"{x}:{x_type}"), "y": alt.Y("label_y:Q", scale=None, axis=None), "text": f"{label}:N"}
    # a white halo under each label keeps it legible where a line crosses it (hidden from screen readers)
    halo = base.mark_text(color="white", stroke="white", strokeWidth=3, strokeJoin="round", aria=False, **place)
    text = base.mark_text(color=NEUTRAL["break"], **place)
    return alt.layer(halo.encode(**enc), text.encode(**enc))


def breaks_layer(breaks: Sequence[tuple[int | float, str]], x: str = "year", x_type: str = "Q",
                 domain: tuple[float, float] | None = None):
    """Vertical rules with labels marking methodology breaks or events: [(2000, 'basis changes')].
    ``domain``: the chart's x range, so that labels near its right end stay inside on phones."""
    d = pd.DataFrame(breaks, columns=[x, "label"])
    rule = alt.Chart(d).mark_rule(strokeDash=[4, 3], strokeWidth=1.2).encode(
        x=alt.X(f"{x}:{x_type}"), tooltip=[alt.Tooltip(f"{x}:{x_type}", title="Year"),
                                              alt.Tooltip("label:N", title="Note")])
    return alt.layer(rule, event_labels(d, x=x, label="label", x_type=x_type, rows=2, top=2, domain=domain))


def _range(*cols: pd.Series) -> tuple[float, float]:
    vals = pd.concat([c.astype(float) for c in cols])
    return float(vals.min()), float(vals.max())


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
        layers.append(breaks_layer(breaks, x=x, domain=_range(df[x], pd.Series([b[0] for b in breaks]))))
    t = alt.Title(title, subtitle=subtitle) if subtitle else title
    return alt.layer(*layers).properties(title=t, description=description)


def reference_rule(value: float, *, axis: str = "y", field: str | None = None, **mark) -> alt.Chart:
    """A reference line across the chart at ``value`` on the ``axis`` axis (zero, parity, an index base);
    ``field``: the name of its one data column (default: the axis); ``mark``: the rule's colour, dash …"""
    field = field or axis
    return alt.Chart(pd.DataFrame({field: [value]})).mark_rule(**mark).encode(**{axis: f"{field}:Q"})


def tip(field: str, title: str, fmt: str | None = None) -> alt.Tooltip:
    """A tooltip entry with a readable title (and number format)."""
    return alt.Tooltip(field, title=title, format=fmt) if fmt else alt.Tooltip(field, title=title)


def interval_tips(low: str = "rate_low", high: str = "rate_high", fmt: str = ".1f") -> list[alt.Tooltip]:
    """The tooltip entries of a 95% interval's two ends (the fields ``low`` and ``high``)."""
    return [tip(low, "95% interval, low", fmt), tip(high, "95% interval, high", fmt)]


def rate_tips(*extra: alt.Tooltip, deaths_format: str = ",.0f") -> list[alt.Tooltip]:
    """The tooltip entries of a chart of areas' homicide rates: the area, the year, the rate and the deaths
    (``homicides``, shown with ``deaths_format``), then ``extra``."""
    return [tip("area", "Area"), tip("year", "Year", "d"), tip("homicide_rate", "Rate per 100,000", ".1f"),
            tip("homicides", "Homicides", deaths_format), *extra]


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
    tips = list(tooltip) if tooltip else [tip(x, x_title, "d"), tip(y, y_title, ".1f"), *interval_tips(low, high)]
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
        layers.append(breaks_layer(breaks, x=x, domain=_range(df[x], pd.Series([b[0] for b in breaks]))))
    t = alt.Title(title, subtitle=subtitle) if subtitle else title
    return alt.layer(*layers).properties(title=t, description=description)


def synthetic_control(frame: pd.DataFrame, *, actual: str, synthetic: str, colors: Sequence[str], y: str = "value",
                      tooltip: Sequence = (), **kw) -> alt.LayerChart:
    """A case's homicide rate against its synthetic control, one line each (:func:`line_with_breaks`).

    ``frame``: the fit's long table (``SynthResult.frame()``: year, series ``actual``/``synthetic``, value) and
    any columns the extra ``tooltip`` entries show; the two series are named ``actual`` and ``synthetic`` and drawn
    in ``colors``; ``y`` renames the value column. ``kw``: title, subtitle, description and breaks."""
    names = {"actual": actual, "synthetic": synthetic}
    f = frame.assign(series=frame["series"].map(names)).rename(columns={"value": y})
    tips = [tip("series", "Series"), tip("year", "Year", "d"), tip(y, "Rate per 100,000", ".1f"), *tooltip]
    return line_with_breaks(f, x="year", y=y, color="series", color_title="Series",
                            color_scale=alt.Scale(domain=[actual, synthetic], range=list(colors)),
                            y_title="Homicides per 100,000 inhabitants", tooltip=tips, **kw)


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
        layers.append(breaks_layer(breaks, x=x, domain=_range(df[x], pd.Series([b[0] for b in breaks]))))
    return alt.layer(*layers).properties(title=title, description=description)


def timeline(series: pd.DataFrame, events: pd.DataFrame, *, x: str = "year", y: str = "homicide_rate",
             title: str, description: str, y_title: str, x_title: str = "Year", color: str | None = None,
             color_scale: alt.Scale | None = None, event_x: str = "date", event_label: str = "event"):
    """A timeline of events (vertical rules with labels and tooltips) drawn over a series.

    ``events``: one row per event with a numeric position ``event_x`` (e.g. 2013.9 for late 2013)
    and a short ``event_label``; labels alternate in height so neighbours do not collide (on phones,
    one row each: :func:`event_labels`).
    """
    ev = events.copy().reset_index(drop=True)
    enc_x = alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format="d"))
    base = alt.Chart(series)
    col = {"color": alt.Color(f"{color}:N", scale=color_scale if color_scale is not None else alt.Undefined,
                              title="Area")} if color else {}
    tips = [tip(x, x_title, "d"), tip(y, y_title, ".1f")] + ([tip(color, "Area")] if color else [])
    line = base.mark_line().encode(x=enc_x, y=alt.Y(f"{y}:Q", title=y_title), tooltip=tips, **col)
    pts = base.mark_point().encode(x=enc_x, y=f"{y}:Q", tooltip=tips, **col)
    rules = alt.Chart(ev).mark_rule(strokeDash=[4, 3]).encode(
        x=alt.X(f"{event_x}:Q"), tooltip=[tip(event_label, "Event"), tip(event_x, "When", ".1f")])
    labels = event_labels(ev, x=event_x, label=event_label, rows=3, top=4, domain=_range(series[x], ev[event_x]))
    return alt.layer(line, pts, rules, labels).properties(title=title, description=description)
