"""The cross-case package: panels built right from the processed tables, timing rules, the X1
evaluator's thresholds, charts fit for the book, glued values whose keys are written literally.

Only what does not need the three case packages is tested here; the cases side by side (the ``cmp_*``
values, which read each case's counterfactual) are tested in test_case_compare.py."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from enclaves import claims, stats
from enclaves.cases import base
from enclaves.cases import cross_case as cc
from enclaves.charts.theme import PARTY_COLORS
from enclaves.data import load

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "book" / "analysis" / "cross_case.md"
NUMBERS = ROOT / "src" / "enclaves" / "cases" / "cross_case" / "numbers.py"


def _module(name: str):
    return importlib.import_module(f"enclaves.cases.cross_case.{name}")


# ---------------------------------------------------------------------------------------- package
def test_package_has_the_shape_of_a_case_without_record_or_counterfactual():
    for sub in base.MODULES:
        _module(sub)
    assert cc.SLUG == "cross_case"
    assert callable(cc.numbers) and callable(cc.tables)
    assert cc.CHARTS and all(callable(c) for c in cc.CHARTS)
    assert not hasattr(cc, "CASE") and not hasattr(cc, "counterfactual")


# ------------------------------------------------------------------------------------ state panel
def test_state_panel_shape_and_rates():
    d = cc.state_panel()
    assert len(d) == 32 * (cc.LAST_YEAR - cc.FIRST_YEAR + 1)
    assert not d.duplicated(["state_code", "year"]).any()
    h = load("homicides_state_annual")
    h = h[(h.year_basis == "occurrence") & (h.state_code == "16") & (h.year == 2015)]
    row = d[(d.state_code == "16") & (d.year == 2015)].iloc[0]
    assert row.homicide_rate == pytest.approx(float(h.homicide_rate.iloc[0]))
    assert row.homicide_rate == pytest.approx(row.homicides / row.population * 1e5, rel=1e-3)


def test_envipe_keeps_its_year_convention():
    """Dark figure: year = year of the crimes (edition - 1); insecurity: year = edition."""
    d = cc.state_panel()
    e = load("envipe_state")
    cn = e[(e.indicator == "cifra_negra_pct") & (e.state_code == "19") & (e.edition == 2016)].iloc[0]
    assert int(cn.year) == 2015
    assert d[(d.state_code == "19") & (d.year == 2015)].cifra_negra_pct.iloc[0] == pytest.approx(cn.value)
    ins = e[(e.indicator == "insecurity_api") & (e.state_code == "19") & (e.edition == 2016)].iloc[0]
    assert int(ins.year) == 2016
    assert d[(d.state_code == "19") & (d.year == 2016)].insecurity_api.iloc[0] == pytest.approx(ins.value)


def test_lags_are_previous_calendar_year():
    d = cc.state_panel().set_index(["state_code", "year"])
    assert d.loc[("08", 2011), "homicide_rate_lag1"] == pytest.approx(d.loc[("08", 2010), "homicide_rate"])
    assert d.loc[("08", 2013), "cifra_negra_pct_lag2"] == pytest.approx(d.loc[("08", 2011), "cifra_negra_pct"])
    assert np.isnan(d.loc[("08", 2011), "cifra_negra_pct_lag1"])  # no ENVIPE crime year 2010


def test_governor_first_full_year_and_alternation():
    g = cc.governor_years().set_index(["state_code", "year"])
    # Nuevo León: Rodríguez (independent) elected in 2015, first full year 2016
    assert g.loc[("19", 2015), "gov_family"] == "pri"
    assert g.loc[("19", 2016), "gov_family"] == "other"
    assert g.loc[("19", 2016), "gov_alternation"] == 1
    assert g.loc[("19", 2012), "gov_alternation"] == 0  # PRI after PRI
    # Michoacán: PRI (elected 2011) after PRD
    assert g.loc[("16", 2012), "gov_family"] == "pri" and g.loc[("16", 2012), "gov_alternation"] == 1
    # Estado de México: PRI throughout, never alternated by 2022
    assert g.loc[("15", 2022), "gov_ever_alternated"] == 0


def test_alternation_is_derived_from_consecutive_winners():
    gov = load("governors").sort_values(["state_code", "start_year"])
    g = cc.governor_years()
    first_years = g[g.year == g.gov_start_year + 1]
    for r in first_years.sample(20, random_state=0).itertuples():
        rows = gov[gov.state_code == r.state_code].reset_index(drop=True)
        i = rows.index[rows.start_year == r.gov_start_year][-1]
        if i == 0:
            assert np.isnan(r.gov_alternation)
        else:
            assert r.gov_alternation == float(rows.party_family[i] != rows.party_family[i - 1])


# -------------------------------------------------------------------------------- municipal panel
def test_town_hall_in_year_t_is_last_election_before_t():
    d = cc.municipal_panel().set_index(["mun_code", "year"])
    p = load("party_control_municipal")
    neza = p[p.mun_code == "15058"].set_index("year")
    assert d.loc[("15058", 2010), "family"] == neza.loc[2009, "winner_family"]  # elected 2009
    assert d.loc[("15058", 2009), "family"] == neza.loc[2006, "winner_family"]  # election year: old hall
    assert d.loc[("15058", 2013), "elec_year"] == 2012


def test_municipal_alternation_and_opposition():
    t = cc.municipal_terms()
    neza = t[t.mun_code == "15058"].set_index("year")
    assert neza.loc[2009, "alternation"] == 1 and neza.loc[2006, "alternation"] == 0
    # 2018: a PAN-led coalition that includes the PRD after a PRD win: a change of leading family,
    # but not a strict alternation
    assert neza.loc[2018, "alternation"] == 1 and neza.loc[2018, "alternation_strict"] == 0
    d = cc.municipal_panel()
    r = d[(d.mun_code == "15058") & (d.year == 2014)].iloc[0]
    assert r.opp_governor == float(r.family != r.gov_family)


def test_election_windows_changes():
    e = cc.election_windows()
    r = e.iloc[0]
    assert r.later_change == pytest.approx(np.mean([r["k_1"], r["k_2"], r["k_3"]]) -
                                           np.mean([r["k_-2"], r["k_-1"], r["k_0"]]))
    assert e.elec_year.between(*cc.ELECTION_YEARS).all()
    h = cc.municipal_panel().set_index(["mun_code", "year"])
    assert r["k_1"] == pytest.approx(h.loc[(r.mun_code, int(r.elec_year) + 1), "homicide_rate"])


# -------------------------------------------------------------------------------------- models
def test_state_models_are_reproducible():
    a = cc.state_models().copy()
    cc.state_models.cache_clear()
    b = cc.state_models()
    pd.testing.assert_frame_equal(a, b)


def test_main_models_cluster_by_state():
    t = cc.state_models()
    without = t.spec == cc.SPECS[2]
    assert (t.loc[~without, "n_clusters"] == 32).all()
    assert (t.loc[without, "n_clusters"] == 32 - cc.N_MOST_VIOLENT).all()
    assert set(t.spec) == set(cc.SPECS)


def test_within_signal_separates_noise_from_persistent_series():
    null = cc.signal_test("cifra_negra_pct")
    assert cc.within_signal("homicide_rate") > null["null_q95"]
    assert cc.within_signal("insecurity_api") > null["null_q95"]


def test_between_correlation_matches_numpy():
    b = cc.between_states()
    r = cc.between_correlations("log").set_index("measure")
    expected = np.corrcoef(b.cifra_negra_pct, np.log(b.rate_later))[0, 1]
    assert r.loc["cifra_negra_pct", "r"] == pytest.approx(expected)
    assert (r.r_low < r.r).all() and (r.r < r.r_high).all()


def test_wjp_correlations_come_from_the_derived_table():
    """The WJP rows of the between-state table are the pipeline's published statistics, not a computation on
    scores (which the book does not publish); the chart shows them all, with no score."""
    w = cc.wjp_associations()
    for scale in ("log", "rate", "rank"):
        r = cc.between_correlations(scale).set_index("measure").loc["wjp_2019"]
        row = w[(w.analysis == "level") & (w.edition == 2019) & (w.scale == scale)].iloc[0]
        assert (r.r, r.r_low, r.r_high, r.n) == (row.r, row.r_low, row.r_high, row.n)
    assert not any(c.startswith("wjp") for c in cc.between_states().columns)
    spec = cc.chart_wjp().to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == len(w) and not {"score", "rank"} & set(rows[0])
    assert "WJP" not in " ".join(cc.between_long()["measure"].unique())


# -------------------------------------------------------------------------------------- verdict
def _table(*directions, within_for=False):
    fam = ["Within states" if within_for and i == 0 else "Across states" for i in range(len(directions))]
    return pd.DataFrame({"family": fam, "direction": list(directions)})


@pytest.mark.parametrize("table,expected", [
    (_table("uninformative", "uninformative"), "cannot be tested with these data"),
    (_table("against", "uninformative"), "not supported"),
    (_table("for", "against"), "partly supported"),
    (_table("for", within_for=True), "supported"),
    (_table("for", "against", within_for=True), "partly supported"),
    (_table("for", "uninformative"), "partly supported"),
])
def test_verdict_rules(table, expected):
    assert cc.verdict_from(table) == expected


def test_signal_null_is_negative_and_matches_theory():
    """Two-way demeaned noise correlates with its lag at about -1/(T-1) (T = 12 survey years), not 0; the
    simulated null reproduces that, and the dark figure clears it while the authorities' share does not."""
    s = cc.signal_test("cifra_negra_pct")
    assert s["null_mean"] == pytest.approx(-1 / (s["years"] - 1), abs=0.02)
    assert s["null_q95"] < 0.05
    assert s["p"] < 0.05 and cc.signal_test("authority_causes_pct")["p"] > 0.05


