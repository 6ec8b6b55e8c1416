"""Tests of enclaves.cases.monterrey: values against the data, evaluators, charts and the models."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gluecheck import unmade_keys

from enclaves import claims, geo, stats
from enclaves.cases import base
from enclaves.cases import monterrey as M
from enclaves.data import load
from enclaves.models import blas_single_thread

CHARTS = ["chart_timeline", "chart_escalation", "chart_kidnapping_states", "chart_kidnapping_monthly",
          "chart_city_crimes", "chart_metro_rates", "chart_m3", "chart_its", "chart_insecurity", "chart_since_then",
          "chart_since_then_state"]
CHAPTER = Path(__file__).resolve().parents[1] / "book" / "cases" / "monterrey.md"


@pytest.fixture(scope="module")
def hom() -> pd.DataFrame:
    h = load("homicides_municipal_annual")
    return h[h.year_basis == "occurrence"]


# --- the package -------------------------------------------------------------------------------

def test_package_has_the_common_interface():
    assert base.check_package(M) == []
    assert M.SLUG == "monterrey" and M.CASE.mun_code == M.CODE == "19039"
    # CHARTS lists the chart functions in the order the chapter draws them
    shown = re.findall(r"^M\.(chart_\w+)\(\)$", CHAPTER.read_text(encoding="utf-8"), re.M)
    assert [c.__name__ for c in M.CHARTS] == shown and len(shown) == 15
    assert shown[-2:] == ["chart_since_then", "chart_since_then_state"]
    assert all(getattr(M, name) is chart for name, chart in zip(shown, M.CHARTS, strict=True))


# --- comparison sets ---------------------------------------------------------------------------

def test_comparison_file_codes_and_groups():
    c = geo.comparison_groups("monterrey")
    names = load("municipalities").set_index("mun_code")["mun_name"]
    assert set(c["group"]) == {"metro", "donor"}
    assert c["mun_code"].str.fullmatch(r"\d{5}").all() and c["mun_code"].is_unique
    assert all(code in names.index for code in c["mun_code"])
    assert (c["reason"].str.len() > 20).all()
    metro = c.query("group == 'metro'")["mun_code"].tolist()
    assert sorted(metro) == sorted(["19019", "19046", "19026", "19006", "19021", "19048", "19031", "19018"])
    # names in the reasons match the municipality names
    for code, reason in zip(c["mun_code"], c["reason"], strict=True):
        assert reason.startswith(names[code])


def test_donor_pool_follows_its_rule():
    assert sorted(M.donor_codes()) == M.donor_rule_codes()
    donors = M.donor_codes()
    assert not any(d.startswith("19") for d in donors)
    assert "15058" not in donors                     # Nezahualcóyotl is a case of its own
    nb = M.donor_codes(exclude_neighbours=True)
    assert set(nb) < set(donors) and not any(d[:2] in M.NEIGHBOUR_STATES for d in nb)


# --- derived series against the data -----------------------------------------------------------

def test_metro_rate_is_sum_of_members(hom):
    a = M.area_rates(2000)
    metro = a[a.area == M.METRO_LABEL].set_index("year")
    members = hom[hom.mun_code.isin(M.metro_codes())].groupby("year")[["homicides", "population"]].sum()
    for y in (2005, 2011, 2019):
        expected = members.loc[y, "homicides"] / members.loc[y, "population"] * 1e5
        assert metro.loc[y, "homicide_rate"] == pytest.approx(expected)
        assert metro.loc[y, "rate_low"] < metro.loc[y, "homicide_rate"] < metro.loc[y, "rate_high"]


def test_monterrey_rate_matches_table(hom):
    a = M.area_rates(2000)
    mine = a[a.area == "Monterrey"].set_index("year")["homicide_rate"]
    table = hom[hom.mun_code == "19039"].set_index("year")["homicide_rate"]
    assert mine.loc[2011] == pytest.approx(table.loc[2011], rel=1e-3)


def test_period_counts(hom):
    k, n = M.period_counts(["19019"], (2016, 2019))
    x = hom[(hom.mun_code == "19019") & hom.year.between(2016, 2019)]
    assert k == int(x.homicides.sum()) and n == int(x.population.sum())


def test_monthly_sums_match_annual(hom):
    m = M.monthly_homicides(["19039"], (2015, 1), (2015, 12))
    assert len(m) == 12
    annual = int(hom[(hom.mun_code == "19039") & (hom.year == 2015)]["homicides"].iloc[0])
    assert abs(int(m.homicides.sum()) - annual) <= 0.05 * annual   # unknown month excluded upstream


def test_state_crime_rates_never_splice():
    d = M.state_crime_rates(("secuestro",))
    old = d[(d.series == "sesnsp_old") & (d.unit == "incidents")]
    new = d[(d.series == "sesnsp_new") & (d.unit == "incidents")]
    assert old.year.max() <= 2014 and new.year.min() == 2015
    nl = old[(old.area == "Nuevo León") & (old.year == 2012)].iloc[0]
    raw = load("crime_state_annual")
    raw = raw[(raw.state_code == "19") & (raw.year == 2012) & (raw.crime == "secuestro")
              & (raw.series == "sesnsp_old") & (raw.unit == "incidents")]
    assert nl["value"] == raw["value"].iloc[0]
    # rest of Mexico = sum of the other states
    rest = old[(old.area == M.REST_LABEL) & (old.year == 2012)].iloc[0]
    allst = load("crime_state_annual")
    allst = allst[(allst.state_code != "00") & (allst.state_code != "19") & (allst.year == 2012)
                  & (allst.crime == "secuestro") & (allst.series == "sesnsp_old") & (allst.unit == "incidents")]
    assert rest["value"] == allst["value"].sum()


def test_city_crimes_index_and_sum():
    d = M.city_crimes(["19039"])
    assert set(d.year) == {2011, 2012, 2013, 2014, 2015}
    assert (d[d.year == 2011]["index_2011"] == 100).all()
    raw = load("crime_municipal_monthly")
    raw = raw[(raw.mun_code == "19039") & (raw.year == 2013) & raw.crime.str.startswith("robo_vehiculo")]
    assert d[(d.crime == "robo_vehiculo") & (d.year == 2013)]["value"].iloc[0] == raw.value.sum()


def test_marginalisation_rank_is_within_metro():
    mg = M.metro_marginalisation()
    assert list(mg.metro_rank) == list(range(1, 10))
    # before 2020, a higher index means more marginalised: rank 1 has the highest index
    assert mg.marginalization_index.is_monotonic_decreasing
    assert mg.iloc[-1]["mun_code"] == "19019"


# --- statistics ---------------------------------------------------------------------------------

def test_rate_ratio_brackets_and_matches_known_case():
    est, lo, hi = M.rate_ratio(50, 1000, 50, 1000)
    assert est == 1 and lo < 1 < hi
    assert lo == pytest.approx(1 / hi, rel=1e-6)        # symmetric on the log scale for equal counts
    est, lo, hi = M.rate_ratio(10, 1.0, 40, 2.0)
    assert est == pytest.approx(0.5) and lo < 0.5 < hi
    # the shared exact interval, exposures taken relative to n1
    ref = stats.rate_ratio(86, 9954651.0, 50, 13771453.0)
    assert M.rate_ratio(86, 9954651.0, 50, 13771453.0) == pytest.approx((ref.rr, ref.low, ref.high), rel=1e-12)
    # no event in the comparison: infinite ratio, undefined interval (the chapter's rules read "no clear change")
    est, lo, hi = M.rate_ratio(5, 1.0, 0, 1.0)
    assert est == math.inf and math.isnan(lo) and hi == math.inf
    assert M.classify_change(est, lo, hi) == "no clear change"
    assert M.classify_change(0.5, 0.3, 0.8) == "fell"
    assert M.classify_change(1.5, 1.1, 2.0) == "rose"
    assert M.classify_change(0.75, 0.5, 1.1) == "no clear change"


# --- evaluators ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cid", ["M1", "M2", "M3"])
def test_evaluators_return_valid_verdicts(cid):
    v = claims.evaluate(cid)
    assert v.claim_id == cid and v.verdict in claims.VERDICTS
    assert isinstance(v.key_number, float) and math.isfinite(v.key_number)
    assert v.key_label and v.evidence


def test_m1_numbers_follow_from_counts():
    v = claims.evaluate("M1")
    n = v.numbers
    d = M.state_crime_rates(("secuestro",))
    d = d[(d.series == "sesnsp_old") & (d.unit == "incidents") & (d.area == "Nuevo León")]
    assert n["nl_peak_count"] == d[d.year.between(2011, 2012)].value.sum()
    assert n["nl_after_count"] == d[d.year.between(2013, 2014)].value.sum()
    assert v.key_number == n["nl_ratio"]
    assert n["nl_ratio_low"] < n["nl_ratio"] < n["nl_ratio_high"]
    # the verdict follows the documented rule
    strict = n["nl_ratio"] <= M.FALL_RATIO and n["nl_ratio_high"] < 1 and n["rr_high"] < 1 and n["vs_pre"] <= 1
    weak = n["nl_ratio"] < 1 and n["rr"] < 1
    expected = "supported" if strict else ("partly supported" if weak else "not supported")
    assert v.verdict == expected


def test_m2_numbers_and_rule(hom):
    v = claims.evaluate("M2")
    d = M.m2_measures()
    assert v.numbers["fell"] == int((d.result == "fell").sum())
    mty = hom[hom.mun_code == "19039"].set_index("year")
    peak = max(2011, 2012, key=lambda y: mty.loc[y, "homicide_rate"])
    expected = (mty.loc[2015, "homicide_rate"] / mty.loc[peak, "homicide_rate"] - 1) * 100
    assert v.key_number == pytest.approx(expected, rel=1e-3)
    fell = v.numbers["fell"]
    rule = "supported" if fell == len(d) else ("partly supported" if fell >= len(d) / 2 else "not supported")
    assert v.verdict == rule


def test_m3_numbers_and_rule(hom):
    v = claims.evaluate("M3")
    n = v.numbers
    x = hom[hom.mun_code.isin(M.metro_codes())]
    base = x[x.year.between(2014, 2015)]
    post = x[x.year.between(2016, 2019)]
    ratio = (post.homicides.sum() / post.population.sum()) / (base.homicides.sum() / base.population.sum())
    assert v.key_number == pytest.approx(ratio)
    assert n["metro_low"] < ratio < n["metro_high"]
    assert n["sp_base_count"] == int(base[base.mun_code == "19019"].homicides.sum())
    came_back = n["metro_ratio"] >= M.RISE_RATIO and n["metro_low"] > 1
    if came_back and n["gradient"] and n["rich_safe"]:
        assert v.verdict == "supported"
    elif came_back:
        assert v.verdict == "partly supported"
    else:
        assert v.verdict == "not supported"


def test_chapter_numbers_are_plain():
    n = M.numbers()
    for k, val in n.items():
        assert type(val) in (int, float, str), (k, type(val))
    # bools are glued as the strings the chapter has always shown
    assert n["m3_came_back"] in ("True", "False") and n["m3_gradient"] in ("True", "False")
    assert n["m3_key"] == n["m3_metro_ratio"] == claims.evaluate("M3").key_number


def test_every_glue_key_of_the_chapter_is_made_once_literally():
    chapter = CHAPTER.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)", chapter))
    n = M.numbers()
    assert used and used <= set(n), sorted(used - set(n))
    assert unmade_keys("monterrey", n) == []


# --- models -------------------------------------------------------------------------------------

def test_its_is_reproducible_and_has_intervals():
    a = M.its_run()
    b = M.its_run()
    assert a.level_change == b.level_change and a.trend_change == b.trend_change
    lv = a.level_change
    assert lv[1] < lv[0] < lv[2]
    f = M.its_fitted()
    assert len(f) == len(a.data) and (f.fitted > 0).all()


def test_synthetic_control_one_fit_is_reproducible():
    panel = M.synth_panel()
    donors = M.donor_codes()
    from enclaves.models import synthetic_control

    with blas_single_thread():
        r1 = synthetic_control(panel, M.CODE, M.SC_START, donors)
        r2 = synthetic_control(panel, M.CODE, M.SC_START, donors)
    assert np.allclose(r1.weights.values, r2.weights.values, atol=1e-6)
    assert r1.weights.sum() == pytest.approx(1) and (r1.weights >= 0).all()
    assert r1.pre_rmspe > 0 and list(panel.index) == list(range(2000, 2016))
    assert not panel.isna().any().any()


# --- charts -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", CHARTS)
def test_charts_have_title_description_and_tooltips(name):
    spec = getattr(M, name)().to_dict()
    assert spec.get("title") and len(spec.get("description", "")) > 80
    text = str(spec)
    assert "tooltip" in text
    rows = sum(len(v) for v in spec.get("datasets", {}).values())
    assert 0 < rows < 2000


def test_interactive_charts_have_dropdown_or_legend_selection():
    import json

    for name in ("chart_kidnapping_states", "chart_city_crimes"):
        assert '"input": "select"' in json.dumps(getattr(M, name)().to_dict())
    assert '"bind": "legend"' in json.dumps(M.chart_metro_rates().to_dict())


def test_counterfactual_shape_and_checks():
    c = M.counterfactual()
    assert isinstance(c, base.Counterfactual)
    # the synthetic control's first treated year (compare.py reads it): 2012, the year after the break
    assert c.start == M.SC_START == 2012 == M.CASE.break_year + 1 and c.main.start == c.start
    assert c.donors == M.donor_codes() and set(c.variants) == {"alt_start", "no_neighbours", "no_takeovers"}
    assert c.variants["alt_start"].start == M.CASE.break_year and c.placebo_time.start == 2009
    assert set(c.variants["no_neighbours"].weights.index) == set(M.donor_codes(exclude_neighbours=True))
    loo = c.leave_one_out
    names = geo.mun_names()
    assert list(loo["dropped_name"]) == [names.get(d, d) for d in loo["dropped"]]
    s = c.summary()
    assert s["first_year"] == 2012 and s["att"] == pytest.approx(c.main.att) and s["p_value"] == c.main.p_value


def test_synth_charts_and_numbers():
    n = M.numbers()
    c = M.counterfactual()
    assert 0 < n["sc_p_value"] <= 1 and n["sc_n_donors"] == len(M.donor_codes()) == len(c.donors)
    assert n["sc_ratio"] == pytest.approx(n["sc_post_rmspe"] / n["sc_pre_rmspe"])
    assert n["sc_loo_min"] <= n["sc_att"] <= n["sc_loo_max"]
    assert n["sc_att"] == c.main.att and n["sc_nb_n"] == len(M.donor_codes(exclude_neighbours=True))
    # the chapter's hand-made placebo loop equals enclaves.models.placebo_in_space
    from enclaves.models import placebo_in_space

    with blas_single_thread():
        ref = placebo_in_space(M.synth_panel(), M.CODE, M.SC_START, M.donor_codes())
    assert n["sc_p_value"] == pytest.approx(ref.p_value) and n["sc_ratio"] == pytest.approx(ref.ratio, rel=1e-4)
    for name in ("chart_synth", "chart_placebos"):
        spec = getattr(M, name)().to_dict()
        assert spec.get("title") and len(spec.get("description", "")) > 80 and "tooltip" in str(spec)


# --- chart descriptions: their figures are the data's --------------------------------------------

def _desc(name: str) -> str:
    return getattr(M, name)().to_dict()["description"]


def _month(year, month) -> str:
    return pd.Timestamp(year=int(year), month=int(month), day=1).strftime("%B %Y")


def test_timeline_description_gives_monterreys_rates(hom):
    r = hom[(hom.mun_code == "19039") & (hom.year >= 2000)].set_index("year")["homicide_rate"].astype(float)
    peak = int(r.idxmax())
    low = int(r.loc[peak:].idxmin())
    desc = _desc("chart_timeline")
    assert f"jumps to {r[peak]:.0f} per 100,000 in {peak}" in desc
    assert f"falls to {r[low]:.0f} in {low}" in desc
    back = r.loc[2018:]
    assert f"back between {back.min():.0f} and {back.max():.0f} from 2018 to {back.index.max()}" in desc


def test_escalation_description_gives_the_monthly_peaks():
    m = load("homicides_municipal_monthly")
    m = m[m.year.between(2005, 2013)]
    metro = geo.comparison_groups("monterrey").query("group == 'metro'")["mun_code"]
    mty = m[m.mun_code == "19039"].groupby(["year", "month"])["homicides"].sum()
    rest = m[m.mun_code.isin(metro)].groupby(["year", "month"])["homicides"].sum()
    calm = max(mty.loc[:2008].max(), rest.loc[:2008].max())
    desc = _desc("chart_escalation")
    assert f"Neither has more than {calm} homicides in any month before 2009" in desc
    assert f"Monterrey at {mty.max()} in {_month(*mty.idxmax())}" in desc
    assert f"other eight combined at {rest.max()} in {_month(*rest.idxmax())}" in desc


def test_kidnapping_states_description_gives_nuevo_leons_peak():
    pop = load("homicides_state_annual").query("year_basis == 'occurrence'")[["state_code", "year", "population"]]
    a = load("crime_state_annual")
    a = a[(a.unit == "incidents") & (a.months_covered == 12) & (a.year >= 2000)].merge(pop, on=["state_code", "year"])
    a["rate"] = a.value / a.population * 1e5

    def rates(state, crime):
        return a[(a.state_code == state) & (a.crime == crime)].set_index("year")["rate"].astype(float)

    kid, ext, tam = rates("19", "secuestro"), rates("19", "extorsion"), rates("28", "secuestro")
    desc = _desc("chart_kidnapping_states")
    assert f"to {kid.max():.1f} per 100,000 in {kid.idxmax()}" in desc
    assert f"up to {tam.max():.1f} in {tam.idxmax()}" in desc
    assert f"from {ext[2011]:.1f} in 2011 to {ext[2014]:.1f} in 2014" in desc


def test_kidnapping_monthly_description_gives_the_counts():
    c = load("crime_state_monthly")
    c = c[(c.state_code == "19") & (c.crime == "secuestro")].dropna(subset=["value"])
    v = c.value.astype(int)
    usual = int(v.quantile(0.9))
    top = c.loc[v.idxmax()]
    desc = _desc("chart_kidnapping_monthly")
    assert f"{(v <= usual).mean():.0%} of the monthly counts are {usual} or fewer" in desc
    assert f"reach {v[c.year.between(2011, 2013)].max()} a month in 2011–2013" in desc
    assert f"the highest month is {_month(top.year, top.month)}, with {v.max()} " in desc


def test_m3_description_gives_every_ratio(hom):
    def rate(x, y0, y1):
        x = x[x.year.between(y0, y1)]
        return x.homicides.sum() / x.population.sum()

    desc = _desc("chart_m3")
    for code in M.metro_codes():
        x = hom[hom.mun_code == code]
        ratio = rate(x, *M.M3_POST) / rate(x, *M.M3_BASE)
        assert f"{M.short_name(code)} {ratio:.1f}" in desc, code
    assert f"ratio is {M.m3_numbers()['rho_ratio']:.2f}" in desc


def test_insecurity_description_gives_the_survey_values():
    e = load("envipe_state").query("indicator == 'insecurity_api'").set_index(["state_code", "year"])["value"]
    desc = _desc("chart_insecurity")
    for y in (2011, 2012, 2015, 2019):
        assert f"{e['19', y]:.0f} percent against {e['00', y]:.0f}" in desc, y
    assert f"falling to {e['19', 2021]:.0f} percent in 2021" in desc


# --- since then: investigation files 2024 - June 2025 ----------------------------------------------

def _files(codes) -> pd.DataFrame:
    """Homicidio doloso plus feminicidio files of ``codes`` by year, straight from the table."""
    i = load("incidents_municipal_monthly")
    i = i[i.mun_code.isin(codes)]
    return (i.homicidio_doloso + i.feminicidio).groupby(i.year).sum()


def _census(codes=None, state=None) -> int:
    m = load("marginalization_municipal").query("year == 2020")
    if codes is not None:
        m = m[m.mun_code.isin(codes)]
    elif state is not None:
        m = m[m.mun_code.str[:2] == state]
    return int(m.population.sum())


def test_since_then_numbers_equal_a_direct_computation():
    n = M.numbers()
    f = _files(["19039"])
    pop = _census(["19039"])
    assert (n["st_mty_n_2024"], n["st_mty_n_2025"]) == (f[2024], f[2025])
    assert n["st_mty_rate"] == pytest.approx((f[2024] + f[2025]) / (pop * 18 / 12) * 1e5)
    assert n["st_mty_rate_2024"] == pytest.approx(f[2024] / pop * 1e5)
    assert n["st_mty_rate_2025"] == pytest.approx(f[2025] / (pop / 2) * 1e5)
    lo, hi = stats.poisson_ci([f[2024] + f[2025]])
    assert (n["st_mty_low"], n["st_mty_high"]) == pytest.approx((lo[0] / (pop * 1.5) * 1e5, hi[0] / (pop * 1.5) * 1e5))
    # the comparison sets, pooled: their files over their census population
    other = M.metro_codes(include_case=False)
    fo, po = _files(other), _census(other)
    assert n["st_other_rate"] == pytest.approx(fo.sum() / (po * 1.5) * 1e5)
    fd, pd_ = _files(M.donor_codes()), _census(M.donor_codes())
    assert n["st_donor_rate"] == pytest.approx(fd.sum() / (pd_ * 1.5) * 1e5)
    ref = stats.rate_ratio(f.sum(), pop * 1.5, fo.sum(), po * 1.5)
    assert (n["st_rr_other"], n["st_rr_other_low"], n["st_rr_other_high"]) == pytest.approx(tuple(ref[:3]))
    # the state and the nation: their new-instrument homicide files (with feminicidio) from crime_state_annual
    a = load("crime_state_annual")
    a = a[(a.series == "sesnsp_new") & (a.unit == "incidents") & a.crime.isin(["homicidio_doloso", "feminicidio"])]
    nl = a[a.state_code == "19"].groupby("year")["value"].sum()
    nat = a[a.state_code == "00"].groupby("year")["value"].sum()
    assert nl[2024] + nl[2025] == _files([c for c in load("incidents_municipal_monthly").mun_code.unique()
                                          if c.startswith("19")]).sum()
    assert n["st_nl_rate"] == pytest.approx((nl[2024] + nl[2025]) / (_census(state="19") * 1.5) * 1e5)
    assert n["st_nl_rate_2024"] == pytest.approx(nl[2024] / _census(state="19") * 1e5)
    assert n["st_nat_rate"] == pytest.approx((nat[2024] + nat[2025]) / (_census() * 1.5) * 1e5)
    assert (n["st_nl_files_2022"], n["st_nl_files_2024"], n["st_nl_files_2025"]) == (nl[2022], nl[2024], nl[2025])
    assert n["st_nl_files_peak_year"] == int(nl.loc[2015:2024].idxmax())
    h = load("homicides_state_annual").query("state_code == '19' and year_basis == 'occurrence'").set_index("year")
    per_death = nl.reindex(h.index).loc[2015:] / h.homicides.loc[2015:]
    assert n["st_overlap_last"] == int(h.index.max()) and n["st_nl_deaths_last"] == h.homicides.iloc[-1]
    assert (n["st_nl_fpd_min"], n["st_nl_fpd_max"]) == pytest.approx((per_death.min(), per_death.max()))


def test_since_then_metro_levels_and_the_prose():
    n = M.numbers()
    d = M.since_then()
    metro = d[(d.group == "Metro municipality") & (d.year == 0)]
    assert list(metro.metro_rank) == list(range(1, 10))           # most to least marginalised
    for code in M.metro_codes():
        row = metro[metro.mun_code == code].iloc[0]
        assert row["count"] == _files([code]).sum()
        assert row["rate"] == pytest.approx(row["count"] / (_census([code]) * 1.5) * 1e5)
    assert n["st_top_rate"] == metro.rate.max() and n["st_low_rate"] == metro.rate.min()
    # what the chapter says in words
    assert n["st_mty_rate"] < n["mty_rate_2021"] and n["st_mty_vs_0006"] > 1
    assert n["st_rr_other_low"] < 1 < n["st_rr_other_high"]                        # close to the other eight
    assert n["st_rho_marg"] > 0 and n["st_rho_marg_low"] < 0 < n["st_rho_marg_high"]  # suggestive, not established
    top2 = metro.nlargest(2, "rate")
    assert sorted(top2.metro_rank) == [1, 2] and n["st_top2_areas"] == " and ".join(top2.area)
    assert n["st_nl_rate_2025"] < n["st_nl_rate_2024"] and n["st_mty_rate_2025"] < n["st_mty_rate_2024"]
    assert 0.9 < n["st_nl_fpd_min"] <= n["st_nl_fpd_max"] < 1.1                       # "close company"


def test_since_then_charts_keep_files_apart_from_deaths():
    spec = M.chart_since_then_state().to_dict()
    data = [r for v in spec["datasets"].values() for r in v]
    assert {r["series"] for r in data} == {"inegi_deaths", "sesnsp_new_incidents", "sesnsp_new_victims"}
    assert all(r["year"] >= 2015 for r in data)
    desc = _desc("chart_since_then")
    mty = M.since_then().query("area == 'Monterrey'").set_index("year")["rate"]
    assert f"Monterrey has {mty[0]:.1f} ({mty[2024]:.1f} in 2024, {mty[2025]:.1f} in the first half" in desc



def test_its_break_scan_refits_at_every_month():
    """The scan refits the main ITS at each month; its governor row equals the main run."""
    t = M.its_scan()
    assert len(t) == 72 and t["governor"].sum() == 1
    main = M.its_table().iloc[0]
    gov = t[t.governor].iloc[0]
    assert (gov.level, gov.p_level) == pytest.approx((main.level, main.p_level))
    n = M.numbers()
    assert n["its_scan_sig_pct"] == pytest.approx(100 * (t.p_level < 0.05).mean())


def test_the_clean_pool_drops_the_donors_with_police_takeovers():
    from enclaves.cases import generic

    cf = M.counterfactual()
    took = set(cf.donors) & generic.event_codes(2015, generic.TAKEOVER)
    assert set(M.takeover_donors()) == took and {"30193", "05035"} <= took
    clean = cf.variants["no_takeovers"]
    assert set(clean.weights.index) == set(cf.donors) - took
    n = M.numbers()
    assert n["sc_clean_att"] == pytest.approx(clean.att)
    assert n["sc_to_weight"] == pytest.approx(cf.main.weights.reindex(sorted(took)).fillna(0).sum())


# --- what researchers found ---------------------------------------------------------------------


def test_published_nuevo_leon_counts_are_two_instruments_and_the_deaths_fall_as_much():
    from enclaves.cases.monterrey import research as R

    n = R.numbers()
    c = load("crime_state_annual")
    c = c[(c.state_code == "19") & (c.crime == "homicidio_doloso")]
    old = c[(c.series == "sesnsp_old") & (c.unit == "incidents") & (c.year == 2011)].value.sum()
    assert n["res_old_files_2011"] == old == n["pub_isc_nl_2011"]
    assert n["res_new_files_2015"] == n["pub_isc_nl_2015"]
    h = load("homicides_state_annual")
    h = h[(h.state_code == "19") & (h.year_basis == "occurrence")].set_index("year").homicides
    assert n["res_deaths_fall_pct"] == pytest.approx(100 * (1 - h[2015] / h[2011]))
    assert n["res_deaths_fall_pct"] > n["pub_isc_drop_pct"]
    f = load("fasp_state_annual")
    fasp = float(f[(f.state_code == "19") & (f.year == 2011)].fasp_mxn_millions.iloc[0])
    assert n["res_cost_times_fasp"] == pytest.approx(n["res_cost_yearly_mxn_m"] / fasp)


# --- the comparative monthly design ------------------------------------------------------------


def test_comparative_design_is_a_two_way_poisson_fit_with_pearson_scale():
    import numpy as np
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from patsy.builtins import C  # noqa: F401,N806  (the formula's C)

    from enclaves.cases.monterrey import series as S

    d = S.comparative_panel().copy()
    assert d.groupby("mun_code").size().nunique() == 1 and not any(c.startswith("16") for c in d.mun_code)
    assert not set(d.mun_code) & set(S.takeover_donors())
    d["x"] = ((d.mun_code == M.CODE) & (d.period >= 201510)).astype(float)
    f = smf.glm("homicides ~ x + C(mun_code) + C(period)", d, family=sm.families.Poisson(),
                offset=np.log(d["exposure"])).fit(scale="X2")
    r = S.comparative_result()
    assert r["rr"] == pytest.approx(np.exp(f.params["x"]), rel=1e-8)
    assert (r["low"], r["high"]) == pytest.approx(tuple(np.exp(f.conf_int().loc["x"])), rel=1e-4)
    pl = r["placebos"]
    assert r["n_as_large"] == int((pl.beta.abs() >= abs(r["beta"])).sum())
    assert r["p_space"] == pytest.approx((r["n_as_large"] + 1) / (len(pl) + 1))
    assert M.comparative_table().count("\n") == len(pl) + 2
