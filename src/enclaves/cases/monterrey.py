"""Monterrey (INEGI 19039, Nuevo León): secession by the Rolodex.

All the logic of the Monterrey chapter lives here: the comparison sets, derived series, the
counterfactual runs (a synthetic control for the 2011 police reform and an interrupted time
series for the change of governor in October 2015), the chapter's charts and the evaluators of
claims M1, M2 and M3. Every number comes from :func:`enclaves.data.load`; every verdict comes
from the explicit thresholds defined below, never typed by hand.

Conventions: homicides are INEGI death records by year (or month) of occurrence, from 2000
(``year_basis == "occurrence"``); SESNSP crime counts are kept apart by instrument (``series``)
and unit (``incidents``/``victims``) and never spliced.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
from functools import cache, lru_cache

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats as sps

from .. import charts, claims, geo, series
from ..charts.theme import CASE_COLORS, NEUTRAL, STATE_COLORS
from ..data import load
from ..models import interrupted_time_series, leave_one_out, placebo_in_space, placebo_in_time, synthetic_control
from ..stats import add_rate_ci
from . import registry

SLUG = "monterrey"
CODE = geo.case_codes()[SLUG]                      # "19039"
STATE = "19"                                # Nuevo León
NATION = "00"
NAME = registry.get(SLUG).name

#: Neighbouring states drawn into the same Gulf–Zetas conflict (Coahuila, Tamaulipas, San Luis Potosí).
NEIGHBOUR_STATES = {"05": "Coahuila", "28": "Tamaulipas", "24": "San Luis Potosí"}

#: Key dates. Fuerza Civil was created in 2011; 2011 itself is the year of transition (and of the peak),
#: so the synthetic control treats 2012 as the first treated year and 2011 as a sensitivity check.
REFORM_YEAR = 2011
SC_START = 2012
SC_START_ALT = 2011
SC_FIRST, SC_LAST = 2000, 2015      # the reform regime ends with Medina's term (Oct 2015)
PIT_FAKE_START = 2009               # placebo in time: pretend the break came in 2009 (data to 2011)
GOVERNOR_BREAK = "2015-10"          # Jaime Rodríguez ("El Bronco") takes office
ITS_START, ITS_END = (2014, 1), (2021, 9)   # after the post-2012 fall levels off; to the end of his term
ITS_FAKE_BREAK = "2017-10"          # placebo date: two years into the new administration

#: Donor pool rule (checked against data/mappings/comparison_monterrey.csv by the tests).
DONOR_MIN_POP_2010 = 500_000

#: Periods for the claims.
M1_PEAK = (2011, 2012)      # reform rolled out at the peak of the war
M1_AFTER = (2013, 2014)     # reform in place; last years of the old SESNSP instrument
M1_PRE = (2008, 2010)       # before the reform
M2_PEAK_YEARS = (2011, 2012)
M2_END = 2015
M3_BASE = (2014, 2015)      # the low point, before the new governor's first full year
M3_POST = (2016, 2019)      # his first four full years (before the pandemic)
M3_POST_LONG = (2016, 2021)

#: Thresholds for verdicts (documented in the chapter).
FALL_RATIO = 0.8        # a measure "fell" if after/before ≤ 0.8 and the 95% interval lies below 1
RISE_RATIO = 1.25       # a measure "rose" if after/before ≥ 1.25 and the 95% interval lies above 1
GRADIENT_RHO = 0.5      # "especially in working-class suburbs": rank correlation ≥ 0.5 between
                        # marginalisation and the rise
MIN_COUNT = 10          # fewer events than this in a period: too few to test

BREAK_POP = [(2010, "Population base: 2010 census"), (2015, "Population base: 2015 survey")]
METRO_LABEL = "Metropolitan Monterrey (9 municipalities)"
REST_LABEL = "Rest of Mexico"


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


def donor_rule_codes() -> list[str]:
    """The donor pool recomputed from its rule: outside Nuevo León, ≥ 500,000 inhabitants in 2010,
    a complete 2000–2015 series, not another case of the book."""
    h = _homicides_annual()
    pop = h[h["year"] == 2010].set_index("mun_code")["population"].dropna()
    panel = h[h["year"].between(SC_FIRST, SC_LAST)].pivot(index="year", columns="mun_code",
                                                         values="homicide_rate")
    cases = set(geo.CASES.values())
    return sorted(c for c, p in pop.items() if p >= DONOR_MIN_POP_2010 and not c.startswith(STATE)
                  and c not in cases and c in panel and panel[c].notna().all()
                  and len(panel[c]) == SC_LAST - SC_FIRST + 1)


@lru_cache(maxsize=1)
def mun_names() -> dict[str, str]:
    m = _table("municipalities")
    return dict(zip(m["mun_code"], m["mun_name"], strict=True))


def short_name(code: str) -> str:
    n = mun_names()[code]
    return {"San Pedro Garza García": "San Pedro", "San Nicolás de los Garza": "San Nicolás",
            "General Escobedo": "Escobedo"}.get(n, n)


# ---------------------------------------------------------------------------------------------
# Small statistics
# ---------------------------------------------------------------------------------------------

def rate_ratio_ci(k1: float, n1: float, k0: float, n0: float, level: float = 0.95) -> tuple[float, float, float]:
    """Ratio of two Poisson rates (k1/n1) / (k0/n0) with its exact conditional interval.

    Given k1 + k0, k1 is binomial with p = n1·λ1 / (n1·λ1 + n0·λ0); the Clopper–Pearson interval
    for p maps to the rate ratio as p / (1 − p) · n0 / n1.
    """
    k1, k0, n1, n0 = float(k1), float(k0), float(n1), float(n0)
    if k0 == 0:
        return float("inf"), float("nan"), float("inf")
    a = 1 - level
    n = k1 + k0
    lo_p = sps.beta.ppf(a / 2, k1, n - k1 + 1) if k1 > 0 else 0.0
    hi_p = sps.beta.ppf(1 - a / 2, k1 + 1, n - k1) if k1 < n else 1.0
    scale = n0 / n1
    est = (k1 / n1) / (k0 / n0)
    lo = lo_p / (1 - lo_p) * scale
    hi = hi_p / (1 - hi_p) * scale if hi_p < 1 else float("inf")
    return float(est), float(lo), float(hi)


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


def metro_annual(first: int = 2000, last: int | None = None) -> pd.DataFrame:
    """Annual homicides, population and rate (with exact 95% interval) for the nine metro
    municipalities, with names and their CONAPO 2015 marginalisation rank within the metro."""
    h = _homicides_annual()
    d = h[h["mun_code"].isin(metro_codes()) & (h["year"] >= first)]
    if last is not None:
        d = d[d["year"] <= last]
    d = add_rate_ci(d.copy())
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
    d["homicide_rate"] = d["homicides"] / d["population"] * 1e5
    d = add_rate_ci(d)
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
# SESNSP crime
# ---------------------------------------------------------------------------------------------

CRIME_LABELS = {"secuestro": "Kidnapping", "extorsion": "Extortion", "homicidio_doloso": "Intentional homicide",
                "robo_vehiculo": "Vehicle theft"}
SERIES_LABELS = {("sesnsp_old", "incidents"): "Old, incidents",
                 ("sesnsp_old", "victims"): "Old, victims",
                 ("sesnsp_new", "incidents"): "New (2015–), incidents",
                 ("sesnsp_new", "victims"): "New (2015–), victims"}


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
    nl_nb["area"] = nl_nb["state_code"].map({STATE: "Nuevo León", **NEIGHBOUR_STATES})
    rest = a[(a["state_code"] != STATE) & a["population"].notna()].copy()
    rest["partial"] = (rest["months_covered"] < 12).astype(int)
    full_years = rest.groupby(["year", "crime", "series", "unit"])["months_covered"].max() == 12
    rest = (rest.dropna(subset=["value"]).groupby(["year", "crime", "series", "unit"], as_index=False)
            .agg(value=("value", "sum"), population=("population", "sum"), states=("state_code", "nunique"),
                 states_partial=("partial", "sum")))
    rest = rest[rest.set_index(["year", "crime", "series", "unit"]).index.map(full_years).fillna(False)]
    rest = rest.assign(area=REST_LABEL)
    d = pd.concat([nl_nb, rest], ignore_index=True)
    d["rate"] = d["value"] / d["population"] * 1e5
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
    codes = codes or [x for x in metro_codes() if x in set(c["mun_code"])]
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
    c = _table("crime_municipal_monthly")
    have = set(c["mun_code"])
    return [x for x in metro_codes() if x in have]


def insecurity() -> pd.DataFrame:
    """ENVIPE: share of adults who feel their state is unsafe, Nuevo León and the nation."""
    e = _table("envipe_state")
    d = e[(e["indicator"] == "insecurity_api") & e["state_code"].isin([STATE, NATION])].copy()
    d["area"] = d["state_code"].map({STATE: "Nuevo León", NATION: "Mexico (national)"})
    return d[["area", "year", "value"]].sort_values(["area", "year"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Politics
# ---------------------------------------------------------------------------------------------

def governors_table() -> pd.DataFrame:
    g = _table("governors")
    g = g[g["state_code"] == STATE][["start_year", "governor", "party", "nominating_parties"]].copy()
    g = g.rename(columns={"start_year": "Elected", "governor": "Governor", "party": "Party",
                          "nominating_parties": "Nominated by"})
    g["Governor"] = g["Governor"].str.title()
    g["Party"] = g["Party"].str.upper().replace({"INDEP": "Independent"})
    g["Nominated by"] = g["Nominated by"].str.upper().replace({"INDEP": "Independent"})
    return g.reset_index(drop=True)


def mayors_table(first: int = 2000) -> pd.DataFrame:
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


@contextlib.contextmanager
def blas_single_thread():
    """Run the enclosed code with OpenBLAS (numpy's and scipy's bundled copies) on one thread.

    The synthetic control solves many tiny quadratic programmes; on a busy machine OpenBLAS's worker
    threads make each solve about ten times slower. Restores the previous setting on exit; does
    nothing where the libraries cannot be found. (Generic: a candidate for enclaves.models.)
    """
    handles = []
    try:
        for pkg in (np, __import__("scipy")):
            libdir = os.path.join(os.path.dirname(os.path.dirname(pkg.__file__)), pkg.__name__ + ".libs")
            for path in glob.glob(os.path.join(libdir, "*openblas*.so*")):
                lib = ctypes.CDLL(path)
                for suffix in ("64_", ""):
                    get = getattr(lib, f"scipy_openblas_get_num_threads{suffix}", None)
                    set_ = getattr(lib, f"scipy_openblas_set_num_threads{suffix}", None)
                    if get is not None and set_ is not None:
                        handles.append((set_, int(get())))
                        set_(ctypes.c_int(1))
                        break
    except (OSError, AttributeError):
        pass
    try:
        yield
    finally:
        for set_, n in handles:
            set_(ctypes.c_int(n))


@lru_cache(maxsize=1)
def synth_analysis() -> dict:
    """The synthetic control and its checks (cached within a session; under 20 seconds)."""
    panel = synth_panel()
    donors = donor_codes()
    with blas_single_thread():
        main = placebo_in_space(panel, CODE, SC_START, donors)
        gaps = main.placebo_gaps
        alt_start = synthetic_control(panel, CODE, SC_START_ALT, donors)
        no_nb = synthetic_control(panel, CODE, SC_START, donor_codes(exclude_neighbours=True))
        loo = leave_one_out(panel, CODE, SC_START, donors)
        pit = placebo_in_time(panel, CODE, PIT_FAKE_START, donors, end=SC_START - 1)
    loo["name"] = loo["dropped"].map(lambda c: mun_names().get(c, c))
    return {"main": main, "alt_start": alt_start, "no_neighbours": no_nb, "loo": loo, "pit": pit,
            "donors": donors, "placebo_gaps": gaps}


def synth_numbers() -> dict:
    """Plain numbers from :func:`synth_analysis` for glue."""
    s = synth_analysis()
    m, a, nb, pit, loo = s["main"], s["alt_start"], s["no_neighbours"], s["pit"], s["loo"]
    w = m.top_weights(0.01)
    names = [mun_names()[c] for c in w.index]
    post = m.gap[m.gap.index >= SC_START]
    return {
        "n_donors": len(s["donors"]),
        "att": m.att, "pre_rmspe": m.pre_rmspe, "post_rmspe": m.post_rmspe, "ratio": m.ratio,
        "p_value": m.p_value, "n_placebos": len(m.placebo),
        "rank": int((m.placebo["ratio"] >= m.ratio).sum() + 1), "n_units": len(m.placebo) + 1,
        "top1_name": names[0], "top1_weight": float(w.iloc[0]),
        "top2_name": names[1] if len(names) > 1 else "", "top2_weight": float(w.iloc[1]) if len(w) > 1 else 0.0,
        "n_weights": len(w),
        "gap_2015": float(post.loc[SC_LAST]), "gap_2012": float(post.loc[SC_START]),
        "actual_2011": float(m.actual.loc[2011]), "synth_2011": float(m.synthetic.loc[2011]),
        "actual_2015": float(m.actual.loc[SC_LAST]), "synth_2015": float(m.synthetic.loc[SC_LAST]),
        "alt_att": a.att, "alt_pre_rmspe": a.pre_rmspe, "alt_ratio": a.ratio,
        "alt_gap_2011": float(a.gap.loc[2011]),
        "nb_att": nb.att, "nb_ratio": nb.ratio, "nb_pre_rmspe": nb.pre_rmspe,
        "nb_n": len(donor_codes(exclude_neighbours=True)),
        "loo_min": float(loo["att"].min()), "loo_max": float(loo["att"].max()),
        "pit_att": pit.att, "pit_pre_rmspe": pit.pre_rmspe, "pit_ratio": pit.ratio,
        "median_placebo_pre_rmspe": float(m.placebo["pre_rmspe"].median()),
    }


# ---------------------------------------------------------------------------------------------
# Counterfactual 2: interrupted time series at the change of governor
# ---------------------------------------------------------------------------------------------

def its_run(codes: list[str] | None = None, start: tuple[int, int] = ITS_START, end: tuple[int, int] = ITS_END,
            drop: list[tuple[int, int]] | None = None):
    """Negative-binomial ITS with month-of-year seasonality on monthly homicides summed over
    ``codes`` (default Monterrey), break in October 2015."""
    d = monthly_homicides(codes or [CODE], start, end)
    if drop:
        keep = ~pd.Series(list(zip(d["year"], d["month"], strict=True))).isin(drop).to_numpy()
        d = d[keep]
    return interrupted_time_series(d, "homicides", GOVERNOR_BREAK)


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


def its_fitted() -> pd.DataFrame:
    """Observed, fitted and no-break counterfactual for the main Monterrey run."""
    r = its_run()
    f = r.fitted()
    f["t"] = f["year"] + (f["month"] - 0.5) / 12
    return f[["year", "month", "t", "homicides", "fitted", "counterfactual", "post"]]


# ---------------------------------------------------------------------------------------------
# Claim M3: the metro after 2015, ranked by marginalisation
# ---------------------------------------------------------------------------------------------

def metro_change(base: tuple[int, int] = M3_BASE, post: tuple[int, int] = M3_POST) -> pd.DataFrame:
    """Per metro municipality: homicides and rates in the base and post periods, the rate ratio with
    its exact interval, the absolute change, and the marginalisation rank inside the metro."""
    mg = metro_marginalisation().set_index("mun_code")
    rows = []
    for c in metro_codes():
        k0, n0 = period_counts([c], base)
        k1, n1 = period_counts([c], post)
        est, lo, hi = rate_ratio_ci(k1, n1, k0, n0)
        rows.append({"mun_code": c, "area": short_name(c), "metro_rank": int(mg.loc[c, "metro_rank"]),
                     "base_homicides": k0, "post_homicides": k1, "base_rate": k0 / n0 * 1e5,
                     "post_rate": k1 / n1 * 1e5, "ratio": est, "ratio_low": lo, "ratio_high": hi})
    d = pd.DataFrame(rows)
    d["change"] = d["post_rate"] - d["base_rate"]
    d["label"] = [f"{a} (rank {r})" for a, r in zip(d["area"], d["metro_rank"], strict=True)]
    return d.sort_values("metro_rank").reset_index(drop=True)


def _group_ratio(codes: list[str], base, post) -> tuple[float, float, float, int, int]:
    k0, n0 = period_counts(codes, base)
    k1, n1 = period_counts(codes, post)
    est, lo, hi = rate_ratio_ci(k1, n1, k0, n0)
    return est, lo, hi, k0, k1


# ---------------------------------------------------------------------------------------------
# Claim evaluators
# ---------------------------------------------------------------------------------------------

def m1_numbers() -> dict:
    """Kidnapping (SESNSP old instrument, incidents) in Nuevo León vs the rest of Mexico."""
    d = state_crime_rates(("secuestro",))
    d = d[(d["series"] == "sesnsp_old") & (d["unit"] == "incidents")]

    def tot(area, years):
        x = d[(d["area"] == area) & d["year"].between(*years)]
        return float(x["value"].sum()), float(x["population"].sum()), int(x["year"].nunique())

    k_pk, n_pk, y_pk = tot("Nuevo León", M1_PEAK)
    k_af, n_af, y_af = tot("Nuevo León", M1_AFTER)
    k_pre, n_pre, y_pre = tot("Nuevo León", M1_PRE)
    r_pk, rn_pk, _ = tot(REST_LABEL, M1_PEAK)
    r_af, rn_af, _ = tot(REST_LABEL, M1_AFTER)
    nl = rate_ratio_ci(k_af, n_af, k_pk, n_pk)
    rest = rate_ratio_ci(r_af, rn_af, r_pk, rn_pk)
    rr = ratio_of_ratios_ci(k_af, k_pk, r_af, r_pk, (n_af, n_pk), (rn_af, rn_pk))
    vs_pre = rate_ratio_ci(k_af, n_af, k_pre, n_pre)
    new = state_crime_rates(("secuestro",))
    d_new = new[(new["series"] == "sesnsp_new") & (new["unit"] == "incidents") & (new["area"] == "Nuevo León")]
    partial = int(d[(d["area"] == REST_LABEL) & d["year"].between(M1_PEAK[0], M1_AFTER[1])]["states_partial"].sum())
    return {
        "nl_peak_count": k_pk, "nl_after_count": k_af, "nl_pre_count": k_pre,
        "nl_peak_per_year": k_pk / y_pk, "nl_after_per_year": k_af / y_af, "nl_pre_per_year": k_pre / y_pre,
        "nl_peak_rate": k_pk / n_pk * 1e5, "nl_after_rate": k_af / n_af * 1e5, "nl_pre_rate": k_pre / n_pre * 1e5,
        "nl_ratio": nl[0], "nl_ratio_low": nl[1], "nl_ratio_high": nl[2],
        "rest_ratio": rest[0], "rest_ratio_low": rest[1], "rest_ratio_high": rest[2],
        "rest_peak_rate": r_pk / rn_pk * 1e5, "rest_after_rate": r_af / rn_af * 1e5,
        "rr": rr[0], "rr_low": rr[1], "rr_high": rr[2],
        "vs_pre": vs_pre[0], "vs_pre_low": vs_pre[1], "vs_pre_high": vs_pre[2],
        "nl_new_2015_2019_per_year": float(d_new[d_new["year"].between(2015, 2019)]["value"].mean()),
        "rest_states_partial": partial,
    }


@claims.evaluator("M1")
def evaluate_m1() -> claims.Verdict:
    """M1 — the business-backed reform cut kidnapping.

    Rule: *supported* if Nuevo León's kidnapping rate in 2013–2014 is at most 0.8 times its
    2011–2012 rate with a 95% interval below 1, it fell relative to the rest of Mexico (interval of
    the ratio of ratios below 1) and it is back at or below its pre-reform (2008–2010) rate;
    *partly supported* if the point estimates fall both in absolute terms and relative to the rest
    of Mexico but not all of the above hold; *not supported* otherwise; *cannot be tested* with
    fewer than MIN_COUNT kidnappings in either period.
    """
    n = m1_numbers()
    if min(n["nl_peak_count"], n["nl_after_count"]) < MIN_COUNT:
        verdict = "cannot be tested with these data"
    elif (n["nl_ratio"] <= FALL_RATIO and n["nl_ratio_high"] < 1 and n["rr_high"] < 1 and n["vs_pre"] <= 1):
        verdict = "supported"
    elif n["nl_ratio"] < 1 and n["rr"] < 1:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    ev = (f"Reported kidnappings in Nuevo León fell from {n['nl_peak_per_year']:.0f} a year in 2011–2012 to "
          f"{n['nl_after_per_year']:.0f} in 2013–2014 (rate ratio {n['nl_ratio']:.2f}, 95% interval "
          f"{n['nl_ratio_low']:.2f}–{n['nl_ratio_high']:.2f}) while the rest of Mexico rose (ratio "
          f"{n['rest_ratio']:.2f}); but the counts are small and stayed above the pre-reform level of "
          f"{n['nl_pre_per_year']:.0f} a year.")
    return claims.Verdict("M1", verdict, float(n["nl_ratio"]),
                          "Rate ratio of reported kidnappings in Nuevo León, 2013–2014 vs 2011–2012", ev, n)


def m2_measures() -> pd.DataFrame:
    """Each crime measure for Monterrey: peak year in 2011–2012, its value, 2015's value, the ratio
    with its exact interval and the classification (fell / rose / no clear change)."""
    rows = []
    h = _homicides_annual()
    mty = h[h["mun_code"] == CODE].set_index("year")
    pk = max(M2_PEAK_YEARS, key=lambda y: mty.loc[y, "homicide_rate"])
    est, lo, hi = rate_ratio_ci(mty.loc[M2_END, "homicides"], mty.loc[M2_END, "population"],
                                mty.loc[pk, "homicides"], mty.loc[pk, "population"])
    rows.append({"measure": "Homicides (INEGI death records), Monterrey", "source": "INEGI", "peak_year": pk,
                 "peak": float(mty.loc[pk, "homicides"]), "end": float(mty.loc[M2_END, "homicides"]),
                 "ratio": est, "low": lo, "high": hi})
    rest = metro_codes(include_case=False)
    sub = h[h["mun_code"].isin(rest)].groupby("year")[["homicides", "population"]].sum()
    pk2 = max(M2_PEAK_YEARS, key=lambda y: sub.loc[y, "homicides"] / sub.loc[y, "population"])
    est, lo, hi = rate_ratio_ci(sub.loc[M2_END, "homicides"], sub.loc[M2_END, "population"],
                                sub.loc[pk2, "homicides"], sub.loc[pk2, "population"])
    rows.append({"measure": "Homicides (INEGI), the eight other metro municipalities", "source": "INEGI",
                 "peak_year": pk2, "peak": float(sub.loc[pk2, "homicides"]), "end": float(sub.loc[M2_END, "homicides"]),
                 "ratio": est, "low": lo, "high": hi})
    cc = city_crimes([CODE]).set_index(["crime", "year"])["value"]
    for crime in ("homicidio_doloso", "secuestro", "extorsion", "robo_vehiculo"):
        pk3 = max(M2_PEAK_YEARS, key=lambda y, c=crime: cc.loc[(c, y)])
        k1, k0 = float(cc.loc[(crime, M2_END)]), float(cc.loc[(crime, pk3)])
        est, lo, hi = rate_ratio_ci(k1, 1.0, k0, 1.0)
        rows.append({"measure": f"{CRIME_LABELS[crime]} (SESNSP files opened), Monterrey", "source": "SESNSP",
                     "peak_year": pk3, "peak": k0, "end": k1, "ratio": est, "low": lo, "high": hi})
    d = pd.DataFrame(rows)
    d["change_pct"] = (d["ratio"] - 1) * 100
    d["result"] = [classify_change(e, lo, hi) for e, lo, hi in zip(d["ratio"], d["low"], d["high"], strict=True)]
    return d


@claims.evaluator("M2")
def evaluate_m2() -> claims.Verdict:
    """M2 — crime fell across Monterrey after the reform.

    Each measure (homicide in Monterrey and in the rest of the metro from death records; SESNSP
    homicide, kidnapping, extortion and vehicle theft in Monterrey) compares 2015 with the higher of
    2011 and 2012 and is classified by :func:`classify_change`. Rule: *supported* if every measure
    fell; *partly supported* if at least half fell; *not supported* otherwise.
    """
    d = m2_measures()
    fell = int((d["result"] == "fell").sum())
    rose = d.loc[d["result"] == "rose", "measure"].tolist()
    if fell == len(d):
        verdict = "supported"
    elif fell >= len(d) / 2:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    hom = d.iloc[0]
    ext = d[d["measure"].str.startswith("Extortion")].iloc[0]
    kid = d[d["measure"].str.startswith("Kidnapping")].iloc[0]
    ev = (f"{fell} of {len(d)} measures fell by the rule; Monterrey's homicides fell "
          f"{-hom['change_pct']:.0f}% from {hom['peak_year']} to 2015, but reported extortion rose "
          f"from {ext['peak']:.0f} to {ext['end']:.0f} cases.")
    numbers = {"fell": fell, "n_measures": len(d), "rose": rose,
               "hom_change_pct": float(hom["change_pct"]), "hom_peak_year": int(hom["peak_year"]),
               "hom_peak": float(hom["peak"]), "hom_end": float(hom["end"]),
               "ext_peak": float(ext["peak"]), "ext_end": float(ext["end"]), "ext_ratio": float(ext["ratio"]),
               "ext_low": float(ext["low"]), "kid_peak": float(kid["peak"]), "kid_end": float(kid["end"]),
               "kid_ratio": float(kid["ratio"]), "kid_high": float(kid["high"])}
    for i, r in d.iterrows():
        numbers[f"m{i}_change_pct"] = float(r["change_pct"])
    return claims.Verdict("M2", verdict, float(hom["change_pct"]),
                          "Change in Monterrey's homicide rate from its 2011–2012 peak to 2015 (%)", ev, numbers)


def m3_numbers() -> dict:
    d = metro_change()
    k0, n0 = period_counts(metro_codes(), M3_BASE)
    k1, n1 = period_counts(metro_codes(), M3_POST)
    metro = rate_ratio_ci(k1, n1, k0, n0)
    # marginalisation gradient: rank 1 = most marginalised, so a rise concentrated in poorer places
    # means a NEGATIVE correlation between rank and ratio; we report it as rho(marginalisation, rise)
    rho_ratio = -float(sps.spearmanr(d["metro_rank"], d["ratio"]).statistic)
    rho_change = -float(sps.spearmanr(d["metro_rank"], d["change"]).statistic)
    poor = d[d["metro_rank"] <= 4]["mun_code"].tolist()
    rich = d[d["metro_rank"] >= 7]["mun_code"].tolist()
    named = ["19006", "19021", "19031", "19026"]         # suburbs the issue calls working-class
    gp, gr, gn = (_group_ratio(x, M3_BASE, M3_POST) for x in (poor, rich, named))
    sp = d[d["mun_code"] == "19019"].iloc[0]
    post_rates = d.set_index("mun_code")["post_rate"]
    nat = series.state_homicide_rates([NATION])
    nat = nat[nat["year"].between(*M3_POST)]
    nat_rate = float(nat["homicides"].sum() / nat["population"].sum() * 1e5)
    long_ = metro_change(M3_BASE, M3_POST_LONG)
    return {
        "metro_ratio": metro[0], "metro_low": metro[1], "metro_high": metro[2],
        "metro_base_rate": k0 / n0 * 1e5, "metro_post_rate": k1 / n1 * 1e5,
        "rho_ratio": rho_ratio, "rho_change": rho_change,
        "poor_ratio": gp[0], "poor_low": gp[1], "poor_high": gp[2],
        "rich_ratio": gr[0], "rich_low": gr[1], "rich_high": gr[2],
        "named_ratio": gn[0], "named_low": gn[1], "named_high": gn[2],
        "sp_base_count": int(sp["base_homicides"]), "sp_post_count": int(sp["post_homicides"]),
        "sp_base_rate": float(sp["base_rate"]), "sp_post_rate": float(sp["post_rate"]),
        "sp_ratio": float(sp["ratio"]), "sp_low": float(sp["ratio_low"]), "sp_high": float(sp["ratio_high"]),
        "sp_post_rank": int((post_rates < post_rates["19019"]).sum() + 1),
        "nat_post_rate": nat_rate,
        "max_ratio_area": str(d.loc[d["ratio"].idxmax(), "area"]), "max_ratio": float(d["ratio"].max()),
        "min_ratio_area": str(d.loc[d["ratio"].idxmin(), "area"]), "min_ratio": float(d["ratio"].min()),
        "rho_ratio_long": -float(sps.spearmanr(long_["metro_rank"], long_["ratio"]).statistic),
    }


@claims.evaluator("M3")
def evaluate_m3() -> claims.Verdict:
    """M3 — after late 2015 crime came back, above all in working-class suburbs, while wealthy areas
    stayed safe.

    Three parts, with homicide rates 2016–2019 against 2014–2015:
    (a) *came back*: the metro's rate ratio ≥ RISE_RATIO with its interval above 1;
    (b) *above all in working-class suburbs*: Spearman correlation between marginalisation and the
    rise (rate ratio) ≥ GRADIENT_RHO across the nine municipalities;
    (c) *wealthy areas stayed safe*: San Pedro Garza García's post-2015 rate is the lowest or second
    lowest of the nine and below the national rate.
    Rule: *supported* if (a), (b) and (c); *partly supported* if (a) but not both (b) and (c);
    *not supported* if not (a).
    """
    n = m3_numbers()
    came_back = n["metro_ratio"] >= RISE_RATIO and n["metro_low"] > 1
    gradient = n["rho_ratio"] >= GRADIENT_RHO
    rich_safe = n["sp_post_rank"] <= 2 and n["sp_post_rate"] < n["nat_post_rate"]
    if came_back and gradient and rich_safe:
        verdict = "supported"
    elif came_back:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    n.update({"came_back": came_back, "gradient": gradient, "rich_safe": rich_safe})
    ev = (f"The metro's homicide rate rose by a factor of {n['metro_ratio']:.2f} (2016–2019 vs 2014–2015), "
          f"but the rise was not concentrated in the more marginalised municipalities (rank correlation "
          f"{n['rho_ratio']:.2f}); wealthy San Pedro stayed among the safest but its count also rose, "
          f"from {n['sp_base_count']} to {n['sp_post_count']} homicides.")
    return claims.Verdict("M3", verdict, float(n["metro_ratio"]),
                          "Rate ratio of homicides in metropolitan Monterrey, 2016–2019 vs 2014–2015", ev, n)


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------

EVENTS = pd.DataFrame([
    (2006.95, "Federal offensive"),
    (2009.75, "Medina (PRI) governor"),
    (2011.0, "Fuerza Civil"),
    (2011.65, "Casino Royale attack"),
    (2015.75, "Rodríguez (independent)"),
    (2018.95, "Mayoral rerun"),
    (2021.75, "García (MC)"),
], columns=["date", "event"])


def _areas_scale(names) -> alt.Scale:
    fixed = {NAME: CASE_COLORS[NAME], "Nuevo León": STATE_COLORS["Nuevo León"],
             "Mexico (national)": NEUTRAL["national"], METRO_LABEL: "#c17d11", REST_LABEL: NEUTRAL["national"]}
    greys = ["#c17d11", "#5e3c99", "#1b9e77", "#9e9e9e", "#7a7a7a"]
    dom = list(dict.fromkeys(names))
    rng, k = [], 0
    for n in dom:
        if n in fixed:
            rng.append(fixed[n])
        else:
            rng.append(greys[k % len(greys)])
            k += 1
    return alt.Scale(domain=dom, range=rng)


def chart_timeline() -> alt.LayerChart:
    d = area_rates(2000)
    last = int(d.loc[d["area"] == NAME, "year"].max())
    d = d[d["area"].isin([NAME, "Nuevo León", "Mexico (national)"]) & (d["year"] <= last)]
    d = d[["year", "area", "homicide_rate", "homicides"]]
    return charts.timeline(
        d, EVENTS, color="area", color_scale=_areas_scale([NAME, "Nuevo León", "Mexico (national)"]),
        title="Monterrey's homicide rate and the events of the case",
        y_title="Homicides per 100,000 inhabitants",
        description=("Timeline chart: annual homicide rates per 100,000 inhabitants for Monterrey, Nuevo León "
                     f"and Mexico from {d['year'].min()} to {last}, with dashed vertical rules for key events: the "
                     "federal offensive of December 2006, Rodrigo Medina taking office in 2009, the creation of "
                     "Fuerza Civil in 2011, the Casino Royale attack of August 2011, Jaime Rodríguez taking office "
                     "in October 2015, the Monterrey mayoral rerun of December 2018 and Samuel García taking office "
                     f"in 2021. {_timeline_summary(d)}"))


def _timeline_summary(d: pd.DataFrame) -> str:
    """Words for the timeline's description, computed from Monterrey's plotted annual rates."""
    r = d[d["area"] == NAME].set_index("year")["homicide_rate"].astype(float)
    peak_year = int(r.idxmax())
    low_year = int(r.loc[peak_year:].idxmin())
    back_from = 2018  # the year of the mayoral rerun
    back = r.loc[back_from:]
    return (f"Monterrey's rate is low until 2009, jumps to {r[peak_year]:.0f} per 100,000 in {peak_year}, falls "
            f"to {r[low_year]:.0f} in {low_year} and is back between {back.min():.0f} and {back.max():.0f} from "
            f"{back_from} to {int(back.index.max())}.")


def chart_escalation() -> alt.LayerChart:
    """Monthly homicides 2005–2013: Monterrey and the other eight metro municipalities."""
    a = monthly_homicides([CODE], (2005, 1), (2013, 12)).assign(area=NAME)
    b = monthly_homicides(metro_codes(include_case=False), (2005, 1), (2013, 12)).assign(
        area="Other eight metro municipalities")
    d = pd.concat([a, b], ignore_index=True)[["t", "year", "month", "homicides", "area"]]
    return charts.line_with_breaks(
        d, x="t", y="homicides", color="area", color_title="Area",
        color_scale=_areas_scale([NAME, "Other eight metro municipalities"]),
        y_title="Homicides per month (deaths)", x_title="Year (monthly)",
        title="The war arrives: monthly homicides in metropolitan Monterrey, 2005–2013",
        subtitle="Click a legend entry to highlight it",
        description=("Line chart of monthly homicide counts from January 2005 to December 2013 for Monterrey "
                     "and for the other eight municipalities of the metropolitan area combined. "
                     f"{_escalation_summary(d)} Dashed rules mark early 2010 and 2011."),
        breaks=[(2010.1, "Gulf–Zetas split (early 2010)"), (2011.0, "Fuerza Civil (2011)")],
        tooltip=[charts.tip("area", "Area"), charts.tip("year", "Year", "d"), charts.tip("month", "Month", "d"),
                 charts.tip("homicides", "Homicides", ",")], y_format=",d")


def _month(row: pd.Series) -> str:
    return pd.Timestamp(year=int(row["year"]), month=int(row["month"]), day=1).strftime("%B %Y")


def _escalation_summary(d: pd.DataFrame) -> str:
    """Words for the escalation chart's description, computed from the plotted monthly counts."""
    calm_until = 2009
    before = int(d.loc[d["year"] < calm_until, "homicides"].max())
    peaks = {a: g.loc[g["homicides"].astype(int).idxmax()] for a, g in d.groupby("area")}
    mty, rest = peaks.pop(NAME), next(iter(peaks.values()))
    return (f"Neither has more than {before} homicides in any month before {calm_until}; both climb "
            f"through 2010 and peak in 2011, Monterrey at {int(mty['homicides'])} in {_month(mty)} and the other "
            f"eight combined at {int(rest['homicides'])} in {_month(rest)}, then fall through 2012 and 2013.")


