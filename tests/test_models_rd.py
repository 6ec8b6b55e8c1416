"""The close-election RD framework (enclaves.models.rd): running variables built by hand, a planted
discontinuity recovered by rdrobust and none found where none was planted, and the real designs pinned."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from enclaves.models import rd
from enclaves.pipeline import designs


def _sim(seed: int, jump: float, n: int = 3000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-0.5, 0.5, n)
    cluster = rng.integers(0, n // 3, n)
    y = 10 + 8 * x - 6 * x**2 + jump * (x >= 0) + rng.normal(0, 3, n)
    return y, x, cluster


def test_a_planted_discontinuity_is_recovered():
    y, x, cl = _sim(1, jump=2.0)
    r = designs.fit(y, x, cluster=cl)
    assert r["ci_low"] < 2.0 < r["ci_high"] and r["ci_low"] > 0
    assert r["n_left"] > 100 and r["n_right"] > 100 and r["h_left"] > 0
    assert r["density_p"] > 0.01  # the running variable is uniform: no manipulation


def test_no_discontinuity_is_found_where_none_was_planted():
    covered = [(lambda r: r["ci_low"] < 0 < r["ci_high"])(designs.fit(*_sim(s, jump=0.0)[:2], density=False))
               for s in range(2, 8)]
    assert sum(covered) >= 5


def test_density_test_sees_a_heap_at_the_cutoff():
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(-0.5, 0.5, 2000), rng.uniform(0, 0.05, 400)])
    assert designs.density_test(x) < 0.01


def test_signed_margin_by_hand():
    r = pd.DataFrame({"first": ["pan", "pri-pvem", "pan-prd", "pri", "pri"],
                      "first_share": [0.50, 0.45, 0.40, 0.60, 0.55],
                      "second": ["pri", "pan", "prd", "prd", "pan-pri"],
                      "second_share": [0.40, 0.44, 0.35, 0.20, 0.30]})
    m = rd.signed_margin(r, pd.Series(["pan"] * 5))
    assert m.iloc[0] == pytest.approx(0.10) and m.iloc[1] == pytest.approx(-0.01)
    assert m.iloc[2] == pytest.approx(0.05)  # PAN only in the winning coalition
    assert np.isnan(m.iloc[3])  # PAN not among the two leading candidacies
    assert m.iloc[4] == pytest.approx(-0.25)


def test_incumbent_and_president_parties():
    r = pd.DataFrame({"mun_code": ["01001"] * 3 + ["01002"], "year": [2001, 2004, 2007, 2004],
                      "extraordinary": [False] * 4, "first": ["pri", "pan-prd", "pan", "pri"]})
    inc = rd.incumbent_party(r)
    # 2004: PRI held it; 2007: the PAN-PRD coalition held it (two major parties: no single incumbent family)
    assert inc.isna().tolist() == [True, False, True, True] and inc.iloc[1] == "pri"
    assert rd.president_party(2000) == "pri" and rd.president_party(2006) == "pan"
    assert rd.president_party(2015) == "pri" and rd.president_party(2019) == "morena"


def test_neighbours_party_is_the_strict_majority_of_known_neighbours():
    returns = pd.DataFrame({"mun_code": ["A"], "year": [2010]})
    control = pd.DataFrame({"mun_code": ["B", "C", "D", "B"], "year": [2008, 2009, 2009, 2011],
                            "winner_family": ["pan", "pan", "pri", "pri"]})
    nb = pd.DataFrame({"mun_code": ["A", "A", "A"], "neighbour_code": ["B", "C", "D"]})
    assert rd.neighbours_party(returns, control, nb).tolist() == ["pan"]
    control.loc[1, "winner_family"] = "prd"
    assert rd.neighbours_party(returns, control, nb).isna().all()


# ------------------------------------------------------------------ the real designs (published by the pipeline)
PINNED = {  # design: (estimate, robust CI low, high, h, n left, n right) of the primary estimate
    "pan": (0.871, -3.092, 4.897, 0.107, 2202, 2181),
    "incumbent_defeat": (3.192, -0.657, 8.249, 0.100, 2603, 2528),
    "governor": (-0.299, -4.644, 3.961, 0.128, 3242, 3690),
    "president": (-1.504, -5.724, 3.020, 0.122, 2679, 2813),
    "neighbours": (-1.630, -8.081, 4.499, 0.120, 2200, 2756),
}


@pytest.fixture(scope="module")
def published():
    return rd.results()


def test_every_design_reports_estimate_interval_bandwidth_sides_and_density(published):
    prim = published[published.spec == rd.PRIMARY].set_index("design")
    assert set(prim.index) == set(rd.DESIGNS)
    for d, (est, lo, hi, h, nl, nr) in PINNED.items():
        r = prim.loc[d]
        assert (r.estimate, r.ci_low, r.ci_high, r.h_left) == pytest.approx((est, lo, hi, h), abs=1e-3), d
        assert (r.n_left, r.n_right) == (nl, nr), d
        assert 0 <= r.density_p <= 1 and 0 <= r.p_holm <= 1 and r.p_holm >= r.p_value
    checks = published.groupby("design").spec.apply(set)
    for d in rd.DESIGNS:
        assert {rd.SPEC_COUNT, rd.SPEC_LOG, *rd.BALANCE.values()} <= checks[d]
        assert sum(s.startswith("placebo") for s in checks[d]) == len(rd.PLACEBO_CUTOFFS)
        assert sum(s.startswith("bandwidth") for s in checks[d]) == len(rd.BW_MULTIPLES) - 1
    assert rd.DELL_SPEC in checks["pan"]


def test_published_primary_estimate_equals_rdrobust_on_the_frame(published):
    """The table is what rdrobust gives on the frame the chapters read (one design recomputed here)."""
    r = designs.estimate("governor")
    row = published[(published.design == "governor") & (published.spec == rd.PRIMARY)].iloc[0]
    assert (r.estimate, r.ci_low, r.ci_high, r.density_p) == pytest.approx(
        (row.estimate, row.ci_low, row.ci_high, row.density_p), abs=1e-5)


def test_binned_means_and_fit_lines_are_on_the_right_sides():
    b = rd.binned("pan")
    assert (b.loc[b.side == "won", "mid"] > 0).all() and (b.loc[b.side == "lost", "mid"] < 0).all()
    assert b["size"].sum() == (rd.sample("pan")["m_pan"].abs() <= 0.25).sum()
    f = rd.local_fit("pan", 0.1)
    assert f.groupby("side").x.agg(["min", "max"]).loc["won"].tolist() == pytest.approx([0, 0.1])


def test_rdrobust_point_estimate_is_a_triangular_weighted_local_linear_fit(published):
    """Cross-check of the library against statsmodels on the same data: within the published bandwidth, WLS of
    the outcome on a win dummy, the margin and their interaction with triangular weights gives rdrobust's point
    estimate, and the fit lines of the RD plot (local_fit) meet the cutoff at the same gap."""
    import statsmodels.formula.api as smf

    for design in ("governor", "pan"):
        row = published[(published.design == design) & (published.spec == rd.PRIMARY)].iloc[0]
        d = rd.sample(design)
        m = d[f"m_{design}"]
        d = d[m.abs() < row.h_left]
        d = d.assign(won=(d[f"m_{design}"] >= 0).astype(int))
        w = 1 - d[f"m_{design}"].abs() / row.h_left
        fit = smf.wls(f"rate_after ~ won * m_{design}", data=d, weights=w).fit()
        assert fit.params["won"] == pytest.approx(row.estimate, abs=5e-6)
        f = rd.local_fit(design, row.h_left)
        gap = f[(f.side == "won") & (f.x == 0)].fit.iloc[0] - f[(f.side == "lost") & (f.x == 0)].fit.iloc[0]
        assert gap == pytest.approx(row.estimate, abs=5e-6)
