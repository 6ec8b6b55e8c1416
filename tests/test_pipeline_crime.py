"""Crime (SESNSP): README 2.1-2.6 spot values, table rules, and bad input of every kind."""

from __future__ import annotations

import bz2
import hashlib
import io
import re
import zipfile

import pandas as pd
import pytest

from enclaves import pipeline, sources
from enclaves.errors import DataError
from enclaves.pipeline import core, crime
from enclaves.pipeline.crime.contracts import WB_SHEET

pytestmark = pytest.mark.usefixtures("raw_ready")

PUBLISHED = ["crime_state_monthly", "crime_state_annual", "crime_municipal_monthly"]


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute(PUBLISHED, acquire=False)


def _annual(made, state, crime_, year, series, unit):
    a = made["crime_state_annual"]
    row = a[(a.state_code == state) & (a.crime == crime_) & (a.year == year) & (a.series == series) & (a.unit == unit)]
    assert len(row) == 1
    return row.iloc[0]


def _monthly_sum(made, state, crime_, year, series, unit):
    m = made["crime_state_monthly"]
    s = m[(m.state_code == state) & (m.crime == crime_) & (m.year == year) & (m.series == series) & (m.unit == unit)]
    return int(s["value"].sum())


# ---------------------------------------------------------------- README spot values

SPOT_21 = ([("19", "secuestro", y, v) for y, v in zip(range(2008, 2015), (19, 13, 18, 51, 61, 46, 40), strict=True)]
           + [("16", "homicidio_doloso", y, v)
              for y, v in zip(range(2008, 2015), (565, 728, 661, 773, 755, 902, 904), strict=True)]
           + [("16", "secuestro", y, v) for y, v in zip(range(2010, 2013), (136, 130, 135), strict=True)]
           + [("00", "homicidio_doloso", 2011, 22_852), ("00", "homicidio_doloso", 2012, 21_736)])


@pytest.mark.parametrize("state,crime_,year,expected", SPOT_21)
def test_workbook_spot_values(made, state, crime_, year, expected):
    """README 2.1: old-instrument incidents (annual table and monthly sums agree)."""
    row = _annual(made, state, crime_, year, "sesnsp_old", "incidents")
    assert (row.value, row.source) == (expected, crime.WB)
    assert _monthly_sum(made, state, crime_, year, "sesnsp_old", "incidents") == expected


@pytest.mark.parametrize("year,expected,months", [(2014, 1_085, 12), (2015, 943, 12), (2016, 269, 3)])
def test_states_json_victim_spot_values(made, year, expected, months):
    """README 2.2: Michoacán homicidio doloso victims (old instrument)."""
    row = _annual(made, "16", "homicidio_doloso", year, "sesnsp_old", "victims")
    assert (row.value, row.months_covered, row.source) == (expected, months, crime.ST_JSON)


def test_states_json_units_and_gaps(made):
    """README 2.2: hd/ext are victims (17,324 and 6,155 nationally in 2014); sec is null all 2014."""
    assert _annual(made, "00", "homicidio_doloso", 2014, "sesnsp_old", "victims").value == 17_324
    assert _annual(made, "00", "extorsion", 2014, "sesnsp_old", "victims").value == 6_155
    assert _annual(made, "00", "homicidio_doloso", 2014, "sesnsp_old", "incidents").value == 15_649
    # 5,775 is the sum of the states; Nayarit left 4 months blank, so the nation covers 8 months only
    a = made["crime_state_annual"]
    ext = a[(a.crime == "extorsion") & (a.year == 2014) & (a.series == "sesnsp_old") & (a.unit == "incidents")]
    assert ext[ext.state_code != "00"]["value"].sum() == 5_775
    assert _annual(made, "00", "extorsion", 2014, "sesnsp_old", "incidents").months_covered == 8
    sec = _annual(made, "19", "secuestro", 2014, "sesnsp_old", "victims")
    assert pd.isna(sec.value) and sec.months_covered == 0
    m = made["crime_state_monthly"]
    s = m[(m.crime == "secuestro") & (m.year == 2014) & (m.unit == "victims")]
    assert len(s) == 5 * 12 and s["value"].isna().all()


