"""Cross-case analysis: is violence in Mexico rooted in the weakness of the state (claim X1)?

Two panels, built only from processed tables:

* **States × years** (:func:`state_panel`): homicide rates (INEGI deaths by year of occurrence,
  2000-2022) with ENVIPE's dark figure, the share of unreported crimes blamed on the authorities,
  perceived insecurity, and whether the governor in office came from a different party family
  than the one before (derived from consecutive winners in ``governors``).
* **Municipalities × years** (:func:`municipal_panel`): homicide rates 2000-2021 with the party
  family ruling the town hall (winner of the last municipal election), whether it differs from the
  previous winner's (alternation) and from the governor's family.

Models come from :mod:`enclaves.models.panel`; verdict thresholds for X1 are constants at the top
of the verdict section and are applied by :func:`x1_verdict`.
"""

from __future__ import annotations

from functools import cache, lru_cache

import altair as alt
import numpy as np
import pandas as pd

from .. import claims
from ..charts import NEUTRAL, tip
from ..charts.builders import breaks_layer
from ..data import load
from ..models import panel
from ..series import state_names

FIRST_YEAR, LAST_YEAR = 2000, 2022  # state homicides by year of occurrence
MUN_LAST_YEAR = 2021  # municipal homicides by year of occurrence end here

#: Measures of the state in the state panel: column → labels, unit and the sign X1 predicts for
#: "more of this goes with more violence later" (None: the thesis gives no sign).
MEASURES: dict[str, dict] = {
    "cifra_negra_pct": {"label": "Dark figure (crimes not reported or not investigated)",
                        "short": "Dark figure", "unit": "% of crimes", "sign": 1},
    "authority_causes_pct": {"label": "Crimes left unreported because of the authorities",
                             "short": "Blames the authorities", "unit": "% of unreported crimes", "sign": 1},
    "insecurity_api": {"label": "Adults who feel their state is unsafe",
                       "short": "Feels unsafe", "unit": "% of adults", "sign": 1},
    "gov_alternation": {"label": "Governor from a different party family than the predecessor",
                        "short": "Governor alternation", "unit": "0 or 1", "sign": None},
}
#: Measures entered together in the joint specification (the two alternation codings overlap).
JOINT = ("cifra_negra_pct", "authority_causes_pct", "insecurity_api", "gov_alternation")
#: Colours for measures and other non-case categories (the case colours stay reserved for the cases).
MEASURE_COLORS = {"Dark figure": "#5e3c99", "Blames the authorities": "#c17d11", "Feels unsafe": "#1b9e77",
                  "Governor alternation": "#444444"}
PAIR_COLORS = ["#c17d11", "#5e3c99"]
#: The measures of state weakness the verdict on X1 rests on (survey-based, yearly, all states).
WEAKNESS = ("cifra_negra_pct", "authority_causes_pct")
ENVIPE = ("cifra_negra_pct", "authority_causes_pct", "insecurity_api")
#: The quantiles of all state-years between which the ENVIPE chart's description puts each measure's usual range.
ENVIPE_USUAL = (0.1, 0.9)
N_MOST_VIOLENT = 5
FAMILY_NAMES = {"pri": "PRI", "pan": "PAN", "prd": "PRD", "morena": "Morena", "other": "Other or independent"}
FAMILY_COLORS = {"PRI": "#c8102e", "PAN": "#1f5fa8", "PRD": "#f2b705", "Morena": "#7b2d26",
                 "Other or independent": "#8a8a8a"}


# =========================================================================================== data
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
    parties = g["nominating_parties"].astype(str).str.split("-").map(set)
    prev = parties.groupby(g["state_code"]).shift(1)
    g["alternation_strict"] = [np.nan if not isinstance(b, set) else float(_no_shared_party(a, b))
                               for a, b in zip(parties, prev, strict=True)]
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


def most_violent_states(n: int = N_MOST_VIOLENT, years: tuple[int, int] = (2012, LAST_YEAR)) -> list[str]:
    """Codes of the ``n`` states with the highest mean homicide rate over ``years``."""
    d = state_panel()
    m = d[d.year.between(*years)].groupby("state_code")["homicide_rate"].mean()
    return list(m.sort_values(ascending=False).index[:n])


# ------------------------------------------------------------------------------ municipal panel
@lru_cache(maxsize=1)
def municipal_terms() -> pd.DataFrame:
    """Municipal election winners (all states, Magar) with the previous winner's party family.

    ``alternation`` is 1 when the winner's family differs from the previous elected winner's, 0 when
    it is the same, missing when either election had no elected winner ('none') or there is no
    earlier election in the data. An extraordinary election replaces the ordinary one of its year.
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
    # strict: no major party of the previous winning candidacy is in the new one
    parties = p["winner"].fillna("").astype(str).str.split("-").map(set)
    prev = parties.groupby(p["mun_code"]).shift(1)
    strict = [np.nan if not (isinstance(a, set) and isinstance(b, set)) else float(_no_shared_party(a, b))
              for a, b in zip(parties, prev, strict=True)]
    p["alternation_strict"] = np.where(both, strict, np.nan)
    p["state_code"] = p["mun_code"].str[:2]
    return p[["mun_code", "state_code", "year", "extraordinary", "winner", "family", "prev_family",
              "prev_year", "alternation", "alternation_strict", "margin"]].reset_index(drop=True)


MAJOR = {"pan", "pri", "prd", "morena"}


def _no_shared_party(new: set, old: set) -> bool:
    """True when two winning candidacies share no major party (or, when either has none, no party)."""
    a, b = new & MAJOR, old & MAJOR
    if a and b:
        return not (a & b)
    return not ((new - {""}) & (old - {""}))


#: A term is assigned to the years after its election up to this many years after it (terms are
#: three years in most states, four in a few transitional ones); later years stay unassigned.
MAX_TERM_YEARS = 4


@lru_cache(maxsize=1)
def municipal_panel() -> pd.DataFrame:
    """Municipalities × years 2000-2021: homicides, population, rate, and who rules the town hall.

    The ruling family in year t is the winner of the last election held in t-1 or earlier (mayors
    take office between September of the election year and January of the next, so t-1 is the
    last election whose winner governs most of year t), kept only up to ``MAX_TERM_YEARS`` after
    that election. ``opp_governor`` is 1 when the town hall's family differs from the family of the
    governor in office (first-full-year rule of :func:`governor_years`).
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
    d.loc[stale, ["family", "alternation", "alternation_strict", "elec_year"]] = np.nan
    g = governor_years(FIRST_YEAR, MUN_LAST_YEAR)[["state_code", "year", "gov_family"]]
    g = g.assign(state_code=g["state_code"].astype(str), gov_family=g["gov_family"].astype(object))
    d = d.merge(g, on=["state_code", "year"], how="left")
    known = d["family"].notna() & d["gov_family"].notna()
    d["opp_governor"] = np.where(known, (d["family"] != d["gov_family"]).astype(float), np.nan)
    d["state_year"] = d["state_code"] + "-" + d["year"].astype(str)
    d = d.drop(columns="elec_key").sort_values(["mun_code", "year"]).reset_index(drop=True)
    return d


