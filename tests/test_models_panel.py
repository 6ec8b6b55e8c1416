"""Panel estimators (enclaves.models.panel): simulated panels with known coefficients, and the
book's key estimates pinned so that an unnoticed change in data or code fails here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from enclaves.models import panel

BETA = (2.0, -0.5)


def simulate(n_units=40, n_years=15, seed=1, beta=BETA, drop=0.1, cluster_shock=0.0, groups=4):
    """A panel y = a_i + g_t + b1 x1 + b2 x2 + e with regressors correlated with both effects
    (so a regression without fixed effects is biased), rows dropped at random (unbalanced)."""
    rng = np.random.default_rng(seed)
    u = np.repeat(np.arange(n_units), n_years)
    t = np.tile(np.arange(2000, 2000 + n_years), n_units)
    a = rng.normal(0, 3, n_units)[u]
    g = rng.normal(0, 2, n_years)[t - 2000]
    x1 = 0.6 * a + 0.4 * g + rng.normal(size=u.size)
    x2 = -0.5 * a + 0.8 * g + rng.normal(size=u.size)
    e = rng.normal(size=u.size) + cluster_shock * rng.normal(size=n_units)[u]
    y = a + g + beta[0] * x1 + beta[1] * x2 + e
    df = pd.DataFrame({"unit": u.astype(str), "year": t, "x1": x1, "x2": x2, "y": y,
                       "group": (u % groups).astype(str), "w": rng.uniform(0.5, 2, u.size)})
    if drop:
        df = df.sample(frac=1 - drop, random_state=seed).sort_values(["unit", "year"])
    return df.reset_index(drop=True)


def test_twfe_recovers_known_coefficients():
    df = simulate()
    r = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time="year")
    for name, b in zip(["x1", "x2"], BETA, strict=True):
        est, lo, hi = r.coef(name)
        assert lo < b < hi
        assert abs(est - b) < 0.1
    assert r.nobs == len(df) and r.n_clusters == 40 and r.n_units == 40


def test_pooled_ols_without_effects_is_biased_here():
    """Control: the simulated regressors are correlated with the effects, so ignoring them fails."""
    import statsmodels.api as sm

    df = simulate()
    fit = sm.OLS(df["y"], sm.add_constant(df[["x1", "x2"]])).fit()
    assert abs(fit.params["x1"] - BETA[0]) > 0.3


def test_within_equals_dummies():
    df = simulate(n_units=25, n_years=10, seed=3)
    w = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time="year", method="within")
    d = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time="year", method="dummies")
    for name in ("x1", "x2"):
        assert w.coef(name)[0] == pytest.approx(d.coef(name)[0], abs=1e-8)
        # same clustered sandwich and the same K (the effects counted by one rule, absorbed or written out)
        assert d.se(name) == pytest.approx(w.se(name), rel=1e-8)
    # K: two slopes, the intercept and the year effects (the unit effects are nested in the unit clusters)
    assert w.k == d.k == 2 + 1 + (df["year"].nunique() - 1)


def test_weighted_twfe_equals_weighted_dummies():
    df = simulate(n_units=20, n_years=8, seed=4)
    w = panel.twfe(df, "y", "x1", unit="unit", time="year", weights="w")
    d = panel.twfe(df, "y", "x1", unit="unit", time="year", weights="w", method="dummies")
    assert w.coef("x1")[0] == pytest.approx(d.coef("x1")[0], abs=1e-8)


def test_extra_fixed_effects_group_by_year():
    """Group-by-year effects (like state-by-year) absorb shocks common to a group in a year."""
    df = simulate(n_units=60, n_years=12, seed=5)
    rng = np.random.default_rng(0)
    gy = df["group"] + "-" + df["year"].astype(str)
    shock = pd.Series(rng.normal(0, 5, gy.nunique()), index=gy.unique())
    df = df.assign(gy=gy, x1=df["x1"] + 0.5 * gy.map(shock), y=df["y"] + (1 + BETA[0] * 0.5) * gy.map(shock))
    biased = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time="year")
    good = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time=None, extra_fe=["gy"])
    assert abs(biased.coef("x1")[0] - BETA[0]) > 0.2
    est, lo, hi = good.coef("x1")
    assert lo < BETA[0] < hi


def test_first_differences_recover_coefficients():
    df = simulate(n_units=50, n_years=12, seed=6)
    r = panel.fd(df, "y", ["x1", "x2"], unit="unit", time="year")
    for name, b in zip(["d_x1", "d_x2"], BETA, strict=True):
        est, lo, hi = r.coef(name)
        assert lo < b < hi


def test_lag_uses_the_calendar_not_row_order():
    df = pd.DataFrame({"u": ["a"] * 4 + ["b"] * 2, "t": [2000, 2001, 2003, 2004, 2000, 2001],
                       "v": [1.0, 2.0, 3.0, 4.0, 10.0, 20.0]})
    out = panel.lag(df, "v", unit="u", time="t")
    assert out["v_lag1"].tolist()[:4] == [None, 1.0, None, 3.0] or (
        np.isnan(out["v_lag1"].iloc[0]) and out["v_lag1"].iloc[1] == 1.0 and np.isnan(out["v_lag1"].iloc[2])
        and out["v_lag1"].iloc[3] == 3.0)
    assert out.loc[out.u == "b", "v_lag1"].iloc[1] == 10.0
    lead = panel.lag(df, "v", unit="u", time="t", k=-1)
    assert lead["v_lead1"].iloc[0] == 2.0
    d = panel.first_difference(df, "v", unit="u", time="t")
    assert d["d_v"].iloc[1] == 1.0 and np.isnan(d["d_v"].iloc[2])


def test_lag_refuses_duplicate_keys():
    df = pd.DataFrame({"u": ["a", "a"], "t": [2000, 2000], "v": [1.0, 2.0]})
    with pytest.raises(ValueError):
        panel.lag(df, "v", unit="u", time="t")


def test_demean_leaves_no_group_means():
    df = simulate(n_units=30, n_years=9, seed=7)
    z = panel.demean(df, ["y", "x1"], ["unit", "year"])
    for f in ("unit", "year"):
        assert z.groupby(df[f]).mean().abs().to_numpy().max() < 1e-7


def test_clustered_errors_widen_with_correlated_shocks():
    """With shocks shared within groups of units and regressors that vary by group, clustering on the
    group gives wider (honest) intervals than heteroskedasticity-robust errors."""
    rng = np.random.default_rng(8)
    rows = []
    for g in range(30):
        xg = rng.normal(size=10)
        eg = rng.normal(size=10) * 2
        for i in range(8):
            for t in range(10):
                rows.append((f"{g}-{i}", str(g), 2000 + t, xg[t] + 0.2 * rng.normal(), eg[t] + rng.normal()))
    df = pd.DataFrame(rows, columns=["unit", "group", "year", "x", "e"])
    df["y"] = 1.0 * df["x"] + df["e"]
    hc = panel.twfe(df, "y", "x", unit="unit", time=None, cluster=None)
    cl = panel.twfe(df, "y", "x", unit="unit", time=None, cluster="group")
    assert cl.se("x") > 2 * hc.se("x")
    assert cl.n_clusters == 30


def test_interval_coverage_on_repeated_simulations():
    """Across repeated simulated panels the 95% clustered interval covers the true coefficient
    about 95% of the time (between 85% and 100% in 80 draws)."""
    hits = 0
    n = 80
    for s in range(n):
        df = simulate(n_units=30, n_years=8, seed=100 + s, cluster_shock=1.0)
        _, lo, hi = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time="year").coef("x1")
        hits += lo < BETA[0] < hi
    assert 0.85 <= hits / n <= 1.0


def test_singletons_are_dropped():
    df = simulate(n_units=10, n_years=5, seed=9, drop=0)
    df = pd.concat([df, pd.DataFrame({"unit": ["lonely"], "year": [2001], "x1": [0.0], "x2": [0.0], "y": [1.0],
                                      "group": ["0"], "w": [1.0]})], ignore_index=True)
    r = panel.twfe(df, "y", "x1", unit="unit", time="year")
    assert r.nobs == 50


# ------------------------------------------------------------------ the book's key estimates, pinned
# Values printed by the cross-case chapter. If one of these fails, the data or the code changed:
# check why, and update the number here only together with the chapter's prose.
PINNED_STATE = {
    # (measure, direction): raw coefficient of the main two-way fixed-effects regression
    ("cifra_negra_pct", "weakness → later violence"): 0.4331,
    ("authority_causes_pct", "weakness → later violence"): -0.0671,
    ("insecurity_api", "weakness → later violence"): 0.5300,
    ("gov_alternation", "weakness → later violence"): -2.6790,
    ("insecurity_api", "violence → later measure"): 0.2805,
}
PINNED_BETWEEN = {"cifra_negra_pct": 0.0521, "authority_causes_pct": 0.0203, "wjp_2019": -0.3176,
                  "insecurity_api": 0.5952}
PINNED_MUNICIPAL = {"alternation": 0.7983, "opp_governor": -0.4630}
PINNED_LATER_CHANGE = 2.2136


@pytest.fixture(scope="module")
def cc():
    from enclaves.cases import cross_case

    return cross_case


def test_pinned_state_estimates(cc):
    for (m, direction), value in PINNED_STATE.items():
        r = cc.model_row(m, cc.SPECS[0], direction)
        assert r.coef == pytest.approx(value, abs=5e-4), (m, direction, r.coef)
        assert r.n_clusters == 32


def test_pinned_between_state_correlations(cc):
    b = cc.between_correlations("log").set_index("measure")
    for m, value in PINNED_BETWEEN.items():
        assert b.loc[m, "r"] == pytest.approx(value, abs=5e-4), (m, b.loc[m, "r"])


def test_pinned_municipal_estimates(cc):
    t = cc.municipal_models()
    main = t[t.spec == cc.MUN_SPECS[1]].set_index("term")
    for term, value in PINNED_MUNICIPAL.items():
        assert main.loc[term, "coef"] == pytest.approx(value, abs=5e-4), (term, main.loc[term, "coef"])
    e = cc.election_models()
    later = e[(e.spec == e.spec.unique()[0]) & (e.term == "alternation")].iloc[0]
    assert later.coef == pytest.approx(PINNED_LATER_CHANGE, abs=5e-4)


def test_pinned_verdict(cc):
    from enclaves import claims

    v = claims.evaluate("X1")
    assert v.verdict == "cannot be tested with these data"
    assert v.numbers["r_wjp"] == pytest.approx(PINNED_BETWEEN["wjp_2019"], abs=5e-4)
    assert (v.numbers["n_tests"], v.numbers["n_for"], v.numbers["n_against"]) == (13, 0, 0)
