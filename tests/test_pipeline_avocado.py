"""Avocado: README spot values (SIAP, INEGI trade, Banxico CE37), derived measures, and bad input."""

from __future__ import annotations

import calendar

import pandas as pd
import pytest

from enclaves import pipeline
from enclaves.errors import DataError
from enclaves.pipeline import avocado

pytestmark = pytest.mark.usefixtures("raw_ready")

TABLES = ["avocado_municipal", "avocado_state_annual", "avocado_exports", "avocado_exports_monthly",
          "avocado_export_estimate"]
SIAP, TRADE, BANXICO = avocado.SIAP, avocado.TRADE, avocado.BANXICO


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute(TABLES, acquire=False)


def _mun(made, code, year):
    d = made["avocado_municipal"]
    return d[(d.mun_code == code) & (d.year == year)].iloc[0]


# ---------------------------------------------------------------- SIAP


@pytest.mark.parametrize("year,harvested,tonnes,value_m", [
    (2003, 14_600, 130_899, 937.0), (2013, 20_760, 206_628, 2_870.8), (2015, 21_750, 207_703, None),
    (2018, 23_400, 237_435, 4_960.3), (2020, 22_940, 225_420, 5_397.6), (2023, 25_740, 303_620, 5_871.5),
])
def test_tancitaro_spot_values(made, year, harvested, tonnes, value_m):
    r = _mun(made, "16083", year)
    assert round(r.harvested_ha) == harvested
    assert round(r.tonnes) == tonnes
    if value_m is not None:
        assert round(r.value_mxn / 1e6, 1) == value_m


def test_tancitaro_harvest_flat_2020_2022(made):
    assert [_mun(made, "16083", y).harvested_ha for y in (2020, 2021, 2022)] == [22_940] * 3


def test_national_2023_and_ranking(made):
    s = made["avocado_state_annual"].set_index(["state_code", "year"])
    assert round(s.loc[("00", 2023), "tonnes"]) == 2_973_344
    assert round(_mun(made, "16083", 2023).share_national_tonnes * 100, 2) == 10.21
    m = made["avocado_municipal"]
    top = m[m.year == 2023].nlargest(2, "tonnes")
    assert top.mun_code.tolist() == ["16082", "16083"]
    assert round(top.tonnes.iloc[0], 1) == 311_142.8


def test_yield_and_price_are_recomputed_not_summed(made):
    r = _mun(made, "16083", 2003)  # Riego 54,587 t / 4,370 ha and Temporal 76,312 t / 10,230 ha
    assert r.yield_t_per_ha == pytest.approx(130_899 / 14_600, abs=1e-3)
    assert r.price_mxn_per_t == pytest.approx((387_567_700 + 549_446_400) / 130_899, abs=0.01)
    m = made["avocado_municipal"]
    zero = m[m.harvested_ha == 0]
    assert len(zero) and zero.yield_t_per_ha.isna().all() and zero.price_mxn_per_t.isna().all()


def test_shares_and_totals_add_up(made):
    m, s = made["avocado_municipal"], made["avocado_state_annual"]
    assert m.groupby("year").share_national_tonnes.sum().sub(1).abs().max() < 1e-3
    st = s[s.state_code != "00"].groupby("year")[["tonnes", "value_mxn"]].sum()
    nat = s[s.state_code == "00"].set_index("year")[["tonnes", "value_mxn"]]
    assert (st - nat).abs().max().max() < 1
    mich = s[s.state_code == "16"].set_index("year").share_national_tonnes
    assert 0.70 < mich[2023] < mich[2003] < 0.95
    assert s.loc[s.state_code != "00", "state_code"].nunique() == 30
    assert m.mun_code.str.fullmatch(r"\d{5}").all() and m.year.between(2003, 2023).all()


def test_avocado_belt_is_present_every_year(made):
    m = made["avocado_municipal"]
    for code in ("16083", "16102", "16068", "16058", "16075", "16079", "16009", "16082"):
        assert sorted(m.loc[m.mun_code == code, "year"]) == list(range(2003, 2024)), code


