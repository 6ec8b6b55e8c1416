"""Cherán's comparison sets, derived series, election and avocado records, and the counterfactual.

Everything the chapter ``book/cases/cheran.md`` shows is computed here from processed tables
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
    NEW_HOMICIDE,
    files_since,
    municipal_incidents,
    since_populations,
    state_homicide_rates,
    state_homicide_sources,
)
from .. import base, generic
from .case import (
    AFTER,
    BEFORE,
    BREAK_YEAR,
    CODE,
    GROUP_LABELS,
    LAST_MUNICIPAL_YEAR,
    LOO_TOP,
    MESETA,
    MESETA_EXTRA,
    MILITIA,
    MILITIA_SOURCE,
    NAME,
    OCCURRENCE_FROM,
    PLACEBO_TIME_START,
    PRE_START,
    REST_OF_STATE,
    SIMILAR,
    SIMILAR_FACTOR,
    SIMILAR_YEAR,
    SLUG,
    STATE,
    STATE_NAME,
    TANCITARO,
    WIDE_FACTOR,
)

COLS = ["area", "year", "homicides", "population", "homicide_rate", "rate_low", "rate_high"]

# ---------------------------------------------------------------------------------------------
# Comparison groups
# ---------------------------------------------------------------------------------------------


def groups() -> pd.DataFrame:
    """data/mappings/comparison_cheran.csv with each municipality's INEGI name attached."""
    g = geo.comparison_groups(SLUG)
    return g.assign(mun_name=g["mun_code"].map(geo.mun_names()))


def codes(group: str) -> list[str]:
    """The municipality codes of one comparison group (``meseta``, ``similar``, ``tancitaro``, ``militia``)."""
    g = groups()
    return g.loc[g["group"] == group, "mun_code"].tolist()


def bordering() -> pd.DataFrame:
    """The municipalities that share a boundary with Cherán (``municipal_neighbours``, from INEGI's
    boundaries), with the length of the shared boundary."""
    n = load("municipal_neighbours")
    n = n[n["mun_code"] == CODE][["neighbour_code", "shared_km", "border_share"]]
    return n.rename(columns={"neighbour_code": "mun_code"}).sort_values("mun_code").reset_index(drop=True)


def militia_codes() -> list[str]:
    """The treated towns kept out of every pool: Tancítaro's group of self-defence towns."""
    g = geo.comparison_groups(MILITIA_SOURCE[0])
    return g.loc[g["group"] == MILITIA_SOURCE[1], "mun_code"].tolist()


def _population(year: int) -> pd.Series:
    h = michoacan_annual()
    return h[h["year"] == year].set_index("mun_code")["population"]


def similar_rule(factor: float = SIMILAR_FACTOR, same_degree: bool = True) -> list[str]:
    """Michoacán municipalities within ×``factor`` of Cherán's 2010 population (and, if ``same_degree``, of
    its 2010 marginalisation degree), outside the Meseta group, Tancítaro and the self-defence towns."""
    pop = _population(SIMILAR_YEAR)
    m = load("marginalization_municipal")
    deg = m[m["year"] == SIMILAR_YEAR].set_index("mun_code")["degree"]
    c = pop[CODE]
    out = set(meseta_rule()) | set(militia_codes()) | {CODE, geo.case_codes()[TANCITARO]}
    return sorted(x for x in pop.index if x not in out and c / factor <= pop[x] <= c * factor
                  and (not same_degree or deg.get(x) == deg[CODE]))


def meseta_rule() -> list[str]:
    """The bordering municipalities plus :data:`MESETA_EXTRA`."""
    return sorted({*bordering()["mun_code"], *MESETA_EXTRA})


def comparison_table() -> pd.DataFrame:
    """The comparison file as the rules of :mod:`.case` make it (group, mun_code, reason): what
    ``data/mappings/comparison_cheran.csv`` holds (a test checks that the two agree)."""
    nm = geo.mun_names()
    b = bordering().set_index("mun_code")
    pop = _population(SIMILAR_YEAR)
    rows = []
    for c in meseta_rule():
        why = (f"shares {b.loc[c, 'shared_km']:.1f} km of boundary with Cherán (INEGI boundaries)" if c in b.index
               else "Meseta Purépecha municipality that does not border Cherán")
        rows.append((MESETA, c, f"{nm[c]}: {why}; same highland forests, Purépecha communities and roads"))
    for c in similar_rule():
        rows.append((SIMILAR, c, f"{nm[c]}: Michoacán municipality of similar size (2010 population {int(pop[c]):,} "
                                 f"against Cherán's {int(pop[CODE]):,}) and the same CONAPO marginalisation degree "
                                 "in 2010, outside the Meseta and the self-defence towns"))
    t = geo.case_codes()[TANCITARO]
    rows.append((TANCITARO, t, "Tancítaro: the book's case of secession by the gun, in the same state and years, "
                               "a few dozen kilometres away"))
    for c in militia_codes():
        rows.append((MILITIA, c, f"{nm[c]}: Tierra Caliente self-defence town (Tancítaro chapter): treated, kept "
                                 "out of every pool and used only to show results with and without it"))
    return pd.DataFrame(rows, columns=["group", "mun_code", "reason"])