# ===================================================================================== state models
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


SPECS = ("Main: lag 1, state and year effects", "Lag 2", f"Without the {N_MOST_VIOLENT} most violent states",
         "Log homicide rate", "First differences", "Weighted by population", "All four measures together")


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
    fwd, rev = "weakness → later violence", "violence → later measure"
    measures = list(MEASURES)
    top = most_violent_states()
    for m in measures:
        lab = {"measure": m, "measure_label": MEASURES[m]["short"]}
        x1 = f"{m}_lag1"
        rows.append(_row(panel.twfe(d, "homicide_rate", x1, **kw), x1, direction=fwd, spec=SPECS[0], **lab))
        rows.append(_row(panel.twfe(d, "homicide_rate", f"{m}_lag2", **kw), f"{m}_lag2", direction=fwd,
                         spec=SPECS[1], **lab))
        rows.append(_row(panel.twfe(d[~d.state_code.isin(top)], "homicide_rate", x1, **kw), x1, direction=fwd,
                         spec=SPECS[2], **lab))
        rows.append(_row(panel.twfe(d, "log_rate", x1, **kw), x1, direction=fwd, spec=SPECS[3], **lab))
        rows.append(_row(panel.fd(d, "homicide_rate", x1, **kw), f"d_{x1}", direction=fwd, spec=SPECS[4], **lab))
        rows.append(_row(panel.twfe(d, "homicide_rate", x1, weights="population", **kw), x1, direction=fwd,
                         spec=SPECS[5], **lab))
        if m in ENVIPE:
            rows.append(_row(panel.twfe(d, m, "homicide_rate_lag1", **kw), "homicide_rate_lag1", direction=rev,
                             spec=SPECS[0], **lab))
    joint = panel.twfe(d, "homicide_rate", [f"{m}_lag1" for m in JOINT], **kw)
    for m in JOINT:
        rows.append(_row(joint, f"{m}_lag1", direction=fwd, spec=SPECS[6], measure=m,
                         measure_label=MEASURES[m]["short"]))
    return pd.DataFrame(rows)


def model_row(measure: str, spec: str = SPECS[0], direction: str = "weakness → later violence") -> pd.Series:
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


# ----------------------------------------------------------------------------- between states
SURVEY_YEARS = (2011, 2021)   # ENVIPE reference years averaged (crimes of those years)
LATER_YEARS = (2012, 2022)    # homicide years averaged: one year later
WJP_LATER_YEARS = (2020, 2022)  # homicides after the 2019-2020 WJP edition


def _fisher_ci(r: float, n: int, rank: bool = False, level: float = 0.95) -> tuple[float, float]:
    """Interval for a correlation by Fisher's z; for Spearman's rho the variance 1.06/(n-3)
    (Fieller, Hartley and Pearson 1957)."""
    from scipy import stats as st

    z = np.arctanh(r)
    se = np.sqrt((1.06 if rank else 1.0) / (n - 3))
    q = st.norm.ppf(0.5 + level / 2)
    return float(np.tanh(z - q * se)), float(np.tanh(z + q * se))


@lru_cache(maxsize=1)
def between_states() -> pd.DataFrame:
    """One row per state: mean homicide rate in the later years and each measure's mean earlier."""
    d = state_panel()
    later = d[d.year.between(*LATER_YEARS)].groupby("state_code")["homicide_rate"].mean().rename("rate_later")
    wl = d[d.year.between(*WJP_LATER_YEARS)].groupby("state_code")["homicide_rate"].mean().rename("rate_after_wjp")
    surv = d[d.year.between(*SURVEY_YEARS)].groupby("state_code")[list(ENVIPE)].mean()
    w = load("wjp_state")
    w = w.assign(state_code=w["state_code"].astype(str)).pivot(index="state_code", columns="edition", values="score")
    w.columns = [f"wjp_{c}" for c in w.columns]
    out = pd.concat([later, wl, surv, w], axis=1).reset_index()
    out["state_name"] = out["state_code"].map(state_names())
    return out


#: Between-state comparisons: measure column, homicide column, the sign X1 predicts, counted in the verdict.
BETWEEN = {
    "cifra_negra_pct": ("rate_later", 1, True),
    "authority_causes_pct": ("rate_later", 1, True),
    "wjp_2019": ("rate_after_wjp", -1, True),
    "insecurity_api": ("rate_later", 1, False),
}
BETWEEN_LABELS = {"cifra_negra_pct": "Dark figure", "authority_causes_pct": "Blames the authorities",
                  "wjp_2019": "WJP rule of law 2019-20", "insecurity_api": "Feels unsafe",
                  "wjp_2023": "WJP rule of law 2022-23"}


@cache
def between_correlations(scale: str = "log") -> pd.DataFrame:
    """Correlation across the 32 states of each measure with later homicide rates, with its 95%
    interval. ``scale``: "log" (log of the mean rate, the main choice: rates differ by factors),
    "rate" (the mean rate itself) or "rank" (Spearman's rank correlation)."""
    b = between_states()
    rows = []
    for m, (ycol, sign, counted) in BETWEEN.items():
        x, y = b[m].astype(float), b[ycol].astype(float)
        if scale == "log":
            y = np.log(y)
        if scale == "rank":
            x, y = x.rank(), y.rank()
        r = float(np.corrcoef(x, y)[0, 1])
        lo, hi = _fisher_ci(r, len(b), rank=scale == "rank")
        rows.append({"measure": m, "label": BETWEEN_LABELS[m], "scale": scale, "r": r, "r_low": lo, "r_high": hi,
                     "n": int(len(b)), "predicted_sign": sign, "counted": counted})
    return pd.DataFrame(rows)


def wjp_change() -> dict:
    """Change in WJP score between editions against the change in homicide rate 2019 → 2022
    (one change per state: the only within-state comparison two editions allow)."""
    b = between_states()
    d = state_panel().pivot(index="state_code", columns="year", values="homicide_rate")
    z = b.set_index("state_code")[["wjp_2019", "wjp_2023"]].join((d[2022] - d[2019]).rename("d_rate"))
    z["d_score"] = z["wjp_2023"] - z["wjp_2019"]
    r = float(np.corrcoef(z["d_score"], z["d_rate"])[0, 1])
    lo, hi = _fisher_ci(r, len(z))
    return {"r": r, "r_low": lo, "r_high": hi, "n": int(len(z)), "mean_change": float(z["d_score"].mean()),
            "n_unchanged": int((z["d_score"].abs() < 0.005).sum())}


# ================================================================================ municipal models
ELECTION_YEARS = (2005, 2018)  # elections with three years of homicides after and five before
EVENT_K = (-5, 3)              # event time: years relative to the election year (0 = election year)
MUN_SPECS = ("Year effects", "State-by-year effects (main)", "State-by-year, population weights",
             "State-by-year, clustered by state", "Strict alternation")


