"""Tancítaro (Michoacán, INEGI 16083): comparison sets, derived series, the synthetic control, the
chapter's charts and the evaluators of claims T1-T5.

Everything the chapter ``book/cases/tancitaro.md`` shows is computed here from processed tables
(``enclaves.data.load``). Thresholds behind every verdict are module constants, documented where
they are defined; the verdict strings are never typed as conclusions.

Conventions
-----------
* Homicides are counted by year (and month) of occurrence from 2000 (``OCCURRENCE_FROM``).
* The uprising came in late 2013, so 2014 is the first post-break year of every annual model
  (``BREAK_YEAR``); 2013 itself stays in the pre-period.
* Rates are per 100,000 inhabitants; pooled rates over several years divide summed deaths by
  summed mid-year population (person-years).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats as sstats

from .. import charts, claims, geo, series
from ..charts.theme import CASE_COLORS, NEUTRAL, STATE_COLORS
from ..data import load
from ..models import leave_one_out, placebo_in_space, placebo_in_time, synthetic_control
from ..stats import add_rate_ci
from . import registry

SLUG = "tancitaro"
CODE = geo.case_codes()[SLUG]          # "16083"
NAME = registry.get(SLUG).name     # "Tancítaro"
STATE = "16"
STATE_NAME = "Michoacán"
NATION_NAME = "Mexico (national)"

#: First year counted by year of occurrence (the book's convention); municipal data end in 2021.
OCCURRENCE_FROM = series.OCCURRENCE_FROM
#: The uprising happened in late 2013: 2014 is the first full year after it.
BREAK_YEAR = 2014
#: Where the uprising sits on a yearly axis (late 2013), for event markers.
UPRISING_X = 2013.85
#: Last year of the municipal homicide series.
LAST_MUNICIPAL_YEAR = 2021
#: Pre-period of the synthetic control.
PRE_START = 2000
#: Donor pool: Michoacán municipalities whose 2010 population is within this factor of Tancítaro's.
DONOR_FACTOR = 1.5
DONOR_POP_YEAR = 2010
#: The wider size band of the donor-pool sensitivity check.
WIDE_FACTOR = 3.0
#: A fake break, before the real one, for the placebo in time (pre 2000-2008, "post" 2009-2013).
PLACEBO_TIME_START = 2009

#: The avocado-belt towns west of Tancítaro (Peribán, Nuevo Parangaricutiro, Los Reyes).
WEST_NEIGHBOURS = ["16068", "16058", "16075"]
#: Group labels used in charts and tables.
BELT = "Avocado-belt neighbours"
SELF_DEFENCE = "Self-defence towns"
GROUP_LABELS = {"avocado_belt": BELT, "self_defence": SELF_DEFENCE, "donor": "Donor pool"}

#: Methodology breaks drawn on homicide charts from 2000 on: population bases.
POP_BREAKS = [(2010, "Population base 2010"), (2015, "Population base 2015")]

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    m = load("municipalities")
    return dict(zip(m["mun_code"], m["mun_name"], strict=True))


def rate_ratio(k1: float, n1: float, k2: float, n2: float, level: float = 0.95) -> dict:
    """Ratio of two Poisson rates (k1/n1) / (k2/n2) with an exact conditional interval.

    Given k1 + k2 events, k1 is binomial with p = n1·RR / (n1·RR + n2); the Clopper-Pearson
    interval for p maps to an interval for RR. The p-value is the two-sided exact binomial test of
    RR = 1.
    """
    k1, k2, n1, n2 = float(k1), float(k2), float(n1), float(n2)
    n = k1 + k2
    a = 1 - level
    lo_p = sstats.beta.ppf(a / 2, k1, n - k1 + 1) if k1 > 0 else 0.0
    hi_p = sstats.beta.ppf(1 - a / 2, k1 + 1, n - k1) if k1 < n else 1.0

    def to_rr(p):
        return float("inf") if p >= 1 else float(p / (1 - p) * n2 / n1)

    rr = (k1 / n1) / (k2 / n2) if k2 > 0 else float("inf")
    pv = float(sstats.binomtest(int(k1), int(n), n1 / (n1 + n2)).pvalue) if n > 0 else 1.0
    return {"rr": float(rr), "low": to_rr(lo_p), "high": to_rr(hi_p), "p_value": pv}


def plain(value):
    """A numpy scalar or Python number as a plain Python int/float (strings pass through), for glue."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    return value


def _plain_dict(d: dict) -> dict:
    return {k: plain(v) for k, v in d.items()}


def pooled(df: pd.DataFrame, y0: int, y1: int, count: str = "homicides", population: str = "population") -> dict:
    """Summed deaths, person-years and the pooled rate per 100,000 (exact 95% interval), years y0..y1."""
    d = df[(df["year"] >= y0) & (df["year"] <= y1)]
    k = float(d[count].sum())
    n = float(d[population].sum())
    lo = sstats.chi2.ppf(0.025, 2 * k) / 2 if k > 0 else 0.0
    hi = sstats.chi2.ppf(0.975, 2 * (k + 1)) / 2
    return _plain_dict({"deaths": k, "person_years": n, "rate": k / n * 1e5, "low": lo / n * 1e5,
                        "high": hi / n * 1e5, "years": y1 - y0 + 1})


# ---------------------------------------------------------------------------------------------
# Comparison groups and homicide series
# ---------------------------------------------------------------------------------------------


def groups() -> pd.DataFrame:
    """data/mappings/comparison_tancitaro.csv with each municipality's INEGI name attached."""
    g = geo.comparison_groups(SLUG)
    return g.assign(mun_name=g["mun_code"].map(names()))


def codes(group: str) -> list[str]:
    g = groups()
    return g.loc[g["group"] == group, "mun_code"].tolist()


@lru_cache(maxsize=1)
def michoacan_annual() -> pd.DataFrame:
    """Annual homicides, population and rate for every Michoacán municipality, occurrence basis."""
    h = load("homicides_municipal_annual")
    h = h[(h["year_basis"] == "occurrence") & h["mun_code"].str.startswith(STATE)]
    h = h[["mun_code", "year", "homicides", "population", "homicide_rate", "population_source"]].copy()
    h["homicides"] = h["homicides"].astype(float)
    h["population"] = h["population"].astype(float)
    h["homicide_rate"] = h["homicide_rate"].astype(float)
    return h.reset_index(drop=True)


def case_annual() -> pd.DataFrame:
    """Tancítaro's annual series with exact Poisson 95% intervals."""
    h = michoacan_annual()
    t = h[h["mun_code"] == CODE].copy()
    return add_rate_ci(t).reset_index(drop=True)


def aggregate(mun_codes: list[str], label: str) -> pd.DataFrame:
    """Summed homicides and population of a set of municipalities by year, with the rate and its interval."""
    h = michoacan_annual()
    d = h[h["mun_code"].isin(mun_codes)].groupby("year", as_index=False)[["homicides", "population"]].sum()
    d["homicide_rate"] = d["homicides"] / d["population"] * 1e5
    d["area"] = label
    return add_rate_ci(d)


def state_and_nation() -> pd.DataFrame:
    """Michoacán and the nation from the state table (occurrence basis, 2000 on)."""
    s = series.state_homicide_rates(["00", STATE])
    s = s[s["year"] >= OCCURRENCE_FROM].copy()
    s["area"] = s["state_code"].map({"00": NATION_NAME, STATE: STATE_NAME})
    s["homicides"] = s["homicides"].astype(float)
    s["population"] = s["population"].astype(float)
    s["homicide_rate"] = s["homicide_rate"].astype(float)
    return add_rate_ci(s[["year", "homicides", "population", "homicide_rate", "area"]])


def comparison_rates() -> pd.DataFrame:
    """Tancítaro, its two comparison groups, Michoacán and the nation: annual rates with intervals."""
    t = case_annual()[["year", "homicides", "population", "homicide_rate", "rate_low", "rate_high"]]
    t = t.assign(area=NAME)
    parts = [t, aggregate(codes("avocado_belt"), BELT), aggregate(codes("self_defence"), SELF_DEFENCE),
             state_and_nation()]
    cols = ["area", "year", "homicides", "population", "homicide_rate", "rate_low", "rate_high"]
    out = pd.concat([p[cols] for p in parts], ignore_index=True)
    return out[out["year"].between(OCCURRENCE_FROM, LAST_MUNICIPAL_YEAR)].reset_index(drop=True)


def rest_of_state() -> pd.DataFrame:
    """Michoacán without Tancítaro, summed from the municipal table (same vintage as Tancítaro's counts)."""
    h = michoacan_annual()
    others = sorted(set(h["mun_code"]) - {CODE})
    return aggregate(others, f"{STATE_NAME} without {NAME}")


def municipal_rates(mun_codes: list[str]) -> pd.DataFrame:
    """One rate series per municipality (names attached), for the dropdown chart."""
    h = michoacan_annual()
    nm = names()
    d = h[h["mun_code"].isin(mun_codes)].copy()
    d["area"] = d["mun_code"].map(nm)
    return d[["area", "mun_code", "year", "homicides", "homicide_rate"]].reset_index(drop=True)