# ---------------------------------------------------------------------------------------------
# Homicide series
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def michoacan_annual() -> pd.DataFrame:
    """Annual homicides, population and rate for every Michoacán municipality, occurrence basis, from 2000."""
    h = load("homicides_municipal_annual")
    h = h[(h["year_basis"] == "occurrence") & h["mun_code"].str.startswith(STATE) & (h["year"] >= OCCURRENCE_FROM)]
    h = h[["mun_code", "year", "homicides", "population", "homicide_rate"]].copy()
    for c in ("homicides", "population", "homicide_rate"):
        h[c] = h[c].astype(float)
    h["year"] = h["year"].astype(int)
    return h.reset_index(drop=True)


def aggregate(mun_codes: list[str], label: str) -> pd.DataFrame:
    """Summed homicides and population of a set of municipalities by year, with the rate and its interval."""
    h = michoacan_annual()
    d = h[h["mun_code"].isin(mun_codes)].groupby("year", as_index=False)[["homicides", "population"]].sum()
    d["homicide_rate"] = stats.per_100k(d["homicides"], d["population"])
    return stats.add_rate_ci(d.assign(area=label))


def case_annual() -> pd.DataFrame:
    """Cherán's annual series with exact Poisson 95% intervals."""
    return aggregate([CODE], NAME)


def rest_of_state() -> pd.DataFrame:
    """Michoacán without Cherán, summed from the municipal table."""
    return aggregate(sorted(set(michoacan_annual()["mun_code"]) - {CODE}), REST_OF_STATE)


def state_and_nation() -> pd.DataFrame:
    """Michoacán and the nation from the state table (occurrence basis), over the municipal years."""
    s = state_homicide_rates(["00", STATE])
    s = s[s["year"].between(OCCURRENCE_FROM, LAST_MUNICIPAL_YEAR)].copy()
    s["area"] = s["state_code"].map({"00": geo.NATIONAL_NAME, STATE: STATE_NAME})
    for c in ("homicides", "population", "homicide_rate"):
        s[c] = s[c].astype(float)
    return stats.add_rate_ci(s[["year", "homicides", "population", "homicide_rate", "area"]])


def rates() -> pd.DataFrame:
    """Cherán, Michoacán and the nation: annual rates with intervals (long table)."""
    return pd.concat([case_annual()[COLS], state_and_nation()[COLS]], ignore_index=True)


def comparison_rates() -> pd.DataFrame:
    """Cherán, the Meseta neighbours, the similar towns and Tancítaro (each pooled), and the rest of Michoacán."""
    parts = [case_annual()] + [aggregate(codes(g), GROUP_LABELS[g]) for g in (MESETA, SIMILAR, TANCITARO)]
    parts.append(rest_of_state())
    return pd.concat([p[COLS] for p in parts], ignore_index=True)


def municipal_rates(mun_codes: list[str]) -> pd.DataFrame:
    """One rate series per municipality (names attached), for the dropdown chart."""
    h = michoacan_annual()
    d = h[h["mun_code"].isin(mun_codes)].copy()
    d["area"] = d["mun_code"].map(geo.mun_names())
    return d[["area", "mun_code", "year", "homicides", "homicide_rate"]].reset_index(drop=True)


def pooled(df: pd.DataFrame, window: tuple[int, int]) -> dict:
    """Pooled rate of the years of ``window`` with its exact interval (:func:`enclaves.stats.pooled_rate`)."""
    return stats.pooled_rate(df, *window)