@lru_cache(maxsize=1)
def municipal_models() -> pd.DataFrame:
    """Municipality-year regressions of the homicide rate on alternation and on rule by a party
    other than the governor's (both for the term in office), with municipality effects and year
    (or state-by-year) effects; errors clustered by municipality unless stated."""
    d = municipal_panel()
    x = ["alternation", "opp_governor"]
    fits = {
        MUN_SPECS[0]: panel.twfe(d, "homicide_rate", x, unit="mun_code", time="year"),
        MUN_SPECS[1]: panel.twfe(d, "homicide_rate", x, unit="mun_code", time=None, extra_fe=["state_year"]),
        MUN_SPECS[2]: panel.twfe(d, "homicide_rate", x, unit="mun_code", time=None, extra_fe=["state_year"],
                                 weights="population"),
        MUN_SPECS[3]: panel.twfe(d, "homicide_rate", x, unit="mun_code", time=None, extra_fe=["state_year"],
                                 cluster="state_code"),
    }
    rows = [_row(f, t, spec=s, design="municipality-year") for s, f in fits.items() for t in x]
    f = panel.twfe(d, "homicide_rate", ["alternation_strict", "opp_governor"], unit="mun_code", time=None,
                   extra_fe=["state_year"])
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
    g = governor_years(FIRST_YEAR, MUN_LAST_YEAR)[["state_code", "year", "gov_family"]]
    g = g.assign(state_code=g["state_code"].astype(str), gov_family=g["gov_family"].astype(object),
                 elec_year=g["year"] - 1)
    e = e.merge(g[["state_code", "elec_year", "gov_family"]], on=["state_code", "elec_year"], how="left")
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
    for y, lab in (("later_change", "Later change"), ("earlier_change", "Earlier change (placebo)")):
        f = _election_fit(y, ["alternation", "opp_governor"])
        rows += [_row(f, t, spec=lab, design="election", variable=t) for t in ("alternation", "opp_governor")]
        fw = _election_fit(y, ["alternation", "opp_governor"], weights="population")
        rows += [_row(fw, t, spec=lab + ", weighted", design="election", variable=t)
                 for t in ("alternation", "opp_governor")]
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


# ==================================================================================== verdict on X1
#: Year-to-year movement of a measure within states counts as signal when its deviations from
#: state and year means correlate at least this much with the same deviations a year earlier
#: (independent sampling noise from one survey to the next gives about 0).
SIGNAL_MIN = 0.3
#: The smallest correlation across states that a "root cause" should produce: a medium
#: correlation in Cohen's (1988) conventions.
MEDIUM_R = 0.3
#: Within states, the smallest standardised effect that would matter: 0.2 within-state standard
#: deviations of the homicide rate per within-state standard deviation of the measure.
SMALL_STD = 0.2
#: The between-state comparison on which the verdict rests: log rates (states' rates differ by
#: factors of ten, and a log scale stops a few very violent states from deciding the answer).
MAIN_SCALE = "log"


def x1_evidence(scale: str = MAIN_SCALE) -> dict:
    """The evidence for and against X1, item by item, under the thresholds above.

    For: a measure of state weakness associated with more violence (fewer homicides with more rule
    of law) with a 95% interval that excludes zero — across states (later homicides), or within
    states over time (lagged) for a measure whose within-state movement is signal. Against: an
    interval that excludes even a medium correlation across states (or a small standardised
    effect within states) in the direction X1 predicts. Within-state tests of measures without
    signal count neither way: they cannot test anything.
    """
    ev_for, ev_against, untestable = [], [], []
    for row in between_correlations(scale).itertuples(index=False):
        if not row.counted:
            continue
        s = row.predicted_sign
        lo, hi = (row.r_low, row.r_high) if s > 0 else (-row.r_high, -row.r_low)
        if lo > 0:
            ev_for.append(f"between:{row.measure}")
        elif hi < MEDIUM_R:
            ev_against.append(f"between:{row.measure}")
    precedence = []
    for m in WEAKNESS:
        if within_signal(m) < SIGNAL_MIN:
            untestable.append(f"within:{m}")
            continue
        r = model_row(m)
        if r.std_low > 0:
            ev_for.append(f"within:{m}")
            robust = (model_row(m, SPECS[4]).std_low > 0) and (model_row(m, SPECS[2]).std_low > 0)
            rev = model_row(m, SPECS[0], "violence → later measure")
            if robust and not (rev.ci_low > 0):
                precedence.append(m)
        elif r.std_high < SMALL_STD:
            ev_against.append(f"within:{m}")
    return {"for": ev_for, "against": ev_against, "untestable": untestable, "precedence": precedence,
            "scale": scale}


def verdict_from(ev: dict) -> str:
    """Supported: a weakness measure precedes violence within states (robust to first differences
    and to dropping the most violent states, with no significant reverse link), a between-state
    association too, and nothing against. Partly supported: some association in the predicted
    direction. Not supported: none, and at least one interval rules out an effect of the size the
    thesis implies. Cannot be tested: none either way."""
    between_for = [e for e in ev["for"] if e.startswith("between:")]
    if ev["precedence"] and between_for and not ev["against"]:
        return "supported"
    if ev["for"]:
        return "partly supported"
    if ev["against"]:
        return "not supported"
    return "cannot be tested with these data"


@claims.evaluator("X1")
def evaluate_x1() -> claims.Verdict:
    ev = x1_evidence(MAIN_SCALE)
    verdict = verdict_from(ev)
    b = between_correlations(MAIN_SCALE).set_index("measure")
    wjp = b.loc["wjp_2019"]
    by_scale = {s: verdict_from(x1_evidence(s)) for s in ("log", "rate", "rank")}
    numbers = {
        "r_wjp": float(wjp.r), "r_wjp_low": float(wjp.r_low), "r_wjp_high": float(wjp.r_high),
        "r_dark": float(b.loc["cifra_negra_pct", "r"]), "r_dark_low": float(b.loc["cifra_negra_pct", "r_low"]),
        "r_dark_high": float(b.loc["cifra_negra_pct", "r_high"]),
        "r_auth": float(b.loc["authority_causes_pct", "r"]),
        "r_auth_low": float(b.loc["authority_causes_pct", "r_low"]),
        "r_auth_high": float(b.loc["authority_causes_pct", "r_high"]),
        "signal_dark": within_signal("cifra_negra_pct"), "signal_auth": within_signal("authority_causes_pct"),
        "n_for": len(ev["for"]), "n_against": len(ev["against"]), "n_untestable": len(ev["untestable"]),
        "verdict_log": by_scale["log"], "verdict_rate": by_scale["rate"], "verdict_rank": by_scale["rank"],
    }
    for m in WEAKNESS:
        r = model_row(m)
        numbers[f"within_{m}"] = float(r.per_step)
        numbers[f"within_{m}_low"] = float(r.per_step_low)
        numbers[f"within_{m}_high"] = float(r.per_step_high)
    evidence = (
        f"Across the 32 states, the share of crimes never reported or investigated and the share left "
        f"unreported because of the authorities are not correlated with later homicide rates "
        f"(r = {numbers['r_dark']:.2f} and {numbers['r_auth']:.2f}); the rule-of-law score leans the way the "
        f"thesis predicts (r = {wjp.r:.2f}, 95% interval {wjp.r_low:.2f} to {wjp.r_high:.2f}) without "
        f"clearing zero. Within states the survey measures move mostly with sampling noise, so they cannot "
        f"show whether weakness comes before violence.")
    return claims.Verdict(
        claim_id="X1", verdict=verdict, key_number=float(wjp.r),
        key_label=(f"correlation across the 32 states between the WJP rule-of-law score (2019-20) and the log "
                   f"homicide rate 2020-2022 (95% interval {wjp.r_low:.2f} to {wjp.r_high:.2f})"),
        evidence=evidence, numbers=numbers)


