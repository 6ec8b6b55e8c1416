"""Cross-case analysis: the panels, the models, the between-state correlations and the evidence on X1.

Two panels, built only from processed tables:

* **States × years** (:func:`state_panel`): homicide rates (INEGI deaths by year of occurrence,
  2000-2022) with ENVIPE's dark figure, the share of unreported crimes blamed on the authorities,
  perceived insecurity, and whether the governor in office came from a different party family
  than the one before (derived from consecutive winners in ``governors``).
* **Municipalities × years** (:func:`municipal_panel`): homicide rates 2000-2021 with the party
  family ruling the town hall (winner of the last municipal election), whether it differs from the
  previous winner's (alternation) and from the governor's family.

Models come from :mod:`enclaves.models.panel`; the thresholds of the verdict on X1 are constants in
:mod:`.case`, applied by :mod:`.evidence` (the table of tests and the verdict).
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import pandas as pd

from ... import stats
from ...data import load
from ...models import panel
from ...series import state_names
from .case import (
    BETWEEN,
    BETWEEN_LABELS,
    ELECTION_OUTCOMES,
    ELECTION_YEARS,
    ENVIPE,
    EVENT_K,
    FIRST_YEAR,
    FORWARD,
    GOVERNED_BY_CUSTOM,
    JOINT,
    LAST_YEAR,
    LATER_YEARS,
    MAJOR,
    MAX_TERM_YEARS,
    MEASURES,
    MUN_LAST_YEAR,
    MUN_SPECS,
    N_MOST_VIOLENT,
    REVERSE,
    SPECS,
    SURVEY_YEARS,
    TOWN_HALL,
    VIOLENT_YEARS,
)


# ======================================================================================== state panel
def _state_homicides() -> pd.DataFrame:
    h = load("homicides_state_annual")
    h = h[(h.year_basis == "occurrence") & (h.state_code != "00") & h.year.between(FIRST_YEAR, LAST_YEAR)]
    h = h[["state_code", "year", "homicides", "population", "homicide_rate"]].copy()
    h["year"] = h["year"].astype(int)
    h["homicides"] = h["homicides"].astype(float)
    h["population"] = h["population"].astype(float)
    return h.reset_index(drop=True)


def envipe_wide(states_only: bool = True) -> pd.DataFrame:
    """ENVIPE measures by state and ENVIPE ``year`` (one column per indicator).

    ``year`` follows ENVIPE's convention: for the dark figure and the causes of not reporting it is
    the year the crimes happened (edition - 1); for perceived insecurity it is the fieldwork year
    (March-April of the edition year).
    """
    e = load("envipe_state")
    e = e[e.indicator.isin(ENVIPE)]
    if states_only:
        e = e[e.state_code != "00"]
    w = e.pivot_table(index=["state_code", "year"], columns="indicator", values="value").reset_index()
    w.columns.name = None
    w["year"] = w["year"].astype(int)
    return w


def _no_shared_party(new: set, old: set) -> bool:
    """True when two winning candidacies share no major party (or, when either has none, no party)."""
    a, b = new & MAJOR, old & MAJOR
    if a and b:
        return not (a & b)
    return not ((new - {""}) & (old - {""}))


def _strict_alternation(parties: pd.Series, unit: pd.Series) -> list[float]:
    """For each winning candidacy (a set of parties), 1.0 when it shares no party with the previous one of the
    same unit (:func:`_no_shared_party`), 0.0 when it does, NaN without a previous one."""
    prev = parties.groupby(unit).shift(1)
    return [np.nan if not (isinstance(a, set) and isinstance(b, set)) else float(_no_shared_party(a, b))
            for a, b in zip(parties, prev, strict=True)]


def governor_years(first: int = 1990, last: int = LAST_YEAR) -> pd.DataFrame:
    """The governor in office in each state and year, by the first-full-year rule.

    ``governors.start_year`` is the election year for most states (the inauguration year only for
    Mexico City and Puebla); governors take office months after the election, so a governor is
    counted from ``start_year + 1``, the first calendar year spent (almost) wholly in office.
    ``gov_alternation`` is 1 when the governor's party family differs from the previous elected
    governor's, 0 when it is the same, missing for each state's first listed governor.
    """
    g = load("governors").sort_values(["state_code", "start_year"]).copy()
    g["state_code"] = g["state_code"].astype(str)
    g["prev_family"] = g.groupby("state_code")["party_family"].shift(1)
    g["alternation"] = np.where(g["prev_family"].isna(), np.nan,
                                (g["party_family"] != g["prev_family"]).astype(float))
    g["alternation_strict"] = _strict_alternation(g["nominating_parties"].astype(str).str.split("-").map(set),
                                                  g["state_code"])
    g["first_full_year"] = g["start_year"].astype(int) + 1
    grid = pd.DataFrame([(s, y) for s in sorted(g.state_code.unique()) for y in range(first, last + 1)],
                        columns=["state_code", "year"])
    grid["state_code"] = grid["state_code"].astype(str)
    out = pd.merge_asof(grid.sort_values("year"), g.sort_values("first_full_year")[
        ["state_code", "first_full_year", "governor", "party_family", "nominating_parties", "alternation",
         "alternation_strict", "start_year"]],
        left_on="year", right_on="first_full_year", by="state_code", direction="backward")
    out = out.rename(columns={"party_family": "gov_family", "alternation": "gov_alternation",
                              "alternation_strict": "gov_alternation_strict", "start_year": "gov_start_year",
                              "nominating_parties": "gov_parties"})
    out = out.sort_values(["state_code", "year"]).reset_index(drop=True)
    # ever alternated: any alternation in the state's governorship up to that year (absorbing)
    out["gov_ever_alternated"] = out.groupby("state_code")["gov_alternation"].transform(
        lambda s: s.fillna(0).cummax())
    out["gov_family"] = out["gov_family"].astype("string")
    out["state_code"] = out["state_code"].astype("string")
    return out


def _governor_families(last: int) -> pd.DataFrame:
    """The governor's party family by state (a plain string code) and year, FIRST_YEAR to ``last``."""
    g = governor_years(FIRST_YEAR, last)[["state_code", "year", "gov_family"]]
    return g.assign(state_code=g["state_code"].astype(str), gov_family=g["gov_family"].astype(object))


