"""The three cases side by side: qualitative descriptors (data/mappings/cases.csv), each case's
counterfactual estimate taken from its own chapter module, the durability of the gains, and the
claims' verdicts — so the cross-case chapter and the case chapters cannot disagree."""

from __future__ import annotations

from functools import lru_cache

import altair as alt
import pandas as pd

from .. import charts, claims, paths, series
from ..data import load

#: A placebo p-value at or below this counts as telling a gap from noise in the comparison.
CLEAR_P = 0.10
CAPTION_SOURCES = ("INEGI death records compiled by Gargiulo et al. (n.d.); CONAPO population; "
                   "synthetic controls from each case chapter")


def cases() -> pd.DataFrame:
    return pd.read_csv(paths.mappings_dir() / "cases.csv", dtype={"mun_code": str, "state_code": str})


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
    """Each chapter's synthetic control: average post-break gap, its size against the synthetic, the
    pre-period fit and the placebo p-value."""
    from . import monterrey, nezahualcoyotl, tancitaro

    runs = {"Tancítaro": (tancitaro.synth().main, tancitaro.BREAK_YEAR),
            "Monterrey": (monterrey.synth_analysis()["main"], monterrey.SC_START),
            "Nezahualcóyotl": (nezahualcoyotl.synth(), nezahualcoyotl.REFORM_START)}
    rows = []
    for name, (r, start) in runs.items():
        post = r.gap.index >= start
        rows.append({"name": name, "first_year": int(start), "last_year": int(r.gap.index.max()),
                     "att": float(r.att), "att_pct": float(100 * r.gap[post].sum() / r.synthetic[post].sum()),
                     "pre_rmspe": float(r.pre_rmspe), "ratio": float(r.ratio), "p_value": float(r.p_value),
                     "donors": int(len(r.weights))})
    return pd.DataFrame(rows)


def durability(window: int = 3) -> pd.DataFrame:
    """Ratio of the case's rate to its state's in the ``window`` years before the break and in the
    last ``window`` years of data (the mean of the annual ratios)."""
    d = relative_rates()
    rows = []
    for r in cases().itertuples():
        x = d[d.name == r.name]
        before = x[x.year.between(r.break_year - window, r.break_year - 1)]
        last = x[x.year > x.year.max() - window]
        rows.append({"name": r.name, "before": float(before["ratio"].mean()), "latest": float(last["ratio"].mean()),
                     "latest_years": f"{int(last.year.min())}–{int(last.year.max())}"})
    return pd.DataFrame(rows)


def verdicts() -> pd.DataFrame:
    led = claims.ledger()
    led = led[led.case.isin(cases().slug)]
    return led[["id", "case", "verdict"]]


def side_by_side() -> pd.DataFrame:
    """The comparison table shown in the cross-case chapter."""
    c = cases()
    cf = counterfactuals().set_index("name")
    du = durability().set_index("name")
    v = verdicts()
    rows = []
    for r in c.itertuples():
        k = cf.loc[r.name]
        dv = du.loc[r.name]
        vs = v[v.case == r.slug]
        rows.append({
            "": r.name,
            "Instrument": r.instrument,
            "Who holds power": r.who_holds_power,
            "Institutions": r.institutions,
            "Against its counterfactual": (
                f"{k.att:+.1f} per 100,000 a year ({k.att_pct:+.0f}%), "
                f"{int(k.first_year)}–{int(k.last_year)}; placebo p = {k.p_value:.2f}"),
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
                                                   scale=alt.Scale(type="log")),
                                   color=color, opacity=op, tooltip=tips).add_params(sel)
    pts = base.mark_point().encode(x=x, y="ratio:Q", color=color, opacity=op, tooltip=tips)
    parity = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(color="#888888").encode(y="y:Q")
    br = cases()[["break_year", "name", "break_label"]].copy()
    br["x"] = br["break_year"] - 0.5
    rules = alt.Chart(br).mark_rule(strokeDash=[4, 3]).encode(
        x="x:Q", color=alt.Color("name:N", scale=scale, title="Case"),
        tooltip=[charts.tip("name", "Case"), charts.tip("break_label", "Break")])
    return alt.layer(parity, line, pts, rules).properties(
        title=alt.Title("Each case against its own state", subtitle="Ratio of homicide rates (log scale); "
                        "dashed rules mark each break; click a name to highlight it"),
        description=("Line chart, log scale, of each case's homicide rate divided by its own state's rate, "
                     "2000 onwards, for Tancítaro (Michoacán), Monterrey (Nuevo León) and Nezahualcóyotl "
                     "(Estado de México), with a dashed rule at each case's break and a grey line at parity."))
