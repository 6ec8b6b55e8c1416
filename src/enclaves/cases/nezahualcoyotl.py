"""Ciudad Nezahualcóyotl (INEGI 15058): secession by the ballot.

Everything the chapter ``book/cases/nezahualcoyotl.md`` computes lives here: the comparison
groups (``data/mappings/comparison_nezahualcoyotl.csv``), pooled homicide rates with exact
Poisson intervals, rate ratios, the SESNSP municipal series, party control of Neza and its
neighbours, the party-and-safety comparison of Neza's terms, the synthetic control of the
reform era (from 2013) with its placebo inference, ENVIPE for Estado de México, the chart
builders and the evaluators of claims N1 and N2.

Conventions
-----------
* Annual homicides: registration basis 1990-1999, occurrence basis 2000-2021 (the municipal
  table already holds them that way); charts mark the change.
* Data anomalies are masked by explicit rules (``MASKS``), never silently: every Mexico City
  borough in 1992 (deaths visibly shuffled between boroughs in that year's registration file)
  and Valle de Chalco Solidaridad before 1995 (created in 1994; its deaths were counted in the
  municipalities it was carved from while CONAPO back-projects a population).
* Every verdict comes from thresholds defined below (``FAR_SAFER_RR``, ``THIRD_PARTY_SHARE``).
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import combinations

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats as sps

from .. import charts, claims, geo, models, series, stats
from ..charts.theme import CASE_COLORS, NATIONAL_NAME, NEUTRAL, STATE_COLORS
from ..data import load
from . import registry

SLUG = "nezahualcoyotl"
NEZA = geo.case_codes()[SLUG]
NEZA_NAME = registry.get(SLUG).name
STATE = "15"
STATE_NAME = "Estado de México"
NATION = "00"
FIRST_YEAR, LAST_YEAR = 1990, 2021          # municipal homicide series
REFORM_START = 2013                         # first year of the police-reform era studied here
PRE_START = 2000                            # synthetic control: first pre-period year (occurrence basis)
ARTICLE_WINDOW = (2015, 2017)               # the three full years before the article (January 2018)
EARLY_WINDOW = (1990, 1992)                 # the earliest years of the series
PEAK_WINDOW = (2011, 2013)                  # the three years before the reform era's first full effect
WINDOW_MONTHS = 12                          # rolling and centred windows of the monthly series
NEW_INSTRUMENT_YEAR = 2015                  # SESNSP's new recording instrument starts (the series here keeps the old)
LATEST_WINDOW = (2019, 2021)                # the latest three years, under the 2018 coalition
DONOR_FACTOR = 3                            # donor population within a factor of 3 of Neza's (2010)
DONOR_DEGREES = ("very_low", "low")         # CONAPO marginalisation degree in 2010, as Neza (very low)
FAKE_START = 2008                           # placebo in time: a break five years early
ACCESSED = "Accessed 2026-11-26"

#: "Far safer": a rate at least a quarter lower (rate ratio ≤ 0.75) whose exact 95% upper bound
#: is below 1.
FAR_SAFER_RR = 0.75
#: N2: a third party = a winning family other than the PRI and the PAN (the parties Langston calls
#: the establishment). "Supported" needs the government in office at the article to be of a third
#: party AND at least this share of all elections 1990-2015 won by third parties AND at least this
#: share of them won by a party other than the governor's.
THIRD_PARTY_SHARE = 0.5
ESTABLISHMENT = ("pri", "pan")

SHORT = {"15033": "Ecatepec", "09005": "Gustavo A. Madero", "15122": "Valle de Chalco",
         "09006": "Iztacalco", "09007": "Iztapalapa", "09017": "Venustiano Carranza",
         "15031": "Chimalhuacán", "15070": "La Paz", "15025": "Chalco", "15039": "Ixtapaluca",
         "15099": "Texcoco", NEZA: NEZA_NAME}
GROUP_LABELS = {"east_ring": "Eastern ring (pooled)",
                "cdmx_boroughs": "Adjoining CDMX boroughs (pooled)",
                "donor_pool": "Synthetic-control donor pool"}
RATIO_LABELS = {"east_ring": "Neza ÷ eastern ring", "cdmx_boroughs": "Neza ÷ CDMX boroughs"}
FAMILY_LABELS = {"pri": "PRI", "pan": "PAN", "prd": "PRD", "morena": "MORENA", "other": "Other party",
                 "none": "No winner"}
FAMILY_COLORS = {"PRI": "#d7301f", "PAN": "#2b6cb0", "PRD": "#f2b701", "MORENA": "#7b2342",
                 "Other party": "#8c8c8c", "No winner": "#e0e0e0"}
CRIME_LABELS = {"homicidio_doloso": "Intentional homicide", "secuestro": "Kidnapping",
                "extorsion": "Extortion", "robo_vehiculo_con_violencia": "Vehicle theft with violence",
                "robo_vehiculo_sin_violencia": "Vehicle theft without violence"}
ENVIPE_LABELS = {"insecurity_api": "Adults who feel their state is unsafe",
                 "cifra_negra_pct": "Crimes never investigated (cifra negra)",
                 "authority_causes_pct": "Not reported: reasons blaming authorities"}
METHOD_BREAKS = [(2000, "Registration → occurrence basis"), (2010, "Population base 2010"),
                 (2015, "Population base 2015")]


def _caption_sources(*names: str) -> str:
    return "Sources: " + "; ".join(names) + f". {ACCESSED}."


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
def mun_names() -> dict[str, str]:
    m = load("municipalities")
    names = dict(zip(m["mun_code"], m["mun_name"], strict=True))
    return {**names, **SHORT}


# --------------------------------------------------------------------------------------------
# Homicide series
# --------------------------------------------------------------------------------------------

def mask_reason(mun_code: str, year: int) -> str | None:
    """Why a municipality-year is left out of single-municipality series (None = kept)."""
    if mun_code.startswith("09") and year == 1992:
        return "1992 registrations are shuffled between Mexico City boroughs"
    if mun_code == "15122" and year < 1995:
        return "Valle de Chalco Solidaridad was created in 1994"
    return None


def _masked(df: pd.DataFrame) -> pd.Series:
    return pd.Series([mask_reason(c, int(y)) is not None for c, y in zip(df["mun_code"], df["year"],
                                                                         strict=True)], index=df.index)


@lru_cache(maxsize=1)
def _municipal() -> pd.DataFrame:
    h = load("homicides_municipal_annual")
    return h[h["mun_code"].str[:2].isin(["09", "15"])].reset_index(drop=True)


def municipal_rates(codes: list[str]) -> pd.DataFrame:
    """Annual homicides and rates for single municipalities, with exact Poisson 95% intervals;
    masked municipality-years (``mask_reason``) are dropped."""
    h = _municipal()
    d = h[h["mun_code"].isin(codes)].copy()
    d = d[~_masked(d)]
    d = stats.add_rate_ci(d)
    d["area"] = d["mun_code"].map(mun_names())
    return d.sort_values(["mun_code", "year"]).reset_index(drop=True)


def pooled_rates(codes: list[str], label: str) -> pd.DataFrame:
    """One series for a group: the sum of its members' homicides over the sum of their population.

    A year is dropped if any member is a Mexico City borough in 1992 (the shuffle between
    boroughs makes a partial group wrong). Valle de Chalco before 1995 stays in a group that also
    holds Chalco, the municipality its deaths were counted in.
    """
    h = _municipal()
    d = h[h["mun_code"].isin(codes)]
    bad = {int(y) for c, y in zip(d["mun_code"], d["year"], strict=True)
           if c.startswith("09") and int(y) == 1992}
    if "15122" in codes and "15025" not in codes:
        bad |= set(range(FIRST_YEAR, 1995))
    g = d.groupby("year").agg(homicides=("homicides", "sum"), population=("population", "sum"),
                              year_basis=("year_basis", "first"), members=("mun_code", "nunique"))
    g = g[(g["members"] == len(set(codes))) & ~g.index.isin(bad)].reset_index()
    g["homicide_rate"] = g["homicides"] / g["population"] * 1e5
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
    parts = [municipal_rates([NEZA]), pooled_rates(members("east_ring"), GROUP_LABELS["east_ring"]),
             pooled_rates(members("cdmx_boroughs"), GROUP_LABELS["cdmx_boroughs"]), state_rates()]
    return pd.concat([p[cols] for p in parts], ignore_index=True)


def window_rate(area: str, window: tuple[int, int]) -> tuple[float, int, float]:
    """(rate per 100,000, homicides, person-years) of an area of ``comparison_rates`` over a window."""
    d = comparison_rates()
    d = d[(d["area"] == area) & d["year"].between(*window)]
    if d["year"].nunique() != window[1] - window[0] + 1:
        raise ValueError(f"{area}: missing years in {window}")
    k, n = int(d["homicides"].sum()), float(d["population"].sum())
    return k / n * 1e5, k, n


def rate_ratio(k1: int, n1: float, k0: int, n0: float, level: float = 0.95) -> tuple[float, float, float]:
    """Ratio of two Poisson rates (k1/n1)/(k0/n0) with its exact conditional (binomial) interval."""
    k1, k0 = int(k1), int(k0)
    rr = (k1 / n1) / (k0 / n0)
    a = 1 - level
    # Clopper-Pearson interval for the share k1 / (k1 + k0), mapped to the rate ratio
    p_lo = float(sps.beta.ppf(a / 2, k1, k0 + 1)) if k1 > 0 else 0.0
    p_hi = float(sps.beta.ppf(1 - a / 2, k1 + 1, k0)) if k0 > 0 else 1.0
    def to_rr(p: float) -> float:
        return p / (1 - p) * n0 / n1 if p < 1 else math.inf
    return float(rr), float(to_rr(p_lo)), float(to_rr(p_hi))


def window_ratio(area1: str, w1: tuple[int, int], area0: str, w0: tuple[int, int]) -> tuple[float, float, float]:
    _, k1, n1 = window_rate(area1, w1)
    _, k0, n0 = window_rate(area0, w0)
    return rate_ratio(k1, n1, k0, n0)


def annual_ratios() -> pd.DataFrame:
    """Neza's rate over each neighbour group's, year by year, with exact 95% intervals."""
    d = comparison_rates()
    neza = d[d["area"] == NEZA_NAME].set_index("year")
    rows = []
    for key in ("east_ring", "cdmx_boroughs"):
        g = d[d["area"] == GROUP_LABELS[key]].set_index("year")
        for y in neza.index.intersection(g.index):
            rr, lo, hi = rate_ratio(neza.at[y, "homicides"], neza.at[y, "population"], g.at[y, "homicides"],
                                    g.at[y, "population"])
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
    codes = [NEZA, *neighbours()]
    m = load("homicides_municipal_monthly")
    m = m[m["mun_code"].isin(codes)].sort_values(["mun_code", "year", "month"]).copy()
    m["roll12"] = m.groupby("mun_code")["homicides"].transform(lambda s: s.rolling(WINDOW_MONTHS).sum())
    pop = _municipal()[["mun_code", "year", "population"]]
    m = m.merge(pop, on=["mun_code", "year"], how="left")
    m = m[m["month"].isin([3, 6, 9, 12]) & m["roll12"].notna()].copy()
    m["rate12"] = m["roll12"] / m["population"] * 1e5
    m["t"] = m["year"] + m["month"] / 12
    m["period"] = [f"{WINDOW_MONTHS} months to {pd.Timestamp(year=int(y), month=int(mo), day=1):%b %Y}"
                   for y, mo in zip(m["year"], m["month"], strict=True)]
    m["area"] = m["mun_code"].map(mun_names())
    return m[["area", "mun_code", "t", "period", "roll12", "rate12"]].reset_index(drop=True)


def monthly_neza(start: int = 2010, end: int = 2016) -> pd.DataFrame:
    """Neza's monthly homicide counts with a centred WINDOW_MONTHS-month mean."""
    m = load("homicides_municipal_monthly")
    m = m[m["mun_code"] == NEZA].sort_values(["year", "month"]).copy()
    m["mean12"] = m["homicides"].astype(float).rolling(WINDOW_MONTHS, center=True).mean()
    m["date"] = pd.to_datetime(dict(year=m["year"], month=m["month"], day=15))
    m = m[m["year"].between(start, end)]
    return m[["date", "year", "month", "homicides", "mean12"]].reset_index(drop=True)