@lru_cache(maxsize=1)
def state_panel() -> pd.DataFrame:
    """States × years 2000-2022: homicide rate, ENVIPE measures (by ENVIPE year), governorship."""
    h = _state_homicides()
    w = envipe_wide()
    g = governor_years(FIRST_YEAR, LAST_YEAR)[["state_code", "year", "gov_family", "gov_alternation",
                                                  "gov_alternation_strict", "gov_ever_alternated", "gov_start_year"]]
    d = h.merge(w, on=["state_code", "year"], how="left").merge(g, on=["state_code", "year"], how="left")
    d["state_name"] = d["state_code"].map(state_names())
    d["log_rate"] = np.log(d["homicide_rate"])
    d = panel.lag(d, ["homicide_rate", *ENVIPE, "gov_alternation", "gov_alternation_strict", "gov_ever_alternated"],
                  unit="state_code", time="year", k=1)
    d = panel.lag(d, list(ENVIPE) + ["gov_alternation", "gov_alternation_strict"], unit="state_code", time="year",
                  k=2)
    return d.sort_values(["state_code", "year"]).reset_index(drop=True)


def most_violent_states(n: int = N_MOST_VIOLENT, years: tuple[int, int] = VIOLENT_YEARS) -> list[str]:
    """Codes of the ``n`` states with the highest mean homicide rate over ``years``."""
    d = state_panel()
    m = d[d.year.between(*years)].groupby("state_code")["homicide_rate"].mean()
    return list(m.sort_values(ascending=False).index[:n])