TABLE_23 = {("19039", "homicidio_doloso"): (700, 551, 266, 124, 130),
            ("19039", "secuestro"): (24, 21, 13, 6, 3),
            ("19039", "extorsion"): (24, 59, 88, 148, 188),
            ("15058", "homicidio_doloso"): (137, 171, 169, 145, 172),
            ("15058", "secuestro"): (12, 4, 9, 6, 11),
            ("15058", "robo_vehiculo_sin_violencia"): (2_309, 3_307, 2_461, 2_401, 1_901)}


@pytest.mark.parametrize("code,crime_,year,expected",
                         [(c, k, y, v) for (c, k), vals in TABLE_23.items()
                          for y, v in zip(range(2011, 2016), vals, strict=True)])
def test_municipal_spot_values(made, code, crime_, year, expected):
    """README 2.3 (the row README calls 'rvcv' is labelled 'without violence' upstream)."""
    u = made["crime_municipal_monthly"]
    s = u[(u.mun_code == code) & (u.crime == crime_) & (u.year == year)]
    assert int(s["value"].sum()) == expected


@pytest.mark.parametrize("state,crime_,year,expected",
                         [("16", "homicidio_doloso", y, v) for y, v in
                          zip(range(2015, 2022), (766, 1_263, 1_249, 1_338, 1_680, 1_976, 2_234), strict=True)]
                         + [("19", "secuestro", y, v)
                            for y, v in zip(range(2015, 2019), (21, 27, 35, 28), strict=True)])
def test_idefc_spot_values(made, state, crime_, year, expected):
    """README 2.4: new-instrument monthly incidents (state file)."""
    assert _monthly_sum(made, state, crime_, year, "sesnsp_new", "incidents") == expected


@pytest.mark.parametrize("state,crime_,year,expected",
                         [("16", "homicidio_doloso", y, v)
                          for y, v in zip(range(2015, 2019), (952, 1_449, 1_481, 1_623), strict=True)]
                         + [("19", "secuestro", y, v)
                            for y, v in zip(range(2015, 2019), (22, 30, 36, 29), strict=True)])
def test_victims_spot_values(made, state, crime_, year, expected):
    """README 2.5: new-instrument victims (monthly sums and the annual table agree)."""
    assert _monthly_sum(made, state, crime_, year, "sesnsp_new", "victims") == expected
    row = _annual(made, state, crime_, year, "sesnsp_new", "victims")
    assert (row.value, row.source) == (expected, crime.VICTIMS)


@pytest.mark.parametrize("state,crime_,year,expected",
                         [("16", "homicidio_doloso", 2016, 1_262), ("16", "homicidio_doloso", 2018, 1_338)]
                         + [("19", "secuestro", y, v)
                            for y, v in zip(range(2019, 2025), (26, 16, 19, 22, 17, 25), strict=True)])
def test_idm_spot_values(made, state, crime_, year, expected):
    """README 2.6: new-instrument incidents summed from the municipal file."""
    row = _annual(made, state, crime_, year, "sesnsp_new", "incidents")
    assert (row.value, row.months_covered, row.source) == (expected, 12, crime.IDM)


def test_michoacan_2018_carpetas_vs_victims(made):
    """README section 2 intro: 1,338 carpetas vs 1,623 victims."""
    assert _annual(made, "16", "homicidio_doloso", 2018, "sesnsp_new", "incidents").value == 1_338
    assert _annual(made, "16", "homicidio_doloso", 2018, "sesnsp_new", "victims").value == 1_623


# ---------------------------------------------------------------- table rules


def test_coverage_and_size(made):
    m, a, u = (made[t] for t in PUBLISHED)
    assert set(m.state_code) == {"00", "09", "15", "16", "19"}
    assert a.state_code.nunique() == 33 and u.mun_code.nunique() == 69
    assert (m.year.min(), m.year.max(), a.year.min(), a.year.max()) == (1997, 2025, 1997, 2025)
    assert (u.year.min(), u.year.max()) == (2011, 2016)
    for name in PUBLISHED:
        assert len(core.to_csv_text(made[name]).encode()) < 1_500_000, name


