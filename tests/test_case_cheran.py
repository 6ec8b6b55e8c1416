"""Cherán (enclaves.cases.cheran): the package interface, the comparison sets and their rules, the counterfactual
on the real data, the claim rules on planted inputs, the ledger's group for claims from outside the source
reporting, and the cross-case rule for municipalities governed by custom."""

from __future__ import annotations

import pandas as pd
import pytest

from enclaves import claims, geo, stats
from enclaves.cases import base, generic, registry
from enclaves.cases import cheran as C
from enclaves.cases.cheran import case as K
from enclaves.cases.cheran import claims as CL
from enclaves.data import load


def test_the_package_answers_the_common_interface():
    assert base.check_package(C) == []
    assert C.CASE == registry.get("cheran") and C.CASE.origin == registry.BEYOND
    assert C.BREAK_YEAR == 2012 and C.CODE == "16024"
    assert all(v for v in (C.CASE.instrument, C.CASE.who_holds_power, C.CASE.institutions))
    assert "not yet described" not in C.CASE.instrument + C.CASE.who_holds_power + C.CASE.institutions


# --- comparison sets --------------------------------------------------------------------------------


def test_the_comparison_file_is_what_the_rules_make():
    on_disk = geo.comparison_groups("cheran")[["group", "mun_code", "reason"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(on_disk, C.comparison_table().reset_index(drop=True))


def test_meseta_group_is_the_bordering_municipalities_and_charapan():
    n = load("municipal_neighbours")
    bordering = set(n.loc[n.mun_code == "16024", "neighbour_code"])
    assert bordering == {"16025", "16056", "16065", "16107"}          # Chilchota, Nahuatzen, Paracho, Zacapu
    assert set(C.codes(C.MESETA)) == bordering | {"16021"}


def test_pools_leave_out_treated_towns_and_follow_the_size_rule():
    militia = set(C.codes("militia"))
    assert militia == set(geo.comparison_groups("tancitaro").query("group == 'self_defence'").mun_code)
    similar = set(C.codes(C.SIMILAR))
    assert not similar & (militia | set(C.codes(C.MESETA)) | {"16024", "16083"})
    h = load("homicides_municipal_annual")
    pop = h[(h.year == 2010) & (h.year_basis == "occurrence")].set_index("mun_code")["population"].astype(float)
    deg = load("marginalization_municipal").query("year == 2010").set_index("mun_code")["degree"]
    for c in similar:
        assert pop["16024"] / K.SIMILAR_FACTOR <= pop[c] <= pop["16024"] * K.SIMILAR_FACTOR
        assert deg[c] == deg["16024"]
    assert set(C.donor_pool()) <= similar


# --- series -----------------------------------------------------------------------------------------


def test_case_series_and_pooled_rates_match_the_table():
    h = load("homicides_municipal_annual")
    x = h[(h.mun_code == "16024") & (h.year_basis == "occurrence") & h.year.between(2012, 2021)]
    n = C.numbers()
    assert n["after_deaths"] == float(x.homicides.sum())
    assert n["after_rate"] == pytest.approx(x.homicides.sum() / x.population.astype(float).sum() * 1e5)
    assert n["after_low"] < n["after_rate"] < n["after_high"]
    assert all(type(v) in (int, float, str) or v is None for v in n.values())


def test_ranking_is_every_michoacan_municipality():
    r = C.ranking((2012, 2021))
    assert len(r) == load("municipalities").query("state_code == '16'").shape[0]
    assert (r["rank"].diff().dropna() >= 0).all()
    me = r[r.mun_code == "16024"].iloc[0]
    assert me.share_at_or_below == pytest.approx((r.rate <= me.rate).mean())


def test_election_records_show_the_end_of_party_contests():
    cov = C.coverage().set_index("cycle")
    for cycle in (2011, 2015, 2018):
        assert not cov.loc[cycle, "case_has_result"] and cov.loc[cycle, "others_share"] == 1.0
    assert cov.loc[2007, "case_has_result"]
    g = C.elections_grid()
    assert set(g.loc[(g.mun_code == "16024") & (g.cycle >= 2011), "family"]) == {"custom"}


def test_avocado_table_fills_missing_years_with_zero():
    d = C.avocado_neighbours()
    me = d[d.mun_code == "16024"]
    assert (me["planted_ha"] == 0).all() and not me["recorded"].any()
    a = load("avocado_municipal")
    z = d[(d.mun_code == "16107") & d.recorded].set_index("year")["planted_ha"]
    assert z.to_dict() == a[a.mun_code == "16107"].set_index("year")["planted_ha"].astype(float).to_dict()


def test_quasi_poisson_count_model_against_plain_poisson():
    """The quasi-Poisson rate ratio equals the Poisson one (same point estimate) with a wider interval when the
    counts are overdispersed; checked against statsmodels' Poisson fit computed here."""
    import numpy as np
    import statsmodels.api as sm

    r = C.did_quasi_poisson(C.MESETA)
    h = C.michoacan_annual()
    d = h[h.mun_code.isin(["16024", *C.codes(C.MESETA)])].reset_index(drop=True)
    X = pd.get_dummies(d[["mun_code", "year"]].astype(str), drop_first=True, dtype=float)
    X["tp"] = ((d.mun_code == "16024") & (d.year >= 2012)).astype(float)
    fit = sm.GLM(d.homicides, sm.add_constant(X), family=sm.families.Poisson(), offset=np.log(d.population)).fit()
    assert r["rr"] == pytest.approx(float(np.exp(fit.params["tp"])), rel=1e-6)
    if r["dispersion"] > 1:
        assert r["high"] / r["low"] > float(np.exp(2 * 1.959964 * fit.bse["tp"]))


# --- counterfactual ---------------------------------------------------------------------------------


def test_counterfactual_on_the_real_data():
    cf = C.counterfactual()
    assert cf.start == 2012 and cf.donors == C.donor_pool()
    w = cf.main.weights
    assert w.sum() == pytest.approx(1.0) and (w >= -1e-12).all()
    assert len(cf.main.placebo) == len(cf.donors)
    s = cf.summary()
    assert 0 < s["p_value"] <= 1 and s["first_year"] == 2012 and s["last_year"] == 2021
    assert set(cf.variants) == {"with_meseta", "with_militia", "wide_pool", "start_2011"}
    assert cf.placebo_time.start == K.PLACEBO_TIME_START
    assert list(cf.leave_one_out["dropped"][1:]) == list(cf.main.top_weights().index[:K.LOO_TOP])
    g = generic.gaps_table(cf.main, "Cherán")
    assert set(g.unit) >= {"Cherán"} and g.kind.nunique() == 2


def test_before_after_permutation_ranks_every_unit():
    t = C.before_after_permutation()
    assert len(t) == len(C.donor_pool()) + 1 and t["rank"].min() == 1
    me = t[t.mun_code == "16024"].iloc[0]
    d = C.case_annual()
    pre = stats.pooled_rate(d, *K.BEFORE)
    post = stats.pooled_rate(d, *K.AFTER)
    assert me.ratio == pytest.approx(post["rate"] / pre["rate"])


# --- claims: the rules on planted inputs ------------------------------------------------------------


@pytest.mark.parametrize("share, rr_high, expected", [
    (0.05, 0.5, "supported"), (0.05, 1.2, "partly supported"), (0.5, 0.5, "partly supported"),
    (0.5, 1.2, "not supported"), (0.20, 0.99, "supported"), (0.21, 0.99, "partly supported")])
def test_rule_c1(share, rr_high, expected):
    assert CL.rule_c1(share, rr_high, safest_share=0.20) == expected


@pytest.mark.parametrize("rr, high, expected", [(0.3, 0.8, "supported"), (0.8, 1.5, "partly supported"),
                                                (1.1, 2.0, "not supported"), (0.5, 1.0, "partly supported")])
def test_rule_c2(rr, high, expected):
    assert CL.rule_c2(rr, high) == expected


@pytest.mark.parametrize("results, cycles, expected", [(0, 3, "supported"), (1, 3, "partly supported"),
                                                       (3, 3, "not supported"),
                                                       (0, 0, "cannot be tested with these data")])
def test_rule_c3(results, cycles, expected):
    assert CL.rule_c3(results, cycles) == expected


@pytest.mark.parametrize("case_ha, share, growth, expected", [
    (0, 0.5, 1.0, "supported"), (0, 0.25, 1.0, "partly supported"), (0, 0.75, 0.1, "partly supported"),
    (3.0, 1.0, 5.0, "not supported")])
def test_rule_c4(case_ha, share, growth, expected):
    assert CL.rule_c4(case_ha, share, growth, min_share=0.5, min_growth=0.5) == expected


def test_rule_c5_refuses_to_guess_once_forest_data_exist():
    assert CL.rule_c5([]) == "cannot be tested with these data"
    with pytest.raises(LookupError, match="write the test"):
        CL.rule_c5(["forest_cover_municipal"])


def test_evaluators_return_verdicts_with_attributed_records():
    for cid in ("C1", "C2", "C3", "C4", "C5"):
        rec = claims.registry()[cid]
        assert rec.case == "cheran" and rec.attribution and rec.section == "case-cheran-claims"
        v = claims.evaluate(cid)
        assert v.verdict in claims.VERDICTS
    n = C.numbers()
    assert n["C1_verdict"] == claims.evaluate("C1").verdict


# --- the ledger's group for claims from outside the source reporting --------------------------------


def test_ledger_groups_claims_beyond_the_source_reporting():
    led = claims.ledger()
    assert set(led.loc[led.case == "cheran", "origin"]) == {registry.BEYOND}
    assert set(led.loc[led.case != "cheran", "origin"]) == {registry.SOURCE_REPORTING}
    md = claims.ledger_markdown(led)
    head, _, tail = md.partition(claims.BEYOND_HEADING)
    assert "| C1 |" in tail and "| C1 |" not in head and "| T1 |" in head and "| T1 |" not in tail
    assert "Masten (2023)" in tail and "who says it" in tail


def test_ledger_markdown_without_beyond_claims_has_one_table():
    led = claims.ledger()
    md = claims.ledger_markdown(led[led.origin == registry.SOURCE_REPORTING])
    assert claims.BEYOND_HEADING not in md
    assert sum(line.startswith("|---") for line in md.splitlines()) == 1


# --- cross-case: party measures skip government by custom ------------------------------------------


def test_cross_case_party_measures_leave_out_government_by_custom():
    from enclaves.cases.cross_case import case as XK
    from enclaves.cases.cross_case import series as XS

    assert XK.GOVERNED_BY_CUSTOM == {"16024": 2012}
    p = XS.municipal_panel()
    ch = p[p.mun_code == "16024"].set_index("year")
    assert ch.loc[2012:, "by_custom"].all() and not ch.loc[:2011, "by_custom"].any()
    assert ch.loc[2012:, ["family", "alternation", "opp_governor"]].isna().all().all()
    assert ch.loc[2009, "family"] == "pri"          # the 2007 winner still governs before the break


# --- published figures ------------------------------------------------------------------------------


def test_published_figures_are_glued_from_the_records_file():
    pub = generic.published_figures("cheran").set_index("key")["value"]
    n = C.numbers()
    for key, value in pub.items():
        assert n[key] == value
    assert n["pub_consultation_for_pct"] == pytest.approx(100 * pub["pub_consultation_for"]
                                                          / (pub["pub_consultation_for"]
                                                             + pub["pub_consultation_against"]))


def test_charts_have_titles_and_computed_descriptions():
    import enclaves.charts as charts

    charts.setup()
    for f in C.CHARTS:
        spec = f().to_dict()
        assert spec.get("title") and spec.get("description"), f.__name__
    desc = C.chart_ranking().to_dict()["description"]
    r = C.ranking(K.C1_WINDOW)
    assert f"ranks {int(r[r.mun_code == '16024'].iloc[0]['rank'])} of {len(r)}" in desc


def test_relative_rate_chart_names_every_case_and_draws_zero_years():
    from enclaves.cases import compare

    spec = compare.chart_relative().to_dict()
    assert all(c.name in spec["description"] for c in registry.dated())
    d = compare.relative_rates()
    assert ((d.name == "Cherán") & (d.ratio == 0)).any()      # years with no homicide …
    enc = spec["layer"][1]["encoding"]["y"]["scale"]
    assert enc["type"] == "symlog"                               # … are drawable (a log scale would drop them)


# --- since then: investigation files, January 2024 - June 2025 -------------------------------------------------


def _files_2024_2025(codes: list[str]) -> tuple[int, float]:
    """Homicidio doloso and feminicidio files, January 2024 - June 2025, and person-years (2024 population × months
    / 12), straight from the processed tables."""
    inc = load("incidents_municipal_monthly")
    inc = inc[inc.mun_code.isin(codes)]
    files = int((inc["homicidio_doloso"] + inc["feminicidio"]).sum())
    months = int(inc.groupby("year")["month"].nunique().sum())
    m = load("marginalization_municipal").query("year == 2020")  # the census count (SINCE_POP_YEAR)
    pop = m.set_index("mun_code")["population"]
    return files, float(pop[codes].sum()) * months / 12


def test_since_then_numbers_are_the_files_of_the_table():
    from scipy import stats as sstats

    n = C.numbers()
    k, py = _files_2024_2025(["16024"])
    assert k == n["st_case_files"] and n["st_months"] == 18
    assert n["st_case_files_2024"] + n["st_case_files_2025"] == k
    assert n["st_case_rate"] == pytest.approx(k / py * 1e5)
    assert n["st_case_low"] == pytest.approx(sstats.chi2.ppf(0.025, 2 * k) / 2 / py * 1e5)
    assert n["st_case_high"] == pytest.approx(sstats.chi2.ppf(0.975, 2 * k + 2) / 2 / py * 1e5)
    mich = sorted(C.michoacan_annual().mun_code.unique())
    kr, pyr = _files_2024_2025([c for c in mich if c != "16024"])
    assert n["st_rest_rate"] == pytest.approx(kr / pyr * 1e5)
    rr = stats.rate_ratio(k, py, kr, pyr)
    assert (n["st_rr_rest"], n["st_rr_rest_low"], n["st_rr_rest_high"]) == pytest.approx((rr.rr, rr.low, rr.high))
    km, pym = _files_2024_2025(C.codes(C.MESETA))
    assert n["st_meseta_files"] == km and n["st_meseta_rate"] == pytest.approx(km / pym * 1e5)
    ks, pys = _files_2024_2025(C.codes(C.SIMILAR))
    assert n["st_similar_rate"] == pytest.approx(ks / pys * 1e5)
    assert n["st_rate_one_fewer"] == pytest.approx((k - 1) / py * 1e5)


def test_since_then_ranking_is_every_michoacan_municipality():
    n = C.numbers()
    rates = {c: (lambda k, py: k / py * 1e5)(*_files_2024_2025([c])) for c in C.michoacan_annual().mun_code.unique()}
    r = pd.Series(rates)
    assert n["st_rank_n"] == len(r) == 113
    assert n["st_rank"] == int((r < r["16024"]).sum()) + 1
    assert n["st_share_pct"] == pytest.approx(100 * float((r <= r["16024"]).mean()))
    assert n["st_n_zero"] == int((r == 0).sum())
    assert n["st_cut"] == pytest.approx(float(r.quantile(K.C1_SAFEST_SHARE)))
    # the chapter's sentence on fragility: one file fewer would put Cherán inside the cut
    assert n["st_rate_one_fewer"] <= n["st_cut"] < n["st_case_rate"]


def test_since_then_state_numbers_match_the_state_table():
    n = C.numbers()
    a = load("crime_state_annual")
    a = a[(a.state_code == "16") & (a.series == "sesnsp_new") & (a.unit == "incidents")
          & a.crime.isin(["homicidio_doloso", "feminicidio"]) & (a.months_covered == 12)]
    by_year = a.groupby("year")["value"].sum()
    assert (n["st_state_new_peak"], n["st_state_new_peak_year"]) == (int(by_year.max()), int(by_year.idxmax()))
    assert n["st_state_new_2024"] == int(by_year[2024])
    d = C.state_sources()
    assert not d.duplicated(["series", "year"]).any() and d["label"].nunique() == d["series"].nunique()


def test_chart_list_ends_with_the_since_then_chart():
    import re

    from enclaves import paths

    text = (paths.root() / "book" / "cases" / "cheran.md").read_text(encoding="utf-8")
    shown = re.findall(r"^C\.(chart_\w+)\(\)$", text, flags=re.M)
    assert [f.__name__ for f in C.CHARTS] == shown and shown[-1] == "chart_since_then"
    assert len(C.CHARTS) == 11
