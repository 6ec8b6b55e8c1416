"""Ciudad Nezahualcóyotl: comparison groups, derived series and the synthetic control of the reform era.

The comparison groups (``data/mappings/comparison_nezahualcoyotl.csv``), pooled homicide rates with
exact Poisson intervals, rate ratios, the SESNSP municipal series, party control of Neza and its
neighbours, the party-and-safety comparison of Neza's terms, the synthetic control of the reform era
(from 2013) with its placebo inference, and ENVIPE for Estado de México.

Conventions
-----------
* Annual homicides: registration basis 1990-1999, occurrence basis 2000-2021 (the municipal
  table already holds them that way); charts mark the change.
* Data anomalies are masked by explicit rules (:func:`mask_reason`), never silently: every Mexico City
  borough in 1992 (deaths visibly shuffled between boroughs in that year's registration file)
  and Valle de Chalco Solidaridad before 1995 (created in 1994; its deaths were counted in the
  municipalities it was carved from while CONAPO back-projects a population).
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd

from ... import geo, models, series, stats
from ...data import load
from .. import base
from .case import (
    BREAK_YEAR,
    CDMX,
    CDMX_NAME,
    CHALCO,
    CODE,
    CRIME_LABELS,
    DONOR_DEGREES,
    DONOR_FACTOR,
    ENVIPE_LABELS,
    ESTABLISHMENT,
    FAKE_START,
    FAMILY_LABELS,
    FIRST_YEAR,
    GOVERNOR_LABELS,
    GROUP_LABELS,
    LAST_YEAR,
    LOO_TOP,
    MB_MONTHS,
    NAME,
    NATION,
    POOL_FACTORS,
    PRE_START,
    RATIO_LABELS,
    SHORT,
    SINCE_STATE_FROM,
    SLUG,
    STATE,
    STATE_NAME,
    VALLE_DE_CHALCO,
    WINDOW_MONTHS,
)

# --------------------------------------------------------------------------------------------
# Comparison groups and names
# --------------------------------------------------------------------------------------------


def comparison() -> pd.DataFrame:
    """The chapter's comparison municipalities (group, mun_code, reason)."""
    return geo.comparison_groups(SLUG)


def members(group: str) -> list[str]:
    g = comparison()
    out = g.loc[g["group"] == group, "mun_code"].tolist()
    if not out:
        raise KeyError(f"no municipalities in group {group!r}")
    return out


def neighbours() -> list[str]:
    return members("east_ring") + members("cdmx_boroughs")


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    """Municipality names as the chapter shows them: INEGI's, with the short forms of ``SHORT``."""
    return {**geo.mun_names(), **SHORT}


# --------------------------------------------------------------------------------------------
# Homicide series
# --------------------------------------------------------------------------------------------

def mask_reason(mun_code: str, year: int) -> str | None:
    """Why a municipality-year is left out of single-municipality series (None = kept)."""
    if mun_code.startswith(CDMX) and year == 1992:
        return "1992 registrations are shuffled between Mexico City boroughs"
    if mun_code == VALLE_DE_CHALCO and year < 1995:
        return "Valle de Chalco Solidaridad was created in 1994"
    return None


def _masked(df: pd.DataFrame) -> pd.Series:
    return pd.Series([mask_reason(c, int(y)) is not None for c, y in zip(df["mun_code"], df["year"],
                                                                         strict=True)], index=df.index)


@lru_cache(maxsize=1)
def municipal() -> pd.DataFrame:
    """The annual municipal homicide table for Estado de México and Mexico City."""
    h = load("homicides_municipal_annual")
    return h[h["mun_code"].str[:2].isin([CDMX, STATE])].reset_index(drop=True)