def monthly() -> pd.DataFrame:
    """Tancítaro's homicides by month of occurrence with the trailing 12-month total."""
    m = load("homicides_municipal_monthly")
    m = m[m["mun_code"] == CODE].sort_values(["year", "month"]).copy()
    m["homicides"] = m["homicides"].astype(float)
    m["date"] = pd.to_datetime(dict(year=m["year"], month=m["month"], day=1))
    m["rolling_12"] = m["homicides"].rolling(12, min_periods=12).sum()
    return m[["date", "year", "month", "homicides", "rolling_12"]].reset_index(drop=True)


def period_summary(periods: list[tuple[int, int]] | None = None) -> pd.DataFrame:
    """Pooled rates of Tancítaro, the two groups and the rest of Michoacán in fixed periods."""
    periods = periods or [(2000, 2007), (2008, 2013), (2014, 2017), (2018, 2021)]
    sets = {NAME: case_annual(), BELT: aggregate(codes("avocado_belt"), BELT),
            SELF_DEFENCE: aggregate(codes("self_defence"), SELF_DEFENCE),
            f"{STATE_NAME} without {NAME}": rest_of_state()}
    rows = []
    for label, d in sets.items():
        for y0, y1 in periods:
            p = pooled(d, y0, y1)
            rows.append({"area": label, "period": f"{y0}-{y1}", **p})
    return pd.DataFrame(rows)


def three_deaths_effect(year: int = 2013) -> float:
    """How many points per 100,000 three deaths add to Tancítaro's rate in ``year``."""
    t = case_annual()
    pop = float(t.loc[t["year"] == year, "population"].iloc[0])
    return 3 / pop * 1e5


# ---------------------------------------------------------------------------------------------
# The counterfactual: synthetic control
# ---------------------------------------------------------------------------------------------


def donor_pool() -> list[str]:
    """Michoacán municipalities with a complete 2000-2021 series whose 2010 population lies within
    ×``DONOR_FACTOR`` of Tancítaro's, outside the avocado belt and the self-defence towns."""
    h = michoacan_annual()
    pop = h[h["year"] == DONOR_POP_YEAR].set_index("mun_code")["population"]
    t = pop[CODE]
    excluded = set(codes("avocado_belt")) | set(codes("self_defence")) | {CODE}
    complete = h.groupby("mun_code")["homicide_rate"].apply(lambda s: s.notna().all() and len(s) == 22)
    return sorted(c for c in pop.index if c not in excluded and complete.get(c, False)
                  and t / DONOR_FACTOR <= pop[c] <= t * DONOR_FACTOR)


def panel() -> pd.DataFrame:
    """Wide table of homicide rates: index year, columns municipality codes (Michoacán)."""
    h = michoacan_annual()
    return h.pivot(index="year", columns="mun_code", values="homicide_rate").sort_index()


@dataclass
class SynthRun:
    main: object               # SynthResult with its placebo table (``placebo_in_space`` logic)
    gaps: pd.DataFrame         # year, unit, gap: Tancítaro's and every placebo's actual − synthetic
    placebo_time: object       # SynthResult with a fake break
    loo: pd.DataFrame          # leave-one-out table
    donors: list[str]


def _placebo_fits(p: pd.DataFrame, donors: list[str]):
    """``enclaves.models.placebo_in_space`` plus every fit's yearly gap as a long table for the chart."""
    main = placebo_in_space(p, CODE, BREAK_YEAR, donors, pre_start=PRE_START)
    nm = names()
    gaps = [pd.DataFrame({"year": main.gap.index, "gap": main.gap.values, "unit": NAME, "kind": NAME})]
    gaps += [pd.DataFrame({"year": g.index, "gap": g.values, "unit": nm[d], "kind": "Donor treated as a placebo"})
             for d, g in main.placebo_gaps.items()]
    return main, pd.concat(gaps, ignore_index=True)


@lru_cache(maxsize=1)
def synth() -> SynthRun:
    """The chapter's synthetic control with placebo-in-space inference, a placebo in time and the
    leave-one-out sensitivity (36 fits; 10-25 s depending on the machine)."""
    p = panel()
    donors = donor_pool()
    main, gaps = _placebo_fits(p, donors)
    fake = placebo_in_time(p, CODE, PLACEBO_TIME_START, donors, pre_start=PRE_START, end=BREAK_YEAR - 1)
    loo = leave_one_out(p, CODE, BREAK_YEAR, donors, top=5, pre_start=PRE_START)
    nm = names()
    loo = loo.assign(dropped_name=loo["dropped"].map(lambda c: nm.get(c, c)))
    return SynthRun(main=main, gaps=gaps, placebo_time=fake, loo=loo, donors=donors)


@lru_cache(maxsize=4)
def synth_wide_pool(factor: float = WIDE_FACTOR):
    """The same synthetic control (no placebos) on a wider size band, for the exercises."""
    h = michoacan_annual()
    pop = h[h["year"] == DONOR_POP_YEAR].set_index("mun_code")["population"]
    t = pop[CODE]
    excluded = set(codes("avocado_belt")) | set(codes("self_defence")) | {CODE}
    pool = [c for c in pop.index if c not in excluded and t / factor <= pop[c] <= t * factor]
    return synthetic_control(panel(), CODE, BREAK_YEAR, pool, pre_start=PRE_START)


def before_after_permutation() -> pd.DataFrame:
    """A simpler check than the synthetic control: each unit's pooled 2014-2021 rate over its pooled
    2000-2013 rate, for Tancítaro and every donor, ranked (1 = largest fall)."""
    h = michoacan_annual()
    units = [CODE, *donor_pool()]
    d = h[h["mun_code"].isin(units)].assign(post=lambda x: x["year"] >= BREAK_YEAR)
    a = d.groupby(["mun_code", "post"])[["homicides", "population"]].sum()
    r = (a["homicides"] / a["population"] * 1e5).unstack()
    out = pd.DataFrame({"mun_code": r.index, "rate_pre": r[False].to_numpy(), "rate_post": r[True].to_numpy()})
    out["ratio"] = out["rate_post"] / out["rate_pre"]
    out["mun_name"] = out["mun_code"].map(names())
    out["rank"] = out["ratio"].rank(method="min").astype(int)
    return out.sort_values("ratio").reset_index(drop=True)


def permutation_p(table: pd.DataFrame | None = None) -> float:
    """Share of units (Tancítaro and donors) whose post/pre ratio is at most Tancítaro's: a one-sided
    permutation p-value for "Tancítaro's fall was unusually large"."""
    t = before_after_permutation() if table is None else table
    r = float(t.loc[t["mun_code"] == CODE, "ratio"].iloc[0])
    return float((t["ratio"] <= r).sum() / len(t))


# ---------------------------------------------------------------------------------------------
# Avocados
# ---------------------------------------------------------------------------------------------


def avocado_belt_production() -> pd.DataFrame:
    """SIAP production for Tancítaro and the avocado-belt neighbours, 2003-2023 (thousand tonnes)."""
    a = load("avocado_municipal")
    keep = [CODE, *codes("avocado_belt")]
    a = a[a["mun_code"].isin(keep)].copy()
    a["area"] = a["mun_code"].map(names())
    a["thousand_tonnes"] = a["tonnes"] / 1000
    a["share_pct"] = a["share_national_tonnes"] * 100
    return a[["area", "mun_code", "year", "planted_ha", "harvested_ha", "tonnes", "thousand_tonnes",
              "value_mxn", "share_pct"]].reset_index(drop=True)


def avocado_case() -> pd.DataFrame:
    a = load("avocado_municipal")
    return a[a["mun_code"] == CODE].reset_index(drop=True)


def exports_monthly() -> pd.DataFrame:
    """Banxico monthly avocado exports, 2003 on, in US$ million."""
    m = load("avocado_exports_monthly")
    m = m[m["year"] >= 2003].copy()
    m["date"] = pd.to_datetime(dict(year=m["year"], month=m["month"], day=1))
    m["usd_million"] = m["value_usd"].astype(float) / 1e6
    return m[["date", "year", "month", "usd_million"]].reset_index(drop=True)


def exports_annual() -> pd.DataFrame:
    """INEGI annual exports, all countries and the United States, with unit value and exchange rate."""
    x = load("avocado_exports")
    x = x[x["destination_code"].isin(["ALL", "USA"])].copy()
    x["value_usd"] = x["value_usd"].astype(float)
    x["value_mxn"] = x["value_mxn"].astype(float)
    x["usd_per_tonne"] = x["value_usd"] / x["tonnes"]
    x["mxn_per_usd"] = x["value_mxn"] / x["value_usd"]
    return x[["year", "destination_code", "destination", "tonnes", "value_usd", "value_mxn", "usd_per_tonne",
              "mxn_per_usd"]].reset_index(drop=True)


#: Claim T1's threshold: US$ 1 million of avocados a day.
T1_THRESHOLD_USD_PER_DAY = 1_000_000
#: The year T1 is judged in: the last full year before the report (published January 2018).
T1_REFERENCE_YEAR = 2017


