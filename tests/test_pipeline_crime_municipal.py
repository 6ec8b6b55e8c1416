"""Crime, every municipality by name (README 2.7 and 2.8): spot values, name matching, table rules and bad
input of every kind, each failing with the file, the row and the rule."""

from __future__ import annotations

import csv
import io
import shutil
import sys

import pandas as pd
import pytest

from enclaves import data, paths, pipeline, sources
from enclaves.errors import DataError
from enclaves.pipeline import core, crime
from enclaves.pipeline.crime import municipal_names as mn

pytestmark = pytest.mark.usefixtures("raw_ready")

MINE = ["incidents_municipal_monthly", "crime_municipal_annual"]
F24 = "violencia_homicida_municipal_nacional_2024_2025.csv"
F11 = "data_table.csv"
NEEDS = ["municipalities", "crime_municipal_monthly", "crime_state_annual"]


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute([*MINE, *NEEDS], acquire=False)


@pytest.fixture(scope="module")
def cats(raw_ready):
    return mn.catalogues(data.load("municipalities"), sources.raw(crime.GEO_CODES), sources.raw(crime.MUN_NAMES))


def _run_step(name, made):
    s = core.STEPS[name]
    return s.func(core.Inputs(s, made))


# ---------------------------------------------------------------- README spot values and coverage


def test_2024_spot_values(made):
    """README 2.7: homicidio doloso, sums of months."""
    df = made["incidents_municipal_monthly"]
    a = df.groupby(["mun_code", "year"])["homicidio_doloso"].sum()
    assert {k: int(a[k]) for k in [("16083", 2024), ("16083", 2025), ("19039", 2024), ("19039", 2025),
                                   ("15058", 2024), ("15058", 2025)]} == \
        {("16083", 2024): 8, ("16083", 2025): 3, ("19039", 2024): 274, ("19039", 2025): 96,
         ("15058", 2024): 74, ("15058", 2025): 37}
    assert int(df[df.year == 2024]["homicidio_doloso"].sum()) == 25_449


def test_2024_coverage(made):
    df = made["incidents_municipal_monthly"]
    known = set(made["municipalities"]["mun_code"])
    codes = set(df["mun_code"])
    pseudo = sorted(codes - known)
    assert known <= codes and len(known) == 2_478
    assert pseudo == ["09998", "14998", "20999", "22998", "26998", "26999", "30998", "30999"]
    assert len(df) == len(codes) * 18 and df.groupby("mun_code").size().eq(18).all()
    assert sorted({(y, m) for y, m in zip(df.year, df.month, strict=True)}) == \
        [(2024, m) for m in range(1, 13)] + [(2025, m) for m in range(1, 7)]


def test_2024_state_sums_equal_the_idm_state_file(made):
    """Same SESNSP release: summed by state, with the rows that are not municipalities, 2024-2025."""
    df = made["incidents_municipal_monthly"]
    ours = df.assign(state_code=df.mun_code.str[:2]).groupby(["state_code", "year"])["homicidio_doloso"].sum()
    a = made["crime_state_annual"]
    idm = a[(a.series == "sesnsp_new") & (a.unit == "incidents") & (a.crime == "homicidio_doloso")
            & a.year.isin([2024, 2025]) & (a.state_code != "00")].set_index(["state_code", "year"])["value"]
    assert (ours.reindex(idm.index) == idm).all() and len(idm) == 64


@pytest.mark.parametrize("code,col,values", [("16083", "homicidio_doloso", (11, 6, 15)),
                                             ("16083", "secuestro", (2, 1, 5)),
                                             ("19039", "homicidio_doloso", (700, 551, 266)),
                                             ("15058", "homicidio_doloso", (137, 171, 169))])
def test_annual_spot_values(made, code, col, values):
    """README 2.8 (Monterrey's homicides equal README 2.3's)."""
    a = made["crime_municipal_annual"].set_index(["mun_code", "year"])[col]
    assert tuple(int(a[(code, y)]) for y in (2011, 2012, 2013)) == values