def chart_kidnapping_states() -> alt.LayerChart:
    """Annual kidnapping and extortion rates: Nuevo León, neighbours, rest of Mexico; dropdown for the
    crime, legend selection for the area, line dash for the instrument/unit."""
    d = state_crime_rates(("secuestro", "extorsion"))
    d = d[(d["year"] >= 2000) & (d["unit"] == "incidents")].copy()
    d["series_label"] = d["series"].map({"sesnsp_old": "Old instrument", "sesnsp_new": "New instrument (2015–)"})
    d = d[["area", "year", "crime_label", "series_label", "value", "rate", "states_partial"]]
    pick = alt.param(name="pick_crime", value="Kidnapping",
                     bind=alt.binding_select(options=["Kidnapping", "Extortion"], name="Crime "))
    sel = alt.selection_point(fields=["area"], bind="legend")
    areas = ["Nuevo León", *NEIGHBOUR_STATES.values(), REST_LABEL]
    scale = alt.Scale(domain=areas, range=[STATE_COLORS["Nuevo León"], "#c17d11", "#5e3c99", "#1b9e77",
                                           NEUTRAL["national"]])
    base = alt.Chart(d).transform_filter("datum.crime_label == pick_crime")
    enc = {"x": alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
           "y": alt.Y("rate:Q", title="Reported cases per 100,000 inhabitants"),
           "color": alt.Color("area:N", title="Area", scale=scale,
                              legend=alt.Legend(orient="right", direction="vertical")),
           "strokeDash": alt.StrokeDash("series_label:N", title="SESNSP series",
                                        legend=alt.Legend(orient="right", direction="vertical")),
           "detail": "series_label:N",
           "opacity": alt.condition(sel, alt.value(1.0), alt.value(0.15)),
           "tooltip": [charts.tip("area", "Area"), charts.tip("crime_label", "Crime"),
                       charts.tip("series_label", "Series"), charts.tip("year", "Year", "d"),
                       charts.tip("value", "Cases", ","), charts.tip("rate", "Per 100,000", ".2f")]}
    lines = base.mark_line().encode(**enc).add_params(pick, sel)
    pts = base.mark_point(size=18).encode(**{k: v for k, v in enc.items() if k != "strokeDash"})
    brk = charts.breaks_layer([(2011, "Reforms (2011)"), (2015, "SESNSP new instrument (2015)")])
    return alt.layer(lines, pts, brk).properties(
        width=400,
        title=alt.Title("Kidnapping and extortion reported to prosecutors",
                        subtitle="Pick the crime in the menu; click a legend entry to highlight an area"),
        description=("Line chart of reported kidnappings (or, chosen from a menu, extortions) per 100,000 "
                     "inhabitants by year, 2000 onwards, for Nuevo León, Coahuila, Tamaulipas, San Luis Potosí "
                     "and the rest of Mexico, counting files opened (incidents). One line style is the old SESNSP "
                     "instrument (to 2014), the other the new instrument from 2015; they are not joined. "
                     f"{_kidnapping_states_summary(d)}"))


