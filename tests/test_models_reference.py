"""The book's three estimators checked against reference libraries (test-only dependencies: pyfixest,
linearmodels; statsmodels and scipy are the package's own).

* Panel fixed effects (``enclaves.models.panel``): coefficients, standard errors, intervals and p-values
  equal pyfixest's ``feols`` with ``vcov={"CRV1": cluster}`` (or ``"hetero"``) and its default small-sample
  correction, to 1e-8 relative, on simulated panels and on every regression the cross-case chapter prints;
  coefficients equal linearmodels' ``PanelOLS``.
* Interrupted time series (``enclaves.models.its``): the fit equals statsmodels' GLM on a design built here
  independently, the dispersion equals the Cameron-Trivedi auxiliary regression run with statsmodels' OLS,
  and the level and trend changes agree with statsmodels' negative binomial (NB2) maximum likelihood, which
  estimates the dispersion jointly, to within 0.25%.
* Synthetic control (``enclaves.models.synth``): the weights solve the programme the book states (every
  pre-period year weighted equally, weights non-negative and summing to one): they satisfy its KKT
  conditions and match an independent solution of the same programme (scipy's SLSQP and trust-constr on
  the treated-versus-weighted-donors form) on simulated panels and on every fit the three case chapters
  make.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
import statsmodels.api as sm
from linearmodels.panel import PanelOLS
from scipy import optimize
from statsmodels.discrete.discrete_model import NegativeBinomial
from test_models import _monthly, simulated_panel
from test_models_panel import simulate

from enclaves import models
from enclaves.models import panel, synth

REL = 1e-8
DEMEANER = pf.MapDemeaner(fixef_tol=1e-13)


# =========================================================================================== panel
def feols(fml: str, data: pd.DataFrame, cluster: str | None, weights: str | None = None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyfixest reports the singletons it drops
        return pf.feols(fml, data=data, vcov={"CRV1": cluster} if cluster else "hetero", weights=weights,
                        demeaner=DEMEANER)


def assert_same_as_pyfixest(r: panel.PanelResult, f, names: list[str] | None = None):
    """Estimates, standard errors, 95% intervals, p-values, N, K and the t degrees of freedom."""
    ours = r.x if names is None else names
    ref = list(r.x) if names is None else names
    assert r.nobs == f._N
    assert r.k == f._df_k
    assert r.df_t == int(np.min(f._df_t))
    ci = f.confint()
    for a, b in zip(ours, ref, strict=True):
        est, lo, hi = r.coef(a)
        assert est == pytest.approx(f.coef()[b], rel=REL, abs=1e-12), a
        assert r.se(a) == pytest.approx(f.se()[b], rel=REL), a
        assert (lo, hi) == pytest.approx((ci.loc[b].iloc[0], ci.loc[b].iloc[1]), rel=REL), a
        assert r.pvalue(a) == pytest.approx(f.pvalue()[b], rel=1e-6, abs=1e-12), a


SIMULATED = [
    # twfe keyword arguments, pyfixest formula's fixed effects, cluster
    ({"unit": "unit", "time": "year"}, "unit + year", "unit"),
    ({"unit": "unit", "time": "year", "cluster": "group"}, "unit + year", "group"),
    ({"unit": "unit", "time": "year", "cluster": "year"}, "unit + year", "year"),
    ({"unit": "unit", "time": "year", "cluster": None}, "unit + year", None),
    ({"unit": "unit", "time": "year", "weights": "w"}, "unit + year", "unit"),
    ({"unit": "unit", "time": None}, "unit", "unit"),
    ({"unit": "unit", "time": None, "extra_fe": ["gy"]}, "unit + gy", "unit"),
    ({"unit": "unit", "time": None, "extra_fe": ["gy"], "cluster": "group"}, "unit + gy", "group"),
]


@pytest.mark.parametrize(("kw", "fe", "cluster"), SIMULATED)
def test_twfe_equals_pyfixest_on_simulated_panels(kw, fe, cluster):
    df = simulate(n_units=40, n_years=12, seed=11, groups=6)
    df["gy"] = df["group"] + "-" + df["year"].astype(str)
    r = panel.twfe(df, "y", ["x1", "x2"], **kw)
    f = feols(f"y ~ x1 + x2 | {fe}", df, cluster, kw.get("weights"))
    assert_same_as_pyfixest(r, f)


def test_small_sample_factor_as_documented():
    """K = regressors + 1 + Σ (levels − 1) over the effects not nested in the clusters; factor
    G/(G−1)·(N−1)/(N−K); t with G − 1 degrees of freedom."""
    df = simulate(n_units=30, n_years=10, seed=12, groups=5)
    n_years = df["year"].nunique()
    by_unit = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time="year")
    assert by_unit.k == 2 + 1 + (n_years - 1)  # unit effects nested in the unit clusters
    n, g = by_unit.nobs, by_unit.n_clusters
    assert by_unit.ssc == pytest.approx(g / (g - 1) * (n - 1) / (n - by_unit.k))
    assert by_unit.df_t == g - 1
    by_year = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time="year", cluster="year")
    assert by_year.k == 2 + 1 + (df["unit"].nunique() - 1)  # year effects nested in the year clusters
    robust = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time="year", cluster=None)
    assert robust.k == 2 + 1 + (df["unit"].nunique() - 1) + (n_years - 1)
    assert robust.df_t == robust.nobs - robust.k


@pytest.mark.parametrize("time_effects", [True, False])
def test_first_differences_equal_pyfixest(time_effects):
    df = simulate(n_units=40, n_years=12, seed=13)
    r = panel.fd(df, "y", ["x1", "x2"], unit="unit", time="year", time_effects=time_effects)
    d = panel.first_difference(df, ["y", "x1", "x2"], unit="unit", time="year")
    f = feols("d_y ~ d_x1 + d_x2" + (" | year" if time_effects else ""), d, "unit")
    assert_same_as_pyfixest(r, f)


@pytest.mark.parametrize("weights", [None, "w"])
def test_twfe_coefficients_equal_linearmodels(weights):
    df = simulate(n_units=40, n_years=12, seed=14)
    r = panel.twfe(df, "y", ["x1", "x2"], unit="unit", time="year", weights=weights)
    p = df.set_index(["unit", "year"])
    lm = PanelOLS(p["y"], p[["x1", "x2"]], entity_effects=True, time_effects=True,
                  weights=p[weights] if weights else None).fit()
    for name in ("x1", "x2"):
        assert r.coef(name)[0] == pytest.approx(lm.params[name], rel=REL)


# --------------------------------------------------------------------- the cross-case chapter's fits
@pytest.fixture(scope="module")
def cc():
    """The cross-case package, with the constants of its ``case`` module."""
    from types import SimpleNamespace

    from enclaves.cases import cross_case
    from enclaves.cases.cross_case import case, series

    return SimpleNamespace(**{**vars(case), **vars(series), **{k: getattr(cross_case, k) for k in dir(cross_case)
                                                              if not k.startswith("_")}})


def _state_spec(cc, m: str, spec: str, direction: str):
    """(y, x, data, weights, differenced) of one row of ``state_models()``, rebuilt from its definition."""
    d = cc.state_panel()
    if direction == cc.REVERSE:
        return m, ["homicide_rate_lag1"], d, None, False
    if spec == cc.SPECS[6]:
        return "homicide_rate", [f"{j}_lag1" for j in cc.JOINT], d, None, False
    x, y, w = [f"{m}_lag1"], "homicide_rate", None
    if spec == cc.SPECS[1]:
        x = [f"{m}_lag2"]
    elif spec == cc.SPECS[2]:
        d = d[~d.state_code.isin(cc.most_violent_states())]
    elif spec == cc.SPECS[3]:
        y = "log_rate"
    elif spec == cc.SPECS[5]:
        w = "population"
    return y, x, d, w, spec == cc.SPECS[4]


def test_state_models_equal_pyfixest(cc):
    t = cc.state_models()
    assert len(t) == 31
    for row in t.itertuples(index=False):
        y, x, d, w, differenced = _state_spec(cc, row.measure, row.spec, row.direction)
        if differenced:
            d = panel.first_difference(d, [y, *x], unit="state_code", time="year")
            y, x = "d_" + y, ["d_" + v for v in x]
        f = feols(f"{y} ~ {' + '.join(x)} | {'year' if differenced else 'state_code + year'}", d, "state_code", w)
        ci = f.confint().loc[row.term]
        assert row.coef == pytest.approx(f.coef()[row.term], rel=REL), row
        assert row.se == pytest.approx(f.se()[row.term], rel=REL), row
        assert (row.ci_low, row.ci_high) == pytest.approx((ci.iloc[0], ci.iloc[1]), rel=REL), row
        assert row.p_value == pytest.approx(f.pvalue()[row.term], rel=1e-6), row
        assert (row.nobs, row.n_clusters) == (f._N, int(f._G[0]))


def test_municipal_models_equal_pyfixest(cc):
    d = cc.municipal_panel()
    t = cc.municipal_models()
    fits = {
        cc.MUN_SPECS[0]: ("alternation + opp_governor | mun_code + year", "mun_code", None),
        cc.MUN_SPECS[1]: ("alternation + opp_governor | mun_code + state_year", "mun_code", None),
        cc.MUN_SPECS[2]: ("alternation + opp_governor | mun_code + state_year", "mun_code", "population"),
        cc.MUN_SPECS[3]: ("alternation + opp_governor | mun_code + state_year", "state_code", None),
        cc.MUN_SPECS[4]: ("alternation_strict + opp_governor | mun_code + state_year", "mun_code", None),
    }
    for spec, (rhs, cluster, w) in fits.items():
        f = feols(f"homicide_rate ~ {rhs}", d, cluster, w)
        for row in t[t.spec == spec].itertuples(index=False):
            assert row.coef == pytest.approx(f.coef()[row.term], rel=REL), row
            assert row.se == pytest.approx(f.se()[row.term], rel=REL), row
            assert row.p_value == pytest.approx(f.pvalue()[row.term], rel=1e-6), row


def test_election_models_and_event_study_equal_pyfixest(cc):
    e = cc.election_windows()
    t = cc.election_models()
    for y, label in cc.ELECTION_OUTCOMES.items():
        for w, spec in ((None, label), ("population", label + ", weighted")):
            f = feols(f"{y} ~ alternation + opp_governor | state_election", e, "mun_code", w)
            for row in t[t.spec == spec].itertuples(index=False):
                assert row.coef == pytest.approx(f.coef()[row.term], rel=REL), row
                assert row.se == pytest.approx(f.se()[row.term], rel=REL), row
    ev = cc.event_study().set_index("k")
    e = e.copy()
    for k in [k for k in range(cc.EVENT_K[0], cc.EVENT_K[1] + 1) if k != 0]:
        e["chg"] = e[f"k_{k}"] - e["k_0"]
        f = feols("chg ~ alternation | state_election", e, "mun_code")
        ci = f.confint().loc["alternation"]
        assert ev.loc[k, "coef"] == pytest.approx(f.coef()["alternation"], rel=REL)
        assert (ev.loc[k, "ci_low"], ev.loc[k, "ci_high"]) == pytest.approx((ci.iloc[0], ci.iloc[1]), rel=REL)


def test_book_coefficients_equal_linearmodels(cc):
    d = cc.state_panel()
    main = cc.model_row("cifra_negra_pct")
    s = d.dropna(subset=["homicide_rate", "cifra_negra_pct_lag1"]).set_index(["state_code", "year"])
    lm = PanelOLS(s["homicide_rate"], s[["cifra_negra_pct_lag1"]], entity_effects=True, time_effects=True).fit()
    assert main.coef == pytest.approx(lm.params["cifra_negra_pct_lag1"], rel=REL)
    m = cc.municipal_panel()
    x = ["alternation", "opp_governor"]
    s = m.dropna(subset=["homicide_rate", *x]).set_index(["mun_code", "year"])
    lm = PanelOLS(s["homicide_rate"], s[x], entity_effects=True,
                  other_effects=pd.Categorical(s["state_year"])).fit()
    t = cc.municipal_models()
    main = t[t.spec == cc.MUN_SPECS[1]].set_index("term")
    for name in x:
        assert main.loc[name, "coef"] == pytest.approx(lm.params[name], rel=REL)


# ============================================================================ interrupted time series
def independent_design(r) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Constant, eleven month dummies, time, post, months since the break: built here from the dates."""
    d = r.data
    n = len(d)
    t = np.arange(n, dtype=float)
    period = pd.PeriodIndex.from_fields(year=d["year"].astype(int), month=d["month"].astype(int), freq="M")
    post = (period >= r.break_period).astype(float)
    post_t = np.where(post == 1, t - t[int(np.argmax(post))], 0.0)
    moy = d["month"].astype(int).to_numpy()
    X = np.column_stack([np.ones(n), *[(moy == m).astype(float) for m in range(2, 13)], t, post, post_t])
    offset = np.log(d[r.exposure].to_numpy(float)) if r.exposure else None
    return X, d["y"].to_numpy(float), offset