def export_estimates() -> pd.DataFrame:
    """Tancítaro's estimated avocado exports per day, three ways, plus the farm-gate value of its crop.

    * ``national_share`` (the pipeline's estimate): national exports × Tancítaro's share of national
      production. Assumes Tancítaro exports the national fraction of its crop: a lower-side estimate.
    * ``state_share`` (the pipeline's alternative): national exports × Tancítaro's share of Michoacán's
      production. Assumes every exported avocado came from Michoacán: a higher-side estimate.
    * ``ceiling``: all of Tancítaro's crop exported at the national export unit value (US$ per tonne):
      an upper bound no one claims.
    * ``farm_gate``: SIAP's value of Tancítaro's whole crop at rural prices, converted at the year's
      implied exchange rate (INEGI value in pesos / value in dollars): what growers were paid.
    """
    e = load("avocado_export_estimate")
    e = e[e["mun_code"] == CODE].copy()
    x = exports_annual()
    allx = x[x["destination_code"] == "ALL"].set_index("year")
    a = avocado_case().set_index("year")
    days = np.where(pd.to_datetime(e["year"].astype(str) + "-12-31").dt.is_leap_year, 366, 365)
    e = e.set_index("year")
    out = pd.DataFrame({
        "year": e.index.astype(int),
        "national_share": e["est_exports_usd_per_day"].astype(float).to_numpy(),
        "state_share": e["est_exports_usd_per_day_state_share"].astype(float).to_numpy(),
        "ceiling": (e["tonnes"] * allx.loc[e.index, "usd_per_tonne"]).to_numpy() / days,
        "farm_gate": (a.loc[e.index, "value_mxn"] / allx.loc[e.index, "mxn_per_usd"]).to_numpy() / days,
        "share_national": e["share_national_tonnes"].astype(float).to_numpy(),
        "share_state": e["share_state_tonnes"].astype(float).to_numpy(),
    })
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Elections
# ---------------------------------------------------------------------------------------------

#: A party is "major" if its own candidates governed at least this share of the 32 states on the day
#: of the election (from the governors table): in June 2015 that is PRI, PAN and PRD.
MAJOR_PARTY_MIN_SHARE_OF_GOVERNORS = 0.10
T5_ELECTION_YEAR = 2015
#: The last year with returns for every Michoacán municipality (2021 rows exist only for a few).
LAST_FULL_ELECTION = 2019


def elections_case() -> pd.DataFrame:
    e = load("elections_municipal")
    return e[e["mun_code"] == CODE].sort_values("year").reset_index(drop=True)


def elections_state(year: int | None = None) -> pd.DataFrame:
    e = load("elections_municipal")
    e = e[e["mun_code"].str.startswith(STATE) & (e["outcome"] == "elected")]
    if year is not None:
        e = e[e["year"] == year]
    return e.reset_index(drop=True)


def major_parties(election_date: str) -> list[str]:
    """Parties heading at least ``MAJOR_PARTY_MIN_SHARE_OF_GOVERNORS`` of state governments on a date."""
    g = load("governors")
    g = g.assign(d=pd.to_datetime(g["election_date"]))
    cur = g[g["d"] < pd.Timestamp(election_date)].sort_values("d").groupby("state_code").tail(1)
    share = cur["party"].value_counts() / cur["state_code"].nunique()
    return sorted(share[share >= MAJOR_PARTY_MIN_SHARE_OF_GOVERNORS].index.tolist())


