"""Statistics derived from the WJP state scores, the only WJP figures the book publishes.

WJP's terms give no right to redistribute the state scores (see the sources' ``license`` records), so
``wjp_state`` stays inside the pipeline and this module reduces it to correlations with the state homicide
rates: for each edition and scale, Pearson's (or Spearman's) r with its Fisher-z interval, the number of
states, and how far r moves when any one state is left out; and the edition-to-edition change in score
against the change in homicide rate. No row carries a state's score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import stats

#: Years of homicide (by year of occurrence) averaged after each edition's fieldwork; the state series ends
#: in 2022, so both editions are compared with the same window: after the 2019-2020 edition, and the years
#: the 2022-2023 edition measured (a same-period association, not a later one).
WINDOW = (2020, 2022)
#: The change analysis: score change between the two editions against the homicide rate change over these years.
CHANGE_YEARS = (2019, 2022)
#: Scales of the level correlations: log of the mean rate (main), the rate, and ranks (Spearman).
SCALES = ("log", "rate", "rank")
#: A score counts as unchanged between editions when it moved by less than this (scores print two decimals).
UNCHANGED = 0.005


def _loo(x: pd.Series, y: pd.Series, rank: bool) -> tuple[float, float, str]:
    """Smallest and largest r leaving out one state, and the state whose removal moves r furthest."""
    full = stats.correlation(x, y, rank=rank).r
    rs = pd.Series({k: stats.correlation(x.drop(k), y.drop(k), rank=rank).r for k in x.index})
    return float(rs.min()), float(rs.max()), str((rs - full).abs().idxmax())


def _row(x: pd.Series, y: pd.Series, **labels) -> dict:
    rank = labels["scale"] == "rank"
    c = stats.correlation(x, y, rank=rank)
    lo, hi, who = _loo(x, y, rank)
    return {**labels, "r": c.r, "r_low": c.low, "r_high": c.high, "n": c.n, "loo_r_min": lo, "loo_r_max": hi,
            "loo_state_code": who}


def state_rates(homicides: pd.DataFrame) -> pd.DataFrame:
    """States × years of the homicide rate by year of occurrence (the cross-case chapter's state series)."""
    h = homicides[(homicides.year_basis == "occurrence") & (homicides.state_code != "00")]
    return h.assign(year=h.year.astype(int)).pivot(index="state_code", columns="year", values="homicide_rate")


def associations(wjp: pd.DataFrame, homicides: pd.DataFrame) -> pd.DataFrame:
    """The published WJP statistics (see the module docstring) from ``wjp_state`` and ``homicides_state_annual``."""
    rates = state_rates(homicides)
    mean = rates.loc[:, WINDOW[0]:WINDOW[1]].mean(axis=1)
    scores = wjp.assign(state_code=wjp.state_code.astype(str)).pivot(index="state_code", columns="edition",
                                                                      values="score")
    rows = []
    for edition in sorted(scores.columns):
        s = scores[edition].dropna()
        y = mean.reindex(s.index).astype(float)
        for scale in SCALES:
            rows.append(_row(s, np.log(y) if scale == "log" else y, analysis="level", edition=int(edition),
                             homicide_years=f"{WINDOW[0]}-{WINDOW[1]}", scale=scale))
    first, last = sorted(scores.columns)[0], sorted(scores.columns)[-1]
    d_score = (scores[last] - scores[first]).dropna()
    d_rate = (rates[CHANGE_YEARS[1]] - rates[CHANGE_YEARS[0]]).reindex(d_score.index).astype(float)
    row = _row(d_score, d_rate, analysis="change", edition=int(last),
               homicide_years=f"{CHANGE_YEARS[0]} to {CHANGE_YEARS[1]}", scale="difference")
    row.update(mean_score_change=float(d_score.mean()), n_unchanged=int((d_score.abs() < UNCHANGED).sum()))
    rows.append(row)
    return pd.DataFrame(rows)