def monthly_before_after(cut: str = f"{REFORM_START}-01", months: int = 24) -> dict:
    """Mean monthly homicides in Neza in the ``months`` before and after ``cut``."""
    m = load("homicides_municipal_monthly")
    m = m[m["mun_code"] == NEZA].copy()
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
    codes = [NEZA, *neighbours()]
    c = c[c["mun_code"].isin(codes)]
    never = c.groupby(["mun_code", "crime"])["value"].transform("sum") == 0
    c = c[~never]
    a = c.groupby(["mun_code", "crime", "year"]).agg(incidents=("value", "sum"),
                                                     months=("month", "nunique")).reset_index()
    a = a[a["months"] == 12].merge(_municipal()[["mun_code", "year", "population"]], on=["mun_code", "year"])
    a["rate"] = a["incidents"] / a["population"] * 1e5
    a = stats.add_rate_ci(a, count="incidents")
    a["area"] = a["mun_code"].map(mun_names())
    a["crime_label"] = a["crime"].map(CRIME_LABELS)
    return a.reset_index(drop=True)


def sesnsp_not_attributed() -> list[tuple[str, str]]:
    """(municipality, crime) pairs with zero incidents in every month of the series."""
    c = load("crime_municipal_monthly")
    c = c[c["mun_code"].isin([NEZA, *neighbours()])]
    s = c.groupby(["mun_code", "crime"])["value"].sum()
    return [(mun_names()[m], CRIME_LABELS[k]) for (m, k), v in s.items() if v == 0]


def sesnsp_summary() -> dict:
    """Numbers for the text: Neza against the SESNSP neighbours, 2013 and 2015."""
    a = sesnsp_rates()
    out = {}
    def val(code, crime, year):
        v = a[(a["mun_code"] == code) & (a["crime"] == crime) & (a["year"] == year)]["rate"]
        return float(v.iloc[0]) if len(v) else float("nan")
    for crime in ("homicidio_doloso", "robo_vehiculo_con_violencia", "extorsion", "secuestro"):
        for y in (2013, 2015):
            out[f"neza_{crime}_{y}"] = val(NEZA, crime, y)
    others = sorted(set(a["mun_code"]) - {NEZA})
    out["n_sesnsp_neighbours"] = len(others)
    out["sesnsp_neighbour_names"] = ", ".join(mun_names()[c] for c in others)
    hom15 = {c: val(c, "homicidio_doloso", 2015) for c in others}
    out["n_higher_homicide_2015"] = int(sum(v > out["neza_homicidio_doloso_2015"] for v in hom15.values()))
    rv = {c: (val(c, "robo_vehiculo_con_violencia", 2015) / val(c, "robo_vehiculo_con_violencia", 2013) - 1)
          for c in [NEZA, *others]}
    out["neza_rvcv_change_pct"] = 100 * rv[NEZA]
    out["others_rvcv_change_median_pct"] = 100 * float(np.median([rv[c] for c in others]))
    out["n_higher_rvcv_2015"] = int(sum(val(c, "robo_vehiculo_con_violencia", 2015)
                                        > out["neza_robo_vehiculo_con_violencia_2015"] for c in others))
    out["iztapalapa_rvcv_2015"] = val("09007", "robo_vehiculo_con_violencia", 2015)
    out["ecatepec_rvcv_2015"] = val("15033", "robo_vehiculo_con_violencia", 2015)
    return out


# --------------------------------------------------------------------------------------------
# Elections and governors
# --------------------------------------------------------------------------------------------

def _family_label(f: str) -> str:
    return FAMILY_LABELS.get(str(f), "Other party")


def _abbr(winner) -> str:
    if winner is None or (isinstance(winner, float) and math.isnan(winner)) or pd.isna(winner):
        return "–"
    return str(winner).upper().replace("-", "·")


@lru_cache(maxsize=1)
def elections() -> pd.DataFrame:
    """Municipal elections of Neza and its neighbours, with the term each opens (to the next election)."""
    e = load("elections_municipal")
    codes = [NEZA, *neighbours()]
    e = e[e["mun_code"].isin(codes) & (e["outcome"] == "elected")].sort_values(["mun_code", "year"]).copy()
    e["next_year"] = e.groupby("mun_code")["year"].shift(-1)
    e["next_year"] = e["next_year"].fillna(e["year"] + 3).astype(int)
    e["area"] = e["mun_code"].map(mun_names())
    e["family"] = e["winner_family"].map(_family_label)
    e["label"] = e["winner"].map(_abbr)
    return e.reset_index(drop=True)