def margins_by_election() -> pd.DataFrame:
    """Every Michoacán municipal election's winning margin (percentage points), Tancítaro flagged."""
    e = elections_state()
    ordinary_full = (e["year"] <= LAST_FULL_ELECTION) & ~e["extraordinary"]
    e = e[e["margin"].notna() & (ordinary_full | (e["mun_code"] == CODE))].copy()
    e["margin_pts"] = e["margin"].astype(float) * 100
    e["area"] = np.where(e["mun_code"] == CODE, NAME, "Other Michoacán municipalities")
    e["mun_name"] = e["mun_code"].map(names())
    e["winner"] = e["winner"].fillna("")
    e["vote_share_pct"] = e["vote_share"].astype(float) * 100
    return e[["year", "mun_code", "mun_name", "area", "winner", "margin_pts", "vote_share_pct"]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Suicides
# ---------------------------------------------------------------------------------------------


def suicide_compare(basis: str = "occurrence") -> pd.DataFrame:
    """2024 suicide rates with exact intervals: Tancítaro, the comparison municipalities, the state, the nation."""
    s = load("suicides_municipal")
    s = s[s["basis"] == basis]
    g = groups()
    keep = g[g["group"].isin(["avocado_belt", "self_defence"])][["mun_code", "group"]]
    rows = s.merge(pd.concat([pd.DataFrame({"mun_code": [CODE], "group": ["case"]}), keep]), on="mun_code")
    rows["area"] = rows["mun_code"].map(names())
    rows["group_label"] = rows["group"].map({"case": NAME, **GROUP_LABELS})
    st = load("suicides_state")
    st = st[(st["basis"] == basis) & st["state_code"].isin(["00", STATE])].copy()
    st["area"] = st["state_code"].map({"00": NATION_NAME, STATE: STATE_NAME})
    st["group_label"] = "State and nation"
    cols = ["area", "group_label", "suicides", "population", "suicide_rate", "rate_low", "rate_high"]
    out = pd.concat([rows[cols], st[cols]], ignore_index=True)
    for c in ["suicides", "population"]:
        out[c] = out[c].astype(float)
    return out.sort_values("suicide_rate", ascending=False).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------

BREAK_TIPS = [charts.tip("year", "Year", "d"), charts.tip("homicide_rate", "Rate per 100,000", ".1f"),
              charts.tip("homicides", "Homicides", ",.0f")]


def _scale(names_: list[str]) -> alt.Scale:
    fixed = {NAME: CASE_COLORS[NAME], STATE_NAME: STATE_COLORS[STATE_NAME], NATION_NAME: NEUTRAL["national"],
             BELT: "#c17d11", SELF_DEFENCE: "#5e3c99"}
    dom = list(dict.fromkeys(names_))
    greys = ["#9e9e9e", "#7a7a7a", "#5c5c5c"]
    return alt.Scale(domain=dom, range=[fixed.get(n, greys[i % 3]) for i, n in enumerate(dom)])


def timeline_events() -> pd.DataFrame:
    """Key events as positions on a year axis (late 2013 = 2013.85) with short labels; the 2015
    election month comes from the election returns."""
    e = elections_case()
    e15 = e[e["year"] == 2015].iloc[0]
    rows = [
        (2006.95, "Federal offensive"),
        (2013.15, "Tierra Caliente militias"),
        (UPRISING_X, "Tancítaro uprising"),
        (2015 + (int(e15["month"]) - 0.5) / 12, "2015 elections"),
        (2018.04, "NYT report"),
    ]
    return pd.DataFrame(rows, columns=["date", "event"])


def chart_timeline():
    t = comparison_rates()
    t = t[t["area"].isin([NAME, STATE_NAME]) & (t["year"] <= LAST_MUNICIPAL_YEAR)]
    return charts.timeline(
        t, timeline_events(), y="homicide_rate", color="area", color_scale=_scale([NAME, STATE_NAME]),
        y_title="Homicides per 100,000 inhabitants",
        title="Tancítaro's homicide rate and the events around it, 2000-2021",
        description=("Line chart of homicides per 100,000 inhabitants per year, 2000 to 2021, for Tancítaro and "
                     "Michoacán, with dashed vertical rules for the federal offensive of December 2006, the "
                     "self-defence uprisings of 2013 (Tierra Caliente early in the year, Tancítaro late in the "
                     "year), the June 2015 municipal and state elections and the January 2018 report. Tancítaro's "
                     "rate is jagged and mostly above the state's until 2013, then falls below it while the "
                     "state's rate climbs after 2015."))


def chart_case_rates():
    d = comparison_rates()
    d = d[d["area"].isin([NAME, STATE_NAME, NATION_NAME])]
    return charts.rate_with_interval(
        d, color="area", color_title="Area", color_scale=_scale([NAME, STATE_NAME, NATION_NAME]),
        y_title="Homicides per 100,000 inhabitants",
        title="Tancítaro against Michoacán and Mexico, 2000-2021",
        subtitle="Bands: exact Poisson 95% intervals. Click a legend entry to highlight it",
        description=("Line chart with shaded 95% intervals of annual homicide rates per 100,000 for Tancítaro, "
                     f"Michoacán and Mexico, {d['year'].min()}-{d['year'].max()}. Tancítaro's band is very wide "
                     f"because its counts are small; {_case_rates_summary(d)}"),
        breaks=[POP_BREAKS[0], (UPRISING_X, "Uprising"), POP_BREAKS[1]],
        tooltip=[charts.tip("area", "Area"), charts.tip("year", "Year", "d"),
                 charts.tip("homicide_rate", "Rate per 100,000", ".1f"), charts.tip("homicides", "Homicides", ",.0f"),
                 charts.tip("rate_low", "95% interval, low", ".1f"),
                 charts.tip("rate_high", "95% interval, high", ".1f")])


def _case_rates_summary(d: pd.DataFrame) -> str:
    """Words for the case-rates chart's description, computed from Tancítaro's plotted rates."""
    r = d[d["area"] == NAME].set_index("year")["homicide_rate"].astype(float)
    before, after = r[r.index < BREAK_YEAR], r[r.index >= BREAK_YEAR]
    return (f"its rate swings between {before.min():.0f} and {before.max():.0f} before {BREAK_YEAR} and never "
            f"exceeds {after.max():.0f} afterwards, while Michoacán's and Mexico's rates rise after 2015.")


def chart_groups():
    d = comparison_rates()
    d = d[d["area"].isin([NAME, BELT, SELF_DEFENCE, STATE_NAME])]
    order = [NAME, BELT, SELF_DEFENCE, STATE_NAME]
    return charts.rate_with_interval(
        d, color="area", color_title="Area", color_scale=_scale(order),
        y_title="Homicides per 100,000 inhabitants",
        title="Tancítaro, its avocado neighbours and the Tierra Caliente self-defence towns",
        subtitle="Pooled rates of each group with exact 95% intervals. Click a legend entry to highlight it",
        description=("Line chart with 95% interval bands of annual homicide rates per 100,000, 2000-2021, for "
                     "Tancítaro, the seven avocado-belt neighbours pooled, the five Tierra Caliente self-defence "
                     "municipalities pooled and Michoacán. The self-defence towns are the most violent group "
                     "and peak in 2013 and again in 2016-2018; the avocado neighbours rise sharply after 2016; "
                     "Tancítaro falls after 2013."),
        breaks=[(UPRISING_X, "Uprising (late 2013)")],
        tooltip=[charts.tip("area", "Area"), charts.tip("year", "Year", "d"),
                 charts.tip("homicide_rate", "Rate per 100,000", ".1f"), charts.tip("homicides", "Homicides", ",.0f"),
                 charts.tip("rate_low", "95% interval, low", ".1f"),
                 charts.tip("rate_high", "95% interval, high", ".1f")])


def chart_dropdown():
    comp = codes("avocado_belt") + codes("self_defence")
    d = municipal_rates([CODE, *comp])
    nm = names()
    options = [nm[c] for c in comp]
    return charts.with_dropdown(
        d, field="area", options=options, default=nm["16006"], label="Compare Tancítaro with",
        x="year", y="homicide_rate", fixed=NAME, fixed_label="Municipality",
        y_title="Homicides per 100,000 inhabitants",
        title="Tancítaro against one comparison municipality at a time, 2000-2021",
        description=("Line chart of annual homicide rates per 100,000 for Tancítaro and one municipality chosen "
                     "from a dropdown menu listing the seven avocado-belt neighbours and the five Tierra Caliente "
                     "self-defence municipalities; Apatzingán is shown first. Most comparison municipalities "
                     "are more violent than Tancítaro after 2015."),
        breaks=[(UPRISING_X, "Uprising (late 2013)")])


def chart_monthly():
    m = monthly()
    zero_share = float((m["homicides"] == 0).mean() * 100)
    peak = m.loc[m["rolling_12"].idxmax()]
    late13 = float(m.loc[(m["year"] == 2013) & (m["month"] == 12), "rolling_12"].iloc[0])
    after = float(m.loc[m["year"] >= 2015, "rolling_12"].max())
    base = alt.Chart(m)
    x = alt.X("date:T", title="Month of occurrence", axis=alt.Axis(format="%Y"))
    bars = base.mark_bar(color=NEUTRAL["light"], width=2).encode(
        x=x, y=alt.Y("homicides:Q", title="Homicides (deaths)"),
        tooltip=[charts.tip("date:T", "Month"), charts.tip("homicides:Q", "Homicides that month", ".0f")])
    line = base.mark_line(color=CASE_COLORS[NAME]).encode(
        x=x, y="rolling_12:Q",
        tooltip=[charts.tip("date:T", "Month"), charts.tip("rolling_12:Q", "Homicides in the last 12 months", ".0f")])
    rule = alt.Chart(pd.DataFrame({"date": [pd.Timestamp("2013-11-01")], "label": ["Uprising (late 2013)"]}))
    rules = rule.mark_rule(strokeDash=[4, 3]).encode(x="date:T", tooltip=[charts.tip("label:N", "Event")])
    text = charts.event_labels(rule.data, x="date", label="label", x_type="T")
    return alt.layer(bars, line, rules, text).properties(
        title=alt.Title("Tancítaro's homicides month by month, 2000-2021",
                        subtitle="Grey bars: deaths in the month; green line: deaths in the trailing twelve months"),
        description=("Bar chart of monthly homicide counts in Tancítaro from January 2000 to December 2021 "
                     f"(no deaths in {zero_share:.0f}% of months), with a line for the trailing twelve-month "
                     f"total. The twelve-month total peaks at {peak['rolling_12']:.0f} in "
                     f"{peak['date']:%B %Y}, stands near {late13:.0f} at the end of 2013, and never exceeds "
                     f"{after:.0f} from 2015 on."))


def chart_synth():
    run = synth()
    f = run.main.frame()
    f["series"] = f["series"].map({"actual": NAME, "synthetic": f"Synthetic {NAME}"})
    f = f.rename(columns={"value": "homicide_rate"})
    scale = alt.Scale(domain=[NAME, f"Synthetic {NAME}"], range=[CASE_COLORS[NAME], NEUTRAL["state"]])
    return charts.line_with_breaks(
        f, x="year", y="homicide_rate", color="series", color_title="Series", color_scale=scale,
        y_title="Homicides per 100,000 inhabitants",
        title="Tancítaro and its synthetic control, 2000-2021",
        subtitle="Synthetic: weighted average of similar-sized Michoacán municipalities fitted on 2000-2013",
        description=("Line chart comparing Tancítaro's annual homicide rate per 100,000 with a synthetic "
                     "Tancítaro, a weighted average of Michoacán municipalities of similar size, 2000-2021. "
                     "Before 2014 the synthetic line is smoother than Tancítaro's jagged series; after 2013 "
                     "Tancítaro stays mostly below the synthetic, most clearly in 2016-2019."),
        breaks=[(UPRISING_X, "Uprising (late 2013)")],
        tooltip=[charts.tip("series", "Series"), charts.tip("year", "Year", "d"),
                 charts.tip("homicide_rate", "Rate per 100,000", ".1f")])


def chart_placebo():
    g = synth().gaps
    sel = alt.selection_point(fields=["unit"], on="pointerover", clear="pointerout", nearest=False)
    base = alt.Chart(g)
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"))
    donors = base.transform_filter(alt.datum.kind != NAME).mark_line(strokeWidth=1).encode(
        x=x, y=alt.Y("gap:Q", title="Actual minus synthetic rate (per 100,000)"), detail="unit:N",
        color=alt.value(NEUTRAL["comparison"]),
        opacity=alt.condition(sel, alt.value(0.95), alt.value(0.35)),
        tooltip=[charts.tip("unit:N", "Municipality"), charts.tip("year:Q", "Year", "d"),
                 charts.tip("gap:Q", "Gap per 100,000", ".1f")]).add_params(sel)
    case = base.transform_filter(alt.datum.kind == NAME).mark_line(strokeWidth=3, color=CASE_COLORS[NAME]).encode(
        x=x, y="gap:Q", tooltip=[charts.tip("unit:N", "Municipality"), charts.tip("year:Q", "Year", "d"),
                                 charts.tip("gap:Q", "Gap per 100,000", ".1f")])
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#888888").encode(y="y:Q")
    brk = charts.breaks_layer([(UPRISING_X, "Uprising (late 2013)")])
    return alt.layer(donors, zero, case, brk).properties(
        title=alt.Title("Placebo test: Tancítaro's gap against every donor's",
                        subtitle="Green: Tancítaro; grey: each donor refitted as if it had the break. Hover a line"),
        description=("Line chart of the gap between actual and synthetic homicide rates per 100,000, 2000-2021, "
                     "for Tancítaro (thick green line) and for each donor municipality treated as a placebo "
                     "(thin grey lines). Tancítaro's pre-2014 gaps are among the widest, and its post-2013 "
                     f"negative gap lies within the spread of the placebo gaps. {_placebo_summary(g)}"))


def _placebo_summary(g: pd.DataFrame) -> str:
    """How far the placebo gaps swing after 2015, computed from the plotted gaps."""
    late = g[(g["kind"] != NAME) & (g["year"] > 2015)]
    swing = late.groupby("unit")["gap"].apply(lambda x: float(x.abs().max()))
    return (f"After 2015, half of the {len(swing)} donors' gaps reach {swing.median():.0f} per 100,000 or more, "
            f"in either direction, in at least one year; the widest reaches {swing.max():.0f}.")


def chart_avocado():
    a = avocado_belt_production()
    order = [NAME] + [n for n in a.groupby("area")["tonnes"].sum().sort_values(ascending=False).index if n != NAME]
    scale = alt.Scale(domain=order, range=[CASE_COLORS[NAME], "#c17d11", "#5e3c99", "#1b9e77", "#9e9e9e",
                                           "#7a7a7a", "#bdbdbd", "#5c5c5c"])
    return charts.line_with_breaks(
        a, x="year", y="thousand_tonnes", color="area", color_title="Municipality", color_scale=scale,
        y_title="Avocado production (thousand tonnes)",
        title="Avocado production in Tancítaro and its neighbours, 2003-2023",
        subtitle="SIAP year-end estimates. Click a legend entry to highlight a municipality",
        description=(f"Line chart of annual avocado production in thousand tonnes, {a['year'].min()}-"
                     f"{a['year'].max()}, for Tancítaro and seven avocado-belt municipalities. {_avocado_summary(a)}"),
        breaks=[(UPRISING_X, "Uprising (late 2013)")],
        tooltip=[charts.tip("area", "Municipality"), charts.tip("year", "Year", "d"),
                 charts.tip("thousand_tonnes", "Thousand tonnes", ",.1f"),
                 charts.tip("planted_ha", "Planted hectares", ",.0f"),
                 charts.tip("share_pct", "Share of national output (%)", ".1f")])


def _avocado_summary(a: pd.DataFrame) -> str:
    """Words for the avocado chart's description, computed from the plotted production."""
    med = a.groupby("area")["thousand_tonnes"].median()
    first, second = a.groupby("area")["thousand_tonnes"].sum().sort_values(ascending=False).index[:2]
    t = a[a["area"] == NAME].set_index("year")["thousand_tonnes"].astype(float)
    low, last = int(t.idxmin()), int(t.index.max())
    return (f"Over the period {first} produces the most, a median of {med[first]:.0f} thousand tonnes a year, "
            f"followed by {second} with {med[second]:.0f}. Tancítaro's output dips to {t[low]:.0f} thousand "
            f"tonnes in {low} and rises from {t[last - 1]:.0f} to {t[last]:.0f} in {last}.")


def chart_exports():
    m = exports_monthly()
    lo03, hi03 = (float(v) for v in m.loc[m["year"] == 2003, "usd_million"].agg(["min", "max"]))
    lo_late, hi_late = (float(v) for v in m.loc[m["year"] >= 2017, "usd_million"].agg(["min", "max"]))
    base = alt.Chart(m)
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%Y"))
    line = base.mark_line(color=CASE_COLORS[NAME], strokeWidth=1.5).encode(
        x=x, y=alt.Y("usd_million:Q", title="Avocado exports (US$ million per month)"),
        tooltip=[charts.tip("date:T", "Month"), charts.tip("usd_million:Q", "US$ million", ",.1f")])
    return line.properties(
        title=alt.Title("Mexico's avocado exports by month, 2003-2024",
                        subtitle="Banxico, all destinations, current US dollars, not seasonally adjusted"),
        description=("Line chart of Mexico's monthly avocado export value in millions of current US dollars "
                     f"from January 2003 to {m['date'].max():%B %Y}. Exports rise from "
                     f"{lo03:.0f}-{hi03:.0f} million a month in 2003 to between {lo_late:.0f} and {hi_late:.0f} "
                     "million a month from 2017 on, with a dip in the summer months."))


def chart_t1():
    e = export_estimates()
    long = e.melt(id_vars="year", value_vars=["national_share", "state_share", "ceiling", "farm_gate"],
                  var_name="method", value_name="usd_per_day")
    labels = {"national_share": "National-share estimate", "state_share": "Michoacán-share estimate",
              "ceiling": "Whole crop exported", "farm_gate": "Farm-gate value"}
    over = e.loc[e["state_share"] >= T1_THRESHOLD_USD_PER_DAY, "year"].astype(int).tolist()
    low_max = e.loc[e["national_share"].idxmax()]
    long["method"] = long["method"].map(labels)
    long["usd_million_per_day"] = long["usd_per_day"] / 1e6
    order = list(labels.values())
    scale = alt.Scale(domain=order, range=[CASE_COLORS[NAME], "#c17d11", "#9e9e9e", "#5e3c99"])
    chart = charts.line_with_breaks(
        long, x="year", y="usd_million_per_day", color="method", color_title="Estimate", color_scale=scale,
        y_title="US$ million per day (current dollars)",
        title="How many dollars of avocados does Tancítaro export a day?",
        subtitle=("Estimates from SIAP production and INEGI exports; dotted line: the claimed "
                  f"US${T1_THRESHOLD_USD_PER_DAY / 1e6:.0f} million"),
        description=("Line chart of four estimates, in millions of current US dollars per day, 2003-2023: "
                     "Tancítaro's exports estimated from its share of national output, from its share of "
                     "Michoacán's output, a ceiling that assumes its whole crop is exported, and the farm-gate "
                     "value of its whole crop. A horizontal line marks one million dollars a day: the "
                     f"Michoacán-share estimate is above it in {', '.join(map(str, over))}; the national-share "
                     f"estimate never reaches it (its highest value is {low_max['national_share'] / 1e6:.2f} "
                     f"million in {int(low_max['year'])})."),
        breaks=[(2018.04, "Report (Jan 2018)")],
        tooltip=[charts.tip("method", "Estimate"), charts.tip("year", "Year", "d"),
                 charts.tip("usd_million_per_day", "US$ million per day", ".2f")])
    line = alt.Chart(pd.DataFrame({"y": [T1_THRESHOLD_USD_PER_DAY / 1e6],
                                   "label": [f"US${T1_THRESHOLD_USD_PER_DAY / 1e6:.0f} million a day"]}))
    thr = line.mark_rule(strokeDash=[2, 2], color="#333333").encode(
        y="y:Q", tooltip=[charts.tip("label:N", "Threshold")])
    return alt.layer(chart, thr).properties(title=chart.title, description=chart.description)


def chart_elections():
    e = margins_by_election()
    base = alt.Chart(e)
    x = alt.X("year:O", title="Election year")
    y = alt.Y("margin_pts:Q", title="Winner's margin over runner-up (percentage points)")
    tips = [charts.tip("mun_name:N", "Municipality"), charts.tip("year:O", "Year"),
            charts.tip("winner:N", "Winner (parties)"), charts.tip("margin_pts:Q", "Margin (points)", ".1f"),
            charts.tip("vote_share_pct:Q", "Winner's vote share (%)", ".1f")]
    others = base.transform_filter(alt.datum.area != NAME).mark_tick(color=NEUTRAL["comparison"], opacity=0.6,
                                                                     thickness=1.5).encode(x=x, y=y, tooltip=tips)
    median = base.transform_filter(alt.datum.area != NAME).mark_point(
        shape="diamond", size=70, color=NEUTRAL["national"], filled=True).encode(
        x=x, y=alt.Y("median(margin_pts):Q"),
        tooltip=[charts.tip("year:O", "Year"), alt.Tooltip("median(margin_pts):Q", title="State median margin",
                                                           format=".1f")])
    case = base.transform_filter(alt.datum.area == NAME).mark_point(
        size=110, filled=True, color=CASE_COLORS[NAME]).encode(x=x, y=y, tooltip=tips)
    return alt.layer(others, median, case).properties(
        width=620,
        title=alt.Title("How close were Tancítaro's mayoral races?",
                        subtitle="Green dot: Tancítaro; grey ticks: the other Michoacán municipalities; "
                                 "black diamond: their median"),
        description=("Strip chart of the winning margin in percentage points of every Michoacán municipal "
                     f"election from {e['year'].min()} to {e['year'].max()} ({e['year'].max()} only for Tancítaro), "
                     "one grey tick per municipality, a black diamond for the state median and a green dot for "
                     f"Tancítaro. {_elections_summary(e)}"))


def _elections_summary(e: pd.DataFrame) -> str:
    """Tancítaro's closest races and its T5 election's margin and rank, computed from the plotted margins."""
    t = e[e["area"] == NAME].set_index("year")["margin_pts"].astype(float)
    close = t.nsmallest(3).sort_index()
    y = T5_ELECTION_YEAR
    that = e[e["year"] == y]["margin_pts"].astype(float)
    rank = int((that > t[y]).sum()) + 1
    return (f"Tancítaro's three closest races, in {charts.and_list(close.index)}, were won by "
            f"{charts.and_list(f'{m:.1f}' for m in close)} points, but in {y} its margin of {t[y]:.0f} points "
            f"is the {charts.ordinal(rank)} largest of the {len(that)} margins that year.")


def chart_suicide():
    s = suicide_compare()
    order = s["area"].tolist()
    cscale = alt.Scale(domain=[NAME, BELT, SELF_DEFENCE, "State and nation"],
                       range=[CASE_COLORS[NAME], "#c17d11", "#5e3c99", NEUTRAL["national"]])
    base = alt.Chart(s)
    y = alt.Y("area:N", sort=order, title=None)
    tips = [charts.tip("area:N", "Area"), charts.tip("suicides:Q", "Suicides registered 2024", ",.0f"),
            charts.tip("suicide_rate:Q", "Rate per 100,000", ".1f"),
            charts.tip("rate_low:Q", "95% interval, low", ".1f"),
            charts.tip("rate_high:Q", "95% interval, high", ".1f")]
    bars = base.mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("rate_low:Q", title="Suicides per 100,000 inhabitants (2024 registrations)"), x2="rate_high:Q",
        color=alt.Color("group_label:N", title="Group", scale=cscale), tooltip=tips)
    pts = base.mark_point(filled=True, size=60).encode(
        y=y, x="suicide_rate:Q", color=alt.Color("group_label:N", scale=cscale), tooltip=tips)
    return alt.layer(bars, pts).properties(
        height=340,
        title=alt.Title("Suicide in 2024: one year, small numbers",
                        subtitle="Deaths registered in 2024 by place of occurrence, with exact 95% intervals"),
        description=("Dot-and-interval chart of suicide rates per 100,000 for deaths registered in 2024, by "
                     "municipality of occurrence, for Tancítaro, its seven avocado-belt neighbours, the five "
                     f"Tierra Caliente self-defence municipalities, Michoacán and Mexico. {_suicide_summary(s)}"))