def test_series_never_spliced(made):
    m = made["crime_state_monthly"]
    src = m.groupby(["series", "unit"])["source"].agg(set).to_dict()
    assert src == {("sesnsp_old", "incidents"): {crime.WB, crime.ST_JSON},
                   ("sesnsp_old", "victims"): {crime.ST_JSON},
                   ("sesnsp_new", "incidents"): {crime.IDEFC},
                   ("sesnsp_new", "victims"): {crime.VICTIMS}}
    # the workbook ends in Dec 2014; the JSON gives old incidents only for vehicle theft from Jan 2015
    old = m[(m.series == "sesnsp_old") & (m.unit == "incidents")]
    assert old[old.source == crime.WB].year.max() == 2014
    assert set(old[old.source == crime.ST_JSON].crime) == {"robo_vehiculo_con_violencia",
                                                             "robo_vehiculo_sin_violencia", "robo_vehiculo"}
    assert "feminicidio" not in set(m[m.series == "sesnsp_old"].crime)
    both = m[(m.year == 2015) & (m.month == 1) & (m.state_code == "19") & (m.crime == "robo_vehiculo_con_violencia")]
    assert set(both.series) == {"sesnsp_old", "sesnsp_new"}


def test_blank_cells_are_missing_not_zero(made):
    a = made["crime_state_annual"]
    m = made["crime_state_monthly"]
    # Nayarit 2013 extortion: 12 blank ('   ') cells upstream
    nay = _annual(made, "18", "extorsion", 2013, "sesnsp_old", "incidents")
    assert pd.isna(nay.value) and nay.months_covered == 0
    # so the nation is missing those months, while every focus state is present
    nat = m[(m.state_code == "00") & (m.crime == "extorsion") & (m.year == 2013) & (m.series == "sesnsp_old")]
    assert nat["value"].isna().all() and len(nat) == 12
    # Michoacán 2013 never used the SIN DATOS sub-type: the value is the sum of the others, flagged
    mich = _annual(made, "16", "homicidio_doloso", 2013, "sesnsp_old", "incidents")
    assert (mich.value, mich.parts_missing, mich.months_covered) == (902, 12, 12)
    assert a["value"].dropna().ge(0).all()


def test_national_is_sum_of_states(made):
    a = made["crime_state_annual"]
    idm = a[a.source == crime.IDM]
    st = idm[idm.state_code != "00"].groupby(["year", "crime"])["value"].sum()
    nat = idm[idm.state_code == "00"].set_index(["year", "crime"])["value"]
    assert (st.reindex(nat.index) == nat).all()
    v = a[(a.source == crime.VICTIMS) & (a.year == 2020)]
    assert v[v.state_code != "00"].groupby("crime")["value"].sum().to_dict() == \
        v[v.state_code == "00"].set_index("crime")["value"].to_dict()


def test_partial_years_are_labelled(made):
    a = made["crime_state_annual"]
    assert set(a[(a.year == 2025)].months_covered) == {6}
    assert set(a[(a.year == 2016) & (a.series == "sesnsp_old")].months_covered) == {3}
    assert set(a[(a.year == 2020)].months_covered) == {12}


def test_vehicle_total_is_sum_of_parts(made):
    m = made["crime_state_monthly"]
    w = m.pivot_table(index=["state_code", "year", "month", "series", "unit"], columns="crime", values="value",
                      aggfunc="first", dropna=False)
    w = w.dropna(subset=["robo_vehiculo_con_violencia", "robo_vehiculo_sin_violencia"], how="all")
    assert len(w) == 1_600  # (216 workbook + 15 JSON + 89 IDEFC months) x 5 areas
    either = w.robo_vehiculo_con_violencia.isna() | w.robo_vehiculo_sin_violencia.isna()
    assert (w.robo_vehiculo.isna() == either).all()
    ok = w.dropna(subset=["robo_vehiculo"])
    assert (ok.robo_vehiculo == ok.robo_vehiculo_con_violencia + ok.robo_vehiculo_sin_violencia).all()
    # annual: where all three cover the same months, the total is the sum
    a = made["crime_state_annual"]
    p = a.pivot_table(index=["state_code", "year", "series", "unit"], columns="crime",
                      values=["value", "months_covered"], aggfunc="first")
    same = (p["months_covered"]["robo_vehiculo"] == p["months_covered"]["robo_vehiculo_con_violencia"]) & (
        p["months_covered"]["robo_vehiculo"] == p["months_covered"]["robo_vehiculo_sin_violencia"])
    v = p["value"][same].dropna(subset=["robo_vehiculo"])
    assert len(v) > 1000
    assert (v.robo_vehiculo == v.robo_vehiculo_con_violencia + v.robo_vehiculo_sin_violencia).all()


