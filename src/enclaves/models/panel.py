"""Panel regressions: two-way fixed effects with clustered standard errors, panel-aware lags and
first differences, estimated with statsmodels.

The estimator is the textbook one (Angrist and Pischke 2009, ch. 5): the outcome and the regressors
are demeaned within every set of fixed effects (units, years, or any other grouping such as
state-by-year) by alternating projections, and the demeaned outcome is regressed on the demeaned
regressors by OLS (or WLS with weights) in statsmodels. By the Frisch-Waugh-Lovell theorem the
slopes equal those of a regression with one dummy per unit and per year (``method="dummies"``
does exactly that, for small panels and for checking). Observations alone in a fixed-effect group
(singletons) are dropped first, repeatedly, as fixest and reghdfe do.

Standard errors are clustered (Cameron and Miller 2015), by default on the unit: the CRV1 sandwich of
statsmodels (no correction) times the small-sample factor ``G/(G − 1) · (N − 1)/(N − K)``, with G the
number of clusters and N the observations used; inference uses a t distribution with G − 1 degrees of
freedom. K follows the default of fixest and pyfixest (``ssc()``: fixed effects nested in the clusters
are not counted), which is also reghdfe's convention:

    K = regressors + 1 + Σ over fixed effects not nested in the clusters of (levels − 1)

(the regressors as estimated, slopes only; the 1 is the intercept the fixed effects absorb; a fixed
effect is nested when each of its groups lies inside one cluster, as the unit effects do when the
errors are clustered by unit). Without fixed effects K is the number of regressors, constant included.
Two-way effects are counted as connected (one level of each further effect redundant), as fixest does
by default. With ``cluster=None`` the errors are heteroskedasticity-robust (HC0 times N/(N − K), no
effect nested; t with N − K degrees of freedom). ``method="dummies"`` counts K the same way, so its
standard errors equal the within estimator's. Tests check the coefficients and standard errors against
pyfixest's ``feols`` and the coefficients against linearmodels' ``PanelOLS``.

Lags and differences are taken on the calendar, not on row order: the lag of a 2015 value is the
2014 value of the same unit, missing when 2014 is missing (never the 2013 value).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import t as student_t

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
    """A fitted panel regression: estimates, their covariance (with the small-sample factor of the
    module's docstring) and what was estimated on what.

    ``params`` and ``vcov`` are indexed by the regressors; ``df_t`` is the t distribution's degrees of
    freedom (G − 1 clustered, N − K robust); ``k`` is the K of the factor and ``ssc`` the factor itself.
    """

    params: pd.Series
    vcov: pd.DataFrame
    df_t: int
    k: int
    ssc: float
    y: str
    x: list[str]
    fe: list[str]
    cluster: str | None
    nobs: int
    n_units: int
    n_clusters: int
    method: str
    data: pd.DataFrame = field(repr=False)

    @property
    def bse(self) -> pd.Series:
        return pd.Series(np.sqrt(np.diag(self.vcov.to_numpy())), index=self.vcov.index)

    def conf_int(self, level: float = LEVEL) -> pd.DataFrame:
        q = float(student_t.ppf(0.5 + level / 2, self.df_t))
        b, se = self.params, self.bse
        return pd.DataFrame({0: b - q * se, 1: b + q * se})

    @property
    def pvalues(self) -> pd.Series:
        return pd.Series(2 * student_t.sf(np.abs(self.params / self.bse), self.df_t), index=self.params.index)

    def coef(self, name: str, level: float = LEVEL) -> tuple[float, float, float]:
        """(estimate, low, high) of one coefficient, as plain floats."""
        lo, hi = (float(v) for v in self.conf_int(level).loc[name])
        return float(self.params[name]), lo, hi

    def se(self, name: str) -> float:
        return float(self.bse[name])

    def pvalue(self, name: str) -> float:
        return float(self.pvalues[name])

    def table(self, level: float = LEVEL) -> pd.DataFrame:
        """One row per regressor: coefficient, standard error, interval, p-value and sample."""
        ci, se, p = self.conf_int(level), self.bse, self.pvalues
        return pd.DataFrame({
            "term": self.x,
            "coef": [float(self.params[t]) for t in self.x],
            "se": [float(se[t]) for t in self.x],
            "ci_low": [float(ci.loc[t, 0]) for t in self.x],
            "ci_high": [float(ci.loc[t, 1]) for t in self.x],
            "p_value": [float(p[t]) for t in self.x],
            "nobs": self.nobs, "n_clusters": self.n_clusters,
        })


def fe_parameters(d: pd.DataFrame, fe: Sequence[str], cluster: str | None) -> int:
    """The fixed effects' share of K: 1 + Σ (levels − 1) over the fixed effects not nested in
    ``cluster`` (each of their groups inside one cluster); 0 without fixed effects."""
    if not fe:
        return 0
    k = 1
    for f in fe:
        nested = cluster is not None and bool((d.groupby(f, sort=False)[cluster].nunique() == 1).all())
        if not nested:
            k += int(d[f].nunique()) - 1
    return k


def _estimate(y: pd.Series, exog: pd.DataFrame, terms: list[str], d: pd.DataFrame, *, fe: Sequence[str],
              cluster: str | None, weights: str | None, k: int) -> tuple[pd.Series, pd.DataFrame, int, float, int]:
    """OLS (WLS) of ``y`` on ``exog`` in statsmodels; the CRV1 (or HC0) sandwich of ``terms`` times the
    small-sample factor with ``K = k + fe_parameters``: (params, vcov, t degrees of freedom, factor, K)."""
    from statsmodels.stats.sandwich_covariance import cov_cluster

    model = sm.WLS(y, exog, weights=d[weights]) if weights else sm.OLS(y, exog)
    fit = model.fit()
    n = int(len(y))
    k_all = k + fe_parameters(d, fe, cluster)
    if cluster is None:
        raw, factor, df_t = fit.cov_HC0, n / (n - k_all), n - k_all
    else:
        groups = pd.factorize(d[cluster])[0]
        g = int(groups.max()) + 1
        raw = cov_cluster(fit, groups, use_correction=False)
        factor, df_t = g / (g - 1) * (n - 1) / (n - k_all), g - 1
    idx = [list(exog.columns).index(t) for t in terms]
    vcov = pd.DataFrame(factor * np.asarray(raw)[np.ix_(idx, idx)], index=terms, columns=terms)
    return fit.params[terms].astype(float), vcov, int(df_t), float(factor), k_all


def _prepare(df: pd.DataFrame, used: list[str], fe: list[str], cl: str | None, weights: str | None) -> pd.DataFrame:
    """Complete rows with positive weights, integer codes for groupings, singletons dropped."""
    d = df[used].dropna().copy()
    if weights:
        d = d[d[weights] > 0]
    for f in dict.fromkeys(fe + ([cl] if cl else [])):
        d[f] = pd.factorize(d[f])[0]  # integer codes: same groups, faster grouping
    return _drop_singletons(d, fe).reset_index(drop=True)


def twfe(df: pd.DataFrame, y: str, x: str | Sequence[str], *, unit: str, time: str | None,
         cluster: str | None = "__unit__", extra_fe: Sequence[str] = (), weights: str | None = None,
         method: str = "within") -> PanelResult:
    """Fixed-effects regression of ``y`` on ``x`` with unit and time effects, clustered errors.

    ``time=None`` drops the time effects; ``extra_fe`` adds further groupings (e.g. a state-by-year
    key, which then replaces ``time``). ``cluster`` defaults to the unit; ``None`` gives
    heteroskedasticity-robust errors. ``weights`` (a column) gives weighted least squares.
    Rows with a missing value in any variable used are dropped first; the small-sample factor is the
    module docstring's.
    """
    xs = [x] if isinstance(x, str) else list(x)
    cl = unit if cluster == "__unit__" else cluster
    fe = [unit] + ([time] if time else []) + list(extra_fe)
    used = list(dict.fromkeys([y, *xs, *fe] + ([cl] if cl else []) + ([weights] if weights else [])))
    d = _prepare(df, used, fe, cl, weights)
    if len(d) <= len(xs) + 2:
        raise ValueError(f"twfe: only {len(d)} complete observations")
    if method == "within":
        z = demean(d, [y, *xs], fe, weights=weights)
        yy, exog = z[y], z[xs]
    elif method == "dummies":
        # one dummy per level of every fixed effect (the first level of each dropped) and a constant
        dums = [pd.get_dummies(d[f].astype(str), prefix=f"fe_{f}", drop_first=True, dtype=float) for f in fe]
        yy, exog = d[y].astype(float), pd.concat([d[xs].astype(float), *dums], axis=1).assign(const=1.0)
    else:
        raise ValueError(f"unknown method {method!r}")
    params, vcov, df_t, ssc, k = _estimate(yy, exog, xs, d, fe=fe, cluster=cl, weights=weights, k=len(xs))
    return PanelResult(params=params, vcov=vcov, df_t=df_t, k=k, ssc=ssc, y=y, x=xs, fe=fe, cluster=cl,
                       nobs=int(len(d)), n_units=int(d[unit].nunique()),
                       n_clusters=int(d[cl].nunique()) if cl else 0, method=method, data=d)


def fd(df: pd.DataFrame, y: str, x: str | Sequence[str], *, unit: str, time: str,
       cluster: str | None = "__unit__", time_effects: bool = True, weights: str | None = None) -> PanelResult:
    """First-difference regression: Δy on Δx (year on previous year, same unit), with year effects
    (on the differences) and clustered errors. Unit effects drop out in the differencing. Without year
    effects the regression has a constant (counted in K)."""
    xs = [x] if isinstance(x, str) else list(x)
    cl = unit if cluster == "__unit__" else cluster
    d = first_difference(df, [y, *xs], unit=unit, time=time)
    dy, dx = "d_" + y, ["d_" + v for v in xs]
    fe = [time] if time_effects else []
    used = list(dict.fromkeys([dy, *dx, unit, time] + ([cl] if cl else []) + ([weights] if weights else [])))
    d = d[used].dropna().reset_index(drop=True)
    if weights:
        d = d[d[weights] > 0].reset_index(drop=True)
    if time_effects:
        d = _drop_singletons(d, fe).reset_index(drop=True)
        z = demean(d, [dy, *dx], fe, weights=weights)
        yy, exog = z[dy], z[dx]
    else:
        yy, exog = d[dy].astype(float), d[dx].astype(float).assign(const=1.0)
    params, vcov, df_t, ssc, k = _estimate(yy, exog, dx, d, fe=fe, cluster=cl, weights=weights,
                                           k=exog.shape[1])
    return PanelResult(params=params, vcov=vcov, df_t=df_t, k=k, ssc=ssc, y=dy, x=dx, fe=fe, cluster=cl,
                       nobs=int(len(d)), n_units=int(d[unit].nunique()),
                       n_clusters=int(d[cl].nunique()) if cl else 0, method="first_difference", data=d)