def _suicide_summary(s: pd.DataFrame) -> str:
    """Words for the suicide chart's description, computed from the plotted rates and intervals."""
    muns = s[s["group_label"] != "State and nation"]
    t = muns[muns["area"] == NAME].iloc[0]
    rank = int((muns["suicide_rate"] > t["suicide_rate"]).sum()) + 1
    others = muns[muns["area"] != NAME]
    zero = sorted(others.loc[others["suicides"] == 0, "area"])
    reach = int((others["rate_high"] > t["suicide_rate"]).sum())
    where = "the highest" if rank == 1 else f"the {charts.ordinal(rank)} highest"
    none = (f"{charts.and_list(zero)} recorded none" if zero else "every municipality recorded at least one")
    return (f"Tancítaro's rate, {t['suicide_rate']:.1f} per 100,000 from {int(t['suicides'])} deaths, is {where} "
            f"among the municipalities, but its interval runs from {t['rate_low']:.1f} to {t['rate_high']:.1f}; "
            f"{none}, and the intervals of {reach} other municipalities reach above Tancítaro's rate.")


# ---------------------------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------------------------

#: Claim T2 is judged in the years up to the report ("about four years on" from the uprising).
T2_WINDOW = (2014, 2017)
T2_LATER = (2018, 2021)
T2_BEFORE = (2008, 2013)


