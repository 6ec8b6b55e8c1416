"""Crime: SESNSP *incidencia delictiva del fuero común* (state and municipal), old and new instruments.

Series and units are never spliced. SESNSP changed its instrument in 2018 (new catalogue, back-filled
to January 2015; *feminicidio* split out of *homicidio doloso*), so every row carries ``series``
(``sesnsp_old`` = CNSP/38/15, ``sesnsp_new`` = 2018 instrument) and ``unit`` (``incidents`` =
averiguaciones previas / carpetas de investigación, ``victims``). The 2015-2016 overlap of the two
series is kept on purpose: it shows the break.

Which file gives which rows (one source per primary key, the ``source`` column names it):

* old incidents, Jan 1997 - Dec 2014: the SESNSP workbook via México Evalúa (README 2.1);
* old incidents, Jan 2015 - Mar 2016: states.json (2.2), vehicle theft only (its homicide, kidnapping
  and extortion series are victims); its 2014 vehicle-theft months duplicate the workbook and are
  dropped after a cross-check;
* old victims, Jan 2014 - Mar 2016: states.json (homicidio doloso, secuestro, extorsión);
* new incidents, Jan 2015 - May 2022 (monthly): IDEFC_NM (2.4); per year 2015 - Jun 2025: the
  municipal IDM_NM file summed to states (2.6), the only source after May 2022;
* new victims, Jan 2015 - Jun 2025: IDVFC_NM processed by Arroyo (2.5), streamed.

Missing is missing. Blank workbook cells (empty or ``'   '``) are never read as zero. A crime that
sums several upstream cells of one SESNSP crime (homicidio doloso = 4 weapon sub-types; vehicle theft
= 3 vehicle kinds in the new catalogue) is the sum of the cells that were reported, with
``parts_missing`` counting the blank ones; it is missing only when every cell is blank. This is what
README 2.1's spot values assume: states that never used a sub-type such as ``SIN DATOS`` leave it
blank all year (Michoacán 2013-14, México and Sonora 2013-14). The book's own total ``robo_vehiculo``
(with + without violence) is missing when either part is. A national value (``state_code`` '00') is
the sum of the 32 states and is missing for a month in which any state is missing; the IDM file's
own national rows are kept as given (they equal the sum of the states, which is checked). Annual
sums of monthly series say in ``months_covered`` how many months had a value.

Size. A tidy monthly table for all 33 areas would be about 6 MB (the cap is 1.5 MB), so
``crime_state_monthly`` keeps the nation and the four focus states (09, 15, 16, 19) and
``crime_state_annual`` carries every state for every series and unit (annual sums of the monthly
files, and the IDM sums for new incidents). ``crime_municipal_monthly`` has a single source, named
in its contract, and no ``source`` column (it would add 0.6 MB).

Crime labels are mapped to the book's crime slugs through committed tables in ``data/mappings``
(``crime_sesnsp_old_catalog.csv``, ``crime_sesnsp_new_catalog.csv``, ``crime_sesnsp_json_keys.csv``);
every upstream label must be listed there (used or not), so a new label stops the pipeline.
Municipal names ("MONTERREY, NL") map to INEGI codes through ``crime_sesnsp_municipalities.csv``,
cross-checked against the name list and cities.json. In municipios.json the keys ``rvcv`` and
``rvsv`` are swapped relative to their labels; the labels are right (see the mapping notes), so
README 2.3's "Nezahualcóyotl rvcv 2011 = 2,309" is vehicle theft *without* violence here.
"""

from __future__ import annotations

import bz2
import html
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import numpy as np
import pandas as pd

from .. import geo, paths
from ..errors import DataError
from . import readers
from .core import MONTH, MUN_CODE, STATE_CODE, YEAR, Column, step, table

FAMILY = "crime"
WB = "sesnsp_state_old_1997_2014"
ST_JSON = "sesnsp_state_old_2014_2016_json"
MUN_JSON = "sesnsp_mun_old_2011_2016_json"
CITIES = "sesnsp_cities_2016_json"
MUN_NAMES = "sesnsp_municipio_names"
IDEFC = "sesnsp_idefc_nm_2015_may2022"
VICTIMS = "sesnsp_victims_nm_state_2015_2025"
IDM = "sesnsp_idm_nm_state_year_2015_2025"

CRIMES = ("homicidio_doloso", "feminicidio", "secuestro", "extorsion", "robo_vehiculo_con_violencia",
          "robo_vehiculo_sin_violencia", "robo_vehiculo")
MUN_CRIMES = ("homicidio_doloso", "secuestro", "extorsion", "robo_vehiculo_con_violencia",
              "robo_vehiculo_sin_violencia")
VEHICLE_PARTS = ("robo_vehiculo_con_violencia", "robo_vehiculo_sin_violencia")
SERIES = ("sesnsp_old", "sesnsp_new")
UNITS = ("incidents", "victims")
CELL_KEY = ["state_code", "year", "month"]
MONTHLY_AREAS = (geo.NATIONAL, *geo.FOCUS_STATES)
STATES = tuple(f"{i:02d}" for i in range(1, 33))

WB_SHEET = "Incidencia Estatal 1997-122014"
WB_MONTHS = ("ENERO", "FEBRERO", "MARZO", "ABRIL", "MAYO", "JUNIO", "JULIO", "AGOSTO", "SEPTIEMBRE",
             "OCTUBRE", "NOVIEMBRE", "DICIEMBRE")
WB_HEADER = ("AÑO", "ENTIDAD", "MODALIDAD", "TIPO", "SUBTIPO", *WB_MONTHS, "TOTAL AÑO")
WB_YEARS = (1997, 2014)
IDEFC_MONTHS = ("Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre",
                "Octubre", "Noviembre", "Diciembre")
IDEFC_LABELS = ("Bien jurídico afectado", "Tipo de delito", "Subtipo de delito", "Modalidad")
IDEFC_LAST = (2022, 5)  # the May 2022 release: June-December 2022 are empty
VICTIM_COLS = ("date_year_month", "n_year", "n_month", "cve_ent", "nombre_estado", "bien_juridico_afectado",
               "tipo_de_delito", "subtipo_de_delito", "modalidad", "genero", "rango_de_edad", "n_victimas")
NEW_LABELS = ("bien_juridico_afectado", "tipo_de_delito", "subtipo_de_delito", "modalidad")
VICTIM_LAST = (2025, 6)
GENEROS = {"Mujer", "Hombre", "No identificado"}
EDADES = {"Menores de edad (0-17)", "Adultos (18 y más)", "No especificado", "No identificado"}
IDM_COLS = ("n_year", "cve_ent", "nombre_estado", *NEW_LABELS, "n_delitos", "n_delitos_x100khab",
            "n_delitos_x100kmujeres")
IDM_MONTHS = {2025: 6}  # README 2.6: the 2025 sums cover January-June only; other years 12 months
ST_JSON_SPAN = ((2014, 1), (2016, 3))
MUN_JSON_SPAN = ((2011, 1), (2016, 3))

# ------------------------------------------------------------------ contracts

CRIME = Column("crime", "string",
               ("Crime (book slug): homicidio_doloso, feminicidio (new instrument only; inside homicidio_doloso "
                "in the old one), secuestro, extorsion, robo_vehiculo_con_violencia, robo_vehiculo_sin_violencia, "
                "robo_vehiculo (the two together)"), enum=CRIMES)
