"""Close-election regression discontinuity designs on Mexico's municipal elections.

Every design shares one frame: a municipal election with returns (``vote_returns_municipal``, 1997-2019), the
homicide rate of the municipality in the years before and after it (INEGI deaths by year of occurrence,
``homicides_municipal_annual``) and its marginalisation. A design names a party (or a status) for each
election; the running variable is that party's **signed margin**: its candidacy's share of the valid vote
minus the best other candidacy's, positive when it won. Elections where the party is not among the two
leading candidacies, or is in both (a coalition split), have no running variable. The estimate is the jump
in the outcome at a margin of zero, by local linear regression with ``rdrobust`` (triangular kernel,
MSE-optimal bandwidth, robust bias-corrected interval, errors clustered by municipality; Calonico,
Cattaneo and Titiunik 2014), with ``rddensity``'s manipulation test (Cattaneo, Jansson and Ma 2020).
The estimation runs in the pipeline (:mod:`enclaves.pipeline.designs`), which publishes the results as the
table ``rd_designs``; this module builds the designs' frame and draws on it, so a reader needs neither library.

Designs:
- ``pan``: the PAN (or a coalition with it) wins (Dell 2015: PAN mayors and drug violence).
- ``incumbent_defeat``: the party family that won the previous election loses (alternation).
- ``governor``: the mayor's candidacy includes the state governor's party (vertical alignment).
- ``president``: the mayor's candidacy includes the president's party.
- ``neighbours``: the mayor's candidacy includes the party that governs most neighbouring municipalities
  (horizontal alignment; Durante and Gutiérrez).

The primary estimate of each design is declared here, before any result: the outcome ``rate_after`` (mean
homicide rate per 100,000 over the three calendar years after the election year), all elections 1997-2018,
the default ``rdrobust`` settings above. Everything else (counts, Dell's window, bandwidths, placebo
cutoffs, covariate balance) is robustness.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

#: Years of homicide after (and before) the election year averaged into the outcome (and the balance covariate).
YEARS_AFTER = 3
YEARS_BEFORE = 3
#: Elections with a full outcome window: the municipal death records end in 2021.
ELECTION_YEARS = (1997, 2018)
#: Dell's (2015) window: PAN close elections 2007-2010.
DELL_YEARS = (2007, 2010)
DELL_SPEC = f"Dell's window {DELL_YEARS[0]}-{DELL_YEARS[1]}"
#: Dell's band (five points of margin either side) for his specification: uniform kernel, population weights.
DELL_BAND = 0.05
DELL_SPEC_OWN = f"Dell's window and specification (band {DELL_BAND:g}, uniform kernel, population weights)"
#: Bandwidth multiples of the MSE-optimal bandwidth for the sensitivity check.
BW_MULTIPLES = (0.5, 0.75, 1.0, 1.5, 2.0)
#: Placebo cutoffs (signed margins) where nothing should happen.
PLACEBO_CUTOFFS = (-0.10, -0.05, 0.05, 0.10)
#: Major party families: membership of a candidacy is read from its label (parties joined by '-').
MAJOR = ("pan", "pri", "prd", "morena")
DESIGNS = {
    "pan": "PAN wins",
    "incumbent_defeat": "Incumbent party loses",
    "governor": "Mayor of the governor's party",
    "president": "Mayor of the president's party",
    "neighbours": "Mayor of the neighbours' party",
}


def president_party(year: int) -> str:
    """The president's party at a municipal election held in ``year`` (elections are held before December,
    when a new president takes office): PRI to 2000, PAN 2001-2012, PRI 2013-2018, Morena from 2019."""
    if year <= 2000:
        return "pri"
    if year <= 2012:
        return "pan"
    if year <= 2018:
        return "pri"
    return "morena"


def _has(label, party) -> bool:
    if not isinstance(label, str) or not isinstance(party, str):
        return False
    return party in label.split("-")


def signed_margin(returns: pd.DataFrame, party: pd.Series) -> pd.Series:
    """The signed margin of each row's ``party``: its candidacy's share minus the other leading candidacy's
    (positive: it won); missing where the party is not one of the two leading candidacies or is in both."""
    in1 = np.array([_has(lab, p) for lab, p in zip(returns["first"], party, strict=True)])
    in2 = np.array([_has(lab, p) for lab, p in zip(returns["second"], party, strict=True)])
    gap = (returns["first_share"] - returns["second_share"]).astype(float)
    out = pd.Series(np.nan, index=returns.index)
    out[in1 & ~in2] = gap[in1 & ~in2]
    out[in2 & ~in1] = -gap[in2 & ~in1]
    return out


def _family_of(label) -> str | None:
    """The major party family a winning label belongs to: the single major party in it, else None."""
    if not isinstance(label, str):
        return None
    majors = [p for p in label.split("-") if p in MAJOR]
    return majors[0] if len(majors) == 1 else None


def incumbent_party(returns: pd.DataFrame) -> pd.Series:
    """The major party family that won the municipality's previous election with returns (None if the winner
    was not one major party, or there is no previous election)."""
    r = returns.sort_values(["mun_code", "year", "extraordinary"])
    prev = r.groupby("mun_code")["first"].shift(1).map(_family_of)
    return prev.reindex(returns.index)


def neighbours_party(returns: pd.DataFrame, control: pd.DataFrame, neighbours: pd.DataFrame) -> pd.Series:
    """The party family governing most of a municipality's neighbours at its election: each neighbour's latest
    elected winner family up to the election year; the modal family if it holds a strict majority of the
    neighbours with a known family, else missing."""
    c = control[control["winner_family"].isin(MAJOR)][["mun_code", "year", "winner_family"]].copy()
    c["year"] = c["year"].astype("int64")
    c = c.sort_values(["mun_code", "year"]).drop_duplicates(["mun_code", "year"], keep="last")
    e = returns[["mun_code", "year"]].reset_index()
    pairs = e.merge(neighbours[["mun_code", "neighbour_code"]], on="mun_code")
    pairs = pairs.rename(columns={"mun_code": "own", "neighbour_code": "mun_code"})
    pairs = pairs.sort_values("year")
    c = c.sort_values("year")
    held = pd.merge_asof(pairs, c, on="year", by="mun_code", direction="backward")
    held = held.dropna(subset=["winner_family"])
    counts = held.groupby(["index", "winner_family"]).size().rename("n").reset_index()
    tot = counts.groupby("index")["n"].transform("sum")
    top = counts[counts["n"] > tot / 2].set_index("index")["winner_family"]
    return top.reindex(returns.index)


#: The tables the designs read (the pipeline passes its own, a chapter reads the published ones).
INPUTS = ("vote_returns_municipal", "homicides_municipal_annual", "marginalization_municipal",
          "party_control_municipal", "municipal_neighbours")


@cache
def election_frame() -> pd.DataFrame:
    """:func:`build_frame` on the published tables (cached)."""
    from ..data import load

    return build_frame({t: load(t) for t in INPUTS})


def build_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per municipal election with returns: outcomes after, covariates before, and each design's
    running variable (``m_<design>``), from the tables of :data:`INPUTS`."""

    def load(name: str) -> pd.DataFrame:
        return tables[name].copy()

    r = load("vote_returns_municipal").copy()
    r["mun_code"] = r["mun_code"].astype(str)
    r["year"] = r["year"].astype(int)
    # an extraordinary election replaces the ordinary one of its year (it seated the mayor)
    r = r.sort_values(["mun_code", "year", "extraordinary"]).drop_duplicates(["mun_code", "year"], keep="last")
    r = r.reset_index(drop=True)
    h = load("homicides_municipal_annual")
    h = h[h["year_basis"] == "occurrence"][["mun_code", "year", "homicides", "population"]].copy()
    h["mun_code"] = h["mun_code"].astype(str)
    wide_h = h.pivot(index="mun_code", columns="year", values="homicides")
    wide_p = h.pivot(index="mun_code", columns="year", values="population")

    def window(years_from: int, years_to: int):
        hom = np.full(len(r), np.nan)
        pop = np.full(len(r), np.nan)
        for y in r["year"].unique():
            rows = (r["year"] == y).to_numpy()
            cols = [c for c in range(y + years_from, y + years_to + 1)]
            if not set(cols) <= set(wide_h.columns):
                continue
            codes = r.loc[rows, "mun_code"]
            hh = wide_h.reindex(codes)[cols]
            pp = wide_p.reindex(codes)[cols]
            ok = hh.notna().all(axis=1) & pp.notna().all(axis=1)
            hom[rows] = hh.sum(axis=1).where(ok).to_numpy()
            pop[rows] = pp.sum(axis=1).where(ok).to_numpy()
        return hom, pop

    ha, pa = window(1, YEARS_AFTER)
    hb, pb = window(-YEARS_BEFORE, -1)
    r["homicides_after"], r["rate_after"] = ha, ha / pa * 1e5
    r["homicides_before"], r["rate_before"] = hb, hb / pb * 1e5
    r["population"] = pa / YEARS_AFTER  # mean population over the outcome years (the rates' weights)
    r["log_rate_after"] = np.log1p(r["rate_after"])
    m = load("marginalization_municipal")[["mun_code", "year", "marginalization_index"]].dropna().copy()
    m["mun_code"] = m["mun_code"].astype(str)
    m["year"] = m["year"].astype("int64")
    r = pd.merge_asof(r.sort_values("year"), m.sort_values("year"), on="year", by="mun_code",
                      direction="backward")
    r = r.sort_values(["mun_code", "year"]).reset_index(drop=True)
    r["party_pan"] = "pan"
    r["party_incumbent_defeat"] = incumbent_party(r)
    r["party_governor"] = r["governor_party"].astype(object).where(r["governor_party"].isin(MAJOR))
    r["party_president"] = r["year"].map(president_party)
    r["party_neighbours"] = neighbours_party(r, load("party_control_municipal").astype({"mun_code": str}),
                                             load("municipal_neighbours").astype({"mun_code": str,
                                                                                  "neighbour_code": str}))
    for d in DESIGNS:
        r[f"m_{d}"] = signed_margin(r, r[f"party_{d}"])
    # the incumbent party *losing* is the treatment: its margin is the negative of the incumbent's
    r["m_incumbent_defeat"] = -r["m_incumbent_defeat"]
    return r