def test_municipal_months_absent_not_zero(made):
    u = made["crime_municipal_monthly"]
    neza_ext = u[(u.mun_code == "15058") & (u.crime == "extorsion")]
    assert neza_ext.year.min() == 2012  # 2011 is absent upstream, not zero
    assert u.groupby(["mun_code", "crime"]).size().max() == 63
    assert "16083" not in set(u.mun_code)
    # the upstream key swap: Baja California's two cities report far more thefts without violence
    bc = u[u.mun_code.isin(["02002", "02004"]) & u.year.between(2011, 2013)].groupby("crime")["value"].sum()
    assert bc["robo_vehiculo_sin_violencia"] > 40 * bc["robo_vehiculo_con_violencia"]


def test_mapping_table():
    mp = pd.read_csv(crime.paths.mappings_dir() / "crime_sesnsp_municipalities.csv", dtype=str)
    got = dict(zip(mp.name, mp.mun_code, strict=True))
    assert len(got) == 69
    assert got["CHILPANCINGO DE LOS B, GRO"] == "12029" and got["IGUALA DE LA INDEPEND, GRO"] == "12035"
    assert got["MONTERREY, NL"] == "19039" and got["NEZAHUALCOYOTL, MEX"] == "15058"


# ---------------------------------------------------------------- bad input

WBF = "IncidenciaDelictivaEstatal.xlsx"


def _xlsx(sheet=None, sst=None, workbook=None, keep_rows: int | None = 200):
    """Mutate parts of the workbook (optionally cut to its first rows, so the parse stays fast)."""
    def mutate(b: bytes) -> bytes:
        src = zipfile.ZipFile(io.BytesIO(b))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    text = data.decode()
                    if keep_rows:
                        cut = text.index(f'<row r="{keep_rows + 1}"')
                        text = text[:cut] + text[text.index("</sheetData>"):]
                    data = (sheet(text) if sheet else text).encode()
                elif info.filename == "xl/sharedStrings.xml" and sst:
                    data = sst(data.decode()).encode()
                elif info.filename == "xl/workbook.xml" and workbook:
                    data = workbook(data.decode()).encode()
                z.writestr(info.filename, data)
        return out.getvalue()
    return mutate


def _sub(pattern: str, repl: str):
    def f(text: str) -> str:
        new, n = re.subn(pattern, repl, text, count=1)
        assert n == 1, pattern
        return new
    return f


def test_workbook_unknown_crime_label(tampered):
    # row 4 is EXTORSION / EXTORSION; make its SUBTIPO 'FRAUDE' (shared string 52)
    p = tampered(crime.WB, _xlsx(sheet=_sub(r'(<c r="E4"[^>]*><v>)\d+(</v>)', r"\g<1>52\2")))
    with pytest.raises(DataError, match=rf"{WBF}, row 4: unknown crime label \(not in "
                                        r"data/mappings/crime_sesnsp_old_catalog.csv\).*EXTORSION / FRAUDE"):
        crime.parse_workbook(p, p.name)


def test_workbook_non_numeric_cell(tampered):
    # H3 (MARZO) holds 45; point it at the shared string 'ENTIDAD'
    p = tampered(crime.WB, _xlsx(sheet=_sub(r'<c r="H3" s="(\d+)"><v>45</v>', r'<c r="H3" s="\1" t="s"><v>0</v>')))
    with pytest.raises(DataError, match=rf"{WBF}, row 3: month cell MARZO is not a number \('ENTIDAD'\)"):
        crime.parse_workbook(p, p.name)


def test_workbook_renamed_column(tampered):
    p = tampered(crime.WB, _xlsx(sst=_sub(r"<t>SUBTIPO</t>", "<t>SUB-TIPO</t>")))
    with pytest.raises(DataError, match=rf"{WBF}, row 1: header differs .*column missing or renamed.*SUB-TIPO"):
        crime.parse_workbook(p, p.name)


def test_workbook_unknown_state(tampered):
    p = tampered(crime.WB, _xlsx(sst=_sub(r"<t>AGUASCALIENTES</t>", "<t>AGUASCALIENTE</t>")))
    with pytest.raises(DataError, match=rf"{WBF}, row 2: unknown state name .*'AGUASCALIENTE'"):
        crime.parse_workbook(p, p.name)