def test_evidence_table_rules_and_holm():
    e = cc.evidence_table("log")
    assert set(e.family) == {"Across states", "Within states", "Close elections"}
    assert (e.p_holm >= e.p - 1e-12).all()
    for r in e.itertuples():
        lo, hi = (r.low, r.high) if r.sign > 0 else (-r.high, -r.low)
        if r.direction == "for":
            assert lo > 0 and r.p_holm < 0.05
        if r.direction == "against":
            assert hi < r.bar
    late = cc.later_correlations("log").set_index("measure")
    d = cc.state_panel()
    hom = d[d.year.between(2017, 2022)].groupby("state_code").homicide_rate.mean()
    x = d[d.year.between(2011, 2016)].groupby("state_code").cifra_negra_pct.mean().reindex(hom.index)
    assert late.r["cifra_negra_pct"] == pytest.approx(np.corrcoef(x, np.log(hom))[0, 1])


def test_x1_evaluator_returns_its_numbers():
    v = claims.evaluate("X1")
    assert v.claim_id == "X1" and v.verdict in claims.VERDICTS
    e = cc.evidence_table(cc.MAIN_SCALE)
    assert v.key_number == (e.direction == "for").sum()
    assert v.numbers["n_tests"] == len(e) and v.numbers["n_against"] == (e.direction == "against").sum()
    assert v.verdict == cc.verdict_from(e) == v.numbers["verdict_log"]
    assert all(isinstance(x, float | int | str) for x in v.numbers.values())