PRIMARY = "primary"
SPEC_COUNT, SPEC_LOG = "count of homicides (3 years)", "log(1 + rate)"
BALANCE = {"rate_before": "balance: homicide rate before", "marginalization_index": "balance: marginalisation"}


def sample(design: str, years: tuple[int, int] = ELECTION_YEARS, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The elections of a design: a running variable and a full outcome window, in ``years``."""
    d = election_frame() if frame is None else frame
    d = d[d["year"].between(*years)]
    return d.dropna(subset=[f"m_{design}", "rate_after"]).reset_index(drop=True)


def results() -> pd.DataFrame:
    """The published design results (``rd_designs``, made by ``make data`` with rdrobust and rddensity, so the
    chapters need neither library)."""
    from ..data import load

    return load("rd_designs")


def binned(design: str, outcome: str = "rate_after", width: float = 0.01, span: float = 0.25,
           frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean outcome in bins of the running variable (``width``) within ``span`` of the cutoff, for RD plots:
    one row per bin with its midpoint, mean, count and side."""
    d = sample(design, frame=frame)
    m = d[f"m_{design}"]
    d = d[m.abs() <= span]
    b = np.floor(d[f"m_{design}"] / width).astype(int)
    g = d.groupby(b)[outcome].agg(["mean", "size"]).reset_index(names="bin")
    g["mid"] = (g["bin"] + 0.5) * width
    g["side"] = np.where(g["mid"] >= 0, "won", "lost")
    return g[["mid", "mean", "size", "side"]]


def left_mean(design: str, h: float, outcome: str = "rate_after", frame: pd.DataFrame | None = None) -> float:
    """Mean outcome of the elections just left of the cutoff (within ``h``): the scale against which a jump is
    read as a percentage."""
    d = sample(design, frame=frame)
    m = d[f"m_{design}"]
    return float(d.loc[(m < 0) & (m > -h), outcome].mean())


def local_fit(design: str, h: float, outcome: str = "rate_after", frame: pd.DataFrame | None = None,
              points: int = 25) -> pd.DataFrame:
    """The local linear fit on each side within bandwidth ``h`` with triangular weights (what rdrobust's point
    estimate fits), evaluated on a grid: for the RD plot's lines."""
    d = sample(design, frame=frame)
    x, y = d[f"m_{design}"].to_numpy(float), d[outcome].to_numpy(float)
    rows = []
    for side, sel, grid in (("lost", (x < 0) & (x > -h), np.linspace(-h, 0, points)),
                            ("won", (x >= 0) & (x < h), np.linspace(0, h, points))):
        w = 1 - np.abs(x[sel]) / h
        beta = np.polyfit(x[sel], y[sel], 1, w=np.sqrt(w))
        rows += [{"x": float(g), "fit": float(np.polyval(beta, g)), "side": side} for g in grid]
    return pd.DataFrame(rows)


def holm(p: pd.Series) -> pd.Series:
    """Holm's step-down adjustment of a family of p-values (statsmodels' ``multipletests``)."""
    from statsmodels.stats.multitest import multipletests

    return pd.Series(multipletests(p.to_numpy(), method="holm")[1], index=p.index)
