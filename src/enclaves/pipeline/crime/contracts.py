"""Crime: source ids, the shape of each upstream file, and the table contracts (see the package docstring)."""

from __future__ import annotations

from ... import geo
from ..core import MONTH, MUN_CODE, STATE_CODE, YEAR, Column, table

FAMILY = "crime"
WB = "sesnsp_state_old_1997_2014"
ST_JSON = "sesnsp_state_old_2014_2016_json"
MUN_JSON = "sesnsp_mun_old_2011_2016_json"
CITIES = "sesnsp_cities_2016_json"
MUN_NAMES = "sesnsp_municipio_names"
IDEFC = "sesnsp_idefc_nm_2015_may2022"
VICTIMS = "sesnsp_victims_nm_state_2015_2025"
IDM = "sesnsp_idm_nm_state_year_2015_2025"
MUN_2024 = "sesnsp_idm_nm_mun_homicide_2024_2025"
MUN_ANNUAL = "mexicoevalua_mun_crime_2011_2014"
GEO_CODES = "inegi_geo_codes_mxmortalitydb"

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


def months_in(span: tuple[tuple[int, int], tuple[int, int]]) -> list[tuple[int, int]]:
    """Every (year, month) from the first to the last of ``span``, both included."""
    (y0, m0), (y1, m1) = span
    return [(y, m) for y in range(y0, y1 + 1) for m in range(1, 13) if (y0, m0) <= (y, m) <= (y1, m1)]


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

MONTHLY_COLS = [STATE_CODE, YEAR, MONTH, CRIME, SERIES_COL, UNIT_COL, VALUE, PARTS, SOURCE]
MONTHLY_KEY = ["state_code", "year", "month", "crime", "series", "unit"]

table("_crime_state_old_monthly", title="SESNSP old-instrument state series, monthly (all states)",
      description="Old-instrument incidents 1997-Mar 2016 and victims 2014-Mar 2016 for the 32 states.",
      columns=MONTHLY_COLS, primary_key=MONTHLY_KEY, sources=[WB, ST_JSON], family=FAMILY, publish=False)
table("_crime_state_new_monthly", title="SESNSP new-instrument state series, monthly (all states)",
      description="New-instrument incidents Jan 2015-May 2022 and victims Jan 2015-Jun 2025 for the 32 states.",
      columns=MONTHLY_COLS, primary_key=MONTHLY_KEY, sources=[IDEFC, VICTIMS], family=FAMILY, publish=False)

