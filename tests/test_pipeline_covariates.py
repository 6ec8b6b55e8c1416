"""Covariates (CONAPO marginalisation index): README spot values, and bad input of every kind."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from enclaves import pipeline
from enclaves.errors import DataError
from enclaves.pipeline import covariates

pytestmark = pytest.mark.usefixtures("raw_ready")

TARGETS = ["marginalization_municipal", "marginalization_indicators_focus"]
OLD_FILE = covariates.IMM_OLD
NEW_FILE = covariates.IMM_2020


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute(TARGETS, acquire=False)


def _row(made, code, year, table="marginalization_municipal"):
    d = made[table]
    r = d[(d.mun_code == code) & (d.year == year)]
    assert len(r) == 1
    return r.iloc[0]


@pytest.mark.parametrize("code,year,expected", [
    ("16083", 1990, 21_029), ("16083", 2010, 29_414), ("16083", 2015, 31_100),
    ("15058", 1990, 1_256_115), ("15058", 2010, 1_110_565),
    ("19039", 1990, 1_069_238), ("19039", 2010, 1_135_550),
    ("15058", 2020, 1_077_208), ("19039", 2020, 1_142_994), ("16083", 2020, 33_453),
])
def test_population_spot_values(made, code, year, expected):
    assert _row(made, code, year).population == expected


@pytest.mark.parametrize("code,year,index,degree", [
    ("16083", 1990, 0.111, "high"), ("16083", 2005, 0.104, "high"), ("16083", 2010, -0.177, "medium"),
    ("16083", 2015, -0.317, "medium"), ("16083", 2020, 55.918, "low"),
    ("15058", 2020, None, "very_low"), ("19039", 2020, None, "very_low"),
])
def test_index_and_degree_spot_values(made, code, year, index, degree):
    r = _row(made, code, year)
    assert r.degree == degree
    if index is not None:
        assert r["marginalization_index"] == pytest.approx(index, abs=5e-4)


def test_years_methods_and_counts(made):
    d = made["marginalization_municipal"]
    per_year = d.groupby("year").size().to_dict()
    assert per_year == {1990: 2403, 1995: 2428, 2000: 2443, 2005: 2454, 2010: 2456, 2015: 2457, 2020: 2469}
    methods = d.groupby("year")["method"].unique().map(list).to_dict()
    assert all(m == ["conapo_1990_2015"] for y, m in methods.items() if y < 2020)
    assert methods[2020] == ["conapo_2020_new"]
    assert set(d.degree.dropna()) == set(covariates.DEGREES)
    # every municipality is kept, with 5-character codes
    assert d.mun_code.str.fullmatch(r"\d{5}").all() and d.mun_code.nunique() >= 2469


def test_rank_runs_with_marginalisation(made):
    d = made["marginalization_municipal"]
    for year in (1990, 2015, 2020):
        y = d[d.year == year].dropna(subset=["rank_national"]).sort_values("rank_national")
        assert list(y.rank_national) == list(range(1, len(y) + 1))
        assert y.degree.iloc[0] == "very_high" and y.degree.iloc[-1] == "very_low"
    # 2020: the new index runs the other way, rank 1 has the lowest score
    y = d[d.year == 2020]
    assert y.loc[y.rank_national.idxmin(), "marginalization_index"] == y["marginalization_index"].min()


def test_missing_is_missing(made):
    r = _row(made, "07058", 2000)  # Nicolás Ruíz, not available in 2000
    assert r.population == 3_135
    assert all(pd.isna(x) for x in (r["marginalization_index"], r.degree, r.rank_national))
    d = made["marginalization_municipal"]
    assert d["marginalization_index"].isna().sum() == 1


def test_indicators_focus_table(made):
    d = made["marginalization_indicators_focus"]
    assert d.mun_code.str[:2].isin(["09", "15", "16", "19"]).all()
    assert d.mun_code.nunique() == 305
    tan20 = _row(made, "16083", 2020, "marginalization_indicators_focus")
    assert tan20.illiterate_pct == pytest.approx(8.16, abs=0.01)
    assert math.isnan(tan20.no_primary_pct)  # SBASC (basic education) is not the same indicator
    tan90 = _row(made, "16083", 1990, "marginalization_indicators_focus")
    assert (tan90.illiterate_pct, tan90.no_piped_water_pct, tan90.low_income_pct) == (24.44, 32.59, 69.29)
    y95 = d[d.year == 1995]
    assert y95.dirt_floor_pct.isna().all() and y95.illiterate_pct.notna().all()


def test_csv_is_small(made):
    from enclaves.pipeline.core import to_csv_text
    for t in TARGETS:
        assert len(to_csv_text(made[t]).encode()) < 1_000_000


# ---------------------------------------------------------------- bad input


def _replace(old: bytes, new: bytes, count: int = 1):
    def f(b: bytes) -> bytes:
        assert old in b, old
        return b.replace(old, new, count)
    return f


READERS = {covariates.IMM_OLD: covariates.read_imm_old, covariates.IMM_2020: covariates.read_imm_2020}


@pytest.fixture(scope="module")
def known(made):
    return set(made["municipalities"]["mun_code"])


def _fails(tampered, source, mutate, pattern, known=None):
    """The parser refuses a mutated file. With ``known`` (the catalog's codes) the file's reader is
    called directly, which keeps these tests fast; without it the whole step runs."""
    path = tampered(source, mutate)
    with pytest.raises(DataError, match=pattern):
        if known is None:
            pipeline.compute(["marginalization_municipal"], acquire=False)
        else:
            READERS[source](path, known)


def test_unknown_degree_label(tampered):
    _fails(tampered, covariates.IMM_OLD, _replace(b"-1.676,Muy bajo,", b"-1.676,Muy muy bajo,"),
           rf"{OLD_FILE}, row 2: unknown degree of marginalisation in GM.*'Muy muy bajo'")


def test_unknown_degree_label_2020(tampered, known):
    _fails(tampered, covariates.IMM_2020, _replace(b",Bajo,0.875599147", b",Baja,0.875599147"),
           rf"{NEW_FILE}, row 873: unknown degree of marginalisation in GM_2020", known)


def test_renamed_column(tampered, known):
    _fails(tampered, covariates.IMM_2020, _replace(b"IM_2020,GM_2020", b"IM2020,GM_2020"),
           r"IMM_2020.csv, row header: required column missing.*IM_2020", known)


def test_non_numeric_population(tampered, known):
    _fails(tampered, covariates.IMM_2020,
           _replace(b"01001,Aguascalientes,948990,", b"01001,Aguascalientes,948 990,"),
           rf"{NEW_FILE}, row 2: column POB_TOT holds a non-numeric value", known)


def test_empty_cell(tampered, known):
    _fails(tampered, covariates.IMM_OLD, _replace(b"877190,-,2.06", b"877190,,2.06"),
           rf"{OLD_FILE}, row 2: column VP has an empty cell", known)


def test_duplicated_key(tampered, known):
    def dup(b):
        lines = b.split(b"\r\n")
        lines[2] = lines[1]  # row 3 repeats row 2 (01001, 2015)
        return b"\r\n".join(lines)
    _fails(tampered, covariates.IMM_OLD, dup,
           rf"{OLD_FILE}, row 3: duplicated key.*mun_code=01001, year=2015", known)


def test_unknown_state_name(tampered, known):
    _fails(tampered, covariates.IMM_OLD, _replace(b"1,Aguascalientes,1001,", b"1,Aguascalientez,1001,"),
           rf"{OLD_FILE}, row 2: unknown state name.*'Aguascalientez'", known)


def test_state_code_disagrees(tampered, known):
    _fails(tampered, covariates.IMM_2020, _replace(b"01,Aguascalientes,01001", b"02,Aguascalientes,01001"),
           rf"{NEW_FILE}, row 2: CVE_ENT disagrees with the state part of CVE_MUN", known)


def test_unknown_municipality_code(tampered, known):
    _fails(tampered, covariates.IMM_2020, _replace(b"01,Aguascalientes,01001", b"01,Aguascalientes,01999"),
           rf"{NEW_FILE}, row 2: unknown municipality code.*'01999'", known)


def test_year_not_a_census_year(tampered, known):
    _fails(tampered, covariates.IMM_OLD, _replace(b",Muy bajo,-,2408,11,2015", b",Muy bajo,-,2408,11,1993"),
           rf"{OLD_FILE}, row 2: AÑO is not one of the census/count years", known)


def test_degree_out_of_line_with_index(tampered):
    _fails(tampered, covariates.IMM_OLD, _replace(b"-0.317,Medio,", b"-0.317,Muy alto,"),
           rf"{OLD_FILE}, row 2774 or 4803: degree out of line with the index.*16083 is very_high")


def test_wrong_encoding(tampered, known):
    _fails(tampered, covariates.IMM_2020, _replace("Tancítaro".encode(), b"Tanc\xedtaro"),
           r"IMM_2020.csv, row 873: text is not valid utf-8", known)


def test_spot_value_guard(tampered):
    _fails(tampered, covariates.IMM_2020, _replace(b",Tanc\xc3\xadtaro,33453,", b",Tanc\xc3\xadtaro,33454,"),
           rf"{NEW_FILE}: spot value check failed for population of 16083 in 2020")


def test_degree_mapping_is_an_allow_list():
    assert covariates.degree_labels() == {"Muy bajo": "very_low", "Bajo": "low", "Medio": "medium",
                                          "Alto": "high", "Muy alto": "very_high"}
