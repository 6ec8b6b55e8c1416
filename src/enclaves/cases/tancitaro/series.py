"""Tancítaro's comparison sets, derived series and the counterfactual (:func:`counterfactual`).

Everything the chapter ``book/cases/tancitaro.md`` shows is computed here from processed tables
(``enclaves.data.load``); the rules (windows, size bands, groups) are the constants of :mod:`.case`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ... import geo, stats
from ...data import load
from ...models import leave_one_out, placebo_in_space, placebo_in_time, synthetic_control
from ...series import (
    files_since,
    municipal_crime_2011_2013,
    state_homicide_rates,
    state_homicide_sources,
)
from .. import base, generic
from .case import (
    BELT,
    BREAK_YEAR,
    CODE,
    DONOR_FACTOR,
    DONOR_POP_YEAR,
    DONOR_YEARS,
    GROUP_LABELS,
    LAST_FULL_ELECTION,
    LAST_MUNICIPAL_YEAR,
    LOO_TOP,
    MAJOR_PARTY_MIN_SHARE_OF_GOVERNORS,
    NAME,
    OCCURRENCE_FROM,
    PERIODS,
    PLACEBO_TIME_START,
    PRE_START,
    REST_OF_STATE,
    SELF_DEFENCE,
    SLUG,
    STATE,
    STATE_NAME,
    T4_AFTER,
    T4_BEFORE,
    T4_LATER,
    T4_RELAPSE,
    URUAPAN,
    WEST_LABEL,
    WEST_NEIGHBOURS,
    WIDE_FACTOR,
)

# ---------------------------------------------------------------------------------------------
# Comparison groups and homicide series
# ---------------------------------------------------------------------------------------------


def groups() -> pd.DataFrame:
    """data/mappings/comparison_tancitaro.csv with each municipality's INEGI name attached."""
    g = geo.comparison_groups(SLUG)
    return g.assign(mun_name=g["mun_code"].map(geo.mun_names()))


def codes(group: str) -> list[str]:
    """The municipality codes of one comparison group (``avocado_belt``, ``self_defence``, ``donor``)."""
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
    return stats.add_rate_ci(t).reset_index(drop=True)


def aggregate(mun_codes: list[str], label: str) -> pd.DataFrame:
    """Summed homicides and population of a set of municipalities by year, with the rate and its interval."""
    h = michoacan_annual()
    d = h[h["mun_code"].isin(mun_codes)].groupby("year", as_index=False)[["homicides", "population"]].sum()
    d["homicide_rate"] = stats.per_100k(d["homicides"], d["population"])
    d["area"] = label
    return stats.add_rate_ci(d)


def state_and_nation() -> pd.DataFrame:
    """Michoacán and the nation from the state table (occurrence basis, 2000 on)."""
    s = state_homicide_rates(["00", STATE])
    s = s[s["year"] >= OCCURRENCE_FROM].copy()
    s["area"] = s["state_code"].map({"00": geo.NATIONAL_NAME, STATE: STATE_NAME})
    s["homicides"] = s["homicides"].astype(float)
    s["population"] = s["population"].astype(float)
    s["homicide_rate"] = s["homicide_rate"].astype(float)
    return stats.add_rate_ci(s[["year", "homicides", "population", "homicide_rate", "area"]])


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
    return aggregate(others, REST_OF_STATE)


def municipal_rates(mun_codes: list[str]) -> pd.DataFrame:
    """One rate series per municipality (names attached), for the dropdown chart."""
    h = michoacan_annual()
    d = h[h["mun_code"].isin(mun_codes)].copy()
    d["area"] = d["mun_code"].map(geo.mun_names())
    return d[["area", "mun_code", "year", "homicides", "homicide_rate"]].reset_index(drop=True)


def monthly() -> pd.DataFrame:
    """Tancítaro's homicides by month of occurrence with the trailing 12-month total."""
    m = load("homicides_municipal_monthly")
    m = m[m["mun_code"] == CODE].sort_values(["year", "month"]).copy()
    m["homicides"] = m["homicides"].astype(float)
    m["date"] = pd.to_datetime(dict(year=m["year"], month=m["month"], day=1))
    m["rolling_12"] = m["homicides"].rolling(12, min_periods=12).sum()
    return m[["date", "year", "month", "homicides", "rolling_12"]].reset_index(drop=True)