SERIES_COL = Column("series", "string",
                    ("SESNSP instrument: sesnsp_old = CNSP/38/15 (state 1997-2017, here to Mar 2016); "
                     "sesnsp_new = 2018 instrument back-filled to Jan 2015. Never splice the two."), enum=SERIES)
UNIT_COL = Column("unit", "string",
                  ("incidents = averiguaciones previas / carpetas de investigación opened; victims = persons "
                   "recorded in them (crimes against persons only)"), enum=UNITS)
VALUE = Column("value", "integer", "Count of incidents or victims (see unit); empty = missing upstream",
               unit="incidents or victims", required=False, minimum=0)
PARTS = Column("parts_missing", "integer",
               ("Upstream cells summed into value that were blank (weapon sub-types, vehicle kinds, months, or "
                "states for the nation); 0 = complete, >0 = value is the sum of the reported cells only"),
               minimum=0)
SOURCE = Column("source", "string", "Source id (data/sources) the row comes from",
                enum=(WB, ST_JSON, IDEFC, VICTIMS, IDM))
BREAK_CAVEAT = ("Methodology break: the old (CNSP/38/15) and new (2018) instruments overlap in 2015-2016 but are not "
                "comparable level for level (catalogue, reclassification, feminicidio split out of homicidio "
                "doloso). Plot them as two series; never splice.")
COUNT_CAVEAT = ("Counts are prosecutors' files opened (not occurrences, not convictions); unreported crime, "
                "above 90% by ENVIPE, is missing. Each SESNSP release revises past months.")

_MONTHLY_COLS = [STATE_CODE, YEAR, MONTH, CRIME, SERIES_COL, UNIT_COL, VALUE, PARTS, SOURCE]
_MONTHLY_KEY = ["state_code", "year", "month", "crime", "series", "unit"]

table("_crime_state_old_monthly", title="SESNSP old-instrument state series, monthly (all states)",
      description="Old-instrument incidents 1997-Mar 2016 and victims 2014-Mar 2016 for the 32 states.",
      columns=_MONTHLY_COLS, primary_key=_MONTHLY_KEY, sources=[WB, ST_JSON], family=FAMILY, publish=False)
table("_crime_state_new_monthly", title="SESNSP new-instrument state series, monthly (all states)",
      description="New-instrument incidents Jan 2015-May 2022 and victims Jan 2015-Jun 2025 for the 32 states.",
      columns=_MONTHLY_COLS, primary_key=_MONTHLY_KEY, sources=[IDEFC, VICTIMS], family=FAMILY, publish=False)

table("crime_state_monthly", title="Crime by state and month (SESNSP), nation and focus states",
      description=("Monthly SESNSP counts of homicidio doloso, feminicidio, secuestro, extorsión and vehicle theft "
                   "for the nation ('00') and the case states (Ciudad de México, Estado de México, Michoacán, "
                   "Nuevo León): old instrument, incidents Jan 1997-Mar 2016 (homicide, kidnapping and extortion to "
                   "Dec 2014) and victims Jan 2014-Mar 2016; new instrument, incidents Jan 2015-May 2022 and "
                   "victims Jan 2015-Jun 2025. Every state is in crime_state_annual."),
      columns=_MONTHLY_COLS, primary_key=_MONTHLY_KEY,
      sources=[WB, ST_JSON, IDEFC, VICTIMS], family=FAMILY,
      chapters=["monterrey", "nezahualcoyotl", "tancitaro", "cross_case"],
      caveats=[BREAK_CAVEAT, COUNT_CAVEAT,
               "Old-instrument kidnapping victims are missing for all of 2014 upstream (count null).",
               "Some workbook cells are blank (2002-2014, mostly Sinaloa, Sonora, Baja California, Nayarit, "
               "Coahuila 2010-2014): rows with parts_missing > 0 are partial sums; the national value is "
               "missing in any month with a missing state.",
               "Old-instrument vehicle theft excludes robbery on highways (ROBO EN CARRETERAS); new-instrument "
               "vehicle theft is cars, motorcycles and boats."])

table("crime_state_annual", title="Crime by state and year (SESNSP), every state and the nation",
      description=("Annual SESNSP counts for the 32 states and the nation ('00'). New-instrument incidents "
                   "2015-2025 are the municipal IDM_NM file summed to states (the only source after May 2022; "
                   "national rows as published, 2025 = January-June); the other series/units are annual sums "
                   "of the monthly files behind crime_state_monthly (old incidents 1997-2016, old victims "
                   "2014-2016, new victims 2015-2025), with months_covered saying how many months each sum "
                   "holds."),
      columns=[STATE_CODE, YEAR, CRIME, SERIES_COL, UNIT_COL, VALUE,
               Column("months_covered", "integer",
                      "Months with a reported value summed into value (12 = full year; 2016 old = 3; 2025 = 6)",
                      minimum=0, maximum=12),
               PARTS, SOURCE],
      primary_key=["state_code", "year", "crime", "series", "unit"],
      sources=[IDM, WB, ST_JSON, VICTIMS], family=FAMILY,
      chapters=["monterrey", "nezahualcoyotl", "tancitaro", "cross_case"],
      caveats=[BREAK_CAVEAT, COUNT_CAVEAT,
               "Partial years: old series 2016 covers January-March, new series 2025 January-June "
               "(months_covered). Do not compare them with full years without annualising.",
               "New-instrument incidents come from the municipal file (IDM_NM): they differ by a few units "
               "from the state file (IDEFC_NM) used monthly in crime_state_monthly.",
               "A year with months_covered below the file's span, or parts_missing > 0, is a partial sum."])

table("crime_municipal_monthly", title="Crime by municipality and month, 69 large municipalities (SESNSP, old)",
      description=("Monthly old-instrument incidents of homicidio doloso, secuestro, extorsión and vehicle theft "
                   "with and without violence in the 69 large municipalities published by SESNSP (re-published "
                   "by Valle-Jones), January 2011 - March 2016, including Monterrey (19039) and Nezahualcóyotl "
                   "(15058). All rows come from sesnsp_mun_old_2011_2016_json."),
      columns=[MUN_CODE, YEAR, MONTH,
               Column("crime", "string", "Crime (book slug)", enum=MUN_CRIMES),
               Column("unit", "string", "incidents = averiguaciones previas opened", enum=("incidents",)),
               Column("value", "integer", "Incidents registered in the municipality", unit="incidents",
                      minimum=0)],
      primary_key=["mun_code", "year", "month", "crime"], sources=[MUN_JSON, CITIES, MUN_NAMES],
      family=FAMILY, chapters=["monterrey", "nezahualcoyotl", "cross_case"],
      caveats=[COUNT_CAVEAT,
               "Months with no data are absent upstream (43 to 63 months of homicide per city); an absent "
               "month is missing, not zero.",
               "Municipal counts are by the municipality where the file was registered and need not add up to "
               "the state figures. There is no Tancítaro; Michoacán has Apatzingán, Lázaro Cárdenas, Morelia "
               "and Uruapan only.",
               "Upstream keys rvcv/rvsv are swapped relative to their labels; the labels (checked against the "
               "state totals) define the crime here."])


# ------------------------------------------------------------------ mapping tables


def _norm_label(s: str) -> str:
    return " ".join(str(s).split())