def test_annual_coverage_and_missing(made):
    df = made["crime_municipal_annual"]
    assert sorted(df.year.unique()) == [2011, 2012, 2013]  # 2014 is partial upstream and dropped
    assert df.groupby("year")["mun_code"].nunique().to_dict() == {2011: 1_808, 2012: 2_456, 2013: 2_456}
    assert set(df.mun_code) <= set(made["municipalities"]["mun_code"])
    # Tala 2011 has no kidnapping row upstream: missing, not zero
    tala = df[(df.mun_code == "14083") & (df.year == 2011)].iloc[0]
    assert pd.isna(tala["secuestro"]) and tala["total"] == 0
    assert int(df[["homicidio_doloso", "secuestro", "robo", "otros_delitos", "total"]].isna().sum().sum()) == 1
    parts = df[["homicidio_doloso", "secuestro", "robo", "otros_delitos"]].sum(axis=1)
    assert (parts <= df["total"]).all()


def test_annual_2011_2012_equal_the_69_cities(made):
    """README 2.3 and 2.8 are two compilations of one release: equal for 2011-2012 where 2.3 has 12 months."""
    m = made["crime_municipal_monthly"]
    m = m[m.year.isin([2011, 2012]) & m.crime.isin(["homicidio_doloso", "secuestro"])]
    full = m.groupby(["mun_code", "year", "crime"]).agg(v=("value", "sum"), n=("month", "size"))
    full = full[full.n == 12].reset_index()
    a = made["crime_municipal_annual"].melt(id_vars=["mun_code", "year"], var_name="crime", value_name="w")
    j = full.merge(a, on=["mun_code", "year", "crime"], how="left")
    assert len(j) > 200 and (j["v"] == j["w"]).all()


def test_sizes_and_contracts(made):
    for name in MINE:
        assert len(core.to_csv_text(made[name]).encode()) < 1_500_000, name
        pipeline.conform(pipeline.TABLES[name], made[name])


# ---------------------------------------------------------------- name matching


def test_every_name_is_matched_and_each_mapping_row_has_a_reason():
    mp = pd.read_csv(paths.mappings_dir() / mn.MAPFILE, dtype=str, keep_default_na=False)
    assert mp["reason"].str.len().gt(40).all()
    assert mp.groupby("source").size().to_dict() == {crime.MUN_2024: 12, crime.MUN_ANNUAL: 1}
    pseudo = mp[mp.mun_code.str[2:].isin(["998", "999"])]
    assert len(pseudo) == 8 and pseudo["reason"].str.startswith("not a municipality").all()


@pytest.mark.parametrize("source,parse,n_rules", [
    (crime.MUN_2024, crime.parse_mun_2024, {"inegi": 2_468, "inegi_older": 6, "mapping": 12}),
    (crime.MUN_ANNUAL, crime.parse_mun_annual, {"inegi": 2_425, "inegi_older": 30, "mapping": 1})])
def test_which_rule_matched(cats, monkeypatch, source, parse, n_rules):
    """How each file's names were matched (the closing note lists the names not matched by INEGI's catalogue)."""
    seen = {}

    def spy(pairs, src, file, c):
        seen["out"] = out = mn.match_names(pairs, src, file, c)
        return out
    monkeypatch.setattr(sys.modules[parse.__module__], "match_names", spy)
    parse(sources.raw(source), source, cats, source)
    out = seen["out"]
    assert out["rule"].value_counts().to_dict() == n_rules
    code = out.set_index(["state_code", "name"])["mun_code"].to_dict()
    if source == crime.MUN_ANNUAL:
        assert code[("19", "Gral. Escobedo")] == "19021" and code[("20", "San Juan Mixtepec -Dto. 26 -")] == "20209"
        assert code[("17", "Tlaltizapán")] == "17024" and code[("17", "Zacualpan")] == "17032"
        assert code[("15", "Zacualpan")] == "15117" and code[("30", "Zacualpan")] == "30198"
    else:
        assert code[("20", "San Juan Mixtepec Distrito 26")] == "20209" and code[("07", "Cintalapa")] == "07017"