def monthly_group(mun_codes: list[str], y0: int, y1: int) -> pd.DataFrame:
    """Summed homicides of a set of municipalities by month of occurrence, y0..y1, with the exposure in
    person-years (the year's population / 12): the input of :func:`enclaves.stats.quasi_poisson_rate_ratio`."""
    m = load("homicides_municipal_monthly")
    m = m[m["mun_code"].isin(mun_codes) & m["year"].between(y0, y1)]
    d = m.groupby(["year", "month"], as_index=False)["homicides"].sum()
    h = michoacan_annual()
    pop = h[h["mun_code"].isin(mun_codes)].groupby("year")["population"].sum()
    if len(d) != 12 * (y1 - y0 + 1) or not set(d["year"]) <= set(pop.index):
        raise ValueError(f"monthly_group: incomplete months or population for {y0}-{y1}")
    d["exposure"] = d["year"].map(pop).to_numpy(float) / 12
    d["period"] = d["year"] * 100 + d["month"]
    d["homicides"] = d["homicides"].astype(float)
    return d[["period", "year", "month", "homicides", "exposure"]]


def dispersed_ratio(mun_codes: list[str], ref_codes: list[str], y0: int, y1: int) -> stats.DispersedRateRatio:
    """Quasi-Poisson ratio of two sets' homicide rates over the same months (see
    :func:`enclaves.stats.quasi_poisson_rate_ratio`)."""
    return stats.quasi_poisson_rate_ratio(monthly_group(mun_codes, y0, y1), monthly_group(ref_codes, y0, y1))


def month_dispersion(y0: int, y1: int) -> float:
    """Variance over mean of Tancítaro's monthly homicide counts in y0..y1 (1 for Poisson counts)."""
    m = monthly()
    x = m.loc[m["year"].between(y0, y1), "homicides"]
    return float(x.var() / x.mean())


def rest_codes() -> list[str]:
    """Every Michoacán municipality but Tancítaro."""
    return sorted(set(michoacan_annual()["mun_code"]) - {CODE})


def pooled(df: pd.DataFrame, y0: int, y1: int) -> dict:
    """Pooled rate of years y0..y1 with its exact interval (:func:`enclaves.stats.pooled_rate`)."""
    return stats.pooled_rate(df, y0, y1)


def period_summary(periods: list[tuple[int, int]] | None = None) -> pd.DataFrame:
    """Pooled rates of Tancítaro, the two groups and the rest of Michoacán in fixed periods (``PERIODS``)."""
    sets = {NAME: case_annual(), BELT: aggregate(codes("avocado_belt"), BELT),
            SELF_DEFENCE: aggregate(codes("self_defence"), SELF_DEFENCE), REST_OF_STATE: rest_of_state()}
    rows = [{"area": label, "period": f"{y0}-{y1}", **pooled(d, y0, y1)}
            for label, d in sets.items() for y0, y1 in (periods or PERIODS)]
    return pd.DataFrame(rows)


def nation_pooled(y0: int, y1: int) -> float:
    """The nation's pooled homicide rate per 100,000, years y0..y1."""
    s = state_and_nation()
    return pooled(s[s["area"] == geo.NATIONAL_NAME], y0, y1)["rate"]


def three_deaths_effect(year: int = 2013) -> float:
    """How many points per 100,000 three deaths add to Tancítaro's rate in ``year``."""
    t = case_annual()
    pop = float(t.loc[t["year"] == year, "population"].iloc[0])
    return stats.per_100k(3, pop)


# ---------------------------------------------------------------------------------------------
# The counterfactual: synthetic control
# ---------------------------------------------------------------------------------------------


def _size_band(factor: float, complete: bool) -> list[str]:
    """Michoacán municipalities whose 2010 population lies within ×``factor`` of Tancítaro's, outside the
    avocado belt and the self-defence towns (and, if ``complete``, with a full 2000-2021 series)."""
    h = michoacan_annual()
    pop = h[h["year"] == DONOR_POP_YEAR].set_index("mun_code")["population"]
    t = pop[CODE]
    excluded = set(codes("avocado_belt")) | set(codes("self_defence")) | {CODE}
    full = h.groupby("mun_code")["homicide_rate"].apply(lambda s: s.notna().all() and len(s) == DONOR_YEARS)
    return [c for c in pop.index if c not in excluded and (not complete or full.get(c, False))
            and t / factor <= pop[c] <= t * factor]


def donor_pool() -> list[str]:
    """Michoacán municipalities with a complete 2000-2021 series whose 2010 population lies within
    ×``DONOR_FACTOR`` of Tancítaro's, outside the avocado belt and the self-defence towns."""
    return sorted(_size_band(DONOR_FACTOR, complete=True))