def test_ledger_lists_x1_with_a_verdict():
    led = claims.ledger().set_index("id")
    assert led.loc["X1", "verdict"] in claims.VERDICTS
    assert led.loc["X1", "section"] == "cross-case-verdict"


# --------------------------------------------------------------------------------------- charts
CHARTS = [c.__name__ for c in cc.CHARTS]


def _code_cells(text: str) -> list[str]:
    return re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, re.S)


def test_charts_are_listed_in_chapter_order():
    calls = [m for cell in _code_cells(CHAPTER.read_text(encoding="utf-8"))
             for m in re.findall(r"^cc\.(chart_\w+)\(\)$", cell, re.M)]
    assert calls == CHARTS


def test_governors_chart_takes_party_colours_from_the_theme():
    scale = cc.chart_governors().to_dict()["layer"][0]["encoding"]["color"]["scale"]
    names = _module("case").FAMILY_NAMES
    assert scale["domain"] == list(names.values()) and names["other"] == "Other or independent"
    assert scale["range"] == [PARTY_COLORS[f] for f in names]


@pytest.mark.parametrize("name", CHARTS)
def test_charts_have_title_description_and_small_data(name):
    spec = getattr(cc, name)().to_dict()
    assert spec.get("title") and len(spec.get("description", "")) > 60
    rows = sum(len(v) for v in spec.get("datasets", {}).values())
    assert 0 < rows < 2000
    text = json.dumps(spec)
    assert '"tooltip"' in text


def _title_text(spec: dict) -> str:
    t = spec["title"]
    return t["text"] if isinstance(t, dict) else t


def test_state_charts_count_the_states_they_plot():
    h = load("homicides_state_annual")
    n = h.loc[h.state_code != "00", "state_code"].nunique()
    for name in ("chart_state_rates", "chart_between"):
        spec = getattr(cc, name)().to_dict()
        assert f"the {n} states" in _title_text(spec) and f" {n} states" in spec["description"], name
    spec = cc.chart_state_rates().to_dict()
    assert f"from {cc.FIRST_YEAR} to {cc.LAST_YEAR}" in spec["description"]