@lru_cache(maxsize=1)
def governors() -> pd.DataFrame:
    g = load("governors")
    g = g[g["state_code"].isin([STATE, "09"])].sort_values(["state_code", "start_year"]).copy()
    g["next_year"] = g.groupby("state_code")["start_year"].shift(-1)
    g["next_year"] = g["next_year"].fillna(g["start_year"] + 6).astype(int)
    g["family"] = g["party_family"].map(_family_label)
    g["area"] = g["state_code"].map({STATE: "Governor, Estado de México", "09": "Head of government, CDMX"})
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
    out["area"] = out["mun_code"].map(mun_names())
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
    e = e[e["mun_code"] == NEZA]
    d = comparison_rates()
    rows = []
    for r in e.itertuples():
        years = list(range(int(r.year) + 1, int(r.year) + 4))
        row = {"election": int(r.year), "term": f"{years[0]}–{str(years[-1])[-2:]}", "first": years[0],
               "last": years[-1], "winner": str(r.winner), "family": r.family, "mayor": str(r.mayor),
               "margin_pts": 100 * float(r.margin) if pd.notna(r.margin) else float("nan"),
               "governor": _family_label(governor_family(int(r.year)))}
        nz = d[(d["area"] == NEZA_NAME) & d["year"].isin(years)]
        rg = d[(d["area"] == GROUP_LABELS["east_ring"]) & d["year"].isin(years)]
        if len(nz) == 3 and len(rg) == 3:
            rr, lo, hi = rate_ratio(nz["homicides"].sum(), nz["population"].sum(), rg["homicides"].sum(),
                                    rg["population"].sum())
            row.update(neza_rate=float(nz["homicides"].sum() / nz["population"].sum() * 1e5),
                       ring_rate=float(rg["homicides"].sum() / rg["population"].sum() * 1e5),
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
def _marg2010() -> pd.DataFrame:
    mg = load("marginalization_municipal")
    return mg[(mg["year"] == 2010) & mg["mun_code"].str[:2].isin(["09", "15"])].copy()


def donor_pool(factor: float = DONOR_FACTOR, exclude: tuple[str, ...] = ()) -> list[str]:
    """Estado de México and Mexico City municipalities with a 2010 population within ``factor`` of
    Neza's, a CONAPO 2010 marginalisation degree of low or very low, and a complete rate series
    2000-2021."""
    mg = _marg2010()
    pop = float(mg.loc[mg["mun_code"] == NEZA, "population"].iloc[0])
    ok = mg[mg["population"].between(pop / factor, pop * factor) & mg["degree"].isin(DONOR_DEGREES)]
    panel = synth_panel()
    complete = set(panel.columns[panel.notna().all()])
    return sorted(c for c in ok["mun_code"] if c != NEZA and c in complete and c not in exclude)


@lru_cache(maxsize=1)
def synth_panel() -> pd.DataFrame:
    h = _municipal()
    h = h[h["year"] >= PRE_START]
    return h.pivot(index="year", columns="mun_code", values="homicide_rate").sort_index()


@lru_cache(maxsize=4)
def synth(exclude_neighbours: bool = False) -> models.SynthResult:
    """The synthetic control with placebo-in-space inference (cached: about 15 s)."""
    donors = donor_pool(exclude=tuple(neighbours()) if exclude_neighbours else ())
    return models.placebo_in_space(synth_panel(), NEZA, REFORM_START, donors=donors)


def synth_time_placebo(fake_start: int = FAKE_START) -> models.SynthResult:
    """The same fit with a pretend break at ``fake_start`` using only years before the real one."""
    return models.placebo_in_time(synth_panel(), NEZA, fake_start, donors=donor_pool(), end=REFORM_START - 1)


@lru_cache(maxsize=1)
def synth_leave_one_out() -> pd.DataFrame:
    lo = models.leave_one_out(synth_panel(), NEZA, REFORM_START, donors=donor_pool())
    lo["dropped_name"] = lo["dropped"].map(lambda c: mun_names().get(c, c))
    return lo


def synth_pool_variants() -> pd.DataFrame:
    """ATT and pre-period fit for donor pools of population factor 3, 4 and 5 (no placebos)."""
    rows = []
    for f in (3, 4, 5):
        d = donor_pool(factor=f)
        r = synth() if f == DONOR_FACTOR else models.synthetic_control(synth_panel(), NEZA, REFORM_START, donors=d)
        rows.append({"factor": f, "donors": len(d), "att": r.att, "pre_rmspe": r.pre_rmspe, "ratio": r.ratio})
    return pd.DataFrame(rows)


def synth_numbers() -> dict:
    """Every synthetic-control number the chapter glues (plain Python values)."""
    r = synth()
    rn = synth(exclude_neighbours=True)
    pt = synth_time_placebo()
    lo = synth_leave_one_out()
    post = r.gap[r.gap.index >= REFORM_START]
    synth_post = r.synthetic[r.synthetic.index >= REFORM_START]
    w = r.top_weights()
    ratios = r.placebo["ratio"]
    variants = synth_pool_variants()
    out = {
        "sc_donors": len(r.weights), "sc_att": r.att, "sc_pre_rmspe": r.pre_rmspe, "sc_post_rmspe": r.post_rmspe,
        "sc_ratio": r.ratio, "sc_p": r.p_value, "sc_rank": int((ratios >= r.ratio).sum() + 1),
        "sc_units": len(ratios) + 1, "sc_n_larger": int((ratios >= r.ratio).sum()),
        "sc_att_pct": 100 * float(post.sum() / synth_post.sum()),
        "sc_n_weights": len(w), "sc_top_name": mun_names()[w.index[0]], "sc_top_weight": float(w.iloc[0]),
        "sc_weights_text": ", ".join(f"{mun_names()[c]} ({v:.2f})" for c, v in w.items()),
        "sc_gap_2014": float(r.gap.loc[2014]), "sc_gap_2013": float(r.gap.loc[2013]),
        "sc_years_below": int((post < 0).sum()), "sc_post_years": len(post),
        "sc_nn_donors": len(rn.weights), "sc_nn_att": rn.att, "sc_nn_pre_rmspe": rn.pre_rmspe,
        "sc_nn_ratio": rn.ratio, "sc_nn_p": rn.p_value,
        "sc_pit_start": FAKE_START, "sc_pit_att": pt.att, "sc_pit_pre_rmspe": pt.pre_rmspe, "sc_pit_ratio": pt.ratio,
        "sc_loo_min": float(lo["att"].min()), "sc_loo_max": float(lo["att"].max()),
        "sc_loo_weakest": str(lo.loc[lo["att"].idxmax(), "dropped_name"]),
        "sc_var_att_min": float(variants["att"].min()), "sc_var_att_max": float(variants["att"].max()),
        "sc_better_fit_share": float((r.placebo["pre_rmspe"] <= r.pre_rmspe).mean()),
    }
    return {k: (v if isinstance(v, str) else float(v) if isinstance(v, float | np.floating) else int(v))
            for k, v in out.items()}


# --------------------------------------------------------------------------------------------
# ENVIPE (state level)
# --------------------------------------------------------------------------------------------

def envipe() -> pd.DataFrame:
    e = load("envipe_state")
    e = e[e["state_code"].isin([STATE, "09", NATION]) & e["indicator"].isin(list(ENVIPE_LABELS))].copy()
    e["area"] = e["state_code"].map({STATE: STATE_NAME, "09": "Ciudad de México", NATION: NATIONAL_NAME})
    e["indicator_label"] = e["indicator"].map(ENVIPE_LABELS)
    e["year_meaning"] = np.where(e["indicator"] == "insecurity_api", "survey year", "year the crimes happened")
    return e[["area", "state_code", "indicator", "indicator_label", "year", "edition", "value",
              "year_meaning"]].reset_index(drop=True)


def envipe_numbers() -> dict:
    e = envipe()
    def v(state, ind, year):
        x = e[(e["state_code"] == state) & (e["indicator"] == ind) & (e["year"] == year)]["value"]
        return float(x.iloc[0])
    def avg(state, ind):
        return float(e[(e["state_code"] == state) & (e["indicator"] == ind)]["value"].mean())
    ins = e[e["indicator"] == "insecurity_api"]
    gap = (ins[ins.state_code == STATE].set_index("year")["value"] - ins[ins.state_code == NATION]
           .set_index("year")["value"]).dropna()
    last_ins = int(ins["year"].max())
    cn = e[e["indicator"] == "cifra_negra_pct"]
    last_cn = int(cn["year"].max())
    return {
        "env_ins_first_year": int(ins["year"].min()), "env_ins_last_year": last_ins,
        "env_ins_edomex_first": v(STATE, "insecurity_api", int(ins["year"].min())),
        "env_ins_nation_first": v(NATION, "insecurity_api", int(ins["year"].min())),
        "env_ins_edomex_last": v(STATE, "insecurity_api", last_ins),
        "env_ins_nation_last": v(NATION, "insecurity_api", last_ins),
        "env_ins_gap_min": float(gap.min()), "env_ins_gap_max": float(gap.max()),
        "env_ins_years_above": int((gap > 0).sum()), "env_ins_years": len(gap),
        "env_cn_first_year": int(cn["year"].min()), "env_cn_last_year": last_cn,
        "env_cn_edomex_mean": avg(STATE, "cifra_negra_pct"), "env_cn_nation_mean": avg(NATION, "cifra_negra_pct"),
        "env_cn_edomex_max": float(cn[cn.state_code == STATE]["value"].max()),
        "env_cn_edomex_max_year": int(cn[cn.state_code == STATE].set_index("year")["value"].idxmax()),
        "env_auth_edomex_mean": avg(STATE, "authority_causes_pct"),
        "env_auth_nation_mean": avg(NATION, "authority_causes_pct"),
        "env_auth_cdmx_mean": avg("09", "authority_causes_pct"),
    }


# --------------------------------------------------------------------------------------------
# Numbers for the prose
# --------------------------------------------------------------------------------------------

def before_numbers() -> dict:
    d = comparison_rates()
    def v(area, year):
        return float(d[(d["area"] == area) & (d["year"] == year)]["homicide_rate"].iloc[0])
    nz = d[d["area"] == NEZA_NAME].set_index("year")
    low_year = int(nz.loc[2000:2009, "homicide_rate"].idxmin())
    pre = nz.loc[2000:2009, "homicide_rate"]
    mg = load("marginalization_municipal")
    mz = mg[(mg["mun_code"] == NEZA)].set_index("year")
    n_mun_2010 = int((mg["year"] == 2010).sum())
    return {
        "neza_1990_rate": v(NEZA_NAME, 1990), "neza_1990_homicides": int(nz.at[1990, "homicides"]),
        "neza_1990_pop_m": float(nz.at[1990, "population"]) / 1e6,
        "neza_2021_pop_m": float(nz.at[LAST_YEAR, "population"]) / 1e6,
        "edomex_1990_rate": v(STATE_NAME, 1990), "nation_1990_rate": v(NATIONAL_NAME, 1990),
        "neza_1999_rate": v(NEZA_NAME, 1999), "neza_low_year": low_year, "neza_low_rate": v(NEZA_NAME, low_year),
        "neza_2000s_min": float(pre.min()), "neza_2000s_max": float(pre.max()),
        "neza_2009_rate": v(NEZA_NAME, 2009), "neza_2010_rate": v(NEZA_NAME, 2010),
        "neza_2009_homicides": int(nz.at[2009, "homicides"]), "neza_2010_homicides": int(nz.at[2010, "homicides"]),
        "neza_2012_rate": v(NEZA_NAME, 2012), "neza_2013_rate": v(NEZA_NAME, 2013),
        "neza_2013_homicides": int(nz.at[2013, "homicides"]), "neza_2014_homicides": int(nz.at[2014, "homicides"]),
        "neza_2014_rate": v(NEZA_NAME, 2014),
        "neza_2013_low": float(nz.at[2013, "rate_low"]), "neza_2013_high": float(nz.at[2013, "rate_high"]),
        "neza_2014_low": float(nz.at[2014, "rate_low"]), "neza_2014_high": float(nz.at[2014, "rate_high"]),
        "edomex_2012_rate": v(STATE_NAME, 2012), "nation_2012_rate": v(NATIONAL_NAME, 2012),
        "edomex_2000_rate": v(STATE_NAME, 2000), "nation_2000_rate": v(NATIONAL_NAME, 2000),
        "neza_2000_rate": v(NEZA_NAME, 2000),
        "neza_marg_rank_2010": int(mz.at[2010, "rank_national"]), "n_mun_2010": n_mun_2010,
        "neza_marg_rank_1990": int(mz.at[1990, "rank_national"]),
    }


def after_numbers() -> dict:
    ring, cdmx = GROUP_LABELS["east_ring"], GROUP_LABELS["cdmx_boroughs"]
    out = {}
    for key, w in (("early", EARLY_WINDOW), ("peak", PEAK_WINDOW), ("article", ARTICLE_WINDOW),
                   ("latest", LATEST_WINDOW)):
        out[f"neza_{key}_rate"] = window_rate(NEZA_NAME, w)[0]
        out[f"neza_{key}_homicides"] = window_rate(NEZA_NAME, w)[1]
        out[f"ring_{key}_rate"] = window_rate(ring, w)[0]
        out[f"edomex_{key}_rate"] = window_rate(STATE_NAME, w)[0]
        out[f"nation_{key}_rate"] = window_rate(NATIONAL_NAME, w)[0]
        if key != "early":
            out[f"cdmx_{key}_rate"] = window_rate(cdmx, w)[0]
    for key, w in (("article", ARTICLE_WINDOW), ("latest", LATEST_WINDOW)):
        for gname, g in (("ring", ring), ("cdmx", cdmx), ("edomex", STATE_NAME)):
            rr, lo, hi = window_ratio(NEZA_NAME, w, g, w)
            out[f"rr_{gname}_{key}"], out[f"rr_{gname}_{key}_low"], out[f"rr_{gname}_{key}_high"] = rr, lo, hi
    rr = annual_ratios()
    ringr = rr[rr["comparison"] == RATIO_LABELS["east_ring"]]
    out["ring_years_below"] = int((ringr["rr_high"] < 1).sum())
    out["ring_years"] = len(ringr)
    out["ring_first_year_below"] = int(ringr[ringr["rr_high"] < 1]["year"].min())
    cd = rr[rr["comparison"] == RATIO_LABELS["cdmx_boroughs"]]
    out["cdmx_years_above"] = int((cd["rr_low"] > 1).sum())
    out["cdmx_years_below"] = int((cd["rr_high"] < 1).sum())
    out["cdmx_years"] = len(cd)
    mr = monthly_rolling()
    last = mr[mr["t"] == mr["t"].max()].set_index("area")["rate12"]
    out["n_neighbours_above_neza_last"] = int((last.drop(NEZA_NAME) > last[NEZA_NAME]).sum())
    out["n_neighbours"] = len(last) - 1
    out.update({f"mb_{k}": v for k, v in monthly_before_after().items()})
    d = comparison_rates()
    st = series.state_homicide_rates([STATE])
    out["edomex_2022_rate"] = float(st.loc[st["year"] == 2022, "homicide_rate"].iloc[0])
    nz = d[d["area"] == NEZA_NAME].set_index("year")
    out["neza_2018_rate"] = float(nz.at[2018, "homicide_rate"])
    out["neza_2019_rate"] = float(nz.at[2019, "homicide_rate"])
    out["neza_2020_rate"] = float(nz.at[2020, "homicide_rate"])
    out["neza_2021_rate"] = float(nz.at[2021, "homicide_rate"])
    out["neza_2021_homicides"] = int(nz.at[2021, "homicides"])
    out["neza_2021_low"] = float(nz.at[2021, "rate_low"])
    out["neza_2021_high"] = float(nz.at[2021, "rate_high"])
    return out


def party_numbers() -> dict:
    e = elections()
    nz = e[e["mun_code"] == NEZA]
    s = party_summary()
    t = neza_terms()
    td = t[t["has_data"]]
    pt = party_permutation_test()
    g = governors()
    gm = g[g["state_code"] == STATE]
    row = s.set_index("mun_code")
    def margin(year):
        return 100 * float(nz.loc[nz["year"] == year, "margin"].iloc[0])
    pri_t = td[td["family"] == "PRI"]
    oth_t = td[td["family"] != "PRI"]
    return {
        "n_neza_elections": len(nz), "neza_first_election": int(nz["year"].min()),
        "neza_last_election": int(nz["year"].max()),
        "neza_elections_to_2015": int(row.at[NEZA, "elections"]), "neza_third_to_2015": int(row.at[NEZA, "third"]),
        "neza_third_share": float(row.at[NEZA, "share_third"]),
        "neza_rank_third": int(list(s["mun_code"]).index(NEZA) + 1), "n_compared_muns": len(s),
        "n_neighbours_third_majority": int((s[s["mun_code"] != NEZA]["share_third"] >= 0.5).sum()),
        "texcoco_third": int(row.at["15099", "third"]), "texcoco_elections": int(row.at["15099", "elections"]),
        "ecatepec_third": int(row.at["15033", "third"]), "ecatepec_elections": int(row.at["15033", "elections"]),
        "margin_2009": margin(2009), "margin_2012": margin(2012), "margin_2015": margin(2015),
        "margin_2018": margin(2018), "margin_2021": margin(2021),
        "n_gov_edomex": int((gm["start_year"] <= 2017).sum()),
        "n_gov_edomex_pri": int(((gm["start_year"] <= 2017) & (gm["party_family"] == "pri")).sum()),
        "pt_n_terms": pt["n_terms"], "pt_n_pri": pt["n_pri"],
        "pt_n_other": pt["n_terms"] - pt["n_pri"], "pt_arrangements": pt["n_arrangements"],
        "pt_ratio": pt["ratio_pri_vs_other"], "pt_p": pt["p_value"], "pt_min_p": pt["min_p"],
        "pri_terms_rr_mean": float(np.exp(np.log(pri_t["rr"]).mean())),
        "other_terms_rr_mean": float(np.exp(np.log(oth_t["rr"]).mean())),
        "term_2010_rr": float(t.loc[t["election"] == 2009, "rr"].iloc[0]),
        "term_2007_rr": float(t.loc[t["election"] == 2006, "rr"].iloc[0]),
        "term_2013_rr": float(t.loc[t["election"] == 2012, "rr"].iloc[0]),
        "term_2016_rr": float(t.loc[t["election"] == 2015, "rr"].iloc[0]),
        "term_2019_rr": float(t.loc[t["election"] == 2018, "rr"].iloc[0]),
        "term_1991_rr": float(t.loc[t["election"] == 1990, "rr"].iloc[0]),
        "term_1994_rr": float(t.loc[t["election"] == 1993, "rr"].iloc[0]),
        "term_1997_rr": float(t.loc[t["election"] == 1996, "rr"].iloc[0]),
        "term_2010_neza_rate": float(t.loc[t["election"] == 2009, "neza_rate"].iloc[0]),
        "term_2007_neza_rate": float(t.loc[t["election"] == 2006, "neza_rate"].iloc[0]),
        "n_terms_with_data": len(td),
    }


# --------------------------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------------------------

def _far_safer(rr: float, hi: float) -> bool:
    return rr <= FAR_SAFER_RR and hi < 1


@claims.evaluator("N1")
def evaluate_n1() -> claims.Verdict:
    """N1 — far safer than it was and than its neighbours.

    Window: the three full years before the article (2015-2017). "Far safer" = rate ratio ≤ 0.75
    with exact upper bound < 1. Than it was: against both 1990-1992 and 2011-2013. Than its
    neighbours: against the eastern ring and the adjoining Mexico City boroughs (pooled).
    supported = all four; partly supported = than it was, or than at least one neighbour group;
    not supported = none.
    """
    nz, ring, cdmx = NEZA_NAME, GROUP_LABELS["east_ring"], GROUP_LABELS["cdmx_boroughs"]
    w = ARTICLE_WINDOW
    tests = {"early": window_ratio(nz, w, nz, EARLY_WINDOW), "peak": window_ratio(nz, w, nz, PEAK_WINDOW),
             "ring": window_ratio(nz, w, ring, w), "cdmx": window_ratio(nz, w, cdmx, w)}
    far = {k: _far_safer(v[0], v[2]) for k, v in tests.items()}
    past = far["early"] and far["peak"]
    neigh = [far["ring"], far["cdmx"]]
    if past and all(neigh):
        verdict = "supported"
    elif past or any(neigh):
        verdict = "partly supported"
    else:
        verdict = "not supported"
    ses = sesnsp_summary()
    numbers = {f"n1_rr_{k}": v[0] for k, v in tests.items()}
    numbers.update({f"n1_rr_{k}_high": v[2] for k, v in tests.items()})
    numbers.update({f"n1_rr_{k}_low": v[1] for k, v in tests.items()})
    numbers.update({f"n1_far_{k}": bool(v) for k, v in far.items()})
    numbers.update({"n1_neza_rate": window_rate(nz, w)[0], "n1_ring_rate": window_rate(ring, w)[0],
                    "n1_cdmx_rate": window_rate(cdmx, w)[0],
                    "n1_sesnsp_higher_homicide": ses["n_higher_homicide_2015"],
                    "n1_sesnsp_neighbours": ses["n_sesnsp_neighbours"]})
    evidence = (f"In {w[0]}-{w[1]} Neza's homicide rate was {tests['peak'][0]:.2f} times its 2011-2013 rate and "
                f"{tests['early'][0]:.2f} times its 1990-1992 rate; it was {tests['ring'][0]:.2f} times the eastern "
                f"ring's rate but {tests['cdmx'][0]:.2f} times the adjoining Mexico City boroughs' rate.")
    return claims.Verdict("N1", verdict, float(tests["ring"][0]),
                          f"Neza's homicide rate {w[0]}-{w[1]} relative to the eastern-ring municipalities",
                          evidence, numbers)


@claims.evaluator("N2")
def evaluate_n2() -> claims.Verdict:
    """N2 — governed by a third party outside the establishment.

    supported = the government in office when the article appeared (elected 2015) is of a third
    party (not PRI, not PAN) AND third parties won at least half of Neza's elections 1990-2015
    AND at least half of them went to a party other than the governor's; partly supported = only
    the first; not supported = the government at the article was PRI or PAN.
    """
    e = elections()
    nz = e[(e["mun_code"] == NEZA) & e["year"].between(FIRST_YEAR, 2015)].copy()
    at_article = nz.iloc[-1]
    third_at_article = at_article["winner_family"] not in ESTABLISHMENT
    share = float((~nz["winner_family"].isin(ESTABLISHMENT)).mean())
    differs = float(np.mean([f != governor_family(int(y)) for f, y in zip(nz["winner_family"], nz["year"],
                                                                          strict=True)]))
    if third_at_article and share >= THIRD_PARTY_SHARE and differs >= THIRD_PARTY_SHARE:
        verdict = "supported"
    elif third_at_article:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    later = e[(e["mun_code"] == NEZA) & (e["year"] > 2015)]
    numbers = {"n2_at_article_year": int(at_article["year"]),
               "n2_at_article_family": FAMILY_LABELS[at_article["winner_family"]],
               "n2_share_third": share, "n2_share_differs": differs, "n2_elections": len(nz),
               "n2_third": int((~nz["winner_family"].isin(ESTABLISHMENT)).sum()),
               "n2_pri_wins": int((nz["winner_family"] == "pri").sum()),
               "n2_later": "; ".join(f"{int(r.year)}: {r.winner}" for r in later.itertuples())}
    evidence = (f"Third parties (not PRI or PAN) won {numbers['n2_third']} of Neza's {len(nz)} municipal elections "
                f"1990-2015, including the {int(at_article['year'])} election that chose the government in office "
                f"in January 2018; the winner's party differed from the governor's in {differs:.0%} of them.")
    return claims.Verdict("N2", verdict, share,
                          "Share of Neza's municipal elections 1990-2015 won by a party other than PRI or PAN",
                          evidence, numbers)


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------

def _area_scale(names) -> alt.Scale:
    return charts.area_scale(list(dict.fromkeys(names)))


def chart_timeline() -> alt.LayerChart:
    d = comparison_rates()
    s = d[d["area"] == NEZA_NAME][["year", "homicide_rate", "homicides"]]
    events = pd.DataFrame([
        (1996.6, "PRD wins (1996)"),
        (2000.0, "Occurrence basis from 2000"),
        (2009.5, "PRI returns (2009)"),
        (2013.0, "Reform era (2013)"),
        (2018.0, "NYT article (Jan 2018)"),
        (2018.5, "Coalition re-elects mayor (2018)"),
        (2021.5, "MORENA-led win (2021)"),
    ], columns=["date", "event"])
    s = s.assign(area=NEZA_NAME)
    return charts.timeline(
        s, events, y="homicide_rate", color="area", color_scale=_area_scale([NEZA_NAME]),
        y_title="Homicides per 100,000 inhabitants",
        title="Ciudad Nezahualcóyotl: homicide rate and political events, 1990–2021",
        description=("Line chart of Nezahualcóyotl's homicide rate per 100,000 from 1990 to 2021 with dashed "
                     "vertical rules for events: the PRD's first win in 1996, the change to counting deaths by "
                     "year of occurrence in 2000, the PRI's return in 2009, the police-reform era from 2013, the "
                     "New York Times article of January 2018, the 2018 coalition and the 2021 change of party. "
                     f"{_timeline_summary(s)}"))


def _timeline_summary(s: pd.DataFrame) -> str:
    """Words for the timeline's description, computed from Neza's plotted annual rates."""
    r = s.set_index(s["year"].astype(int))["homicide_rate"].astype(float)
    first, last = int(r.index.min()), int(r.index.max())
    low = int(r.loc[:REFORM_START - 1].idxmin())
    peak = r.loc[PEAK_WINDOW[0]:PEAK_WINDOW[1]]
    drop = REFORM_START + 1
    return (f"The rate falls from {r[first]:.0f} in {first} to a low of {r[low]:.0f} in {low}, rises to between "
            f"{peak.min():.0f} and {peak.max():.0f} in {PEAK_WINDOW[0]}-{PEAK_WINDOW[1]}, drops to {r[drop]:.0f} in "
            f"{drop} and ends at {r[last]:.0f} in {last}.")


def chart_before() -> alt.LayerChart:
    d = comparison_rates()
    d = d[d["area"].isin([NEZA_NAME, STATE_NAME, NATIONAL_NAME])]
    return charts.rate_with_interval(
        d, color="area", color_title="Area", color_scale=_area_scale([NEZA_NAME, STATE_NAME, NATIONAL_NAME]),
        y_title="Homicides per 100,000 inhabitants",
        title="Nezahualcóyotl against its state and the nation",
        subtitle="Bands: exact 95% Poisson intervals. Click a legend entry to highlight it",
        description=("Line chart with confidence bands of homicide rates per 100,000 for Nezahualcóyotl, "
                     "Estado de México and Mexico, 1990 to 2021. Neza stays below its state in the 1990s and "
                     "2000s, rises above the nation around 2010-2013 when the national rate is also high, and "
                     "falls below both from 2014."),
        breaks=METHOD_BREAKS,
        tooltip=[charts.tip("area", "Area"), charts.tip("year", "Year", "d"),
                 charts.tip("homicide_rate", "Rate per 100,000", ".1f"), charts.tip("homicides", "Homicides", ","),
                 charts.tip("rate_low", "95% interval, low", ".1f"),
                 charts.tip("rate_high", "95% interval, high", ".1f"),
                 charts.tip("year_basis", "Counted by year of")])


def chart_neighbours() -> alt.LayerChart:
    d = comparison_rates()
    names = [NEZA_NAME, GROUP_LABELS["east_ring"], GROUP_LABELS["cdmx_boroughs"], STATE_NAME, NATIONAL_NAME]
    d = d[d["area"].isin(names)]
    rng = [CASE_COLORS[NEZA_NAME], "#c17d11", "#5e3c99", STATE_COLORS[STATE_NAME], NEUTRAL["national"]]
    return charts.line_with_breaks(
        d, x="year", y="homicide_rate", color="area", color_title="Area",
        color_scale=alt.Scale(domain=names, range=rng),
        y_title="Homicides per 100,000 inhabitants",
        title="Nezahualcóyotl and its neighbours, 1990–2021",
        subtitle="Groups pooled: their homicides over their population. Click a legend entry to highlight it",
        description=("Line chart of homicide rates per 100,000 from 1990 to 2021 for Nezahualcóyotl, the seven "
                     "eastern-ring municipalities of Estado de México pooled, the four adjoining Mexico City "
                     "boroughs pooled, Estado de México and Mexico. Neza is below the eastern ring in almost every "
                     "year and close to the Mexico City boroughs; all series rise around 2010-2012."),
        breaks=METHOD_BREAKS,
        tooltip=[charts.tip("area", "Area"), charts.tip("year", "Year", "d"),
                 charts.tip("homicide_rate", "Rate per 100,000", ".1f"), charts.tip("homicides", "Homicides", ","),
                 charts.tip("year_basis", "Counted by year of")])


def chart_monthly_dropdown() -> alt.LayerChart:
    """Neza against one neighbour picked from a dropdown: rolling 12-month rates, quarterly."""
    d = monthly_rolling()
    opts = [mun_names()[c] for c in neighbours()]
    first = "Ecatepec"
    pick = alt.param(name="pick_neighbour", value=first,
                     bind=alt.binding_select(options=opts, name="Compare Neza with "))
    shown = alt.Chart(d).transform_filter(f"datum.area == pick_neighbour || datum.area == '{NEZA_NAME}'")
    x = alt.X("t:Q", title=f"Year (end of {WINDOW_MONTHS}-month window)", axis=alt.Axis(format="d"))
    y = alt.Y("rate12:Q", title=f"Homicides per 100,000 (past {WINDOW_MONTHS} months)")
    color = alt.Color("area:N", title="Area", legend=None,
                      scale=alt.Scale(domain=[NEZA_NAME, *opts],
                                      range=[CASE_COLORS[NEZA_NAME]] + ["#5c5c5c"] * len(opts)))
    tips = [charts.tip("area", "Area"), charts.tip("period", "Window"),
            charts.tip("rate12", "Rate per 100,000", ".1f"), charts.tip("roll12", "Homicides in window", ",")]
    lines = shown.mark_line().encode(x=x, y=y, color=color, strokeDash=alt.StrokeDash(
        "area:N", legend=None, scale=alt.Scale(domain=[NEZA_NAME, *opts], range=[[1, 0]] + [[5, 3]] * len(opts))),
        tooltip=tips).add_params(pick)
    pts = shown.mark_point(size=18).encode(x=x, y=y, color=color, tooltip=tips)
    rule = charts.breaks_layer([(REFORM_START, "Reform era begins (2013)")], x="t")
    w = d.pivot(index="t", columns="area", values="rate12")[[NEZA_NAME, first]].dropna()
    above = int((w[first] > w[NEZA_NAME]).sum())
    return alt.layer(lines, pts, rule).properties(
        title=alt.Title("Neza against one neighbour at a time, 2000–2021",
                        subtitle=(f"Rolling {WINDOW_MONTHS}-month homicide rate at the end of each quarter. Solid "
                                  "red: Neza; dashed grey: the neighbour picked below")),
        description=(f"Line chart of the rolling {WINDOW_MONTHS}-month homicide rate per 100,000 for "
                     "Nezahualcóyotl (solid) and one neighbouring municipality or borough chosen from a dropdown "
                     f"(dashed), sampled every quarter from 2000 to 2021, with a rule at {REFORM_START}. {first} is "
                     f"shown first: its rate is above Neza's in {above} of the {len(w)} quarters."))


def chart_monthly_break() -> alt.LayerChart:
    d = monthly_neza()
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%Y", tickCount="year"))
    bars = alt.Chart(d).mark_bar(color="#d9a3ab", opacity=0.8).encode(
        x=x, y=alt.Y("homicides:Q", title="Homicides per month (deaths)"),
        tooltip=[charts.tip("date", "Month", "%b %Y"), charts.tip("homicides", "Homicides"),
                 charts.tip("mean12", f"Centred {WINDOW_MONTHS}-month mean", ".1f")])
    line = alt.Chart(d).mark_line(color=CASE_COLORS[NEZA_NAME], strokeWidth=2.5).encode(
        x=x, y="mean12:Q", tooltip=[charts.tip("date", "Month", "%b %Y"),
                                     charts.tip("mean12", f"Centred {WINDOW_MONTHS}-month mean", ".1f")])
    rule_d = pd.DataFrame({"date": [pd.Timestamp(year=REFORM_START, month=1, day=1)],
                           "label": ["New government and police reform era"]})
    rule = alt.Chart(rule_d).mark_rule(strokeDash=[4, 3]).encode(x="date:T", tooltip=[charts.tip("label", "Event")])
    text = charts.event_labels(rule_d, x="date", label="label", x_type="T")
    return alt.layer(bars, line, rule, text).properties(
        title=alt.Title("Neza's monthly homicides around the start of the reform era, 2010–2016",
                        subtitle=("Bars: deaths per month by month of occurrence. Line: centred "
                                  f"{WINDOW_MONTHS}-month mean")),
        description=(f"Bar chart of monthly homicide counts in Nezahualcóyotl from {d['date'].min():%B %Y} to "
                     f"{d['date'].max():%B %Y}, with a line for the centred {WINDOW_MONTHS}-month mean and a rule at "
                     f"January {REFORM_START}. {_monthly_break_summary(d)}"))


def _monthly_break_summary(d: pd.DataFrame) -> str:
    """Words for the monthly chart's description: mean monthly counts before and after the reform's start."""
    y0, y1 = PEAK_WINDOW
    after = d[d["year"] > REFORM_START]
    return (f"Counts average {d.loc[d['year'].between(y0, y1), 'homicides'].mean():.0f} a month in {y0}-{y1} "
            f"and {after['homicides'].mean():.0f} a month in {REFORM_START + 1}-{after['year'].max()}.")


def chart_sesnsp() -> alt.LayerChart:
    d = sesnsp_rates()
    crimes = list(CRIME_LABELS.values())
    pick = alt.param(name="pick_crime", value=CRIME_LABELS["homicidio_doloso"],
                     bind=alt.binding_select(options=crimes, name="Crime "))
    sel = alt.selection_point(fields=["area"], bind="legend")
    order = [NEZA_NAME] + [mun_names()[c] for c in neighbours() if mun_names()[c] in set(d["area"])]
    palette = [CASE_COLORS[NEZA_NAME], "#c17d11", "#1b9e77", "#7570b3", "#5c5c5c", "#e7298a", "#66a61e"]
    color = alt.Color("area:N", title="Municipality", scale=alt.Scale(domain=order, range=palette[:len(order)]))
    base = alt.Chart(d).transform_filter("datum.crime_label == pick_crime")
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(domain=[2011, 2015]))
    y = alt.Y("rate:Q", title="Incidents recorded per 100,000 inhabitants")
    tips = [charts.tip("area", "Municipality"), charts.tip("crime_label", "Crime"), charts.tip("year", "Year", "d"),
            charts.tip("rate", "Per 100,000", ".1f"), charts.tip("incidents", "Incidents", ","),
            charts.tip("rate_low", "95% interval, low", ".1f"), charts.tip("rate_high", "95% interval, high", ".1f")]
    op = alt.condition(sel, alt.value(1.0), alt.value(0.15))
    lines = base.mark_line().encode(x=x, y=y, color=color, opacity=op, tooltip=tips).add_params(pick, sel)
    pts = base.mark_point().encode(x=x, y=y, color=color, opacity=op, tooltip=tips)
    bars = base.mark_rule().encode(x=x, y="rate_low:Q", y2="rate_high:Q", color=color, opacity=op)
    y0 = NEW_INSTRUMENT_YEAR
    nd = pd.DataFrame({"year": [y0], "label": [f"New SESNSP instrument ({y0})"],
                       "note": [f"SESNSP's new instrument starts in {y0}; this series keeps the old one"]})
    note = alt.layer(
        alt.Chart(nd).mark_rule(strokeDash=[4, 3]).encode(x="year:Q", tooltip=[charts.tip("note", "Note")]),
        charts.event_labels(nd, x="year", label="label"))
    return alt.layer(lines, pts, bars, note).properties(
        title=alt.Title("Crimes recorded by prosecutors: Neza and neighbours, 2011–2015",
                        subtitle="SESNSP, old instrument, full years only. Pick a crime; click a legend entry"),
        description=("Line chart of crimes recorded by prosecutors per 100,000 inhabitants, 2011 to 2015, for "
                     "Nezahualcóyotl and the neighbouring municipalities and boroughs in SESNSP's "
                     f"{load('crime_municipal_monthly')['mun_code'].nunique()}-city series "
                     f"({charts.and_list(order[1:])}), with 95% intervals. A dropdown picks the crime: intentional "
                     "homicide, kidnapping, extortion, or vehicle theft with or without violence. "
                     f"{_sesnsp_summary(d)}"))