def panel() -> pd.DataFrame:
    """Wide table of homicide rates: index year, columns municipality codes (Michoacán)."""
    h = michoacan_annual()
    return h.pivot(index="year", columns="mun_code", values="homicide_rate").sort_index()


@lru_cache(maxsize=4)
def synth_wide_pool(factor: float = WIDE_FACTOR):
    """The same synthetic control (no placebos) on a wider size band (complete series not required), for
    the sensitivity check and the exercises."""
    return synthetic_control(panel(), CODE, BREAK_YEAR, _size_band(factor, complete=False), pre_start=PRE_START)


@lru_cache(maxsize=1)
def counterfactual() -> base.Counterfactual:
    """The chapter's synthetic control with placebo-in-space inference (``main``), a placebo in time
    (break in ``PLACEBO_TIME_START``), the leave-one-out sensitivity over the ``LOO_TOP`` heaviest donors
    (with ``dropped_name``) and the variant ``wide_pool`` (size band ``WIDE_FACTOR``): 37 fits, 10-25 s
    depending on the machine."""
    p = panel()
    donors = donor_pool()
    main = placebo_in_space(p, CODE, BREAK_YEAR, donors, pre_start=PRE_START)
    fake = placebo_in_time(p, CODE, PLACEBO_TIME_START, donors, pre_start=PRE_START, end=BREAK_YEAR - 1)
    loo = leave_one_out(p, CODE, BREAK_YEAR, donors, top=LOO_TOP, pre_start=PRE_START)
    nm = geo.mun_names()
    loo = loo.assign(dropped_name=loo["dropped"].map(lambda c: nm.get(c, c)))
    clean = placebo_in_space(p, CODE, BREAK_YEAR, clean_donor_pool(), pre_start=PRE_START)
    return base.Counterfactual(main=main, start=BREAK_YEAR, donors=donors, placebo_time=fake, leave_one_out=loo,
                               variants={"wide_pool": synth_wide_pool(WIDE_FACTOR), "clean_pool": clean})


def treated_donors() -> list[str]:
    """Donors with a self-defence militia or the loss of their local government by the end of the data (the
    sourced table ``treated_units.csv``): a town with its own militia is no picture of "no militia"."""
    return sorted(set(donor_pool()) & generic.event_codes(LAST_MUNICIPAL_YEAR))


def clean_donor_pool() -> list[str]:
    """:func:`donor_pool` without :func:`treated_donors`."""
    return sorted(set(donor_pool()) - set(treated_donors()))


def gaps_table(result) -> pd.DataFrame:
    """A placebo-in-space fit's yearly gaps (actual − synthetic) as a long table for the chart: year, gap,
    unit (municipality name) and kind (Tancítaro or a donor treated as a placebo)."""
    nm = geo.mun_names()
    gaps = [pd.DataFrame({"year": result.gap.index, "gap": result.gap.values, "unit": NAME, "kind": NAME})]
    gaps += [pd.DataFrame({"year": g.index, "gap": g.values, "unit": nm[d], "kind": "Donor treated as a placebo"})
             for d, g in result.placebo_gaps.items()]
    return pd.concat(gaps, ignore_index=True)


@lru_cache(maxsize=1)
def placebo_gaps() -> pd.DataFrame:
    """Tancítaro's and every placebo's yearly gap in :func:`counterfactual` (see :func:`gaps_table`)."""
    return gaps_table(counterfactual().main)


def before_after_permutation() -> pd.DataFrame:
    """A simpler check than the synthetic control: each unit's pooled 2014-2021 rate over its pooled
    2000-2013 rate, for Tancítaro and every donor, ranked (1 = largest fall)."""
    h = michoacan_annual()
    units = [CODE, *donor_pool()]
    d = h[h["mun_code"].isin(units)].assign(post=lambda x: x["year"] >= BREAK_YEAR)
    a = d.groupby(["mun_code", "post"])[["homicides", "population"]].sum()
    r = stats.per_100k(a["homicides"], a["population"]).unstack()
    out = pd.DataFrame({"mun_code": r.index, "rate_pre": r[False].to_numpy(), "rate_post": r[True].to_numpy()})
    out["ratio"] = out["rate_post"] / out["rate_pre"]
    out["mun_name"] = out["mun_code"].map(geo.mun_names())
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
    a["area"] = a["mun_code"].map(geo.mun_names())
    a["thousand_tonnes"] = a["tonnes"] / 1000
    a["share_pct"] = a["share_national_tonnes"] * 100
    return a[["area", "mun_code", "year", "planted_ha", "harvested_ha", "tonnes", "thousand_tonnes",
              "value_mxn", "share_pct"]].reset_index(drop=True)


