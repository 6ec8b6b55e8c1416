"""Avocado: SIAP production by municipality, INEGI exports by destination, Banxico monthly
exports, and the Tancítaro export estimate (claim T1).

Production (SIAP *cierre de la producción agrícola*, 2003–2023). SIAP reports one row per
year × state × DDR × CADER × municipality × water regime. We sum planted and harvested hectares,
tonnes and value (current pesos) over regimes, DDRs and CADERs, and only then recompute yield
(t/ha) and rural price (MXN/t): SIAP's own ``Rendimiento`` and ``Precio`` are ratios and are never
summed. The municipality key is ``Idestado*1000 + Idmunicipio`` (INEGI numbering); every code is
checked against the INEGI catalog and every SIAP name against the catalog name for its code
(spelling variants are listed in ``data/mappings/avocado_siap_names.csv``). A municipality that
does not appear in SIAP in a year has no row (not a zero). State and national totals
(``state_code`` "00") are sums of the municipal rows.

Exports (INEGI foreign-trade records, HS 0804.40). ``TARIFA`` comes at three overlapping levels
that must not be added: the subheading 0804.40 (``80440``), its only fraction 0804.40.01
(``8044001``) and, from 2021, the NICO 0804.40.01.00 (``804400100``). We publish the
**subheading** (the complete level in every year: in 2021 the fraction is confidential and the
NICO is slightly below the subheading). The subheading has no quantities before 2021, so for
2003–2020 the kilograms come from the fraction, after checking that the fraction's peso and dollar
values equal the subheading's for every destination (i.e. the fraction is the whole subheading).
2007 and 2012 come in halves (01-06, 07-12), which are summed. Confidential cells stay empty and
are flagged. Imports (``TIPO`` = Importaciones) are not used. Destination codes (ISO 3166
alpha-3, plus INEGI's own ZYA = Netherlands, EMU, RUH) are named through
``data/mappings/avocado_countries.csv`` (INEGI labels from lapanquecita/aguacate
``assets/paises.csv``); an unknown code is an error. A blank destination is "All countries".

Monthly exports (Banxico SIE CE37, thousand USD → USD). ``Fecha`` is ``MM/01/YYYY``, month
first; a day other than 01 is refused, which catches a day-first file. Annual sums agree with
INEGI's all-country value within 0.01% in every year 2003–2023 (checked).

Export estimate (claim T1). No source gives exports by municipality of origin. The book's
estimate gives a municipality the national export value in dollars times its share of national
production (``est_exports_usd_per_day``); an alternative uses its share of Michoacán's
production (``est_exports_usd_per_day_state_share``), which assumes every exported avocado came
from Michoacán (true of US-bound fruit until Jalisco was certified in 2022). Both are published
for every avocado municipality of Michoacán.
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from .. import geo, paths
from ..errors import DataError
from . import readers
from .core import MONTH, MUN_CODE, STATE_CODE, YEAR, Column, step, table

FAMILY = "avocado"
SIAP = "siap_avocado_production_2003_2023"
TRADE = "inegi_avocado_trade_2003_2023"
BANXICO = "banxico_ce37_avocado_exports_monthly"
CAT_MUN = "inegi_cat_municipios"
YEARS = (2003, 2023)
TANCITARO = "16083"  # INEGI code of Tancítaro, the case whose spot values are checked
ALL_CODE = "ALL"
ALL_NAME = "All countries"

SIAP_COLUMNS = ["Anio", "Idestado", "Nomestado", "Idddr", "Nomddr", "Idcader", "Nomcader", "Idmunicipio",
                "Nommunicipio", "Idciclo", "Nomcicloproductivo", "Idmodalidad", "Nommodalidad",
                "Idunidadmedida", "Nomunidad", "Idcultivo", "Nomcultivo", "Sembrada", "Cosechada",
                "Siniestrada", "Volumenproduccion", "Rendimiento", "Precio", "Valorproduccion"]
SIAP_KEY = ["Anio", "Idestado", "Idddr", "Idcader", "Idmunicipio", "Idmodalidad"]
TRADE_COLUMNS = ["TIPO", "ANIO", "MES", "TARIFA", "UMED", "PAIS_O_D", "CANTIDAD", "VAL_MNX", "VAL_USD",
                 "ESTATUS_CIFRA", "ESTATUS"]
TARIFA_LEVELS = {"80440": "subheading", "8044001": "fraction", "804400100": "nico"}

# ------------------------------------------------------------------ columns

PLANTED = Column("planted_ha", "number", "Area planted with avocado (SIAP 'Sembrada'), summed over water "
                 "regimes, DDRs and CADERs", unit="hectares", minimum=0, decimals=2)
HARVESTED = Column("harvested_ha", "number", "Area harvested (SIAP 'Cosechada'), summed likewise",
                   unit="hectares", minimum=0, decimals=2)
TONNES = Column("tonnes", "number", "Avocado production (SIAP 'Volumenproduccion'), summed likewise",
                unit="tonnes", minimum=0, decimals=2)
VALUE_MXN = Column("value_mxn", "number", "Value of production at rural prices (SIAP 'Valorproduccion'), "
                   "summed likewise", unit="MXN, current prices", minimum=0, decimals=2)
YIELD = Column("yield_t_per_ha", "number", "Yield: tonnes / harvested hectares (empty when nothing was "
               "harvested)", unit="tonnes per hectare", required=False, minimum=0, decimals=3)
PRICE = Column("price_mxn_per_t", "number", "Mean rural price: value / tonnes (empty when nothing was "
               "produced)", unit="MXN per tonne, current prices", required=False, minimum=0, decimals=2)
SHARE_NAT = Column("share_national_tonnes", "number", "Share of national avocado production that year "
                   "(tonnes / national tonnes; the nation = sum of all SIAP municipalities)",
                   unit="fraction (0-1)", minimum=0, maximum=1, decimals=8)

SIAP_CAVEATS = [
    "SIAP's year-end estimates, not a census. Harvested area is sometimes simply set equal to planted "
    "area (Tancítaro's harvested area is flat at 22,940 ha in 2020-2022).",
    "Value is in current pesos (not deflated).",
    "A municipality absent from SIAP in a year has no row; it is not a zero.",
]

table("avocado_municipal", title="Avocado production by municipality and year (SIAP)",
      description=("Planted and harvested area, production, value, yield, rural price and share of national "
                   "production, for every municipality with avocado rows in SIAP, 2003-2023."),
      columns=[MUN_CODE, YEAR, PLANTED, HARVESTED, TONNES, VALUE_MXN, YIELD, PRICE, SHARE_NAT],
      primary_key=["mun_code", "year"], sources=[SIAP, CAT_MUN], family=FAMILY, chapters=["tancitaro", "cheran"],
      caveats=SIAP_CAVEATS)

table("avocado_state_annual", title="Avocado production by state and year, and national (SIAP)",
      description=("Avocado area, production, value, yield and price per state and for the nation "
                   "(state_code '00'), 2003-2023: sums of the SIAP municipal rows. share_national_tonnes of "
                   "state 16 is Michoacán's share of national production."),
      columns=[STATE_CODE, YEAR, PLANTED, HARVESTED, TONNES, VALUE_MXN, YIELD, PRICE, SHARE_NAT,
               Column("municipalities", "integer", "Municipalities with avocado rows in SIAP that year",
                      unit="municipalities", minimum=1)],
      primary_key=["state_code", "year"], sources=[SIAP], family=FAMILY, chapters=["tancitaro"],
      caveats=SIAP_CAVEATS + ["States without avocado rows in SIAP (e.g. Coahuila, Ciudad de México) have "
                              "no rows."])

table("avocado_exports", title="Avocado exports by destination and year (INEGI, HS 0804.40)",
      description=("Mexican avocado exports (HS subheading 0804.40) by destination country and year, "
                   "2003-2023, with 'All countries' (destination_code ALL). Kilograms for 2003-2020 come "
                   "from the fraction 0804.40.01, which equals the subheading in value."),
      columns=[YEAR,
               Column("destination", "string", "Destination country (English name) or 'All countries'"),
               Column("destination_code", "string", "INEGI destination code (ISO 3166 alpha-3, or INEGI's "
                      "own: ZYA = Netherlands, EMU, RUH); ALL = all countries", pattern=r"^[A-Z]{3}$"),
               Column("tonnes", "number", "Quantity exported (kg / 1000)", unit="tonnes", required=False,
                      minimum=0, decimals=3),
               Column("value_usd", "integer", "Value of exports", unit="USD, current", required=False,
                      minimum=0),
               Column("value_mxn", "integer", "Value of exports", unit="MXN, current", required=False,
                      minimum=0),
               Column("confidential", "boolean",
                      "INEGI suppressed this cell as confidential (values empty)")],
      primary_key=["year", "destination"], sources=[TRADE], family=FAMILY, chapters=["tancitaro"],
      caveats=["Confidential cells are empty: destination rows do not add up to 'All countries' in most "
               "years from 2005 (the gap is the confidential destinations).",
               "2017, 2021 and 2022 are INEGI's 'Cifras Ajustadas' (revised), the other years definitive.",
               "Exports by municipality or state of origin do not exist in these data."])

table("avocado_exports_monthly", title="Monthly avocado exports (Banxico CE37)",
      description="Mexican avocado exports to all destinations by month, January 1993 - June 2024.",
      columns=[YEAR, MONTH, Column("value_usd", "integer", "Value of exports (Banxico's thousand USD x 1000)",
                                   unit="USD, current", minimum=0)],
      primary_key=["year", "month"], sources=[BANXICO], family=FAMILY, chapters=["tancitaro"],
      caveats=["Published in thousands of dollars; the last three digits are therefore rounding.",
               "Not seasonally adjusted; avocado exports are strongly seasonal."])

table("avocado_export_estimate", title="Estimated avocado exports per day, Michoacán municipalities",
      description=("Claim T1: a municipality's exports estimated as the national export value (INEGI, "
                   "all countries, USD) times its share of national production, per calendar day; and, "
                   "as an alternative, times its share of Michoacán's production."),
      columns=[MUN_CODE, YEAR, TONNES, SHARE_NAT,
               Column("share_state_tonnes", "number", "Share of Michoacán's avocado production that year",
                      unit="fraction (0-1)", minimum=0, maximum=1, decimals=8),
               Column("national_exports_usd", "integer", "National avocado exports, all countries (INEGI)",
                      unit="USD, current", minimum=0),
               Column("est_exports_usd_per_day", "number", "share_national_tonnes x national_exports_usd / "
                      "days in the year", unit="USD per day, current", minimum=0, decimals=0),
               Column("est_exports_usd_per_day_state_share", "number", "share_state_tonnes x "
                      "national_exports_usd / days in the year (assumes all exports come from Michoacán)",
                      unit="USD per day, current", minimum=0, decimals=0)],
      primary_key=["mun_code", "year"], sources=[SIAP, TRADE], family=FAMILY, chapters=["tancitaro"],
      caveats=["An estimate, not a measurement: no source records exports by municipality of origin.",
               "The national-share estimate assumes a municipality exports the national fraction of its "
               "output; Michoacán's orchards, the only ones certified for the US until 2022, export more "
               "than that, so it is a lower-side estimate. The state-share estimate assumes all exports "
               "come from Michoacán and is a higher-side one."])


# ------------------------------------------------------------------ helpers


def _mapping(name: str, columns: list[str]) -> pd.DataFrame:
    path = paths.mappings_dir() / name
    df = readers.read_table(path, columns=columns, strict_columns=False)
    return df.apply(lambda s: s.str.strip())


def _allow(df: pd.DataFrame, col: str, allowed, file: str, what: str, *, row_offset: int = 2) -> None:
    bad = ~df[col].isin(list(allowed))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, f"unknown {what} in column {col} (allowed: {sorted(allowed)})",
                        row=i + row_offset, detail=repr(df[col].iloc[i]))


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype("float64")


# ------------------------------------------------------------------ SIAP production


def read_siap(path, file: str, known: set[str], catalog_names: dict[str, str]) -> pd.DataFrame:
    """SIAP rows with ``mun_code``, ``year`` and the four additive measures (one row per raw row)."""
    df = readers.read_table(path, columns=SIAP_COLUMNS)
    df = df.apply(lambda s: s.str.strip())
    for col, allowed, what in (("Nomcultivo", {"Aguacate"}, "crop"), ("Nomunidad", {"Tonelada"}, "unit"),
                               ("Nomcicloproductivo", {"Perennes"}, "crop cycle"),
                               ("Nommodalidad", {"Riego", "Temporal"}, "water regime")):
        _allow(df, col, allowed, file, what)
    df["year"] = readers.to_number(df, "Anio", file)
    readers.check_years(df["year"], *YEARS, file)
    st = readers.to_number(df, "Idestado", file)
    mu = readers.to_number(df, "Idmunicipio", file)
    bad = ~st.between(1, 32) | ~mu.between(1, 999)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "Idestado must be 1-32 and Idmunicipio 1-999", row=i + 2,
                        detail=f"Idestado={df['Idestado'].iloc[i]!r}, "
                               f"Idmunicipio={df['Idmunicipio'].iloc[i]!r}")
    df["mun_code"] = [f"{int(a):02d}{int(b):03d}" for a, b in zip(st, mu, strict=True)]
    readers.check_unique(df, SIAP_KEY, file)
    readers.check_known_codes(df["mun_code"], known, file)

    # state names must name the state of Idestado
    first = df.drop_duplicates(["Idestado", "Nomestado"])
    for i, r in first.iterrows():
        code = geo.state_code(r["Nomestado"], file, row=i + 2)
        if code != r["mun_code"][:2]:
            raise DataError(file, "Nomestado names another state than Idestado", row=i + 2,
                            detail=f"{r['Nomestado']!r} is {code}, Idestado={r['Idestado']}")
    # municipality names must match the INEGI catalog name for the code (or a listed spelling variant)
    variants = _mapping("avocado_siap_names.csv", ["mun_code", "siap_name", "inegi_name"])
    allowed = {(c, geo.normalize(n)) for c, n in zip(variants.mun_code, variants.siap_name, strict=True)}
    first = df.drop_duplicates(["mun_code", "Nommunicipio"])
    for i, r in first.iterrows():
        code, name = r["mun_code"], r["Nommunicipio"]
        norm = geo.normalize(name)
        if norm != geo.normalize(catalog_names[code]) and (code, norm) not in allowed:
            raise DataError(file, "municipality name differs from the INEGI catalog name for its code "
                            "(a spelling variant goes in data/mappings/avocado_siap_names.csv)", row=i + 2,
                            detail=f"{code}: SIAP {name!r}, INEGI {catalog_names[code]!r}")

    for src, dst in (("Sembrada", "planted_ha"), ("Cosechada", "harvested_ha"),
                     ("Volumenproduccion", "tonnes"), ("Valorproduccion", "value_mxn")):
        df[dst] = readers.to_number(df, src, file, integer=False)
    over = df["harvested_ha"] > df["planted_ha"] + 1e-9
    if over.any():
        i = int(over.to_numpy().argmax())
        raise DataError(file, "harvested area exceeds planted area", row=i + 2,
                        detail=f"Cosechada={df['Cosechada'].iloc[i]}, Sembrada={df['Sembrada'].iloc[i]}")
    return df[["mun_code", "year", "planted_ha", "harvested_ha", "tonnes", "value_mxn"]]


def _add_ratios(df: pd.DataFrame, national: pd.Series) -> pd.DataFrame:
    df["yield_t_per_ha"] = _ratio(df["tonnes"], df["harvested_ha"])
    df["price_mxn_per_t"] = _ratio(df["value_mxn"], df["tonnes"])
    df["share_national_tonnes"] = (df["tonnes"] / df["year"].map(national)).astype("float64")
    return df


MEASURES = ["planted_ha", "harvested_ha", "tonnes", "value_mxn"]
#: README 5.1 spot values for Tancítaro: year → (harvested ha, tonnes, value in millions of MXN or None)
TANCITARO_SPOTS = {2003: (14_600, 130_899, 937.0), 2013: (20_760, 206_628, 2_870.8),
                   2015: (21_750, 207_703, None), 2018: (23_400, 237_435, 4_960.3),
                   2020: (22_940, 225_420, 5_397.6), 2023: (25_740, 303_620, 5_871.5)}


@step(sources=[SIAP], needs=["municipalities"], outputs=["avocado_municipal", "avocado_state_annual"],
      family=FAMILY)
def avocado_production(inp):
    cat = inp.table("municipalities")
    names = dict(zip(cat["mun_code"], cat["mun_name"], strict=True))
    rows = read_siap(inp.raw(SIAP), SIAP, set(names), names)

    mun = rows.groupby(["mun_code", "year"], as_index=False)[MEASURES].sum()
    years = sorted(mun["year"].unique())
    if years != list(range(YEARS[0], YEARS[1] + 1)):
        raise DataError(SIAP, f"every year {YEARS[0]}-{YEARS[1]} must be present", detail=f"years {years}")
    national = mun.groupby("year")["tonnes"].sum()
    mun = _add_ratios(mun, national)

    mun["state_code"] = mun["mun_code"].str[:2]
    st = mun.groupby(["state_code", "year"], as_index=False).agg(
        **{m: (m, "sum") for m in MEASURES}, municipalities=("mun_code", "size"))
    nat = mun.groupby("year", as_index=False).agg(**{m: (m, "sum") for m in MEASURES},
                                                  municipalities=("mun_code", "size")).assign(state_code="00")
    st = _add_ratios(pd.concat([st, nat], ignore_index=True), national)

    # expectations: universe, README spot values
    n_states = st.loc[st.state_code != "00", "state_code"].nunique()
    readers.expect_equal(n_states, 30, SIAP, "number of states with avocado")
    per_year = mun.groupby("year").size()
    readers.expect_equal((int(per_year[2003]), int(per_year[2023]), mun["mun_code"].nunique()),
                         (425, 648, 768), SIAP, "municipalities with avocado in 2003, in 2023, and in all")
    m = mun.set_index(["mun_code", "year"])
    for y, (ha, t, val) in TANCITARO_SPOTS.items():
        r = m.loc[(TANCITARO, y)]
        got = (round(r.harvested_ha), round(r.tonnes), None if val is None else round(r.value_mxn / 1e6, 1))
        readers.expect_equal(got, (ha, t, val), SIAP, f"Tancítaro harvested ha, tonnes, value (M MXN) in {y}")
    flat = [round(m.loc[(TANCITARO, y), "harvested_ha"]) for y in (2020, 2021, 2022)]
    readers.expect_equal(flat, [22_940] * 3, SIAP, "Tancítaro harvested area 2020-2022")
    readers.expect_equal(round(national[2023]), 2_973_344, SIAP, "national tonnes 2023")
    readers.expect_equal(round(m.loc[(TANCITARO, 2023), "share_national_tonnes"] * 100, 2), 10.21, SIAP,
                         "Tancítaro share of national tonnes 2023 (%)")
    top = mun[mun.year == 2023].nlargest(2, "tonnes")
    readers.expect_equal((top.mun_code.tolist(), round(top.tonnes.iloc[0], 1)),
                         (["16082", TANCITARO], 311_142.8), SIAP,
                         "largest producers 2023 (Tacámbaro, then Tancítaro) and Tacámbaro's tonnes")

    # the avocado belt of the Tancítaro chapter: names match the catalog, avocado in every year
    belt = _mapping("avocado_belt.csv", ["mun_code", "mun_name", "role"])
    for i, r in belt.iterrows():
        if names.get(r.mun_code) != r.mun_name:
            raise DataError("avocado_belt.csv", "name differs from the INEGI catalog name for its code",
                            row=i + 2, detail=f"{r.mun_code}: {r.mun_name!r} vs {names.get(r.mun_code)!r}")
        n = int((mun.mun_code == r.mun_code).sum())
        readers.expect_equal(n, len(years), SIAP, f"years with avocado in {r.mun_name} ({r.mun_code})")

    cols_m = ["mun_code", "year", *MEASURES, "yield_t_per_ha", "price_mxn_per_t", "share_national_tonnes"]
    cols_s = ["state_code", "year", *MEASURES, "yield_t_per_ha", "price_mxn_per_t", "share_national_tonnes",
              "municipalities"]
    return {"avocado_municipal": mun[cols_m], "avocado_state_annual": st[cols_s]}


# ------------------------------------------------------------------ Banxico monthly exports


@step(sources=[BANXICO], outputs=["avocado_exports_monthly"], family=FAMILY)
def avocado_exports_monthly(inp):
    f = BANXICO
    df = readers.read_table(inp.raw(f), columns=["Fecha", "USD_miles"])
    parts = df["Fecha"].str.strip().str.extract(r"^(\d{2})/(\d{2})/(\d{4})$")
    bad = parts[0].isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f, "Fecha must be MM/01/YYYY", row=i + 2, detail=repr(df["Fecha"].iloc[i]))
    month, day, year = (parts[k].astype(int) for k in range(3))
    bad = (day != 1) | ~month.between(1, 12)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f, "Fecha must be month-first MM/01/YYYY (day 01, month 01-12); day-first date?",
                        row=i + 2, detail=repr(df["Fecha"].iloc[i]))
    readers.check_years(year, 1993, 2024, f)
    out = pd.DataFrame({"year": year, "month": month})
    thousand = readers.to_number(df, "USD_miles", f, integer=False)
    out["value_usd"] = (thousand * 1000).round().astype("Int64")
    readers.check_unique(out, ["year", "month"], f)
    expected = pd.period_range("1993-01", "2024-06", freq="M")
    got = pd.PeriodIndex([pd.Period(year=y, month=m, freq="M")
                          for y, m in zip(out.year, out.month, strict=True)])
    missing = expected.difference(got)
    if len(missing) or len(got) != len(expected):
        raise DataError(f, "months must run without gaps from 1993-01 to 2024-06",
                        detail=f"missing {[str(p) for p in missing[:5]]}, {len(got)} rows")
    v = out.set_index(["year", "month"])["value_usd"]
    readers.expect_equal(int(v[(1993, 1)]), 1_197_000, f, "1993-01 (USD)")
    readers.expect_equal(int(v[(2024, 6)]), 231_592_000, f, "2024-06 (USD)")
    readers.expect_equal(int(v.loc[2023].sum()), 3_153_401_000, f, "2023 total (USD)")
    return {"avocado_exports_monthly": out}


# ------------------------------------------------------------------ INEGI trade records


def read_trade(path, file: str, countries: dict[str, str]) -> pd.DataFrame:
    """Export rows, one per year × level × destination (halves summed), with line numbers."""
    df = readers.read_table(path, columns=TRADE_COLUMNS)
    df = df.apply(lambda s: s.str.strip())
    _allow(df, "TIPO", {"Exportaciones", "Importaciones"}, file, "trade flow")
    _allow(df, "MES", {"01-12", "01-06", "07-12"}, file, "period")
    _allow(df, "UMED", {"Kg", ""}, file, "unit")
    _allow(df, "ESTATUS_CIFRA", {"Disponible", "Confidencial"}, file, "availability status")
    _allow(df, "ESTATUS", {"Cifras Definitivas.", "Cifras Ajustadas."}, file, "revision status")
    # TARIFA is stored without its leading zero (80440 = 0804.40); accept either spelling
    df["level"] = df["TARIFA"].str.lstrip("0").map(TARIFA_LEVELS)
    bad = df["level"].isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, f"unknown TARIFA (allowed: {sorted(TARIFA_LEVELS)}, HS 0804.40 without its "
                        "leading zero)", row=i + 2, detail=repr(df["TARIFA"].iloc[i]))
    df["year"] = readers.to_number(df, "ANIO", file)
    readers.check_years(df["year"], *YEARS, file)
    for src, dst in (("CANTIDAD", "kg"), ("VAL_MNX", "value_mxn"), ("VAL_USD", "value_usd")):
        df[dst] = readers.to_number(df, src, file, allow_empty=True)
    df["confidential"] = df["ESTATUS_CIFRA"].eq("Confidencial")
    conf_with_value = df.confidential & df[["kg", "value_mxn", "value_usd"]].notna().any(axis=1)
    open_without = ~df.confidential & df[["value_mxn", "value_usd"]].isna().any(axis=1)
    kg_mismatch = ~df.confidential & (df["kg"].notna() != df["UMED"].eq("Kg"))
    for bad, rule in ((conf_with_value, "a 'Confidencial' row must have no values"),
                      (open_without, "a 'Disponible' row must have VAL_MNX and VAL_USD"),
                      (kg_mismatch, "CANTIDAD must be given exactly when UMED is 'Kg'")):
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise DataError(file, rule, row=i + 2,
                            detail=", ".join(f"{c}={df[c].iloc[i]!r}" for c in TRADE_COLUMNS[3:]))
    codes = df["PAIS_O_D"].replace("", ALL_CODE)
    bad = ~codes.isin(set(countries) | {ALL_CODE})
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "unknown destination code PAIS_O_D "
                        "(add it to data/mappings/avocado_countries.csv)",
                        row=i + 2, detail=repr(df["PAIS_O_D"].iloc[i]))
    df["destination_code"] = codes
    df["line"] = np.arange(len(df)) + 2
    readers.check_unique(df, ["TIPO", "ANIO", "MES", "level", "PAIS_O_D"], file)

    ex = df[df["TIPO"] == "Exportaciones"]
    periods = ex.groupby("year")["MES"].agg(lambda s: tuple(sorted(set(s))))
    bad = periods[~periods.isin([("01-12",), ("01-06", "07-12")])]
    if len(bad):
        y = bad.index[0]
        raise DataError(file, "a year must be reported whole (01-12) or in two halves (01-06, 07-12)",
                        row=int(ex.loc[ex.year == y, "line"].iloc[0]), detail=f"{y}: {bad.iloc[0]}")
    # sum halves; any missing (confidential) half makes the year missing
    g = ex.groupby(["year", "level", "destination_code"])
    out = g.agg(line=("line", "min"), confidential=("confidential", "any"),
                **{c: (c, lambda s: s.sum() if s.notna().all() else pd.NA)
                   for c in ("kg", "value_mxn", "value_usd")})
    return out.reset_index()


@step(sources=[TRADE], needs=["avocado_exports_monthly"], outputs=["avocado_exports"], family=FAMILY)
def avocado_exports(inp):
    f = TRADE
    cmap = _mapping("avocado_countries.csv", ["code", "destination", "inegi_label"])
    readers.check_unique(cmap, ["code"], "avocado_countries.csv")
    countries = dict(zip(cmap["code"], cmap["destination"], strict=True))
    t = read_trade(inp.raw(f), f, countries)
    key = ["year", "destination_code"]
    sub = t[t.level == "subheading"].set_index(key)
    frac = t[t.level == "fraction"].set_index(key)

    # the subheading is complete: every fraction row has a subheading row
    extra = frac.index.difference(sub.index)
    if len(extra):
        raise DataError(f, "fraction 0804.40.01 row without a subheading 0804.40 row",
                        row=int(frac.loc[extra[0], "line"]),
                        detail=str(extra[0]))
    # the fraction is the whole subheading (so its kilograms are the subheading's)
    both = frac.index.intersection(sub.index)
    fo, so = frac.loc[both], sub.loc[both]
    open_ = ~fo.confidential & ~so.confidential
    for c in ("value_usd", "value_mxn"):
        diff = open_ & (fo[c] != so[c])
        if diff.any():
            k = diff[diff].index[0]
            raise DataError(f, f"fraction 0804.40.01 {c} differs from the subheading 0804.40 "
                            "(another fraction?)",
                            row=int(frac.loc[k, "line"]), detail=f"{k}: {fo.loc[k, c]} vs {so.loc[k, c]}")
    kg_both = open_ & so.kg.notna() & fo.kg.notna() & (so.kg != fo.kg)
    if kg_both.any():
        k = kg_both[kg_both].index[0]
        raise DataError(f, "fraction and subheading quantities differ", row=int(frac.loc[k, "line"]),
                        detail=str(k))
    out = sub.copy()
    take = out.kg.isna() & ~out.confidential
    from_frac = frac.kg.reindex(out.index)
    out.loc[take, "kg"] = from_frac[take]
    no_kg = ~out.confidential & out.kg.isna()
    if no_kg.any():
        k = no_kg[no_kg].index[0]
        raise DataError(f, "no quantity at the subheading or the fraction level", row=int(out.loc[k, "line"]),
                        detail=str(k))
    out = out.reset_index()

    # expectations
    alls = out[out.destination_code == ALL_CODE].set_index("year")
    readers.expect_equal(sorted(alls.index), list(range(YEARS[0], YEARS[1] + 1)), f,
                         "years with an all-country row")
    if alls.confidential.any():
        raise DataError(f, "the all-country row may not be confidential",
                        row=int(alls[alls.confidential].line.iloc[0]))
    parts = out[out.destination_code != ALL_CODE].groupby("year").agg(
        v=("value_usd", lambda s: s.dropna().sum()), conf=("confidential", "any"))
    over = parts.v > alls.value_usd + 1
    short = ~parts.conf & (parts.v != alls.value_usd)
    for bad, rule in ((over, "destinations add up to more than 'All countries'"),
                      (short, "destinations (none confidential) do not add up to 'All countries'")):
        if bad.any():
            y = bad[bad].index[0]
            raise DataError(f, rule, row=int(alls.loc[y, "line"]),
                            detail=f"{y}: {parts.v[y]} vs {alls.value_usd[y]}")
    v = out.set_index(["destination_code", "year"])
    for (code, y), (kg, musd) in {("USA", 2003): (39_522_638, 58.84), ("USA", 2010): (229_890_058, 424.47),
                                  ("USA", 2023): (1_061_672_232, 2_573.2),
                                  (ALL_CODE, 2023): (1_313_818_585, 3_153.4)}.items():
        r = v.loc[(code, y)]
        nd = 2 if musd * 100 % 10 else 1
        readers.expect_equal((int(r.kg), round(r.value_usd / 1e6, nd)), (kg, musd), f,
                             f"exports to {code} in {y} (kg, M USD)")
    # Banxico's monthly series agrees with INEGI's annual all-country value
    ban = inp.table("avocado_exports_monthly").groupby("year")["value_usd"].sum()
    for y, val in alls.value_usd.items():
        if abs(ban[y] / val - 1) > 1e-4:
            raise DataError(f, "all-country value differs from Banxico CE37 by more than 0.01%",
                            row=int(alls.loc[y, "line"]), detail=f"{y}: INEGI {val}, Banxico {ban[y]}")
    readers.expect_equal(round(int(alls.value_usd[2023]) / 1e6, 1), round(int(ban[2023]) / 1e6, 1), f,
                         "2023 all-country value = Banxico 2023 total (M USD)")

    out["destination"] = out.destination_code.map(countries).fillna(ALL_NAME)
    out.loc[out.destination_code == ALL_CODE, "destination"] = ALL_NAME
    out["tonnes"] = (out.kg.astype("Float64") / 1000)
    cols = ["year", "destination", "destination_code", "tonnes", "value_usd", "value_mxn", "confidential"]
    return {"avocado_exports": out[cols]}


# ------------------------------------------------------------------ export estimate (claim T1)


@step(needs=["avocado_municipal", "avocado_state_annual", "avocado_exports"],
      outputs=["avocado_export_estimate"], family=FAMILY)
def avocado_export_estimate(inp):
    mun = inp.table("avocado_municipal")
    st = inp.table("avocado_state_annual")
    ex = inp.table("avocado_exports")
    nat_usd = ex[ex.destination_code == ALL_CODE].set_index("year")["value_usd"].astype("int64")
    state_t = st[st.state_code == "16"].set_index("year")["tonnes"]
    d = mun[mun.mun_code.str[:2] == "16"][["mun_code", "year", "tonnes", "share_national_tonnes"]].copy()
    d["share_state_tonnes"] = d.tonnes / d.year.map(state_t)
    d["national_exports_usd"] = d.year.map(nat_usd)
    if d.national_exports_usd.isna().any():
        raise DataError("avocado_exports", "no all-country export value for a production year",
                        row=f"year={d.loc[d.national_exports_usd.isna(), 'year'].iloc[0]}")
    days = d.year.map(lambda y: 366 if calendar.isleap(int(y)) else 365)
    d["est_exports_usd_per_day"] = d.share_national_tonnes * d.national_exports_usd / days
    d["est_exports_usd_per_day_state_share"] = d.share_state_tonnes * d.national_exports_usd / days
    # Tancítaro 2023 from the README's own figures: 303,620 t / 2,973,344 t x USD 3,153,401,774 / 365
    tan = d[(d.mun_code == TANCITARO) & (d.year == 2023)].iloc[0]
    where = "avocado_export_estimate"
    readers.expect_equal(round(tan.est_exports_usd_per_day, -3),
                         round(303_620 / 2_973_344 * 3_153_401_774 / 365, -3), where,
                         "Tancítaro 2023 estimated exports per day (USD)")
    readers.expect_equal(int((d.mun_code == TANCITARO).sum()), YEARS[1] - YEARS[0] + 1, where,
                         "years with a Tancítaro estimate")
    return {"avocado_export_estimate": d}

