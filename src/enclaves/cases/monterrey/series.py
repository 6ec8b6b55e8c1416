"""Monterrey's comparison sets, derived series and models: the homicide and SESNSP crime series, the
metro's marginalisation ranks, the synthetic control for the 2011 reform (:func:`counterfactual`) and the
interrupted time series at the change of governor in October 2015.

Conventions: homicides are INEGI death records by year (or month) of occurrence, from 2000
(``year_basis == "occurrence"``); SESNSP crime counts are kept apart by instrument (``series``) and unit
(``incidents``/``victims``) and never spliced. Every number comes from :func:`enclaves.data.load`.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import pandas as pd
from scipy import stats as sps

from ... import geo, series, stats
from ...data import load
from ...models import (
    blas_single_thread,
    interrupted_time_series,
    leave_one_out,
    placebo_in_space,
    placebo_in_time,
    placebo_p,
    poisson_did,
    poisson_did_placebos,
    synthetic_control,
)
from .. import generic
from ..base import Counterfactual
from .case import (
    CMP_END,
    CMP_START,
    CODE,
    CRIME_LABELS,
    DONOR_LABEL,
    DONOR_MIN_POP_2010,
    FALL_RATIO,
    GOVERNOR_BREAK,
    ITS_END,
    ITS_START,
    M2_END,
    M3_BASE,
    M3_POST,
    METRO_LABEL,
    NAME,
    NATION,
    NATIONAL_NAME,
    NEIGHBOUR_STATES,
    OTHER_METRO_LABEL,
    PIT_FAKE_START,
    REST_LABEL,
    RISE_RATIO,
    SAME_BREAK_STATES,
    SC_FIRST,
    SC_LAST,
    SC_START,
    SC_START_ALT,
    SCAN_FIRST,
    SCAN_LAST,
    SERIES_LABELS,
    SHORT_NAMES,
    SINCE_STATE_FROM,
    SLUG,
    STATE,
    STATE_NAME,
)

# ---------------------------------------------------------------------------------------------
# Comparison sets and names
# ---------------------------------------------------------------------------------------------


@cache
def _table(name: str) -> pd.DataFrame:
    """A processed table, loaded once per session (callers filter, never modify it in place)."""
    return load(name)


def comparisons() -> pd.DataFrame:
    """data/mappings/comparison_monterrey.csv (group, mun_code, reason)."""
    return geo.comparison_groups(SLUG)


def metro_codes(include_case: bool = True) -> list[str]:
    """Monterrey and the eight other municipalities of its metropolitan area."""
    codes = comparisons().query("group == 'metro'")["mun_code"].tolist()
    return ([CODE] if include_case else []) + codes


def donor_codes(exclude_neighbours: bool = False) -> list[str]:
    """The synthetic-control donor pool (optionally without the neighbouring states)."""
    codes = comparisons().query("group == 'donor'")["mun_code"].tolist()
    if exclude_neighbours:
        codes = [c for c in codes if c[:2] not in NEIGHBOUR_STATES]
    return codes


def takeover_donors() -> list[str]:
    """Donor cities whose police was taken over or replaced by the military or federal forces by the end of the
    synthetic control's window (the sourced table ``treated_units.csv``): another police takeover is no picture of
    "no reform"."""
    return sorted(set(donor_codes()) & generic.event_codes(SC_LAST, generic.TAKEOVER))


def clean_donor_codes() -> list[str]:
    """:func:`donor_codes` without :func:`takeover_donors`."""
    return sorted(set(donor_codes()) - set(takeover_donors()))


def donor_rule_codes() -> list[str]:
    """The donor pool recomputed from its rule: outside Nuevo León, ≥ 500,000 inhabitants in 2010,
    a complete 2000–2015 series, not another case of the book."""
    h = _homicides_annual()
    pop = h[h["year"] == 2010].set_index("mun_code")["population"].dropna()
    panel = h[h["year"].between(SC_FIRST, SC_LAST)].pivot(index="year", columns="mun_code",
                                                         values="homicide_rate")
    cases = set(geo.case_codes().values())
    return sorted(c for c, p in pop.items() if p >= DONOR_MIN_POP_2010 and not c.startswith(STATE)
                  and c not in cases and c in panel and panel[c].notna().all()
                  and len(panel[c]) == SC_LAST - SC_FIRST + 1)


def short_name(code: str) -> str:
    """The municipality's INEGI name, shortened for charts where it is long (San Pedro, San Nicolás…)."""
    n = geo.mun_names()[code]
    return SHORT_NAMES.get(n, n)