table("crime_state_monthly", title="Crime by state and month (SESNSP), nation and focus states",
      description=("Monthly SESNSP counts of homicidio doloso, feminicidio, secuestro, extorsión and vehicle theft "
                   "for the nation ('00') and the case states (Ciudad de México, Estado de México, Michoacán, "
                   "Nuevo León): old instrument, incidents Jan 1997-Mar 2016 (homicide, kidnapping and extortion to "
                   "Dec 2014) and victims Jan 2014-Mar 2016; new instrument, incidents Jan 2015-May 2022 and "
                   "victims Jan 2015-Jun 2025. Every state is in crime_state_annual."),
      columns=MONTHLY_COLS, primary_key=MONTHLY_KEY,
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
      chapters=["introduction", "tancitaro", "monterrey", "nezahualcoyotl", "cheran"],
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


# ------------------------------------------------------------------ every municipality, by name (README 2.7, 2.8)

MATCH_CAVEAT = ("Upstream gives names only. Each (state, municipality) name takes its INEGI code from INEGI's "
                "catalogue, INEGI's older names (mxmortalitydb geo.codes), SESNSP's name list, or a row with its "
                "reason in data/mappings/crime_sesnsp_municipal_names.csv; a name none of them matches stops the "
                "pipeline.")
MUN_SPLIT_CAVEAT = ("Municipal counts are by the municipality where the file was registered and need not add up to the "
                    "state figures (crime_state_annual), which come from other releases.")


def _files(name: str, what: str, unit: str, required: bool = True) -> Column:
    return Column(name, "integer", what, unit=unit, minimum=0, required=required)


table("incidents_municipal_monthly",
      title="Homicide investigation files by municipality and month, every municipality, Jan 2024-Jun 2025 (SESNSP)",
      description=("Monthly SESNSP counts of investigation files (carpetas de investigación, new instrument) opened "
                   "for homicidio doloso, feminicidio and homicidio culposo in every municipality, January 2024 - June "
                   "2025, re-published by Sebastián Rodríguez (SESNSP_Site). Incidents, not victims and not deaths: "
                   "a series of its own, never a continuation of the INEGI death tables."),
      columns=[Column("mun_code", "string",
                      ("INEGI municipality code (5 characters); xx998 ('No especificado') and xx999 ('Otros "
                       "municipios') are SESNSP's rows for files of state xx not assigned to a municipality"),
                      pattern=r"^\d{5}$"),
               YEAR, MONTH,
               _files("homicidio_doloso", "Files opened for homicidio doloso (intentional homicide, feminicidio "
                      "apart)", "investigation files"),
               _files("feminicidio", "Files opened for feminicidio", "investigation files"),
               _files("homicidio_culposo", "Files opened for homicidio culposo (negligent homicide)",
                      "investigation files")],
      primary_key=["mun_code", "year", "month"], sources=[MUN_2024, MUN_NAMES, GEO_CODES], family=FAMILY,
      chapters=["tancitaro", "monterrey", "nezahualcoyotl", "cheran"],
      caveats=["Investigation files (carpetas de investigación), not victims and not deaths: one file can hold "
               "several victims, and INEGI counts death certificates by place and date of occurrence. Never join "
               "this table to the homicides_* tables as one line; show it as its own, labelled series.",
               COUNT_CAVEAT, "2025 covers January-June only.",
               "Rows with mun_code xx998 ('No especificado') and xx999 ('Otros municipios') are not municipalities "
               "(they are not in the municipalities table): they hold files SESNSP did not assign to a municipality "
               "and are kept so that state sums stay whole.",
               MATCH_CAVEAT,
               "Counts are by the municipality where the file was registered. Summed by state (with the rows that "
               "are not municipalities) they equal the new-instrument incidents of crime_state_annual for 2024 and "
               "2025 (checked: the same SESNSP release).",
               "Upstream's column 'Otros delitos que atentan contra la vida y la integridad corporal' is 0 in every "
               "row (a placeholder, checked) and is not carried; its 'Total' is the sum of the three columns kept "
               "(checked)."])

ANNUAL_CRIMES = {"Homicidios dolosos": "homicidio_doloso", "Secuestros": "secuestro", "Robos": "robo",
                 "Otros delitos": "otros_delitos", "Total averiguaciones": "total"}
ANNUAL_UNIT = "investigation files (averiguaciones previas)"
ANNUAL_ABSENT = "; empty = no row upstream for this municipality and year"
ANNUAL_COLUMNS = {
    "homicidio_doloso": "Averiguaciones opened for homicidio doloso (intentional homicide)",
    "secuestro": "Averiguaciones opened for secuestro (kidnapping)",
    "robo": "Averiguaciones opened for robbery (México Evalúa's 'Robos')",
    "otros_delitos": "Averiguaciones opened for other offences (México Evalúa's 'Otros delitos')",
    "total": ("All averiguaciones opened ('Total averiguaciones'); at least the sum of the four columns before it "
              "(checked), as it also counts offences none of them covers")}

table("crime_municipal_annual",
      title="Crime by municipality and year, every reporting municipality, 2011-2013 (SESNSP old instrument)",
      description=("Annual SESNSP counts of averiguaciones previas (old instrument) by municipality, 2011-2013, for "
                   "every municipality with municipal data, as aggregated by México Evalúa (app_municipios): "
                   "homicidio doloso, secuestro, robbery, other offences and the total. The only municipal crime "
                   "counts here for small places such as Tancítaro (16083)."),
      columns=[MUN_CODE, YEAR, *(_files(c, what + ANNUAL_ABSENT, ANNUAL_UNIT, required=False)
                                 for c, what in ANNUAL_COLUMNS.items())],
      primary_key=["mun_code", "year"], sources=[MUN_ANNUAL, MUN_NAMES, GEO_CODES], family=FAMILY,
      chapters=["tancitaro"],
      caveats=["Old instrument (CNSP/38/15): averiguaciones previas opened, not victims and not deaths. Never splice "
               "with the new-instrument tables (incidents_municipal_monthly) or join to INEGI's death tables as one "
               "line.",
               COUNT_CAVEAT,
               "2014 is in the upstream file but covers only part of the year (Monterrey has about half the "
               "homicides crime_municipal_monthly gives for the full year): it is excluded here.",
               "2011 covers fewer municipalities than 2012-2013 (most of Oaxaca and parts of Jalisco and Zacatecas "
               "are absent); a municipality absent in a year is an absent row, not zeros. Municipalities created "
               "later have no rows.",
               "For the 69 large municipalities of crime_municipal_monthly, homicide and kidnapping counts for "
               "2011-2012 equal that table's annual sums (checked); in 2013 a few cities differ (another release).",
               "No extortion: the upstream aggregation has none.",
               MATCH_CAVEAT, MUN_SPLIT_CAVEAT])