def avocado_case() -> pd.DataFrame:
    """SIAP's avocado rows for Tancítaro (one per year)."""
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


def elections_case() -> pd.DataFrame:
    """Tancítaro's municipal election returns, by year."""
    e = load("elections_municipal")
    return e[e["mun_code"] == CODE].sort_values("year").reset_index(drop=True)


def elections_state(year: int | None = None) -> pd.DataFrame:
    """The elected rows of every Michoacán municipal election (one year, or all)."""
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
    e["mun_name"] = e["mun_code"].map(geo.mun_names())
    e["winner"] = e["winner"].fillna("")
    e["vote_share_pct"] = e["vote_share"].astype(float) * 100
    return e[["year", "mun_code", "mun_name", "area", "winner", "margin_pts", "vote_share_pct"]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Suicides and the self-defence towns' relapse
# ---------------------------------------------------------------------------------------------


def suicide_compare(basis: str = "occurrence") -> pd.DataFrame:
    """2024 suicide rates with exact intervals: Tancítaro, the comparison municipalities, the state, the nation."""
    s = load("suicides_municipal")
    s = s[s["basis"] == basis]
    g = groups()
    keep = g[g["group"].isin(["avocado_belt", "self_defence"])][["mun_code", "group"]]
    rows = s.merge(pd.concat([pd.DataFrame({"mun_code": [CODE], "group": ["case"]}), keep]), on="mun_code")
    rows["area"] = rows["mun_code"].map(geo.mun_names())
    rows["group_label"] = rows["group"].map({"case": NAME, **GROUP_LABELS})
    st = load("suicides_state")
    st = st[(st["basis"] == basis) & st["state_code"].isin(["00", STATE])].copy()
    st["area"] = st["state_code"].map({"00": geo.NATIONAL_NAME, STATE: STATE_NAME})
    st["group_label"] = "State and nation"
    cols = ["area", "group_label", "suicides", "population", "suicide_rate", "rate_low", "rate_high"]
    out = pd.concat([rows[cols], st[cols]], ignore_index=True)
    for c in ["suicides", "population"]:
        out[c] = out[c].astype(float)
    return out.sort_values("suicide_rate", ascending=False).reset_index(drop=True)


def t4_table() -> pd.DataFrame:
    """Pooled rates of each self-defence municipality (and the group, and Tancítaro) in the T4 windows, with
    the exact rate ratio of the relapse window to the one after the uprisings."""
    rows = []
    nm = geo.mun_names()
    sd = codes("self_defence")
    sets = [(NAME, [CODE])] + [(nm[c], [c]) for c in sd] + [(SELF_DEFENCE, sd)]
    windows = {"before": T4_BEFORE, "after": T4_AFTER, "relapse": T4_RELAPSE, "later": T4_LATER}
    for label, cs in sets:
        d = aggregate(cs, label)
        row = {"area": label}
        for key, (y0, y1) in windows.items():
            p = pooled(d, y0, y1)
            row[f"{key}_rate"] = p["rate"]
            row[f"{key}_deaths"] = p["deaths"]
            row[f"{key}_py"] = p["person_years"]
        rr = stats.rate_ratio(row["relapse_deaths"], row["relapse_py"], row["after_deaths"], row["after_py"])
        row.update({"rr_relapse_after": rr.rr, "rr_low": rr.low, "rr_high": rr.high})
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Since then: investigation files, January 2024 - June 2025; the state's series to 2025; and the old
# instrument's kidnapping and robbery files, 2011-2013
# ---------------------------------------------------------------------------------------------

def since_then_sets() -> dict[str, list[str]]:
    """Tancítaro, its western avocado neighbours, the avocado belt, Uruapan, the self-defence towns and the rest
    of Michoacán, as lists of municipality codes."""
    others = sorted(set(michoacan_annual()["mun_code"]) - {CODE})
    return {NAME: [CODE], WEST_LABEL: list(WEST_NEIGHBOURS), BELT: codes("avocado_belt"),
            geo.mun_names()[URUAPAN]: [URUAPAN], SELF_DEFENCE: codes("self_defence"), REST_OF_STATE: others}


def since_then_rates() -> pd.DataFrame:
    """One row per area of :func:`since_then_sets` (group ``Group``) and per comparison municipality (group
    ``Municipality``): investigation files January 2024 - June 2025 per 100,000 a year (:func:`files_since`)."""
    rows = [{**files_since(c, label), "kind": "Group" if len(c) > 1 else "Municipality"}
            for label, c in since_then_sets().items()]
    nm = geo.mun_names()
    done = {r["area"] for r in rows}
    for group in ("avocado_belt", "self_defence"):
        for c in codes(group):
            if nm[c] not in done:
                rows.append({**files_since([c], nm[c]), "kind": "Municipality"})
    out = pd.DataFrame(rows)
    groups_of = {c: GROUP_LABELS[g] for g in ("avocado_belt", "self_defence") for c in codes(g)}
    out["group"] = out["area"].map({nm[c]: g for c, g in groups_of.items()})
    out.loc[out["area"] == NAME, "group"] = NAME
    out["group"] = out["group"].fillna(out["area"])
    return out


def since_then_ratio(label: str, ref: str) -> stats.RateRatio:
    """Exact ratio of two areas' file rates, January 2024 - June 2025 (labels of :func:`since_then_sets`)."""
    sets = since_then_sets()
    a, b = files_since(sets[label], label), files_since(sets[ref], ref)
    return stats.rate_ratio(a["files"], a["person_years"], b["files"], b["person_years"])


def state_sources() -> pd.DataFrame:
    """Michoacán's homicide counts by instrument, as separate labelled series (``state_homicide_sources``, year
    of occurrence for the deaths), with the part year 2025 kept and marked (``months`` 6) and ``per_year``, the
    count at an annual pace (count × 12 / months)."""
    d = state_homicide_sources([STATE], full_years=False)
    d = d[d["year"] >= OCCURRENCE_FROM].copy()
    d["per_year"] = d["value"] * 12 / d["months"]
    d["part_year"] = d["months"] < 12
    return d.reset_index(drop=True)


def crime_2011_2013(crimes=("secuestro", "robo", "homicidio_doloso")) -> pd.DataFrame:
    """Old-instrument files (averiguaciones previas) for kidnapping, robbery and homicide, 2011-2013
    (``municipal_crime_2011_2013``), summed over the areas of :func:`since_then_sets`: one row per area, crime
    and year, plus the pooled rate per 100,000 a year over the three years (CONAPO population) with its exact
    interval (columns ``rate``, ``rate_low``, ``rate_high``, repeated on the area's rows)."""
    pop = michoacan_annual()
    rows = []
    for label, cs in since_then_sets().items():
        f = municipal_crime_2011_2013(cs, list(crimes))
        if f["count"].isna().any():
            raise ValueError(f"crime_municipal_annual: a missing count in {label}")
        f = f.groupby(["crime", "year"], as_index=False)["count"].sum()
        py = float(pop[pop["mun_code"].isin(cs) & pop["year"].between(2011, 2013)]["population"].sum())
        tot = f.groupby("crime")["count"].sum()
        r = stats.rate_ci(tot.to_numpy(), [py] * len(tot))
        r.index = tot.index
        f = f.join(r, on="crime").assign(area=label, person_years=py, total=f["crime"].map(tot))
        rows.append(f)
    return pd.concat(rows, ignore_index=True)[["area", "crime", "year", "count", "total", "person_years", "rate",
                                               "rate_low", "rate_high"]]


def crime_2011_2013_ratio(crime: str, label: str = NAME, ref: str = REST_OF_STATE) -> stats.RateRatio:
    """Exact ratio of two areas' pooled 2011-2013 file rates for ``crime``."""
    d = crime_2011_2013().drop_duplicates(["area", "crime"]).set_index(["area", "crime"])
    a, b = d.loc[(label, crime)], d.loc[(ref, crime)]
    return stats.rate_ratio(a["total"], a["person_years"], b["total"], b["person_years"])


def crime_2011_2013_table() -> str:
    """The kidnapping and robbery files of 2011-2013 as a Markdown table (counts by year, and the pooled rate per
    100,000 a year with its exact 95% interval)."""
    d = crime_2011_2013(("secuestro", "robo"))
    lines = ["| Area | Kidnapping files 2011, 2012, 2013 | Kidnapping per 100,000 a year (95% interval) "
             "| Robbery files 2011, 2012, 2013 | Robbery per 100,000 a year (95% interval) |",
             "|:--|--:|--:|--:|--:|"]
    for area, g in d.groupby("area", sort=False):
        cells = []
        for crime in ("secuestro", "robo"):
            c = g[g["crime"] == crime].sort_values("year")
            r = c.iloc[0]
            cells.append(", ".join(f"{int(v):,}" for v in c["count"]))
            cells.append(f"{r['rate']:.1f} ({r['rate_low']:.1f}–{r['rate_high']:.1f})")
        lines.append(f"| {area} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