# ---------------------------------------------------------------------------------------------
# Small statistics
# ---------------------------------------------------------------------------------------------

def rate_ratio(k1: float, n1: float, k0: float, n0: float) -> tuple[float, float, float]:
    """(ratio, low, high) of two Poisson rates (k1/n1) / (k0/n0), by :func:`enclaves.stats.rate_ratio`.

    With no event in the comparison (k0 = 0) the ratio is undefined: the chapter's tables and rules then
    read (inf, nan, inf), which classifies as "no clear change".
    """
    if float(k0) == 0:
        return float("inf"), float("nan"), float("inf")
    r = stats.rate_ratio(k1, n1, k0, n0)
    return r.rr, r.low, r.high


def ratio_of_ratios_ci(k1a: float, k0a: float, k1b: float, k0b: float, na: tuple[float, float],
                       nb: tuple[float, float], level: float = 0.95) -> tuple[float, float, float]:
    """(rate ratio of area a) / (rate ratio of area b), with a Wald interval on the log scale
    (variance = sum of 1/k). ``na``/``nb`` = (exposure after, exposure before)."""
    rra = (k1a / na[0]) / (k0a / na[1])
    rrb = (k1b / nb[0]) / (k0b / nb[1])
    est = rra / rrb
    se = float(np.sqrt(1 / k1a + 1 / k0a + 1 / k1b + 1 / k0b))
    z = sps.norm.ppf(1 - (1 - level) / 2)
    return float(est), float(est * np.exp(-z * se)), float(est * np.exp(z * se))


def classify_change(est: float, lo: float, hi: float) -> str:
    """'fell', 'rose' or 'no clear change' by the thresholds FALL_RATIO / RISE_RATIO."""
    if est <= FALL_RATIO and hi < 1:
        return "fell"
    if est >= RISE_RATIO and lo > 1:
        return "rose"
    return "no clear change"


# ---------------------------------------------------------------------------------------------
# Homicide series (INEGI, occurrence basis)
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _homicides_annual() -> pd.DataFrame:
    h = _table("homicides_municipal_annual")
    return h[h["year_basis"] == "occurrence"].reset_index(drop=True)


def mun_annual(code: str = CODE) -> pd.DataFrame:
    """One municipality's annual homicides, population and rate, indexed by year."""
    h = _homicides_annual()
    return h[h["mun_code"] == code].set_index("year")


def metro_annual(first: int = 2000, last: int | None = None) -> pd.DataFrame:
    """Annual homicides, population and rate (with exact 95% interval) for the nine metro
    municipalities, with names and their CONAPO 2015 marginalisation rank within the metro."""
    h = _homicides_annual()
    d = h[h["mun_code"].isin(metro_codes()) & (h["year"] >= first)]
    if last is not None:
        d = d[d["year"] <= last]
    d = stats.add_rate_ci(d.copy())
    d["area"] = d["mun_code"].map(short_name)
    rank = metro_marginalisation().set_index("mun_code")["metro_rank"]
    d["metro_rank"] = d["mun_code"].map(rank).astype(int)
    return d.sort_values(["metro_rank", "year"]).reset_index(drop=True)


