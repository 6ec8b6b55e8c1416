"""Measures of state capacity the book can build itself, by state and year, and how they relate before any is
used: how much of the killing the state's own prosecutors register (SESNSP victims in homicide files per INEGI
homicide death, new instrument, 2015-2022), the dark figure and the share of non-reporting blamed on the
authorities (ENVIPE, crime years 2011-2021), and federal security transfers per person (FASP, 1999-2013)."""

from __future__ import annotations

from functools import cache

import altair as alt
import numpy as np
import pandas as pd

from ... import stats
from ...charts import tip
from ...data import load
from ...series import state_names, state_overlap
from .series import state_panel

#: Capacity measures: column → (label, years averaged across states, the sign X1 predicts against later violence).
CAPACITY = {
    "registered": ("Homicide victims in prosecutors' files per death", (2015, 2022), -1),
    "cifra_negra_pct": ("Dark figure (%)", (2011, 2021), 1),
    "authority_causes_pct": ("Non-reporting blamed on the authorities (%)", (2011, 2021), 1),
    "fasp_per_person": ("Federal security fund per person (pesos)", (1999, 2013), -1),
}
#: The strictly-later tests of the two new measures: measure years → homicide years.
LATER_TESTS = {"registered": ((2015, 2018), (2019, 2022)), "fasp_per_person": ((1999, 2006), (2007, 2012))}


@cache
def capacity_panel() -> pd.DataFrame:
    """States × years with every capacity measure in its own years (missing elsewhere) and the homicide rate."""
    d = state_panel()[["state_code", "year", "homicide_rate", "cifra_negra_pct", "authority_causes_pct"]]
    o = state_overlap()
    o = o[(o.state_code != "00")][["state_code", "year", "sesnsp_new_victims_per_death"]].dropna()
    o = o.rename(columns={"sesnsp_new_victims_per_death": "registered"})
    f = load("fasp_state_annual")
    f = f[f.state_code != "00"][["state_code", "year", "fasp_per_person"]].assign(year=lambda x: x.year.astype(int))
    h = load("homicides_state_annual")
    h = h[(h.year_basis == "registration") & (h.state_code != "00") & (h.year < 2000)]
    h = h[["state_code", "year", "homicide_rate"]].assign(year=lambda x: x.year.astype(int))
    d = pd.concat([h, d], ignore_index=True)
    out = d.merge(o, on=["state_code", "year"], how="outer").merge(f, on=["state_code", "year"], how="outer")
    out["state_name"] = out["state_code"].map(state_names())
    return out.sort_values(["state_code", "year"]).reset_index(drop=True)


@cache
def state_means() -> pd.DataFrame:
    """Each state's mean of every capacity measure over its own years, and the mean homicide rate 2012-2022."""
    d = capacity_panel()
    cols = {m: d[d.year.between(*yrs)].groupby("state_code")[m].mean() for m, (_, yrs, _) in CAPACITY.items()}
    cols["homicide_rate"] = d[d.year.between(2012, 2022)].groupby("state_code")["homicide_rate"].mean()
    return pd.DataFrame(cols)


@cache
def relations() -> pd.DataFrame:
    """Rank correlations across the states between every pair of capacity measures (and the homicide rate)."""
    m = state_means()
    labels = {k: v[0] for k, v in CAPACITY.items()} | {"homicide_rate": "Homicide rate 2012-2022"}
    rows = []
    for a in m.columns:
        for b in m.columns:
            if a == b:
                n = int(m[a].notna().sum())
                rows.append({"a": labels[a], "b": labels[b], "rho": 1.0, "low": 1.0, "high": 1.0, "n": n})
                continue
            ok = m[[a, b]].dropna()
            c = stats.correlation(ok[a], ok[b], rank=True)
            rows.append({"a": labels[a], "b": labels[b], "rho": c.r, "low": c.low, "high": c.high, "n": c.n})
    return pd.DataFrame(rows)


def later_test(measure: str, scale: str = "log") -> stats.Correlation:
    """A new capacity measure averaged over its early years against the log (or raw) homicide rate of strictly
    later years, across the states."""
    (m0, m1), (h0, h1) = LATER_TESTS[measure]
    d = capacity_panel()
    y = d[d.year.between(h0, h1)].groupby("state_code")["homicide_rate"].mean()
    x = d[d.year.between(m0, m1)].groupby("state_code")[measure].mean().reindex(y.index)
    return stats.correlation(x, np.log(y) if scale == "log" else y, rank=scale == "rank")


def chart_capacity() -> alt.LayerChart:
    """Heat map of the rank correlations among the capacity measures and the homicide rate, across the states."""
    r = relations()
    order = list(dict.fromkeys(r["a"]))
    base = alt.Chart(r).encode(x=alt.X("a:N", title=None, sort=order, axis=alt.Axis(labelAngle=-30, labelLimit=220)),
                               y=alt.Y("b:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)))
    cells = base.mark_rect().encode(
        color=alt.Color("rho:Q", title="Rank correlation", scale=alt.Scale(scheme="redblue", domain=[-1, 1])),
        tooltip=[tip("a", "Measure"), tip("b", "Against"), tip("rho:Q", "Rank correlation", ".2f"),
                 tip("low:Q", "95% interval, low", ".2f"), tip("high:Q", "95% interval, high", ".2f"),
                 tip("n:Q", "States", "d")])
    text = base.mark_text(fontSize=11).encode(text=alt.Text("rho:Q", format=".2f"),
                                              color=alt.condition("abs(datum.rho) > 0.6", alt.value("white"),
                                                                  alt.value("#222222")))
    off = r[r.a != r.b]
    strongest = off.loc[off.rho.abs().idxmax()]
    return alt.layer(cells, text).properties(
        width=alt.Step(70), height=alt.Step(34),
        title=alt.Title("Four measures of a weak state, and how they agree",
                        subtitle="Rank correlations across the states; each measure averaged over its own years"),
        description=(f"Heat map of rank correlations across the {int(r.n.max())} states among four measures of "
                     "state capacity (homicide victims in prosecutors' files per death, 2015-2022; the dark "
                     "figure and the share of non-reporting blamed on the authorities, 2011-2021; federal "
                     "security transfers per person, 1999-2013) and the homicide rate of 2012-2022. The "
                     f"strongest pair is {strongest.a} with {strongest.b} ({strongest.rho:.2f})."))