def _sesnsp_summary(d: pd.DataFrame) -> str:
    """Words for the SESNSP chart's description, computed from Neza's plotted rates."""
    v = d[(d["area"] == NEZA_NAME) & (d["crime"] == "robo_vehiculo_con_violencia")]
    v = v.set_index(v["year"].astype(int))["rate"].astype(float)
    last = int(v.index.max())
    return (f"Neza's violent vehicle theft falls steeply after {REFORM_START}, from {v[REFORM_START]:.0f} per "
            f"100,000 that year to {v[last]:.0f} in {last}.")


def chart_parties() -> alt.LayerChart:
    e = elections()
    g = governors()
    g = g[g["start_year"] + 0 < 2024]
    rows = pd.concat([
        e[["area", "mun_code", "year", "next_year", "family", "label", "winner", "mayor", "margin"]],
        g.rename(columns={"start_year": "year", "governor": "mayor", "nominating_parties": "winner"})
         .assign(label=g["party"].str.upper(), margin=np.nan, mun_code="gov" + g["state_code"])
         [["area", "mun_code", "year", "next_year", "family", "label", "winner", "mayor", "margin"]],
    ], ignore_index=True)
    rows["end"] = rows["next_year"].clip(upper=2024)
    rows["margin_pts"] = rows["margin"] * 100
    order = ["Governor, Estado de México", NEZA_NAME] + [mun_names()[c] for c in members("east_ring")] + \
            [mun_names()[c] for c in members("cdmx_boroughs")] + ["Head of government, CDMX"]
    fam = list(FAMILY_COLORS)[:-1]
    yenc = alt.Y("area:N", title=None, sort=order)
    tips = [charts.tip("area", "Office"), charts.tip("year", "Elected", "d"), charts.tip("winner", "Winning ticket"),
            charts.tip("family", "Party family"), charts.tip("mayor", "Winner (as spelled in source)"),
            charts.tip("margin_pts", "Margin (points)", ".1f")]
    bars = alt.Chart(rows).mark_bar(stroke="white", strokeWidth=1, height=16).encode(
        x=alt.X("year:Q", title="Year of election (bar runs to the next election)", axis=alt.Axis(format="d"),
                scale=alt.Scale(domain=[1987, 2024])),
        x2="end:Q", y=yenc,
        color=alt.Color("family:N", title="Party family of the winner",
                        scale=alt.Scale(domain=fam, range=[FAMILY_COLORS[f] for f in fam])),
        tooltip=tips)
    short = rows.assign(short=rows["family"].map({"PRI": "PRI", "PAN": "PAN", "PRD": "PRD", "MORENA": "MOR",
                                                  "Other party": "oth"}))
    dark_bg = "datum.family == 'PRI' || datum.family == 'PAN' || datum.family == 'MORENA'"
    text = alt.Chart(short).mark_text(align="left", dx=3, fontSize=9).encode(
        x="year:Q", y=yenc, text="short:N", tooltip=tips,
        color=alt.condition(dark_bg, alt.value("#ffffff"), alt.value("#111111")))
    return alt.layer(bars, text).properties(
        height=alt.Step(22),
        title=alt.Title("Who governed Neza, its neighbours and their states, 1987–2024",
                        subtitle="Party family of each election's winner; coalitions by their leading party"),
        description=("Chart of horizontal bars, one row per office: the governor of Estado de México, "
                     "Nezahualcóyotl, seven eastern-ring municipalities, four adjoining Mexico City boroughs and "
                     "Mexico City's head of government. Each bar is a term coloured by the winning party family. "
                     "The governor is PRI until 2023; Neza is PRD from 1996 to 2009 and again from 2012, with a "
                     "PRI term from 2009 and a MORENA-led coalition from 2021; most eastern-ring municipalities "
                     "are PRI for most terms; the Mexico City boroughs are PRD from 2000 and MORENA from 2018."))