# ---------------------------------------------------------------- INEGI trade


@pytest.mark.parametrize("code,year,kg,musd", [
    ("USA", 2003, 39_522_638, 58.84), ("USA", 2010, 229_890_058, 424.47),
    ("USA", 2023, 1_061_672_232, 2_573.2), ("ALL", 2023, 1_313_818_585, 3_153.4),
])
def test_export_spot_values(made, code, year, kg, musd):
    e = made["avocado_exports"]
    r = e[(e.destination_code == code) & (e.year == year)].iloc[0]
    assert round(r.tonnes * 1000) == kg
    assert round(r.value_usd / 1e6, 2) == pytest.approx(musd, abs=0.005)


def test_exports_levels_halves_and_confidential(made):
    e = made["avocado_exports"].set_index(["destination_code", "year"])
    assert e.loc[("ALL", 2003), "destination"] == "All countries"
    assert e.loc[("USA", 2003), "destination"] == "United States"
    assert e.loc[("ZYA", 2020), "destination"] == "Netherlands"
    # 2007 comes in halves: Canada 10,487,263 + 9,116,748 kg
    assert round(e.loc[("CAN", 2007), "tonnes"] * 1000) == 10_487_263 + 9_116_748
    # 2021: the fraction is confidential, the subheading carries kg (not the slightly lower NICO row)
    assert round(e.loc[("ALL", 2021), "tonnes"] * 1000) == 1_271_194_868
    conf = made["avocado_exports"].query("confidential")
    assert len(conf) and conf[["tonnes", "value_usd", "value_mxn"]].isna().all().all()
    assert made["avocado_exports"].query("~confidential").value_usd.notna().all()
    assert e.xs("ALL").index.tolist() == list(range(2003, 2024))


# ---------------------------------------------------------------- Banxico


@pytest.mark.parametrize("year,month,usd", [(1993, 1, 1_197_000), (2024, 6, 231_592_000),
                                            (1993, 2, 1_297_000)])
def test_banxico_spot_values(made, year, month, usd):
    b = made["avocado_exports_monthly"].set_index(["year", "month"])
    assert b.loc[(year, month), "value_usd"] == usd


def test_banxico_month_first_and_totals(made):
    b = made["avocado_exports_monthly"]
    assert len(b) == 378 and b.groupby("year").size().loc[1993] == 12
    assert b[b.year == 2023].value_usd.sum() == 3_153_401_000
    e = made["avocado_exports"]
    inegi = e[e.destination_code == "ALL"].set_index("year").value_usd
    assert round(inegi[2023] / 1e6, 1) == round(3_153_401_000 / 1e6, 1)


# ---------------------------------------------------------------- claim T1 estimate


def test_export_estimate_formula(made):
    d = made["avocado_export_estimate"]
    assert d.mun_code.str.startswith("16").all()
    t = d[(d.mun_code == "16083") & (d.year == 2023)].iloc[0]
    assert t.national_exports_usd == 3_153_401_774
    assert t.est_exports_usd_per_day == pytest.approx(t.share_national_tonnes * 3_153_401_774 / 365, abs=2)
    assert 0.85e6 < t.est_exports_usd_per_day < 0.9e6  # under US$1 million a day on the national share
    assert t.est_exports_usd_per_day_state_share > 1e6
    leap = d[(d.mun_code == "16083") & (d.year == 2020)].iloc[0]
    assert calendar.isleap(2020)
    per_day = leap.share_national_tonnes * leap.national_exports_usd / 366
    assert leap.est_exports_usd_per_day == pytest.approx(per_day, abs=2)


# ---------------------------------------------------------------- bad input


def _replace(old: bytes, new: bytes, count: int = 1):
    def f(b: bytes) -> bytes:
        assert old in b, old
        return b.replace(old, new, count)
    return f