@pytest.fixture
def mapping_copy(tmp_path, monkeypatch):
    """A copy of data/mappings whose crime_sesnsp_municipal_names.csv a test may edit."""
    dest = tmp_path / "mappings"
    shutil.copytree(paths.mappings_dir(), dest)
    monkeypatch.setattr(paths, "mappings_dir", lambda: dest)
    return dest / mn.MAPFILE


def _edit_mapping(path, edit):
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_removed_mapping_row_stops_with_every_unmatched_name(cats, mapping_copy):
    _edit_mapping(mapping_copy, lambda t: "\n".join(ln for ln in t.split("\n") if "Tlaltizapán" not in ln))
    p = sources.raw(crime.MUN_ANNUAL)
    with pytest.raises(DataError, match=rf"{F11}, row 882: municipality name matches no catalogue .* has no row in "
                                        r"data/mappings/crime_sesnsp_municipal_names.csv \(state 17, 'Tlaltizapán'; "
                                        r"1 unmatched"):
        crime.parse_mun_annual(p, p.name, cats, crime.MUN_ANNUAL)


@pytest.mark.parametrize("row,rule", [
    (f"{crime.MUN_ANNUAL},19,Monterrey,19039,a name INEGI's catalogue already has",
     r"mapping row not needed: the inegi catalogue gives the same code"),
    (f"{crime.MUN_ANNUAL},19,Atlantis,19039,a municipality that does not exist",
     r"mapping row for mexicoevalua_mun_crime_2011_2014 names no municipality in data_table.csv \(stale row\)"),
    (f"{crime.MUN_ANNUAL},20,Atlantis,20998,a pseudo-code without the reason",
     r"codes xx998/xx999, and only they, are for rows that are not a municipality"),
    (f"{crime.MUN_ANNUAL},20,Atlantis,21001,not in the state",
     r"state_code must be 2 digits and mun_code 5 digits in that state"),
    (f"{crime.MUN_ANNUAL},20,Atlantis,20600,a code INEGI does not have",
     r"unknown municipality code \(not in the INEGI catalog\)")])
def test_bad_mapping_rows(cats, mapping_copy, row, rule):
    _edit_mapping(mapping_copy, lambda t: t.rstrip("\n") + "\n" + row + "\n")
    p = sources.raw(crime.MUN_ANNUAL)
    with pytest.raises(DataError, match=rf"crime_sesnsp_municipal_names.csv, row 15.*: {rule}"):
        crime.parse_mun_annual(p, p.name, cats, crime.MUN_ANNUAL)


def test_two_names_one_code(cats, mapping_copy):
    """A mapping row that sends a second name to a code already taken."""
    _edit_mapping(mapping_copy, lambda t: t.replace("Tlaltizapán,17024", "Tlaltizapán,17013"))
    p = sources.raw(crime.MUN_ANNUAL)
    with pytest.raises(DataError, match=rf"{F11}, row \d+: two names map to one municipality code \(17013: "):
        crime.parse_mun_annual(p, p.name, cats, crime.MUN_ANNUAL)


# ---------------------------------------------------------------- bad input: README 2.7


def _replace(old: str, new: str, count: int = 1):
    def f(b: bytes) -> bytes:
        o, n = old.encode(), new.encode()
        assert o in b, old
        return b.replace(o, n, count)
    return f


def _duplicate_line(n: int):
    def f(b: bytes) -> bytes:
        lines = b.split(b"\n")
        return b"\n".join(lines[:n] + [lines[n - 1]] + lines[n:])
    return f