def municipal_rates(codes: list[str]) -> pd.DataFrame:
    """Annual homicides and rates for single municipalities, with exact Poisson 95% intervals;
    masked municipality-years (``mask_reason``) are dropped."""
    h = municipal()
    d = h[h["mun_code"].isin(codes)].copy()
    d = d[~_masked(d)]
    d = stats.add_rate_ci(d)
    d["area"] = d["mun_code"].map(names())
    return d.sort_values(["mun_code", "year"]).reset_index(drop=True)


def pooled_rates(codes: list[str], label: str) -> pd.DataFrame:
    """One series for a group: the sum of its members' homicides over the sum of their population.

    A year is dropped if any member is a Mexico City borough in 1992 (the shuffle between
    boroughs makes a partial group wrong). Valle de Chalco before 1995 stays in a group that also
    holds Chalco, the municipality its deaths were counted in.
    """
    h = municipal()
    d = h[h["mun_code"].isin(codes)]
    bad = {int(y) for c, y in zip(d["mun_code"], d["year"], strict=True)
           if c.startswith(CDMX) and int(y) == 1992}
    if VALLE_DE_CHALCO in codes and CHALCO not in codes:
        bad |= set(range(FIRST_YEAR, 1995))
    g = d.groupby("year").agg(homicides=("homicides", "sum"), population=("population", "sum"),
                              year_basis=("year_basis", "first"), members=("mun_code", "nunique"))
    g = g[(g["members"] == len(set(codes))) & ~g.index.isin(bad)].reset_index()
    g["homicide_rate"] = stats.per_100k(g["homicides"], g["population"])
    g = stats.add_rate_ci(g)
    g["area"] = label
    return g.drop(columns="members")


def state_rates(codes=(STATE, NATION), last_year: int = LAST_YEAR) -> pd.DataFrame:
    s = series.state_homicide_rates(list(codes))
    s = s[s["year"] <= last_year].copy()
    s = stats.add_rate_ci(s)
    return s.rename(columns={"state_name": "area"})


@lru_cache(maxsize=1)
def comparison_rates() -> pd.DataFrame:
    """Neza, the two neighbour groups, Estado de México and the nation, 1990-2021 (long)."""
    cols = ["area", "year", "homicides", "population", "homicide_rate", "rate_low", "rate_high", "year_basis"]
    parts = [municipal_rates([CODE]), pooled_rates(members("east_ring"), GROUP_LABELS["east_ring"]),
             pooled_rates(members("cdmx_boroughs"), GROUP_LABELS["cdmx_boroughs"]), state_rates()]
    return pd.concat([p[cols] for p in parts], ignore_index=True)


def window_rate(area: str, window: tuple[int, int]) -> tuple[float, int, float]:
    """(rate per 100,000, homicides, person-years) of an area of ``comparison_rates`` over a window."""
    d = comparison_rates()
    p = stats.pooled_rate(d[d["area"] == area], *window)
    if p["years"] != window[1] - window[0] + 1:
        raise ValueError(f"{area}: missing years in {window}")
    return p["rate"], int(p["deaths"]), p["person_years"]


def window_ratio(area1: str, w1: tuple[int, int], area0: str, w0: tuple[int, int]) -> stats.RateRatio:
    """Rate ratio (exact 95% interval) of ``area1`` over ``w1`` against ``area0`` over ``w0``."""
    _, k1, n1 = window_rate(area1, w1)
    _, k0, n0 = window_rate(area0, w0)
    return stats.rate_ratio(k1, n1, k0, n0)