# =========================================================================================== charts
def _title(title: str, subtitle: str | None = None):
    return alt.Title(title, subtitle=subtitle) if subtitle else title


def chart_state_rates() -> alt.LayerChart:
    """Heat map: homicide rate by state and year, 2000-2022, states ordered by their mean rate."""
    d = state_panel()[["state_name", "year", "homicide_rate", "homicides"]].copy()
    order = d.groupby("state_name")["homicide_rate"].mean().sort_values(ascending=False).index.tolist()
    heat = alt.Chart(d).mark_rect().encode(
        x=alt.X("year:O", title="Year (deaths by year of occurrence)", axis=alt.Axis(labelAngle=0, values=list(
            range(2000, LAST_YEAR + 1, 2)))),
        y=alt.Y("state_name:N", title="State (highest mean rate at the top)", sort=order),
        color=alt.Color("homicide_rate:Q", title="Homicides per 100,000", scale=alt.Scale(
            type="sqrt", scheme="orangered")),
        tooltip=[tip("state_name", "State"), tip("year:Q", "Year", "d"),
                 tip("homicide_rate:Q", "Homicides per 100,000", ".1f"), tip("homicides:Q", "Homicides", ",.0f")])
    br = pd.DataFrame({"year": [2010, 2015], "label": ["Population base 2010", "Population base 2015"]})
    rules = alt.Chart(br).mark_rule(strokeDash=[4, 3], strokeWidth=1.5, color=NEUTRAL["national"]).encode(
        x=alt.X("year:O", bandPosition=0), tooltip=[tip("label", "Note")])
    n_states, first, last = d["state_name"].nunique(), int(d["year"].min()), int(d["year"].max())
    return alt.layer(heat, rules).properties(
        height=560, title=_title(f"Homicide rates in the {n_states} states, {first}-{last}",
                                 "Deaths per 100,000 inhabitants; dashed lines: CONAPO population base changes"),
        description=(f"Heat map of the homicide rate per 100,000 inhabitants in each of Mexico's {n_states} states "
                     f"(rows, most violent on average at the top) for every year from {first} to {last} (columns). "
                     "Most states darken sharply after 2008; a few stay pale throughout."))


def chart_envipe_state(default: str = "Nuevo León") -> alt.LayerChart:
    """ENVIPE's three measures for one state picked from a dropdown, against the nation."""
    e = load("envipe_state")
    e = e[e.indicator.isin(ENVIPE)].copy()
    names = state_names()
    e["area"] = e["state_code"].astype(str).map(names)
    e["measure"] = e["indicator"].map({k: MEASURES[k]["short"] for k in ENVIPE})
    e["who"] = np.where(e["state_code"] == "00", "Nation", "Chosen state")
    e = e[["area", "measure", "who", "year", "value"]].astype({"year": int, "value": float})
    options = sorted(a for a in e["area"].unique() if a != names["00"])
    pick = alt.param(name="pick_state", value=default,
                     bind=alt.binding_select(options=options, name="State "))
    base = alt.Chart(e).transform_filter(f"datum.area == pick_state || datum.area == '{names['00']}'")
    enc = {"x": alt.X("year:Q", title="ENVIPE year (crime year; fieldwork year for 'Feels unsafe')",
                      axis=alt.Axis(format="d")),
           "y": alt.Y("value:Q", title="Percent", scale=alt.Scale(domain=[30, 100])),
           "color": alt.Color("measure:N", title="Measure", scale=alt.Scale(
               domain=[MEASURES[k]["short"] for k in ENVIPE], range=[MEASURE_COLORS[MEASURES[k]["short"]]
                                                                      for k in ENVIPE])),
           "strokeDash": alt.StrokeDash("who:N", title="Line", scale=alt.Scale(
               domain=["Chosen state", "Nation"], range=[[1, 0], [4, 3]])),
           "tooltip": [tip("area", "Area"), tip("measure", "Measure"), tip("year:Q", "Year", "d"),
                       tip("value:Q", "Percent", ".1f")]}
    lines = base.mark_line().encode(**enc).add_params(pick)
    pts = base.mark_point().encode(**{k: v for k, v in enc.items() if k != "strokeDash"})
    brk = breaks_layer([(2011.5, "Non-reporting causes redefined after 2011")])
    return alt.layer(lines, pts, brk).properties(
        title=_title("What victims tell the ENVIPE survey, by state",
                     "Pick a state; dashed lines are the nation"),
        description=(f"Line chart of three ENVIPE survey measures from {e['year'].min()} to {e['year'].max()} "
                     "for a state chosen from a dropdown and for the nation: the dark figure of crime, the share "
                     "of unreported crimes blamed on the authorities and the share of adults who feel their state "
                     f"is unsafe. {_envipe_usual(e)}"))


def _envipe_usual(e: pd.DataFrame) -> str:
    """Words for the ENVIPE chart's description: each measure's usual range over the states' plotted values."""
    q = e[e["who"] == "Chosen state"].groupby("measure")["value"].quantile(list(ENVIPE_USUAL)).unstack()
    lo, hi = ENVIPE_USUAL
    what = {"cifra_negra_pct": "the dark figure", "authority_causes_pct": "the share blaming the authorities",
            "insecurity_api": "the share feeling unsafe"}
    ranges = [f"between {q.loc[MEASURES[k]['short'], lo]:.0f} and {q.loc[MEASURES[k]['short'], hi]:.0f} "
              f"percent for {what[k]}" for k in ENVIPE]
    return (f"Across the states and years, the middle {hi - lo:.0%} of values lie {', '.join(ranges[:-1])}, "
            f"and {ranges[-1]}.")


def between_long() -> pd.DataFrame:
    """Long table for the between-state scatter: one row per state and measure."""
    b = between_states()
    rows = []
    for m in ("cifra_negra_pct", "authority_causes_pct", "insecurity_api", "wjp_2019"):
        ycol = "rate_after_wjp" if m.startswith("wjp") else "rate_later"
        years = WJP_LATER_YEARS if m.startswith("wjp") else LATER_YEARS
        rows.append(pd.DataFrame({"state_name": b["state_name"], "measure": BETWEEN_LABELS[m],
                                  "value": b[m].astype(float), "rate": b[ycol].astype(float),
                                  "rate_years": f"{years[0]}-{years[1]}"}))
    return pd.concat(rows, ignore_index=True)


