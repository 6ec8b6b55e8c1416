"""Small statistics the chapters share."""

from __future__ import annotations

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