def annual_ratios() -> pd.DataFrame:
    """Neza's rate over each neighbour group's, year by year, with exact 95% intervals."""
    d = comparison_rates()
    neza = d[d["area"] == NAME].set_index("year")
    rows = []
    for key in ("east_ring", "cdmx_boroughs"):
        g = d[d["area"] == GROUP_LABELS[key]].set_index("year")
        for y in neza.index.intersection(g.index):
            rr, lo, hi, _ = stats.rate_ratio(neza.at[y, "homicides"], neza.at[y, "population"],
                                             g.at[y, "homicides"], g.at[y, "population"])
            rows.append({"comparison": RATIO_LABELS[key], "year": int(y),
                         "rr": rr, "rr_low": lo, "rr_high": hi, "year_basis": neza.at[y, "year_basis"]})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Monthly series
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def monthly_rolling() -> pd.DataFrame:
    """Rolling WINDOW_MONTHS-month homicide rate per 100,000 for Neza and each neighbour, sampled at the end
    of every quarter (population of the year the window ends in)."""
    codes = [CODE, *neighbours()]
    m = load("homicides_municipal_monthly")
    m = m[m["mun_code"].isin(codes)].sort_values(["mun_code", "year", "month"]).copy()
    m["roll12"] = m.groupby("mun_code")["homicides"].transform(lambda s: s.rolling(WINDOW_MONTHS).sum())
    pop = municipal()[["mun_code", "year", "population"]]
    m = m.merge(pop, on=["mun_code", "year"], how="left")
    m = m[m["month"].isin([3, 6, 9, 12]) & m["roll12"].notna()].copy()
    m["rate12"] = stats.per_100k(m["roll12"], m["population"])
    m["t"] = m["year"] + m["month"] / 12
    m["period"] = [f"{WINDOW_MONTHS} months to {pd.Timestamp(year=int(y), month=int(mo), day=1):%b %Y}"
                   for y, mo in zip(m["year"], m["month"], strict=True)]
    m["area"] = m["mun_code"].map(names())
    return m[["area", "mun_code", "t", "period", "roll12", "rate12"]].reset_index(drop=True)


def monthly_neza(start: int = 2010, end: int = 2016) -> pd.DataFrame:
    """Neza's monthly homicide counts with a centred WINDOW_MONTHS-month mean."""
    m = load("homicides_municipal_monthly")
    m = m[m["mun_code"] == CODE].sort_values(["year", "month"]).copy()
    m["mean12"] = m["homicides"].astype(float).rolling(WINDOW_MONTHS, center=True).mean()
    m["date"] = pd.to_datetime(dict(year=m["year"], month=m["month"], day=15))
    m = m[m["year"].between(start, end)]
    return m[["date", "year", "month", "homicides", "mean12"]].reset_index(drop=True)


def monthly_before_after(cut: str = f"{BREAK_YEAR}-01", months: int = MB_MONTHS) -> dict:
    """Mean monthly homicides in Neza in the ``months`` before ``cut`` and in the ``months`` from a year
    after it."""
    m = load("homicides_municipal_monthly")
    m = m[m["mun_code"] == CODE].copy()
    m["p"] = pd.PeriodIndex.from_fields(year=m["year"].astype(int), month=m["month"].astype(int), freq="M")
    c = pd.Period(cut, freq="M")
    before = m[(m["p"] < c) & (m["p"] >= c - months)]["homicides"]
    after = m[(m["p"] >= c + 12) & (m["p"] < c + 12 + months)]["homicides"]
    return {"before_mean": float(before.mean()), "after_mean": float(after.mean()),
            "before_min": int(before.min()), "before_max": int(before.max())}


# --------------------------------------------------------------------------------------------
# SESNSP municipal crimes (old instrument, 2011 - March 2016)
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def sesnsp_rates() -> pd.DataFrame:
    """Annual SESNSP incidents per 100,000 for Neza and the neighbours in the 69-city series.

    Only full years (12 months present) are kept; a crime a municipality never records in any
    month (Mexico City boroughs' kidnappings) is treated as not attributed, not as zero.
    """
    c = load("crime_municipal_monthly")
    codes = [CODE, *neighbours()]
    c = c[c["mun_code"].isin(codes)]
    never = c.groupby(["mun_code", "crime"])["value"].transform("sum") == 0
    c = c[~never]
    a = c.groupby(["mun_code", "crime", "year"]).agg(incidents=("value", "sum"),
                                                     months=("month", "nunique")).reset_index()
    a = a[a["months"] == 12].merge(municipal()[["mun_code", "year", "population"]], on=["mun_code", "year"])
    a["rate"] = stats.per_100k(a["incidents"], a["population"])
    a = stats.add_rate_ci(a, count="incidents")
    a["area"] = a["mun_code"].map(names())
    a["crime_label"] = a["crime"].map(CRIME_LABELS)
    return a.reset_index(drop=True)


