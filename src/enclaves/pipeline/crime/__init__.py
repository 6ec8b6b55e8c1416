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
* new victims, Jan 2015 - Jun 2025: IDVFC_NM processed by Arroyo (2.5), streamed;
* every municipality, by name only: new-instrument homicide files by month, Jan 2024 - Jun 2025 (2.7,
  ``incidents_municipal_monthly``; its state sums equal the IDM state-year file, checked) and old-instrument
  annual files 2011-2013 (2.8, ``crime_municipal_annual``; 2014 is partial upstream and dropped; 2011-2012
  equal ``crime_municipal_monthly`` for its 69 cities, checked). Names map to INEGI codes through
  ``municipal_names`` (catalogues first, then ``crime_sesnsp_municipal_names.csv``, each row with a reason).

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

import pandas as pd

from ... import geo, paths
from ...errors import DataError
from .. import readers
from ..core import step
from .catalog import crime_of_labels, json_keys, municipal_map, new_catalog, old_catalog
from .contracts import (
    CELL_KEY,
    CITIES,
    CRIMES,
    FAMILY,
    GEO_CODES,
    IDEFC,
    IDM,
    IDM_MONTHS,
    MONTHLY_AREAS,
    MONTHLY_COLS,
    MUN_2024,
    MUN_ANNUAL,
    MUN_CRIMES,
    MUN_JSON,
    MUN_JSON_SPAN,
    MUN_NAMES,
    SERIES,
    ST_JSON,
    UNITS,
    VEHICLE_PARTS,
    VICTIMS,
    WB,
)
from .derive import aggregate, annual_spots, national, with_vehicle_total
from .municipal_2024 import check_2024, parse_mun_2024
from .municipal_annual_2011 import check_annual, parse_mun_annual
from .municipal_names import catalogues, match_names
from .new_instrument import parse_idefc, parse_idm, parse_victims
from .valle_jones import parse_states_json, read_json_records
from .workbook import parse_workbook
from .xlsx import read_xlsx_sheet

__all__ = ["CITIES", "CRIMES", "FAMILY", "GEO_CODES", "IDEFC", "IDM", "MUN_2024", "MUN_ANNUAL", "MUN_CRIMES",
           "MUN_JSON", "MUN_NAMES", "SERIES", "ST_JSON", "UNITS", "VICTIMS", "WB", "aggregate", "catalogues",
           "check_2024", "check_annual", "crime_municipal", "crime_municipal_annual_2011", "crime_of_labels",
           "crime_state_new", "crime_state_old", "crime_state_tables", "incidents_municipal_2024", "json_keys",
           "match_names", "municipal_map", "national", "new_catalog", "old_catalog", "parse_idefc", "parse_idm",
           "parse_mun_2024", "parse_mun_annual", "parse_states_json", "parse_victims", "parse_workbook", "paths",
           "read_json_records", "read_xlsx_sheet", "with_vehicle_total"]


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
    annual_spots(wbm, spots, fw, "old incidents")
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
    annual_spots(jv, {("16", "homicidio_doloso", 2014): 1_085, ("16", "homicidio_doloso", 2015): 943,
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
    return {"_crime_state_old_monthly": out[[c.name for c in MONTHLY_COLS]]}


@step(sources=[IDEFC, VICTIMS], outputs=["_crime_state_new_monthly"], family=FAMILY)
def crime_state_new(inp):
    fi, fv = inp.raw(IDEFC).name, inp.raw(VICTIMS).name
    inc = with_vehicle_total(aggregate(parse_idefc(inp.raw(IDEFC), fi), [*CELL_KEY, "crime"]), CELL_KEY, fi)
    spots = {("16", "homicidio_doloso", y): v for y, v in
             zip(range(2015, 2022), (766, 1_263, 1_249, 1_338, 1_680, 1_976, 2_234), strict=True)}
    spots |= {("19", "secuestro", y): v for y, v in zip(range(2015, 2019), (21, 27, 35, 28), strict=True)}
    annual_spots(inc, spots, fi, "new incidents")
    vic = parse_victims(inp.raw(VICTIMS), fv).assign(parts_missing=0)
    spots = {("16", "homicidio_doloso", y): v
             for y, v in zip(range(2015, 2019), (952, 1_449, 1_481, 1_623), strict=True)}
    spots |= {("19", "secuestro", y): v for y, v in zip(range(2015, 2019), (22, 30, 36, 29), strict=True)}
    annual_spots(vic, spots, fv, "new victims")
    out = pd.concat([_frame(inc, "sesnsp_new", "incidents", IDEFC), _frame(vic, "sesnsp_new", "victims", VICTIMS)],
                    ignore_index=True)
    return {"_crime_state_new_monthly": out[[c.name for c in MONTHLY_COLS]]}


@step(sources=[IDM], needs=["_crime_state_old_monthly", "_crime_state_new_monthly"],
      outputs=["crime_state_monthly", "crime_state_annual"], family=FAMILY)
def crime_state_tables(inp):
    f = inp.raw(IDM).name
    states = pd.concat([inp.table("_crime_state_old_monthly"), inp.table("_crime_state_new_monthly")],
                       ignore_index=True)
    mkeys = ["year", "month", "crime", "series", "unit"]
    monthly = pd.concat([states, national(states, mkeys, "crime_state_monthly")], ignore_index=True)
    monthly = monthly[[c.name for c in MONTHLY_COLS]]

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


@step(sources=[MUN_2024, MUN_NAMES, GEO_CODES], needs=["municipalities", "crime_state_annual"],
      outputs=["incidents_municipal_monthly"], family=FAMILY)
def incidents_municipal_2024(inp):
    f = inp.raw(MUN_2024).name
    mun = inp.table("municipalities")
    df = parse_mun_2024(inp.raw(MUN_2024), f, catalogues(mun, inp.raw(GEO_CODES), inp.raw(MUN_NAMES)), MUN_2024)
    check_2024(df, set(mun["mun_code"]), inp.table("crime_state_annual"), f)
    return {"incidents_municipal_monthly": df}


@step(sources=[MUN_ANNUAL, MUN_NAMES, GEO_CODES], needs=["municipalities", "crime_municipal_monthly"],
      outputs=["crime_municipal_annual"], family=FAMILY)
def crime_municipal_annual_2011(inp):
    f = inp.raw(MUN_ANNUAL).name
    cats = catalogues(inp.table("municipalities"), inp.raw(GEO_CODES), inp.raw(MUN_NAMES))
    df = parse_mun_annual(inp.raw(MUN_ANNUAL), f, cats, MUN_ANNUAL)
    check_annual(df, inp.table("crime_municipal_monthly"), f)
    return {"crime_municipal_annual": df[df["year"] <= 2013]}  # 2014 is partial upstream (README 2.8)