@claims.evaluator("T1")
def evaluate_t1() -> claims.Verdict:
    """Supported if even the low (national-share) estimate reaches US$1M a day in the reference year;
    partly supported if only the high (Michoacán-share) estimate does; not supported if neither."""
    e = export_estimates().set_index("year")
    r = e.loc[T1_REFERENCE_YEAR]
    last = int(e.index.max())
    low, high = float(r["national_share"]), float(r["state_share"])
    if low >= T1_THRESHOLD_USD_PER_DAY:
        verdict = "supported"
    elif high >= T1_THRESHOLD_USD_PER_DAY:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    numbers = {
        "reference_year": T1_REFERENCE_YEAR, "low_musd": low / 1e6, "high_musd": high / 1e6,
        "ceiling_musd": float(r["ceiling"]) / 1e6, "farm_gate_musd": float(r["farm_gate"]) / 1e6,
        "share_national_pct": float(r["share_national"]) * 100, "share_state_pct": float(r["share_state"]) * 100,
        "last_year": last, "low_last_musd": float(e.loc[last, "national_share"]) / 1e6,
        "high_last_musd": float(e.loc[last, "state_share"]) / 1e6,
        "first_year_high_over": int(e.index[e["state_share"] >= T1_THRESHOLD_USD_PER_DAY].min()),
        "threshold_musd": T1_THRESHOLD_USD_PER_DAY / 1e6,
    }
    evidence = (f"In {T1_REFERENCE_YEAR} Tancítaro's estimated exports were US${low / 1e6:.2f} million a day if it "
                f"exported the national fraction of its crop and US${high / 1e6:.2f} million if all exports came "
                "from Michoacán; the claim holds only under the second assumption.")
    return claims.Verdict("T1", verdict, float(low / 1e6),
                          f"estimated exports, US$ million per day, {T1_REFERENCE_YEAR} (national-share method)",
                          evidence, _plain_dict(numbers))


@claims.evaluator("T2")
def evaluate_t2() -> claims.Verdict:
    """An island must be safer than the sea around it, near and far. In 2014-2017 (exact 95% intervals
    of the ratio of Tancítaro's pooled rate to each comparison's):

    * supported: clearly below (interval's upper end < 1) the rest of Michoacán, the avocado belt
      *and* the smaller belt towns nearest it (``WEST_NEIGHBOURS``);
    * partly supported: clearly below the rest of Michoacán and the belt, but not clearly below the
      nearest towns (the belt's pooled rate is more than half Uruapan's city);
    * not supported: not clearly below the rest of Michoacán or the belt.
    """
    y0, y1 = T2_WINDOW
    t = pooled(case_annual(), y0, y1)
    st = pooled(rest_of_state(), y0, y1)
    bl = pooled(aggregate(codes("avocado_belt"), BELT), y0, y1)
    we = pooled(aggregate(WEST_NEIGHBOURS, "Nearest belt towns"), y0, y1)
    rr_state = rate_ratio(t["deaths"], t["person_years"], st["deaths"], st["person_years"])
    rr_belt = rate_ratio(t["deaths"], t["person_years"], bl["deaths"], bl["person_years"])
    rr_west = rate_ratio(t["deaths"], t["person_years"], we["deaths"], we["person_years"])
    if rr_state["high"] < 1 and rr_belt["high"] < 1:
        verdict = "supported" if rr_west["high"] < 1 else "partly supported"
    else:
        verdict = "not supported"
    b0, b1 = T2_BEFORE
    tb = pooled(case_annual(), b0, b1)
    sb = pooled(rest_of_state(), b0, b1)
    wb = pooled(aggregate(WEST_NEIGHBOURS, "Nearest belt towns"), b0, b1)
    l0, l1 = T2_LATER
    tl = pooled(case_annual(), l0, l1)
    sl = pooled(rest_of_state(), l0, l1)
    bll = pooled(aggregate(codes("avocado_belt"), BELT), l0, l1)
    wl = pooled(aggregate(WEST_NEIGHBOURS, "Nearest belt towns"), l0, l1)
    nm = names()
    numbers = {
        "case_rate": t["rate"], "case_low": t["low"], "case_high": t["high"], "case_deaths": t["deaths"],
        "state_rate": st["rate"], "belt_rate": bl["rate"], "west_rate": we["rate"], "west_deaths": we["deaths"],
        "rr_state": rr_state["rr"], "rr_state_low": rr_state["low"], "rr_state_high": rr_state["high"],
        "rr_belt": rr_belt["rr"], "rr_belt_low": rr_belt["low"], "rr_belt_high": rr_belt["high"],
        "rr_west": rr_west["rr"], "rr_west_low": rr_west["low"], "rr_west_high": rr_west["high"],
        "before_case_rate": tb["rate"], "before_state_rate": sb["rate"], "before_case_deaths": tb["deaths"],
        "before_west_rate": wb["rate"],
        "later_case_rate": tl["rate"], "later_case_deaths": tl["deaths"], "later_state_rate": sl["rate"],
        "later_belt_rate": bll["rate"], "later_case_low": tl["low"], "later_case_high": tl["high"],
        "later_west_rate": wl["rate"], "west_names": ", ".join(nm[c] for c in WEST_NEIGHBOURS),
    }
    evidence = (f"In {y0}-{y1} Tancítaro's homicide rate was {t['rate']:.1f} per 100,000 "
                f"({int(t['deaths'])} deaths) against {st['rate']:.1f} in the rest of Michoacán and "
                f"{bl['rate']:.1f} in the avocado belt, but {we['rate']:.1f} in the smaller belt towns nearest it; "
                "before the uprising it had been above all three.")
    return claims.Verdict("T2", verdict, float(t["rate"]),
                          f"Tancítaro's homicide rate per 100,000, {y0}-{y1} (pooled)", evidence, _plain_dict(numbers))


#: Suicide "soaring" is a claim about change: it needs counts for Tancítaro in at least two years,
#: one up to the report (2017) and one after it. Then: supported if the later rate's exact ratio to
#: the earlier has a lower bound above 1; partly supported if the point ratio is above 1; else not.
T3_MIN_YEARS = 2
T3_REPORT_YEAR = 2017


@claims.evaluator("T3")
def evaluate_t3() -> claims.Verdict:
    s = load("suicides_municipal")
    s = s[(s["mun_code"] == CODE) & (s["basis"] == "occurrence")].sort_values("year")
    years = sorted(int(y) for y in s["year"].unique())
    st = load("suicides_state")
    st = st[(st["state_code"] == STATE) & (st["basis"] == "occurrence")]
    last = s.iloc[-1]
    k, n = float(last["suicides"]), float(last["population"])
    st_last = st[st["year"] == last["year"]].iloc[0]
    ks, ns = float(st_last["suicides"]) - k, float(st_last["population"]) - n
    rr = rate_ratio(k, n, ks, ns)
    expected = n * ks / ns
    p_upper = float(sstats.poisson.sf(k - 1, expected))
    allm = load("suicides_municipal")
    allm = allm[(allm["basis"] == "occurrence") & allm["mun_code"].str.startswith(STATE)
                & (allm["year"] == last["year"])]
    rank = int((allm["suicide_rate"].astype(float) > float(last["suicide_rate"])).sum()) + 1
    has_trend = len(years) >= T3_MIN_YEARS and min(years) <= T3_REPORT_YEAR < max(years)
    if not has_trend:
        verdict = "cannot be tested with these data"
    else:
        first = s.iloc[0]
        r = rate_ratio(k, n, float(first["suicides"]), float(first["population"]))
        verdict = "supported" if r["low"] > 1 else ("partly supported" if r["rr"] > 1 else "not supported")
    numbers = {
        "years_available": len(years), "year": int(last["year"]), "suicides": k, "population": n,
        "rate": float(last["suicide_rate"]), "low": float(last["rate_low"]), "high": float(last["rate_high"]),
        "state_rate": float(st_last["suicide_rate"]), "rr_rest": rr["rr"], "rr_rest_low": rr["low"],
        "rr_rest_high": rr["high"], "expected": expected, "p_upper": p_upper, "rank": rank,
        "n_municipalities": int(len(allm)), "one_death_pts": 1 / n * 1e5,
    }
    evidence = (f"Only deaths registered in {int(last['year'])} exist: {int(k)} suicides in Tancítaro, a rate of "
                f"{float(last['suicide_rate']):.1f} per 100,000 (95% interval {float(last['rate_low']):.1f}-"
                f"{float(last['rate_high']):.1f}) against {float(st_last['suicide_rate']):.1f} in Michoacán; a "
                "single year can show a level, not a rise.")
    return claims.Verdict("T3", verdict, float(last["suicide_rate"]),
                          f"Tancítaro's suicide rate per 100,000, deaths registered in {int(last['year'])}",
                          evidence, _plain_dict(numbers))