def book_its_runs():
    from enclaves.cases.monterrey import series as mty
    from enclaves.data import load

    m = load("homicides_municipal_monthly")
    nz = m[m.mun_code == "15058"]
    runs = {"monterrey_main": mty.its_run()}
    for start in (2007, 2010):  # Nezahualcóyotl's exercise
        runs[f"neza_{start}"] = models.interrupted_time_series(nz[nz.year.between(start, 2018)], "homicides",
                                                                "2014-01")
    runs["simulated_poisson"] = models.interrupted_time_series(_monthly(level=0.7), "n", "2015-10",
                                                               exposure="pop")
    runs["simulated_overdispersed"] = models.interrupted_time_series(overdispersed(), "n", "2015-10",
                                                                     exposure="pop")
    return runs


def overdispersed(seed: int = 5) -> pd.DataFrame:
    """Monthly negative-binomial counts (dispersion 0.1) with seasonality, a trend, a level drop of 30% at
    October 2015 and a changing population."""
    rng = np.random.default_rng(seed)
    periods = pd.period_range("2010-01", "2019-12", freq="M")
    t = np.arange(len(periods))
    pop = 900_000 + 2_000 * t
    mu = 4e-5 * pop * np.exp(0.003 * t) * (1 + 0.2 * np.sin(2 * np.pi * periods.month / 12))
    mu = mu * np.where(periods >= pd.Period("2015-10", "M"), 0.7, 1.0)
    alpha = 0.1
    y = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu))
    return pd.DataFrame({"year": periods.year, "month": periods.month, "n": y, "pop": pop})


