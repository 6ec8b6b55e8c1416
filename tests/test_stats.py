"""The statistics every chapter shares (enclaves.stats, enclaves.values), checked against statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep

from enclaves import stats
from enclaves.values import plain, plain_dict

CASES = [(10, 1000, 20, 3000), (0, 500, 7, 900), (13, 35_000, 2, 30_000), (40, 1e5, 40, 1e5), (253, 3.4e6, 1100, 8.9e6)]


@pytest.mark.parametrize("k1,n1,k0,n0", CASES)
def test_rate_ratio_matches_statsmodels_exact_conditional(k1, n1, k0, n0):
    r = stats.rate_ratio(k1, n1, k0, n0)
    assert r.rr == pytest.approx((k1 / n1) / (k0 / n0))
    # p-value: statsmodels' exact conditional (binomial) test of a ratio of one
    ref = poisson_2indep(k1, n1, k0, n0, method="exact-cond", compare="ratio")
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    # interval: Clopper-Pearson for k1's share of the events, mapped to the rate ratio
    lo, hi = proportion_confint(k1, k1 + k0, alpha=0.05, method="beta")
    assert r.low == pytest.approx(lo / (1 - lo) * n0 / n1, rel=1e-9, abs=1e-12)
    assert r.high == pytest.approx(hi / (1 - hi) * n0 / n1, rel=1e-9)
    assert r.low <= r.rr <= r.high


def test_rate_ratio_level_and_unpacking():
    r90, r99 = stats.rate_ratio(30, 1e4, 20, 1e4, level=0.90), stats.rate_ratio(30, 1e4, 20, 1e4, level=0.99)
    assert r99.low < r90.low < r90.rr < r90.high < r99.high
    rr, lo, hi, p = r90
    assert (rr, lo, hi, p) == tuple(r90)


def test_rate_ratio_refuses_what_has_no_answer():
    with pytest.raises(ZeroDivisionError, match="no events in the comparison"):
        stats.rate_ratio(5, 1000, 0, 1000)
    with pytest.raises(ValueError, match="exposures"):
        stats.rate_ratio(5, 0, 3, 1000)
    with pytest.raises(ValueError, match="whole numbers"):
        stats.rate_ratio(2.5, 1000, 3, 1000)
    assert stats.rate_ratio(0, 1000, 3, 1000).low == 0.0     # no events in the first group: a finite answer


def test_pooled_rate_is_summed_events_over_person_years():
    d = pd.DataFrame({"year": [2000, 2001, 2002, 2003], "homicides": [3.0, 0.0, 5.0, 2.0],
                      "population": [1e4, 1.1e4, 1.2e4, 1.3e4]})
    p = stats.pooled_rate(d, 2001, 2003)
    assert (p["deaths"], p["person_years"], p["years"]) == (7.0, 3.6e4, 3)
    assert p["rate"] == pytest.approx(7 / 3.6e4 * 1e5)
    lo, hi = stats.poisson_ci([7])
    assert (p["low"], p["high"]) == pytest.approx((lo[0] / 3.6e4 * 1e5, hi[0] / 3.6e4 * 1e5))
    assert stats.pooled_rate(d)["deaths"] == 10.0
    with pytest.raises(ValueError, match="no person-years"):
        stats.pooled_rate(d, 2010, 2011)


def test_exact_poisson_interval_against_the_gamma_quantiles():
    from scipy.stats import gamma

    k = np.array([0, 1, 7, 120])
    lo, hi = stats.poisson_ci(k)
    assert lo[0] == 0 and np.allclose(lo[1:], gamma.ppf(0.025, k[1:]))
    assert np.allclose(hi, gamma.ppf(0.975, k + 1))


def test_per_100k():
    assert stats.per_100k(3, 30_000) == pytest.approx(10.0)
    assert list(stats.per_100k(pd.Series([1, 2]), pd.Series([1e5, 1e5]))) == [1.0, 2.0]


@pytest.mark.parametrize("value,expected,kind", [
    (np.bool_(True), True, bool), (False, False, bool), (np.int64(7), 7, int), (3, 3, int),
    (np.float32(0.5), 0.5, float), (np.float64(2.25), 2.25, float), ("x", "x", str), (None, None, type(None)),
])
def test_plain_gives_plain_python_values(value, expected, kind):
    out = plain(value)
    assert out == expected and type(out) is kind


def test_plain_refuses_what_glue_cannot_show_well():
    with pytest.raises(TypeError, match="Series"):
        plain(pd.Series([1]))
    assert plain_dict({"a": np.int32(1), "b": np.float64(math.pi)}) == {"a": 1, "b": math.pi}


def _monthly(rng, rate, exposure, months=48, dispersion_shape=None, trend=0.0):
    """Simulated monthly counts: Poisson, or gamma-Poisson (negative binomial) with shape ``dispersion_shape``;
    a log-linear trend shared by whoever uses the same ``trend``."""
    t = np.arange(months)
    mu = rate * exposure * np.exp(trend * t / months)
    if dispersion_shape is not None:
        mu = mu * rng.gamma(dispersion_shape, 1 / dispersion_shape, months)
    return pd.DataFrame({"period": t, "homicides": rng.poisson(mu), "exposure": exposure})


def test_quasi_poisson_ratio_equals_statsmodels_formula_fit_with_pearson_scale():
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(3)
    case = _monthly(rng, 2e-5, 5e4, dispersion_shape=1.0)
    ref = _monthly(rng, 4e-5, 2e6, trend=1.0)
    got = stats.quasi_poisson_rate_ratio(case, ref)
    d = pd.concat([case.assign(g=1), ref.assign(g=0)], ignore_index=True)
    f = smf.glm("homicides ~ g + C(period)", d, family=sm.families.Poisson(),
                offset=np.log(d["exposure"])).fit(scale="X2")
    assert f.scale > 1
    lo, hi = np.exp(f.conf_int().loc["g"])
    assert got.rr == pytest.approx(np.exp(f.params["g"]), rel=1e-9)
    assert (got.low, got.high) == pytest.approx((lo, hi), rel=1e-6)
    assert got.dispersion == pytest.approx(f.scale, rel=1e-9)
    assert got.p_value == pytest.approx(f.pvalues["g"], rel=1e-6)
    assert got.periods == 48


def test_quasi_poisson_ratio_recovers_a_planted_ratio_and_matches_exact_without_overdispersion():
    rng = np.random.default_rng(2)
    case = _monthly(rng, 3e-4, 1e5 / 12, months=120)   # about 2.5 deaths a month
    ref = _monthly(rng, 6e-4, 3e6 / 12, months=120)    # planted ratio 0.5
    q = stats.quasi_poisson_rate_ratio(case, ref)
    assert q.low < 0.5 < q.high
    assert q.dispersion < 1.4
    e = stats.rate_ratio(case.homicides.sum(), case.exposure.sum(), ref.homicides.sum(), ref.exposure.sum())
    assert q.rr == pytest.approx(e.rr, rel=1e-6)
    assert (q.low, q.high) == pytest.approx((e.low, e.high), rel=0.08)


def test_quasi_poisson_interval_covers_where_the_exact_poisson_one_does_not():
    """Gamma-Poisson counts with a shared trend: the exact Poisson interval of the pooled ratio is too narrow
    (coverage well below 95%); the quasi-Poisson one is close to nominal."""
    rng = np.random.default_rng(5)
    cover_q = cover_e = 0
    reps = 200
    for _ in range(reps):
        case = _monthly(rng, 2e-5, 6e4, dispersion_shape=0.7, trend=1.0)
        ref = _monthly(rng, 2e-5, 4e6, dispersion_shape=8.0, trend=1.0)
        q = stats.quasi_poisson_rate_ratio(case, ref)
        e = stats.rate_ratio(case.homicides.sum(), case.exposure.sum(), ref.homicides.sum(), ref.exposure.sum())
        cover_q += q.low < 1 < q.high
        cover_e += e.low < 1 < e.high
    assert cover_q / reps >= 0.9
    assert cover_e / reps < 0.85


def test_quasi_poisson_ratio_refuses_what_has_no_answer():
    a = pd.DataFrame({"period": [1, 2], "homicides": [1, 0], "exposure": [1.0, 1.0]})
    b = pd.DataFrame({"period": [3, 4], "homicides": [1, 0], "exposure": [1.0, 1.0]})
    with pytest.raises(ValueError, match="no period in common"):
        stats.quasi_poisson_rate_ratio(a, b)
    with pytest.raises(ValueError, match="positive"):
        stats.quasi_poisson_rate_ratio(a, a.assign(exposure=0.0))