def area_rates(first: int = 2000) -> pd.DataFrame:
    """Annual homicide rates for Monterrey, the metro (sum of nine), Nuevo León and the nation."""
    h = _homicides_annual()
    mty = h[h["mun_code"] == CODE][["year", "homicides", "population"]].assign(area=NAME)
    metro = (h[h["mun_code"].isin(metro_codes())].groupby("year", as_index=False)[["homicides", "population"]]
             .sum().assign(area=METRO_LABEL))
    st = series.state_homicide_rates([STATE, NATION])
    st = st[st["year_basis"] == "occurrence"][["year", "homicides", "population", "state_name"]]
    st = st.rename(columns={"state_name": "area"})
    d = pd.concat([mty, metro, st], ignore_index=True)
    d = d[d["year"] >= first].copy()
    d["homicide_rate"] = stats.per_100k(d["homicides"], d["population"])
    d = stats.add_rate_ci(d)
    return d.reset_index(drop=True)


def monthly_homicides(codes: list[str], start: tuple[int, int] | None = None,
                      end: tuple[int, int] | None = None) -> pd.DataFrame:
    """Monthly homicides summed over ``codes`` (year, month, homicides, t = decimal year)."""
    m = _table("homicides_municipal_monthly")
    d = m[m["mun_code"].isin(codes)].groupby(["year", "month"], as_index=False)["homicides"].sum()
    ym = d["year"] * 100 + d["month"]
    if start:
        d = d[ym >= start[0] * 100 + start[1]]
        ym = d["year"] * 100 + d["month"]
    if end:
        d = d[ym <= end[0] * 100 + end[1]]
    d = d.copy()
    d["t"] = d["year"] + (d["month"] - 0.5) / 12
    return d.reset_index(drop=True)


def period_counts(codes: list[str], years: tuple[int, int]) -> tuple[int, int]:
    """(homicides, person-years) summed over ``codes`` and the years in ``years`` (inclusive)."""
    h = _homicides_annual()
    d = h[h["mun_code"].isin(codes) & h["year"].between(*years)]
    return int(d["homicides"].sum()), int(d["population"].sum())


# ---------------------------------------------------------------------------------------------
# Marginalisation (CONAPO)
# ---------------------------------------------------------------------------------------------

def metro_marginalisation(year: int = 2015) -> pd.DataFrame:
    """CONAPO index, degree and national rank for the metro in ``year``, with the rank inside the
    metro (1 = most marginalised). Before 2020 a higher index means more marginalised."""
    mg = _table("marginalization_municipal")
    d = mg[mg["mun_code"].isin(metro_codes()) & (mg["year"] == year)].copy()
    more_is_worse = d["method"].iloc[0] == "conapo_1990_2015"
    d = d.sort_values("marginalization_index", ascending=not more_is_worse).reset_index(drop=True)
    d["metro_rank"] = np.arange(1, len(d) + 1)
    d["area"] = d["mun_code"].map(short_name)
    return d


# ---------------------------------------------------------------------------------------------
# SESNSP crime and the ENVIPE survey
# ---------------------------------------------------------------------------------------------

def _state_population() -> pd.DataFrame:
    """CONAPO mid-year state populations as carried by the homicide table (1990–2022)."""
    st = series.splice_basis(_table("homicides_state_annual"))
    return st[["state_code", "year", "population"]].dropna()