def _mapping(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    path = paths.mappings_dir() / name
    df = readers.read_table(path, columns=columns, strict_columns=True)
    return df.map(_norm_label)


def _catalog(name: str, label_cols: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    df = _mapping(name, (*label_cols, "crime"))
    readers.check_unique(df, list(label_cols), name)
    bad = df["crime"].ne("") & ~df["crime"].isin(CRIMES)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(name, "crime must be a book slug or empty", row=i + 2, detail=repr(df["crime"].iloc[i]))
    return {tuple(r[:-1]): r[-1] for r in df[[*label_cols, "crime"]].itertuples(index=False)}


def old_catalog() -> dict[tuple[str, ...], str]:
    return _catalog("crime_sesnsp_old_catalog.csv", ("modalidad", "tipo", "subtipo"))


def new_catalog() -> dict[tuple[str, ...], str]:
    return _catalog("crime_sesnsp_new_catalog.csv", ("bien_juridico", "tipo", "subtipo", "modalidad"))


def json_keys(file: str) -> dict[str, tuple[str, str, str]]:
    """{key: (tipo label, crime, unit)} for one of the Valle-Jones JSON files."""
    df = _mapping("crime_sesnsp_json_keys.csv", ("file", "key", "tipo", "crime", "unit", "note"))
    readers.check_unique(df, ["file", "key"], "crime_sesnsp_json_keys.csv")
    df = df[df["file"] == file]
    return {k: (t, c, u) for k, t, c, u in zip(df["key"], df["tipo"], df["crime"], df["unit"], strict=True)}


def crime_of_labels(labels: pd.DataFrame, catalog: dict, file: str, mapping: str, rows=None,
                    ids: dict | None = None) -> tuple[pd.Series, np.ndarray]:
    """Crime slug ('' = known but unused) and a label-combination id for every row.

    Every distinct label combination (after collapsing blanks) must be listed in the catalogue
    ``data/mappings/<mapping>``; otherwise a DataError names the first row that has it. ``rows``
    gives row numbers by position (default: position + 2, i.e. the line of a CSV with a header).
    """
    cols = list(labels.columns)
    group = labels.groupby(cols, sort=False, observed=True, dropna=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(labels))).groupby(group).first().to_numpy()
    combos = labels.iloc[first]
    keys = [tuple(_norm_label(v) for v in t) for t in combos.itertuples(index=False, name=None)]
    for k, pos in zip(keys, first, strict=True):
        if k not in catalog:
            row = int(rows[pos]) if rows is not None else int(pos) + 2
            raise DataError(file, f"unknown crime label (not in data/mappings/{mapping})", row=row,
                            detail=" / ".join(k))
    ids = {} if ids is None else ids
    crimes = np.array([catalog[k] for k in keys], dtype=object)
    label_id = np.array([ids.setdefault(k, len(ids)) for k in keys])
    return pd.Series(crimes[group], index=labels.index), label_id[group]


# ------------------------------------------------------------------ helpers


def aggregate(cells: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum ``value`` over cells with the same keys; blank cells are counted in parts_missing, not as zero.

    ``cells`` has ``value`` (Int64, NA = blank) and optionally ``parts_missing`` (default 0 per cell,
    otherwise carried). The sum is NA only when every cell is blank.
    """
    c = cells.copy()
    if "parts_missing" not in c:
        c["parts_missing"] = c["value"].isna().astype(int)
    c["_has"] = c["value"].notna().astype(int)
    out = c.groupby(keys, as_index=False, sort=True).agg(value=("value", "sum"), parts_missing=("parts_missing", "sum"),
                                                         _has=("_has", "sum"))
    out["value"] = out["value"].astype("Int64").where(out["_has"] > 0)
    return out.drop(columns="_has")


def with_vehicle_total(df: pd.DataFrame, keys: list[str], file: str) -> pd.DataFrame:
    """Append 'robo_vehiculo' = with + without violence, per ``keys``; missing if either part is missing."""
    parts = df[df["crime"].isin(VEHICLE_PARTS)]
    g = parts.groupby(keys, as_index=False, sort=True).agg(
        value=("value", "sum"), parts_missing=("parts_missing", "sum"), n=("value", "count"), rows=("crime", "size"))
    if (g["rows"] != 2).any():
        bad = g[g["rows"] != 2].iloc[0]
        raise DataError(file, "vehicle theft needs both parts (with and without violence)",
                        row=", ".join(f"{k}={bad[k]}" for k in keys))
    g["value"] = g["value"].astype("Int64").where(g["n"] == 2)
    total = g.drop(columns=["n", "rows"]).assign(crime="robo_vehiculo")
    return pd.concat([df, total[df.columns]], ignore_index=True)


def national(df: pd.DataFrame, keys: list[str], file: str) -> pd.DataFrame:
    """Sum of the 32 states; missing when any state is missing or absent. One source per national row."""
    st = df[df["state_code"] != geo.NATIONAL]
    g = st.groupby(keys, as_index=False, sort=True).agg(
        value=("value", "sum"), parts_missing=("parts_missing", "sum"), n=("state_code", "nunique"),
        n_rows=("state_code", "size"), n_val=("value", "count"), n_src=("source", "nunique"),
        source=("source", "first"))
    if (g["n_rows"] != g["n"]).any() or (g["n_src"] != 1).any():
        bad = g[(g["n_rows"] != g["n"]) | (g["n_src"] != 1)].iloc[0]
        raise DataError(file, "a state appears twice, or two sources meet, in one national sum",
                        row=", ".join(f"{k}={bad[k]}" for k in keys))
    complete = (g["n"] == 32) & (g["n_val"] == 32)
    g["value"] = g["value"].astype("Int64").where(complete)
    return g.assign(state_code=geo.NATIONAL).drop(columns=["n", "n_rows", "n_val", "n_src"])


def _annual_spots(df: pd.DataFrame, spots: dict, file: str, what: str) -> None:
    """spots: {(state_code, crime, year): expected annual sum} on a monthly frame of one series/unit."""
    a = df.groupby(["state_code", "crime", "year"])["value"].sum()
    for (st, crime, year), expected in spots.items():
        got = int(a.get((st, crime, year), -1))
        readers.expect_equal(got, expected, file, f"{what} {crime}, state {st}, {year}")


# ------------------------------------------------------------------ xlsx (fast, without openpyxl)

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Fast path: numbers and shared strings, attributes in Excel's order (r, s, t). Any other cell sends its
# row to the general pattern below, and a cell neither understands stops the pipeline.
_FAST = re.compile(r'<c r="([A-Z]+)\d+"(?: s="\d+")?(?: t="(s)")?(?:/>|>(?:<f[^>]*?(?:/>|>[^<]*</f>))?'
                   r'<v>([^<]*)</v></c>)')
_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"(?: s="\d+")?(?: t="(\w+)")?((?: [\w:]+="[^"]*")*)\s*'
                   r'(?:/>|>(?:<f[^>]*?(?:/>|>[^<]*</f>))?(?:<v>([^<]*)</v>)?(?:<is>(.*?)</is>)?</c>)', re.S)


def read_xlsx_sheet(path, file: str, sheet: str) -> pd.DataFrame:
    """One worksheet as a DataFrame of text (or None) indexed by Excel row number, columns A, B, ….

    openpyxl needs ~20 s for this 27 MB sheet; one regular expression over the sheet XML takes ~2 s.
    Every ``<c>`` element must match it, or the file is refused.
    """
    try:
        z = zipfile.ZipFile(path)
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as e:
        raise DataError(file, "file is not a readable xlsx workbook", detail=str(e)) from None
    sheets = {s.get("name"): s.get(f"{_RNS}id") for s in wb.iter(f"{_NS}sheet")}
    if sheet not in sheets:
        raise DataError(file, f"sheet '{sheet}' missing", row="workbook", detail=f"sheets: {list(sheets)}")
    target = next((r.get("Target") for r in rels if r.get("Id") == sheets[sheet]), None)
    if target is None:
        raise DataError(file, f"sheet '{sheet}' has no part in the workbook relations", row="workbook")
    member = "xl/" + target.lstrip("/").removeprefix("xl/")
    try:
        sst = []
        if "xl/sharedStrings.xml" in z.namelist():
            sst = ["".join(si.itertext()) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_NS}si")]
        text = z.read(member).decode("utf-8")
    except (KeyError, ET.ParseError, UnicodeDecodeError, zipfile.BadZipFile, EOFError) as e:
        raise DataError(file, "workbook part cannot be read", detail=str(e)) from None
    parts = text.split('<row r="')
    rows: dict[int, dict[str, object]] = {}
    for part in parts[1:]:
        q = part.find('"')
        if q < 1 or not part[:q].isdigit():
            raise DataError(file, "row element without a row number", detail=part[:40])
        r = int(part[:q])
        cells = _FAST.findall(part)
        try:
            if len(cells) == part.count("<c "):
                line = {c: (sst[int(v)] if t else (v or None)) for c, t, v in cells}
            else:
                line = _slow_row(part, r, sst, file)
                cells = line
        except (IndexError, ValueError):
            raise DataError(file, "shared-string index out of range", row=r) from None
        if len(line) != len(cells):
            raise DataError(file, "a cell appears twice in the row", row=r)
        if r in rows:
            raise DataError(file, "row appears twice", row=r)
        rows[r] = line
    if not rows:
        raise DataError(file, f"sheet '{sheet}' has no rows")
    return pd.DataFrame.from_dict(rows, orient="index")


def _slow_row(part: str, r: int, sst: list[str], file: str) -> dict[str, object]:
    found = _CELL.findall(part)
    if len(found) != part.count("<c "):
        raise DataError(file, "row has cells this reader does not understand", row=r)
    line: dict[str, object] = {}
    for c, _, t, rest, v, inl in found:
        if " t=" in rest:
            raise DataError(file, "cell attributes in an unexpected order", row=r, detail=c)
        if c in line:
            raise DataError(file, "a cell appears twice in the row", row=r, detail=c)
        if t in ("", "n"):
            line[c] = v or None
        elif t == "s":
            line[c] = sst[int(v)]
        elif t == "str":
            line[c] = html.unescape(v)
        elif t == "inlineStr":
            line[c] = html.unescape(re.sub(r"<[^>]+>", "", inl))
        else:
            raise DataError(file, f"cell of type '{t}' (error or unsupported)", row=r, detail=f"{c}{r} = {v!r}")
    return line


# ------------------------------------------------------------------ old instrument: workbook (2.1)


def _whole_cells(s: pd.Series, file: str, what: str) -> pd.Series:
    """Workbook cells → Int64 (blank, empty or '   ', → NA); the index holds Excel row numbers."""
    num = pd.to_numeric(s.astype(object), errors="coerce")
    odd = num.isna() & s.notna()
    if odd.any():  # only blank text may fail to parse; anything else is an error
        blank = s[odd].astype(str).str.strip().eq("")
        if not blank.all():
            r = int(blank.index[int((~blank).to_numpy().argmax())])
            raise DataError(file, f"{what} is not a number", row=r, detail=repr(s.loc[r]))
    for bad, rule in ((num.notna() & (num != num.round()), "must be a whole number"),
                      (num.notna() & (num < 0), "may not be negative")):
        if bad.any():
            r = _first_row(bad)
            raise DataError(file, f"{what} {rule}", row=r, detail=repr(s.loc[r]))
    return num.round().astype("Int64")


def parse_workbook(path, file: str) -> pd.DataFrame:
    """Long cells (state_code, year, month, crime, value) of the crimes in the old catalogue's allow-list."""
    sheet = read_xlsx_sheet(path, file, WB_SHEET)
    letters = [chr(ord("A") + i) for i in range(len(WB_HEADER))]
    extra = [c for c in sheet.columns if c not in letters]
    if extra:
        raise DataError(file, "cells beyond the last expected column", detail=str(extra[:5]))
    sheet = sheet.reindex(columns=letters)
    head = tuple(_norm_label(v) if v is not None else "" for v in sheet.loc[1]) if 1 in sheet.index else ()
    if head != WB_HEADER:
        raise DataError(file, "header differs from AÑO, ENTIDAD, MODALIDAD, TIPO, SUBTIPO, ENERO … TOTAL AÑO "
                        "(column missing or renamed?)", row=1, detail=f"got {list(head)}")
    d = sheet.drop(index=1)
    d = d[~d.isna().all(axis=1)]
    d.columns = list(WB_HEADER)
    year = _whole_cells(d["AÑO"], file, "AÑO")
    bad = year.isna() | ~year.between(*WB_YEARS)
    if bad.any():
        r = _first_row(bad.fillna(True))
        raise DataError(file, f"year outside the expected range {WB_YEARS[0]}-{WB_YEARS[1]}", row=r,
                        detail=repr(d.loc[r, "AÑO"]))
    names = d["ENTIDAD"].fillna("").astype(str)
    first = names.drop_duplicates()
    codes = {n: geo.state_code(n, file, r) for r, n in first.items()}
    lab = d[["MODALIDAD", "TIPO", "SUBTIPO"]].fillna("").astype(str)
    crime, label_id = crime_of_labels(lab, old_catalog(), file, "crime_sesnsp_old_catalog.csv", rows=d.index)
    out = pd.DataFrame({"state_code": names.map(codes), "year": year.astype(int), "crime": crime}, index=d.index)
    key = out[["year", "state_code"]].assign(label=label_id)
    dup = key.duplicated()
    if dup.any():
        raise DataError(file, "duplicated key [AÑO, ENTIDAD, MODALIDAD, TIPO, SUBTIPO]", row=_first_row(dup))
    months = pd.DataFrame({m: _whole_cells(d[m], file, f"month cell {m}") for m in WB_MONTHS})
    total = _whole_cells(d["TOTAL AÑO"], file, "TOTAL AÑO")
    off = total.isna() | (months.sum(axis=1) != total)
    if off.any():
        r = _first_row(off)
        raise DataError(file, "TOTAL AÑO differs from the sum of the months", row=r,
                        detail=f"{total.loc[r]} vs {months.loc[r].sum()}")
    n_years = WB_YEARS[1] - WB_YEARS[0] + 1
    n_labels = len(old_catalog())
    if len(d) != 32 * n_years * n_labels or out.groupby(["year", "state_code"]).ngroups != 32 * n_years:
        raise DataError(file, f"expected {32 * n_years * n_labels} data rows (32 states x {n_years} years x "
                        f"{n_labels} crime labels)", detail=f"{len(d)} rows")
    used = out["crime"] != ""
    months.columns = range(1, 13)
    long = pd.concat([out[used], months[used]], axis=1).melt(
        id_vars=["state_code", "year", "crime"], var_name="month", value_name="value")
    long["month"] = long["month"].astype(int)
    return long[["state_code", "year", "month", "crime", "value"]]


# ------------------------------------------------------------------ old instrument: Valle-Jones JSON (2.2, 2.3)


def _months(span: tuple[tuple[int, int], tuple[int, int]]) -> list[tuple[int, int]]:
    (y0, m0), (y1, m1) = span
    return [(y, m) for y in range(y0, y1 + 1) for m in range(1, 13) if (y0, m0) <= (y, m) <= (y1, m1)]


def read_json_records(path, file: str, where: str, area: str, span) -> pd.DataFrame:
    """Records of a {key: [record …]} JSON file as (key, area, year, month, crime, unit, value)."""
    try:
        data = json.loads(readers.read_text(path, "utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(file, "file is not valid JSON (truncated?)", row=f"line {e.lineno}", detail=e.msg) from None
    keys = json_keys(where)
    if not isinstance(data, dict):
        raise DataError(file, "top level must be an object of crime keys")
    unknown = [k for k in data if k not in keys]
    if unknown:
        raise DataError(file, "unknown crime key (not in data/mappings/crime_sesnsp_json_keys.csv)",
                        row=unknown[0])
    missing = [k for k in keys if k not in data]
    if missing:
        raise DataError(file, "crime key missing", row=missing[0])
    lo, hi = span
    recs = []
    for key, items in data.items():
        tipo, crime, unit = keys[key]
        if not isinstance(items, list):
            raise DataError(file, "crime key must hold a list of records", row=key)
        for i, rec in enumerate(items):
            row = f"{key}[{i}]"
            if not isinstance(rec, dict):
                raise DataError(file, "record is not an object", row=row)
            for fld in ("date", "tipo", area):
                if fld not in rec:
                    raise DataError(file, f"record lacks field '{fld}'", row=row)
            if _norm_label(rec["tipo"]) != tipo:
                raise DataError(file, "record label differs from the label expected for its key "
                                "(data/mappings/crime_sesnsp_json_keys.csv)", row=row,
                                detail=f"{rec['tipo']!r}, expected {tipo!r}")
            m = re.fullmatch(r"(\d{4})-(\d{2})-01", str(rec["date"]))
            if not m or not lo <= (int(m.group(1)), int(m.group(2))) <= hi:
                raise DataError(file, f"date must be YYYY-MM-01 within {lo[0]}-{lo[1]:02d}..{hi[0]}-{hi[1]:02d}",
                                row=row, detail=repr(rec["date"]))
            count = rec.get("count")
            if count is not None and (isinstance(count, bool) or not isinstance(count, int | float)
                                      or count != int(count) or count < 0):
                raise DataError(file, "count must be a whole non-negative number or null", row=row,
                                detail=repr(count))
            recs.append((key, rec[area], int(m.group(1)), int(m.group(2)), crime, unit,
                         pd.NA if count is None else int(count), row))
    df = pd.DataFrame(recs, columns=["key", "area", "year", "month", "crime", "unit", "value", "row"])
    df["value"] = df["value"].astype("Int64")
    return df


def parse_states_json(path, file: str) -> pd.DataFrame:
    df = read_json_records(path, file, "states.json", "state_code", ST_JSON_SPAN)
    bad = ~df["area"].map(lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 32)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "state_code must be an integer 1-32", row=df["row"].iloc[i],
                        detail=repr(df["area"].iloc[i]))
    df["state_code"] = df["area"].map(lambda v: f"{v:02d}")
    dup = df.duplicated(["key", "state_code", "year", "month"])
    if dup.any():
        raise DataError(file, "duplicated key [crime key, state_code, date]", row=df["row"][dup].iloc[0])
    n = 32 * len(_months(ST_JSON_SPAN))
    per = df.groupby("key").size()
    if (per != n).any():
        k = per[per != n].index[0]
        raise DataError(file, f"every crime key must have {n} records (32 states x 27 months)", row=k,
                        detail=str(per[k]))
    return df


# ------------------------------------------------------------------ new instrument (2.4, 2.5, 2.6)


def parse_idefc(path, file: str) -> pd.DataFrame:
    df = readers.read_table(path, encoding="latin-1", columns=["Año", "Clave_Ent", "Entidad", *IDEFC_LABELS,
                                                               *IDEFC_MONTHS])
    df["year"] = readers.to_number(df, "Año", file)
    readers.check_years(df["year"], 2015, IDEFC_LAST[0], file)
    ent = readers.to_number(df, "Clave_Ent", file)
    bad = ~ent.between(1, 32)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "Clave_Ent must be 1-32", row=i + 2, detail=repr(df["Clave_Ent"].iloc[i]))
    df["state_code"] = ent.map(lambda v: f"{int(v):02d}")
    _check_state_names(df, "Entidad", "state_code", file)
    df["crime"], df["label"] = crime_of_labels(df[list(IDEFC_LABELS)], new_catalog(), file,
                                               "crime_sesnsp_new_catalog.csv")
    readers.check_unique(df, ["year", "state_code", "label"], file)
    n_years = IDEFC_LAST[0] - 2015 + 1
    n_labels = len(new_catalog())
    if len(df) != 32 * n_years * n_labels:
        raise DataError(file, f"expected {32 * n_years * n_labels} rows (32 states x {n_years} years x "
                        f"{n_labels} crime labels)", detail=f"{len(df)} rows")
    parts = []
    for m, name in enumerate(IDEFC_MONTHS, start=1):
        v = readers.to_number(df, name, file, allow_empty=True)
        late = (df["year"] * 100 + m) > IDEFC_LAST[0] * 100 + IDEFC_LAST[1]
        filled = late & v.notna()
        if filled.any():
            i = int(filled.to_numpy().argmax())
            raise DataError(file, f"a month after the release ({IDEFC_LAST[0]}-{IDEFC_LAST[1]:02d}) holds a value",
                            row=i + 2, detail=f"{name}: {df[name].iloc[i]!r}")
        parts.append(pd.DataFrame({"state_code": df["state_code"], "year": df["year"], "month": m,
                                   "crime": df["crime"], "value": v})[~late])
    cells = pd.concat(parts, ignore_index=True)
    return cells[cells["crime"] != ""]


def _check_state_names(df: pd.DataFrame, name_col: str, code_col: str, file: str) -> None:
    pairs = df[[name_col, code_col]].drop_duplicates()
    for i, (name, code) in pairs.iterrows():
        got = geo.state_code(name, file, int(i) + 2)
        if got != code:
            raise DataError(file, f"{name_col} does not match the state code", row=int(i) + 2,
                            detail=f"{name!r} is {got}, code says {code}")


def parse_victims(path, file: str) -> pd.DataFrame:
    """Stream the 133 MB victims file in chunks, keeping the allow-listed crimes summed over sex and age.

    Text columns are read as categoricals, so every check runs on the few distinct values of a chunk.
    """
    catalog = new_catalog()
    out = []
    months_seen: set[tuple[int, int]] = set()
    label_ids: dict[tuple, int] = {}
    start = 0
    # text labels as categoricals; codes and counts as plain objects (a categorical would turn '01' into 1)
    kinds = {c: "category" for c in (*NEW_LABELS, "nombre_estado", "genero", "rango_de_edad")}
    kinds |= {c: object for c in ("date_year_month", "n_year", "n_month", "cve_ent", "n_victimas")}
    try:
        with bz2.open(path, "rt", encoding="utf-8", newline="") as fh:
            chunks = pd.read_csv(fh, dtype=kinds, keep_default_na=False, na_values=[],
                                 chunksize=300_000)
            for ch in chunks:
                ch.index = pd.RangeIndex(start + 2, start + 2 + len(ch))
                if start == 0:
                    header = [c.strip().lstrip("\ufeff") for c in ch.columns]
                    if tuple(header) != VICTIM_COLS:
                        missing = [c for c in VICTIM_COLS if c not in header]
                        extra = [c for c in header if c not in VICTIM_COLS]
                        raise DataError(file, "header differs from the expected columns (renamed upstream?)",
                                        row="header", detail=f"missing {missing}, unexpected {extra}")
                out.append(_victim_chunk(ch, file, catalog, months_seen, label_ids))
                start += len(ch)
    except UnicodeDecodeError as e:
        raise DataError(file, "text is not valid utf-8", row=f"after line {start + 1}", detail=str(e)) from None
    except pd.errors.ParserError as e:
        raise DataError(file, "file cannot be parsed as delimited text", row=f"after line {start + 1}",
                        detail=str(e)) from None
    except (OSError, EOFError) as e:
        raise DataError(file, "file is not a complete compressed stream (truncated?)",
                        detail=str(e)) from None
    if start == 0:
        raise DataError(file, "file has a header but no data rows")
    df = pd.concat(out, ignore_index=True)
    dup = df.duplicated(["year", "month", "state_code", "label", "genero", "rango_de_edad"])
    if dup.any():
        raise DataError(file, "duplicated key [date, state, crime labels, genero, rango_de_edad]",
                        row=int(df["line"][dup].iloc[0]))
    want = _months(((2015, 1), VICTIM_LAST))
    if sorted(months_seen) != want:
        raise DataError(file, f"months must run without gaps from 2015-01 to {VICTIM_LAST[0]}-"
                        f"{VICTIM_LAST[1]:02d}", detail=f"{len(months_seen)} months found")
    cells = df.groupby(["state_code", "year", "month", "crime"], as_index=False)["value"].sum()
    per = cells.groupby("crime").size()
    n = 32 * len(want)
    if (per != n).any() or set(per.index) != {"homicidio_doloso", "feminicidio", "secuestro", "extorsion"}:
        raise DataError(file, f"every crime must have {n} state-months", detail=repr(per.to_dict()))
    return cells


def _first_row(mask: pd.Series) -> int:
    return int(mask.index[int(mask.to_numpy().argmax())])


def _victim_chunk(ch: pd.DataFrame, file: str, catalog: dict, months_seen: set, label_ids: dict) -> pd.DataFrame:
    for col, allowed in (("genero", GENEROS), ("rango_de_edad", EDADES)):
        bad = ~ch[col].isin(allowed)
        if bad.any():
            i = _first_row(bad)
            raise DataError(file, f"unknown {col} label", row=i, detail=repr(ch.loc[i, col]))
    dates = ch[["date_year_month", "n_year", "n_month"]].drop_duplicates()
    for i, (d, y, m) in dates.iterrows():
        if not (re.fullmatch(r"\d{4}", y) and re.fullmatch(r"\d{2}", m) and d == f"{y}-{m}-15"
                and 1 <= int(m) <= 12 and 2015 <= int(y) <= VICTIM_LAST[0]):
            raise DataError(file, "date_year_month, n_year and n_month must agree (YYYY-MM-15, 2015-2025)",
                            row=int(i), detail=f"{d!r}, {y!r}, {m!r}")
        months_seen.add((int(y), int(m)))
    ents = ch[["cve_ent", "nombre_estado"]].drop_duplicates()
    for i, (c, name) in ents.iterrows():
        if c not in STATES:
            raise DataError(file, "cve_ent must be a 2-digit state code 01-32", row=int(i), detail=repr(c))
        if geo.state_code(name, file, int(i)) != c:
            raise DataError(file, "nombre_estado does not match cve_ent", row=int(i), detail=f"{name!r} vs {c}")
    crime, label_id = crime_of_labels(ch[list(NEW_LABELS)], catalog, file, "crime_sesnsp_new_catalog.csv",
                                      rows=ch.index, ids=label_ids)
    keep = (crime != "").to_numpy()
    k = ch[keep]
    n = pd.to_numeric(k["n_victimas"], errors="coerce")
    if n.isna().any() or (n < 0).any() or (n != n.round()).any():
        readers.to_number(ch, "n_victimas", file, row_offset=int(ch.index[0]))  # names the row
        raise DataError(file, "column n_victimas must be a whole non-negative number", row=_first_row(n.isna()))
    return pd.DataFrame({"state_code": k["cve_ent"].astype(str), "year": k["n_year"].astype(int),
                         "month": k["n_month"].astype(int), "crime": crime[keep], "value": n.astype("int64"),
                         "label": label_id[keep], "genero": k["genero"].astype(str),
                         "rango_de_edad": k["rango_de_edad"].astype(str), "line": k.index})


def parse_idm(path, file: str) -> pd.DataFrame:
    df = readers.read_table(path, columns=IDM_COLS, compression="bz2")
    df["year"] = readers.to_number(df, "n_year", file)
    readers.check_years(df["year"], 2015, VICTIM_LAST[0], file)
    bad = ~df["cve_ent"].isin((geo.NATIONAL, *STATES))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "cve_ent must be '00' or a 2-digit state code", row=i + 2,
                        detail=repr(df["cve_ent"].iloc[i]))
    df = df.rename(columns={"cve_ent": "state_code"})
    _check_state_names(df, "nombre_estado", "state_code", file)
    df["crime"], df["label"] = crime_of_labels(df[list(NEW_LABELS)], new_catalog(), file,
                                               "crime_sesnsp_new_catalog.csv")
    df["value"] = readers.to_number(df, "n_delitos", file)
    readers.check_unique(df, ["year", "state_code", "label"], file)
    n = 33 * (VICTIM_LAST[0] - 2015 + 1) * len(new_catalog())
    if len(df) != n:
        raise DataError(file, f"expected {n} rows (33 areas x 11 years x crime labels)", detail=f"{len(df)} rows")
    # the national rows must equal the sum of the states, label by label
    keys = ["year", *NEW_LABELS]
    nat = df[df["state_code"] == geo.NATIONAL].set_index(keys)["value"]
    st = df[df["state_code"] != geo.NATIONAL].groupby(keys)["value"].sum()
    diff = (nat - st.reindex(nat.index)).fillna(1) != 0
    if diff.any():
        k = nat.index[int(diff.to_numpy().argmax())]
        raise DataError(file, "national row differs from the sum of the 32 states", row=f"{k[0]}, {k[-2]} / {k[-1]}",
                        detail=f"{nat[k]} vs {st.get(k)}")
    return df[df["crime"] != ""][["state_code", "year", "crime", "value"]]


# ------------------------------------------------------------------ steps


def _frame(cells: pd.DataFrame, series: str, unit: str, source: str) -> pd.DataFrame:
    return cells.assign(series=series, unit=unit, source=source)


@step(sources=[WB, ST_JSON], outputs=["_crime_state_old_monthly"], family=FAMILY)
def crime_state_old(inp):
    fw, fj = inp.raw(WB).name, inp.raw(ST_JSON).name
    wb = parse_workbook(inp.raw(WB), fw)
    wbm = with_vehicle_total(aggregate(wb, [*CELL_KEY, "crime"]), CELL_KEY, fw)
    spots = {("19", "secuestro", y): v for y, v in zip(range(2008, 2015), (19, 13, 18, 51, 61, 46, 40), strict=True)}
    spots |= {("16", "homicidio_doloso", y): v
              for y, v in zip(range(2008, 2015), (565, 728, 661, 773, 755, 902, 904), strict=True)}
    spots |= {("16", "secuestro", y): v for y, v in zip(range(2010, 2013), (136, 130, 135), strict=True)}
    _annual_spots(wbm, spots, fw, "old incidents")
    nat = wbm.groupby(["crime", "year"])["value"].sum()
    for (crime, y), v in {("homicidio_doloso", 2011): 22_852, ("homicidio_doloso", 2012): 21_736,
                          ("homicidio_doloso", 2014): 15_649, ("extorsion", 2014): 5_775}.items():
        readers.expect_equal(int(nat[(crime, y)]), v, fw, f"national {crime} {y}")

    js = parse_states_json(inp.raw(ST_JSON), fj)
    # vehicle theft 2014 appears in both files: the workbook is kept; the JSON must agree within 1%
    for crime in VEHICLE_PARTS:
        a = int(wb[(wb.crime == crime) & (wb.year == 2014)]["value"].sum())
        b = int(js[(js.crime == crime) & (js.year == 2014)]["value"].sum())
        if abs(a - b) > 0.01 * a:
            raise DataError(fj, "2014 national vehicle theft differs from the workbook by more than 1%",
                            row=crime, detail=f"{b} vs {a}")
    vic = js[js.unit == "victims"]
    jv = aggregate(vic[[*CELL_KEY, "crime", "value"]], [*CELL_KEY, "crime"])
    _annual_spots(jv, {("16", "homicidio_doloso", 2014): 1_085, ("16", "homicidio_doloso", 2015): 943,
                       ("16", "homicidio_doloso", 2016): 269}, fj, "old victims")
    vn = jv.groupby(["crime", "year"])["value"].sum()
    readers.expect_equal(int(vn[("homicidio_doloso", 2014)]), 17_324, fj, "national homicidio doloso victims 2014")
    readers.expect_equal(int(vn[("extorsion", 2014)]), 6_155, fj, "national extorsion victims 2014")
    readers.expect_equal(int(jv[(jv.crime == "secuestro") & (jv.year == 2014)]["value"].notna().sum()), 0, fj,
                         "secuestro 2014 is null upstream (number of non-null state-months)")
    inc = js[(js.unit == "incidents") & (js.year >= 2015)]
    ji = with_vehicle_total(aggregate(inc[[*CELL_KEY, "crime", "value"]], [*CELL_KEY, "crime"]), CELL_KEY, fj)
    out = pd.concat([_frame(wbm, "sesnsp_old", "incidents", WB), _frame(ji, "sesnsp_old", "incidents", ST_JSON),
                     _frame(jv, "sesnsp_old", "victims", ST_JSON)], ignore_index=True)
    return {"_crime_state_old_monthly": out[[c.name for c in _MONTHLY_COLS]]}


@step(sources=[IDEFC, VICTIMS], outputs=["_crime_state_new_monthly"], family=FAMILY)
def crime_state_new(inp):
    fi, fv = inp.raw(IDEFC).name, inp.raw(VICTIMS).name
    inc = with_vehicle_total(aggregate(parse_idefc(inp.raw(IDEFC), fi), [*CELL_KEY, "crime"]), CELL_KEY, fi)
    spots = {("16", "homicidio_doloso", y): v for y, v in
             zip(range(2015, 2022), (766, 1_263, 1_249, 1_338, 1_680, 1_976, 2_234), strict=True)}
    spots |= {("19", "secuestro", y): v for y, v in zip(range(2015, 2019), (21, 27, 35, 28), strict=True)}
    _annual_spots(inc, spots, fi, "new incidents")
    vic = parse_victims(inp.raw(VICTIMS), fv).assign(parts_missing=0)
    spots = {("16", "homicidio_doloso", y): v
             for y, v in zip(range(2015, 2019), (952, 1_449, 1_481, 1_623), strict=True)}
    spots |= {("19", "secuestro", y): v for y, v in zip(range(2015, 2019), (22, 30, 36, 29), strict=True)}
    _annual_spots(vic, spots, fv, "new victims")
    out = pd.concat([_frame(inc, "sesnsp_new", "incidents", IDEFC), _frame(vic, "sesnsp_new", "victims", VICTIMS)],
                    ignore_index=True)
    return {"_crime_state_new_monthly": out[[c.name for c in _MONTHLY_COLS]]}


@step(sources=[IDM], needs=["_crime_state_old_monthly", "_crime_state_new_monthly"],
      outputs=["crime_state_monthly", "crime_state_annual"], family=FAMILY)
def crime_state_tables(inp):
    f = inp.raw(IDM).name
    states = pd.concat([inp.table("_crime_state_old_monthly"), inp.table("_crime_state_new_monthly")],
                       ignore_index=True)
    mkeys = ["year", "month", "crime", "series", "unit"]
    monthly = pd.concat([states, national(states, mkeys, "crime_state_monthly")], ignore_index=True)
    monthly = monthly[[c.name for c in _MONTHLY_COLS]]

    # annual sums of the monthly series (state and national rows alike), except new incidents (IDM below)
    akeys = ["state_code", "year", "crime", "series", "unit", "source"]
    m = monthly[~((monthly.series == "sesnsp_new") & (monthly.unit == "incidents"))]
    has = m["value"].notna()
    ann = m.assign(_has=has.astype(int), _parts=m["parts_missing"].where(has, 0)).groupby(akeys, as_index=False).agg(
        value=("value", "sum"), months_covered=("_has", "sum"), parts_missing=("_parts", "sum"))
    ann["value"] = ann["value"].astype("Int64").where(ann["months_covered"] > 0)

    idm = parse_idm(inp.raw(IDM), f)
    idm = with_vehicle_total(aggregate(idm.assign(parts_missing=0), ["state_code", "year", "crime"]),
                             ["state_code", "year"], f)
    a = idm.set_index(["state_code", "crime", "year"])["value"]
    spots = {("16", "homicidio_doloso", 2016): 1_262, ("16", "homicidio_doloso", 2018): 1_338}
    spots |= {("19", "secuestro", y): v for y, v in zip(range(2019, 2025), (26, 16, 19, 22, 17, 25), strict=True)}
    for (st, crime, y), v in spots.items():
        readers.expect_equal(int(a[(st, crime, y)]), v, f, f"IDM {crime}, state {st}, {y}")
    nat = idm[idm.state_code == geo.NATIONAL].set_index(["crime", "year"])["value"]
    if not nat[("homicidio_doloso", 2025)] < 0.75 * nat[("homicidio_doloso", 2024)]:
        raise DataError(f, "2025 should cover January-June only (README 2.6) but looks like a full year",
                        row="2025", detail=f"{nat[('homicidio_doloso', 2025)]} vs {nat[('homicidio_doloso', 2024)]}")
    # IDM (municipal sums) and IDEFC (state file) must agree within 2% nationally per crime-year, 2015-2021
    idefc = monthly[(monthly.source == IDEFC) & (monthly.state_code == geo.NATIONAL) & (monthly.year <= 2021)]
    ia = idefc.groupby(["crime", "year"])["value"].sum()
    for (crime, y), v in ia.items():
        if abs(int(nat[(crime, y)]) - int(v)) > max(5, 0.02 * int(v)):
            raise DataError(f, "IDM national sum differs from IDEFC_NM by more than 2%", row=f"{crime} {y}",
                            detail=f"{nat[(crime, y)]} vs {v}")
    idm = idm.assign(series="sesnsp_new", unit="incidents", source=IDM,
                     months_covered=idm["year"].map(lambda y: IDM_MONTHS.get(y, 12)))
    annual = pd.concat([ann, idm], ignore_index=True)
    annual = annual[["state_code", "year", "crime", "series", "unit", "value", "months_covered", "parts_missing",
                     "source"]]
    per = annual.groupby(["year", "crime", "series", "unit"])["state_code"].nunique()
    if (per != 33).any():
        raise DataError("crime_state_annual", "every year must have 32 states and the nation",
                        row=str(per[per != 33].index[0]))
    return {"crime_state_monthly": monthly[monthly.state_code.isin(MONTHLY_AREAS)], "crime_state_annual": annual}


# ------------------------------------------------------------------ municipalities (2.3)


def municipal_map(known: set[str], names_path, cities_path) -> dict[str, str]:
    """name → mun_code from data/mappings/crime_sesnsp_municipalities.csv, cross-checked against the lookup aids."""
    mapfile = "crime_sesnsp_municipalities.csv"
    mp = readers.read_table(paths.mappings_dir() / mapfile, columns=["name", "mun_code", "note"])
    readers.check_unique(mp, ["name"], mapfile)
    bad = ~mp["mun_code"].str.fullmatch(r"\d{5}")
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(mapfile, "mun_code must be 5 digits", row=i + 2, detail=repr(mp["mun_code"].iloc[i]))
    readers.check_known_codes(mp["mun_code"], known, mapfile)
    fn = names_path.name
    mn = readers.read_table(names_path, encoding="latin-1", columns=["state_code", "mun_code", "MUNICIPIO"])
    sc = readers.to_number(mn, "state_code", fn)
    mc = readers.to_number(mn, "mun_code", fn)
    names = dict(zip([geo.mun_code(s, m) for s, m in zip(sc, mc, strict=True)], mn["MUNICIPIO"].map(geo.normalize),
                     strict=True))
    for i, (name, code, note) in enumerate(zip(mp["name"], mp["mun_code"], mp["note"], strict=True), start=2):
        mun, _, abbr = name.rpartition(", ")
        if geo.state_code(abbr, mapfile, i) != code[:2]:
            raise DataError(mapfile, "state abbreviation in the name disagrees with the code", row=i,
                            detail=f"{name!r} → {code}")
        ref = names.get(code)
        want = geo.normalize(mun)
        ok = ref == want or (note.startswith("truncated") and ref is not None and ref.startswith(want))
        if not ok:
            raise DataError(mapfile, f"name does not match {fn} for this code", row=i, detail=f"{name!r} vs {ref!r}")
    fc = cities_path.name
    try:
        cities = json.loads(readers.read_text(cities_path, "utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(fc, "file is not valid JSON", row=f"line {e.lineno}", detail=e.msg) from None
    mapping = dict(zip(mp["name"], mp["mun_code"], strict=True))
    for key, items in cities.items():
        for j, rec in enumerate(items):
            n = rec.get("name")
            if n in mapping:
                code = geo.mun_code(rec["state_code"], rec["mun_code"])
                if code != mapping[n]:
                    raise DataError(mapfile, f"code disagrees with {fc}", row=f"{n} ({key}[{j}])",
                                    detail=f"{mapping[n]} vs {code}")
    return mapping


@step(sources=[MUN_JSON, CITIES, MUN_NAMES], needs=["municipalities", "_crime_state_old_monthly"],
      outputs=["crime_municipal_monthly"], family=FAMILY)
def crime_municipal(inp):
    f = inp.raw(MUN_JSON).name
    known = set(inp.table("municipalities")["mun_code"])
    mapping = municipal_map(known, inp.raw(MUN_NAMES), inp.raw(CITIES))
    df = read_json_records(inp.raw(MUN_JSON), f, "municipios.json", "name", MUN_JSON_SPAN)
    unmapped = ~df["area"].isin(mapping)
    if unmapped.any():
        i = int(unmapped.to_numpy().argmax())
        raise DataError(f, "municipality name not in data/mappings/crime_sesnsp_municipalities.csv",
                        row=df["row"].iloc[i], detail=repr(df["area"].iloc[i]))
    if df["value"].isna().any():
        i = int(df["value"].isna().to_numpy().argmax())
        raise DataError(f, "count may not be null (absent months are absent records)", row=df["row"].iloc[i])
    df["mun_code"] = df["area"].map(mapping)
    dup = df.duplicated(["mun_code", "year", "month", "crime"])
    if dup.any():
        raise DataError(f, "duplicated key [municipality, date, crime]", row=df["row"][dup].iloc[0])
    if df["mun_code"].nunique() != 69:
        raise DataError(f, "expected 69 municipalities", detail=str(df["mun_code"].nunique()))
    a = df.groupby(["mun_code", "crime", "year"])["value"].sum()
    table_23 = {("19039", "homicidio_doloso"): (700, 551, 266, 124, 130),
                ("19039", "secuestro"): (24, 21, 13, 6, 3),
                ("19039", "extorsion"): (24, 59, 88, 148, 188),
                ("15058", "homicidio_doloso"): (137, 171, 169, 145, 172),
                ("15058", "secuestro"): (12, 4, 9, 6, 11),
                # README 2.3 calls this row 'rvcv' after the upstream key; its label says without violence
                ("15058", "robo_vehiculo_sin_violencia"): (2_309, 3_307, 2_461, 2_401, 1_901)}
    for (code, crime), values in table_23.items():
        for y, v in zip(range(2011, 2016), values, strict=True):
            readers.expect_equal(int(a.get((code, crime, y), -1)), v, f, f"{crime} in {code}, {y}")
    # guard against swapped labels: 2011-2014 municipal sums may not exceed the state totals by > 10%
    st = inp.table("_crime_state_old_monthly")
    st = st[(st.unit == "incidents") & st.year.between(2011, 2014)].groupby(["state_code", "crime"])["value"].sum()
    mu = df[df.year.between(2011, 2014)].assign(state_code=df["mun_code"].str[:2]).groupby(
        ["state_code", "crime"])["value"].sum()
    for (s, crime), v in mu.items():
        if v > 1.1 * st.get((s, crime), 0) + 10:
            raise DataError(f, "2011-2014 municipal sum exceeds the state total (crime labels swapped?)",
                            row=f"state {s}, {crime}", detail=f"{v} vs {st.get((s, crime))}")
    out = df.assign(unit="incidents")[["mun_code", "year", "month", "crime", "unit", "value"]]
    return {"crime_municipal_monthly": out}