def _kidnapping_states_summary(d: pd.DataFrame) -> str:
    """Words for the state kidnapping chart's description, computed from the plotted rates."""
    def rates(area: str, crime: str) -> pd.Series:
        x = d[(d["area"] == area) & (d["crime_label"] == crime)]
        return x.set_index(x["year"].astype(int))["rate"].astype(float)

    kid, ext = rates("Nuevo León", "Kidnapping"), rates("Nuevo León", "Extortion")
    tam = rates(NEIGHBOUR_STATES["28"], "Kidnapping")
    y0, y1 = 2011, 2014  # the reforms, and the old instrument's last year
    return (f"Nuevo León's kidnapping rate rises from near zero to {kid.max():.1f} per 100,000 in "
            f"{int(kid.idxmax())} and falls after; {NEIGHBOUR_STATES['28']} is far higher, up to {tam.max():.1f} "
            f"in {int(tam.idxmax())}. Nuevo León's extortion rate climbs steeply, from {ext[y0]:.1f} in {y0} to "
            f"{ext[y1]:.1f} in {y1}.")


def chart_kidnapping_monthly() -> alt.LayerChart:
    full = nl_monthly_kidnapping()
    d = full[["t", "year", "month", "series_label", "value"]]
    return charts.line_with_breaks(
        d, x="t", y="value", color="series_label", color_title="SESNSP series",
        y_title="Kidnappings per month (cases)", x_title="Year (monthly)",
        title="Kidnapping in Nuevo León, month by month, 1997–2025",
        subtitle="Four SESNSP series kept apart; click a legend entry to highlight one",
        description=("Line chart of monthly kidnapping counts reported in Nuevo León from January 1997, in four "
                     "separate SESNSP series: old-instrument incidents (1997–2014), old-instrument victims "
                     "(2015–March 2016), new-instrument incidents (2015–May 2022) and new-instrument victims "
                     f"(2015–2025). {_kidnapping_monthly_summary(full)} Dashed rules mark the 2011 reforms and the "
                     "2015 change of instrument."),
        breaks=[(2011.0, "Reforms (2011)"), (2015.0, "SESNSP new instrument (2015)")],
        tooltip=[charts.tip("series_label", "Series"), charts.tip("year", "Year", "d"),
                 charts.tip("month", "Month", "d"), charts.tip("value", "Kidnappings", ",")], y_format=",d")