def test_workbook_total_mismatch(tampered):
    p = tampered(crime.WB, _xlsx(sheet=_sub(r'(<c r="R3" s="\d+"><v>)779(</v>)', r"\g<1>780\2")))
    with pytest.raises(DataError, match=rf"{WBF}, row 3: TOTAL AÑO differs from the sum of the months"):
        crime.parse_workbook(p, p.name)


def test_workbook_missing_sheet(tampered):
    tampered(crime.WB, _xlsx(workbook=_sub(r'name="Incidencia Estatal 1997-122014"', 'name="Hoja1"'),
                             keep_rows=None))
    with pytest.raises(DataError, match=rf"{WBF}, row workbook: sheet 'Incidencia Estatal 1997-122014' missing"):
        pipeline.compute(["crime_state_monthly"], acquire=False)


def test_workbook_error_cell_reads_empty_and_is_caught(tampered):
    # calamine reads an error cell (#DIV/0!) as an empty cell: MARZO drops out of the row's total
    error = r'<c r="H3" s="\1" t="e"><v>#DIV/0!</v>'
    p = tampered(crime.WB, _xlsx(sheet=_sub(r'<c r="H3" s="(\d+)"><v>45</v>', error)))
    assert crime.read_xlsx_sheet(p, p.name, WB_SHEET).loc[3, "H"] is None
    with pytest.raises(DataError, match=rf"{WBF}, row 3: TOTAL AÑO differs from the sum of the months"):
        crime.parse_workbook(p, p.name)


def test_workbook_boolean_cell(tampered):
    p = tampered(crime.WB, _xlsx(sheet=_sub(r'<c r="H3" s="(\d+)"><v>45</v>', r'<c r="H3" s="\1" t="b"><v>1</v>')))
    with pytest.raises(DataError, match=rf"{WBF}, row 3: cell of type 'bool' \(not a number or text\) \(H3 = True\)"):
        crime.parse_workbook(p, p.name)


def test_workbook_not_a_workbook(tampered):
    p = tampered(crime.WB, lambda b: b[:1000])
    with pytest.raises(DataError, match=rf"{WBF}: file is not a readable xlsx workbook"):
        crime.parse_workbook(p, p.name)


#: The workbook's cells as the regular-expression reader that python-calamine replaced read them (commit
#: 77d9fa7, src/enclaves/pipeline/crime/xlsx.py): how many are not empty, and the sha256 of
#: "<Excel row>\t<column>\t<text>\n" for each, in row and column order. Both readers give these.
REGEX_READER_CELLS = (679_944, "10072ae1afbf2f6fa329be845aba82b5f34ea0faddf5cf6db916631b1a9632ab")


def _cells(sheet: pd.DataFrame) -> tuple[int, str]:
    h, n = hashlib.sha256(), 0
    for r, row in zip(sheet.index, sheet.itertuples(index=False), strict=True):
        for c, v in zip(sheet.columns, row, strict=True):
            if v is not None:
                h.update(f"{r}\t{c}\t{v}\n".encode())
                n += 1
    return n, h.hexdigest()


def test_workbook_cells_equal_the_regex_reader(raw_ready):
    sheet = crime.read_xlsx_sheet(sources.load_sources()[crime.WB].raw_path, WBF, WB_SHEET)
    assert sheet.shape == (38_017, 18) and list(sheet.columns[[0, -1]]) == ["A", "R"]
    assert sheet.loc[1, "A"] == "AÑO" and sheet.loc[3, "H"] == 45 and sheet.loc[3, "R"] == 779
    assert _cells(sheet) == REGEX_READER_CELLS


def test_workbook_cells_equal_openpyxl(tampered):
    """The first 200 rows, read by another library."""
    p = tampered(crime.WB, _xlsx())
    ours = crime.read_xlsx_sheet(p, p.name, WB_SHEET)
    ref = pd.read_excel(p, sheet_name=WB_SHEET, header=None, dtype=object, engine="openpyxl",
                        keep_default_na=False, na_values=[])
    ref.index, ref.columns = ref.index + 1, crime.xlsx.column_letters(ref.shape[1])
    assert ours.shape == ref.shape == (200, 18)
    assert ours.equals(ref.mask(ref.eq(""), None))


@pytest.mark.parametrize("n,names", [(1, ["A"]), (26, ["Z"]), (27, ["AA"]), (52, ["AZ"]), (53, ["BA"]),
                                     (702, ["ZZ"]), (703, ["AAA"])])
