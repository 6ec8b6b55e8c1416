"""Tests of enclaves.cases.nezahualcoyotl: values against the data, verdicts, charts, the model run."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gluecheck import unmade_keys

from enclaves import claims, models
from enclaves.cases import base
from enclaves.cases import nezahualcoyotl as nz
from enclaves.cases.nezahualcoyotl.case import FAMILY_LABELS
from enclaves.charts.theme import PARTY_COLORS
from enclaves.data import load

RING = ["15033", "15031", "15070", "15025", "15122", "15039", "15099"]
CDMX = ["09007", "09005", "09017", "09006"]


@pytest.fixture(scope="module")
def hom():
    return load("homicides_municipal_annual")


def test_comparison_groups_match_the_catalogue():
    g = nz.comparison()
    assert set(g.columns) == {"group", "mun_code", "reason"}
    assert not g.duplicated(["group", "mun_code"]).any()
    assert nz.members("east_ring") == RING and nz.members("cdmx_boroughs") == CDMX
    m = load("municipalities").set_index("mun_code")
    assert set(g["mun_code"]) <= set(m.index)
    names = {"15033": "Ecatepec de Morelos", "15031": "Chimalhuacán", "15070": "La Paz", "15025": "Chalco",
             "15122": "Valle de Chalco Solidaridad", "15039": "Ixtapaluca", "15099": "Texcoco",
             "09007": "Iztapalapa", "09005": "Gustavo A. Madero", "09017": "Venustiano Carranza",
             "09006": "Iztacalco", "15058": "Nezahualcóyotl"}
    for code, name in names.items():
        assert m.at[code, "mun_name"] == name
    assert all(g["reason"].str.len() > 20)


def test_donor_pool_in_mapping_follows_the_rule():
    g = nz.comparison()
    assert sorted(g.loc[g["group"] == "donor_pool", "mun_code"]) == nz.donor_pool()
    mg = load("marginalization_municipal").query("year == 2010").set_index("mun_code")
    pop = mg.at[nz.CODE, "population"]
    for c in nz.donor_pool():
        assert c[:2] in ("09", "15") and c != nz.CODE
        assert pop / nz.DONOR_FACTOR <= mg.at[c, "population"] <= pop * nz.DONOR_FACTOR
        assert mg.at[c, "degree"] in ("low", "very_low")


def test_pooled_rate_is_sum_of_homicides_over_sum_of_population(hom):
    g = nz.pooled_rates(RING, "ring").set_index("year")
    for y in (1995, 2005, 2016, 2021):
        d = hom[hom.mun_code.isin(RING) & (hom.year == y)]
        assert g.at[y, "homicides"] == d.homicides.sum()
        assert g.at[y, "homicide_rate"] == pytest.approx(d.homicides.sum() / d.population.sum() * 1e5)
    # the 1992 shuffle between Mexico City boroughs removes that year from the borough group only
    assert 1992 not in set(nz.pooled_rates(CDMX, "cdmx")["year"])
    assert 1992 in set(g.index)


def test_masks_drop_anomalous_single_municipality_years():
    d = nz.municipal_rates(["15122", "09007", nz.CODE])
    assert d[d.mun_code == "15122"]["year"].min() == 1995
    assert 1992 not in set(d[d.mun_code == "09007"]["year"])
    neza = d[d.mun_code == nz.CODE]
    assert len(neza) == 32
    assert (neza.rate_low < neza.homicide_rate).all() and (neza.rate_high > neza.homicide_rate).all()


def test_basis_change_and_state_rates():
    d = nz.comparison_rates()
    neza = d[d.area == nz.NAME].set_index("year")
    assert (neza.loc[:1999, "year_basis"] == "registration").all()
    assert (neza.loc[2000:, "year_basis"] == "occurrence").all()
    s = load("homicides_state_annual")
    v = s[(s.state_code == "15") & (s.year == 2010) & (s.year_basis == "occurrence")]["homicide_rate"].iloc[0]
    assert d[(d.area == nz.STATE_NAME) & (d.year == 2010)]["homicide_rate"].iloc[0] == pytest.approx(v)


def test_rate_ratio_interval_matches_binomial_test():
    from scipy import stats

    ring = nz.GROUP_LABELS["east_ring"]
    _, k1, n1 = nz.window_rate(nz.NAME, nz.ARTICLE_WINDOW)
    _, k0, n0 = nz.window_rate(ring, nz.ARTICLE_WINDOW)
    assert k1 == 537
    rr, lo, hi, _ = nz.window_ratio(nz.NAME, nz.ARTICLE_WINDOW, ring, nz.ARTICLE_WINDOW)
    ci = stats.binomtest(k1, k1 + k0).proportion_ci(method="exact")
    assert rr == pytest.approx((k1 / n1) / (k0 / n0))
    assert lo == pytest.approx(ci.low / (1 - ci.low) * n0 / n1, rel=1e-6)
    assert hi == pytest.approx(ci.high / (1 - ci.high) * n0 / n1, rel=1e-6)
    assert lo < rr < hi


def test_window_rate_equals_manual_pool(hom):
    rate, k, n = nz.window_rate(nz.GROUP_LABELS["east_ring"], (2015, 2017))
    d = hom[hom.mun_code.isin(RING) & hom.year.between(2015, 2017)]
    assert k == d.homicides.sum() and rate == pytest.approx(d.homicides.sum() / d.population.sum() * 1e5)


def test_sesnsp_rates_use_full_years_and_drop_never_recorded():
    a = nz.sesnsp_rates()
    assert set(a["year"]) <= set(range(2011, 2016))
    assert not ((a.area == "Gustavo A. Madero") & (a.crime == "secuestro")).any()
    c = load("crime_municipal_monthly")
    raw = c[(c.mun_code == nz.CODE) & (c.crime == "homicidio_doloso") & (c.year == 2013)]["value"].sum()
    row = a[(a.mun_code == nz.CODE) & (a.crime == "homicidio_doloso") & (a.year == 2013)]
    assert row["incidents"].iloc[0] == raw


def test_elections_and_governors():
    e = nz.elections()
    neza = e[e.mun_code == nz.CODE].set_index("year")
    assert neza.at[1996, "winner_family"] == "prd" and neza.at[2009, "winner_family"] == "pri"
    assert neza.at[2021, "winner"] == "pt-morena-pna"
    assert nz.governor_family(2015) == "pri" and nz.governor_family(2023) == "morena"


def test_terms_and_permutation_test():
    t = nz.neza_terms()
    assert t["has_data"].sum() == 10 and not t[t.election == 2021]["has_data"].iloc[0]
    r = t[t.election == 2012].iloc[0]
    assert (r["first"], r["last"]) == (2013, 2015)
    pt = nz.party_permutation_test()
    assert pt["n_arrangements"] == 120 and 0 < pt["p_value"] <= 1 and pt["min_p"] <= pt["p_value"]


def test_claim_n1_verdict_follows_thresholds():
    v = claims.evaluate("N1")
    assert v.verdict in claims.VERDICTS
    n = v.numbers
    past = n["n1_far_early"] and n["n1_far_peak"]
    neigh = [n["n1_far_ring"], n["n1_far_cdmx"]]
    expected = ("supported" if past and all(neigh) else "partly supported" if past or any(neigh)
                else "not supported")
    assert v.verdict == expected
    assert v.key_number == pytest.approx(n["n1_rr_ring"])
    rate, _, _ = nz.window_rate(nz.NAME, nz.ARTICLE_WINDOW)
    assert n["n1_neza_rate"] == pytest.approx(rate)


def test_claim_n2_verdict_follows_thresholds():
    v = claims.evaluate("N2")
    assert v.verdict in claims.VERDICTS
    e = load("elections_municipal")
    e = e[(e.mun_code == nz.CODE) & e.year.between(1990, 2015) & (e.outcome == "elected")]
    share = float((~e.winner_family.isin(["pri", "pan"])).mean())
    assert v.key_number == pytest.approx(share)
    third_at_article = e.sort_values("year").iloc[-1]["winner_family"] not in ("pri", "pan")
    ok = third_at_article and share >= 0.5 and v.numbers["n2_share_differs"] >= 0.5
    assert v.verdict == ("supported" if ok else "partly supported" if third_at_article else "not supported")


def test_synthetic_control_is_reproducible_and_sane():
    panel = nz.synth_panel()
    donors = nz.donor_pool()
    a = models.synthetic_control(panel, nz.CODE, nz.BREAK_YEAR, donors=donors)
    b = models.synthetic_control(panel, nz.CODE, nz.BREAK_YEAR, donors=donors)
    assert np.allclose(a.weights.values, b.weights.values)
    assert a.weights.sum() == pytest.approx(1) and (a.weights >= 0).all()
    assert a.pre_rmspe < 3 and a.att == pytest.approx(b.att)


def test_package_has_the_common_interface():
    assert base.check_package(nz) == []
    assert nz.CASE.slug == nz.SLUG == "nezahualcoyotl"
    assert (nz.CODE, nz.NAME, nz.BREAK_YEAR) == ("15058", "Nezahualcóyotl", nz.CASE.break_year) == (
        "15058", "Nezahualcóyotl", 2013)


def test_counterfactual_holds_the_main_fit_and_its_checks():
    cf = nz.counterfactual()
    assert cf is nz.counterfactual()  # cached
    assert cf.start == nz.BREAK_YEAR and cf.donors == nz.donor_pool()
    assert set(cf.main.weights.index) <= set(cf.donors) and len(cf.main.placebo) == len(cf.donors)
    s = cf.summary()
    assert s["att"] == pytest.approx(cf.main.att) and s["first_year"] == 2013 and s["donors"] == len(cf.main.weights)
    assert set(cf.variants) == {"no_neighbours", "pool_factor_4", "pool_factor_5"}
    nn = cf.variants["no_neighbours"]
    assert not set(nn.weights.index) & set(nz.neighbours()) and nn.p_value is not None
    assert cf.placebo_time is not None and cf.placebo_time.gap.index.max() == nz.BREAK_YEAR - 1
    lo = cf.leave_one_out
    assert list(lo.columns[:3]) == ["dropped", "att", "pre_rmspe"] and "dropped_name" in lo
    assert len(lo) == 6 and lo.loc[0, "att"] == pytest.approx(cf.main.att)


def test_numbers_are_plain_and_cover_every_glued_key():
    d = nz.numbers()
    assert all(type(v) in (int, float, str) for v in d.values())  # no bool: the n1_far_* flags are not glued
    assert not any(k.startswith("n1_far_") for k in d)
    assert 0 < d["sc_p"] <= 1 and d["sc_donors"] == len(nz.donor_pool())
    assert d["sc_att"] == pytest.approx(nz.counterfactual().main.att) and d["sc_att_abs"] == -d["sc_att"]
    chapter = (Path(__file__).resolve().parents[1] / "book" / "cases" / "nezahualcoyotl.md").read_text("utf-8")
    used = set(re.findall(r"\{glue:[a-z]+\}`([A-Za-z0-9_]+)", chapter))
    assert used and used <= set(d), sorted(used - set(d))
    v = claims.evaluate("N1")
    assert (d["n1_verdict"], d["n1_key_label"], d["n1_evidence"]) == (v.verdict, v.key_label, v.evidence)


def test_numbers_keys_are_written_literally():
    assert unmade_keys("nezahualcoyotl", nz.numbers()) == []


CHARTS = ["chart_locator", "chart_timeline", "chart_before", "chart_parties", "chart_monthly_break", "chart_neighbours",
          "chart_monthly_dropdown", "chart_sesnsp", "chart_envipe", "chart_terms", "chart_synth", "chart_placebo",
          "chart_ratio", "chart_since_then", "chart_since_then_state"]


def test_charts_are_listed_in_chapter_order():
    assert [c.__name__ for c in nz.CHARTS] == CHARTS
    chapter = (Path(__file__).resolve().parents[1] / "book" / "cases" / "nezahualcoyotl.md").read_text("utf-8")
    assert re.findall(r"^neza\.(chart_[a-z_]+)\(\)$", chapter, re.M) == CHARTS


def test_party_charts_take_the_book_colours():
    labels = {v: k for k, v in FAMILY_LABELS.items()}
    for chart in (nz.chart_parties, nz.chart_terms):
        scale = chart().to_dict()["layer"][0]["encoding"]["color"]["scale"]
        assert scale["range"] == [PARTY_COLORS[labels[lab]] for lab in scale["domain"]]
    assert nz.chart_parties().to_dict()["layer"][0]["encoding"]["color"]["scale"]["domain"] == [
        "PRI", "PAN", "PRD", "MORENA", "Other party"]


@pytest.mark.parametrize("name", CHARTS)
def test_charts_have_title_description_and_tooltips(name):
    spec = getattr(nz, name)().to_dict()
    title = spec["title"]
    assert (title["text"] if isinstance(title, dict) else title)
    assert len(spec["description"]) > 80
    text = str(spec)
    assert "tooltip" in text and "title" in text
    rows = sum(len(v) for v in spec.get("datasets", {}).values())
    assert rows < 2000, f"{name}: {rows} rows"


def test_interactive_charts_bind_inputs():
    spec = str(nz.chart_monthly_dropdown().to_dict())
    assert "pick_neighbour" in spec and "select" in spec
    assert "legend" in str(nz.chart_neighbours().to_dict())


def test_monthly_rolling_matches_counts():
    m = load("homicides_municipal_monthly")
    neza = m[(m.mun_code == nz.CODE) & (m.year == 2014)]["homicides"].sum()
    r = nz.monthly_rolling()
    row = r[(r.mun_code == nz.CODE) & (r.t == 2015.0)]
    assert row["roll12"].iloc[0] == neza
    assert isinstance(r, pd.DataFrame) and r["area"].nunique() == 12


# --- chart descriptions: their figures are the data's --------------------------------------------

def _desc(name: str) -> str:
    return getattr(nz, name)().to_dict()["description"]


def _pooled(hom, codes, years=None) -> pd.Series:
    """Pooled rate per 100,000 by year (or over ``years``), leaving out the masked municipality-years."""
    h = hom[hom.mun_code.isin(codes)]
    h = h[~((h.mun_code.str.startswith("09") & (h.year == 1992)) | ((h.mun_code == "15122") & (h.year < 1995)))]
    if years is not None:
        h = h[h.year.isin(years)]
        return h.homicides.sum() / h.population.sum() * 1e5
    g = h.groupby("year")[["homicides", "population"]].sum()
    return (g.homicides / g.population * 1e5).astype(float)


def test_timeline_description_gives_nezas_rates(hom):
    r = _pooled(hom, [nz.CODE])
    low = int(r.loc[:nz.BREAK_YEAR - 1].idxmin())
    peak = r.loc[nz.PEAK_WINDOW[0]:nz.PEAK_WINDOW[1]]
    desc = _desc("chart_timeline")
    assert f"falls from {r[1990]:.0f} in 1990 to a low of {r[low]:.0f} in {low}" in desc
    assert f"rises to between {peak.min():.0f} and {peak.max():.0f} in 2011-2013" in desc
    assert f"drops to {r[2014]:.0f} in 2014 and ends at {r[2021]:.0f} in 2021" in desc


def test_monthly_descriptions_give_the_counts(hom):
    m = load("homicides_municipal_monthly").sort_values(["mun_code", "year", "month"])
    neza = m[m.mun_code == nz.CODE]
    desc = _desc("chart_monthly_break")
    assert f"average {neza[neza.year.between(2011, 2013)].homicides.mean():.0f} a month in 2011-2013" in desc
    assert f"and {neza[neza.year.between(2014, 2016)].homicides.mean():.0f} a month in 2014-2016" in desc
    assert "centred 12-month mean" in desc and "rolling 12-month" in _desc("chart_monthly_dropdown")

    def rolling_rate(code):
        x = m[m.mun_code == code].copy()
        x["roll"] = x.homicides.rolling(12).sum()
        x = x[x.month.isin([3, 6, 9, 12]) & x.roll.notna()].merge(hom[["mun_code", "year", "population"]])
        return (x.set_index(["year", "month"]).roll / x.set_index(["year", "month"]).population).astype(float)

    ecatepec, neza_rate = rolling_rate("15033"), rolling_rate(nz.CODE)
    both = pd.concat([ecatepec, neza_rate], axis=1, keys=["e", "n"]).dropna()
    assert f"above Neza's in {(both.e > both.n).sum()} of the {len(both)} quarters" in _desc("chart_monthly_dropdown")


def test_sesnsp_description_counts_the_cities_and_gives_vehicle_theft(hom):
    c = load("crime_municipal_monthly")
    v = c[(c.mun_code == nz.CODE) & (c.crime == "robo_vehiculo_con_violencia")].groupby("year")["value"].sum()
    pop = hom[hom.mun_code == nz.CODE].set_index("year")["population"]
    desc = _desc("chart_sesnsp")
    assert f"SESNSP's {c.mun_code.nunique()}-city series" in desc
    rate = v / pop.reindex(v.index) * 1e5
    assert f"from {rate[2013]:.0f} per 100,000 that year to {rate[2015]:.0f} in 2015" in desc


def test_terms_description_names_the_terms_not_below_one(hom):
    t = nz.neza_terms()
    t = t[t.has_data]
    above = []
    for r in t.itertuples():
        years = range(r.first, r.last + 1)
        if _pooled(hom, [nz.CODE], years) >= _pooled(hom, RING, years):
            above.append(f"{r.term}, {r.family}")
    desc = _desc("chart_terms")
    if not above:
        assert f"All {len(t)} terms are below one." in desc
    elif len(above) == 1:
        assert f"All terms but one ({above[0]}) are below one." in desc
    else:
        assert f"{len(t) - len(above)} of the {len(t)} terms are below one" in desc and all(a in desc for a in above)
    assert "reference line at one" in desc


def test_ratio_description_gives_the_years_at_or_above_one(hom):
    from enclaves.charts import year_spans

    neza = _pooled(hom, [nz.CODE])
    desc = _desc("chart_ratio")
    for codes, whom in ((RING, "eastern ring"), (CDMX, "Mexico City boroughs")):
        rr = (neza / _pooled(hom, codes)).dropna()
        above = rr[rr >= 1].index
        assert (f"The ratio to the {whom} is below one in {len(rr) - len(above)} of {len(rr)} years; it is one or "
                f"above in {year_spans(above)}.") in desc, whom


# --- since then: investigation files 2024 - June 2025 ----------------------------------------------

def _files(codes) -> pd.Series:
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


def _state_files(state) -> pd.Series:
    a = load("crime_state_annual")
    a = a[(a.series == "sesnsp_new") & (a.unit == "incidents") & a.crime.isin(["homicidio_doloso", "feminicidio"])
          & (a.state_code == state)]
    return a.groupby("year")["value"].sum()


def test_since_then_numbers_equal_a_direct_computation():
    from enclaves import stats

    d = nz.numbers()
    f, pop = _files(["15058"]), _census(["15058"])
    assert (d["st_neza_n_2024"], d["st_neza_n_2025"]) == (f[2024], f[2025])
    assert d["st_neza_rate"] == pytest.approx(f.sum() / (pop * 1.5) * 1e5)
    assert d["st_neza_rate_2024"] == pytest.approx(f[2024] / pop * 1e5)
    assert d["st_neza_rate_2025"] == pytest.approx(f[2025] / (pop / 2) * 1e5)
    lo, hi = stats.poisson_ci([f.sum()])
    py = pop * 1.5
    assert (d["st_neza_low"], d["st_neza_high"]) == pytest.approx((lo[0] / py * 1e5, hi[0] / py * 1e5))
    for key, codes in (("ring", RING), ("cdmx", CDMX)):
        g, p = _files(codes), _census(codes)
        assert d[f"st_{key}_rate"] == pytest.approx(g.sum() / (p * 1.5) * 1e5)
        ref = stats.rate_ratio(f.sum(), pop * 1.5, g.sum(), p * 1.5)
        assert (d[f"st_rr_{key}"], d[f"st_rr_{key}_low"], d[f"st_rr_{key}_high"]) == pytest.approx(tuple(ref[:3]))
    # the states and the nation: new-instrument homicide files (with feminicidio) from crime_state_annual
    em, cd, nat = _state_files("15"), _state_files("09"), _state_files("00")
    muni = load("incidents_municipal_monthly").mun_code.unique()
    assert em[2024] + em[2025] == _files([c for c in muni if c.startswith("15")]).sum()
    assert d["st_edomex_rate"] == pytest.approx((em[2024] + em[2025]) / (_census(state="15") * 1.5) * 1e5)
    assert d["st_cdmx_city_rate"] == pytest.approx((cd[2024] + cd[2025]) / (_census(state="09") * 1.5) * 1e5)
    assert d["st_nat_rate"] == pytest.approx((nat[2024] + nat[2025]) / (_census() * 1.5) * 1e5)
    assert (d["st_edomex_files_2022"], d["st_edomex_files_2024"], d["st_edomex_files_2025"]) == (
        em[2022], em[2024], em[2025])
    h = load("homicides_state_annual").query("year_basis == 'occurrence'")
    for key, state, files in (("edomex", "15", em), ("cdmx", "09", cd)):
        deaths = h[h.state_code == state].set_index("year").homicides.loc[2015:]
        per = files.reindex(deaths.index) / deaths
        assert (d[f"st_{key}_fpd_min"], d[f"st_{key}_fpd_max"]) == pytest.approx((per.min(), per.max()))
    assert d["st_overlap_last"] == 2022 and d["st_edomex_deaths_last"] == h.query("state_code == '15'").set_index(
        "year").homicides[2022]


def test_since_then_neighbours_and_the_prose():
    d = nz.numbers()
    s = nz.since_then()
    one = s[(s.group == "One neighbour") & (s.year == 0)]
    assert set(one.mun_code) == set(RING + CDMX) and d["st_n_neighbours"] == len(one)
    for code in RING + CDMX:
        row = one[one.mun_code == code].iloc[0]
        assert row["count"] == _files([code]).sum()
    # what the chapter says in words
    lower = one[one.rate < d["st_neza_rate"]]
    assert len(lower) == 1 and d["st_neighbours_lower_names"] == lower.area.iloc[0]   # "only X"
    em = _state_files("15").loc[2015:2024]
    assert d["st_edomex_files_min_year"] == int(em.idxmin()) == 2024                 # "the fewest in any full year"
    assert d["st_rr_ring_low"] <= d["rr_ring_latest"] <= d["st_rr_ring_high"]          # "much the same ratio"
    assert d["st_rr_ring_high"] < 1 and d["st_edomex_fpd_max"] < d["st_cdmx_fpd_max"]
    rule = nz.case.FAR_SAFER_RR
    for key in ("ring", "cdmx"):
        meets = d[f"st_rr_{key}"] <= rule and d[f"st_rr_{key}_high"] < 1
        assert d[f"st_far_{key}"] == ("meets" if meets else "does not meet")


def test_since_then_charts_keep_files_apart_from_deaths():
    spec = nz.chart_since_then_state().to_dict()
    data = [r for v in spec["datasets"].values() for r in v]
    assert {r["series"] for r in data} == {"inegi_deaths", "sesnsp_new_incidents", "sesnsp_new_victims"}
    assert len({r["line"] for r in data}) == 6 and all(r["year"] >= 2015 for r in data)
    desc = _desc("chart_since_then")
    r = nz.since_then().query("area == 'Nezahualcóyotl'").set_index("year")["rate"]
    assert f"Neza has {r[0]:.1f} ({r[2024]:.1f} in 2024, {r[2025]:.1f} in the first half" in desc



def test_files_and_deaths_side_by_side_and_n1_threshold_sensitivity():
    from enclaves import claims
    from enclaves.cases.nezahualcoyotl import claims as nc

    fd = nz.files_and_deaths().set_index("year")
    assert list(fd.index) == [2013, 2014, 2015]
    assert fd.loc[2015, "files"] > fd.loc[2015, "deaths"] and fd.loc[2013, "files"] < fd.loc[2013, "deaths"]
    sens = dict(nc.n1_sensitivity())
    assert sens[nz.FAR_SAFER_RR] == claims.evaluate("N1").verdict
    # a stricter rule can only keep or lower the verdict
    order = {"not supported": 0, "partly supported": 1, "supported": 2}
    levels = [order[v] for _, v in sorted(sens.items())]
    assert levels == sorted(levels)


# --- dating the reform, and what researchers found ------------------------------------------------------


def test_dating_windows_are_neza_over_the_eastern_ring_from_the_deaths():
    from enclaves.cases.nezahualcoyotl import research as R
    from enclaves.cases.nezahualcoyotl import series as S

    d = S.comparison_rates()
    t = R.dating_table().set_index("years")
    for label, (a, b) in R.DATING_WINDOWS.items():
        nz = d[(d.area == "Nezahualcóyotl") & d.year.between(a, b)]
        ring = d[(d.area == "Eastern ring (pooled)") & d.year.between(a, b)]
        want = (nz.homicides.sum() / nz.population.sum()) / (ring.homicides.sum() / ring.population.sum())
        assert t.loc[f"{a}–{b}", "ratio"] == pytest.approx(want), label
    n = R.numbers()
    six = d[(d.area == "Nezahualcóyotl") & d.year.between(2013, 2018)]
    assert n["res_deaths_2013_2018"] == int(six.homicides.sum())
    assert n["pub_me_fall_pct"] == 12.5 and n["pub_hope_reports"] == 805


def test_neza_timeline_is_dated_and_sourced():
    from enclaves.cases import generic

    t = generic.timeline("nezahualcoyotl")
    assert t["x"].is_monotonic_increasing and len(t) >= 8
    assert {"2003", "2013"} <= set(t["date"])
    assert nz.timeline_markdown().count("{cite:p}") == len(t)


def test_n1_table_shows_the_evaluators_four_comparisons():
    v = claims.evaluate("N1").numbers
    md = nz.n1_table()
    rows = md.splitlines()[2:]
    assert len(rows) == 4
    for row, k in zip(rows, ("early", "peak", "ring", "cdmx"), strict=True):
        assert f"| {v[f'n1_rr_{k}']:.2f} |" in row and row.endswith("yes |" if v[f"n1_far_{k}"] else "no |")