def chart_terms() -> alt.LayerChart:
    t = neza_terms()
    t = t[t["has_data"]].copy()
    fam = [f for f in FAMILY_COLORS if f in set(t["family"])]
    shapes = {"PRI": "triangle-up", "PAN": "diamond", "PRD": "square", "MORENA": "circle", "Other party": "cross"}
    yscale = alt.Scale(type="log", domain=[0.4, 1.6], nice=False)
    x = alt.X("term:N", title="Neza's term (calendar years counted)", sort=list(t["term"]),
              axis=alt.Axis(labelAngle=0))
    y = alt.Y("rr:Q", title="Neza's rate ÷ eastern ring's rate (ratio, log scale)", scale=yscale,
              axis=alt.Axis(values=[0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6]))
    color = alt.Color("family:N", title="Party family in Neza",
                      scale=alt.Scale(domain=fam, range=[FAMILY_COLORS[f] for f in fam]))
    shape = alt.Shape("family:N", title="Party family in Neza",
                      scale=alt.Scale(domain=fam, range=[shapes[f] for f in fam]))
    tips = [charts.tip("term", "Term"), charts.tip("election", "Elected", "d"), charts.tip("winner", "Winning ticket"),
            charts.tip("mayor", "Mayor (as spelled in source)"),
            charts.tip("neza_rate", "Neza rate per 100,000", ".1f"),
            charts.tip("ring_rate", "Eastern ring rate per 100,000", ".1f"), charts.tip("rr", "Ratio", ".2f"),
            charts.tip("rr_low", "95% interval, low", ".2f"), charts.tip("rr_high", "95% interval, high", ".2f"),
            charts.tip("governor", "Governor's party")]
    base = alt.Chart(t)
    err = base.mark_rule(strokeWidth=2).encode(x=x, y=alt.Y("rr_low:Q", scale=yscale), y2="rr_high:Q",
                                                color=color, tooltip=tips)
    pts = base.mark_point(size=120, filled=True, stroke="#222222", strokeWidth=0.8, opacity=1).encode(
        x=x, y=y, color=color, shape=shape, tooltip=tips)
    one = alt.Chart(pd.DataFrame({"y": [1.0], "label": ["Same rate as the eastern ring"]})).mark_rule(
        color="#555555").encode(y=alt.Y("y:Q", scale=yscale), tooltip=[charts.tip("label", "Reference")])
    return alt.layer(err, pts, one).properties(
        width=620,
        title=alt.Title("Party and safety: Neza relative to the eastern ring, term by term",
                        subtitle="Points: rate ratio over the term's three calendar years; bars: exact 95% intervals"),
        description=("Dot chart of Nezahualcóyotl's homicide rate divided by the pooled eastern-ring rate for each "
                     f"municipal term from {t['term'].iloc[0]} to {t['term'].iloc[-1]}, coloured and shaped by the "
                     "party family that won Neza, with 95% intervals and a reference line at one (equal rates). "
                     f"{_terms_summary(t)} The PRI terms of 1991-96 and 2010-12 sit among the PRD terms rather "
                     "than apart from them."))