def _kidnapping_monthly_summary(d: pd.DataFrame) -> str:
    """Words for the monthly kidnapping chart's description, computed from the plotted counts."""
    v = d["value"].astype(int)
    usual = int(v.quantile(0.9))
    y0, y1 = 2011, 2013
    burst = int(v[d["year"].between(y0, y1)].max())
    top = d.loc[v.idxmax()]
    series = f"{'old' if top['series'] == 'sesnsp_old' else 'new'}-instrument {top['unit']}"
    return (f"Counts are small: {(v <= usual).mean():.0%} of the monthly counts are {usual} or fewer. They reach "
            f"{burst} a month in {y0}–{y1}; the highest month is {_month(top)}, with {int(top['value'])} "
            f"{series}.")


def chart_city_crimes() -> alt.LayerChart:
    """SESNSP crimes 2011–2015 in the metro municipalities of the 69-city file, index 2011 = 100,
    with a dropdown for the municipality."""
    d = city_crimes()[["area", "year", "crime_label", "value", "index_2011"]]
    opts = [short_name(c) for c in city_crime_codes()]
    pick = alt.param(name="pick_mun", value=NAME, bind=alt.binding_select(options=opts, name="Municipality "))
    base = alt.Chart(d).transform_filter("datum.area == pick_mun")
    enc = {"x": alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1)),
           "y": alt.Y("index_2011:Q", title="Cases reported (2011 = 100, log scale)",
                      scale=alt.Scale(type="log")),
           "color": alt.Color("crime_label:N", title="Crime",
                              legend=alt.Legend(orient="right", direction="vertical")),
           "tooltip": [charts.tip("area", "Municipality"), charts.tip("crime_label", "Crime"),
                       charts.tip("year", "Year", "d"), charts.tip("value", "Cases", ","),
                       charts.tip("index_2011", "Index (2011 = 100)", ".0f")]}
    lines = base.mark_line().encode(**enc).add_params(pick)
    pts = base.mark_point().encode(**enc)
    rule = alt.Chart(pd.DataFrame({"y": [100]})).mark_rule(color=NEUTRAL["light"]).encode(y="y:Q")
    return alt.layer(rule, lines, pts).properties(
        width=400,
        title=alt.Title("Four crimes in Monterrey and two suburbs, 2011–2015",
                        subtitle="SESNSP files opened (old instrument), 2011 = 100; pick a municipality"),
        description=("Line chart on a log scale of SESNSP cases reported each year from 2011 to 2015, indexed "
                     "to 2011 = 100, for intentional homicide, kidnapping, extortion and vehicle theft, in "
                     "Monterrey (default) or, from a menu, Apodaca or Guadalupe. In Monterrey homicide, "
                     "kidnapping and vehicle theft fall to between a tenth and a fifth of their 2011 level by "
                     "2015, while extortion rises to about eight times its 2011 level."))