# ==================================================================================== municipal panel
@lru_cache(maxsize=1)
def municipal_terms() -> pd.DataFrame:
    """Municipal election winners (all states, Magar) with the previous winner's party family.

    ``alternation`` is 1 when the winner's family differs from the previous elected winner's, 0 when
    it is the same, missing when either election had no elected winner ('none') or there is no
    earlier election in the data. An extraordinary election replaces the ordinary one of its year.
    ``alternation_strict``: no major party of the previous winning candidacy is in the new one.
    """
    p = load("party_control_municipal").copy()
    p["mun_code"] = p["mun_code"].astype(str)
    p["year"] = p["year"].astype(int)
    p = p.sort_values(["mun_code", "year", "extraordinary"]).drop_duplicates(["mun_code", "year"], keep="last")
    fam = p["winner_family"].astype(str).where(p["winner_family"] != "none")
    p["family"] = fam
    p["prev_family"] = p.groupby("mun_code")["family"].shift(1)
    p["prev_year"] = p.groupby("mun_code")["year"].shift(1)
    both = p["family"].notna() & p["prev_family"].notna()
    p["alternation"] = np.where(both, (p["family"] != p["prev_family"]).astype(float), np.nan)
    strict = _strict_alternation(p["winner"].fillna("").astype(str).str.split("-").map(set), p["mun_code"])
    p["alternation_strict"] = np.where(both, strict, np.nan)
    p["state_code"] = p["mun_code"].str[:2]
    return p[["mun_code", "state_code", "year", "extraordinary", "winner", "family", "prev_family",
              "prev_year", "alternation", "alternation_strict", "margin"]].reset_index(drop=True)


@lru_cache(maxsize=1)
def municipal_panel() -> pd.DataFrame:
    """Municipalities × years 2000-2021: homicides, population, rate, and who rules the town hall.

    The ruling family in year t is the winner of the last election held in t-1 or earlier (mayors
    take office between September of the election year and January of the next, so t-1 is the
    last election whose winner governs most of year t), kept only up to ``MAX_TERM_YEARS`` after
    that election; a municipality governed by custom (``GOVERNED_BY_CUSTOM``) has no ruling party from its
    first year so governed (``by_custom``). ``opp_governor`` is 1 when the town hall's family differs from
    the family of the governor in office (first-full-year rule of :func:`governor_years`).
    """
    h = load("homicides_municipal_annual")
    h = h[(h.year_basis == "occurrence") & h.year.between(FIRST_YEAR, MUN_LAST_YEAR)].copy()
    h = h[h.population.notna() & (h.population > 0)]
    h = h[["mun_code", "year", "homicides", "population", "homicide_rate"]].copy()
    h["mun_code"] = h["mun_code"].astype(str)
    h["year"] = h["year"].astype(int)
    for c in ("homicides", "population", "homicide_rate"):
        h[c] = h[c].astype(float)
    h["state_code"] = h["mun_code"].str[:2]
    t = municipal_terms()
    left = h.assign(elec_key=h["year"] - 1).sort_values("elec_key")
    right = t.rename(columns={"year": "elec_year"})[["mun_code", "elec_year", "family", "alternation",
                                                     "alternation_strict"]]
    right = right.sort_values("elec_year")
    d = pd.merge_asof(left, right, left_on="elec_key", right_on="elec_year", by="mun_code", direction="backward")
    stale = (d["year"] - d["elec_year"]) > MAX_TERM_YEARS
    d["by_custom"] = d["year"] >= d["mun_code"].map(GOVERNED_BY_CUSTOM).fillna(np.inf)
    d.loc[stale | d["by_custom"], ["family", "alternation", "alternation_strict", "elec_year"]] = np.nan
    d = d.merge(_governor_families(MUN_LAST_YEAR), on=["state_code", "year"], how="left")
    known = d["family"].notna() & d["gov_family"].notna()
    d["opp_governor"] = np.where(known, (d["family"] != d["gov_family"]).astype(float), np.nan)
    d["state_year"] = d["state_code"] + "-" + d["year"].astype(str)
    d = d.drop(columns="elec_key").sort_values(["mun_code", "year"]).reset_index(drop=True)
    return d


# ======================================================================================= state models
def _sd_within(res: panel.PanelResult, col: str) -> float:
    """Standard deviation of ``col`` after removing the fixed effects of the fit, on its sample."""
    d = res.data
    if not res.fe:
        return float(d[col].std())
    return float(panel.demean(d, [col], res.fe)[col].std())


def _row(res: panel.PanelResult, term: str, **labels) -> dict:
    """A tidy row: raw coefficient and interval, and the same per within-SD of the regressor
    (``per_sd_*``, in units of the outcome) and fully standardised (``std_*``)."""
    est, lo, hi = res.coef(term)
    sx, sy = _sd_within(res, term), _sd_within(res, res.y)
    binary = set(pd.unique(res.data[term].dropna())) <= {0.0, 1.0}
    step = 1.0 if binary else sx
    return {**labels, "term": term, "coef": est, "ci_low": lo, "ci_high": hi, "p_value": res.pvalue(term),
            "se": res.se(term), "nobs": res.nobs, "n_clusters": res.n_clusters, "sd_x": sx, "sd_y": sy,
            "step": step, "per_step": est * step, "per_step_low": lo * step, "per_step_high": hi * step,
            "std": est * sx / sy, "std_low": lo * sx / sy, "std_high": hi * sx / sy}