def period_table(periods: list[tuple[int, int]]) -> pd.DataFrame:
    """Pooled rates of Cherán, each comparison group and the rest of Michoacán in fixed periods."""
    sets = {NAME: case_annual(), **{GROUP_LABELS[g]: aggregate(codes(g), GROUP_LABELS[g])
                                    for g in (MESETA, SIMILAR, TANCITARO, MILITIA)},
            REST_OF_STATE: rest_of_state()}
    rows = [{"area": label, "period": f"{y0}-{y1}", **pooled(d, (y0, y1))}
            for label, d in sets.items() for y0, y1 in periods]
    return pd.DataFrame(rows)


def ranking(window: tuple[int, int]) -> pd.DataFrame:
    """Every Michoacán municipality's pooled homicide rate over ``window``, ranked (1 = lowest), with its
    exact interval and the share of municipalities at or below its rate."""
    h = michoacan_annual()
    d = h[h["year"].between(*window)].groupby("mun_code", as_index=False)[["homicides", "population"]].sum()
    d["rate"] = stats.per_100k(d["homicides"], d["population"])
    ci = stats.rate_ci(d["homicides"], d["population"])
    d["rate_low"], d["rate_high"] = ci["rate_low"].to_numpy(), ci["rate_high"].to_numpy()
    d["rank"] = d["rate"].rank(method="min").astype(int)
    d["share_at_or_below"] = d["rate"].map(lambda r: float((d["rate"] <= r).mean()))
    d["mun_name"] = d["mun_code"].map(geo.mun_names())
    return d.sort_values(["rate", "mun_code"]).reset_index(drop=True)


def ratio_to(label_df: pd.DataFrame, window: tuple[int, int], ref: pd.DataFrame, ref_window=None):
    """Exact ratio of two pooled rates (:func:`enclaves.stats.rate_ratio`)."""
    a = pooled(label_df, window)
    b = pooled(ref, ref_window or window)
    return stats.rate_ratio(a["deaths"], a["person_years"], b["deaths"], b["person_years"])


# ---------------------------------------------------------------------------------------------
# A count model: difference in differences with quasi-Poisson errors
# ---------------------------------------------------------------------------------------------


def did_quasi_poisson(pool: str = SIMILAR) -> dict:
    """Cherán against a comparison group in one count model: annual homicides of each municipality with
    municipality and year fixed effects, an offset of log population and a term for Cherán after the break;
    quasi-Poisson errors (the Pearson χ² scale) allow for overdispersion. Returns the rate ratio of that term
    with its 95% interval, the estimated dispersion and the number of municipalities."""
    import statsmodels.api as sm

    h = michoacan_annual()
    d = h[h["mun_code"].isin([CODE, *codes(pool)]) & h["year"].between(PRE_START, LAST_MUNICIPAL_YEAR)].copy()
    d["treated_post"] = ((d["mun_code"] == CODE) & (d["year"] >= BREAK_YEAR)).astype(float)
    X = pd.get_dummies(d[["mun_code", "year"]].astype(str), drop_first=True, dtype=float)
    X.insert(0, "treated_post", d["treated_post"].to_numpy())
    X = sm.add_constant(X)
    fit = sm.GLM(d["homicides"], X, family=sm.families.Poisson(), offset=np.log(d["population"])).fit(scale="X2")
    b, se = float(fit.params["treated_post"]), float(fit.bse["treated_post"])
    return {"rr": float(np.exp(b)), "low": float(np.exp(b - 1.959964 * se)), "high": float(np.exp(b + 1.959964 * se)),
            "dispersion": float(fit.scale), "units": int(d["mun_code"].nunique())}


# ---------------------------------------------------------------------------------------------
# The counterfactual: synthetic control
# ---------------------------------------------------------------------------------------------


def panel() -> pd.DataFrame:
    """Wide table of homicide rates: index year, columns municipality codes (Michoacán)."""
    return michoacan_annual().pivot(index="year", columns="mun_code", values="homicide_rate").sort_index()


def donor_pool() -> list[str]:
    """The similar towns (size and marginalisation) with a complete series: the primary donor pool."""
    p = panel()
    return [c for c in codes(SIMILAR) if c in p.columns and p[c].notna().all()]


def _fit(donors: list[str]):
    p = panel()
    return synthetic_control(p, CODE, BREAK_YEAR, [c for c in donors if p[c].notna().all()], pre_start=PRE_START)