def test_envipe_chart_gives_the_usual_range_of_each_measure():
    e = load("envipe_state")
    e = e[e.indicator.isin(cc.ENVIPE)]
    desc = cc.chart_envipe_state().to_dict()["description"]
    assert f"from {e.year.min()} to {e.year.max()}" in desc
    states = e[e.state_code != "00"]
    for ind in cc.ENVIPE:
        lo, hi = states.loc[states.indicator == ind, "value"].quantile([0.1, 0.9])
        assert f"between {lo:.0f} and {hi:.0f} percent" in desc, ind
    assert "middle 80% of values" in desc


def test_some_charts_are_interactive_beyond_tooltips():
    interactive = 0
    for name in CHARTS:
        text = json.dumps(getattr(cc, name)().to_dict())
        interactive += ('"bind"' in text)
    assert interactive >= 3


# -------------------------------------------------------------------------------------- numbers
#: The parts of numbers() that do not need the case packages (cases_numbers reads their counterfactuals).
SECTIONS = ("verdict_numbers", "data_numbers", "between_numbers", "within_numbers", "municipal_numbers", "rd_numbers",
            "literature_numbers", "capacity_numbers")


@pytest.fixture(scope="module")
def glued():
    n = _module("numbers")
    parts = [getattr(n, s)() for s in SECTIONS]
    assert sum(len(p) for p in parts) == len({k for p in parts for k in p}), "a key is made twice"
    return {k: v for p in parts for k, v in p.items()}


def test_glued_values_are_plain_python(glued):
    from enclaves import values

    v = values.plain_dict(glued)
    assert all(type(x) in (int, float, str) for x in v.values()), [k for k, x in v.items()
                                                                   if type(x) not in (int, float, str)]
    assert v["xc_verdict"] == claims.evaluate("X1").verdict
    assert v["xc_level"] == 95 and v["xc_n_violent"] == cc.N_MOST_VIOLENT
    assert v["xc_fe_dark"] == pytest.approx(cc.model_row("cifra_negra_pct").per_step)
    assert v["xc_r_rank_wjp"] == pytest.approx(cc.between_correlations("rank").set_index("measure").r["wjp_2019"])
    assert v["xc_r_crit"] == pytest.approx(float(np.tanh(1.959963984540054 / np.sqrt(32 - 3))))


def test_every_glue_key_of_the_chapter_is_written_in_numbers_py(glued):
    text = CHAPTER.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:(?:text|md)\}`([a-z0-9_]+)", text)) | set(
        re.findall(r"```\{glue:md\} ([a-z0-9_]+)", text))
    assert used and used <= set(re.findall(r'"((?:xc|cmp)_[a-z0-9_]+)":', NUMBERS.read_text(encoding="utf-8")))
    assert {k for k in used if k.startswith("xc_")} <= set(glued)
    assert "cmp_table" in used and "glue(" not in "".join(_code_cells(text)[1:])


def test_correlation_interval_is_fishers():
    lo, hi = stats.correlation_ci(0.3, 32)
    z, se = np.arctanh(0.3), 1 / np.sqrt(29)
    assert (lo, hi) == pytest.approx((np.tanh(z - 1.959963984540054 * se), np.tanh(z + 1.959963984540054 * se)))
    rlo, rhi = stats.correlation_ci(0.3, 32, rank=True)
    assert rlo < lo and rhi > hi  # Spearman's rho: variance 1.06 / (n - 3)
    assert stats.correlation_ci(stats.smallest_clear_correlation(32), 32)[0] == pytest.approx(0, abs=1e-12)


def test_state_map_shows_the_between_state_averages_and_no_wjp_score():
    """The state map's values are the between-state comparison's averages (homicide first, the default), one per
    state and measure, and the rule-of-law score, which may not be republished, is not among them."""
    v = cc.state_map_values()
    b = cc.between_states().set_index("state_code")
    assert list(v["measure"].unique()) == list(cc.MAP_MEASURES.values())
    assert v.groupby("measure").size().eq(32).all()
    for key, label in cc.MAP_MEASURES.items():
        got = v[v.measure == label].set_index("state_code")["value"]
        assert got.to_dict() == pytest.approx(b[key].astype(float).to_dict())
    spec = cc.chart_state_map().to_dict()
    text = json.dumps(spec)
    assert "Homicides per 100,000" in text and "wjp" not in text.lower()