def _terms_summary(t: pd.DataFrame) -> str:
    """Which terms' rate ratios are below one, computed from the plotted terms."""
    above = t[t["rr"] >= 1]
    if above.empty:
        return f"All {len(t)} terms are below one."
    which = charts.and_list(f"{r.term}, {r.family}" for r in above.itertuples())
    if len(above) == 1:
        return f"All terms but one ({which}) are below one."
    return f"{len(t) - len(above)} of the {len(t)} terms are below one; the exceptions are {which}."


def chart_synth() -> alt.LayerChart:
    r = synth()
    f = r.frame()
    f["series"] = f["series"].map({"actual": NEZA_NAME, "synthetic": "Synthetic Neza"})
    gap = r.gap
    f["gap"] = f["year"].map(gap)
    names = [NEZA_NAME, "Synthetic Neza"]
    return charts.line_with_breaks(
        f, x="year", y="value", color="series", color_title="Series",
        color_scale=alt.Scale(domain=names, range=[CASE_COLORS[NEZA_NAME], "#5c5c5c"]),
        y_title="Homicides per 100,000 inhabitants",
        title="Neza and its synthetic control, 2000–2021",
        subtitle="Weights fitted on 2000–2012 only. Click a legend entry to highlight it",
        description=("Line chart of Nezahualcóyotl's homicide rate per 100,000 and of its synthetic control, a "
                     "weighted average of Estado de México and Mexico City donor municipalities fitted on "
                     "2000-2012, through 2021. The two lines track each other closely to 2012; from 2014 Neza is "
                     "below its synthetic control in every year."),
        breaks=[(2010, "Pop. base 2010"), (REFORM_START, "Reform era (2013)"), (2015, "Pop. base 2015")],
        tooltip=[charts.tip("series", "Series"), charts.tip("year", "Year", "d"),
                 charts.tip("value", "Rate per 100,000", ".1f"), charts.tip("gap", "Neza minus synthetic", ".1f")])