BAD_2024 = [
    ("misspelt municipality", _replace('"Michoacán de Ocampo","Tancítaro"', '"Michoacán de Ocampo","Tancitaroo"'),
     r"row 756: municipality name matches no catalogue .*state 16, 'Tancitaroo'"),
    ("non-numeric count", _replace('"0.0","4.0","0.0","4.0","2024"', '"0.0","cuatro","0.0","4.0","2024"'),
     r"row 2: column Homicidio culposo holds a non-numeric value \('cuatro'\)"),
    ("fractional count", _replace('"0.0","4.0","0.0","4.0","2024"', '"0.0","4.5","0.0","4.0","2024"'),
     r"row 2: column Homicidio culposo must be a whole number \('4.5'\)"),
    ("bad month name", _replace('"Enero","Enero 2024"', '"Enro","Enro 2024"'),
     r"row 2: Mes must be a Spanish month name \(Enero ... Diciembre\) \('Enro'\)"),
    ("duplicated row", _duplicate_line(3), r"row 4: duplicated key \['state_code', 'Municipio', 'year', 'month'\]"),
    ("total differs", _replace('"0.0","4.0","0.0","4.0","2024"', '"0.0","4.0","0.0","5.0","2024"'),
     r"row 2: Total differs from the sum of the three homicide columns \(5 vs 4\)"),
    ("placeholder holds a value", _replace('"Enero 2024","0"', '"Enero 2024","2"'),
     r"row 2: column 'Otros delitos .*' is an all-zero placeholder upstream"),
    ("unknown state", _replace('"Aguascalientes","Aguascalientes"', '"Aguas Calientes","Aguascalientes"'),
     r"row 2: unknown state name .*'Aguas Calientes'"),
    ("month after the release", _replace('"2025","Junio","Junio 2025"', '"2025","Julio","Julio 2025"'),
     r"row \d+: month outside January 2024 - June 2025 \('Julio 2025'\)"),
    ("renamed column", _replace('"Homicidio doloso"', '"Homicidios dolosos"'),
     r"row header: required column missing from the header"),
]


@pytest.mark.parametrize("what,mutate,rule", BAD_2024, ids=[b[0] for b in BAD_2024])
def test_2024_bad_input(tampered, cats, what, mutate, rule):
    p = tampered(crime.MUN_2024, mutate)
    with pytest.raises(DataError, match=rf"{F24}, {rule}"):
        crime.parse_mun_2024(p, p.name, cats, crime.MUN_2024)


def test_2024_missing_month(tampered, cats):
    """A municipality with a month missing (its line deleted) is refused, not filled with zero."""
    def drop(b: bytes) -> bytes:
        lines = b.split(b"\n")
        return b"\n".join(lines[:2] + lines[3:])
    p = tampered(crime.MUN_2024, drop)
    with pytest.raises(DataError, match=rf"{F24}, row \d+: every municipality needs all 18 months \('Asientos'"
                                        r" has 17\)"):
        crime.parse_mun_2024(p, p.name, cats, crime.MUN_2024)


def test_2024_spot_guard(tampered, made):
    tampered(crime.MUN_2024, _replace('"Michoacán de Ocampo","Tancítaro","0.0","1.0","0.0","1.0"',
                                      '"Michoacán de Ocampo","Tancítaro","0.0","1.0","1.0","2.0"'))
    with pytest.raises(DataError, match=rf"{F24}: spot value check failed for homicidio doloso in 16083, 2024 "
                                        r"\(got 9, expected 8\)"):
        _run_step("incidents_municipal_2024", made)


def test_2024_state_sum_guard(tampered, made, monkeypatch):
    """One more file in a municipality outside the spot values: the state sum no longer equals IDM_NM."""
    tampered(crime.MUN_2024, _replace('"Aguascalientes","Asientos","1.0","1.0","1.0","3.0"',
                                      '"Aguascalientes","Asientos","1.0","1.0","2.0","4.0"'))
    monkeypatch.setattr(crime.municipal_2024, "NATIONAL_2024", 25_450)
    with pytest.raises(DataError, match=rf"{F24}, row state 01, 2024, homicidio_doloso: state sum differs from the "
                                        r"IDM_NM state-year file \(crime_state_annual\) \(113 vs 112\)"):
        _run_step("incidents_municipal_2024", made)


# ---------------------------------------------------------------- bad input: README 2.8


