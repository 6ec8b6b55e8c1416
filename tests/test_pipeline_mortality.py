"""Mortality and population: spot values from the raw README, and bad input of every kind."""

from __future__ import annotations

import bz2
import gzip

import pandas as pd
import pytest

from enclaves import pipeline, sources
from enclaves.errors import DataError
from enclaves.pipeline import mortality

pytestmark = pytest.mark.usefixtures("raw_ready")


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute(["homicides_municipal_annual", "homicides_state_annual", "municipalities"],
                            acquire=False)


def _annual(made, code, year, basis="occurrence"):
    d = made["homicides_municipal_annual"]
    return int(d.loc[(d.mun_code == code) & (d.year == year) & (d.year_basis == basis), "homicides"].iloc[0])


@pytest.mark.parametrize("code,year,expected", [
    ("16083", 2005, 12), ("16083", 2010, 10), ("16083", 2015, 2), ("16083", 2020, 5),
    ("19039", 2010, 359), ("19039", 2011, 816), ("19039", 2017, 193), ("19039", 2020, 296),
    ("15058", 2005, 135), ("15058", 2012, 252), ("15058", 2020, 109), ("16085", 2017, 18),
])
def test_municipal_occurrence_spot_values(made, code, year, expected):
    assert _annual(made, code, year) == expected


@pytest.mark.parametrize("code,year,expected", [
    ("19039", 2005, 71), ("19039", 2010, 344), ("19039", 2012, 685), ("19039", 2015, 181),
    ("15058", 2005, 137), ("15058", 2010, 226), ("15058", 2012, 251), ("15058", 2015, 163),
    ("16083", 2005, 12), ("16083", 2010, 11), ("16083", 2012, 14), ("16083", 2015, 2),
])
def test_inegi_export_spot_values(made, code, year, expected):
    r = made["_homicides_registration"]
    got = r.loc[(r.kind == "municipality") & (r.code == code) & (r.year == year), "homicides"]
    assert got.tolist() == [expected]


def test_registration_spot_values(made):
    assert _annual(made, "16083", 1993, "registration") == 20
    r = made["_homicides_registration"]
    nat = r[r.kind == "national"].set_index("year")["homicides"]
    assert (nat[1990], nat[2010], nat[2012], nat[2015]) == (14_493, 25_757, 25_967, 20_762)
    s = made["homicides_state_annual"]
    nat = s[(s.state_code == "00") & (s.year_basis == "registration")].set_index("year")["homicides"]
    # INEGI's national Total row is 14,493 in 1990 and includes deaths abroad; the sum of states is lower
    assert 14_300 < nat[1990] <= 14_493
    assert nat[2010] <= 25_757


def test_state_occurrence_is_later_vintage(made):
    s = made["homicides_state_annual"]
    occ = s[s.year_basis == "occurrence"].set_index(["state_code", "year"])["homicides"]
    assert occ[("02", 2021)] == 3_192
    assert occ[("00", 2021)] == 34_346
    assert occ.index.get_level_values("year").max() == 2022


def test_rates_are_homicides_over_population(made):
    d = made["homicides_municipal_annual"].dropna(subset=["population"])
    d = d[d.population > 0]
    expect = (d.homicides / d.population * 1e5).round(3)
    assert (expect - d.homicide_rate).abs().max() < 1e-6
    tan = d[(d.mun_code == "16083") & (d.year == 2010)].iloc[0]
    assert tan.population == 29_910
    assert tan.homicide_rate == pytest.approx(10 / 29_910 * 1e5, abs=1e-3)


def test_population_sources_are_labelled(made):
    s = made["homicides_state_annual"]
    nat = s[(s.state_code == "00") & (s.year_basis == "occurrence")].set_index("year")["population_source"]
    assert nat[2006] == "conapo1990" and nat[2008] == "interp2006_2010"
    assert nat[2012] == "conapo2012" and nat[2020] == "conapo2018"


def test_municipalities_catalog(made):
    m = made["municipalities"]
    assert len(m) == 2478 and m.mun_code.str.len().eq(5).all()
    assert m.set_index("mun_code").loc["16083", "mun_name"] == "Tancítaro"
    assert m.state_code.nunique() == 32


# ---------------------------------------------------------------- bad input


def _rudkin(year=2000):
    return f"rudkin_inegi_homicides_reg_{year}"


def _replace(old: bytes, new: bytes, count: int = 1):
    def f(b: bytes) -> bytes:
        assert old in b, old
        return b.replace(old, new, count)
    return f


def test_wrong_checksum_is_refused(raw_ready, tmp_path, monkeypatch):
    src = sources.get(_rudkin())
    bad = tmp_path / "mirror" / src.mirror_path
    bad.parent.mkdir(parents=True)
    bad.write_bytes(src.raw_path.read_bytes().replace(b"Total", b"Tota1", 1))
    monkeypatch.setenv("ENCLAVES_RAW", str(tmp_path / "raw"))
    with pytest.raises(DataError, match="sha256 differs"):
        sources.acquire(src.id, mirror=tmp_path / "mirror")
    assert not (tmp_path / "raw" / src.id / src.filename).exists()


def test_truncated_file_is_refused_by_size(raw_ready, tmp_path, monkeypatch):
    src = sources.get(mortality.G_MUN)
    bad = tmp_path / "mirror" / src.mirror_path
    bad.parent.mkdir(parents=True)
    bad.write_bytes(src.raw_path.read_bytes()[:1000])
    monkeypatch.setenv("ENCLAVES_RAW", str(tmp_path / "raw"))
    with pytest.raises(DataError, match="size differs"):
        sources.acquire(src.id, mirror=tmp_path / "mirror")