def test_close_election_numbers_come_from_the_published_designs():
    """The chapter's RD numbers are the rd_designs rows (rdrobust in the pipeline): primary estimates and
    Holm-adjusted p-values, Dell's window, the counts of checks that clear zero."""
    from enclaves.models import rd

    n = _module("numbers").rd_numbers()
    t = rd.results()
    p = t[t.spec == rd.PRIMARY].set_index("design")
    assert n["xc_rd_gov"] == pytest.approx(p.loc["governor", "estimate"])
    assert n["xc_rd_inc_low"] == pytest.approx(p.loc["incumbent_defeat", "ci_low"])
    assert n["xc_rd_min_holm"] == pytest.approx(p.p_holm.min()) and n["xc_rd_min_holm"] >= p.p_value.min()
    assert n["xc_rd_n_clear"] == int(((p.ci_low > 0) | (p.ci_high < 0)).sum())
    pl = t[t.spec.str.startswith("placebo")]
    assert n["xc_rd_placebo_n"] == len(pl) == len(rd.DESIGNS) * len(rd.PLACEBO_CUTOFFS)
    d = rd.sample("neighbours")
    left = d[(d.m_neighbours < 0) & (d.m_neighbours > -p.loc["neighbours", "h_left"])].rate_after.mean()
    assert n["xc_rd_nb_pct"] == pytest.approx(100 * p.loc["neighbours", "estimate"] / left)


def test_capacity_relations_are_spearman_on_state_means():
    from scipy import stats as sps

    m = cc.state_means()
    r = cc.relations().set_index(["a", "b"]).rho
    from enclaves.cases.cross_case.capacity import CAPACITY

    a, b = CAPACITY["fasp_per_person"][0], CAPACITY["cifra_negra_pct"][0]
    assert r[(a, b)] == pytest.approx(sps.spearmanr(m.fasp_per_person, m.cifra_negra_pct)[0])
    assert m.registered.between(0.5, 2).all() and len(m) == 32
    e = cc.evidence_table("log")
    assert e.test.str.contains("strictly later").sum() == 4


# ---------------------------------------------------------------------------------------- literature
def test_literature_table_sets_at_least_eight_published_numbers_beside_the_books():
    lit = _module("research")
    t = lit.table()
    digits = re.compile(r"\d")
    both = t[t["Published finding"].str.contains(digits) & t["The book's estimate"].str.contains(digits)]
    assert len(both) >= 8, both["Work"].tolist()
    assert t["Comparable?"].str.match(r"^(Yes|Close|Partly|No)\b").all()
    # every published number in the table is a recorded figure (no number typed into the table's text)
    pub = lit.published()
    for _, row in t.iterrows():
        for num in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", row["Published finding"]):
            if re.fullmatch(r"(19|20)\d\d", num) or num == "100,000":
                continue
            x = float(num.replace(",", ""))
            assert any(abs(x - v) < 0.051 for v in pub.values), (row["Work"], num)


def test_literature_victim_rates_are_the_prosecutors_victims_over_conapo_population():
    lit = _module("research")
    a = load("crime_state_annual")
    a = a[(a.series == "sesnsp_new") & (a.unit == "victims") & a.crime.isin(["homicidio_doloso", "feminicidio"])]
    for state, year, pop_table in (("00", 2020, "homicides_state_annual"), ("32", 2024, "suicides_state")):
        k = a[(a.state_code == state) & (a.year == year)]
        assert len(k) == 2 and (k.months_covered == 12).all()
        p = load(pop_table)
        pop = float(p[(p.state_code == state) & (p.year == year)].population.iloc[0])
        assert lit.sesnsp_victims(state, year) == int(k.value.sum())
        assert lit.victim_rate(state, year) == pytest.approx(k.value.sum() / pop * 1e5, rel=1e-12)
    with pytest.raises(KeyError):
        lit.conapo_population("00", 2023)


def test_literature_left_ratio_is_the_pooled_rate_of_prd_years_over_the_rest():
    lit = _module("research")
    from enclaves.cases.cross_case.series import municipal_panel

    d = municipal_panel()
    d = d[d.year.between(2006, 2012) & d.family.notna()]
    left, other = d[d.family == "prd"], d[d.family != "prd"]
    want = (left.homicides.sum() / left.population.sum()) / (other.homicides.sum() / other.population.sum())
    assert lit.left_ruled_ratio().rr == pytest.approx(want, rel=1e-12)