def sesnsp_not_attributed() -> list[tuple[str, str]]:
    """(municipality, crime) pairs with zero incidents in every month of the series."""
    c = load("crime_municipal_monthly")
    c = c[c["mun_code"].isin([CODE, *neighbours()])]
    s = c.groupby(["mun_code", "crime"])["value"].sum()
    return [(names()[m], CRIME_LABELS[k]) for (m, k), v in s.items() if v == 0]


def files_and_deaths(years: tuple[int, int] = (2013, 2015)) -> pd.DataFrame:
    """Neza's homicide files (SESNSP, old instrument, full years) beside its homicide deaths (INEGI, by year of
    occurrence), year by year: two instruments, two counts, side by side."""
    a = sesnsp_rates()
    f = a[(a["mun_code"] == CODE) & (a["crime"] == "homicidio_doloso") & a["year"].between(*years)]
    m = municipal()
    d = m[(m["mun_code"] == CODE) & m["year"].between(*years)]
    out = f.set_index("year")[["incidents"]].join(d.set_index("year")[["homicides"]], how="outer")
    return out.rename(columns={"incidents": "files", "homicides": "deaths"}).astype(int).reset_index()


def sesnsp_rate(code: str, crime: str, year: int) -> float:
    """SESNSP rate per 100,000 of one municipality, crime and full year (NaN where there is none)."""
    a = sesnsp_rates()
    v = a[(a["mun_code"] == code) & (a["crime"] == crime) & (a["year"] == year)]["rate"]
    return float(v.iloc[0]) if len(v) else float("nan")


def sesnsp_neighbours() -> list[str]:
    """The neighbours in SESNSP's series (codes, sorted)."""
    return sorted(set(sesnsp_rates()["mun_code"]) - {CODE})


def sesnsp_n_higher(crime: str, year: int) -> int:
    """How many SESNSP neighbours record a higher rate of ``crime`` than Neza in ``year``."""
    neza = sesnsp_rate(CODE, crime, year)
    return int(sum(sesnsp_rate(c, crime, year) > neza for c in sesnsp_neighbours()))


def sesnsp_change(code: str, crime: str, y0: int = 2013, y1: int = 2015) -> float:
    """Relative change of a SESNSP rate from ``y0`` to ``y1`` (a fraction; -0.5 = halved)."""
    return sesnsp_rate(code, crime, y1) / sesnsp_rate(code, crime, y0) - 1


# --------------------------------------------------------------------------------------------
# Elections and governors
# --------------------------------------------------------------------------------------------

def family_label(f: str) -> str:
    """The chapter's label of a party family (``FAMILY_LABELS``; anything else is "Other party")."""
    return FAMILY_LABELS.get(str(f), "Other party")


def _abbr(winner) -> str:
    if winner is None or (isinstance(winner, float) and math.isnan(winner)) or pd.isna(winner):
        return "–"
    return str(winner).upper().replace("-", "·")


@lru_cache(maxsize=1)
def elections() -> pd.DataFrame:
    """Municipal elections of Neza and its neighbours, with the term each opens (to the next election)."""
    e = load("elections_municipal")
    codes = [CODE, *neighbours()]
    e = e[e["mun_code"].isin(codes) & (e["outcome"] == "elected")].sort_values(["mun_code", "year"]).copy()
    e["next_year"] = e.groupby("mun_code")["year"].shift(-1)
    e["next_year"] = e["next_year"].fillna(e["year"] + 3).astype(int)
    e["area"] = e["mun_code"].map(names())
    e["family"] = e["winner_family"].map(family_label)
    e["label"] = e["winner"].map(_abbr)
    return e.reset_index(drop=True)


