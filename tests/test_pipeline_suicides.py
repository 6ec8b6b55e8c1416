"""Suicides registered in 2024 (INEGI EDR): README spot values, rates, and bad input of every kind."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import chi2

from enclaves import pipeline
from enclaves.errors import DataError
from enclaves.pipeline import suicides

pytestmark = pytest.mark.usefixtures("raw_ready")

TARGETS = ["suicides_municipal", "suicides_state"]
FILE = suicides.EDR


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute(TARGETS, acquire=False)


def _get(made, table, key, code, basis, col="suicides"):
    d = made[table]
    r = d[(d[key] == code) & (d.basis == basis)]
    assert len(r) == 1 and r.year.iloc[0] == 2024 and r.year_basis.iloc[0] == "registration"
    return r[col].iloc[0]


@pytest.mark.parametrize("code,occurrence,residence", [
    ("16083", 7, 7), ("19039", 103, 80), ("15058", 58, 65),
])
def test_municipal_spot_values(made, code, occurrence, residence):
    assert _get(made, "suicides_municipal", "mun_code", code, "occurrence") == occurrence
    assert _get(made, "suicides_municipal", "mun_code", code, "residence") == residence


@pytest.mark.parametrize("state,occurrence,residence", [
    ("15", 1_234, 1_239), ("16", 320, 312), ("19", 432, 406),
])
def test_state_spot_values(made, state, occurrence, residence):
    # README counts records with a known municipality; the municipal table sums to them
    m = made["suicides_municipal"]
    sums = m[m.mun_code.str[:2] == state].groupby("basis")["suicides"].sum()
    assert (sums["occurrence"], sums["residence"]) == (occurrence, residence)
    # the state table adds the records whose municipality is unknown (xx999)
    for basis, expected in (("occurrence", occurrence), ("residence", residence)):
        total = _get(made, "suicides_state", "state_code", state, basis)
        unknown = _get(made, "suicides_state", "state_code", state, basis, "suicides_mun_unknown")
        assert total - unknown == expected


def test_unknown_municipality_counts_for_the_state(made):
    assert _get(made, "suicides_state", "state_code", "19", "residence") == 408
    assert _get(made, "suicides_state", "state_code", "19", "residence", "suicides_mun_unknown") == 2


def test_national_is_sum_of_states(made):
    s = made["suicides_state"]
    for basis, total, known_mun in (("occurrence", 9_044, 9_043), ("residence", 8_845, 8_842)):
        b = s[s.basis == basis]
        nat = b[b.state_code == "00"].iloc[0]
        assert nat.suicides == total == b[b.state_code != "00"].suicides.sum()
        assert nat.suicides - nat.suicides_mun_unknown == known_mun
        assert nat.population == b[b.state_code != "00"].population.sum()
    assert s.state_code.nunique() == 33 and len(s) == 66


def test_zero_rows_for_every_focus_municipality(made):
    m = made["suicides_municipal"]
    assert len(m) == 610 and m.mun_code.nunique() == 305
    assert m.mun_code.str[:2].isin(["09", "15", "16", "19"]).all()
    zeros = m[m.suicides == 0]
    assert len(zeros) > 100 and (zeros.rate_low == 0).all() and (zeros.suicide_rate == 0).all()
    assert m.population.notna().all()


def test_rate_and_exact_poisson_interval(made):
    m = made["suicides_municipal"]
    r = m[(m.mun_code == "16083") & (m.basis == "occurrence")].iloc[0]
    f = 1e5 / r.population
    assert r.suicide_rate == pytest.approx(7 * f, abs=1e-3)
    assert r.rate_low == pytest.approx(chi2.ppf(0.025, 14) / 2 * f, abs=1e-3)
    assert r.rate_high == pytest.approx(chi2.ppf(0.975, 16) / 2 * f, abs=1e-3)
    assert (r.rate_low, r.rate_high) == pytest.approx((8.42, 43.15), abs=0.01)
    assert ((m.rate_low <= m.suicide_rate) & (m.suicide_rate <= m.rate_high)).all()


def test_poisson_zero_count():
    out = suicides.poisson_rate(pd.Series([0]), pd.Series([100_000]))
    assert out.iloc[0].tolist() == pytest.approx([0.0, 0.0, 3.689], abs=1e-3)


# ---------------------------------------------------------------- bad input

FIRST = b"X709,X709,23,2,23,1,1,15,1,11,"


def _replace(old: bytes, new: bytes, count: int = 1):
    def f(b: bytes) -> bytes:
        assert old in b, old
        return b.replace(old, new, count)
    return f


def _fails(tampered, mutate, pattern, known=None):
    """The parser refuses a mutated file. With ``known`` (the catalog's codes) the record reader is
    called directly, which keeps these tests fast; without it the whole pipeline runs."""
    path = tampered(suicides.EDR, mutate)
    with pytest.raises(DataError, match=pattern):
        if known is None:
            pipeline.compute(TARGETS, acquire=False)
        else:
            suicides.read_records(path, known)


@pytest.fixture(scope="module")
def known(made):
    return set(made["municipalities"]["mun_code"])


def test_cause_outside_suicide_codes(tampered):
    _fails(tampered, _replace(FIRST, b"X850,X709,23,2,23,1,1,15,1,11,"),
           rf"{FILE}, row 2: underlying cause outside ICD-10 X60-X84.*'X850'")


def test_renamed_column(tampered, known):
    _fails(tampered, _replace(b"Cve_mun_resid,", b"Cve_mun_res,"),
           r"Suicidios_Clean.csv, row header: required column missing.*Cve_mun_resid", known)


def test_unknown_state_code(tampered, known):
    _fails(tampered, _replace(FIRST, b"X709,X709,23,2,23,40,1,15,1,11,"),
           rf"{FILE}, row 2: unknown state code in ent_ocurr.*'40'", known)


def test_key_disagrees_with_state_and_municipality(tampered, known):
    _fails(tampered, _replace(b"LUGAR NO ESPECIFICADO,01001,01011,", b"LUGAR NO ESPECIFICADO,01001,01012,"),
           rf"{FILE}, row 2: Cve_mun_resid disagrees with ent_resid and mun_resid", known)


def test_non_numeric_municipality(tampered, known):
    _fails(tampered, _replace(FIRST, b"X709,X709,23,2,23,1,a,15,1,11,"),
           rf"{FILE}, row 2: column mun_ocurr holds a non-numeric value", known)


def test_month_out_of_range(tampered, known):
    _fails(tampered, _replace(FIRST, b"X709,X709,23,13,23,1,1,15,1,11,"),
           rf"{FILE}, row 2: mes_ocurr must be 1-12 or 99", known)


def test_unknown_municipality_code(tampered, known):
    def mutate(b):
        b = _replace(FIRST, b"X709,X709,23,2,23,1,998,15,1,11,")(b)
        return _replace(b",01001,01011,01001,", b",01998,01011,01001,")(b)
    _fails(tampered, mutate, rf"{FILE}, row 2: unknown municipality code in Cve_mun_ocurr.*'01998'", known)


def test_missing_record_is_caught(tampered, known):
    def drop_last(b):
        return b.rstrip(b"\r\n").rsplit(b"\r\n", 1)[0] + b"\r\n"
    _fails(tampered, drop_last, rf"{FILE}: spot value check failed for number of records", known)