@pytest.fixture(scope="module")
def its_runs():
    return book_its_runs()


def test_its_equals_statsmodels_glm_on_an_independent_design(its_runs):
    for name, r in its_runs.items():
        X, y, offset = independent_design(r)
        g = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=r.model.family.alpha), offset=offset).fit(
            cov_type="HC0")
        ci = np.exp(g.conf_int()[-2])
        assert r.level_change == pytest.approx((np.exp(g.params[-2]), *ci), rel=1e-9), name
        ci_t = np.exp(12 * g.conf_int()[-1])
        assert r.trend_change == pytest.approx((np.exp(12 * g.params[-1]), *ci_t), rel=1e-9), name


def test_its_dispersion_is_the_cameron_trivedi_regression(its_runs):
    for name, r in its_runs.items():
        X, y, offset = independent_design(r)
        mu = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit().mu
        aux = sm.OLS(((y - mu) ** 2 - y) / mu, mu).fit()
        assert r.model.family.alpha == pytest.approx(max(float(aux.params[0]), 1e-6), rel=1e-9), name


def test_its_agrees_with_negative_binomial_maximum_likelihood(its_runs):
    """statsmodels' NB2 estimates the dispersion with the coefficients; the book's two-step fit gives the
    same level and trend changes to within 0.25% (Monterrey's trend: 0.2%; the others within 0.01%)."""
    for name, r in its_runs.items():
        if name == "simulated_poisson":
            continue  # no overdispersion: the likelihood's dispersion runs to its bound of zero
        X, y, offset = independent_design(r)
        nb = NegativeBinomial(y, X, loglike_method="nb2", offset=offset).fit(disp=0, method="newton", maxiter=200)
        assert nb.mle_retvals["converged"], name
        assert r.level_change[0] == pytest.approx(np.exp(nb.params[-3]), rel=2.5e-3), name
        assert r.trend_change[0] == pytest.approx(np.exp(12 * nb.params[-2]), rel=2.5e-3), name