@lru_cache(maxsize=1)
def governors() -> pd.DataFrame:
    """Governors of Estado de México and heads of government of Mexico City, with the years they hold office."""
    g = load("governors")
    g = g[g["state_code"].isin([STATE, CDMX])].sort_values(["state_code", "start_year"]).copy()
    g["next_year"] = g.groupby("state_code")["start_year"].shift(-1)
    g["next_year"] = g["next_year"].fillna(g["start_year"] + 6).astype(int)
    g["family"] = g["party_family"].map(family_label)
    g["area"] = g["state_code"].map(GOVERNOR_LABELS)
    return g.reset_index(drop=True)


def governor_family(year: int, state: str = STATE) -> str:
    """Party family of the governor in office in ``year`` (elected most recently on or before it)."""
    g = governors()
    g = g[(g["state_code"] == state) & (g["start_year"] <= year)]
    return str(g.iloc[-1]["party_family"])


def party_summary(until: int = 2015) -> pd.DataFrame:
    """Per municipality: elections 1990-``until``, how many went to a third party (not PRI/PAN)."""
    e = elections()
    e = e[e["year"].between(FIRST_YEAR, until)]
    g = e.assign(third=~e["winner_family"].isin(ESTABLISHMENT))
    out = g.groupby("mun_code").agg(elections=("year", "size"), third=("third", "sum"),
                                    first=("year", "min")).reset_index()
    out["share_third"] = out["third"] / out["elections"]
    out["area"] = out["mun_code"].map(names())
    return out.sort_values("share_third", ascending=False).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Party and safety: Neza's terms
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def neza_terms() -> pd.DataFrame:
    """Neza's terms: a mayor elected in year Y is counted for the calendar years Y+1 to Y+3.

    For each term: the pooled rate of Neza and of the eastern ring over those years and Neza's rate
    ratio against the ring (exact 95% interval). Terms beyond the data have no numbers.
    """
    e = elections()
    e = e[e["mun_code"] == CODE]
    d = comparison_rates()
    rows = []
    for r in e.itertuples():
        years = list(range(int(r.year) + 1, int(r.year) + 4))
        row = {"election": int(r.year), "term": f"{years[0]}–{str(years[-1])[-2:]}", "first": years[0],
               "last": years[-1], "winner": str(r.winner), "family": r.family, "mayor": str(r.mayor),
               "margin_pts": 100 * float(r.margin) if pd.notna(r.margin) else float("nan"),
               "governor": family_label(governor_family(int(r.year)))}
        nz = d[(d["area"] == NAME) & d["year"].isin(years)]
        rg = d[(d["area"] == GROUP_LABELS["east_ring"]) & d["year"].isin(years)]
        if len(nz) == 3 and len(rg) == 3:
            k1, n1, k0, n0 = (nz["homicides"].sum(), nz["population"].sum(), rg["homicides"].sum(),
                              rg["population"].sum())
            rr, lo, hi, _ = stats.rate_ratio(k1, n1, k0, n0)
            row.update(neza_rate=float(stats.per_100k(k1, n1)), ring_rate=float(stats.per_100k(k0, n0)),
                       rr=rr, rr_low=lo, rr_high=hi, has_data=True)
        else:
            row.update(neza_rate=np.nan, ring_rate=np.nan, rr=np.nan, rr_low=np.nan, rr_high=np.nan,
                       has_data=False)
        rows.append(row)
    return pd.DataFrame(rows)