@lru_cache(maxsize=1)
def counterfactual() -> base.Counterfactual:
    """The chapter's synthetic control: donors the similar towns, pre-period 2000-2011, first treated year
    2012, with placebo-in-space inference (``main``); a placebo in time (break in ``PLACEBO_TIME_START``);
    leave-one-out over the ``LOO_TOP`` heaviest donors; and variants: the Meseta neighbours added to the pool,
    the self-defence towns added, a wider size band of any marginalisation, and the uprising year 2011 as the
    first treated year."""
    p = panel()
    donors = donor_pool()
    main = placebo_in_space(p, CODE, BREAK_YEAR, donors, pre_start=PRE_START)
    fake = placebo_in_time(p, CODE, PLACEBO_TIME_START, donors, pre_start=PRE_START, end=BREAK_YEAR - 1)
    loo = leave_one_out(p, CODE, BREAK_YEAR, donors, top=LOO_TOP, pre_start=PRE_START)
    nm = geo.mun_names()
    loo = loo.assign(dropped_name=loo["dropped"].map(lambda c: nm.get(c, c)))
    variants = {
        "with_meseta": _fit(donors + codes(MESETA)),
        "with_militia": _fit(donors + codes(MILITIA)),
        "wide_pool": _fit(similar_rule(WIDE_FACTOR, same_degree=False)),
        "start_2011": synthetic_control(p, CODE, BREAK_YEAR - 1, donors, pre_start=PRE_START),
    }
    return base.Counterfactual(main=main, start=BREAK_YEAR, donors=donors, placebo_time=fake, leave_one_out=loo,
                               variants=variants)


@lru_cache(maxsize=1)
def placebo_gaps() -> pd.DataFrame:
    """Cherán's and every placebo's yearly gap (actual − synthetic), long: year, gap, unit, kind."""
    return generic.gaps_table(counterfactual().main, NAME)