def chart_metro_rates() -> alt.LayerChart:
    d = metro_annual(2005)
    d = d[["area", "year", "homicides", "population", "homicide_rate", "rate_low", "rate_high", "metro_rank"]]
    order = d.drop_duplicates("area").sort_values("metro_rank")["area"].tolist()
    palette = ["#8c2d04", "#d94801", "#f08c3c", "#a6761d", "#7a7a7a", CASE_COLORS[NAME], "#9e9ac8", "#6a51a3",
               "#3f007d"]
    scale = alt.Scale(domain=order, range=palette[:len(order)])
    return charts.rate_with_interval(
        d, color="area", color_scale=scale, color_title="Municipality",
        title="Homicide rates in the nine municipalities of metropolitan Monterrey",
        subtitle="Most to least marginalised; bands: exact 95% intervals; click the legend",
        y_title="Homicides per 100,000 inhabitants",
        description=("Line chart with interval bands of annual homicide rates per 100,000 from 2005 to 2021 for "
                     "the nine municipalities of metropolitan Monterrey, coloured from the most marginalised "
                     "(Juárez, oranges) to the least (San Pedro Garza García, purples). All peak in 2010–2012, "
                     "fall to lows in 2014–2015 and rise again after 2016; Monterrey stays the highest after "
                     "2016. San Pedro's band is wide because its counts are small. Dashed rules mark the "
                     "population-base changes of 2010 and 2015 and the change of governor."),
        breaks=[*BREAK_POP, (2015.75, "New governor (Oct 2015)")],
        tooltip=[charts.tip("area", "Municipality"), charts.tip("year", "Year", "d"),
                 charts.tip("homicides", "Homicides", ","), charts.tip("homicide_rate", "Rate per 100,000", ".1f"),
                 charts.tip("rate_low", "95% interval, low", ".1f"),
                 charts.tip("rate_high", "95% interval, high", ".1f"),
                 charts.tip("metro_rank", "Marginalisation rank in metro", "d")]).configure_legend(columns=5)