def test_truncated_stream_named(tampered):
    tampered(mortality.G_MUN, lambda b: b[: len(b) // 2])
    with pytest.raises(DataError, match=r"mexico-muni.*truncated"):
        pipeline.compute(["homicides_municipal_monthly"], acquire=False)


def test_empty_file(tampered):
    tampered(_rudkin(), lambda b: b"")
    with pytest.raises(DataError, match="file is empty"):
        pipeline.compute(["homicides_state_annual"], acquire=False)


def test_wrong_encoding(tampered):
    # the CONAPO 2018 file is UTF-8; latin-1 bytes in it are named with their line
    tampered(mortality.POP_2018, lambda b: b.replace("Nezahualcóyotl".encode(), b"Nezahualc\xf3yotl\xff\xfe"))
    with pytest.raises(DataError, match=r"csv, row 383: text is not valid utf-8"):
        pipeline.compute(["homicides_state_annual"], acquire=False)


def test_missing_column(tampered):
    def drop_month(b):
        text = gzip.decompress(b).decode()
        lines = ["|".join(p for i, p in enumerate(line.split("|")) if i != 2) for line in text.splitlines()]
        return gzip.compress("\n".join(lines).encode())
    tampered(mortality.G_MUN, drop_month)
    with pytest.raises(DataError, match=r"row header: required column missing.*month"):
        pipeline.compute(["homicides_municipal_monthly"], acquire=False)


def test_renamed_column(tampered):
    tampered(mortality.G_STATE, _replace(b"cve_ent|year", b"entidad|year"))
    with pytest.raises(DataError, match="required column missing"):
        pipeline.compute(["homicides_state_annual"], acquire=False)


def test_duplicated_key(tampered):
    def dup(b):
        lines = b.split(b"\n")
        return b"\n".join(lines[:3] + [lines[2]] + lines[3:])
    tampered(mortality.G_STATE, dup)
    with pytest.raises(DataError, match=r"row 4: duplicated key"):
        pipeline.compute(["homicides_state_annual"], acquire=False)


def test_unknown_municipality_code(tampered):
    tampered(_rudkin(1995), _replace(b'" 01 003 "', b'" 01 998 "'))
    with pytest.raises(DataError, match=r"unknown municipality code.*'01998'"):
        pipeline.compute(["homicides_municipal_annual"], acquire=False)


def test_negative_count(tampered):
    tampered(mortality.G_STATE, _replace(b"01|2000|1|0|", b"01|2000|1|-3|"))
    with pytest.raises(DataError, match=r"row 2: column homicides may not be negative"):
        pipeline.compute(["homicides_state_annual"], acquire=False)


def test_non_numeric_cell(tampered):
    tampered(mortality.G_STATE, _replace(b"01|2000|2|0|", b"01|2000|2|n/a|"))
    with pytest.raises(DataError, match=r"row 3: column homicides holds a non-numeric value"):
        pipeline.compute(["homicides_state_annual"], acquire=False)


def test_year_out_of_range(tampered):
    tampered(mortality.G_STATE, _replace(b"\n01|2000|1|", b"\n01|1899|1|"))
    with pytest.raises(DataError, match=r"row 2: year outside the expected range 2000-2022"):
        pipeline.compute(["homicides_state_annual"], acquire=False)


def test_unknown_category_label(tampered):
    tampered(_rudkin(1995), _replace(b'"=CONCATENAR(0,01) "', b'"=SUBTOTAL(0,01) "'))
    with pytest.raises(DataError, match=r"row \d+: unrecognised geographic key"):
        pipeline.compute(["homicides_state_annual"], acquire=False)


def test_spot_value_guard(tampered):
    tampered(_rudkin(2012), _replace(b'"Monterrey","685"', b'"Monterrey","686"'))
    with pytest.raises(DataError, match="spot value check failed for homicides in 19039, 2012"):
        pipeline.compute(["homicides_state_annual"], acquire=False)


def test_failed_run_leaves_outputs_intact(tampered, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    out.mkdir()
    before = {"homicides_state_annual.csv": "sentinel,1\n", "datapackage.json": "{}\n"}
    for k, v in before.items():
        (out / k).write_text(v)
    tampered(mortality.G_STATE, _replace(b"01|2000|2|0|", b"01|2000|2|x|"))
    with pytest.raises(DataError):
        pipeline.run(["homicides_state_annual"], out_dir=out)
    assert {p.name: p.read_text() for p in out.iterdir()} == before


def test_conform_names_table_row_and_rule():
    t = pipeline.TABLES["homicides_state_annual"]
    df = pd.DataFrame({"state_code": ["16", "16"], "year": [2010, 2010], "homicides": [1, 2],
                       "population": [10, 10], "homicide_rate": [1.0, 2.0],
                       "year_basis": ["occurrence", "occurrence"], "population_source": ["conapo2012"] * 2})
    with pytest.raises(DataError, match=r"table homicides_state_annual, row state_code=16, year=2010.*not unique"):
        pipeline.conform(t, df)
    with pytest.raises(DataError, match="outside"):
        pipeline.conform(t, df.assign(year=[2010, 2011], year_basis=["occurrence", "census"]))


def test_bz2_helper_reports_truncation(tmp_path):
    from enclaves.pipeline import readers
    p = tmp_path / "x.csv.bz2"
    p.write_bytes(bz2.compress(b"a,b\n1,2\n" * 100)[:40])
    with pytest.raises(DataError, match="truncated"):
        readers.read_text(p, "utf-8")