def party_permutation_test() -> dict:
    """Do PRI terms differ from the others in Neza's rate relative to the eastern ring?

    Statistic: mean log rate ratio of PRI terms minus that of the other terms. Exact permutation
    p-value (two-sided) over every way of labelling the same number of terms as PRI.
    """
    t = neza_terms()
    t = t[t["has_data"]]
    x = np.log(t["rr"].to_numpy())
    is_pri = (t["family"] == "PRI").to_numpy()
    k, n = int(is_pri.sum()), len(t)
    obs = float(x[is_pri].mean() - x[~is_pri].mean())
    diffs = []
    for idx in combinations(range(n), k):
        mask = np.zeros(n, bool)
        mask[list(idx)] = True
        diffs.append(x[mask].mean() - x[~mask].mean())
    diffs = np.array(diffs)
    p = float(np.mean(np.abs(diffs) >= abs(obs) - 1e-12))
    return {"n_terms": n, "n_pri": k, "n_arrangements": len(diffs), "diff_log": obs,
            "ratio_pri_vs_other": float(np.exp(obs)), "p_value": p,
            "min_p": float(np.mean(np.abs(diffs) >= np.abs(diffs).max() - 1e-12))}


# --------------------------------------------------------------------------------------------
# Synthetic control of the reform era
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def marginalization_2010() -> pd.DataFrame:
    """CONAPO's 2010 marginalisation table for Estado de México and Mexico City (population, degree)."""
    mg = load("marginalization_municipal")
    return mg[(mg["year"] == 2010) & mg["mun_code"].str[:2].isin([CDMX, STATE])].copy()


def donor_pool(factor: float = DONOR_FACTOR, exclude: tuple[str, ...] = ()) -> list[str]:
    """Estado de México and Mexico City municipalities with a 2010 population within ``factor`` of
    Neza's, a CONAPO 2010 marginalisation degree of low or very low, and a complete rate series
    2000-2021."""
    mg = marginalization_2010()
    pop = float(mg.loc[mg["mun_code"] == CODE, "population"].iloc[0])
    ok = mg[mg["population"].between(pop / factor, pop * factor) & mg["degree"].isin(DONOR_DEGREES)]
    panel = synth_panel()
    complete = set(panel.columns[panel.notna().all()])
    return sorted(c for c in ok["mun_code"] if c != CODE and c in complete and c not in exclude)


@lru_cache(maxsize=1)
def synth_panel() -> pd.DataFrame:
    """Homicide rates from 2000 (occurrence basis), one column per municipality: the synthetic control's panel."""
    h = municipal()
    h = h[h["year"] >= PRE_START]
    return h.pivot(index="year", columns="mun_code", values="homicide_rate").sort_index()


@lru_cache(maxsize=1)
def counterfactual() -> base.Counterfactual:
    """The synthetic control of the reform era and its checks (cached: the placebo runs take a while).

    ``main``: the fit on the donor pool with placebo-in-space inference; ``placebo_time``: a pretend
    break in ``FAKE_START`` using only years before the real one; ``leave_one_out``: refits without each of
    the ``LOO_TOP`` heaviest donors (with ``dropped_name``); ``variants``: ``no_neighbours`` (the pool
    without the eastern ring and the adjoining boroughs, with placebo inference) and ``pool_factor_4``,
    ``pool_factor_5`` (wider pools by population, no placebos).
    """
    panel, donors = synth_panel(), donor_pool()
    main = models.placebo_in_space(panel, CODE, BREAK_YEAR, donors=donors)
    placebo_time = models.placebo_in_time(panel, CODE, FAKE_START, donors=donors, end=BREAK_YEAR - 1)
    loo = models.leave_one_out(panel, CODE, BREAK_YEAR, donors=donors, top=LOO_TOP)
    loo["dropped_name"] = loo["dropped"].map(lambda c: names().get(c, c))
    no_neighbours = models.placebo_in_space(panel, CODE, BREAK_YEAR, donors=donor_pool(exclude=tuple(neighbours())))
    wider = {f"pool_factor_{f}": models.synthetic_control(panel, CODE, BREAK_YEAR, donors=donor_pool(factor=f))
             for f in POOL_FACTORS if f != DONOR_FACTOR}
    return base.Counterfactual(main=main, start=BREAK_YEAR, donors=donors, placebo_time=placebo_time,
                               leave_one_out=loo, variants={"no_neighbours": no_neighbours, **wider})


