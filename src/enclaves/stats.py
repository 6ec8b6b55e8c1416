"""Small statistics the chapters share."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats


def poisson_ci(count, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) confidence interval for a Poisson count: chi-square quantiles.

    Returns (low, high) arrays; for a count of 0 the lower bound is 0.
    """
    k = np.asarray(count, dtype=float)
    a = 1 - level
    low = np.where(k > 0, stats.chi2.ppf(a / 2, 2 * k) / 2, 0.0)
    high = stats.chi2.ppf(1 - a / 2, 2 * (k + 1)) / 2
    return low, high


def rate_ci(count, population, per: float = 100_000, level: float = 0.95) -> pd.DataFrame:
    """Rate per ``per`` with its exact Poisson interval (population treated as known)."""
    k = np.atleast_1d(np.asarray(count, dtype=float))
    n = np.atleast_1d(np.asarray(population, dtype=float))
    low, high = poisson_ci(k, level)
    return pd.DataFrame({"rate": k / n * per, "rate_low": low / n * per, "rate_high": high / n * per})


def add_rate_ci(df: pd.DataFrame, count: str = "homicides", population: str = "population",
                per: float = 100_000, prefix: str = "rate") -> pd.DataFrame:
    """Return ``df`` with ``{prefix}_low`` and ``{prefix}_high`` columns (exact Poisson, 95%)."""
    ok = df[population].notna() & (df[population] > 0)
    out = df.copy()
    r = rate_ci(df.loc[ok, count].astype(float), df.loc[ok, population].astype(float), per)
    out[f"{prefix}_low"] = np.nan
    out[f"{prefix}_high"] = np.nan
    out.loc[ok, f"{prefix}_low"] = r["rate_low"].to_numpy()
    out.loc[ok, f"{prefix}_high"] = r["rate_high"].to_numpy()
    return out


class RateRatio(NamedTuple):
    """A ratio of two Poisson rates with its exact interval and two-sided p-value (see :func:`rate_ratio`)."""

    rr: float
    low: float
    high: float
    p_value: float


def rate_ratio(k1: float, n1: float, k0: float, n0: float, level: float = 0.95) -> RateRatio:
    """Ratio of two Poisson rates (k1/n1) / (k0/n0) with its exact conditional interval.

    Given k1 + k0 events, k1 is binomial with p = n1·RR / (n1·RR + n0); the Clopper–Pearson interval for
    p maps to the rate ratio as p / (1 − p) · n0 / n1, and the p-value is the two-sided exact binomial
    test of RR = 1 (the "conditional binomial" test). Counts are whole numbers of events; exposures
    (person-years) are positive. With no event in the comparison (k0 = 0) the ratio is undefined and a
    :class:`ZeroDivisionError` says so; callers decide what such a comparison means.
    """
    k1f, k0f, n1, n0 = float(k1), float(k0), float(n1), float(n0)
    if n1 <= 0 or n0 <= 0:
        raise ValueError(f"rate_ratio: exposures must be positive, got n1={n1}, n0={n0}")
    if k1f < 0 or k0f < 0 or k1f != int(k1f) or k0f != int(k0f):
        raise ValueError(f"rate_ratio: counts must be whole numbers ≥ 0, got k1={k1}, k0={k0}")
    if k0f == 0:
        raise ZeroDivisionError(f"rate_ratio: no events in the comparison (k0 = 0, k1 = {int(k1f)}); "
                                "the ratio of rates is undefined")
    n = k1f + k0f
    a = 1 - level
    lo_p = float(stats.beta.ppf(a / 2, k1f, n - k1f + 1)) if k1f > 0 else 0.0
    hi_p = float(stats.beta.ppf(1 - a / 2, k1f + 1, n - k1f))

    def to_rr(p: float) -> float:
        return float("inf") if p >= 1 else float(p / (1 - p) * n0 / n1)

    pv = float(stats.binomtest(int(k1f), int(n), n1 / (n1 + n0)).pvalue)
    return RateRatio(float((k1f / n1) / (k0f / n0)), to_rr(lo_p), to_rr(hi_p), pv)


def pooled_rate(df: pd.DataFrame, y0: int | None = None, y1: int | None = None, count: str = "homicides",
                population: str = "population", per: float = 100_000, level: float = 0.95) -> dict:
    """Summed events and person-years over years y0..y1 (inclusive; all years by default) and the pooled
    rate per ``per`` with its exact Poisson interval, as plain floats:
    ``{"deaths", "person_years", "rate", "low", "high", "years"}`` (``years``: distinct years pooled)."""
    d = df
    if y0 is not None:
        d = d[d["year"] >= y0]
    if y1 is not None:
        d = d[d["year"] <= y1]
    k, n = float(d[count].sum()), float(d[population].sum())
    if n <= 0:
        raise ValueError(f"pooled_rate: no person-years between {y0} and {y1}")
    lo, hi = poisson_ci([k], level)
    return {"deaths": k, "person_years": n, "rate": k / n * per, "low": float(lo[0]) / n * per,
            "high": float(hi[0]) / n * per, "years": int(d["year"].nunique())}


