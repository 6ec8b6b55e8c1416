"""The three-case comparison reads the chapters' own results and the data."""

from __future__ import annotations

import pytest

from enclaves.cases import compare, nezahualcoyotl
from enclaves.data import load


def test_relative_rate_is_case_rate_over_state_rate():
    d = compare.relative_rates()
    row = d[(d.name == "Nezahualcóyotl") & (d.year == 2015)].iloc[0]
    h = load("homicides_municipal_annual")
    s = load("homicides_state_annual")
    case = h[(h.mun_code == "15058") & (h.year == 2015) & (h.year_basis == "occurrence")].homicide_rate.iloc[0]
    state = s[(s.state_code == "15") & (s.year == 2015) & (s.year_basis == "occurrence")].homicide_rate.iloc[0]
    assert row.ratio == pytest.approx(case / state)


def test_counterfactuals_match_the_chapters():
    cf = compare.counterfactuals().set_index("name")
    assert cf.loc["Nezahualcóyotl", "att"] == pytest.approx(nezahualcoyotl.synth().att)
    assert set(cf.index) == {"Tancítaro", "Monterrey", "Nezahualcóyotl"}
    assert ((cf.p_value > 0) & (cf.p_value <= 1)).all()


def test_side_by_side_has_every_case_and_verdicts():
    t = compare.side_by_side()
    assert list(t.index) == ["Tancítaro", "Monterrey", "Nezahualcóyotl"]
    assert t["Claims tested"].str.contains("T1: ").iloc[0]
    assert not t.isna().any().any()


def test_relative_chart_is_labelled():
    spec = compare.chart_relative().to_dict()
    assert spec["description"] and spec["title"]