@lru_cache(maxsize=1)
def state_models() -> pd.DataFrame:
    """Every state-panel regression of the chapter, one row per (measure, direction, specification).

    ``direction`` is "weakness → later violence" (homicide rate in t on the measure in t-1) or
    "violence → later measure" (the measure in t on the homicide rate in t-1). Errors are
    clustered by state (32 clusters).
    """
    d = state_panel()
    rows = []
    kw = {"unit": "state_code", "time": "year"}
    top = most_violent_states()
    for m in MEASURES:
        lab = {"measure": m, "measure_label": MEASURES[m]["short"]}
        x1 = f"{m}_lag1"
        rows.append(_row(panel.twfe(d, "homicide_rate", x1, **kw), x1, direction=FORWARD, spec=SPECS[0], **lab))
        rows.append(_row(panel.twfe(d, "homicide_rate", f"{m}_lag2", **kw), f"{m}_lag2", direction=FORWARD,
                         spec=SPECS[1], **lab))
        rows.append(_row(panel.twfe(d[~d.state_code.isin(top)], "homicide_rate", x1, **kw), x1,
                         direction=FORWARD, spec=SPECS[2], **lab))
        rows.append(_row(panel.twfe(d, "log_rate", x1, **kw), x1, direction=FORWARD, spec=SPECS[3], **lab))
        rows.append(_row(panel.fd(d, "homicide_rate", x1, **kw), f"d_{x1}", direction=FORWARD, spec=SPECS[4],
                         **lab))
        rows.append(_row(panel.twfe(d, "homicide_rate", x1, weights="population", **kw), x1, direction=FORWARD,
                         spec=SPECS[5], **lab))
        if m in ENVIPE:
            rows.append(_row(panel.twfe(d, m, "homicide_rate_lag1", **kw), "homicide_rate_lag1",
                             direction=REVERSE, spec=SPECS[0], **lab))
    joint = panel.twfe(d, "homicide_rate", [f"{m}_lag1" for m in JOINT], **kw)
    for m in JOINT:
        rows.append(_row(joint, f"{m}_lag1", direction=FORWARD, spec=SPECS[6], measure=m,
                         measure_label=MEASURES[m]["short"]))
    return pd.DataFrame(rows)


def model_row(measure: str, spec: str = SPECS[0], direction: str = FORWARD) -> pd.Series:
    """The one row of :func:`state_models` for a measure, specification and direction."""
    t = state_models()
    r = t[(t.measure == measure) & (t.spec == spec) & (t.direction == direction)]
    if len(r) != 1:
        raise KeyError((measure, spec, direction))
    return r.iloc[0]


@cache
def within_signal(measure: str) -> float:
    """How much of a measure's year-to-year movement within states is signal rather than noise:
    the correlation of its deviations from state and year means with the same deviations a year
    earlier. Sampling noise is uncorrelated from one survey to the next (near 0); a real,
    persistent change carries over (well above 0)."""
    d = state_panel()
    z = d[["state_code", "year", measure]].dropna().reset_index(drop=True)
    if measure == "homicide_rate":
        z = z[z.year >= 2011].reset_index(drop=True)
    z["dev"] = panel.demean(z, [measure], ["state_code", "year"])[measure]
    z = panel.lag(z, "dev", unit="state_code", time="year").dropna()
    return float(np.corrcoef(z["dev"], z["dev_lag1"])[0, 1])


# ===================================================================================== between states
@lru_cache(maxsize=1)
def between_states() -> pd.DataFrame:
    """One row per state: mean homicide rate in the later years and each measure's mean earlier."""
    d = state_panel()
    later = d[d.year.between(*LATER_YEARS)].groupby("state_code")["homicide_rate"].mean().rename("rate_later")
    surv = d[d.year.between(*SURVEY_YEARS)].groupby("state_code")[list(ENVIPE)].mean()
    out = pd.concat([later, surv], axis=1).reset_index()
    out["state_name"] = out["state_code"].map(state_names())
    return out