def per_100k(count, population):
    """Events per 100,000 people (the book's rate unit); works on numbers, arrays and Series."""
    return count / population * 100_000


class Correlation(NamedTuple):
    """A correlation coefficient with its interval and the number of pairs (see :func:`correlation`)."""

    r: float
    low: float
    high: float
    n: int


def correlation_ci(r: float, n: int, rank: bool = False, level: float = 0.95) -> tuple[float, float]:
    """Interval for a correlation by Fisher's z: tanh(atanh(r) ± q·se), se = √(1/(n − 3)); for Spearman's rho
    the variance 1.06/(n − 3) (Fieller, Hartley and Pearson 1957)."""
    z = np.arctanh(r)
    se = np.sqrt((1.06 if rank else 1.0) / (n - 3))
    q = stats.norm.ppf(0.5 + level / 2)
    return float(np.tanh(z - q * se)), float(np.tanh(z + q * se))


def correlation(x, y, rank: bool = False, level: float = 0.95) -> Correlation:
    """Pearson's correlation of two equally long series (Spearman's, on their ranks, with ``rank``) and its
    Fisher-z interval (:func:`correlation_ci`)."""
    x, y = pd.Series(x, dtype=float).reset_index(drop=True), pd.Series(y, dtype=float).reset_index(drop=True)
    if rank:
        x, y = x.rank(), y.rank()
    r = float(np.corrcoef(x, y)[0, 1])
    lo, hi = correlation_ci(r, len(x), rank=rank, level=level)
    return Correlation(r, lo, hi, int(len(x)))


def smallest_clear_correlation(n: int, level: float = 0.95) -> float:
    """The smallest correlation whose Fisher-z interval (:func:`correlation_ci`) excludes zero with ``n`` pairs."""
    return float(np.tanh(stats.norm.ppf(0.5 + level / 2) / np.sqrt(n - 3)))


class DispersedRateRatio(NamedTuple):
    """A rate ratio whose interval allows for overdispersion (see :func:`quasi_poisson_rate_ratio`)."""

    rr: float
    low: float
    high: float
    p_value: float
    dispersion: float
    periods: int


def quasi_poisson_rate_ratio(case: pd.DataFrame, ref: pd.DataFrame, count: str = "homicides",
                             exposure: str = "exposure", period: str = "period",
                             level: float = 0.95) -> DispersedRateRatio:
    """Ratio of the case's rate to the reference's over the same periods (e.g. months), with an interval that
    allows for counts more variable than Poisson.

    A Poisson GLM (statsmodels) of the stacked counts on a case indicator and one effect per period, with the
    log exposure as offset, compares the two in the same period (shared shocks and trends cancel); the
    variance is scaled by the Pearson dispersion X²/df (quasi-Poisson), floored at one so that the interval
    is never narrower than the Poisson one. ``case`` and ``ref`` carry one row per period (``period``, the
    count and the exposure, e.g. person-years in that month); periods missing from either are dropped.
    Without overdispersion the point estimate equals the pooled ratio of :func:`rate_ratio` when the two
    exposures move in step."""
    import statsmodels.api as sm

    cols = [period, count, exposure]
    both = sorted(set(case[period]) & set(ref[period]))
    if not both:
        raise ValueError("quasi_poisson_rate_ratio: no period in common")
    d = pd.concat([case[cols].assign(_case=1.0), ref[cols].assign(_case=0.0)], ignore_index=True)
    d = d[d[period].isin(both)].reset_index(drop=True)
    if (d[exposure] <= 0).any():
        raise ValueError("quasi_poisson_rate_ratio: exposures must be positive")
    x = pd.get_dummies(d[period].astype(str), drop_first=True, dtype=float)
    x.insert(0, "_case", d["_case"])
    x.insert(0, "const", 1.0)
    y = d[count].to_numpy(float)
    fit = sm.GLM(y, x, family=sm.families.Poisson(), offset=np.log(d[exposure].to_numpy(float))).fit()
    phi = max(1.0, float(fit.pearson_chi2 / fit.df_resid)) if fit.df_resid > 0 else 1.0
    b = float(fit.params["_case"])
    se = float(fit.bse["_case"]) * np.sqrt(phi)
    q = stats.norm.ppf(0.5 + level / 2)
    p = float(2 * stats.norm.sf(abs(b) / se))
    return DispersedRateRatio(float(np.exp(b)), float(np.exp(b - q * se)), float(np.exp(b + q * se)), p, phi,
                              len(both))