#: Claim T4 windows: before the movement, just after the uprisings, and the years up to the report.
T4_BEFORE = (2010, 2012)
T4_AFTER = (2014, 2015)
T4_RELAPSE = (2016, 2017)
T4_LATER = (2018, 2021)


def t4_table() -> pd.DataFrame:
    """Pooled rates of each self-defence municipality (and the group, and Tancítaro) in the T4 windows."""
    rows = []
    sets = [(NAME, [CODE])] + [(names()[c], [c]) for c in codes("self_defence")] + \
        [(SELF_DEFENCE, codes("self_defence"))]
    for label, cs in sets:
        d = aggregate(cs, label)
        row = {"area": label}
        for key, (y0, y1) in {"before": T4_BEFORE, "after": T4_AFTER, "relapse": T4_RELAPSE,
                              "later": T4_LATER}.items():
            p = pooled(d, y0, y1)
            row[f"{key}_rate"] = p["rate"]
            row[f"{key}_deaths"] = p["deaths"]
            row[f"{key}_py"] = p["person_years"]
        rr = rate_ratio(row["relapse_deaths"], row["relapse_py"], row["after_deaths"], row["after_py"])
        row.update({"rr_relapse_after": rr["rr"], "rr_low": rr["low"], "rr_high": rr["high"]})
        rows.append(row)
    return pd.DataFrame(rows)


@claims.evaluator("T4")
def evaluate_t4() -> claims.Verdict:
    """Supported if the self-defence towns' pooled rate in 2016-2017 exceeds their 2014-2015 rate (exact
    95% rate-ratio interval above 1) and is at least their 2010-2012 level; partly supported if it rose
    but not by a clear margin or stayed below the earlier level; not supported if it did not rise."""
    t = t4_table().set_index("area")
    g = t.loc[SELF_DEFENCE]
    rose_clearly = g["rr_low"] > 1
    back_to_before = g["relapse_rate"] >= g["before_rate"]
    if rose_clearly and back_to_before:
        verdict = "supported"
    elif g["rr_relapse_after"] > 1:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    members = t.drop(index=[SELF_DEFENCE, NAME])
    c = t.loc[NAME]
    numbers = {
        "before_rate": float(g["before_rate"]), "after_rate": float(g["after_rate"]),
        "relapse_rate": float(g["relapse_rate"]), "later_rate": float(g["later_rate"]),
        "rr": float(g["rr_relapse_after"]), "rr_low": float(g["rr_low"]), "rr_high": float(g["rr_high"]),
        "n_members": int(len(members)), "n_rose": int((members["relapse_rate"] > members["after_rate"]).sum()),
        "n_above_before": int((members["relapse_rate"] >= members["before_rate"]).sum()),
        "case_after_rate": float(c["after_rate"]), "case_relapse_rate": float(c["relapse_rate"]),
        "case_before_rate": float(c["before_rate"]), "case_rr": float(c["rr_relapse_after"]),
        "case_rr_low": float(c["rr_low"]), "case_rr_high": float(c["rr_high"]),
        "case_later_rate": float(c["later_rate"]),
    }
    evidence = (f"The five self-defence towns' pooled rate went from {g['after_rate']:.1f} per 100,000 in "
                f"{T4_AFTER[0]}-{T4_AFTER[1]} to {g['relapse_rate']:.1f} in {T4_RELAPSE[0]}-{T4_RELAPSE[1]} "
                f"(ratio {g['rr_relapse_after']:.2f}), against {g['before_rate']:.1f} in "
                f"{T4_BEFORE[0]}-{T4_BEFORE[1]}; Tancítaro's stayed low.")
    return claims.Verdict("T4", verdict, float(g["rr_relapse_after"]),
                          f"self-defence towns' homicide rate {T4_RELAPSE[0]}-{T4_RELAPSE[1]} over "
                          f"{T4_AFTER[0]}-{T4_AFTER[1]} (rate ratio)", evidence, _plain_dict(numbers))


@claims.evaluator("T5")
def evaluate_t5() -> claims.Verdict:
    """Supported if every major party (``major_parties``) nominated the winner of Tancítaro's 2015 election;
    partly supported if more than one but not all did; not supported otherwise."""
    e = elections_case()
    row = e[(e["year"] == T5_ELECTION_YEAR) & ~e["extraordinary"]].iloc[0]
    date = f"{int(row['year'])}-{int(row['month']):02d}-01"
    majors = major_parties(date)
    nominators = str(row["winner"]).split("-")
    in_coalition = [p for p in majors if p in nominators]
    if len(in_coalition) == len(majors):
        verdict = "supported"
    elif len(in_coalition) > 1:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    st = elections_state(T5_ELECTION_YEAR)
    all_majors = st["winner"].fillna("").map(lambda w: all(p in w.split("-") for p in majors))
    margin = float(row["margin"])
    numbers = {
        "n_parties": int(row["n_parties"]), "n_majors": len(majors), "majors": ", ".join(p.upper() for p in majors),
        "vote_share_pct": float(row["vote_share"]) * 100, "margin_pts": margin * 100,
        "n_candidacies": int(row["n_candidacies"]), "runner_up": str(row["runner_up"]).upper(),
        "state_n": int(len(st)), "state_median_margin_pts": float(st["margin"].median()) * 100,
        "state_median_share_pct": float(st["vote_share"].median()) * 100,
        "state_median_n_parties": float(st["n_parties"].median()),
        "state_median_candidacies": float(st["n_candidacies"].median()),
        "margin_rank": int((st["margin"] > margin).sum()) + 1,
        "n_all_majors": int(all_majors.sum()),
        "n_six_or_more": int((st["n_parties"] >= int(row["n_parties"])).sum()),
    }
    evidence = (f"Tancítaro's 2015 winner was nominated by {int(row['n_parties'])} parties including all "
                f"{len(majors)} major ones ({numbers['majors']}); he won {numbers['vote_share_pct']:.1f}% of the "
                f"valid vote against {int(row['n_candidacies']) - 1} other candidacies, a margin of "
                f"{numbers['margin_pts']:.1f} points.")
    return claims.Verdict("T5", verdict, float(len(in_coalition)),
                          f"major parties (of {len(majors)}) that nominated the 2015 winner", evidence,
                          _plain_dict(numbers))


# ---------------------------------------------------------------------------------------------
# Every number the chapter's prose shows, as plain Python values for ``glue``
# ---------------------------------------------------------------------------------------------


def _nation_pooled(y0: int, y1: int) -> float:
    s = state_and_nation()
    return pooled(s[s["area"] == NATION_NAME], y0, y1)["rate"]


