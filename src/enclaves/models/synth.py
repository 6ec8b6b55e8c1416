"""Synthetic control (Abadie, Diamond & Hainmueller 2010) on a wide panel of outcomes.

The weights come from pysyncon's ``Synth`` (non-negative, summing to one). Predictors are the
treated unit's pre-period outcomes, each year weighted equally (a fixed V matrix): simple,
transparent and fast enough for permutation inference over every donor.

Inference follows the placebo-in-space logic: refit with each donor as if treated, compute the
ratio of post- to pre-period RMSPE for every unit, and report the treated unit's rank as a
permutation p-value, ``rank / (donors + 1)``.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class SynthResult:
    treated: str
    start: int
    weights: pd.Series              # donor → weight (only donors > 0.001 kept by ``top_weights``)
    actual: pd.Series               # year → outcome
    synthetic: pd.Series            # year → synthetic outcome
    pre_rmspe: float
    post_rmspe: float
    placebo: pd.DataFrame | None = field(default=None)  # unit, pre_rmspe, post_rmspe, ratio
    placebo_gaps: dict[str, pd.Series] | None = field(default=None)  # unit → yearly gap of its placebo fit

    @property
    def gap(self) -> pd.Series:
        return self.actual - self.synthetic

    @property
    def ratio(self) -> float:
        return self.post_rmspe / self.pre_rmspe if self.pre_rmspe > 0 else float("inf")

    @property
    def att(self) -> float:
        """Average post-period gap (actual − synthetic)."""
        return float(self.gap[self.gap.index >= self.start].mean())

    @property
    def p_value(self) -> float | None:
        """Share of units (treated included) whose post/pre RMSPE ratio is at least the treated one's."""
        if self.placebo is None:
            return None
        ratios = self.placebo["ratio"].to_numpy()
        return float((np.sum(ratios >= self.ratio) + 1) / (len(ratios) + 1))

    def top_weights(self, threshold: float = 0.001) -> pd.Series:
        w = self.weights[self.weights > threshold]
        return w.sort_values(ascending=False)

    def frame(self) -> pd.DataFrame:
        """Long table for charts: year, series (actual/synthetic), value."""
        return pd.concat([pd.DataFrame({"year": self.actual.index, "series": "actual", "value": self.actual.values}),
                          pd.DataFrame({"year": self.synthetic.index, "series": "synthetic",
                                        "value": self.synthetic.values})], ignore_index=True)


def _fit_weights(y1_pre: np.ndarray, Y0_pre: np.ndarray) -> np.ndarray:
    from pysyncon import Synth

    n_pre, n_donors = Y0_pre.shape
    X0 = pd.DataFrame(Y0_pre, columns=[f"donor_{i}" for i in range(n_donors)])
    X1 = pd.Series(y1_pre, name="__treated__")
    s = Synth()
    with contextlib.redirect_stdout(io.StringIO()):
        s.fit(X0=X0, X1=X1, Z0=X0, Z1=X1, custom_V=np.ones(n_pre))
    w = np.asarray(s.W, dtype=float)
    w[w < 0] = 0
    return w / w.sum()


def _rmspe(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else float("nan")


def synthetic_control(panel: pd.DataFrame, treated: str, start: int, donors: list[str] | None = None,
                      pre_start: int | None = None, end: int | None = None) -> SynthResult:
    """Fit a synthetic control.

    ``panel``: wide table, index = year (int), columns = unit ids, values = outcome (no gaps).
    ``start``: first treated year. Pre-period = ``pre_start``…``start − 1``.
    """
    p = panel.sort_index()
    if pre_start is not None:
        p = p[p.index >= pre_start]
    if end is not None:
        p = p[p.index <= end]
    donors = [d for d in (donors or list(p.columns)) if d != treated]
    sub = p[[treated, *donors]]
    if sub.isna().any().any():
        bad = sub.columns[sub.isna().any()].tolist()
        raise ValueError(f"panel has gaps for {bad}")
    pre = sub.index < start
    if pre.sum() < 3 or (~pre).sum() < 1:
        raise ValueError("need at least 3 pre-period years and 1 post-period year")
    w = _fit_weights(sub.loc[pre, treated].to_numpy(), sub.loc[pre, donors].to_numpy())
    synth = sub[donors].to_numpy() @ w
    actual = sub[treated]
    gap = actual.to_numpy() - synth
    return SynthResult(treated=treated, start=start, weights=pd.Series(w, index=donors),
                       actual=actual, synthetic=pd.Series(synth, index=sub.index),
                       pre_rmspe=_rmspe(gap[pre]), post_rmspe=_rmspe(gap[~pre]))


def placebo_in_space(panel: pd.DataFrame, treated: str, start: int, donors: list[str] | None = None,
                     **kw) -> SynthResult:
    """The treated fit plus one placebo fit per donor (each donor treated, the rest as donors)."""
    res = synthetic_control(panel, treated, start, donors, **kw)
    pool = list(res.weights.index)
    rows, gaps = [], {}
    for d in pool:
        others = [u for u in pool if u != d]
        r = synthetic_control(panel, d, start, others, **kw)
        rows.append({"unit": d, "pre_rmspe": r.pre_rmspe, "post_rmspe": r.post_rmspe, "ratio": r.ratio})
        gaps[d] = r.gap
    res.placebo = pd.DataFrame(rows, columns=["unit", "pre_rmspe", "post_rmspe", "ratio"])
    res.placebo_gaps = gaps
    return res


def placebo_in_time(panel: pd.DataFrame, treated: str, fake_start: int, donors: list[str] | None = None,
                    **kw) -> SynthResult:
    """Pretend the break happened at ``fake_start`` (before the real one), using only pre-break years."""
    return synthetic_control(panel, treated, fake_start, donors, **kw)


def leave_one_out(panel: pd.DataFrame, treated: str, start: int, donors: list[str] | None = None,
                  top: int = 5, **kw) -> pd.DataFrame:
    """Refit dropping, one at a time, each of the ``top`` heaviest donors: the ATT each time."""
    base = synthetic_control(panel, treated, start, donors, **kw)
    pool = list(base.weights.index)
    rows = [{"dropped": "(none)", "att": base.att, "pre_rmspe": base.pre_rmspe}]
    for d in base.top_weights().index[:top]:
        r = synthetic_control(panel, treated, start, [u for u in pool if u != d], **kw)
        rows.append({"dropped": d, "att": r.att, "pre_rmspe": r.pre_rmspe})
    return pd.DataFrame(rows)