def chart_placebo() -> alt.LayerChart:
    r = synth()
    p = r.placebo.assign(treated=False)
    p = pd.concat([pd.DataFrame([{"unit": NEZA, "pre_rmspe": r.pre_rmspe, "post_rmspe": r.post_rmspe,
                                  "ratio": r.ratio, "treated": True}]), p], ignore_index=True)
    p["area"] = p["unit"].map(mun_names())
    p["role"] = np.where(p["treated"], "Nezahualcóyotl (real reform)", "Donor treated as if reformed (placebo)")
    order = list(p.sort_values("ratio", ascending=False)["area"])
    tips = [charts.tip("area", "Municipality"), charts.tip("ratio", "Post/pre RMSPE ratio", ".2f"),
            charts.tip("pre_rmspe", "Pre-period RMSPE (per 100,000)", ".2f"),
            charts.tip("post_rmspe", "Post-period RMSPE (per 100,000)", ".2f"), charts.tip("role", "Role")]
    bars = alt.Chart(p).mark_bar().encode(
        y=alt.Y("area:N", sort=order, title=None), x=alt.X("ratio:Q", title="Post-2013 error ÷ pre-2013 error (ratio)"),
        color=alt.Color("role:N", title=None, legend=alt.Legend(labelLimit=400),
                        scale=alt.Scale(domain=["Nezahualcóyotl (real reform)",
                                                                      "Donor treated as if reformed (placebo)"],
                                                              range=[CASE_COLORS[NEZA_NAME], "#a6a6a6"])),
        tooltip=tips)
    return bars.properties(
        height=alt.Step(14),
        title=alt.Title("Placebo test: is Neza's post-2013 departure unusual?",
                        subtitle="Each donor refitted as if it had reformed in 2013; larger ratio = bigger departure"),
        description=("Horizontal bar chart of the ratio of post-2013 to pre-2013 root mean squared prediction "
                     "error for Nezahualcóyotl and for every donor municipality refitted as a placebo. Neza's bar "
                     "is coloured; several donors have larger ratios than Neza, so its departure from its "
                     "synthetic control is not unusual in this pool."))


