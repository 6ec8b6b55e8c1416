"""The front page's numbers and charts: what the book found, computed by the code the chapters use (the
claims ledger of :mod:`enclaves.claims` and the comparison of :mod:`enclaves.cases.compare`)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import claims
from .cases import registry
from .charts import tip

#: Verdict → colour (a diverging scale: supported in blue, not supported in red, untestable in grey).
VERDICT_COLORS = {"supported": "#2166ac", "partly supported": "#92c5de", "not supported": "#d6604d",
                  "cannot be tested with these data": "#bdbdbd"}
#: The row of the claims that are about Mexico as a whole.
ACROSS = "Across the cases"


def verdicts() -> pd.DataFrame:
    """The claims ledger, one row per claim, with the case's display name (``place``) in chapter order."""
    t = claims.ledger().copy()
    names = {c.slug: c.name for c in registry.cases()}
    t["place"] = t["case"].map(names).fillna(ACROSS)
    t["order"] = t.groupby("place", sort=False).cumcount() + 1
    return t


def verdict_counts() -> dict[str, int]:
    """How many claims got each verdict, in the ledger's verdict order (zero counts included)."""
    v = verdicts()["verdict"].value_counts()
    return {k: int(v.get(k, 0)) for k in claims.VERDICTS}


def x1() -> pd.Series:
    """The ledger's row for the book's central claim (X1)."""
    t = verdicts()
    return t.loc[t["id"] == "X1"].iloc[0]


def chart_verdicts() -> alt.Chart:
    """Every claim of the ledger as a tile, one row per place, coloured by its verdict."""
    t = verdicts()
    places = sorted(dict.fromkeys(t["place"]), key=lambda p: p == ACROSS)  # the cases, then Mexico as a whole
    scale = alt.Scale(domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values()))
    pick = alt.selection_point(fields=["verdict"], bind="legend")
    tiles = alt.Chart(t).mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        x=alt.X("order:O", title=None, axis=None),
        y=alt.Y("place:N", title=None, sort=places),
        color=alt.Color("verdict:N", title="Verdict", scale=scale,
                        legend=alt.Legend(orient="bottom", columns=2)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
        tooltip=[tip("id", "Claim"), tip("place", "Place"), tip("claim", "Claim"), tip("verdict", "Verdict")],
    ).add_params(pick)
    labels = alt.Chart(t).mark_text(fontSize=11).encode(
        x="order:O", y=alt.Y("place:N", sort=places), text="id:N",
        color=alt.condition("datum.verdict == 'supported'", alt.value("#ffffff"), alt.value("#222222")))
    counts = verdict_counts()
    summary = "; ".join(f"{n} {v}" for v, n in counts.items() if n)
    return alt.layer(tiles, labels).properties(
        title=alt.Title("What the data say about each claim",
                        subtitle="One tile per claim; hover for the claim, click a verdict to highlight it"),
        width=alt.Step(34), height=alt.Step(30),
        description=(f"Tile chart of the {len(t)} claims of the claims ledger, one row per place "
                     f"({', '.join(places)}), each tile coloured by its verdict: {summary}."))


#: The introduction's map periods: pooled years, because single years of small municipalities are noise.
MAP_PERIODS = {"2000–2005": (2000, 2005), "2006–2011": (2006, 2011), "2012–2017": (2012, 2017),
               "2018–2021": (2018, 2021)}
#: The map's classes, in homicides per 100,000 a year.
MAP_BINS = [5, 10, 20, 40, 80]


def municipal_period_rates(periods: dict[str, tuple[int, int]] = MAP_PERIODS) -> pd.DataFrame:
    """Pooled homicide rates by municipality (year of occurrence) for each period: deaths summed over the
    period's years divided by the population summed over the same years, per 100,000 a year.
    Municipalities newer than the boundary files are folded into the one they came from; a municipality
    with no population in a year of the period has no rate for that period."""
    from .charts import maps
    from .data import load

    h = load("homicides_municipal_annual")
    h = h[h["year_basis"] == "occurrence"]
    out = []
    for label, (a, b) in periods.items():
        d = maps.fold_new_municipalities(h[h["year"].between(a, b)], sums=["homicides", "population"], by=["year"])
        g = d.groupby("mun_code").agg(homicides=("homicides", "sum"), population=("population", "sum"),
                                      years=("population", "count")).reset_index()
        rate = (g["homicides"] / g["population"] * 1e5).where(g["years"] == b - a + 1)
        out.append(g.assign(period=label, rate=rate.round(1), homicides=g["homicides"].astype("Int64")))
    return pd.concat(out, ignore_index=True)[["mun_code", "period", "rate", "homicides"]]


def chart_national_map() -> alt.LayerChart:
    """Municipal homicide rates for all Mexico, one pooled period at a time (a menu picks the period)."""
    from .charts import maps

    return maps.choropleth(
        municipal_period_rates(), value="rate", by="period", title="Homicide rates by municipality",
        what="homicides per 100,000 a year", bins=MAP_BINS, bin_format=",.0f",
        extra=[("homicides", "Homicides in the period", ",d")],
        description=("Rates are pooled over each period; in a municipality of a few thousand people one "
                     "killing a year moves the rate by tens, so single towns' classes are uncertain."))