# --------------------------------------------------------------------------------------------
# ENVIPE (state level)
# --------------------------------------------------------------------------------------------

def envipe() -> pd.DataFrame:
    """ENVIPE's three indicators for Estado de México, Mexico City and the nation (long)."""
    e = load("envipe_state")
    e = e[e["state_code"].isin([STATE, CDMX, NATION]) & e["indicator"].isin(list(ENVIPE_LABELS))].copy()
    e["area"] = e["state_code"].map({STATE: STATE_NAME, CDMX: CDMX_NAME, NATION: geo.NATIONAL_NAME})
    e["indicator_label"] = e["indicator"].map(ENVIPE_LABELS)
    e["year_meaning"] = np.where(e["indicator"] == "insecurity_api", "survey year", "year the crimes happened")
    return e[["area", "state_code", "indicator", "indicator_label", "year", "edition", "value",
              "year_meaning"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Since then: investigation files, January 2024 – June 2025 (SESNSP, new instrument)
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def since_then() -> pd.DataFrame:
    """Homicide investigation files (SESNSP, new instrument: homicidio doloso plus feminicidio) in 2024, in
    January–June 2025 and in the two pooled (``year`` 0), per 100,000 a year over the residents counted by the
    SINCE_POP_YEAR census, with exact Poisson intervals: Neza, the eastern ring and the adjoining boroughs
    pooled, each of the eleven neighbours, Estado de México, Mexico City and the nation (the state rows from
    :func:`enclaves.series.state_homicide_sources`). Files, not deaths."""
    parts = [series.since_rows(series.municipal_incidents([CODE], series.NEW_HOMICIDE), NAME, "Nezahualcóyotl",
                         series.since_population([CODE]))]
    for key in ("east_ring", "cdmx_boroughs"):
        codes = members(key)
        c = series.municipal_incidents(codes, series.NEW_HOMICIDE, pooled=True)
        parts.append(series.since_rows(c, GROUP_LABELS[key], "Neighbours, pooled", series.since_population(codes)))
    for code in neighbours():
        c = series.municipal_incidents([code], series.NEW_HOMICIDE)
        parts.append(series.since_rows(c, names()[code], "One neighbour", series.since_population([code]))
                     .assign(mun_code=code))
    s = series.state_homicide_sources([STATE, CDMX, NATION], full_years=False)
    s = s[(s["series"] == "sesnsp_new_incidents") & s["year"].isin([2024, 2025])]
    for code, name in ((STATE, STATE_NAME), (CDMX, CDMX_NAME), (NATION, geo.NATIONAL_NAME)):
        c = s[s["state_code"] == code].rename(columns={"value": "count"})
        pop = series.since_population(state=code) if code != NATION else series.since_population()
        parts.append(series.since_rows(c, name, "States and nation", pop))
    d = pd.concat(parts, ignore_index=True)
    d["order"] = d.groupby("area", sort=False).ngroup()
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


def state_since(states=(STATE, CDMX), full_years: bool = True) -> pd.DataFrame:
    """Homicide counts of Estado de México and Mexico City from SINCE_STATE_FROM in every instrument that has
    them, as separate labelled series (:func:`enclaves.series.state_homicide_sources`): INEGI deaths and
    SESNSP new-instrument files and victims, with the state's name in ``area``."""
    s = series.state_homicide_sources(list(states), full_years=full_years)
    s = s[(s["year"] >= SINCE_STATE_FROM) & ~s["series"].str.startswith("sesnsp_old")].copy()
    s["area"] = s["state_code"].map({STATE: STATE_NAME, CDMX: CDMX_NAME, NATION: geo.NATIONAL_NAME})
    return s.reset_index(drop=True)

