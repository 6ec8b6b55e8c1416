"""The comparison of the cases reads the list of cases from the registry, each case's counterfactual through
the common interface (``counterfactual().summary()``) and the data."""

from __future__ import annotations

import pandas as pd
import pytest

from enclaves.cases import base, compare, registry
from enclaves.data import load
from enclaves.models.synth import SynthResult


def test_relative_rate_is_case_rate_over_state_rate():
    d = compare.relative_rates()
    row = d[(d.name == "Nezahualcóyotl") & (d.year == 2015)].iloc[0]
    h = load("homicides_municipal_annual")
    s = load("homicides_state_annual")
    case = h[(h.mun_code == "15058") & (h.year == 2015) & (h.year_basis == "occurrence")].homicide_rate.iloc[0]
    state = s[(s.state_code == "15") & (s.year == 2015) & (s.year_basis == "occurrence")].homicide_rate.iloc[0]
    assert row.ratio == pytest.approx(case / state)


def test_cases_are_the_registrys_dated_cases():
    c = compare.cases()
    assert list(c.columns) == list(registry.COLUMNS)
    assert list(c.slug) == [x.slug for x in registry.dated()]
    assert c.mun_code.str.fullmatch(r"\d{5}").all() and (c.mun_code.str[:2] == c.state_code).all()
    assert set(compare.relative_rates().name) == set(c.name)


class _Package:
    """A stand-in for a case package: only the common interface, ``counterfactual()``."""

    def __init__(self, att: float, start: int = 2010):
        years = pd.Index(range(2000, 2021), name="year")
        synthetic = pd.Series(20.0, index=years)
        actual = synthetic + [0.0 if y < start else att for y in years]
        placebo = pd.DataFrame({"unit": ["a", "b", "c"], "ratio": [0.5, 2.0, 50.0]})
        self.result = SynthResult(treated="x", start=start, weights=pd.Series({"a": 0.6, "b": 0.4}), actual=actual,
                                  synthetic=synthetic, pre_rmspe=1.0, post_rmspe=abs(att), placebo=placebo)
        self.start = start

    def counterfactual(self) -> base.Counterfactual:
        return base.Counterfactual(main=self.result, start=self.start, donors=["a", "b", "c"])


@pytest.fixture
def packages(monkeypatch):
    """Fake packages for the registry's cases (the last one without a package of its own)."""
    dated = registry.dated()
    fakes = {c.slug: _Package(att=-3.0 * (i + 1)) for i, c in enumerate(dated[:-1])}
    monkeypatch.setattr(registry, "has_module", lambda slug: slug in fakes)
    monkeypatch.setattr(registry, "module", lambda slug: fakes[slug])
    monkeypatch.setattr(compare, "verdicts", lambda: pd.DataFrame({"id": ["T1"], "case": [dated[0].slug],
                                                                   "verdict": ["supported"]}))
    compare.counterfactuals.cache_clear()
    yield fakes
    compare.counterfactuals.cache_clear()


def test_counterfactuals_read_each_package_through_the_interface(packages):
    cf = compare.counterfactuals().set_index("slug")
    assert list(cf.index) == list(packages)
    for slug, p in packages.items():
        assert cf.loc[slug].drop("name").to_dict() == p.counterfactual().summary()
        assert cf.loc[slug, "name"] == registry.get(slug).name


def test_a_case_without_a_package_has_no_counterfactual_yet(packages):
    t = compare.side_by_side()
    last = registry.dated()[-1].name
    assert list(t.index) == [c.name for c in registry.dated()]
    assert t.loc[last, "Against its counterfactual"] == compare.NO_COUNTERFACTUAL
    first = t.iloc[0]
    assert first["Against its counterfactual"].startswith("-3.0 per 100,000 a year")
    assert first["Claims tested"] == "T1: supported"


def test_counterfactuals_match_the_chapters():
    cf = compare.counterfactuals().set_index("slug")
    assert list(cf.index) == [c.slug for c in registry.dated()]
    for c in registry.dated():
        assert cf.loc[c.slug, "att"] == pytest.approx(registry.module(c.slug).counterfactual().main.att)
    assert ((cf.p_value > 0) & (cf.p_value <= 1)).all()


def test_side_by_side_has_every_case_and_verdicts():
    t = compare.side_by_side()
    assert list(t.index) == ["Tancítaro", "Monterrey", "Nezahualcóyotl", "Cherán"]
    assert t["Claims tested"].str.contains("T1: ").iloc[0]
    assert not t.isna().any().any()


def test_relative_chart_is_labelled():
    spec = compare.chart_relative().to_dict()
    assert spec["description"] and spec["title"]
