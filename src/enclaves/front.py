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


#: The introduction's comparison of investigation files with deaths: SESNSP series → short label, in legend order.
PER_DEATH = {"sesnsp_old_incidents": "Files, old instrument", "sesnsp_old_victims": "Victims, old instrument",
             "sesnsp_new_incidents": "Files, new instrument", "sesnsp_new_victims": "Victims, new instrument"}


def incidents_per_death(state_code: str = "00") -> pd.DataFrame:
    """SESNSP homicidio doloso (and, in the new instrument, feminicidio) investigation files and victims per
    INEGI homicide death, by year, where both cover a full year (``series.state_overlap``): one row per year and
    SESNSP series. A comparison of instruments, not a series of homicides."""
    from .series import state_overlap

    o = state_overlap([state_code])
    rows = [o[["year", "inegi_deaths", s, f"{s}_per_death"]].rename(columns={s: "count", f"{s}_per_death": "per_death"})
            .assign(series=lab) for s, lab in PER_DEATH.items() if s in o.columns]
    out = pd.concat(rows, ignore_index=True).dropna(subset=["per_death"])
    return out.astype({"year": int, "inegi_deaths": int, "count": int}).reset_index(drop=True)


def incidents_per_death_numbers() -> dict:
    """The introduction's numbers on files and deaths: the nation's ratios in the last year both instruments'
    new series and the death records overlap, and the range of the new files-per-death ratio across states."""
    from .series import state_names, state_overlap

    n = incidents_per_death("00")
    last = int(n.loc[n.series == PER_DEATH["sesnsp_new_incidents"], "year"].max())
    at = n[n.year == last].set_index("series")["per_death"]
    old = n[n.series == PER_DEATH["sesnsp_old_incidents"]]
    s = state_overlap()
    s = s[(s.year == last) & (s.state_code != "00")].set_index("state_code")["sesnsp_new_incidents_per_death"]
    names = state_names()
    return {"ipd_last_year": last, "ipd_files": float(at[PER_DEATH["sesnsp_new_incidents"]]),
            "ipd_victims": float(at[PER_DEATH["sesnsp_new_victims"]]),
            "ipd_old_first_year": int(old.year.min()), "ipd_old_first": float(old.per_death.iloc[0]),
            "ipd_old_last_year": int(old.year.max()), "ipd_old_last": float(old.per_death.iloc[-1]),
            "ipd_state_min": float(s.min()), "ipd_state_min_name": names[s.idxmin()],
            "ipd_state_max": float(s.max()), "ipd_state_max_name": names[s.idxmax()]}


def chart_incidents_per_death() -> alt.LayerChart:
    """National SESNSP files and victims per INEGI homicide death, by year, one line per instrument and unit."""
    d = incidents_per_death("00")
    colors = alt.Scale(domain=list(PER_DEATH.values()), range=["#9ecae1", "#3182bd", "#fdae6b", "#e6550d"])
    base = alt.Chart(d).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("per_death:Q", title="Per homicide death (INEGI)", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title=None, scale=colors, legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[tip("series", "SESNSP count"), tip("year:Q", "Year", "d"), tip("count:Q", "SESNSP count", ",d"),
                 tip("inegi_deaths:Q", "INEGI homicide deaths", ",d"), tip("per_death:Q", "Per death", ".2f")])
    one = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 3], color="#777777").encode(y="y:Q")
    first, last = int(d.year.min()), int(d.year.max())
    spans = "; ".join(f"{lab.lower()} {g.year.min()}-{g.year.max()}" for lab, g in d.groupby("series", sort=False))
    return alt.layer(one, base.mark_line(point=True)).properties(
        height=220, title=alt.Title("Investigation files and victims per homicide death, Mexico",
                                    subtitle="SESNSP counts divided by INEGI deaths of the same year; dashed: one"),
        description=(f"Line chart, {first} to {last}, of the national number of SESNSP homicide investigation "
                     "files and of their victims for each INEGI homicide death of the same year, one line per "
                     f"count and instrument ({spans}). Above one, prosecutors count more than the death records; "
                     "below one, fewer."))