BAD_2011 = [
    ("misspelt municipality", _replace('"Michoacán de Ocampo","Tancítaro",2011,"Homicidios dolosos"',
                                       '"Michoacán de Ocampo","Tancitaroo",2011,"Homicidios dolosos"'),
     r"row 828: municipality name matches no catalogue .*state 16, 'Tancitaroo'"),
    ("non-numeric count", _replace('"    58","     7.05"', '"    5x","     7.05"'),
     r"row 2: column Averiguaciones must be a whole non-negative number \(comma thousands separators\) "
     r"\('    5x'\)"),
    ("misplaced thousands separator", _replace('"Total averiguaciones","21,942"', '"Total averiguaciones","2,1942"'),
     r"row 8181: column Averiguaciones must be a whole non-negative number"),
    ("unknown crime", _replace('2011,"Homicidios dolosos","    58"', '2011,"Homicidios","    58"'),
     r"row 2: unknown Crimen .*\('Homicidios'\)"),
    ("duplicated row", _duplicate_line(2), r"row 3: duplicated key \['state_code', 'Municipio', 'year', 'crime'\]"),
    ("year outside 2011-2014", _replace('"Aguascalientes",2011,"Homicidios dolosos"',
                                        '"Aguascalientes",2010,"Homicidios dolosos"'),
     r"row 2: year outside the expected range 2011-2014"),
    ("bad rate", _replace('"     7.05","  692"', '"     7.0x","  692"'),
     r"row 2: column Tasa must be a non-negative number with two decimals"),
    ("total below its parts", _replace('"Total averiguaciones","21,942"', '"Total averiguaciones","21,000"'),
     r"row 8181: Total averiguaciones is below the sum of the four crimes \(19039 2011: 21000 vs 21829\)"),
]


@pytest.mark.parametrize("what,mutate,rule", BAD_2011, ids=[b[0] for b in BAD_2011])
def test_annual_bad_input(tampered, cats, what, mutate, rule):
    p = tampered(crime.MUN_ANNUAL, mutate)
    with pytest.raises(DataError, match=rf"{F11}, {rule}"):
        crime.parse_mun_annual(p, p.name, cats, crime.MUN_ANNUAL)


def test_annual_spot_guard(tampered, made):
    tampered(crime.MUN_ANNUAL, _replace('"Tancítaro",2012,"Secuestros","     1"',
                                        '"Tancítaro",2012,"Secuestros","     2"'))
    with pytest.raises(DataError, match=rf"{F11}: spot value check failed for secuestro in 16083, 2012 "
                                        r"\(got 2, expected 1\)"):
        _run_step("crime_municipal_annual_2011", made)


def test_annual_cross_check_with_the_69_cities(tampered, made):
    tampered(crime.MUN_ANNUAL, _replace('"Puebla","Puebla",2011,"Homicidios dolosos","   141"',
                                        '"Puebla","Puebla",2011,"Homicidios dolosos","   142"'))
    with pytest.raises(DataError, match=rf"{F11}, row 21114 2011 homicidio_doloso: 2011-2012 counts of the 69 large "
                                        r"municipalities must equal crime_municipal_monthly \(README 2.3\) "
                                        r"\(142 vs 141\)"):
        _run_step("crime_municipal_annual_2011", made)


def test_annual_2014_must_be_partial(tampered, made, monkeypatch):
    """If 2014 looked like a full year, README 2.8's warning no longer describes the file: stop."""
    def tenfold(b: bytes) -> bytes:
        """2014 homicides times ten (and the totals raised by as much)."""
        rows = list(csv.reader(io.StringIO(b.decode())))
        extra = {}
        for r in rows[1:]:
            if r[2] == "2014" and r[3] == "Homicidios dolosos":
                v = int(r[4].strip().replace(",", ""))
                extra[(r[0], r[1])] = 9 * v
                r[4] = f"{10 * v:,}"
        for r in rows[1:]:
            if r[2] == "2014" and r[3] == "Total averiguaciones":
                r[4] = f"{int(r[4].strip().replace(',', '')) + extra.get((r[0], r[1]), 0):,}"
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
        return out.getvalue().encode()
    tampered(crime.MUN_ANNUAL, tenfold)
    monkeypatch.setattr(crime.municipal_annual_2011, "PARTIAL_2014", ("19039", "homicidio_doloso", 670))
    with pytest.raises(DataError, match=rf"{F11}, row 2014: 2014 should be partial \(README 2.8\) but looks like a "
                                        r"full year"):
        _run_step("crime_municipal_annual_2011", made)