def chart_synth() -> alt.LayerChart:
    m = synth_analysis()["main"]
    d = m.frame()
    d["series"] = d["series"].map({"actual": "Monterrey (actual)", "synthetic": "Synthetic Monterrey"})
    scale = alt.Scale(domain=["Monterrey (actual)", "Synthetic Monterrey"], range=[CASE_COLORS[NAME], "#9e9e9e"])
    return charts.line_with_breaks(
        d, x="year", y="value", color="series", color_title="Series", color_scale=scale,
        y_title="Homicides per 100,000 inhabitants",
        title="Monterrey against its synthetic control, 2000–2015",
        subtitle="Weights fitted on 2000–2011; 2012 is the first treated year",
        description=("Line chart comparing Monterrey's annual homicide rate per 100,000 with a weighted average "
                     "of large municipalities elsewhere in Mexico (the synthetic control), 2000 to 2015. The "
                     "synthetic line follows Monterrey loosely before 2012, misses much of its 2010–2011 surge, "
                     "and falls with it after 2012; the two end close together in 2014–2015."),
        breaks=[(SC_START, "First treated year (2012)"), (REFORM_YEAR, "Fuerza Civil (2011)")],
        tooltip=[charts.tip("series", "Series"), charts.tip("year", "Year", "d"),
                 charts.tip("value", "Rate per 100,000", ".1f")])


def chart_placebos() -> alt.LayerChart:
    """Gaps (actual − synthetic) for Monterrey and every placebo, plus the RMSPE ratio in tooltips."""
    s = synth_analysis()
    rows = []
    main = s["main"]
    for y, g in main.gap.items():
        rows.append({"unit": NAME, "role": NAME, "year": int(y), "gap": float(g), "ratio": main.ratio})
    ratios = main.placebo.set_index("unit")["ratio"]
    for dnr, gap in s["placebo_gaps"].items():
        for y, g in gap.items():
            rows.append({"unit": mun_names()[dnr], "role": "Placebo donor",
                         "year": int(y), "gap": float(g), "ratio": float(ratios[dnr])})
    d = pd.DataFrame(rows)
    sel = alt.selection_point(fields=["role"], bind="legend")
    scale = alt.Scale(domain=[NAME, "Placebo donor"], range=[CASE_COLORS[NAME], "#c8c8c8"])
    enc = {"x": alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
           "y": alt.Y("gap:Q", title="Actual minus synthetic (homicides per 100,000)"),
           "color": alt.Color("role:N", title="Unit", scale=scale), "detail": "unit:N",
           "opacity": alt.condition(sel, alt.value(1.0), alt.value(0.1)),
           "tooltip": [charts.tip("unit", "Municipality"), charts.tip("year", "Year", "d"),
                       charts.tip("gap", "Gap per 100,000", ".1f"), charts.tip("ratio", "Post/pre RMSPE ratio", ".2f")]}
    placebo = alt.Chart(d[d["role"] != NAME]).mark_line(strokeWidth=1).encode(**enc).add_params(sel)
    treated = alt.Chart(d[d["role"] == NAME]).mark_line(strokeWidth=3).encode(**enc)
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#666666").encode(y="y:Q")
    brk = charts.breaks_layer([(SC_START, "First treated year (2012)")])
    return alt.layer(zero, placebo, treated, brk).properties(
        title=alt.Title("Placebo test: is Monterrey's gap unusual?",
                        subtitle="Each grey line is a donor given the same treatment date; click the legend"),
        description=("Line chart of the gap between actual and synthetic homicide rates, 2000 to 2015, for "
                     "Monterrey (thick blue) and for each donor municipality treated as if it had reformed in "
                     "2012 (thin grey). Monterrey's gap is large and positive in 2010–2011, before the treated "
                     "period, and small after 2012; many placebo cities have larger swings, so Monterrey's "
                     "post-2012 path is not unusual."))