def _line_of(source_id: str, needle: bytes) -> int:
    from enclaves import sources
    data = sources.get(source_id).raw_path.read_bytes()
    return data[: data.index(needle)].count(b"\n") + 1


SIAP_ROW2 = b"2003,1,Aguascalientes,1,Aguascalientes,2,Calvillo,3,Calvillo,3,Perennes,1,Riego,"


def test_siap_unknown_water_regime(tampered):
    tampered(SIAP, _replace(SIAP_ROW2, SIAP_ROW2.replace(b"Riego", b"Humedad")))
    with pytest.raises(DataError, match=r"siap_avocado_production_2003_2023, row 2: unknown water regime "
                                        r"in column Nommodalidad.*'Humedad'"):
        pipeline.compute(["avocado_municipal"], acquire=False)


def test_siap_renamed_column(tampered):
    tampered(SIAP, _replace(b"Volumenproduccion", b"Produccion"))
    with pytest.raises(DataError, match=r"siap_produccion.csv, row header: required column missing"
                                        r".*Volumenproduccion"):
        pipeline.compute(["avocado_municipal"], acquire=False)


def test_siap_non_numeric_cell(tampered):
    tampered(SIAP, _replace(b"Aguacate,7.0,7.0,0.0,19.0,", b"Aguacate,7.0,n/d,0.0,19.0,"))
    with pytest.raises(DataError, match=r"_2003_2023, row 2: column Cosechada holds a non-numeric value"
                                        r".*'n/d'"):
        pipeline.compute(["avocado_municipal"], acquire=False)


def test_siap_duplicated_key(tampered):
    def dup(b):
        lines = b.split(b"\n")
        return b"\n".join(lines[:2] + [lines[1]] + lines[2:])
    tampered(SIAP, dup)
    with pytest.raises(DataError, match=r"_2003_2023, row 3: duplicated key \['Anio', 'Idestado'"):
        pipeline.compute(["avocado_municipal"], acquire=False)


def test_siap_unknown_municipality_code(tampered):
    tampered(SIAP, _replace(b",2,Calvillo,3,Calvillo,", b",2,Calvillo,998,Calvillo,"))
    with pytest.raises(DataError, match=r"_2003_2023, row 2: unknown municipality code \(not in the INEGI "
                                        r"catalog\) \('01998'\)"):
        pipeline.compute(["avocado_municipal"], acquire=False)


def test_siap_code_of_another_municipality(tampered):
    # Tancítaro is 83; 85 is Tangancícuaro: the name check catches the wrong code
    needle = b",83,Tanc\xc3\xadtaro,"
    line = _line_of(SIAP, needle)
    tampered(SIAP, _replace(needle, b",85,Tanc\xc3\xadtaro,"))
    with pytest.raises(DataError, match=rf"_2003_2023, row {line}: municipality name differs from the INEGI "
                                        r"catalog name.*16085"):
        pipeline.compute(["avocado_municipal"], acquire=False)


def test_siap_harvest_over_planted(tampered):
    tampered(SIAP, _replace(b"Aguacate,7.0,7.0,0.0,19.0,", b"Aguacate,7.0,9.0,0.0,19.0,"))
    with pytest.raises(DataError, match=r"_2003_2023, row 2: harvested area exceeds planted area"):
        pipeline.compute(["avocado_municipal"], acquire=False)


def test_siap_spot_value_guard(tampered):
    tampered(SIAP, _replace(b"10230.0,0.0,76312.0,", b"10230.0,0.0,76313.0,"))
    with pytest.raises(DataError, match=r"spot value check failed for Tancítaro harvested ha, tonnes, value "
                                        r"\(M MXN\) in 2003.*130900"):
        pipeline.compute(["avocado_municipal"], acquire=False)


def test_trade_unknown_destination(tampered):
    tampered(TRADE, _replace(b",80440,,BEL,", b",80440,,XYZ,"))
    with pytest.raises(DataError, match=r"inegi_avocado_trade_2003_2023, row 3: unknown destination code "
                                        r"PAIS_O_D.*'XYZ'"):
        pipeline.compute(["avocado_exports"], acquire=False)