def before_after_permutation() -> pd.DataFrame:
    """Each unit's pooled rate after the break over its pooled rate before (``BEFORE``, ``AFTER``), for Cherán
    and every donor, ranked (1 = largest fall)."""
    h = michoacan_annual()
    units = [CODE, *donor_pool()]
    rows = []
    for u in units:
        d = h[h["mun_code"] == u]
        pre, post = pooled(d, BEFORE), pooled(d, AFTER)
        rows.append({"mun_code": u, "rate_pre": pre["rate"], "rate_post": post["rate"]})
    out = pd.DataFrame(rows)
    out["ratio"] = out["rate_post"] / out["rate_pre"]
    out["mun_name"] = out["mun_code"].map(geo.mun_names())
    out["rank"] = out["ratio"].rank(method="min").astype(int)
    return out.sort_values(["ratio", "mun_code"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Elections and avocados
# ---------------------------------------------------------------------------------------------


def election_cycles() -> pd.DataFrame:
    """Every Michoacán municipality's party result for each ordinary election cycle (an extraordinary
    election the next year counts for the cycle it replaced): mun_code, cycle, winner, winner_family, margin."""
    e = load("elections_municipal")
    e = e[e["mun_code"].str.startswith(STATE) & (e["outcome"] == "elected")].copy()
    cycles = sorted(e.loc[~e["extraordinary"], "year"].value_counts().loc[lambda s: s > 50].index)
    e["cycle"] = e["year"].map(lambda y: max([c for c in cycles if c <= y], default=y))
    e = e.sort_values("year").groupby(["mun_code", "cycle"], as_index=False).last()
    return e[["mun_code", "cycle", "year", "winner", "winner_family", "margin", "vote_share", "mayor"]]


def coverage() -> pd.DataFrame:
    """For each election cycle: how many Michoacán municipalities other than Cherán have a party result,
    their share, and whether Cherán has one."""
    e = election_cycles()
    others = set(michoacan_annual()["mun_code"]) - {CODE}
    rows = [{"cycle": int(c), "others_with_result": int(g["mun_code"].isin(others).sum()),
             "others_share": float(g["mun_code"].isin(others).sum() / len(others)),
             "case_has_result": bool((g["mun_code"] == CODE).any())} for c, g in e.groupby("cycle")]
    return pd.DataFrame(rows)


def elections_grid() -> pd.DataFrame:
    """Cherán and the Meseta neighbours by election cycle: the winning party family, or "custom" where
    Cherán chose its council by custom (cycles after the break with no party result)."""
    e = election_cycles()
    units = [CODE, *codes(MESETA)]
    cyc = sorted(c for c in e["cycle"].unique() if (e["cycle"] == c).sum() > 50)
    grid = pd.MultiIndex.from_product([units, cyc], names=["mun_code", "cycle"]).to_frame(index=False)
    g = grid.merge(e, on=["mun_code", "cycle"], how="left")
    custom = (g["mun_code"] == CODE) & (g["cycle"] >= BREAK_YEAR - 1) & g["winner"].isna()
    g["family"] = np.where(custom, "custom", g["winner_family"].fillna("none"))
    g["mun_name"] = g["mun_code"].map(geo.mun_names())
    g["margin_pts"] = g["margin"].astype(float) * 100
    g["winner"] = np.where(custom, "council chosen by custom", g["winner"].fillna(""))
    return g


def avocado_neighbours() -> pd.DataFrame:
    """SIAP's planted avocado area (hectares) by year for Cherán and the Meseta municipalities; a year with no
    SIAP row counts as no recorded area (0)."""
    a = load("avocado_municipal")
    units = [CODE, *codes(MESETA)]
    years = range(int(a["year"].min()), int(a["year"].max()) + 1)
    grid = pd.MultiIndex.from_product([units, years], names=["mun_code", "year"]).to_frame(index=False)
    d = grid.merge(a[["mun_code", "year", "planted_ha", "tonnes"]], on=["mun_code", "year"], how="left")
    d["recorded"] = d["planted_ha"].notna()
    d["planted_ha"] = d["planted_ha"].fillna(0.0).astype(float)
    d["tonnes"] = d["tonnes"].fillna(0.0).astype(float)
    d["area"] = d["mun_code"].map(geo.mun_names())
    d["bordering"] = d["mun_code"].isin(bordering()["mun_code"])
    return d


# ---------------------------------------------------------------------------------------------
# Since then: investigation files, January 2024 - June 2025
# ---------------------------------------------------------------------------------------------


def since_then_sets() -> dict[str, list[str]]:
    """Cherán, its comparison groups and the rest of Michoacán, as lists of municipality codes."""
    return {NAME: [CODE], **{GROUP_LABELS[g]: codes(g) for g in (MESETA, SIMILAR, TANCITARO, MILITIA)},
            REST_OF_STATE: sorted(set(michoacan_annual()["mun_code"]) - {CODE})}


def since_then_rates() -> pd.DataFrame:
    """Files per 100,000 a year, January 2024 - June 2025 (:func:`files_since`): one row per area of
    :func:`since_then_sets` and one per Meseta municipality; ``group`` is the group a row belongs to."""
    nm = geo.mun_names()
    rows = [{**files_since(c, label), "group": label, "kind": "Group" if len(c) > 1 else "Municipality"}
            for label, c in since_then_sets().items()]
    rows += [{**files_since([c], nm[c]), "group": GROUP_LABELS[MESETA], "kind": "Municipality"}
             for c in codes(MESETA)]
    return pd.DataFrame(rows)


def since_then_ratio(label: str, ref: str) -> stats.RateRatio:
    """Exact ratio of two areas' file rates, January 2024 - June 2025 (labels of :func:`since_then_sets`)."""
    sets = since_then_sets()
    a, b = files_since(sets[label], label), files_since(sets[ref], ref)
    return stats.rate_ratio(a["files"], a["person_years"], b["files"], b["person_years"])


def since_then_ranking() -> pd.DataFrame:
    """Every Michoacán municipality's file rate, January 2024 - June 2025, ranked (1 = lowest; ties share the
    lowest rank), with the share of municipalities at or below it."""
    pop = since_populations(STATE)
    f = municipal_incidents(sorted(pop.index), NEW_HOMICIDE, by="year")
    d = f.groupby("mun_code", as_index=False).agg(files=("count", "sum"), months=("months", "sum"))
    d["person_years"] = d["mun_code"].map(pop) * d["months"] / 12
    d["rate"] = stats.per_100k(d["files"], d["person_years"])
    d["rank"] = d["rate"].rank(method="min").astype(int)
    d["share_at_or_below"] = d["rate"].map(lambda r: float((d["rate"] <= r).mean()))
    d["mun_name"] = d["mun_code"].map(geo.mun_names())
    return d.sort_values(["rate", "mun_code"]).reset_index(drop=True)


def state_sources() -> pd.DataFrame:
    """Michoacán's homicide counts by instrument, as separate labelled series (``state_homicide_sources``), the
    part year 2025 kept (``months`` 6), with ``per_year``, the count at an annual pace (count × 12 / months)."""
    d = state_homicide_sources([STATE], full_years=False)
    d = d[d["year"] >= OCCURRENCE_FROM].copy()
    d["per_year"] = d["value"] * 12 / d["months"]
    d["part_year"] = d["months"] < 12
    return d.reset_index(drop=True)