def chart_between() -> alt.LayerChart:
    """Scatter across the 32 states: a measure (picked from a dropdown) against later homicide rates."""
    d = between_long()
    opts = list(d["measure"].unique())
    pick = alt.param(name="pick_measure", value=opts[1], bind=alt.binding_select(options=opts, name="Measure "))
    base = alt.Chart(d).transform_filter("datum.measure == pick_measure")
    pts = base.mark_point(size=70, filled=True, opacity=0.8).encode(
        x=alt.X("value:Q", title="Value of the chosen measure (percent; WJP: score from zero to one)",
                scale=alt.Scale(zero=False)),
        y=alt.Y("rate:Q", title="Homicides per 100,000 in later years (log scale)", scale=alt.Scale(type="log")),
        tooltip=[tip("state_name", "State"), tip("measure", "Measure"), tip("value:Q", "Value", ".2f"),
                 tip("rate:Q", "Homicides per 100,000", ".1f"), tip("rate_years", "Homicide years")],
    ).add_params(pick)
    fit = base.transform_calculate(log_rate="log(datum.rate)").transform_regression(
        "value", "log_rate").transform_calculate(rate="exp(datum.log_rate)").mark_line(
        color=NEUTRAL["state"], strokeDash=[6, 3]).encode(x="value:Q", y="rate:Q")
    n_states = d["state_name"].nunique()
    return alt.layer(pts, fit).properties(
        title=_title(f"Weaker state, more violence? Across the {n_states} states",
                     "Each point a state: measure averaged over the earlier years, homicides over later years"),
        description=(f"Scatter plot of the {n_states} states with a measure chosen from a dropdown on the horizontal "
                     "axis (dark figure, share blaming the authorities, share feeling unsafe, or the World "
                     "Justice Project rule-of-law score) and the later homicide rate on a log scale on the "
                     "vertical axis, with a dashed least-squares line on the log scale."))


def _coef_chart(d: pd.DataFrame, *, x: str, lo: str, hi: str, y: str, color: str | None, title: str,
                subtitle: str, x_title: str, y_title: str, description: str, y_sort=None,
                tooltip: list | None = None, color_title: str | None = None, height: int | None = None,
                color_scale: alt.Scale | None = None):
    """Point-and-interval chart of coefficients with a zero line; legend selection when coloured."""
    base = alt.Chart(d)
    enc_y = alt.Y(f"{y}:N", title=y_title, sort=y_sort, axis=alt.Axis(labelLimit=320, titlePadding=14))
    tips = tooltip or [tip(y, y_title), tip(f"{x}:Q", "Estimate", ".2f"), tip(f"{lo}:Q", "95% interval, low", ".2f"),
                       tip(f"{hi}:Q", "95% interval, high", ".2f")]
    enc = {"y": enc_y, "tooltip": tips}
    sel = None
    if color:
        sel = alt.selection_point(fields=[color], bind="legend")
        enc["color"] = alt.Color(f"{color}:N", title=color_title or color, legend=alt.Legend(labelLimit=320),
                                 scale=color_scale if color_scale is not None else alt.Scale(range=PAIR_COLORS))
        enc["yOffset"] = alt.YOffset(f"{color}:N")
        enc["opacity"] = alt.condition(sel, alt.value(1.0), alt.value(0.15))
    plain = {} if color else {"color": NEUTRAL["national"]}
    bars = base.mark_rule(strokeWidth=2, **plain).encode(x=alt.X(f"{lo}:Q", title=x_title), x2=f"{hi}:Q", **enc)
    pts = base.mark_point(size=60, filled=True, **plain).encode(x=f"{x}:Q", **enc)
    if sel is not None:
        pts = pts.add_params(sel)
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color=NEUTRAL["state"], strokeDash=[2, 2]).encode(
        x="zero:Q")
    props = {"title": _title(title, subtitle), "description": description}
    n_rows = d[y].nunique() * (d[color].nunique() if color else 1)
    props["height"] = height or max(200, 34 * n_rows)
    return alt.layer(zero, bars, pts).properties(**props)


def chart_main_coefficients() -> alt.LayerChart:
    t = state_models()
    d = t[(t.spec == SPECS[0]) & (t.direction == "weakness → later violence")].copy()
    d["row"] = d["measure"].map(lambda m: MEASURES[m]["short"] + (", 0 → 1" if m == "gov_alternation"
                                                                  else ", +1 SD"))
    d = d[["row", "per_step", "per_step_low", "per_step_high", "step", "nobs", "p_value"]]
    return _coef_chart(
        d, x="per_step", lo="per_step_low", hi="per_step_high", y="row", color=None,
        title="State weakness this year, homicides next year",
        subtitle=("Two-way fixed effects (state and year), errors clustered by state; 95% intervals; "
                  "SD: one within-state standard deviation"),
        x_title="Change in homicides per 100,000 the next year", y_title="Measure (a year earlier)",
        tooltip=[tip("row", "Measure"), tip("per_step:Q", "Estimate", ".2f"),
                 tip("per_step_low:Q", "95% interval, low", ".2f"), tip("per_step_high:Q", "95% interval, high", ".2f"),
                 tip("step:Q", "Size of the step", ".2f"), tip("nobs:Q", "State-years", "d"),
                 tip("p_value:Q", "p-value", ".3f")],
        description=("Coefficient chart: for each of four measures, the estimated change in a state's homicide "
                     "rate per 100,000 one year after a typical within-state rise in the measure (or a change of "
                     "governing party family), with 95% intervals. Only perceived insecurity has an interval "
                     "that excludes zero."))


def chart_directions() -> alt.LayerChart:
    t = state_models()
    d = t[(t.spec == SPECS[0]) & t.measure.isin(ENVIPE)].copy()
    d["measure_label"] = d["measure"].map(lambda m: MEASURES[m]["short"])
    d = d[["measure_label", "direction", "std", "std_low", "std_high", "nobs"]]
    return _coef_chart(
        d, x="std", lo="std_low", hi="std_high", y="measure_label", color="direction", color_title="Direction",
        title="Which comes first? Both directions, in standard units",
        subtitle="Click a legend entry to highlight one direction",
        x_title="Standardised coefficient (within-state SDs per within-state SD)", y_title="Survey measure",
        tooltip=[tip("measure_label", "Measure"), tip("direction", "Direction"), tip("std:Q", "Estimate", ".2f"),
                 tip("std_low:Q", "95% interval, low", ".2f"), tip("std_high:Q", "95% interval, high", ".2f"),
                 tip("nobs:Q", "State-years", "d")],
        description=("Coefficient chart comparing, for three ENVIPE measures, the link from the measure to the "
                     "next year's homicide rate with the link from the homicide rate to the next year's measure, "
                     "both in standardised units with 95% intervals. For perceived insecurity both directions "
                     "are positive, the second more strongly; for the other two neither differs from zero."))