@cache
def between_correlations(scale: str = "log") -> pd.DataFrame:
    """Correlation across the 32 states of each measure with later homicide rates, with its 95%
    interval. ``scale``: "log" (log of the mean rate, the main choice: rates differ by factors),
    "rate" (the mean rate itself) or "rank" (Spearman's rank correlation)."""
    b = between_states()
    rows = []
    for m, (ycol, sign, counted) in BETWEEN.items():
        if m.startswith("wjp_"):  # scores not republishable: the pipeline's derived statistics
            c = wjp_level(int(m.removeprefix("wjp_")), scale)
            r, low, high, n = float(c.r), float(c.r_low), float(c.r_high), int(c.n)
        else:
            y = b[ycol].astype(float)
            r, low, high, n = stats.correlation(b[m].astype(float), np.log(y) if scale == "log" else y,
                                                rank=scale == "rank")
        rows.append({"measure": m, "label": BETWEEN_LABELS[m], "scale": scale, "r": r, "r_low": low,
                     "r_high": high, "n": n, "predicted_sign": sign, "counted": counted})
    return pd.DataFrame(rows)


@cache
def wjp_associations() -> pd.DataFrame:
    """The published statistics derived from the WJP state scores (``wjp_state_associations``): the scores
    themselves are not licensed for redistribution, so the pipeline computes the correlations
    (:mod:`enclaves.pipeline.surveys.wjp_derived`) and the book reads them."""
    w = load("wjp_state_associations").copy()
    w["edition"] = w["edition"].astype(int)
    w["loo_state_name"] = w["loo_state_code"].astype(str).str.zfill(2).map(state_names())
    return w


def wjp_level(edition: int, scale: str) -> pd.Series:
    """The row of :func:`wjp_associations` for a score-level correlation (edition, scale)."""
    w = wjp_associations()
    r = w[(w.analysis == "level") & (w.edition == edition) & (w.scale == scale)]
    if len(r) != 1:
        raise KeyError((edition, scale))
    return r.iloc[0]


def wjp_change() -> dict:
    """Change in WJP score between editions against the change in homicide rate 2019 → 2022
    (one change per state: the only within-state comparison two editions allow), from the derived table."""
    w = wjp_associations()
    c = w[w.analysis == "change"].iloc[0]
    return {"r": float(c.r), "r_low": float(c.r_low), "r_high": float(c.r_high), "n": int(c.n),
            "mean_change": float(c.mean_score_change), "n_unchanged": int(c.n_unchanged),
            "homicide_years": str(c.homicide_years)}


# =================================================================================== municipal models
@lru_cache(maxsize=1)
def municipal_models() -> pd.DataFrame:
    """Municipality-year regressions of the homicide rate on alternation and on rule by a party
    other than the governor's (both for the term in office), with municipality effects and year
    (or state-by-year) effects; errors clustered by municipality unless stated."""
    d = municipal_panel()
    x = list(TOWN_HALL)
    sy = {"unit": "mun_code", "time": None, "extra_fe": ["state_year"]}
    fits = {
        MUN_SPECS[0]: panel.twfe(d, "homicide_rate", x, unit="mun_code", time="year"),
        MUN_SPECS[1]: panel.twfe(d, "homicide_rate", x, **sy),
        MUN_SPECS[2]: panel.twfe(d, "homicide_rate", x, weights="population", **sy),
        MUN_SPECS[3]: panel.twfe(d, "homicide_rate", x, cluster="state_code", **sy),
    }
    rows = [_row(f, t, spec=s, design="municipality-year") for s, f in fits.items() for t in x]
    f = panel.twfe(d, "homicide_rate", ["alternation_strict", "opp_governor"], **sy)
    rows.append(_row(f, "alternation_strict", spec=MUN_SPECS[4], design="municipality-year"))
    out = pd.DataFrame(rows)
    out["variable"] = out["term"].map({"alternation": "alternation", "alternation_strict": "alternation",
                                       "opp_governor": "opp_governor"})
    return out