# ================================================================================ synthetic control
def reference_weights(y1: np.ndarray, Y0: np.ndarray, method: str = "SLSQP") -> np.ndarray:
    """The programme as the book states it, solved independently: minimise Σ_t (y1_t − Σ_j w_j y0_jt)²
    over w ≥ 0, Σ w = 1 (every year weighted equally), by a general constrained solver from equal weights."""
    n = Y0.shape[1]
    s = float(np.sqrt(np.mean(y1 ** 2))) or 1.0
    A, b = Y0 / s, y1 / s
    H, c = A.T @ A, A.T @ b
    fun, jac = (lambda w: w @ H @ w - 2 * c @ w + b @ b), (lambda w: 2 * (H @ w - c))
    if method == "SLSQP":
        res = optimize.minimize(fun, np.full(n, 1 / n), jac=jac, method="SLSQP", bounds=[(0, None)] * n,
                                constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1,
                                              "jac": lambda w: np.ones((1, n))}],
                                options={"ftol": 1e-14, "maxiter": 2000})
    else:
        res = optimize.minimize(fun, np.full(n, 1 / n), jac=jac, hess=lambda w: 2 * H, method="trust-constr",
                                bounds=optimize.Bounds(0, np.inf),
                                constraints=[optimize.LinearConstraint(np.ones((1, n)), 1, 1)],
                                options={"gtol": 1e-12, "xtol": 1e-14, "maxiter": 5000})
    return res.x