def chart_its() -> alt.LayerChart:
    f = its_fitted()
    obs = f[["t", "year", "month", "homicides"]]
    lines = f.melt(id_vars=["t", "year", "month"], value_vars=["fitted", "counterfactual"], var_name="curve",
                   value_name="value")
    lines["curve"] = lines["curve"].map({"fitted": "Model fit",
                                         "counterfactual": "No-change projection"})
    lines = lines[~((lines["curve"] != "Model fit") & (lines["t"] < 2015.75))]
    x = alt.X("t:Q", title="Year (monthly)", axis=alt.Axis(format="d"),
              scale=alt.Scale(zero=False, domain=[float(f["t"].min()) - 0.1, float(f["t"].max()) + 0.1]))
    pts = alt.Chart(obs.assign(curve="Observed homicides")).mark_point(size=22, filled=True).encode(
        x=x, y=alt.Y("homicides:Q", title="Homicides per month (deaths)"),
        color=alt.Color("curve:N", title="Series",
                        scale=alt.Scale(domain=["Observed homicides", "Model fit",
                                                "No-change projection"],
                                        range=[CASE_COLORS[NAME], "#222222", "#c17d11"])),
        tooltip=[charts.tip("year", "Year", "d"), charts.tip("month", "Month", "d"),
                 charts.tip("homicides", "Homicides", ",")])
    ln = alt.Chart(lines).mark_line().encode(
        x=x, y="value:Q", color="curve:N",
        strokeDash=alt.condition("datum.curve == 'Model fit'", alt.value([1, 0]), alt.value([5, 3])),
        tooltip=[charts.tip("curve", "Series"), charts.tip("year", "Year", "d"), charts.tip("month", "Month", "d"),
                 charts.tip("value", "Expected homicides", ".1f")])
    brk = charts.breaks_layer([(2015.75, "Rodríguez takes office (Oct 2015)"), (2016.12, "Topo Chico riot (Feb 2016)")],
                              x="t")
    return alt.layer(pts, ln, brk).properties(
        title=alt.Title("Monterrey's monthly homicides around the change of governor",
                        subtitle="Negative-binomial interrupted time series with month-of-year seasonality"),
        description=("Scatter of Monterrey's monthly homicide counts from January 2014 to September 2021 with the "
                     "model's fitted values (solid line) and, from October 2015, the projection of the "
                     "pre-October-2015 trend without any change (dashed). " + _its_summary(obs)))


def _its_summary(obs: pd.DataFrame) -> str:
    """Words for the ITS chart's description, computed from the plotted counts (no typed figures)."""
    peak = obs.loc[obs["homicides"].idxmax()]
    early = obs.loc[obs["year"] <= 2017, "homicides"].median()
    late = obs.loc[obs["year"] >= 2018, "homicides"].median()
    month = pd.Timestamp(year=int(peak["year"]), month=int(peak["month"]), day=1).strftime("%B %Y")
    return (f"The median month has {early:.0f} homicides up to 2017 and {late:.0f} from 2018; "
            f"the highest month is {month}, with {int(peak['homicides'])}.")


def chart_m3() -> alt.LayerChart:
    d = metro_change()
    d = d[["area", "label", "metro_rank", "base_homicides", "post_homicides", "base_rate", "post_rate", "ratio",
           "ratio_low", "ratio_high", "change"]]
    order = d.sort_values("metro_rank")["label"].tolist()
    y = alt.Y("label:N", sort=order, title="Municipality (lowest rank = most marginalised)")
    tips = [charts.tip("area", "Municipality"), charts.tip("metro_rank", "Marginalisation rank", "d"),
            charts.tip("base_homicides", "Homicides 2014–2015", ","),
            charts.tip("post_homicides", "Homicides 2016–2019", ","),
            charts.tip("base_rate", "Rate 2014–2015", ".1f"), charts.tip("post_rate", "Rate 2016–2019", ".1f"),
            charts.tip("ratio", "Rate ratio", ".2f"), charts.tip("ratio_low", "95% interval, low", ".2f"),
            charts.tip("ratio_high", "95% interval, high", ".2f")]
    col = alt.Color("area:N", legend=None, scale=alt.Scale(domain=[short_name(c) for c in metro_codes()],
                                                           range=[CASE_COLORS[NAME]] + ["#777777"] * 8))
    bars = alt.Chart(d).mark_rule(strokeWidth=2).encode(
        x=alt.X("ratio_low:Q", title="Rate ratio, 2016–2019 vs 2014–2015 (log scale)",
                scale=alt.Scale(type="log", domain=[0.5, 5], nice=False)), x2="ratio_high:Q", y=y, color=col,
        tooltip=tips)
    pts = alt.Chart(d).mark_point(size=80, filled=True).encode(x="ratio:Q", y=y, color=col, tooltip=tips)
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3], color="#444444").encode(x="x:Q")
    return alt.layer(one, bars, pts).properties(
        height=280,
        title=alt.Title("Where did homicide come back after 2015?",
                        subtitle="Homicide rate 2016–2019 relative to 2014–2015, with exact 95% intervals"),
        description=_m3_description(d))


def _m3_description(d: pd.DataFrame) -> str:
    """The M3 chart's description, computed from the plotted ratios (no typed figures)."""
    base, post = (f"{a}–{b}" for a, b in (M3_BASE, M3_POST))
    ranked = d.sort_values("metro_rank")
    by_ratio = d.sort_values(["ratio", "metro_rank"])
    ratios = charts.and_list(f"{a} {r:.1f}" for a, r in zip(by_ratio["area"], by_ratio["ratio"], strict=True))
    widest = d.loc[(d["ratio_high"] / d["ratio_low"]).idxmax(), "area"]
    rho = -float(sps.spearmanr(d["metro_rank"], d["ratio"]).statistic)
    where = ("the rise is concentrated among the most marginalised" if rho >= GRADIENT_RHO
             else "there is no rise concentrated among the most marginalised")
    return (f"Dot-and-interval chart of the ratio of each metro municipality's homicide rate in {post} to its "
            f"rate in {base}, on a log scale, with municipalities ordered from the most marginalised "
            f"({ranked['area'].iloc[0]}, top) to the least ({ranked['area'].iloc[-1]}, bottom). From lowest to "
            f"highest, the ratios are {ratios}; {widest}'s interval is the widest. The rank correlation "
            f"between marginalisation and the ratio is {rho:.2f}: {where}.")


def chart_insecurity() -> alt.LayerChart:
    d = insecurity()
    return charts.line_with_breaks(
        d, x="year", y="value", color="area", color_title="Area",
        color_scale=_areas_scale(["Nuevo León", "Mexico (national)"]),
        y_title="Adults who feel their state is unsafe (%)",
        title="Feeling unsafe: Nuevo León against the nation (ENVIPE)",
        subtitle="Survey fieldwork each March–April; click a legend entry to highlight it",
        description=("Line chart of the percentage of adults who say their state is unsafe, from INEGI's ENVIPE "
                     f"survey, {d['year'].min()} to {d['year'].max()}, for Nuevo León and Mexico. "
                     f"{_insecurity_summary(d)}"),
        breaks=[(2015.75, "New governor (Oct 2015)")],
        tooltip=[charts.tip("area", "Area"), charts.tip("year", "Survey year", "d"),
                 charts.tip("value", "Feel unsafe (%)", ".1f")])


def _insecurity_summary(d: pd.DataFrame) -> str:
    """Words for the insecurity chart's description, computed from the plotted survey values."""
    w = d.pivot(index="year", columns="area", values="value")
    nl, nat = w["Nuevo León"], w["Mexico (national)"]
    y0 = int(w.index.min())

    def vs(y: int) -> str:
        return f"{nl[y]:.0f} percent against {nat[y]:.0f}"

    return (f"Nuevo León starts far above the nation ({vs(y0)} in {y0}, {vs(y0 + 1)} in {y0 + 1}), falls to the "
            f"national level by 2015 ({vs(2015)}), and climbs back above it in 2019 ({vs(2019)}) before falling "
            f"to {nl[2021]:.0f} percent in 2021.")


# ---------------------------------------------------------------------------------------------
# Numbers for the chapter's prose (plain Python values for glue)
# ---------------------------------------------------------------------------------------------

def _plain(v):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v)
    return str(v)


def _rate(df: pd.DataFrame, area: str, year: int) -> float:
    return float(df.loc[(df["area"] == area) & (df["year"] == year), "homicide_rate"].iloc[0])


def _mean_rate(df: pd.DataFrame, area: str, years: tuple[int, int]) -> float:
    x = df[(df["area"] == area) & df["year"].between(*years)]
    return float(x["homicides"].sum() / x["population"].sum() * 1e5)