def chart_robustness() -> alt.LayerChart:
    t = state_models()
    d = t[t.direction == "weakness → later violence"].copy()
    d["measure_label"] = d["measure"].map(lambda m: MEASURES[m]["short"])
    d = d[["spec", "measure_label", "std", "std_low", "std_high", "nobs"]]
    return _coef_chart(
        d, x="std", lo="std_low", hi="std_high", y="spec", color="measure_label", color_title="Measure",
        y_sort=list(SPECS), height=460, color_scale=alt.Scale(domain=list(MEASURE_COLORS),
                                                              range=list(MEASURE_COLORS.values())),
        title="The state-level answer under seven specifications",
        subtitle="Standardised coefficients with 95% intervals; click a legend entry to highlight a measure",
        x_title="Standardised coefficient (within-state SDs per within-state SD)", y_title="Specification",
        tooltip=[tip("spec", "Specification"), tip("measure_label", "Measure"), tip("std:Q", "Estimate", ".2f"),
                 tip("std_low:Q", "95% interval, low", ".2f"), tip("std_high:Q", "95% interval, high", ".2f"),
                 tip("nobs:Q", "Observations", "d")],
        description=("Coefficient chart of the link from each of four state measures to the next year's homicide "
                     "rate under seven specifications (main, two-year lag, without the most violent states, log "
                     "rate, first differences, population weights, all measures together). Perceived insecurity "
                     "is positive in most; the dark figure, blame of the authorities and governor alternation "
                     "straddle zero in all."))


def governor_terms(first: int = 1990, last: int = LAST_YEAR) -> pd.DataFrame:
    """One row per governor and state: the span of full calendar years in office within
    ``first``-``last`` (first-full-year rule), party family and whether it was an alternation."""
    g = governor_years(first, last)
    g = g[g.gov_family.notna()].copy()
    g["state_code"] = g["state_code"].astype(str)
    keys = ["state_code", "gov_start_year", "governor"]
    t = g.groupby(keys, as_index=False).agg(
        year_from=("year", "min"), year_to=("year", "max"), family=("gov_family", "first"),
        parties=("gov_parties", "first"), alternation=("gov_alternation", "first"))
    t["year_end"] = t["year_to"] + 1
    t["state_name"] = t["state_code"].map(state_names())
    t["family"] = t["family"].astype(object).map(FAMILY_NAMES)
    t["new_alternation"] = (t["alternation"] == 1) & (t["year_from"] == t["gov_start_year"] + 1)
    return t


def chart_governors() -> alt.LayerChart:
    t = governor_terms()
    first_non_pri = t[t.family != "PRI"].groupby("state_name")["year_from"].min()
    order = sorted(t.state_name.unique(), key=lambda s: (first_non_pri.get(s, 9999), s))
    t = t[["state_name", "year_from", "year_to", "year_end", "family", "governor", "parties", "gov_start_year",
           "new_alternation"]]
    base = alt.Chart(t)
    tips = [tip("state_name", "State"), tip("governor", "Governor"), tip("family", "Party family"),
            tip("parties", "Nominated by"), tip("gov_start_year:Q", "Elected (start_year)", "d"),
            tip("year_from:Q", "First full year", "d"), tip("year_to:Q", "Last year shown", "d")]
    y = alt.Y("state_name:N", title="State (earliest non-PRI governor at the top)", sort=order)
    bars = base.mark_bar(stroke="white", strokeWidth=0.6).encode(
        x=alt.X("year_from:Q", title="Year (first full year in office onwards)", axis=alt.Axis(
            format="d", values=list(range(1990, LAST_YEAR + 1, 4))),
                scale=alt.Scale(domain=[1990, LAST_YEAR + 1], nice=False)),
        x2="year_end:Q", y=y,
        color=alt.Color("family:N", title="Governor's party family", scale=alt.Scale(
            domain=list(FAMILY_COLORS), range=list(FAMILY_COLORS.values()))),
        tooltip=tips)
    dots = base.transform_filter("datum.new_alternation").transform_calculate(mid="datum.year_from + 0.5").mark_point(
        shape="circle", size=28, filled=True, color="white", stroke="#111111", strokeWidth=0.8).encode(
        x="mid:Q", y=y, tooltip=tips)
    return alt.layer(bars, dots).properties(
        height=560, title=_title("Who governed each state, 1990-2022",
                                 "Party family of the governor; white dots: first full year after an alternation"),
        description=("Chart of horizontal bars, one row per state, showing the party family of the governor in "
                     "office in each year from 1990 to 2022 (PRI red, PAN blue, PRD yellow, Morena maroon, "
                     "other grey), with white dots marking the first full year of a governor from a different "
                     "family than the predecessor. PRI rule covers nearly every row in the early 1990s and "
                     "shrinks in waves, the last around 2018-2021."))


def chart_event_study() -> alt.LayerChart:
    d = event_study()
    d = d.assign(label=np.where(d.k < 0, "before", np.where(d.k > 0, "after", "reference")))
    base = alt.Chart(d)
    x = alt.X("k:Q", title="Years from the municipal election (zero = election year)", axis=alt.Axis(
        format="d", values=list(range(EVENT_K[0], EVENT_K[1] + 1))),
        scale=alt.Scale(domain=[EVENT_K[0] - 0.5, EVENT_K[1] + 0.5], nice=False))
    color = alt.Color("period:N", title="Period", legend=alt.Legend(labelLimit=320), scale=alt.Scale(
        domain=["Before (old town hall)", "Election year", "After (new town hall)"],
        range=[NEUTRAL["state"], NEUTRAL["national"], PAIR_COLORS[0]]))
    sel = alt.selection_point(fields=["period"], bind="legend")
    op = alt.condition(sel, alt.value(1.0), alt.value(0.2))
    tips = [tip("k:Q", "Years from election", "d"), tip("coef:Q", "Difference (per 100,000)", ".2f"),
            tip("ci_low:Q", "95% interval, low", ".2f"), tip("ci_high:Q", "95% interval, high", ".2f"),
            tip("nobs:Q", "Elections", ",d")]
    bars = base.mark_rule(strokeWidth=2).encode(x=x, y=alt.Y("ci_low:Q", title=(
        "Difference in change since election year (per 100,000)")), y2="ci_high:Q",
        color=color, opacity=op, tooltip=tips)
    pts = base.mark_point(size=60, filled=True).encode(x=x, y="coef:Q", color=color, opacity=op,
                                                       tooltip=tips).add_params(sel)
    zero = alt.Chart(pd.DataFrame({"z": [0.0]})).mark_rule(color=NEUTRAL["national"]).encode(y="z:Q")
    brk = breaks_layer([(0.5, "New town hall takes office")], x="k")
    return alt.layer(zero, bars, pts, brk).properties(
        title=_title("Homicides around municipal elections that changed the ruling party",
                     "Same state and election year compared; errors clustered by municipality; 95% intervals"),
        description=("Event-study chart: for each year from five before to three after a municipal election, the "
                     "difference between towns where the ruling party family changed and towns where it did not "
                     "in the change of homicide rate since the election year, with 95% intervals. The differences "
                     "are small, positive both well before and after the election and slightly negative just "
                     "before it."))