def sse(y1, Y0, w) -> float:
    return float(np.sum((y1 - Y0 @ w) ** 2))


def assert_solves_the_programme(y1, Y0, w, *, method="SLSQP", weights_tol=1e-5):
    ref = reference_weights(y1, Y0, method)
    assert w.min() >= 0 and w.sum() == pytest.approx(1.0, abs=1e-12)
    assert synth.kkt_residual(y1, Y0, w) < 1e-9
    # never worse than the reference solver, and the reference finds nothing better
    assert sse(y1, Y0, w) <= sse(y1, Y0, ref) * (1 + 1e-9) + 1e-12
    assert sse(y1, Y0, ref) <= sse(y1, Y0, w) * (1 + 1e-6) + 1e-12
    assert np.abs(w - ref).max() < weights_tol


def noisy_panel(seed: int, n_donors: int, n_pre: int, outside: float = 3.0):
    """Donors from two factors plus heavy noise; the treated unit partly outside the donors' hull."""
    rng = np.random.default_rng(seed)
    f = np.column_stack([np.linspace(5, 25, n_pre) + rng.normal(0, 2, n_pre), 6 * np.sin(np.arange(n_pre) / 2)])
    Y0 = f @ rng.uniform(0.3, 1.7, (2, n_donors)) + rng.normal(0, 4, (n_pre, n_donors))
    y1 = Y0[:, :3] @ np.array([0.5, 0.3, 0.2]) + rng.normal(0, outside, n_pre)
    return y1, Y0


@pytest.mark.parametrize(("seed", "n_donors", "n_pre"), [(1, 8, 15), (2, 20, 14), (3, 40, 12), (4, 5, 30),
                                                         (5, 27, 14), (6, 60, 10)])
def test_synth_weights_solve_the_stated_programme_on_simulated_panels(seed, n_donors, n_pre):
    y1, Y0 = noisy_panel(seed, n_donors, n_pre)
    w = synth._fit_weights(y1, Y0)
    assert_solves_the_programme(y1, Y0, w)
    if n_donors <= 20:
        assert_solves_the_programme(y1, Y0, w, method="trust-constr", weights_tol=1e-4)


def test_synth_weights_on_the_models_test_panel():
    panel_ = simulated_panel(effect=-8.0)
    res = models.synthetic_control(panel_, "T", 2014)
    pre = panel_.index < 2014
    donors = list(res.weights.index)
    assert_solves_the_programme(panel_.loc[pre, "T"].to_numpy(), panel_.loc[pre, donors].to_numpy(),
                                res.weights.to_numpy())


def test_synth_is_deterministic_and_ignores_donor_order():
    y1, Y0 = noisy_panel(7, 25, 14)
    w1, w2 = synth._fit_weights(y1, Y0), synth._fit_weights(y1, Y0)
    assert np.array_equal(w1, w2)
    order = np.random.default_rng(0).permutation(Y0.shape[1])
    assert synth._fit_weights(y1, Y0[:, order]) == pytest.approx(w1[order], abs=1e-10)


def test_every_fit_of_the_case_chapters_solves_the_programme(monkeypatch):
    """Every weight vector the three chapters' counterfactuals compute (main fits, placebos, placebo in
    time, leave-one-out, variants) is the solution of the stated programme."""
    from enclaves.cases import registry

    seen = []
    fit = synth._fit_weights

    def record(y1, Y0):
        w = fit(y1, Y0)
        seen.append((y1, Y0, w))
        return w

    monkeypatch.setattr(synth, "_fit_weights", record)
    for slug in registry.slugs():
        run = registry.module(slug).counterfactual
        getattr(run, "__wrapped__", run)()  # past the cache: every fit runs here
    assert len(seen) > 100
    with models.blas_single_thread():
        for y1, Y0, w in seen:
            assert_solves_the_programme(y1, Y0, w)