def test_column_letters(n, names):
    assert crime.xlsx.column_letters(n)[-len(names):] == names


def _text_replace(old: str, new: str, encoding: str = "utf-8"):
    def f(b: bytes) -> bytes:
        o, n = old.encode(encoding), new.encode(encoding)
        assert o in b, old
        return b.replace(o, n, 1)
    return f


def test_states_json_unknown_key(tampered):
    p = tampered(crime.ST_JSON, _text_replace('"sec":', '"secx":'))
    with pytest.raises(DataError, match=r"states.json, row secx: unknown crime key \(not in "
                                        r"data/mappings/crime_sesnsp_json_keys.csv\)"):
        crime.parse_states_json(p, p.name)


def _swap_first_tipo(b: bytes) -> bytes:
    """Relabel the first record under 'rvcv' as theft without violence."""
    i = b.index(b'"rvcv"')
    j = b.index(b"con violencia", i)
    return b[:j] + b"sin violencia" + b[j + len(b"con violencia"):]


def test_states_json_label_mismatch(tampered):
    p = tampered(crime.ST_JSON, _swap_first_tipo)
    with pytest.raises(DataError, match=r"states.json, row rvcv\[0\]: record label differs"):
        crime.parse_states_json(p, p.name)


def test_states_json_negative_count(tampered):
    def neg(b: bytes) -> bytes:
        i = b.index(b'"hd"')
        m = re.compile(rb'"count": ?(\d+)').search(b, i)
        return b[:m.start(1)] + b"-" + b[m.start(1):]
    p = tampered(crime.ST_JSON, neg)
    with pytest.raises(DataError, match=r"states.json, row hd\[0\]: count must be a whole non-negative number"):
        crime.parse_states_json(p, p.name)


def _run_step(name, made):
    s = core.STEPS[name]
    return s.func(core.Inputs(s, made))


def test_unmapped_municipality(tampered, made):
    tampered(crime.MUN_JSON, _text_replace('"MONTERREY, NL"', '"MONTERREY NORTE, NL"'))
    with pytest.raises(DataError, match=r"municipios.json, row \w+\[\d+\]: municipality name not in "
                                        r"data/mappings/crime_sesnsp_municipalities.csv \('MONTERREY NORTE, NL'\)"):
        _run_step("crime_municipal", made)


def test_municipal_spot_guard(tampered, made):
    def bump(b: bytes) -> bytes:
        i = b.index(b'"MONTERREY, NL"')
        m = re.compile(rb'"count": ?(\d+)').search(b, i)
        assert m.start() - i < 40
        return b[:m.start(1)] + str(int(m.group(1)) + 1).encode() + b[m.end(1):]
    tampered(crime.MUN_JSON, bump)
    with pytest.raises(DataError, match=r"municipios.json: spot value check failed for homicidio_doloso in 19039, "
                                        r"2011"):
        _run_step("crime_municipal", made)


IDF = "IDEFC_NM_may22.csv"


def test_idefc_renamed_column(tampered):
    p = tampered(crime.IDEFC, _text_replace("Subtipo de delito,", "Subtipo,", "latin-1"))
    with pytest.raises(DataError, match=rf"{IDF}, row header: required column missing.*Subtipo de delito"):
        crime.parse_idefc(p, p.name)


def test_idefc_unknown_crime_label(tampered):
    p = tampered(crime.IDEFC, _text_replace("Homicidio doloso,Con arma blanca", "Homicidio doloso,Con arco",
                                            "latin-1"))
    with pytest.raises(DataError, match=rf"{IDF}, row 3: unknown crime label .*Homicidio doloso / Con arco"):
        crime.parse_idefc(p, p.name)


def test_idefc_non_numeric_and_late_month(tampered):
    p = tampered(crime.IDEFC, _text_replace("Con arma de fuego,3,0,2,", "Con arma de fuego,3,x,2,", "latin-1"))
    with pytest.raises(DataError, match=rf"{IDF}, row 2: column Febrero holds a non-numeric value \('x'\)"):
        crime.parse_idefc(p, p.name)


def test_idefc_value_after_release(tampered):
    p = tampered(crime.IDEFC, _text_replace("Con arma de fuego,3,1,3,1,2,,", "Con arma de fuego,3,1,3,1,2,7,",
                                            "latin-1"))
    with pytest.raises(DataError, match=rf"{IDF}, row \d+: a month after the release \(2022-05\) holds a value"):
        crime.parse_idefc(p, p.name)