def chart_municipal() -> alt.LayerChart:
    m = municipal_models()
    e = election_models()
    names = {"alternation": "Change of ruling party", "opp_governor": "Party other than the governor's"}
    d = pd.concat([m, e], ignore_index=True)
    d["variable_label"] = d["variable"].map(names)
    d = d[["spec", "variable_label", "coef", "ci_low", "ci_high", "nobs", "n_clusters"]]
    order = list(MUN_SPECS) + [s for s in e["spec"].unique()]
    return _coef_chart(
        d, x="coef", lo="ci_low", hi="ci_high", y="spec", color="variable_label", color_title="Town hall",
        y_sort=order, height=420,
        title="Town-hall politics and homicide rates, all municipalities",
        subtitle="Homicides per 100,000; 95% intervals; click a legend entry to highlight",
        x_title="Difference in homicides per 100,000", y_title="Design",
        tooltip=[tip("spec", "Design"), tip("variable_label", "Town hall"), tip("coef:Q", "Estimate", ".2f"),
                 tip("ci_low:Q", "95% interval, low", ".2f"), tip("ci_high:Q", "95% interval, high", ".2f"),
                 tip("nobs:Q", "Observations", ",d"), tip("n_clusters:Q", "Clusters", ",d")],
        description=("Coefficient chart of two town-hall variables, a change of ruling party family and rule by "
                     "a party family other than the governor's, in nine designs: municipality-year regressions "
                     "with municipality and year or state-by-year effects, and election-level changes after and "
                     "before the election. Most intervals include zero; the placebo change before the election "
                     "is as large as the change after it."))


# ============================================================================= tables and numbers
def _fmt_ci(est: float, lo: float, hi: float, nd: int = 2) -> tuple[str, str]:
    return f"{est:.{nd}f}", f"{lo:.{nd}f} to {hi:.{nd}f}"


def table_state_main() -> pd.DataFrame:
    """The main state-level regressions, readable: one row per measure and direction."""
    t = state_models()
    d = t[t.spec == SPECS[0]].copy()
    out = []
    for r in d.itertuples(index=False):
        short = MEASURES[r.measure]["short"]
        if r.direction.startswith("weakness"):
            what = f"Homicide rate on {short.lower()} a year earlier ({MEASURES[r.measure]['unit']})"
        else:
            what = f"{short} ({MEASURES[r.measure]['unit']}) on homicide rate a year earlier"
        out.append({"Regression": what,
                    "Coefficient (95% interval)": f"{r.coef:.3f} ({r.ci_low:.3f} to {r.ci_high:.3f})",
                    "Per typical change (95% interval)": f"{r.per_step:.2f} ({r.per_step_low:.2f} to "
                                                         f"{r.per_step_high:.2f})",
                    "Standardised": f"{r.std:.2f}", "p-value": f"{r.p_value:.3f}", "State-years": int(r.nobs)})
    return pd.DataFrame(out)


def table_between() -> pd.DataFrame:
    """Between-state correlations on the three scales."""
    rows = []
    for scale, lab in (("log", "Log rate (main)"), ("rate", "Rate"), ("rank", "Ranks (Spearman)")):
        for r in between_correlations(scale).itertuples(index=False):
            rows.append({"Measure": r.label, "Scale": lab, "Correlation": f"{r.r:.2f}",
                         "95% interval": f"{r.r_low:.2f} to {r.r_high:.2f}", "States": int(r.n),
                         "Sign X1 predicts": "+" if r.predicted_sign > 0 else "−",
                         "Counts in the verdict": "yes" if r.counted else "no (a symptom, not a cause)"})
    return pd.DataFrame(rows)


def table_municipal() -> pd.DataFrame:
    m = pd.concat([municipal_models(), election_models()], ignore_index=True)
    names = {"alternation": "Change of ruling party", "opp_governor": "Party other than the governor's"}
    return pd.DataFrame([{"Design": r.spec, "Town hall": names[r.variable], "Estimate (per 100,000)": f"{r.coef:.2f}",
                          "95% interval": f"{r.ci_low:.2f} to {r.ci_high:.2f}", "p-value": f"{r.p_value:.3f}",
                          "Observations": int(r.nobs), "Clusters": int(r.n_clusters)}
                         for r in m.itertuples(index=False)])


