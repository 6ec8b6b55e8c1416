"""The Tancítaro chapter's package: comparison sets, derived series, the synthetic control, the charts, the
evaluators of claims T1-T5 and the glued numbers, checked against the processed data."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from gluecheck import unmade_keys
from scipy import stats as sstats

import enclaves.cases.tancitaro
from enclaves import charts, claims, geo, paths, stats
from enclaves.cases import base, generic
from enclaves.cases import tancitaro as T
from enclaves.cases.tancitaro import case as C
from enclaves.cases.tancitaro import series as S
from enclaves.data import load
from enclaves.models import placebo_in_space, synthetic_control
from enclaves.stats import add_rate_ci

CHAPTER = paths.root() / "book" / "cases" / "tancitaro.md"


def test_the_package_answers_the_common_interface():
    assert base.check_package(enclaves.cases.tancitaro) == []
    assert T.SLUG == "tancitaro" and T.CASE.mun_code == T.CODE == "16083" and T.CASE.name == T.NAME
    assert T.BREAK_YEAR == T.CASE.break_year == 2014
    assert C.STATE == T.CASE.state_code and C.STATE_NAME == T.CASE.state_name


def _occurrence() -> pd.DataFrame:
    h = load("homicides_municipal_annual")
    return h[h["year_basis"] == "occurrence"]


# --- comparison groups ------------------------------------------------------------------------


def test_comparison_codes_and_names_match_the_inegi_catalog():
    g = geo.comparison_groups("tancitaro")
    m = load("municipalities").set_index("mun_code")["mun_name"]
    assert g["mun_code"].str.fullmatch(r"16\d{3}").all()
    assert g["mun_code"].isin(m.index).all()
    assert not g["mun_code"].duplicated().any()
    assert T.CODE not in set(g["mun_code"])
    for _, row in g.iterrows():  # the reason names the municipality it is about
        assert row["reason"].startswith(m[row["mun_code"]] + ":"), row["mun_code"]
    sd = dict(zip(T.codes("self_defence"), map(m.get, T.codes("self_defence")), strict=True))
    assert sd == {"16006": "Apatzingán", "16012": "Buenavista", "16089": "Tepalcatepec",
                  "16015": "Coalcomán de Vázquez Pallares", "16002": "Aguililla"}


def test_avocado_belt_group_is_the_shared_mapping():
    belt = pd.read_csv(paths.mappings_dir() / "avocado_belt.csv", dtype=str)
    assert set(T.codes("avocado_belt")) == set(belt.loc[belt["role"] == "neighbour", "mun_code"])


def test_donor_rows_in_the_mapping_equal_the_rule():
    assert T.codes("donor") == T.donor_pool()
    h = _occurrence()
    pop = h[h["year"] == T.DONOR_POP_YEAR].set_index("mun_code")["population"].astype(float)
    for c in T.donor_pool():
        assert pop[T.CODE] / T.DONOR_FACTOR <= pop[c] <= pop[T.CODE] * T.DONOR_FACTOR
        assert c not in T.codes("avocado_belt") + T.codes("self_defence")


# --- series -----------------------------------------------------------------------------------


def test_group_rate_is_summed_deaths_over_summed_population():
    h = _occurrence()
    for group in ("avocado_belt", "self_defence"):
        agg = T.aggregate(T.codes(group), group).set_index("year")
        for year in (2005, 2013, 2019):
            sub = h[h["mun_code"].isin(T.codes(group)) & (h["year"] == year)]
            expected = sub["homicides"].sum() / sub["population"].sum() * 1e5
            assert agg.loc[year, "homicide_rate"] == pytest.approx(float(expected))


def test_case_series_carries_exact_intervals():
    t = T.case_annual().set_index("year")
    assert t.loc[2013, "homicides"] == 16
    low, high = sstats.chi2.ppf(0.025, 32) / 2, sstats.chi2.ppf(0.975, 34) / 2
    pop = t.loc[2013, "population"]
    assert t.loc[2013, "rate_low"] == pytest.approx(low / pop * 1e5)
    assert t.loc[2013, "rate_high"] == pytest.approx(high / pop * 1e5)
    assert T.three_deaths_effect(2013) == pytest.approx(3 / pop * 1e5)


def test_rest_of_state_excludes_the_case():
    h = _occurrence()
    rest = T.rest_of_state().set_index("year")
    mich = h[h["mun_code"].str.startswith("16") & (h["year"] == 2016)]
    assert rest.loc[2016, "homicides"] == mich["homicides"].sum() - mich.loc[mich["mun_code"] == T.CODE,
                                                                            "homicides"].sum()


def test_pooled_rate_and_rate_ratio():
    d = pd.DataFrame({"year": [1, 2], "homicides": [3.0, 7.0], "population": [1e5, 1e5]})
    p = S.pooled(d, 1, 2)
    assert p["rate"] == pytest.approx(5.0)
    assert add_rate_ci(pd.DataFrame({"homicides": [10.0], "population": [2e5]}))["rate_low"].iloc[0] == \
        pytest.approx(p["low"])
    # the shared pooled rate, with the lower bound at the 2.5% quantile written exactly
    shared = stats.pooled_rate(d, 1, 2)
    assert {k: v for k, v in p.items() if k != "low"} == {k: v for k, v in shared.items() if k != "low"}
    assert p["low"] == sstats.chi2.ppf(0.025, 20) / 2 / 2e5 * 1e5 == pytest.approx(shared["low"], rel=1e-14)
    r = stats.rate_ratio(20, 1e5, 10, 1e5)
    assert r.rr == pytest.approx(2.0) and r.low < 2 < r.high
    # equal exposures: the ratio interval maps the Clopper-Pearson interval of 20 out of 30
    lo = sstats.beta.ppf(0.025, 20, 11)
    assert r.low == pytest.approx(lo / (1 - lo))
    assert stats.rate_ratio(10, 1e5, 10, 1e5).p_value == pytest.approx(1.0)


def test_monthly_rolling_total_matches_annual_counts():
    m = T.monthly()
    dec = m[m["month"] == 12].set_index("year")["rolling_12"]
    annual = T.case_annual().set_index("year")["homicides"]
    assert (dec.loc[2001:2021] == annual.loc[2001:2021]).all()


# --- avocados ---------------------------------------------------------------------------------


def test_export_estimates_reproduce_the_pipeline_and_bracket_it():
    e = T.export_estimates().set_index("year")
    src = load("avocado_export_estimate")
    src = src[src["mun_code"] == T.CODE].set_index("year")
    assert np.allclose(e["national_share"], src["est_exports_usd_per_day"].astype(float))
    assert (e["national_share"] <= e["state_share"]).all()
    assert (e["state_share"] <= e["ceiling"]).all()


# --- claims -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cid", ["T1", "T2", "T3", "T4", "T5"])
def test_evaluators_return_valid_plain_verdicts(cid):
    v = claims.evaluate(cid)
    assert v.claim_id == cid and v.verdict in claims.VERDICTS
    assert isinstance(v.key_number, float) and v.key_label and v.evidence
    assert all(type(x) in (int, float, str) for x in v.numbers.values()), v.numbers


def test_t1_numbers_follow_the_stated_rule():
    v = claims.evaluate("T1")
    e = load("avocado_export_estimate")
    row = e[(e["mun_code"] == T.CODE) & (e["year"] == T.T1_REFERENCE_YEAR)].iloc[0]
    assert v.key_number == pytest.approx(float(row["est_exports_usd_per_day"]) / 1e6)
    low, high = v.numbers["low_musd"], v.numbers["high_musd"]
    expected = "supported" if low >= 1 else ("partly supported" if high >= 1 else "not supported")
    assert v.verdict == expected


def test_t2_rate_is_the_pooled_rate_of_the_data():
    v = claims.evaluate("T2")
    h = _occurrence()
    t = h[(h["mun_code"] == T.CODE) & h["year"].between(*T.T2_WINDOW)]
    assert v.key_number == pytest.approx(float(t["homicides"].sum() / t["population"].sum() * 1e5))
    n = v.numbers
    region = n["rr_state_high"] < 1 and n["rr_belt_high"] < 1
    expected = ("supported" if n["rr_west_high"] < 1 else "partly supported") if region else "not supported"
    assert v.verdict == expected
    w = h[h["mun_code"].isin(T.WEST_NEIGHBOURS) & h["year"].between(*T.T2_WINDOW)]
    assert n["west_rate"] == pytest.approx(float(w["homicides"].sum() / w["population"].sum() * 1e5))


def test_t3_cannot_test_a_trend_from_one_year():
    v = claims.evaluate("T3")
    s = load("suicides_municipal")
    assert s["year"].nunique() == 1
    assert v.verdict == "cannot be tested with these data"
    row = s[(s["mun_code"] == T.CODE) & (s["basis"] == "occurrence")].iloc[0]
    assert v.key_number == pytest.approx(float(row["suicide_rate"]))
    assert v.numbers["suicides"] == row["suicides"]


def test_t4_windows_and_members():
    v = claims.evaluate("T4")
    tab = T.t4_table().set_index("area")
    g = tab.loc[T.SELF_DEFENCE]
    h = _occurrence()
    sub = h[h["mun_code"].isin(T.codes("self_defence")) & h["year"].between(*T.T4_RELAPSE)]
    assert g["relapse_rate"] == pytest.approx(float(sub["homicides"].sum() / sub["population"].sum() * 1e5))
    assert v.key_number == pytest.approx(g["relapse_rate"] / g["after_rate"])
    assert v.numbers["n_members"] == 5


def test_t5_reads_the_2015_returns():
    v = claims.evaluate("T5")
    e = load("elections_municipal")
    row = e[(e["mun_code"] == T.CODE) & (e["year"] == 2015)].iloc[0]
    assert row["winner"] == "pan-pri-prd-pna-ph-pes"
    assert v.numbers["n_parties"] == 6 and v.numbers["majors"] == "PAN, PRD, PRI"
    assert v.numbers["vote_share_pct"] == pytest.approx(float(row["vote_share"]) * 100)
    assert T.major_parties("2015-06-01") == ["pan", "prd", "pri"]


# --- the counterfactual -------------------------------------------------------------------------


def test_gaps_table_holds_every_fit_of_the_shared_placebo_in_space_on_a_small_pool():
    donors = T.donor_pool()[:4]
    ref = placebo_in_space(T.panel(), T.CODE, T.BREAK_YEAR, donors, pre_start=T.PRE_START)
    gaps = T.gaps_table(ref)
    assert gaps["unit"].nunique() == len(donors) + 1
    case = gaps[gaps["kind"] == T.NAME].set_index("year")["gap"]
    assert np.allclose(case, ref.gap.loc[case.index])
    nm = geo.mun_names()
    for d, g in ref.placebo_gaps.items():
        mine = gaps[gaps["unit"] == nm[d]].set_index("year")["gap"]
        assert (gaps.loc[gaps["unit"] == nm[d], "kind"] == "Donor treated as a placebo").all()
        assert np.allclose(mine, g.loc[mine.index])


def test_counterfactual_is_the_placebo_in_space_fit_with_its_checks():
    cf = T.counterfactual()
    assert isinstance(cf, base.Counterfactual) and cf is T.counterfactual()  # cached
    assert cf.start == T.BREAK_YEAR and cf.donors == T.donor_pool()
    assert len(cf.main.placebo) == len(cf.donors) and set(cf.main.placebo_gaps) == set(cf.donors)
    assert cf.placebo_time.start == C.PLACEBO_TIME_START and cf.placebo_time.actual.index.max() == T.BREAK_YEAR - 1
    loo = cf.leave_one_out
    dropped = loo[loo["dropped"] != "(none)"]
    assert len(dropped) == C.LOO_TOP and set(dropped["dropped"]) <= set(cf.main.top_weights().index)
    assert (dropped["dropped_name"] == dropped["dropped"].map(geo.mun_names())).all()
    wide = cf.variants["wide_pool"]
    assert set(cf.variants) == {"wide_pool", "clean_pool"} and wide.att == pytest.approx(T.synth_wide_pool().att)
    # the clean pool drops exactly the donors the sourced table lists as treated by 2021
    from enclaves.cases import generic

    treated = set(cf.donors) & generic.event_codes(2021)
    assert treated and set(T.treated_donors()) == treated
    assert set(cf.variants["clean_pool"].weights.index) == set(cf.donors) - treated
    nums, summary = T.numbers(), cf.summary()
    assert summary["att"] == nums["att"] and summary["p_value"] == nums["p_space"]
    assert summary["pre_rmspe"] == nums["pre_rmspe"] and summary["donors"] == len(cf.main.weights)
    g = T.placebo_gaps()
    assert g["unit"].nunique() == len(cf.donors) + 1 and g is T.placebo_gaps()


def test_synthetic_control_is_reproducible():
    p, donors = T.panel(), T.donor_pool()
    a = synthetic_control(p, T.CODE, T.BREAK_YEAR, donors, pre_start=T.PRE_START)
    b = synthetic_control(p, T.CODE, T.BREAK_YEAR, donors, pre_start=T.PRE_START)
    assert np.allclose(a.weights, b.weights) and a.att == pytest.approx(b.att)
    assert a.weights.sum() == pytest.approx(1.0) and (a.weights >= 0).all()


# --- charts and glue ----------------------------------------------------------------------------

CHARTS = ["chart_timeline", "chart_case_rates", "chart_groups", "chart_dropdown", "chart_monthly",
          "chart_avocado", "chart_exports", "chart_t1", "chart_elections", "chart_suicide", "chart_since_then_state",
          "chart_since_then"]


def test_charts_are_listed_in_chapter_order():
    shown = re.findall(r"^T\.(chart_\w+)\(\)$", CHAPTER.read_text(encoding="utf-8"), flags=re.M)
    assert [c.__name__ for c in T.CHARTS] == shown
    assert all(getattr(T, c.__name__) is c for c in T.CHARTS)


@pytest.mark.parametrize("name", CHARTS)
def test_charts_have_titles_descriptions_tooltips_and_small_data(name):
    spec = getattr(T, name)().to_dict()
    title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    assert title and len(spec["description"]) > 80
    assert "tooltip" in str(spec)
    rows = sum(len(v) for v in spec.get("datasets", {}).values())
    assert 0 < rows < 2000


def test_chart_interactions():
    assert "'input': 'select'" in str(T.chart_dropdown().to_dict())
    assert "'bind': 'legend'" in str(T.chart_groups().to_dict())


def test_numbers_are_plain_python():
    nums = T.numbers()
    assert all(type(v) in (int, float, str) for v in nums.values())
    assert nums["n_donors"] == len(T.donor_pool())
    assert 0 < nums["p_space"] <= 1 and nums["pre_rmspe"] > 0
    assert nums["three_deaths_pts"] == pytest.approx(T.three_deaths_effect(2013))
    spec = T.chart_placebo().to_dict()
    assert spec["description"] and sum(len(v) for v in spec["datasets"].values()) < 2000


# --- chart descriptions: their figures are the data's --------------------------------------------

def _spec(name: str) -> dict:
    return getattr(T, name)().to_dict()


def test_case_rates_description_gives_the_range_before_and_after_the_break():
    r = _occurrence().query("mun_code == @T.CODE and year >= 2000").set_index("year")["homicide_rate"].astype(float)
    before, after = r[r.index < T.BREAK_YEAR], r[r.index >= T.BREAK_YEAR]
    desc = _spec("chart_case_rates")["description"]
    assert f"swings between {before.min():.0f} and {before.max():.0f} before {T.BREAK_YEAR}" in desc
    assert f"never exceeds {after.max():.0f} afterwards" in desc


def test_placebo_description_gives_how_far_the_donor_gaps_swing():
    ref = placebo_in_space(T.panel(), T.CODE, T.BREAK_YEAR, T.donor_pool(), pre_start=T.PRE_START)
    main = T.counterfactual().main  # the chapter's fit is the shared placebo_in_space
    assert main.p_value == pytest.approx(ref.p_value) and np.allclose(main.placebo["ratio"], ref.placebo["ratio"])
    swing = pd.Series({d: float(g[g.index > 2015].abs().max()) for d, g in ref.placebo_gaps.items()})
    desc = _spec("chart_placebo")["description"]
    assert f"half of the {len(swing)} donors' gaps reach {swing.median():.0f} per 100,000 or more" in desc
    assert f"the widest reaches {swing.max():.0f}." in desc


def test_avocado_description_gives_the_largest_producers():
    a = load("avocado_municipal")
    a = a[a.mun_code.isin([T.CODE, *T.codes("avocado_belt")])]
    kt = a.groupby("mun_code")["tonnes"]
    first, second = kt.sum().sort_values(ascending=False).index[:2]
    nm = load("municipalities").set_index("mun_code")["mun_name"]
    t = a[a.mun_code == T.CODE].set_index("year")["tonnes"] / 1000
    desc = _spec("chart_avocado")["description"]
    assert f"{nm[first]} produces the most, a median of {kt.median()[first] / 1000:.0f} thousand tonnes" in desc
    assert f"followed by {nm[second]} with {kt.median()[second] / 1000:.0f}" in desc
    last = t.index.max()
    assert f"dips to {t.min():.0f} thousand tonnes in {t.idxmin()}" in desc
    assert f"rises from {t[last - 1]:.0f} to {t[last]:.0f} in {last}" in desc


def test_elections_description_gives_the_margin_and_rank_of_2015():
    e = load("elections_municipal")
    y = T.T5_ELECTION_YEAR
    e = e[e.mun_code.str.startswith("16") & (e.outcome == "elected") & (e.year == y) & e.margin.notna()
          & ~e.extraordinary.astype(bool)]
    m = e.set_index("mun_code")["margin"].astype(float) * 100
    rank = int((m > m[T.CODE]).sum()) + 1
    desc = _spec("chart_elections")["description"]
    assert f"in {y} its margin of {m[T.CODE]:.0f} points is the {charts.ordinal(rank)} largest of the {len(m)}" in desc


def test_suicide_description_gives_tancitaros_rate_and_the_zeros():
    s = load("suicides_municipal").query("basis == 'occurrence'")
    s = s[s.mun_code.isin([T.CODE, *T.codes("avocado_belt"), *T.codes("self_defence")])].set_index("mun_code")
    t, others = s.loc[T.CODE], s.drop(T.CODE)
    nm = load("municipalities").set_index("mun_code")["mun_name"]
    desc = _spec("chart_suicide")["description"]
    assert f"Tancítaro's rate, {t.suicide_rate:.1f} per 100,000 from {int(t.suicides)} deaths" in desc
    assert f"interval runs from {t.rate_low:.1f} to {t.rate_high:.1f}" in desc
    assert f"{charts.and_list(sorted(nm[others[others.suicides == 0].index]))} recorded none" in desc
    assert f"the intervals of {(others.rate_high > t.suicide_rate).sum()} other municipalities" in desc


def test_t1_threshold_in_the_subtitle_is_the_constant():
    spec = _spec("chart_t1")
    assert f"US${T.T1_THRESHOLD_USD_PER_DAY / 1e6:.0f} million" in spec["title"]["subtitle"]


# --- the glued numbers ----------------------------------------------------------------------------


def test_numbers_cover_the_chapter_and_every_claim_number():
    nums = T.numbers()
    used = set(re.findall(r"\{glue:text\}`(\w+)", CHAPTER.read_text(encoding="utf-8")))
    assert used and used <= set(nums), sorted(used - set(nums))
    for cid in ("T1", "T2", "T3", "T4", "T5"):
        v = claims.evaluate(cid)
        assert nums[f"{cid}_verdict"] == v.verdict and nums[f"{cid}_key"] == float(v.key_number)
        assert {f"{cid}_{k}": x for k, x in v.numbers.items()}.items() <= nums.items()


def test_every_glue_key_is_written_literally():
    """A search for a glue key finds the line of numbers.py where its value is made."""
    assert unmade_keys("tancitaro", T.numbers()) == []


# --- since then: investigation files 2024-2025, the state by instrument, the old instrument 2011-2013 ------------


def _files_2024_2025(codes: list[str]) -> tuple[int, float]:
    """Homicidio doloso and feminicidio files, January 2024 - June 2025, and person-years (2024 population × 18/12),
    straight from the processed tables."""
    inc = load("incidents_municipal_monthly")
    inc = inc[inc.mun_code.isin(codes)]
    files = int((inc["homicidio_doloso"] + inc["feminicidio"]).sum())
    months = int(inc.groupby("year")["month"].nunique().sum())
    m = load("marginalization_municipal").query("year == 2020")  # the census count (SINCE_POP_YEAR)
    pop = m.set_index("mun_code")["population"]
    return files, float(pop[codes].sum()) * months / 12


def test_since_then_numbers_are_the_files_of_the_table():
    nums = T.numbers()
    k, py = _files_2024_2025([T.CODE])
    assert k == nums["st_case_files"] == 11 and nums["st_months"] == 18   # README 2.7: 8 in 2024, 3 in Jan-Jun 2025
    assert (nums["st_case_files_2024"], nums["st_case_files_2025"]) == (8, 3)
    assert nums["st_case_rate"] == pytest.approx(k / py * 1e5)
    assert nums["st_case_low"] == pytest.approx(sstats.chi2.ppf(0.025, 2 * k) / 2 / py * 1e5)
    assert nums["st_case_high"] == pytest.approx(sstats.chi2.ppf(0.975, 2 * k + 2) / 2 / py * 1e5)
    rest = sorted(set(_occurrence().query("mun_code.str.startswith('16')", engine="python").mun_code) - {T.CODE})
    kr, pyr = _files_2024_2025(rest)
    assert nums["st_rest_rate"] == pytest.approx(kr / pyr * 1e5)
    rr = stats.rate_ratio(k, py, kr, pyr)
    assert (nums["st_rr_rest"], nums["st_rr_rest_low"], nums["st_rr_rest_high"]) == pytest.approx((rr.rr, rr.low,
                                                                                                   rr.high))
    kw, pyw = _files_2024_2025(list(C.WEST_NEIGHBOURS))
    assert nums["st_west_files"] == kw and nums["st_west_rate"] == pytest.approx(kw / pyw * 1e5)
    kb, pyb = _files_2024_2025(T.codes("avocado_belt"))
    assert nums["st_belt_rate"] == pytest.approx(kb / pyb * 1e5)
    ks, pys = _files_2024_2025(T.codes("self_defence"))
    assert nums["st_sd_rate"] == pytest.approx(ks / pys * 1e5)
    # the whole state's files are the new-instrument incidents of the state table (the same release)
    a = load("crime_state_annual")
    a = a[(a.state_code == "16") & (a.series == "sesnsp_new") & (a.unit == "incidents") & (a.year == 2024)
          & a.crime.isin(["homicidio_doloso", "feminicidio"])]
    inc = load("incidents_municipal_monthly")
    inc = inc[inc.mun_code.str.startswith("16") & (inc.year == 2024)]
    assert nums["st_state_new_2024"] == int(a["value"].sum()) == int((inc["homicidio_doloso"]
                                                                      + inc["feminicidio"]).sum())


def test_since_then_state_numbers_follow_each_instrument():
    nums = T.numbers()
    h = load("homicides_state_annual").query("state_code == '16' and year_basis == 'occurrence'").set_index("year")
    assert nums["st_state_deaths_last_year"] == int(h.index.max())
    assert nums["st_state_deaths_peak"] == int(h["homicides"].max())
    a = load("crime_state_annual")
    a = a[(a.state_code == "16") & (a.series == "sesnsp_new") & (a.unit == "incidents")
          & a.crime.isin(["homicidio_doloso", "feminicidio"])]
    by_year = a.groupby("year")["value"].sum()
    full = by_year[a.groupby("year")["months_covered"].min() == 12]
    assert (nums["st_state_new_peak"], nums["st_state_new_peak_year"]) == (int(full.max()), int(full.idxmax()))
    assert nums["st_state_new_2025"] == int(by_year[2025]) and nums["st_state_new_2025_pace"] == 2 * by_year[2025]
    ratio = (full / h["homicides"]).dropna()
    assert nums["st_files_per_death_min"] == pytest.approx(float(ratio.min()))
    assert nums["st_files_per_death_max"] == pytest.approx(float(ratio.max()))
    # never joined: each instrument is its own series in the chart's data
    d = T.state_sources()
    assert not d.duplicated(["series", "year"]).any() and d["label"].nunique() == d["series"].nunique()


def test_kidnapping_and_robbery_2011_2013_are_the_table_rows():
    nums = T.numbers()
    c = load("crime_municipal_annual")
    t = c[c.mun_code == T.CODE].set_index("year")
    assert [int(t.loc[y, "secuestro"]) for y in (2011, 2012, 2013)] == [2, 1, 5]      # README 2.8
    assert nums["k_case_kidnap"] == t["secuestro"].sum() and nums["k_case_robbery"] == t["robo"].sum()
    assert nums["k_case_hom_files"] == t["homicidio_doloso"].sum()
    py = float(_occurrence().query("mun_code == @T.CODE and year >= 2011 and year <= 2013")["population"].sum())
    assert nums["k_case_kidnap_rate"] == pytest.approx(t["secuestro"].sum() / py * 1e5)
    m = c[c.mun_code.str.startswith("16") & (c.mun_code != T.CODE)]
    occ = _occurrence()
    pyr = float(occ[occ.mun_code.isin(m.mun_code) & occ.year.between(2011, 2013)]["population"].sum())
    rr = stats.rate_ratio(t["secuestro"].sum(), py, m["secuestro"].sum(), pyr)
    assert (nums["k_rr_kidnap"], nums["k_rr_kidnap_low"], nums["k_rr_kidnap_high"]) == pytest.approx((rr.rr, rr.low,
                                                                                                     rr.high))
    assert nums["k_rest_robbery_rate"] == pytest.approx(m["robo"].sum() / pyr * 1e5)
    table = T.crime_2011_2013_table()
    assert "| Tancítaro | 2, 1, 5 |" in table and table.count("\n") == 1 + len(S.since_then_sets())


def test_t2_intervals_allow_for_clustered_months_as_statsmodels_fits_them():
    """The rule's interval for Tancítaro against the avocado belt is a quasi-Poisson fit of the monthly counts
    with month effects (statsmodels' Pearson scale); the exact Poisson interval of the pooled counts is narrower."""
    import numpy as np
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from patsy.builtins import C  # noqa: F401,N806  (the formula's C, shadowed by this module's name)

    from enclaves.cases.tancitaro.case import T2_BEFORE

    m = load("homicides_municipal_monthly")
    h = _occurrence()
    y0, y1 = T.T2_WINDOW
    parts = []
    for flag, codes in ((1, [T.CODE]), (0, T.codes("avocado_belt"))):
        d = m[m.mun_code.isin(codes) & m.year.between(y0, y1)].groupby(["year", "month"], as_index=False)
        d = d["homicides"].sum()
        pop = h[h.mun_code.isin(codes)].groupby("year")["population"].sum()
        parts.append(d.assign(g=flag, exposure=d["year"].map(pop).astype(float) / 12))
    d = pd.concat(parts, ignore_index=True)
    d["t"] = (d["year"] * 100 + d["month"]).astype(int)
    d["homicides"] = d["homicides"].astype(float)
    d["exposure"] = d["exposure"].astype(float)
    f = smf.glm("homicides ~ g + C(t)", d, family=sm.families.Poisson(), offset=np.log(d["exposure"])).fit(scale="X2")
    lo, hi = np.exp(f.conf_int().loc["g"])
    n = claims.evaluate("T2").numbers
    assert f.scale > 1
    assert (n["rr_belt_low"], n["rr_belt_high"]) == pytest.approx((lo, hi), rel=1e-6)
    assert n["disp_belt"] == pytest.approx(f.scale, rel=1e-9)
    assert n["ex_belt_high"] - n["ex_belt_low"] < n["rr_belt_high"] - n["rr_belt_low"]
    monthly = T.monthly()
    x = monthly.loc[monthly.year.between(*T2_BEFORE), "homicides"]
    assert n["disp_case_before"] == pytest.approx(x.var() / x.mean())


# --- what researchers found ---------------------------------------------------------------------------------


def test_research_numbers_recompute_from_the_tables():
    from enclaves.cases.tancitaro import research as R

    n = R.numbers()
    c = load("crime_municipal_annual")
    h = _occurrence()
    towns = [m for m in T.codes("self_defence") if m != R.APATZINGAN]
    rates = []
    for m in towns:
        files = float(c[(c.mun_code == m) & (c.year == 2012)].homicidio_doloso.iloc[0])
        pop = float(h[(h.mun_code == m) & (h.year == 2012)].population.iloc[0])
        rates.append(files / pop * 1e5)
    assert n["res_mz_book_mean"] == pytest.approx(np.mean(rates)) and n["res_mz_book_n"] == len(towns) == 4
    sd = h[h.mun_code.isin(T.codes("self_defence"))]
    early = sd[sd.year.between(2015, 2017)]
    late = sd[sd.year.between(2018, 2020)]
    want = (late.homicides.sum() / late.population.sum()) / (early.homicides.sum() / early.population.sum())
    assert n["res_sd_ratio"] == pytest.approx(want)
    a = load("avocado_state_annual")
    m = a[(a.state_code == "16") & a.year.between(2003, 2013)].value_mxn.astype(float).mean()
    assert n["res_ornelas_share_high"] == pytest.approx(100 * 264e6 / m)
    assert n["pub_ornelas_total"] == 3168 and n["pub_mz_autodef_rate_2012"] == 15.2


def test_inspection_incidents_are_dated_and_sourced():
    t = generic.timeline("tancitaro_inspections")
    assert len(t) >= 4 and t["x"].is_monotonic_increasing
    assert t["date"].iloc[0].startswith("2013-11")
    md = T.inspections_table()
    assert md.count("{cite:p}") == len(t)
