"""Models on simulated data with known effects, and the exact Poisson interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from enclaves import models, stats


def simulated_panel(effect: float = -8.0, n_donors: int = 20, seed: int = 1) -> pd.DataFrame:
    """Outcomes driven by two latent factors; 'T' is an exact mix of donors 0-2 plus an effect from 2014."""
    rng = np.random.default_rng(seed)
    years = np.arange(2000, 2021)
    f1 = np.linspace(10, 30, len(years)) + rng.normal(0, 1, len(years))
    f2 = np.sin(np.arange(len(years)) / 3) * 5
    cols = {}
    for i in range(n_donors):
        a, b = rng.uniform(0.5, 1.5), rng.uniform(-1, 1)
        cols[f"d{i:02d}"] = a * f1 + b * f2 + rng.normal(0, 0.3, len(years))
    panel = pd.DataFrame(cols, index=years)
    panel["T"] = 0.5 * panel["d00"] + 0.3 * panel["d01"] + 0.2 * panel["d02"]
    panel.loc[panel.index >= 2014, "T"] += effect
    return panel


def test_synthetic_control_recovers_known_weights_and_effect():
    panel = simulated_panel(effect=-8.0)
    res = models.synthetic_control(panel, "T", 2014)
    assert res.weights.sum() == pytest.approx(1.0)
    assert (res.weights >= 0).all()
    assert set(res.top_weights(0.05).index) <= {"d00", "d01", "d02"}
    assert res.att == pytest.approx(-8.0, abs=0.6)
    assert res.pre_rmspe < 0.5 and res.ratio > 10


def test_placebo_in_space_gives_small_p_value_for_a_real_effect():
    res = models.placebo_in_space(simulated_panel(effect=-8.0), "T", 2014)
    assert len(res.placebo) == 20
    assert res.p_value == pytest.approx(1 / 21)


def test_no_effect_is_not_significant():
    res = models.placebo_in_space(simulated_panel(effect=0.0), "T", 2014)
    assert abs(res.att) < 1.0
    assert res.p_value > 0.1


def test_placebo_in_time_and_leave_one_out():
    panel = simulated_panel(effect=-8.0)
    fake = models.placebo_in_time(panel[panel.index < 2014], "T", 2009)
    assert abs(fake.att) < 1.0
    loo = models.leave_one_out(panel, "T", 2014, top=3)
    assert len(loo) == 4 and (loo["att"] < -5).all()


def test_synthetic_control_refuses_gaps():
    panel = simulated_panel()
    panel.iloc[3, 2] = np.nan
    with pytest.raises(ValueError, match="gaps"):
        models.synthetic_control(panel, "T", 2014)


def _monthly(level=0.7, trend=1.0, seed=3):
    rng = np.random.default_rng(seed)
    periods = pd.period_range("2010-01", "2019-12", freq="M")
    t = np.arange(len(periods))
    post = (periods >= pd.Period("2015-10", "M")).astype(float)
    post_t = np.where(post == 1, t - t[post.argmax()], 0)
    season = 1 + 0.2 * np.sin(2 * np.pi * periods.month / 12)
    mu = 40 * np.exp(0.002 * t) * season * level ** post * (trend ** (post_t / 12))
    y = rng.poisson(mu)
    return pd.DataFrame({"year": periods.year, "month": periods.month, "n": y, "pop": 1_000_000})


def test_its_recovers_a_level_drop():
    res = models.interrupted_time_series(_monthly(level=0.7), "n", "2015-10", exposure="pop")
    est, lo, hi = res.level_change
    assert lo < 0.7 < hi and hi < 0.9
    f = res.fitted()
    assert (f.loc[f.post == 1, "counterfactual"] > f.loc[f.post == 1, "fitted"]).mean() > 0.9


def test_its_finds_nothing_when_nothing_changed():
    res = models.interrupted_time_series(_monthly(level=1.0), "n", "2015-10", family="poisson")
    est, lo, hi = res.level_change
    assert lo < 1.0 < hi


def test_exact_poisson_interval():
    low, high = stats.poisson_ci([0, 2, 10])
    assert low[0] == 0 and high[0] == pytest.approx(3.689, abs=1e-3)
    assert (low[1], high[1]) == pytest.approx((0.2422, 7.2247), abs=1e-3)
    assert (low[2], high[2]) == pytest.approx((4.7954, 18.3904), abs=1e-3)
    r = stats.rate_ci([7], [33_000])
    assert r.loc[0, "rate"] == pytest.approx(7 / 33_000 * 1e5)
    assert stats.rate_ci(7, 33_000).equals(r)  # plain numbers work too


def test_synth_weights_fall_back_to_slsqp_when_nnls_misleads(monkeypatch):
    """The exact solver's answer is checked against the optimality conditions; a wrong answer from it is
    refined by SLSQP, and an answer no solver can fix is an error, never a silent result."""
    from scipy import optimize

    from enclaves.models import synth

    panel = simulated_panel(effect=-8.0)
    pre = panel.index < 2014
    y1, Y0 = panel.loc[pre, "T"].to_numpy(), panel.loc[pre, [c for c in panel if c != "T"]].to_numpy()
    good = synth._fit_weights(y1, Y0)
    assert synth.kkt_residual(y1, Y0, good) < 1e-12
    monkeypatch.setattr(optimize, "nnls", lambda A, b, **kw: (np.ones(A.shape[1]), 0.0))
    assert synth.kkt_residual(y1, Y0, np.full(Y0.shape[1], 1 / Y0.shape[1])) > 1e-3
    assert synth._fit_weights(y1, Y0) == pytest.approx(good, abs=1e-5)
    monkeypatch.setattr(optimize, "minimize", lambda *a, **kw: type("R", (), {"x": np.ones(Y0.shape[1])}))
    with pytest.raises(RuntimeError, match="not solved"):
        synth._fit_weights(y1, Y0)


# --- comparative designs for monthly counts ------------------------------------------------------------


def _count_panel(rng, effect: float, units: int = 12, months: int = 72, at: int = 40):
    import pandas as pd

    rows = []
    for u in range(units):
        level = rng.uniform(5, 30)
        for t in range(months):
            mu = level * (1 + 0.3 * np.sin(t / 6)) * (effect if (u == 0 and t >= at) else 1.0)
            rows.append({"mun_code": f"u{u:02d}", "period": t, "homicides": rng.poisson(mu * rng.gamma(4, 0.25)),
                         "exposure": 1.0})
    return pd.DataFrame(rows)


def test_poisson_did_finds_a_planted_change_and_none_where_none_was_planted():
    from enclaves.models import placebo_p, poisson_did, poisson_did_placebos

    rng = np.random.default_rng(11)
    flat = poisson_did(_count_panel(rng, 1.0), "u00", 40)
    assert flat["low"] < 1 < flat["high"] and flat["dispersion"] > 1
    d = _count_panel(rng, 1.8)
    big = poisson_did(d, "u00", 40)
    assert big["low"] > 1 and big["low"] < 1.8 < big["high"]
    pl = poisson_did_placebos(d, "u00", 40)
    n, p = placebo_p(big, pl)
    assert len(pl) == 11 and n == 0 and p == pytest.approx(1 / 12)


def test_poisson_did_refuses_a_unit_without_both_sides():
    from enclaves.models import poisson_did

    d = _count_panel(np.random.default_rng(1), 1.0)
    with pytest.raises(ValueError, match="before and after"):
        poisson_did(d, "u00", 0)