def chapter_numbers() -> dict[str, float | int | str]:
    """Plain ints, floats and strings, keyed by the glue names the chapter uses."""
    out: dict[str, float | int | str] = {}
    nm = names()
    t = case_annual().set_index("year")
    out["pop_2010"] = int(t.loc[2010, "population"])
    out["pop_2013"] = int(t.loc[2013, "population"])
    out["pop_2021"] = int(t.loc[2021, "population"])
    out["three_deaths_pts"] = float(three_deaths_effect(2013))
    out["one_death_pts"] = float(three_deaths_effect(2013) / 3)
    h = michoacan_annual()
    p10 = h[h["year"] == 2010].set_index("mun_code")["population"]
    out["pop_rank_2010"] = int(p10.rank(ascending=False)[CODE])
    out["n_mich_mun"] = int(len(p10))
    out["apatzingan_pop_2010"] = int(p10["16006"])
    out["apatzingan_share_sd_pct"] = float(p10["16006"] / p10[codes("self_defence")].sum() * 100)
    out["ci"] = 95
    out["peak_year"] = int(t["homicide_rate"].idxmax())
    out["peak_rate"] = float(t["homicide_rate"].max())
    out["peak_deaths"] = int(t.loc[t["homicide_rate"].idxmax(), "homicides"])
    for y in (2002, 2006, 2013, 2014, 2015, 2017, 2018):
        out[f"deaths_{y}"] = int(t.loc[y, "homicides"])
        out[f"rate_{y}"] = float(t.loc[y, "homicide_rate"])
    out["low_2013"] = float(t.loc[2013, "rate_low"])
    out["high_2013"] = float(t.loc[2013, "rate_high"])
    mo = monthly()
    m13 = mo[mo["year"] == 2013]
    out["deaths_jun_nov_2013"] = int(m13[m13["month"].between(6, 11)]["homicides"].sum())
    out["deaths_dec_2013"] = int(m13[m13["month"] == 12]["homicides"].sum())
    out["zero_month_pct"] = float((mo["homicides"] == 0).mean() * 100)
    out["max_month_deaths"] = int(mo["homicides"].max())
    out["max_month"] = f"{mo.loc[mo['homicides'].idxmax(), 'date']:%B %Y}"
    out["roll_after_max"] = int(mo.loc[mo["year"] >= 2015, "rolling_12"].max())

    ps = period_summary().set_index(["area", "period"])
    keys = {NAME: "case", BELT: "belt", SELF_DEFENCE: "sd", f"{STATE_NAME} without {NAME}": "rest"}
    for area, k in keys.items():
        for per in ("2000-2007", "2008-2013", "2014-2017", "2018-2021"):
            r = ps.loc[(area, per)]
            tag = per.replace("-", "_")
            out[f"{k}_{tag}_rate"] = float(r["rate"])
            out[f"{k}_{tag}_low"] = float(r["low"])
            out[f"{k}_{tag}_high"] = float(r["high"])
            out[f"{k}_{tag}_deaths"] = int(r["deaths"])
    for y0, y1 in ((2000, 2007), (2008, 2013), (2014, 2017), (2018, 2021)):
        out[f"nat_{y0}_{y1}_rate"] = float(_nation_pooled(y0, y1))
    uru = aggregate(["16102"], "Uruapan")
    out["uruapan_2018_2021_rate"] = pooled(uru, 2018, 2021)["rate"]
    out["uruapan_pop_share_belt_pct"] = float(p10["16102"] / p10[codes("avocado_belt")].sum() * 100)
    east = aggregate(["16009", "16082", "16079"], "Eastern belt towns")
    out["east_2018_2021_rate"] = pooled(east, 2018, 2021)["rate"]
    out["belt_to_case_2018_2021"] = float(out["belt_2018_2021_rate"] / out["case_2018_2021_rate"])
    out["case_drop_pct"] = float((1 - out["case_2014_2017_rate"] / out["case_2008_2013_rate"]) * 100)
    out["case_ratio_before_rest"] = float(out["case_2008_2013_rate"] / out["rest_2008_2013_rate"])

    mg = load("marginalization_municipal")
    mt = mg[mg["mun_code"] == CODE].set_index("year")
    for y in (2005, 2010, 2020):
        out[f"marg_degree_{y}"] = str(mt.loc[y, "degree"]).replace("_", " ")
    out["marg_rank_2010"] = int(mt.loc[2010, "rank_national"])
    out["marg_n_2010"] = int((mg["year"] == 2010).sum())

    av = avocado_case().set_index("year")
    for y in (2003, 2006, 2010, 2013, 2017, 2022, 2023):
        out[f"av_t_{y}"] = float(av.loc[y, "tonnes"] / 1000)
        out[f"av_share_{y}"] = float(av.loc[y, "share_national_tonnes"] * 100)
        out[f"av_ha_{y}"] = float(av.loc[y, "planted_ha"])
        out[f"av_value_bn_{y}"] = float(av.loc[y, "value_mxn"] / 1e9)
    out["av_share_peak"] = float(av["share_national_tonnes"].max() * 100)
    out["av_share_min"] = float(av["share_national_tonnes"].min() * 100)
    out["av_share_peak_year"] = int(av["share_national_tonnes"].idxmax())
    out["av_yield_2010"] = float(av.loc[2010, "yield_t_per_ha"])
    out["av_yield_median"] = float(av["yield_t_per_ha"].median())
    out["av_ha_growth_pct"] = float((av.loc[2023, "planted_ha"] / av.loc[2013, "planted_ha"] - 1) * 100)
    sa = load("avocado_state_annual")
    sa = sa[sa["state_code"].isin(["00", STATE])].pivot(index="year", columns="state_code", values="tonnes")
    out["nat_av_mt_2013"] = float(sa.loc[2013, "00"] / 1e6)
    out["nat_av_mt_2023"] = float(sa.loc[2023, "00"] / 1e6)
    out["mich_av_share_2013"] = float(sa.loc[2013, STATE] / sa.loc[2013, "00"] * 100)
    out["mich_av_share_2023"] = float(sa.loc[2023, STATE] / sa.loc[2023, "00"] * 100)
    belt = avocado_belt_production()
    b13 = belt[belt["year"] == 2013].set_index("area")
    out["uruapan_t_2013"] = float(b13.loc[nm["16102"], "thousand_tonnes"])
    out["belt_rank_2013"] = int(b13["tonnes"].rank(ascending=False)[NAME])
    x = exports_annual()
    xa = x[x["destination_code"] == "ALL"].set_index("year")
    xu = x[x["destination_code"] == "USA"].set_index("year")
    for y in (2003, 2013, 2017, 2023):
        out[f"exp_bn_{y}"] = float(xa.loc[y, "value_usd"] / 1e9)
        out[f"exp_us_pct_{y}"] = float(xu.loc[y, "value_usd"] / xa.loc[y, "value_usd"] * 100)
    out["exp_unit_2017"] = float(xa.loc[2017, "usd_per_tonne"])
    out["exp_share_of_output_2017"] = float(xa.loc[2017, "tonnes"] / sa.loc[2017, "00"] * 100)
    out["exp_share_of_mich_2017"] = float(xa.loc[2017, "tonnes"] / sa.loc[2017, STATE] * 100)
    out["fx_2017"] = float(xa.loc[2017, "mxn_per_usd"])
    out["farm_price_usd_2017"] = float(av.loc[2017, "price_mxn_per_t"] / xa.loc[2017, "mxn_per_usd"])
    out["export_to_farm_2017"] = float(xa.loc[2017, "usd_per_tonne"] / out["farm_price_usd_2017"])
    out["threshold_musd"] = float(T1_THRESHOLD_USD_PER_DAY / 1e6)
    # share of the crop that must be exported at the export unit value to reach US$1M a day
    out["t1_needed_export_pct"] = float(T1_THRESHOLD_USD_PER_DAY * 365 / (av.loc[2017, "tonnes"]
                                        * xa.loc[2017, "usd_per_tonne"]) * 100)

    run = synth()
    res = run.main
    w = res.top_weights()
    out["n_donors"] = len(run.donors)
    pop = h[h["year"] == DONOR_POP_YEAR].set_index("mun_code")["population"]
    out["donor_pop_lo"] = int(round(pop[CODE] / DONOR_FACTOR))
    out["donor_pop_hi"] = int(round(pop[CODE] * DONOR_FACTOR))
    out["donor_factor"] = float(DONOR_FACTOR)
    out["n_weighted"] = int(len(w))
    for i in range(3):
        out[f"w{i + 1}_name"] = nm[w.index[i]]
        out[f"w{i + 1}"] = float(w.iloc[i])
    out["pre_rmspe"] = float(res.pre_rmspe)
    out["post_rmspe"] = float(res.post_rmspe)
    out["rmspe_ratio"] = float(res.ratio)
    out["p_space"] = float(res.p_value)
    out["n_placebo_higher"] = int((res.placebo["ratio"] >= res.ratio).sum())
    out["att"] = float(res.att)
    out["att_abs"] = float(-res.att)
    post = res.actual.index >= BREAK_YEAR
    out["synth_post_mean"] = float(res.synthetic[post].mean())
    out["actual_post_mean"] = float(res.actual[post].mean())
    out["att_deaths_per_year"] = float(-res.att * pop[CODE] / 1e5)
    loo = run.loo[run.loo["dropped"] != "(none)"]
    out["loo_min"] = float(loo["att"].min())
    out["loo_max"] = float(loo["att"].max())
    out["loo_top_att"] = float(loo.loc[loo["dropped"] == w.index[0], "att"].iloc[0])
    out["loo_smallest_abs"] = float(-loo["att"].max())
    out["loo_largest_abs"] = float(-loo["att"].min())
    out["loo_top_abs"] = float(-out["loo_top_att"])
    out["loo_n"] = int(len(loo))
    out["pt_att"] = float(run.placebo_time.att)
    out["pt_ratio"] = float(run.placebo_time.ratio)
    out["pt_pre_rmspe"] = float(run.placebo_time.pre_rmspe)
    perm = before_after_permutation()
    c = perm[perm["mun_code"] == CODE].iloc[0]
    out["perm_ratio"] = float(c["ratio"])
    out["perm_rank"] = int(c["rank"])
    out["perm_n"] = int(len(perm))
    out["perm_p"] = float(permutation_p(perm))
    out["perm_first_name"] = str(perm.iloc[0]["mun_name"])
    out["perm_median_ratio"] = float(perm.loc[perm["mun_code"] != CODE, "ratio"].median())
    out["wide_factor"] = float(WIDE_FACTOR)
    wide = synth_wide_pool(WIDE_FACTOR)
    out["wide_att"] = float(wide.att)
    out["wide_att_abs"] = float(-wide.att)
    out["wide_pre_rmspe"] = float(wide.pre_rmspe)
    out["wide_n"] = int(len(wide.weights))

    ec = elections_case().set_index("year")
    for y in (2007, 2011, 2015, 2018, 2021):
        out[f"margin_{y}"] = float(ec.loc[y, "margin"] * 100)
    for y in (2007, 2011, 2015, 2018):
        out[f"share_{y}"] = float(ec.loc[y, "vote_share"] * 100)
        out[f"cands_{y}"] = int(ec.loc[y, "n_candidacies"])
    mb = margins_by_election()
    med = mb[mb["area"] != NAME].groupby("year")["margin_pts"].median()
    out["state_median_margin_2018"] = float(med.loc[2018])
    out["state_median_margin_2015"] = float(med.loc[2015])
    out["winner_2018"] = str(ec.loc[2018, "winner"]).upper()
    out["winner_2021"] = str(ec.loc[2021, "winner"]).upper()
    out["runner_2018"] = str(ec.loc[2018, "runner_up"]).upper()
    return out