@lru_cache(maxsize=1)
def election_windows() -> pd.DataFrame:
    """One row per municipal election 2005-2018 with a known alternation: the homicide rate in each
    year from five years before to three after (``k_-5`` … ``k_3``), window means, and whether the
    new town hall's family differs from the family of the governor in office the year after."""
    t = municipal_terms()
    t = t[t.year.between(*ELECTION_YEARS) & t.alternation.notna()]
    e = t[["mun_code", "state_code", "year", "alternation", "alternation_strict", "family", "margin"]].rename(
        columns={"year": "elec_year"})
    h = municipal_panel()[["mun_code", "year", "homicide_rate", "population"]]
    e = e.merge(h.rename(columns={"year": "elec_year", "homicide_rate": "k_0"}), on=["mun_code", "elec_year"],
                how="inner")
    for k in range(EVENT_K[0], EVENT_K[1] + 1):
        if k == 0:
            continue
        hk = h[["mun_code", "year", "homicide_rate"]].rename(columns={"homicide_rate": f"k_{k}"})
        hk = hk.assign(elec_year=hk["year"] - k).drop(columns="year")
        e = e.merge(hk, on=["mun_code", "elec_year"], how="left")
    e = e.dropna(subset=[f"k_{k}" for k in range(EVENT_K[0], EVENT_K[1] + 1)])
    g = _governor_families(MUN_LAST_YEAR)
    e = e.merge(g.assign(elec_year=g["year"] - 1)[["state_code", "elec_year", "gov_family"]],
                on=["state_code", "elec_year"], how="left")
    known = e["family"].notna() & e["gov_family"].notna()
    e["opp_governor"] = np.where(known, (e["family"] != e["gov_family"]).astype(float), np.nan)
    e["before"] = e[["k_-2", "k_-1", "k_0"]].mean(axis=1)      # old town hall's last three years
    e["earlier"] = e[["k_-5", "k_-4", "k_-3"]].mean(axis=1)    # the three years before those
    e["after"] = e[["k_1", "k_2", "k_3"]].mean(axis=1)         # new town hall's first three years
    e["later_change"] = e["after"] - e["before"]
    e["earlier_change"] = e["before"] - e["earlier"]
    e["state_election"] = e["state_code"] + "-" + e["elec_year"].astype(str)
    return e.reset_index(drop=True)


def _election_fit(y: str, x: str | list[str], weights: str | None = None) -> panel.PanelResult:
    """Change in homicide rate on election-level variables, comparing municipalities of the same
    state that voted in the same year (state-by-election-year effects), clustered by municipality."""
    e = election_windows()
    return panel.twfe(e, y, x, unit="state_election", time=None, cluster="mun_code", weights=weights)


@lru_cache(maxsize=1)
def election_models() -> pd.DataFrame:
    """Later change (three years after minus three years up to the election) and earlier change
    (the placebo: the three years up to the election minus the three before) on alternation and
    on a town hall of a party other than the governor's."""
    rows = []
    x = list(TOWN_HALL)
    for y, lab in ELECTION_OUTCOMES.items():
        f = _election_fit(y, x)
        rows += [_row(f, t, spec=lab, design="election", variable=t) for t in x]
        fw = _election_fit(y, x, weights="population")
        rows += [_row(fw, t, spec=lab + ", weighted", design="election", variable=t) for t in x]
    return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def event_study() -> pd.DataFrame:
    """For each year k around the election (k = 0 the election year), the difference between
    alternation and no-alternation elections in the change of homicide rate from year 0 to year k,
    within state and election year, with its 95% interval (clustered by municipality)."""
    e = election_windows()
    rows = []
    for k in range(EVENT_K[0], EVENT_K[1] + 1):
        if k == 0:
            rows.append({"k": 0, "coef": 0.0, "ci_low": 0.0, "ci_high": 0.0, "nobs": int(len(e))})
            continue
        e[f"chg_{k}"] = e[f"k_{k}"] - e["k_0"]
        f = panel.twfe(e, f"chg_{k}", "alternation", unit="state_election", time=None, cluster="mun_code")
        est, lo, hi = f.coef("alternation")
        rows.append({"k": k, "coef": est, "ci_low": lo, "ci_high": hi, "nobs": f.nobs})
    out = pd.DataFrame(rows)
    out["period"] = np.where(out["k"] > 0, "After (new town hall)",
                             np.where(out["k"] < 0, "Before (old town hall)", "Election year"))
    return out


