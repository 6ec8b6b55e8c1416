"""The cases side by side: qualitative descriptors (data/mappings/cases.csv, read through
:mod:`enclaves.cases.registry`), each case's counterfactual taken from its own package through the common
interface (``counterfactual().summary()``, see :mod:`enclaves.cases.base`), the durability of the gains, and
the claims' verdicts — so the cross-case chapter and the case chapters cannot disagree."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import altair as alt
import pandas as pd

from .. import charts, claims, series
from ..data import load
from . import registry

#: A placebo p-value at or below this counts as telling a gap from noise in the comparison.
CLEAR_P = 0.10
#: The relative-rate chart's y scale is symmetric-log with this constant: logarithmic above it, linear near
#: zero, so that a year with no homicide (ratio 0), common in a small town, can be drawn.
RATIO_SYMLOG = 0.05
#: The counterfactual column of a case that has no package of its own yet.
NO_COUNTERFACTUAL = "no counterfactual yet"
CAPTION_SOURCES = ("INEGI death records compiled by Gargiulo et al. (n.d.); CONAPO population; "
                   "synthetic controls from each case chapter")


def cases() -> pd.DataFrame:
    """The cases with a break year (:func:`registry.dated`), one row each in the book's order, with the
    columns of data/mappings/cases.csv."""
    return pd.DataFrame([dataclasses.asdict(c) for c in registry.dated()], columns=list(registry.COLUMNS))


def relative_rates() -> pd.DataFrame:
    """Each case's homicide rate divided by its own state's rate, by year of occurrence (2000 on)."""
    c = cases()
    h = load("homicides_municipal_annual")
    h = h[(h.year_basis == "occurrence") & h.mun_code.isin(c.mun_code)]
    s = series.state_homicide_rates(list(c.state_code))
    s = s[s.year_basis == "occurrence"][["state_code", "year", "homicide_rate"]].rename(
        columns={"homicide_rate": "state_rate"})
    d = h.merge(c[["mun_code", "state_code", "name", "break_year"]], on="mun_code").merge(s, on=["state_code", "year"])
    d["ratio"] = d["homicide_rate"] / d["state_rate"]
    return d[["name", "year", "homicide_rate", "state_rate", "ratio", "break_year"]].reset_index(drop=True)


@lru_cache(maxsize=1)
def counterfactuals() -> pd.DataFrame:
    """Each case's synthetic control, from its own package (``registry.module(slug).counterfactual()``):
    first and last years compared, average post-break gap and its size against the synthetic, the
    pre-period fit, the placebo ratio and p-value, the number of donors (:meth:`base.Counterfactual.summary`).
    A case without a package of its own yet has no row."""
    rows = [{"slug": c.slug, "name": c.name, **registry.module(c.slug).counterfactual().summary()}
            for c in registry.dated() if registry.has_module(c.slug)]
    return pd.DataFrame(rows, columns=None if rows else ["slug", "name"])


def durability(window: int = 3) -> pd.DataFrame:
    """Ratio of the case's rate to its state's in the ``window`` years before the break and in the
    last ``window`` years of data (the mean of the annual ratios)."""
    d = relative_rates()
    rows = []
    for r in cases().itertuples():
        x = d[d.name == r.name]
        before = x[x.year.between(r.break_year - window, r.break_year - 1)]
        last = x[x.year > x.year.max() - window]
        rows.append({"slug": r.slug, "name": r.name, "before": float(before["ratio"].mean()),
                     "latest": float(last["ratio"].mean()),
                     "latest_years": f"{int(last.year.min())}–{int(last.year.max())}"})
    return pd.DataFrame(rows)


def verdicts() -> pd.DataFrame:
    led = claims.ledger()
    led = led[led.case.isin(cases().slug)]
    return led[["id", "case", "verdict"]]


def _against(k: pd.Series) -> str:
    return (f"{k.att:+.1f} per 100,000 a year ({k.att_pct:+.0f}%), "
            f"{int(k.first_year)}–{int(k.last_year)}; placebo p = {k.p_value:.2f}")


def side_by_side() -> pd.DataFrame:
    """The comparison table shown in the cross-case chapter (a case without its own package yet reads
    "no counterfactual yet" in the counterfactual column)."""
    c = cases()
    cf = counterfactuals().set_index("name")
    du = durability().set_index("name")
    v = verdicts()
    rows = []
    for r in c.itertuples():
        dv = du.loc[r.name]
        vs = v[v.case == r.slug]
        rows.append({
            "": r.name,
            "Instrument": r.instrument,
            "Who holds power": r.who_holds_power,
            "Institutions": r.institutions,
            "Against its counterfactual": _against(cf.loc[r.name]) if r.name in cf.index else NO_COUNTERFACTUAL,
            "Durability (rate ÷ state rate)": (f"{dv.before:.2f} before the break → "
                                               f"{dv.latest:.2f} in {dv.latest_years}"),
            "Claims tested": "; ".join(f"{x.id}: {x.verdict}" for x in vs.itertuples()),
        })
    return pd.DataFrame(rows).set_index("")


def side_by_side_markdown() -> str:
    """The comparison table as Markdown (full text in every cell)."""
    t = side_by_side().reset_index().rename(columns={"": "Case"})
    return t.to_markdown(index=False)


def chart_relative() -> alt.LayerChart:
    d = relative_rates()
    scale = charts.area_scale(list(cases()["name"]))
    sel = alt.selection_point(fields=["name"], bind="legend")
    base = alt.Chart(d)
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"))
    tips = [charts.tip("name", "Case"), charts.tip("year", "Year", "d"),
            charts.tip("ratio", "Rate ÷ own state's rate", ".2f"),
            charts.tip("homicide_rate", "Case rate per 100,000", ".1f"),
            charts.tip("state_rate", "State rate per 100,000", ".1f")]
    color = alt.Color("name:N", title="Case", scale=scale)
    op = alt.condition(sel, alt.value(1.0), alt.value(0.15))
    line = base.mark_line().encode(x=x, y=alt.Y("ratio:Q", title="Homicide rate ÷ own state's rate",
                                                   scale=alt.Scale(type="symlog", constant=RATIO_SYMLOG)),
                                   color=color, opacity=op, tooltip=tips).add_params(sel)
    pts = base.mark_point().encode(x=x, y="ratio:Q", color=color, opacity=op, tooltip=tips)
    parity = charts.reference_rule(1.0, color="#888888")
    br = cases()[["break_year", "name", "break_label"]].copy()
    br["x"] = br["break_year"] - 0.5
    rules = alt.Chart(br).mark_rule(strokeDash=[4, 3]).encode(
        x="x:Q", color=alt.Color("name:N", scale=scale, title="Case"),
        tooltip=[charts.tip("name", "Case"), charts.tip("break_label", "Break")])
    return alt.layer(parity, line, pts, rules).properties(
        title=alt.Title("Each case against its own state", subtitle="Ratio of homicide rates (log scale, linear "
                        "near zero); dashed rules mark each break; click a name to highlight it"),
        description=("Line chart, log scale (linear near zero, so that years with no homicide show), of each case's "
                     f"homicide rate divided by its own state's rate, {int(d['year'].min())} onwards, for "
                     + charts.and_list(f"{r.name} ({r.state_name})" for r in cases().itertuples())
                     + ", with a dashed rule at each case's break and a grey line at parity."))