def glue_values() -> dict:
    """Every number the chapter's prose uses, as plain Python values, keyed by glue name."""
    v: dict = {}
    d = state_panel()
    v["xc_n_states"] = int(d.state_code.nunique())
    v["xc_rate_mean_later"] = float(d[d.year.between(*LATER_YEARS)].homicide_rate.mean())
    sm_ = d[d.year.between(*LATER_YEARS)].groupby("state_name").homicide_rate.mean()
    v["xc_rate_state_max"], v["xc_rate_state_max_name"] = float(sm_.max()), str(sm_.idxmax())
    v["xc_rate_state_min"], v["xc_rate_state_min_name"] = float(sm_.min()), str(sm_.idxmin())
    v["xc_rate_ratio"] = float(sm_.max() / sm_.min())
    b = between_states()
    for m, k in (("cifra_negra_pct", "dark"), ("authority_causes_pct", "auth"), ("insecurity_api", "insec")):
        v[f"xc_{k}_min"], v[f"xc_{k}_max"] = float(b[m].min()), float(b[m].max())
        v[f"xc_signal_{k}"] = within_signal(m)
    v["xc_signal_rate"] = within_signal("homicide_rate")
    v["xc_wjp19_min"], v["xc_wjp19_max"] = float(b["wjp_2019"].min()), float(b["wjp_2019"].max())
    bb = b.sort_values("rate_later")
    v["xc_dark_least"], v["xc_dark_most"] = float(bb.cifra_negra_pct.iloc[0]), float(bb.cifra_negra_pct.iloc[-1])
    v["xc_least_name"], v["xc_most_name"] = str(bb.state_name.iloc[0]), str(bb.state_name.iloc[-1])
    # the smallest correlation whose interval clears zero with this many states (Fisher's z)
    from scipy import stats as st

    v["xc_r_crit"] = float(np.tanh(st.norm.ppf(0.975) / np.sqrt(len(b) - 3)))
    t = state_models()
    main = t[t.spec == SPECS[0]]
    for m, k in (("cifra_negra_pct", "dark"), ("authority_causes_pct", "auth"), ("insecurity_api", "insec"),
                 ("gov_alternation", "alt")):
        r = main[(main.measure == m) & (main.direction.str.startswith("weakness"))].iloc[0]
        v[f"xc_fe_{k}"], v[f"xc_fe_{k}_low"], v[f"xc_fe_{k}_high"] = (float(r.per_step), float(r.per_step_low),
                                                                    float(r.per_step_high))
        v[f"xc_fe_{k}_coef"] = float(r.coef)
        v[f"xc_fe_{k}_step"] = float(r.step)
        v[f"xc_fe_{k}_std"], v[f"xc_fe_{k}_std_low"], v[f"xc_fe_{k}_std_high"] = (float(r["std"]), float(r.std_low),
                                                                                float(r.std_high))
        v[f"xc_fe_{k}_p"] = float(r.p_value)
        v["xc_fe_nobs" if k == "dark" else f"xc_fe_nobs_{k}"] = int(r.nobs)
        if m in ENVIPE:
            rr = main[(main.measure == m) & (main.direction.str.startswith("violence"))].iloc[0]
            v[f"xc_rev_{k}"], v[f"xc_rev_{k}_low"], v[f"xc_rev_{k}_high"] = (float(rr["std"]), float(rr.std_low),
                                                                           float(rr.std_high))
            v[f"xc_rev_{k}_coef"], v[f"xc_rev_{k}_coef_low"], v[f"xc_rev_{k}_coef_high"] = (
                float(rr.coef), float(rr.ci_low), float(rr.ci_high))
    v["xc_rev_ratio"] = v["xc_rev_insec"] / v["xc_fe_insec_std"]
    fwd = t[t.direction.str.startswith("weakness")]
    ins = fwd[fwd.measure == "insecurity_api"]
    v["xc_rob_n_specs"] = int(len(SPECS))
    v["xc_rob_insec_pos"] = int((ins.std_low > 0).sum())
    weak = fwd[fwd.measure.isin(WEAKNESS)]
    v["xc_rob_weak_sig"] = int(((weak.std_low > 0) | (weak.std_high < 0)).sum())
    v["xc_rob_weak_n"] = int(len(weak))
    alts = fwd[fwd.measure == "gov_alternation"]
    v["xc_rob_alt_sig"] = int(((alts.std_low > 0) | (alts.std_high < 0)).sum())
    v["xc_rob_alt_n"] = int(len(alts))
    fd_ins = ins[ins.spec == SPECS[4]].iloc[0]
    v["xc_fd_insec"], v["xc_fd_insec_low"], v["xc_fd_insec_high"] = (float(fd_ins["std"]), float(fd_ins.std_low),
                                                                      float(fd_ins.std_high))
    lag2 = ins[ins.spec == SPECS[1]].iloc[0]
    v["xc_lag2_insec"], v["xc_lag2_insec_low"], v["xc_lag2_insec_high"] = (float(lag2["std"]), float(lag2.std_low),
                                                                            float(lag2.std_high))
    names = state_names()
    v["xc_violent_names"] = ", ".join(names[c] for c in most_violent_states())
    v["xc_n_violent"] = N_MOST_VIOLENT
    for scale in ("log", "rate", "rank"):
        bc = between_correlations(scale).set_index("measure")
        for m, k in (("cifra_negra_pct", "dark"), ("authority_causes_pct", "auth"), ("insecurity_api", "insec"),
                     ("wjp_2019", "wjp")):
            v[f"xc_r_{scale}_{k}"] = float(bc.loc[m, "r"])
            v[f"xc_r_{scale}_{k}_low"] = float(bc.loc[m, "r_low"])
            v[f"xc_r_{scale}_{k}_high"] = float(bc.loc[m, "r_high"])
    w = wjp_change()
    v["xc_wjp_change_r"], v["xc_wjp_change_low"], v["xc_wjp_change_high"] = w["r"], w["r_low"], w["r_high"]
    v["xc_wjp_mean_change"] = w["mean_change"]
    v["xc_wjp_n_unchanged"] = w["n_unchanged"]
    g = governor_years(FIRST_YEAR + 1, LAST_YEAR)
    starts = g[g.year == g.gov_start_year.astype(int) + 1]
    v["xc_gov_alternations"] = int((starts.gov_alternation == 1).sum())
    v["xc_gov_alternations_strict"] = int((starts.gov_alternation_strict == 1).sum())
    v["xc_gov_terms"] = int(len(starts))
    never = g.groupby("state_code")["gov_family"].apply(lambda s: set(s.dropna()) == {"pri"})
    v["xc_gov_never_names"] = " and ".join(names[c] for c in never[never].index)
    v["xc_gov_state_years"] = int(v["xc_fe_nobs_alt"])
    sp = state_panel()
    v["xc_gov_strict_differs"] = int((sp.gov_alternation != sp.gov_alternation_strict).sum())
    v["xc_gov_strict_differs_first"] = int(sp.loc[sp.gov_alternation != sp.gov_alternation_strict, "year"].min())
    # municipal
    mp = municipal_panel()
    mm = municipal_models()
    main_m = mm[mm.spec == MUN_SPECS[1]].set_index("term")
    v["xc_mun_nobs"] = int(main_m.loc["alternation", "nobs"])
    v["xc_mun_n"] = int(main_m.loc["alternation", "n_clusters"])
    v["xc_mun_total"] = int(mp.mun_code.nunique())
    sample = mp.dropna(subset=["alternation", "opp_governor"])
    v["xc_mun_rate_mean"] = float(sample.homicide_rate.mean())
    v["xc_mun_alt_share"] = float(sample.alternation.mean() * 100)
    v["xc_mun_opp_share"] = float(sample.opp_governor.mean() * 100)
    for spec, k in ((MUN_SPECS[0], "ye"), (MUN_SPECS[1], "main"), (MUN_SPECS[2], "w"), (MUN_SPECS[3], "cs")):
        r = mm[mm.spec == spec].set_index("term")
        for term, tk in (("alternation", "alt"), ("opp_governor", "opp")):
            v[f"xc_mun_{k}_{tk}"] = float(r.loc[term, "coef"])
            v[f"xc_mun_{k}_{tk}_low"] = float(r.loc[term, "ci_low"])
            v[f"xc_mun_{k}_{tk}_high"] = float(r.loc[term, "ci_high"])
    st = mm[mm.spec == MUN_SPECS[4]].iloc[0]
    v["xc_mun_strict"], v["xc_mun_strict_low"], v["xc_mun_strict_high"] = (float(st.coef), float(st.ci_low),
                                                                            float(st.ci_high))
    em = election_models()
    for spec, k in ((em.spec.unique()[0], "later"), (em.spec.unique()[1], "later_w"),
                    (em.spec.unique()[2], "earlier"), (em.spec.unique()[3], "earlier_w")):
        r = em[em.spec == spec].set_index("term")
        for term, tk in (("alternation", "alt"), ("opp_governor", "opp")):
            v[f"xc_el_{k}_{tk}"] = float(r.loc[term, "coef"])
            v[f"xc_el_{k}_{tk}_low"] = float(r.loc[term, "ci_low"])
            v[f"xc_el_{k}_{tk}_high"] = float(r.loc[term, "ci_high"])
    ew = election_windows()
    v["xc_el_n"] = int(len(ew))
    v["xc_el_alt_share"] = float(ew.alternation.mean() * 100)
    ev = event_study().set_index("k")
    v["xc_ev_first"] = float(ev.loc[EVENT_K[0], "coef"])
    v["xc_ev_first_low"], v["xc_ev_first_high"] = float(ev.loc[EVENT_K[0], "ci_low"]), float(ev.loc[EVENT_K[0],
                                                                                                    "ci_high"])
    post = ev.loc[1:EVENT_K[1], "coef"]
    v["xc_ev_post_mean"] = float(post.mean())
    v["xc_ev_pre2"] = float(ev.loc[-2, "coef"])
    v["xc_ev_n_sig"] = int(((ev.ci_low > 0) | (ev.ci_high < 0)).sum())
    # verdict
    x1 = claims.evaluate("X1")
    v["xc_verdict"] = x1.verdict
    v["xc_key"] = float(x1.key_number)
    for k in ("verdict_rate", "verdict_rank"):
        v[f"xc_{k}"] = x1.numbers[k]
    v["xc_signal_min"] = SIGNAL_MIN
    v["xc_medium_r"] = MEDIUM_R
    v["xc_small_std"] = SMALL_STD
    return v