def chart_ratio() -> alt.LayerChart:
    d = annual_ratios()
    names = list(dict.fromkeys(d["comparison"]))
    c = charts.rate_with_interval(
        d, y="rr", low="rr_low", high="rr_high", color="comparison", color_title="Comparison",
        color_scale=alt.Scale(domain=names, range=["#c17d11", "#5e3c99"]),
        y_title="Neza's homicide rate ÷ neighbours' rate (ratio)",
        title="How much safer than the neighbours? Rate ratios, 1990–2021",
        subtitle="Below one: Neza safer. Bands: exact 95% intervals. Click a legend entry to highlight it",
        description=("Line chart with bands of Nezahualcóyotl's homicide rate divided by the pooled rate of the "
                     "eastern ring and, separately, of the four adjoining Mexico City boroughs, "
                     f"{d['year'].min()} to {d['year'].max()}, with a reference line at one (equal rates). "
                     f"{_ratio_summary(d)}"),
        breaks=[(2000, "Registration → occurrence basis"), (REFORM_START, "Reform era (2013)"),
                (2019, "Coalition term (2019)")],
        tooltip=[charts.tip("comparison", "Comparison"), charts.tip("year", "Year", "d"),
                 charts.tip("rr", "Rate ratio", ".2f"), charts.tip("rr_low", "95% interval, low", ".2f"),
                 charts.tip("rr_high", "95% interval, high", ".2f")])
    one = alt.Chart(pd.DataFrame({"y": [1.0], "label": ["Equal rates"]})).mark_rule(color="#555555").encode(
        y="y:Q", tooltip=[charts.tip("label", "Reference")])
    return alt.layer(c, one).properties(title=c.title, description=c.description)


def _ratio_summary(d: pd.DataFrame) -> str:
    """The years in which each plotted rate ratio is at or above one, in words."""
    out = []
    words = {RATIO_LABELS["east_ring"]: "eastern ring", RATIO_LABELS["cdmx_boroughs"]: "Mexico City boroughs"}
    for comparison, g in d.dropna(subset=["rr"]).groupby("comparison", sort=False):
        above = g.loc[g["rr"] >= 1, "year"].astype(int)
        whom = words.get(comparison, comparison)
        if above.empty:
            out.append(f"The ratio to the {whom} is below one in every year.")
        else:
            out.append(f"The ratio to the {whom} is below one in {len(g) - len(above)} of {len(g)} years; it is "
                       f"one or above in {charts.year_spans(above)}.")
    return " ".join(out)


def chart_envipe() -> alt.FacetChart:
    d = envipe()
    names = [STATE_NAME, "Ciudad de México", NATIONAL_NAME]
    sel = alt.selection_point(fields=["area"], bind="legend")
    color = alt.Color("area:N", title="Area", scale=alt.Scale(domain=names, range=[STATE_COLORS[STATE_NAME],
                                                                                  "#5e3c99", NEUTRAL["national"]]))
    tips = [charts.tip("area", "Area"), charts.tip("indicator_label", "Indicator"), charts.tip("year", "Year", "d"),
            charts.tip("year_meaning", "Year is the"), charts.tip("edition", "ENVIPE edition", "d"),
            charts.tip("value", "Percent", ".1f")]
    base = alt.Chart(d).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickCount=5)),
        y=alt.Y("value:Q", title="Percent", scale=alt.Scale(zero=False)), color=color,
        opacity=alt.condition(sel, alt.value(1.0), alt.value(0.15)), tooltip=tips)
    layer = alt.layer(base.mark_line().add_params(sel), base.mark_point()).properties(width=185, height=220)
    return layer.facet(column=alt.Column("indicator_label:N", title=None,
                                         sort=list(ENVIPE_LABELS.values()),
                                         header=alt.Header(labelFontSize=10, labelLimit=240))).resolve_scale(
        y="independent").properties(
        title=alt.Title("Trust and reporting: Estado de México against Mexico City and the nation",
                        subtitle="ENVIPE survey estimates, state level (no municipal figures). Click a legend entry"),
        description=("Three small line charts from INEGI's ENVIPE survey for Estado de México, Mexico City and "
                     "Mexico: the share of adults who feel their state is unsafe (2011-2025), the share of crimes "
                     "not reported or not investigated (2011-2024), and the share of unreported crimes not "
                     "reported for reasons that blame the authorities (2011-2024). Estado de México's perceived "
                     "insecurity is above the national level in every year."))


# --------------------------------------------------------------------------------------------
# Everything the chapter glues
# --------------------------------------------------------------------------------------------

def _plain(v):
    if isinstance(v, bool | np.bool_):
        return None
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return float(v)
    if isinstance(v, str):
        return v
    return None


def chapter_numbers() -> dict:
    """Every number (and short string) the chapter's prose glues, as plain Python values.

    Derived percentages are computed here so the chapter does no arithmetic of its own.
    """
    out: dict = {}
    out.update(before_numbers())
    out.update(after_numbers())
    out.update(party_numbers())
    out.update(envipe_numbers())
    out.update({f"ses_{k}": v for k, v in sesnsp_summary().items()})
    out.update(synth_numbers())
    for cid in ("N1", "N2"):
        v = claims.evaluate(cid)
        out[f"{cid.lower()}_verdict"] = v.verdict
        out[f"{cid.lower()}_key"] = v.key_number
        out.update(v.numbers)
    pct = {  # "x percent lower" = 100 × (1 − ratio)
        "pct_below_peak": out["n1_rr_peak"], "pct_below_early": out["n1_rr_early"],
        "pct_below_ring": out["n1_rr_ring"], "pct_below_cdmx": out["n1_rr_cdmx"],
        "pct_below_ring_latest": out["rr_ring_latest"], "pct_below_cdmx_latest": out["rr_cdmx_latest"],
        "pct_below_edomex_latest": out["rr_edomex_latest"], "pct_below_edomex_article": out["rr_edomex_article"],
        "pct_2014_drop": out["neza_2014_homicides"] / out["neza_2013_homicides"],
        "pct_monthly_drop": out["mb_after_mean"] / out["mb_before_mean"],
        "pct_rvcv_drop": 1 + out["ses_neza_rvcv_change_pct"] / 100,
        "pct_others_rvcv_drop": 1 + out["ses_others_rvcv_change_median_pct"] / 100,
        "pct_extortion_drop": out["ses_neza_extorsion_2015"] / out["ses_neza_extorsion_2013"],
        "pct_latest_below_article": out["neza_latest_rate"] / out["neza_article_rate"],
    }
    out.update({k: 100 * (1 - v) for k, v in pct.items()})
    out["pct_2010_rise"] = 100 * (out["neza_2010_homicides"] / out["neza_2009_homicides"] - 1)
    out["sc_att_abs"] = -out["sc_att"]
    out["sc_att_pct_abs"] = -out["sc_att_pct"]
    out["sc_nn_att_abs"] = -out["sc_nn_att"]
    out["sc_loo_min_abs"] = -out["sc_loo_min"]
    out["sc_loo_max_abs"] = -out["sc_loo_max"]
    out["sc_var_att_min_abs"] = -out["sc_var_att_max"]
    out["sc_var_att_max_abs"] = -out["sc_var_att_min"]
    out["sc_better_fit_pct"] = 100 * out["sc_better_fit_share"]
    out["n2_share_third_pct"] = 100 * out["n2_share_third"]
    out["n2_share_differs_pct"] = 100 * out["n2_share_differs"]
    out["neza_marg_less_pct"] = 100 * (out["n_mun_2010"] - out["neza_marg_rank_2010"]) / out["n_mun_2010"]
    out["pt_diff_pct"] = 100 * (out["pt_ratio"] - 1)
    out["env_auth_gap"] = out["env_auth_edomex_mean"] - out["env_auth_nation_mean"]
    out["rvcv_ratio_izt"] = out["ses_neza_robo_vehiculo_con_violencia_2015"] / out["ses_iztapalapa_rvcv_2015"]
    out.update(_context_numbers())
    out["sc_lives_per_year"] = out["sc_att_abs"] * out["neza_post_pop_mean"] / 1e5
    clean = {k: _plain(v) for k, v in out.items()}
    return {k: v for k, v in clean.items() if v is not None}


def _context_numbers() -> dict:
    """Counts and shares the prose mentions in passing (sizes, anomalies, design constants)."""
    h = _municipal()
    nz = h[h["mun_code"] == NEZA]
    izt = h[(h["mun_code"] == "09007") & (h["year"] == 1992)].iloc[0]
    st = series.state_homicide_rates([STATE])
    st_pop = float(st.loc[st["year"] == 2015, "population"].iloc[0])
    ring = h[h["mun_code"].isin(members("east_ring")) & h["year"].between(*ARTICLE_WINDOW)]
    ecat = ring[ring["mun_code"] == "15033"]["population"].sum() / ring["population"].sum()
    crime = load("crime_municipal_monthly")
    kid = sesnsp_rates()
    kid = kid[(kid["mun_code"] == NEZA) & (kid["crime"] == "secuestro") & (kid["year"] == 2015)]
    donors = donor_pool()
    return {
        "ci_level": 95, "mb_months": 24, "loo_top": 5,
        "ses_n_cities": int(crime["mun_code"].nunique()),
        "izt_1992_homicides": int(izt["homicides"]), "izt_1992_pop_m": float(izt["population"]) / 1e6,
        "neza_state_share_inv": st_pop / float(nz.loc[nz["year"] == 2015, "population"].iloc[0]),
        "ses_neza_kidnap_2015_n": int(kid["incidents"].iloc[0]),
        "neza_hom_min": int(nz["homicides"].min()), "neza_hom_max": int(nz["homicides"].max()),
        "ecatepec_ring_share_pct": 100 * float(ecat),
        "sc_n_cdmx_donors": sum(c.startswith("09") for c in donors),
        "sc_pre_years": REFORM_START - PRE_START,
        "neza_post_pop_mean": float(nz.loc[nz["year"] >= REFORM_START, "population"].mean()),
    }