def test_trade_unknown_flow(tampered):
    tampered(TRADE, _replace(b"\nExportaciones,2003,", b"\nReexportaciones,2003,"))
    with pytest.raises(DataError, match=r"_trade_2003_2023, row 2: unknown trade flow in column TIPO"):
        pipeline.compute(["avocado_exports"], acquire=False)


def test_trade_unknown_tariff(tampered):
    tampered(TRADE, _replace(b",01-12,80440,,,", b",01-12,80450,,,"))
    with pytest.raises(DataError, match=r"_trade_2003_2023, row 2: unknown TARIFA.*'80450'"):
        pipeline.compute(["avocado_exports"], acquire=False)


def test_trade_tariff_with_leading_zero_is_the_same_code(tampered, made):
    tampered(TRADE, lambda b: b.replace(b",80440,", b",080440,").replace(b",8044001,", b",08044001,"))
    got = pipeline.compute(["avocado_exports"], acquire=False)["avocado_exports"]
    pd.testing.assert_frame_equal(got, made["avocado_exports"])


def test_trade_confidential_with_value(tampered):
    line = _line_of(TRADE, b"Exportaciones,2005,01-12,80440,,BEL,,,,Confidencial")
    tampered(TRADE, _replace(b"Exportaciones,2005,01-12,80440,,BEL,,,,Confidencial",
                             b"Exportaciones,2005,01-12,80440,,BEL,,1.0,,Confidencial"))
    with pytest.raises(DataError, match=rf"_trade_2003_2023, row {line}: a 'Confidencial' row must have "
                                        r"no values"):
        pipeline.compute(["avocado_exports"], acquire=False)


def test_trade_fraction_differs_from_subheading(tampered):
    old = b"Exportaciones,2003,01-12,8044001,Kg,USA,39522638.0,643968002.0,58839993.0"
    line = _line_of(TRADE, old)
    tampered(TRADE, _replace(old, old.replace(b"58839993.0", b"58839000.0")))
    with pytest.raises(DataError, match=rf"_trade_2003_2023, row {line}: fraction 0804.40.01 value_usd "
                                        r"differs from the subheading"):
        pipeline.compute(["avocado_exports"], acquire=False)


def test_trade_year_in_three_parts(tampered):
    tampered(TRADE, _replace(b"Exportaciones,2003,01-12,80440,,BEL,",
                             b"Exportaciones,2003,01-06,80440,,BEL,"))
    with pytest.raises(DataError, match=r"_trade_2003_2023, row 2: a year must be reported whole"):
        pipeline.compute(["avocado_exports"], acquire=False)


def test_banxico_day_first_date(tampered):
    tampered(BANXICO, _replace(b"\n02/01/1993,", b"\n01/02/1993,"))
    with pytest.raises(DataError, match=r"banxico_ce37_avocado_exports_monthly, row 3: Fecha must be "
                                        r"month-first MM/01/YYYY.*'01/02/1993'"):
        pipeline.compute(["avocado_exports_monthly"], acquire=False)


def test_banxico_missing_month(tampered):
    def drop(b):
        return b"\n".join(ln for ln in b.split(b"\n") if not ln.startswith(b"05/01/2010,"))
    tampered(BANXICO, drop)
    with pytest.raises(DataError, match=r"banxico_ce37_avocado_exports_monthly: months must run without gaps"
                                        r".*2010-05"):
        pipeline.compute(["avocado_exports_monthly"], acquire=False)


def test_banxico_non_numeric(tampered):
    tampered(BANXICO, _replace(b"\n01/01/1993,1197", b"\n01/01/1993,n.d."))
    with pytest.raises(DataError, match=r"banxico_ce37_avocado_exports_monthly, row 2: column USD_miles "
                                        r"holds a non-numeric value.*'n.d.'"):
        pipeline.compute(["avocado_exports_monthly"], acquire=False)
