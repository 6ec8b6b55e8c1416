"""Synthetic control (Abadie, Diamond & Hainmueller 2010) on a wide panel of outcomes.

The weights solve one quadratic programme: minimise the sum over the pre-period years of the squared gap
between the treated unit and the weighted donors, ``Σ_t (y1_t − Σ_j w_j y0_jt)²``, subject to ``w_j ≥ 0``
and ``Σ_j w_j = 1``. Every pre-period year counts equally (the predictor-weight matrix V is the identity);
nothing is standardised by its spread across units. Simple, transparent, and fast enough for permutation
inference over every donor.

The programme is solved exactly, as a non-negative least-squares problem (Lawson and Hanson's active-set
method, ``scipy.optimize.nnls``): because the weights sum to one, the gap is ``D w`` with ``D`` the donors'
series minus the treated one, and the non-negative solution ``v`` of ``min ‖[D; 1ᵀ] v − (0, …, 0, 1)‖²``
is the optimal ``w`` times a positive constant (for any ``v = s·w`` with ``w`` in the simplex the objective
is ``s²‖D w‖² + (s − 1)²``), so ``w = v / Σ v``. The solution is checked against the optimality (KKT)
conditions of the programme and, should the check ever fail, refined by SLSQP from that point. The result
is deterministic: the same panel gives the same weights.

Inference follows the placebo-in-space logic: refit with each donor as if treated, compute the
ratio of post- to pre-period RMSPE for every unit, and report the treated unit's rank as a
permutation p-value, ``rank / (donors + 1)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Largest KKT residual (natural residual ``min(w_j, (g_j − λ)/scale)``) accepted from the solver.
KKT_TOL = 1e-9


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


def kkt_residual(y1_pre: np.ndarray, Y0_pre: np.ndarray, w: np.ndarray) -> float:
    """How far ``w`` is from solving the weights' programme: the largest natural KKT residual
    ``|min(w_j, (g_j − λ) / scale)|`` with ``g`` the gradient of ``‖D w‖²``, ``λ = wᵀg`` its value on the
    support, and ``scale`` the gradient's size. Zero (to rounding) at the optimum; negative weights and
    weights that do not sum to one count as violations too."""
    D = _differences(y1_pre, Y0_pre)
    g = 2 * D.T @ (D @ w)
    lam = float(w @ g)
    scale = max(float(np.abs(g).max()), float(np.sum(D * D)) / max(D.shape[1], 1), 1e-300)
    r = np.minimum(w, (g - lam) / scale)
    return float(max(np.abs(r).max(), abs(float(w.sum()) - 1.0)))


def _differences(y1_pre: np.ndarray, Y0_pre: np.ndarray) -> np.ndarray:
    """Donors' pre-period series minus the treated one (years × donors), scaled to unit mean square."""
    D = np.asarray(Y0_pre, dtype=float) - np.asarray(y1_pre, dtype=float)[:, None]
    s = float(np.sqrt(np.mean(D * D))) if D.size else 0.0
    return D / s if s > 0 else D


def _fit_weights(y1_pre: np.ndarray, Y0_pre: np.ndarray) -> np.ndarray:
    """The donor weights: ``argmin Σ_t (y1_t − Σ_j w_j y0_jt)²`` over ``w ≥ 0``, ``Σ w = 1``."""
    from scipy import optimize

    D = _differences(y1_pre, Y0_pre)
    n = D.shape[1]
    if n == 1:
        return np.ones(1)
    E = np.vstack([D, np.ones((1, n))])
    f = np.zeros(E.shape[0])
    f[-1] = 1.0
    try:
        v, _ = optimize.nnls(E, f, maxiter=50 * n)
    except RuntimeError:  # iteration limit (older SciPy raises): let SLSQP finish from equal weights
        v = np.ones(n)
    w = v / v.sum() if v.sum() > 0 else np.full(n, 1.0 / n)
    if kkt_residual(y1_pre, Y0_pre, w) > KKT_TOL:
        H = D.T @ D
        res = optimize.minimize(lambda x: x @ H @ x, w, jac=lambda x: 2 * H @ x, method="SLSQP",
                                bounds=[(0.0, 1.0)] * n, options={"ftol": 1e-15, "maxiter": 10_000},
                                constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1.0,
                                              "jac": lambda x: np.ones((1, n))}])
        w = np.clip(res.x, 0.0, None)
        w = w / w.sum()
        if kkt_residual(y1_pre, Y0_pre, w) > 1e3 * KKT_TOL:
            raise RuntimeError("synthetic control: the weights' programme was not solved "
                               f"(KKT residual {kkt_residual(y1_pre, Y0_pre, w):.2e})")
    return w


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