def state_crime_rates(crimes: tuple[str, ...] = ("secuestro", "extorsion"), last: int = 2024) -> pd.DataFrame:
    """Annual SESNSP counts and rates per 100,000 for Nuevo León, its three neighbours and the rest
    of Mexico (the other 31 states summed), by crime, instrument and unit — never spliced.

    Only full years are kept (months_covered == 12 for each state); the rest of Mexico is the sum of
    the states with a value, and ``states_partial`` counts those with fewer than 12 months.
    """
    a = _table("crime_state_annual")
    a = a[a["crime"].isin(crimes) & (a["state_code"] != NATION) & (a["year"] <= last)]
    pop = _state_population()
    a = a.merge(pop, on=["state_code", "year"], how="left")
    # the old instrument's 2016 covers Jan–Mar only: drop it; keep complete state-years
    nl_nb = a[a["state_code"].isin([STATE, *NEIGHBOUR_STATES])].copy()
    nl_nb = nl_nb[(nl_nb["months_covered"] == 12) & nl_nb["value"].notna()]
    nl_nb["area"] = nl_nb["state_code"].map({STATE: STATE_NAME, **NEIGHBOUR_STATES})
    rest = a[(a["state_code"] != STATE) & a["population"].notna()].copy()
    rest["partial"] = (rest["months_covered"] < 12).astype(int)
    full_years = rest.groupby(["year", "crime", "series", "unit"])["months_covered"].max() == 12
    rest = (rest.dropna(subset=["value"]).groupby(["year", "crime", "series", "unit"], as_index=False)
            .agg(value=("value", "sum"), population=("population", "sum"), states=("state_code", "nunique"),
                 states_partial=("partial", "sum")))
    rest = rest[rest.set_index(["year", "crime", "series", "unit"]).index.map(full_years).fillna(False)]
    rest = rest.assign(area=REST_LABEL)
    d = pd.concat([nl_nb, rest], ignore_index=True)
    d["rate"] = stats.per_100k(d["value"], d["population"])
    d = d[d["rate"].notna()]           # populations (CONAPO via the homicide tables) end in 2022
    d["crime_label"] = d["crime"].map(CRIME_LABELS)
    d["series_label"] = [SERIES_LABELS[(s, u)] for s, u in zip(d["series"], d["unit"], strict=True)]
    cols = ["area", "state_code", "year", "crime", "crime_label", "series", "unit", "series_label", "value",
            "population", "rate", "states_partial"]
    return d[cols].sort_values(["crime", "series", "unit", "area", "year"]).reset_index(drop=True)


def nl_monthly_kidnapping() -> pd.DataFrame:
    """Nuevo León's monthly SESNSP kidnapping counts, every instrument and unit kept apart."""
    c = _table("crime_state_monthly")
    d = c[(c["state_code"] == STATE) & (c["crime"] == "secuestro")].dropna(subset=["value"]).copy()
    d["t"] = d["year"] + (d["month"] - 0.5) / 12
    d["series_label"] = [SERIES_LABELS[(s, u)] for s, u in zip(d["series"], d["unit"], strict=True)]
    d["value"] = d["value"].astype(int)
    return d[["year", "month", "t", "series", "unit", "series_label", "value"]].reset_index(drop=True)


def city_crimes(codes: list[str] | None = None) -> pd.DataFrame:
    """Annual SESNSP incidents (old instrument, 69-city file) for Monterrey and the metro
    municipalities in that file, full years 2011–2015, vehicle theft with and without violence
    summed, with an index (2011 = 100)."""
    c = _table("crime_municipal_monthly")
    codes = codes or city_crime_codes()
    d = c[c["mun_code"].isin(codes) & (c["year"] <= M2_END)].copy()
    d["crime"] = d["crime"].replace({"robo_vehiculo_con_violencia": "robo_vehiculo",
                                     "robo_vehiculo_sin_violencia": "robo_vehiculo"})
    months = d.groupby(["mun_code", "year", "crime"])["month"].nunique()
    d = d.groupby(["mun_code", "year", "crime"], as_index=False)["value"].sum()
    d["months"] = d.set_index(["mun_code", "year", "crime"]).index.map(months).to_numpy()
    d = d[d["months"] == 12].copy()
    base = d[d["year"] == 2011].set_index(["mun_code", "crime"])["value"]
    d["index_2011"] = d["value"] / d.set_index(["mun_code", "crime"]).index.map(base).to_numpy() * 100
    d["area"] = d["mun_code"].map(short_name)
    d["crime_label"] = d["crime"].map(CRIME_LABELS)
    return d.sort_values(["mun_code", "crime", "year"]).reset_index(drop=True)


def city_crime_codes() -> list[str]:
    """The metro municipalities in SESNSP's 69-city file (Monterrey first)."""
    have = set(_table("crime_municipal_monthly")["mun_code"])
    return [x for x in metro_codes() if x in have]