def context_numbers() -> dict:
    """Numbers for the overview, timeline, before, break and after sections."""
    a = area_rates(2000)
    nat, nl = "Mexico (national)", "Nuevo León"
    h = _homicides_annual()
    mty = h[h["mun_code"] == CODE].set_index("year")
    mon = monthly_homicides([CODE])
    m11 = mon[mon["year"] == 2011]
    peak_row = m11.loc[m11["homicides"].idxmax()]
    mg = metro_marginalisation()
    allm = _table("marginalization_municipal")
    n15 = int((allm["year"] == 2015).sum())
    k = state_crime_rates(("secuestro", "extorsion"))
    k = k[(k["series"] == "sesnsp_old") & (k["unit"] == "incidents")]

    def kv(area, crime, year, col="value"):
        return float(k.loc[(k["area"] == area) & (k["crime"] == crime) & (k["year"] == year), col].iloc[0])

    ins = insecurity().set_index(["area", "year"])["value"]
    env = _table("envipe_state")
    cifra = env[(env["indicator"] == "cifra_negra_pct") & (env["state_code"] == STATE)].set_index("year")["value"]
    kid = nl_monthly_kidnapping()
    kid_old = kid[(kid["series"] == "sesnsp_old") & (kid["unit"] == "incidents")]
    feb16 = int(mon.loc[(mon["year"] == 2016) & (mon["month"] == 2), "homicides"].iloc[0])
    mon16 = mon[(mon["year"] == 2016) & (mon["month"] != 2)]
    out = {
        "mty_pop_2015_m": float(mty.loc[2015, "population"]) / 1e6,
        "mty_rate_0006": _mean_rate(a, NAME, (2000, 2006)), "nl_rate_0006": _mean_rate(a, nl, (2000, 2006)),
        "nat_rate_0006": _mean_rate(a, nat, (2000, 2006)),
        "mty_hom_2009": int(mty.loc[2009, "homicides"]), "mty_hom_2010": int(mty.loc[2010, "homicides"]),
        "mty_hom_2011": int(mty.loc[2011, "homicides"]), "mty_hom_2015": int(mty.loc[2015, "homicides"]),
        "mty_hom_2019": int(mty.loc[2019, "homicides"]),
        "mty_rate_2009": _rate(a, NAME, 2009), "mty_rate_2011": _rate(a, NAME, 2011),
        "mty_rate_2014": _rate(a, NAME, 2014), "mty_rate_2015": _rate(a, NAME, 2015),
        "mty_rate_2019": _rate(a, NAME, 2019), "mty_rate_2021": _rate(a, NAME, 2021),
        "nl_rate_2011": _rate(a, nl, 2011), "nl_rate_2015": _rate(a, nl, 2015), "nl_rate_2019": _rate(a, nl, 2019),
        "nat_rate_2011": _rate(a, nat, 2011), "nat_rate_2015": _rate(a, nat, 2015),
        "nat_rate_2019": _rate(a, nat, 2019),
        "metro_rate_2009": _rate(a, METRO_LABEL, 2009), "metro_rate_2011": _rate(a, METRO_LABEL, 2011),
        "metro_rate_2015": _rate(a, METRO_LABEL, 2015), "metro_rate_2019": _rate(a, METRO_LABEL, 2019),
        "mty_to_nat_2011": _rate(a, NAME, 2011) / _rate(a, nat, 2011),
        "nl_growth_15_19": _rate(a, nl, 2019) / _rate(a, nl, 2015),
        "nat_growth_15_19": _rate(a, nat, 2019) / _rate(a, nat, 2015),
        "mty_growth_15_19": _rate(a, NAME, 2019) / _rate(a, NAME, 2015),
        "peak_month_count": int(peak_row["homicides"]),
        "peak_month_name": pd.Timestamp(year=2011, month=int(peak_row["month"]), day=1).strftime("%B"),
        "mty_marg_rank": int(mg.loc[mg["mun_code"] == CODE, "rank_national"].iloc[0]),
        "sp_marg_rank": int(mg.loc[mg["mun_code"] == "19019", "rank_national"].iloc[0]),
        "juarez_marg_rank": int(mg.loc[mg["mun_code"] == "19031", "rank_national"].iloc[0]),
        "n_mun_2015": n15,
        "nl_kid_2007": kv("Nuevo León", "secuestro", 2007), "nl_kid_2012": kv("Nuevo León", "secuestro", 2012),
        "nl_ext_2011": kv("Nuevo León", "extorsion", 2011), "nl_ext_2014": kv("Nuevo León", "extorsion", 2014),
        "nl_ext_rate_2014": kv("Nuevo León", "extorsion", 2014, "rate"),
        "rest_ext_rate_2011": kv(REST_LABEL, "extorsion", 2011, "rate"),
        "rest_ext_rate_2014": kv(REST_LABEL, "extorsion", 2014, "rate"),
        "tam_kid_rate_2014": kv("Tamaulipas", "secuestro", 2014, "rate"),
        "nl_insec_2012": float(ins[("Nuevo León", 2012)]), "nl_insec_2015": float(ins[("Nuevo León", 2015)]),
        "nl_insec_2019": float(ins[("Nuevo León", 2019)]), "nat_insec_2012": float(ins[(nat, 2012)]),
        "nat_insec_2015": float(ins[(nat, 2015)]), "nat_insec_2019": float(ins[(nat, 2019)]),
        "nl_cifra_2011": float(cifra[2011]), "nl_cifra_2015": float(cifra[2015]),
        "kid_month_max": int(kid_old["value"].max()),
        "kid_share_le2": float((kid_old["value"] <= 2).mean() * 100),
        "feb2016": feb16, "mean_2016_other": float(mon16["homicides"].mean()),
        "n_cities": int(_table("crime_municipal_monthly")["mun_code"].nunique()),
        "n_city_metro": len(city_crime_codes()),
        "ci_level": 95,
    }
    return {k: _plain(v) for k, v in out.items()}


def counterfactual_numbers() -> dict:
    """Synthetic-control and ITS numbers, prefixed sc_ and its_."""
    out = {f"sc_{k}": v for k, v in synth_numbers().items()}
    t = its_table()
    keys = ["main", "nofeb", "precovid", "longpre", "suburbs", "metro"]
    for key, (_, r) in zip(keys, t.iterrows(), strict=True):
        for col in ("level", "level_low", "level_high", "trend", "trend_low", "trend_high", "p_level", "p_trend",
                    "months"):
            out[f"its_{key}_{col}"] = r[col]
    m = synth_numbers()
    out["sc_att_abs"] = abs(m["att"])
    out["sc_att_dir"] = "above" if m["att"] > 0 else "below"
    out["sc_gap_2015_abs"] = abs(m["gap_2015"])
    out["sc_gap_2015_dir"] = "below" if m["gap_2015"] < 0 else "above"
    out["sc_min_pop"] = DONOR_MIN_POP_2010
    main = t.iloc[0]
    inc = main["level_low"] <= 1 <= main["level_high"] and main["trend_low"] <= 1 <= main["trend_high"]
    out["its_main_summary"] = ("Both intervals include 1, which would mean no change" if inc
                               else "At least one interval excludes 1")
    fake = interrupted_time_series(monthly_homicides([CODE], ITS_START, ITS_END), "homicides", ITS_FAKE_BREAK)
    out["its_fake_level"], out["its_fake_level_low"], out["its_fake_level_high"] = fake.level_change
    f = its_fitted()
    out["its_pre_months"] = int((f["post"] == 0).sum())
    last = f.iloc[-1]
    out["its_last_fitted"] = float(last["fitted"])
    out["its_last_cf"] = float(last["counterfactual"])
    out["its_pre_mean"] = float(f.loc[f["post"] == 0, "homicides"].mean())
    return {k: _plain(v) for k, v in out.items()}


def claim_numbers() -> dict:
    """Each claim's verdict, key number and numbers, prefixed m1_, m2_, m3_."""
    out = {}
    for cid in ("M1", "M2", "M3"):
        v = claims.evaluate(cid)
        p = cid.lower()
        out[f"{p}_verdict"] = v.verdict
        out[f"{p}_key"] = v.key_number
        for k, x in v.numbers.items():
            if isinstance(x, (list, tuple)):
                x = "; ".join(map(str, x))
            out[f"{p}_{k}"] = x
            if k.endswith("change_pct"):
                out[f"{p}_{k}_abs"] = abs(float(x))
    out["m3_sp_post_rank_word"] = {1: "lowest", 2: "second lowest", 3: "third lowest"}.get(
        int(out["m3_sp_post_rank"]), f"{int(out['m3_sp_post_rank'])}th lowest")
    out["rho_threshold"] = GRADIENT_RHO
    out["fall_ratio"] = FALL_RATIO
    out["rise_ratio"] = RISE_RATIO
    return {k: _plain(v) for k, v in out.items()}
