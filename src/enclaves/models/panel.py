"""Panel regressions: two-way fixed effects with clustered standard errors, panel-aware lags and
first differences, estimated with statsmodels.

The estimator is the textbook one (Angrist and Pischke 2009, ch. 5): the outcome and the regressors
are demeaned within every set of fixed effects (units, years, or any other grouping such as
state-by-year) by alternating projections, and the demeaned outcome is regressed on the demeaned
regressors by OLS (or WLS with weights) in statsmodels. By the Frisch-Waugh-Lovell theorem the
slopes equal those of a regression with one dummy per unit and per year (``method="dummies"``
does exactly that through a statsmodels formula, for small panels and for checking).

Standard errors are clustered (Cameron and Miller 2015), by default on the unit; inference uses a
t distribution with G - 1 degrees of freedom, G the number of clusters, and statsmodels'
small-sample factor G/(G-1)·(N-1)/(N-K). With ``method="within"`` K counts the slopes only (the
absorbed effects are not counted, as in Stata's ``reghdfe`` when the fixed effects nest within the
clusters); with ``method="dummies"`` K counts every dummy, so its intervals are a little wider.

Lags and differences are taken on the calendar, not on row order: the lag of a 2015 value is the
2014 value of the same unit, missing when 2014 is missing (never the 2013 value).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

LEVEL = 0.95


# --------------------------------------------------------------------------------------------- lags
def lag(df: pd.DataFrame, cols: str | Sequence[str], *, unit: str, time: str, k: int = 1,
        suffix: str | None = None) -> pd.DataFrame:
    """Return ``df`` with ``<col>_lag<k>`` columns: the value of ``col`` in period ``time - k`` of the
    same unit (a lead when ``k`` is negative: ``<col>_lead<|k|>``). Gaps give missing values."""
    cols = [cols] if isinstance(cols, str) else list(cols)
    if df.duplicated([unit, time]).any():
        raise ValueError("lag: (unit, time) must identify rows")
    sfx = suffix or (f"_lag{k}" if k >= 0 else f"_lead{-k}")
    src = df[[unit, time, *cols]].copy()
    src[time] = src[time] + k
    src = src.rename(columns={c: c + sfx for c in cols})
    out = df.drop(columns=[c + sfx for c in cols if c + sfx in df.columns])
    return out.merge(src, on=[unit, time], how="left", validate="one_to_one")


def first_difference(df: pd.DataFrame, cols: str | Sequence[str], *, unit: str, time: str,
                     prefix: str = "d_") -> pd.DataFrame:
    """Return ``df`` with ``d_<col>`` = value in ``time`` minus value in ``time - 1`` (same unit)."""
    cols = [cols] if isinstance(cols, str) else list(cols)
    out = lag(df, cols, unit=unit, time=time, k=1, suffix="__prev")
    for c in cols:
        out[prefix + c] = out[c] - out[c + "__prev"]
    return out.drop(columns=[c + "__prev" for c in cols])


# ------------------------------------------------------------------------------------ demeaning
def demean(df: pd.DataFrame, cols: Sequence[str], fe: Sequence[str], weights: str | None = None,
           tol: float = 1e-10, max_iter: int = 10_000) -> pd.DataFrame:
    """Residuals of ``cols`` after projecting out every fixed effect in ``fe`` (alternating projections).

    With one fixed effect this is the usual within transformation; with two or more it sweeps out
    each set of group means in turn until the largest group mean left is below ``tol`` times the
    columns' scale (the method of alternating projections that ``reghdfe`` also uses).
    """
    x = df[list(cols)].to_numpy(dtype=float, copy=True)
    if np.isnan(x).any():
        raise ValueError("demean: missing values (drop incomplete rows first)")
    w = np.ones(len(df)) if weights is None else df[weights].to_numpy(dtype=float)
    codes = [pd.factorize(df[f])[0] for f in fe]
    wsum = [np.bincount(c, weights=w) for c in codes]
    scale = float(np.max(np.abs(x))) if x.size else 1.0
    scale = scale or 1.0
    for _ in range(max_iter):
        biggest = 0.0
        for c, ws in zip(codes, wsum, strict=True):
            for j in range(x.shape[1]):
                means = np.bincount(c, weights=w * x[:, j]) / ws
                x[:, j] -= means[c]
                biggest = max(biggest, float(np.max(np.abs(means))))
        if len(codes) == 1 or biggest < tol * scale:
            return pd.DataFrame(x, columns=list(cols), index=df.index)
    raise RuntimeError(f"demean: no convergence after {max_iter} iterations")


def _drop_singletons(d: pd.DataFrame, fe: Sequence[str]) -> pd.DataFrame:
    """Drop observations alone in a fixed-effect group (they are fitted perfectly), repeatedly."""
    while True:
        keep = np.ones(len(d), dtype=bool)
        for f in fe:
            keep &= d.groupby(f, sort=False)[f].transform("size").to_numpy() > 1
        if keep.all():
            return d
        d = d[keep]


# ------------------------------------------------------------------------------------- results
@dataclass
class PanelResult:
    """A fitted panel regression: the statsmodels results plus what was estimated on what."""

    fit: object
    y: str
    x: list[str]
    fe: list[str]
    cluster: str | None
    nobs: int
    n_units: int
    n_clusters: int
    method: str
    data: pd.DataFrame = field(repr=False)

    def coef(self, name: str, level: float = LEVEL) -> tuple[float, float, float]:
        """(estimate, low, high) of one coefficient, as plain floats."""
        est = float(self.fit.params[name])
        lo, hi = (float(v) for v in self.fit.conf_int(alpha=1 - level).loc[name])
        return est, lo, hi

    def se(self, name: str) -> float:
        return float(self.fit.bse[name])

    def pvalue(self, name: str) -> float:
        return float(self.fit.pvalues[name])

    def table(self, level: float = LEVEL) -> pd.DataFrame:
        """One row per regressor: coefficient, standard error, interval, p-value and sample."""
        ci = self.fit.conf_int(alpha=1 - level)
        return pd.DataFrame({
            "term": self.x,
            "coef": [float(self.fit.params[t]) for t in self.x],
            "se": [float(self.fit.bse[t]) for t in self.x],
            "ci_low": [float(ci.loc[t, 0]) for t in self.x],
            "ci_high": [float(ci.loc[t, 1]) for t in self.x],
            "p_value": [float(self.fit.pvalues[t]) for t in self.x],
            "nobs": self.nobs, "n_clusters": self.n_clusters,
        })


def _cluster_kw(d: pd.DataFrame, cluster: str | None) -> dict:
    if cluster is None:
        return {"cov_type": "HC1", "use_t": True}
    groups = pd.factorize(d[cluster])[0]
    return {"cov_type": "cluster", "cov_kwds": {"groups": groups}, "use_t": True}


def twfe(df: pd.DataFrame, y: str, x: str | Sequence[str], *, unit: str, time: str | None,
         cluster: str | None = "__unit__", extra_fe: Sequence[str] = (), weights: str | None = None,
         method: str = "within") -> PanelResult:
    """Fixed-effects regression of ``y`` on ``x`` with unit and time effects, clustered errors.

    ``time=None`` drops the time effects; ``extra_fe`` adds further groupings (e.g. a state-by-year
    key, which then replaces ``time``). ``cluster`` defaults to the unit; ``None`` gives
    heteroskedasticity-robust (HC1) errors. ``weights`` (a column) gives weighted least squares.
    Rows with a missing value in any variable used are dropped first.
    """
    xs = [x] if isinstance(x, str) else list(x)
    cl = unit if cluster == "__unit__" else cluster
    fe = [unit] + ([time] if time else []) + list(extra_fe)
    used = list(dict.fromkeys([y, *xs, *fe] + ([cl] if cl else []) + ([weights] if weights else [])))
    d = df[used].dropna().copy()
    if weights:
        d = d[d[weights] > 0]
    for f in dict.fromkeys(fe + ([cl] if cl else [])):
        d[f] = pd.factorize(d[f])[0]  # integer codes: same groups, faster grouping
    d = _drop_singletons(d, fe)
    d = d.reset_index(drop=True)
    if len(d) <= len(xs) + 2:
        raise ValueError(f"twfe: only {len(d)} complete observations")
    kw = _cluster_kw(d, cl)
    if method == "within":
        z = demean(d, [y, *xs], fe, weights=weights)
        model = sm.WLS(z[y], z[xs], weights=d[weights]) if weights else sm.OLS(z[y], z[xs])
        fit = model.fit(**kw)
    elif method == "dummies":
        # one dummy per level of every fixed effect (the first level of each dropped) and a constant
        dums = [pd.get_dummies(d[f].astype(str), prefix=f"fe_{f}", drop_first=True, dtype=float) for f in fe]
        exog = pd.concat([d[xs].astype(float), *dums], axis=1).assign(const=1.0)
        model = sm.WLS(d[y].astype(float), exog, weights=d[weights]) if weights else sm.OLS(d[y].astype(float), exog)
        fit = model.fit(**kw)
    else:
        raise ValueError(f"unknown method {method!r}")
    return PanelResult(fit=fit, y=y, x=xs, fe=fe, cluster=cl, nobs=int(len(d)), n_units=int(d[unit].nunique()),
                       n_clusters=int(d[cl].nunique()) if cl else 0, method=method, data=d)


def fd(df: pd.DataFrame, y: str, x: str | Sequence[str], *, unit: str, time: str,
       cluster: str | None = "__unit__", time_effects: bool = True, weights: str | None = None) -> PanelResult:
    """First-difference regression: Δy on Δx (year on previous year, same unit), with year effects
    (on the differences) and clustered errors. Unit effects drop out in the differencing."""
    xs = [x] if isinstance(x, str) else list(x)
    cl = unit if cluster == "__unit__" else cluster
    d = first_difference(df, [y, *xs], unit=unit, time=time)
    dy, dx = "d_" + y, ["d_" + v for v in xs]
    used = list(dict.fromkeys([dy, *dx, unit, time] + ([cl] if cl else []) + ([weights] if weights else [])))
    d = d[used].dropna().reset_index(drop=True)
    kw = _cluster_kw(d, cl)
    if time_effects:
        d = _drop_singletons(d, [time]).reset_index(drop=True)
        kw = _cluster_kw(d, cl)
        z = demean(d, [dy, *dx], [time], weights=weights)
        fe = [time]
    else:
        z = d[[dy, *dx]].assign(const=1.0)
        fe = []
    exog = z[dx] if time_effects else z[dx + ["const"]]
    model = sm.WLS(z[dy], exog, weights=d[weights]) if weights else sm.OLS(z[dy], exog)
    fit = model.fit(**kw)
    return PanelResult(fit=fit, y=dy, x=dx, fe=fe, cluster=cl, nobs=int(len(d)), n_units=int(d[unit].nunique()),
                       n_clusters=int(d[cl].nunique()) if cl else 0, method="first_difference", data=d)