def insecurity() -> pd.DataFrame:
    """ENVIPE: share of adults who feel their state is unsafe, Nuevo León and the nation."""
    e = _table("envipe_state")
    d = e[(e["indicator"] == "insecurity_api") & e["state_code"].isin([STATE, NATION])].copy()
    d["area"] = d["state_code"].map({STATE: STATE_NAME, NATION: NATIONAL_NAME})
    return d[["area", "year", "value"]].sort_values(["area", "year"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Politics
# ---------------------------------------------------------------------------------------------

def governors_table() -> pd.DataFrame:
    """Nuevo León's governors: year elected, name, party and nominating parties."""
    g = _table("governors")
    g = g[g["state_code"] == STATE][["start_year", "governor", "party", "nominating_parties"]].copy()
    g = g.rename(columns={"start_year": "Elected", "governor": "Governor", "party": "Party",
                          "nominating_parties": "Nominated by"})
    g["Governor"] = g["Governor"].str.title()
    g["Party"] = g["Party"].str.upper().replace({"INDEP": "Independent"})
    g["Nominated by"] = g["Nominated by"].str.upper().replace({"INDEP": "Independent"})
    return g.reset_index(drop=True)


def mayors_table(first: int = 2000) -> pd.DataFrame:
    """Monterrey's elected mayors since ``first``, the winning party and the margin in points."""
    e = _table("elections_municipal")
    e = e[(e["mun_code"] == CODE) & (e["year"] >= first)]
    out = pd.DataFrame({
        "Election": [f"{y}" + (" (extraordinary)" if x else "") for y, x in zip(e["year"], e["extraordinary"],
                                                                                 strict=True)],
        "Mayor elected": e["mayor"].str.title(),
        "Winner": e["winner"].str.upper(),
        "Margin (points)": (e["margin"] * 100).round(1),
    })
    return out.reset_index(drop=True)


def governor_on(year: int) -> tuple[str, str]:
    """(name, party) of the governor elected in ``year`` in Nuevo León."""
    g = _table("governors")
    r = g[(g["state_code"] == STATE) & (g["start_year"] == year)].iloc[0]
    return str(r["governor"]).title(), str(r["party"])


# ---------------------------------------------------------------------------------------------
# Counterfactual 1: synthetic control for the 2011 reform
# ---------------------------------------------------------------------------------------------

def synth_panel() -> pd.DataFrame:
    """Wide panel (year × municipality) of homicide rates, 2000–2015, Monterrey and donors."""
    h = _homicides_annual()
    d = h[h["year"].between(SC_FIRST, SC_LAST) & h["mun_code"].isin([CODE, *donor_codes()])]
    return d.pivot(index="year", columns="mun_code", values="homicide_rate").sort_index()


@lru_cache(maxsize=1)
def counterfactual() -> Counterfactual:
    """The synthetic control (first treated year SC_START, placebo-in-space inference) and its checks:
    a placebo in time (break pretended in PIT_FAKE_START, data to SC_START − 1), leave-one-out refits
    without each of the five heaviest donors, and two variants: ``alt_start`` (the break year SC_START_ALT
    as first treated year) and ``no_neighbours`` (a pool without the neighbouring states). Cached within a
    session; under 20 seconds."""
    panel = synth_panel()
    donors = donor_codes()
    with blas_single_thread():
        main = placebo_in_space(panel, CODE, SC_START, donors)
        alt_start = synthetic_control(panel, CODE, SC_START_ALT, donors)
        no_nb = synthetic_control(panel, CODE, SC_START, donor_codes(exclude_neighbours=True))
        clean = placebo_in_space(panel, CODE, SC_START, clean_donor_codes())
        loo = leave_one_out(panel, CODE, SC_START, donors)
        pit = placebo_in_time(panel, CODE, PIT_FAKE_START, donors, end=SC_START - 1)
    names = geo.mun_names()
    loo["dropped_name"] = loo["dropped"].map(lambda c: names.get(c, c))
    return Counterfactual(main=main, start=SC_START, donors=donors, placebo_time=pit, leave_one_out=loo,
                          variants={"alt_start": alt_start, "no_neighbours": no_nb, "no_takeovers": clean})


# ---------------------------------------------------------------------------------------------
# Counterfactual 2: interrupted time series at the change of governor
# ---------------------------------------------------------------------------------------------

def its_run(codes: list[str] | None = None, start: tuple[int, int] = ITS_START, end: tuple[int, int] = ITS_END,
            drop: list[tuple[int, int]] | None = None, at: str = GOVERNOR_BREAK):
    """Negative-binomial ITS with month-of-year seasonality on monthly homicides summed over
    ``codes`` (default Monterrey), break ``at`` (default October 2015, the change of governor)."""
    d = monthly_homicides(codes or [CODE], start, end)
    if drop:
        keep = ~pd.Series(list(zip(d["year"], d["month"], strict=True))).isin(drop).to_numpy()
        d = d[keep]
    return interrupted_time_series(d, "homicides", at)


@lru_cache(maxsize=1)
def its_table() -> pd.DataFrame:
    """The main ITS and its sensitivity runs: level change (rate ratio at the break) and trend change
    (growth factor per year), each with 95% intervals."""
    suburbs = metro_codes(include_case=False)
    specs = [
        ("Monterrey, Jan 2014–Sep 2021 (main)", [CODE], ITS_START, ITS_END, None),
        ("Monterrey, without Feb 2016 (Topo Chico riot)", [CODE], ITS_START, ITS_END, [(2016, 2)]),
        ("Monterrey, Jan 2014–Dec 2019 (before the pandemic)", [CODE], ITS_START, (2019, 12), None),
        ("Monterrey, Jul 2013–Dec 2019 (longer pre-period)", [CODE], (2013, 7), (2019, 12), None),
        ("Eight other metro municipalities, Jan 2014–Sep 2021", suburbs, ITS_START, ITS_END, None),
        ("Whole metro (nine), Jan 2014–Sep 2021", metro_codes(), ITS_START, ITS_END, None),
    ]
    rows = []
    for label, codes, a, b, drop in specs:
        r = its_run(codes, a, b, drop)
        lv, tr = r.level_change, r.trend_change
        rows.append({"run": label, "months": len(r.data), "level": lv[0], "level_low": lv[1], "level_high": lv[2],
                     "trend": tr[0], "trend_low": tr[1], "trend_high": tr[2],
                     "p_level": r.p_values["post"], "p_trend": r.p_values["post_t"]})
    return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def its_scan(first: str = SCAN_FIRST, last: str = SCAN_LAST) -> pd.DataFrame:
    """The main ITS refitted with the break at every month from ``first`` to ``last``: the level change and its
    p-value at each. With a short pre-period and many parameters, a p-value below 0.05 at one chosen month
    means little if many other months give one too."""
    rows = []
    for bp in pd.period_range(first, last, freq="M"):
        r = its_run(at=str(bp))
        lv = r.level_change
        rows.append({"break": str(bp), "t": bp.year + (bp.month - 0.5) / 12, "level": lv[0], "level_low": lv[1],
                     "level_high": lv[2], "p_level": r.p_values["post"], "governor": str(bp) == GOVERNOR_BREAK})
    return pd.DataFrame(rows)


def its_fitted() -> pd.DataFrame:
    """Observed, fitted and no-break counterfactual for the main Monterrey run."""
    r = its_run()
    f = r.fitted()
    f["t"] = f["year"] + (f["month"] - 0.5) / 12
    return f[["year", "month", "t", "homicides", "fitted", "counterfactual", "post"]]


# ---------------------------------------------------------------------------------------------
# The metro after 2015, ranked by marginalisation (claim M3)
# ---------------------------------------------------------------------------------------------

def metro_change(base: tuple[int, int] = M3_BASE, post: tuple[int, int] = M3_POST) -> pd.DataFrame:
    """Per metro municipality: homicides and rates in the base and post periods, the rate ratio with
    its exact interval, the absolute change, and the marginalisation rank inside the metro."""
    mg = metro_marginalisation().set_index("mun_code")
    rows = []
    for c in metro_codes():
        k0, n0 = period_counts([c], base)
        k1, n1 = period_counts([c], post)
        est, lo, hi = rate_ratio(k1, n1, k0, n0)
        rows.append({"mun_code": c, "area": short_name(c), "metro_rank": int(mg.loc[c, "metro_rank"]),
                     "base_homicides": k0, "post_homicides": k1, "base_rate": stats.per_100k(k0, n0),
                     "post_rate": stats.per_100k(k1, n1), "ratio": est, "ratio_low": lo, "ratio_high": hi})
    d = pd.DataFrame(rows)
    d["change"] = d["post_rate"] - d["base_rate"]
    d["label"] = [f"{a} (rank {r})" for a, r in zip(d["area"], d["metro_rank"], strict=True)]
    return d.sort_values("metro_rank").reset_index(drop=True)


def marginalisation_rho(d: pd.DataFrame, col: str = "ratio") -> float:
    """Rank correlation between marginalisation and ``col`` of a :func:`metro_change` table. Rank 1 is the
    most marginalised, so a rise concentrated in poorer places is a NEGATIVE correlation with the rank:
    we report its opposite, rho(marginalisation, rise)."""
    return -float(sps.spearmanr(d["metro_rank"], d[col]).statistic)


def group_ratio(codes: list[str], base: tuple[int, int], post: tuple[int, int]) -> tuple:
    """(ratio, low, high, base homicides, post homicides) of the pooled rate of ``codes``, post vs base."""
    k0, n0 = period_counts(codes, base)
    k1, n1 = period_counts(codes, post)
    est, lo, hi = rate_ratio(k1, n1, k0, n0)
    return est, lo, hi, k0, k1


# ---------------------------------------------------------------------------------------------
# Since then: investigation files, January 2024 – June 2025 (SESNSP, new instrument)
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def since_then() -> pd.DataFrame:
    """Homicide investigation files (SESNSP, new instrument: homicidio doloso plus feminicidio) in 2024, in
    January–June 2025 and in the two pooled (``year`` 0), per 100,000 a year over the residents counted by the
    SINCE_POP_YEAR census, with exact Poisson intervals: each metro municipality from the most marginalised
    to the least (``metro_rank``), the other eight pooled, the synthetic control's donor cities pooled, Nuevo
    León and the nation (the state rows from :func:`enclaves.series.state_homicide_sources`). Files, not
    deaths."""
    rank = metro_marginalisation().set_index("mun_code")["metro_rank"]
    parts = []
    for code in sorted(metro_codes(), key=lambda c: int(rank[c])):
        c = series.municipal_incidents([code], series.NEW_HOMICIDE)
        parts.append(series.since_rows(c, short_name(code), "Metro municipality", series.since_population([code]))
                     .assign(mun_code=code, metro_rank=int(rank[code])))
    for codes, label in ((metro_codes(include_case=False), OTHER_METRO_LABEL), (donor_codes(), DONOR_LABEL)):
        c = series.municipal_incidents(codes, series.NEW_HOMICIDE, pooled=True)
        parts.append(series.since_rows(c, label, "Pooled group", series.since_population(codes)))
    s = series.state_homicide_sources([STATE, NATION], full_years=False)
    s = s[(s["series"] == "sesnsp_new_incidents") & s["year"].isin([2024, 2025])]
    for code, name in ((STATE, STATE_NAME), (NATION, NATIONAL_NAME)):
        c = s[s["state_code"] == code].rename(columns={"value": "count"})
        pop = series.since_population(state=code) if code != NATION else series.since_population()
        parts.append(series.since_rows(c, name, "State and nation", pop))
    d = pd.concat(parts, ignore_index=True)
    d["order"] = range(len(d))
    d["order"] = d.groupby("area", sort=False)["order"].transform("min")
    return d.sort_values(["order", "year"]).reset_index(drop=True)


def since_rate(area: str, year: int = 0) -> dict:
    """One row of :func:`since_then` as a dict (``year`` 0: January 2024 – June 2025 pooled)."""
    d = since_then()
    r = d[(d["area"] == area) & (d["year"] == year)]
    if len(r) != 1:
        raise KeyError(f"no since-then row for {area!r}, {year}")
    return r.iloc[0].to_dict()


def since_ratio(area1: str, area0: str) -> stats.RateRatio:
    """Rate ratio (exact 95% interval) of two areas' files, January 2024 – June 2025 pooled."""
    a, b = since_rate(area1), since_rate(area0)
    return stats.rate_ratio(a["count"], a["person_years"], b["count"], b["person_years"])


def state_since(full_years: bool = True) -> pd.DataFrame:
    """Nuevo León's homicide counts from SINCE_STATE_FROM in every instrument that has them, as separate
    labelled series (:func:`enclaves.series.state_homicide_sources`): INEGI deaths, SESNSP new-instrument
    files and victims (the old instrument ends before SINCE_STATE_FROM's series begin)."""
    s = series.state_homicide_sources([STATE], full_years=full_years)
    return s[(s["year"] >= SINCE_STATE_FROM) & ~s["series"].str.startswith("sesnsp_old")].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Counterfactual 3: the change of governor against other large cities, month by month
# ---------------------------------------------------------------------------------------------

def comparative_codes() -> list[str]:
    """The synthetic control's donors without police takeovers that have monthly deaths in the book (the focus
    states' municipalities), outside states whose governor changed at the same time (``SAME_BREAK_STATES``)."""
    monthly = set(_table("homicides_municipal_monthly")["mun_code"])
    return sorted(c for c in clean_donor_codes() if c in monthly and c[:2] not in SAME_BREAK_STATES)


@lru_cache(maxsize=1)
def comparative_panel() -> pd.DataFrame:
    """Monthly homicide deaths of Monterrey and :func:`comparative_codes` over ``CMP_START``-``CMP_END`` with the
    exposure (the year's population / 12) and ``period`` = year × 100 + month."""
    codes = [CODE, *comparative_codes()]
    m = _table("homicides_municipal_monthly")
    ym = m["year"] * 100 + m["month"]
    m = m[m["mun_code"].isin(codes) & ym.between(CMP_START[0] * 100 + CMP_START[1], CMP_END[0] * 100 + CMP_END[1])]
    h = _homicides_annual()[["mun_code", "year", "population"]]
    d = m.merge(h[h["mun_code"].isin(codes)], on=["mun_code", "year"], how="left")
    if d["population"].isna().any():
        raise ValueError("comparative panel: a city-year lacks its population")
    return d.assign(homicides=d["homicides"].astype(float), exposure=d["population"].astype(float) / 12,
                    period=(d["year"] * 100 + d["month"]).astype(int))[
        ["mun_code", "year", "month", "period", "homicides", "exposure"]].reset_index(drop=True)


def _break_period(at: str = GOVERNOR_BREAK) -> int:
    return int(at[:4]) * 100 + int(at[5:7])


@lru_cache(maxsize=1)
def comparative_result() -> dict:
    """The comparative design at the change of governor (:func:`enclaves.models.poisson_did`), its placebos in
    space and their p-value; ``placebos`` is the table of the other cities as if treated, with names."""
    d = comparative_panel()
    main = poisson_did(d, CODE, _break_period())
    pl = poisson_did_placebos(d, CODE, _break_period())
    pl["name"] = pl["mun_code"].map(geo.mun_names())
    n, p = placebo_p(main, pl)
    return {**main, "n_as_large": n, "p_space": p, "n_cities": len(pl), "placebo_min": float(pl["rr"].min()),
            "placebo_max": float(pl["rr"].max()), "placebos": pl}


def comparative_table() -> str:
    """Monterrey and each comparison city as if it had had the break, as a Markdown table, largest change first."""
    r = comparative_result()
    rows = [("**Monterrey**", r["rr"], r["low"], r["high"])]
    rows += [(x.name, x.rr, x.low, x.high) for x in r["placebos"].itertuples()]
    rows.sort(key=lambda x: -abs(np.log(x[1])))
    lines = ["| City | Change after October 2015 against the others (rate ratio) | 95% interval |", "|:--|--:|--:|"]
    lines += [f"| {n} | {rr:.2f} | {lo:.2f}–{hi:.2f} |" for n, rr, lo, hi in rows]
    return "\n".join(lines)