VF = "db_victimas_delitos_ent_long.csv.bz2"


def _victims_head(edit, n_lines: int = 3000):
    """The first lines of the victims file, edited and recompressed (recompressing 133 MB is too slow)."""
    def f(b: bytes) -> bytes:
        text = bz2.BZ2Decompressor().decompress(b[:60_000]).decode()
        lines = text.split("\n")[:n_lines]
        return bz2.compress(edit("\n".join(lines) + "\n").encode())
    return f


def test_victims_unknown_label(tampered):
    p = tampered(crime.VICTIMS, _victims_head(lambda t: t.replace(",Mujer,", ",Mujeres,", 1)))
    with pytest.raises(DataError, match=rf"{VF}, row 2: unknown genero label \('Mujeres'\)"):
        crime.parse_victims(p, p.name)


def test_victims_renamed_column(tampered):
    p = tampered(crime.VICTIMS, _victims_head(lambda t: t.replace("n_victimas", "victimas", 1)))
    with pytest.raises(DataError, match=rf"{VF}, row header: header differs .*missing \['n_victimas'\]"):
        crime.parse_victims(p, p.name)


def test_victims_non_numeric_count(tampered):
    def edit(t: str) -> str:
        lines = t.split("\n")
        lines[5] = lines[5].rsplit(",", 1)[0] + ",n/a"
        return "\n".join(lines)
    p = tampered(crime.VICTIMS, _victims_head(edit))
    with pytest.raises(DataError, match=rf"{VF}, row 6: column n_victimas holds a non-numeric value"):
        crime.parse_victims(p, p.name)


def test_victims_truncated_stream(tampered):
    p = tampered(crime.VICTIMS, lambda b: b[: len(b) // 20])
    with pytest.raises(DataError, match=rf"{VF}: file is not a complete compressed stream \(truncated\?\)"):
        crime.parse_victims(p, p.name)


IMF = "db_incidencia_ent_nac_year_x100khab_mujeres.csv.bz2"


def _idm_edit(edit):
    return lambda b: bz2.compress(edit(bz2.decompress(b).decode()).encode())


def test_idm_national_differs_from_states(tampered):
    def edit(t: str) -> str:
        m = re.search(r"\n2019,00,Nacional,Libertad personal,Secuestro,Secuestro,Secuestro extorsivo,(\d+),", t)
        return t[:m.start(1)] + str(int(m.group(1)) + 1) + t[m.end(1):]
    p = tampered(crime.IDM, _idm_edit(edit))
    with pytest.raises(DataError, match=rf"{IMF}, row 2019, Secuestro / Secuestro extorsivo: national row differs"):
        crime.parse_idm(p, p.name)


def test_idm_unknown_state_name(tampered):
    p = tampered(crime.IDM, _idm_edit(lambda t: t.replace(",19,Nuevo León,", ",19,Nuevo Leon del Norte,", 1)))
    with pytest.raises(DataError, match=rf"{IMF}, row \d+: unknown state name .*'Nuevo Leon del Norte'"):
        crime.parse_idm(p, p.name)


def test_idm_duplicated_key(tampered):
    def edit(t: str) -> str:
        lines = t.split("\n")
        return "\n".join(lines[:3] + [lines[2]] + lines[3:])
    p = tampered(crime.IDM, _idm_edit(edit))
    with pytest.raises(DataError, match=rf"{IMF}, row 4: duplicated key"):
        crime.parse_idm(p, p.name)


def test_conform_rejects_unknown_crime_and_duplicate_key():
    t = pipeline.TABLES["crime_state_monthly"]
    df = pd.DataFrame({"state_code": ["19", "19"], "year": [2010, 2010], "month": [1, 1],
                       "crime": ["secuestro", "secuestro"], "series": ["sesnsp_old"] * 2, "unit": ["incidents"] * 2,
                       "value": [1, 2], "parts_missing": [0, 0], "source": [crime.WB] * 2})
    with pytest.raises(DataError, match=r"table crime_state_monthly, row state_code=19, year=2010, month=1.*"
                                        r"not unique"):
        pipeline.conform(t, df)
    with pytest.raises(DataError, match=r"column crime has a value outside"):
        pipeline.conform(t, df.assign(month=[1, 2], crime=["secuestro", "robo"]))
