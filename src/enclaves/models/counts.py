"""Comparative designs for monthly counts: one treated unit against several others, before and after a date, in a
Poisson regression with an effect for each unit and each period and the variance scaled by the counts'
overdispersion (quasi-Poisson); inference by placebo in space (each other unit in the treated one's place)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sstats


def poisson_did(d: pd.DataFrame, treated: str, at: int, *, unit: str = "mun_code", period: str = "period",
                count: str = "homicides", exposure: str = "exposure", level: float = 0.95) -> dict:
    """Rate ratio of ``treated`` from period ``at`` on (periods are sortable numbers such as 201510) relative to
    before, against the change in the other units: exp(β) of treated × after in a Poisson GLM with unit and
    period effects and log ``exposure`` as offset; the interval and p-value scale the variance by the Pearson
    dispersion, floored at one. Returns rr, low, high, p, beta and dispersion."""
    x = ((d[unit] == treated) & (d[period] >= at)).astype(float).rename("x")
    if x.sum() == 0 or (d[unit] == treated).sum() == x.sum():
        raise ValueError(f"poisson_did: {treated} needs periods before and after {at}")
    X = pd.concat([pd.Series(1.0, index=d.index, name="const"), x,
                   pd.get_dummies(d[unit], prefix="u", drop_first=True, dtype=float),
                   pd.get_dummies(d[period], prefix="t", drop_first=True, dtype=float)], axis=1)
    fit = sm.GLM(d[count].astype(float), X, family=sm.families.Poisson(),
                 offset=np.log(d[exposure].astype(float))).fit()
    phi = max(1.0, float(fit.pearson_chi2 / fit.df_resid))
    b, se = float(fit.params["x"]), float(fit.bse["x"]) * np.sqrt(phi)
    q = float(sstats.norm.ppf(0.5 + level / 2))
    return {"rr": float(np.exp(b)), "low": float(np.exp(b - q * se)), "high": float(np.exp(b + q * se)),
            "p": float(2 * sstats.norm.sf(abs(b) / se)), "beta": b, "dispersion": phi}


def poisson_did_placebos(d: pd.DataFrame, treated: str, at: int, *, unit: str = "mun_code", **kw) -> pd.DataFrame:
    """:func:`poisson_did` with each other unit in the treated one's place (the treated unit left out), one row
    per unit."""
    others = d[d[unit] != treated]
    return pd.DataFrame([{unit: u, **poisson_did(others, u, at, unit=unit, **kw)}
                         for u in sorted(others[unit].unique())])


def placebo_p(estimate: dict, placebos: pd.DataFrame) -> tuple[int, float]:
    """(number of placebo units whose |β| is at least the estimate's, permutation p-value counting the treated
    unit itself: (n + 1) / (units + 1))."""
    n = int((placebos["beta"].abs() >= abs(estimate["beta"])).sum())
    return n, (n + 1) / (len(placebos) + 1)
