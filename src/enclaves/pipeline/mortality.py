"""Mortality and population: INEGI homicides (by year of occurrence and of registration),
CONAPO population, INEGI code catalogs.

Year basis. INEGI's death records can be counted by the year a death *occurred* or the year
it was *registered*. We publish occurrence counts where they exist (2000 on, Gargiulo et al.)
and registration counts from INEGI's own exports (1990–2015, Rudkin), each row labelled with
``year_basis``. Population is CONAPO's: the 1990–2009 CONAPO–COLMEX estimates (2007–2009 are
empty upstream and are interpolated here), the 2012 projections for 2010–2014 and the 2018
projections from 2015; ``population_source`` labels each row, so the base changes can be shown.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pyreadr

from .. import geo
from ..errors import DataError
from . import readers
from .core import MONTH, MUN_CODE, STATE_CODE, YEAR, Column, step, table

FAMILY = "mortality"
RUDKIN_YEARS = range(1990, 2016)
RUDKIN = [f"rudkin_inegi_homicides_reg_{y}" for y in RUDKIN_YEARS]
G_MUN = "gargiulo_muni_month_homicides_2000_2021"
G_STATE = "gargiulo_state_month_homicides_2000_2022"
POP_OLD = "conapo_colmex_mun_pop_1990_2009"
POP_2012 = "conapo_mun_pop_proj2012_2010_2030"
POP_2018 = "conapo_mun_pop_proj2018_2015_2030"
CAT_MUN = "inegi_cat_municipios"
CAT_ENT = "inegi_cat_entidades"
POP_YEARS = (1990, 2025)

YEAR_BASIS = Column("year_basis", "string",
                    "Whether deaths are counted by year of occurrence or of registration",
                    enum=("occurrence", "registration"))
POP_SOURCE = Column("population_source", "string",
                    ("Which CONAPO series gives the population: conapo1990 = CONAPO-COLMEX estimates 1990-2006; "
                     "interp2006_2010 = geometric interpolation between 2006 and 2010 (2007-2009 are empty "
                     "upstream); conapo2012 = 2012 projections (2010 census base); conapo2018 = 2018 "
                     "projections (2015 intercensal base)"),
                    required=False,
                    enum=("conapo1990", "interp2006_2010", "conapo2012",
                          "conapo2018"))
POPULATION = Column("population", "integer", "Mid-year population (CONAPO)", unit="persons",
                    required=False, minimum=0)
RATE = Column("homicide_rate", "number", "Homicides per 100,000 inhabitants", unit="per 100,000",
              required=False, minimum=0, decimals=3)
HOMICIDES = Column("homicides", "integer", "Homicides (ICD-10 X85-Y09; ICD-9 E960-E969 before 1998)",
                   unit="deaths", minimum=0)

SRC_HOM = (G_MUN, *RUDKIN, POP_OLD, POP_2012, POP_2018, CAT_MUN)

table("municipalities", title="Municipalities and states (INEGI catalog)",
      description="Every municipality in INEGI's catalog with its state, as 5- and 2-character codes.",
      columns=[MUN_CODE, STATE_CODE,
               Column("mun_name", "string", "Municipality name (INEGI NOMGEO)"),
               Column("state_name", "string", "State name (INEGI)")],
      primary_key=["mun_code"], sources=[CAT_MUN, CAT_ENT], family=FAMILY,
      chapters=["all"],
      caveats=["The catalog lists 2,478 municipalities, including ones created after 2010; "
               "older files carry their deaths in the parent municipality."])

table("_population_municipal", title="Municipal population (CONAPO, spliced)",
      description="Mid-year municipal population, 1990-2025, with the CONAPO series used for each year.",
      columns=[MUN_CODE, YEAR, POPULATION, POP_SOURCE],
      primary_key=["mun_code", "year"], sources=[POP_OLD, POP_2012, POP_2018], family=FAMILY,
      publish=False)

table("homicides_municipal_annual", title="Homicides by municipality and year",
      description=("Homicides per municipality and year with CONAPO population and the rate per 100,000. "
                   "2000-2021 by year and municipality of occurrence (INEGI microdata compiled by "
                   "Gargiulo et al.); 1990-1999 by year of registration and municipality of occurrence "
                   "(INEGI exports)."),
      columns=[MUN_CODE, YEAR, HOMICIDES, POPULATION, RATE, YEAR_BASIS, POP_SOURCE],
      primary_key=["mun_code", "year", "year_basis"], sources=SRC_HOM, family=FAMILY,
      chapters=["introduction", "tancitaro", "monterrey", "nezahualcoyotl", "cross_case", "cheran"],
      caveats=["Occurrence counts exclude deaths with unknown municipality or month: from 2018 they are "
               "about 3-6% below INEGI's headline totals.",
               "2021 is probably 2-5% low because of late registration.",
               "Population comes from three CONAPO series with different bases (breaks at 2010 and 2015); "
               "2007-2009 are interpolated geometrically between 2006 and 2010.",
               "Municipalities created after 1990 have no population, and so no rate, before they existed."])

table("homicides_municipal_monthly", title="Homicides by municipality and month (focus states)",
      description=("Monthly homicides by municipality of occurrence, 2000-2021, for every municipality of "
                   "Ciudad de México, Estado de México, Michoacán and Nuevo León (the cases' donor pools)."),
      columns=[MUN_CODE, YEAR, MONTH, HOMICIDES],
      primary_key=["mun_code", "year", "month"], sources=[G_MUN], family=FAMILY,
      chapters=["tancitaro", "monterrey", "nezahualcoyotl"],
      caveats=["Deaths with unknown month of occurrence are excluded upstream."])

table("homicides_state_annual", title="Homicides by state and year, and national",
      description=("Homicides per state (and the nation, state_code '00') and year with CONAPO population and "
                   "the rate per 100,000: by year of registration 1990-2015 (INEGI exports) and by year of "
                   "occurrence 2000-2022 (Gargiulo et al.'s later vintage). Both bases overlap in 2000-2015."),
      columns=[STATE_CODE, YEAR, HOMICIDES, POPULATION, RATE, YEAR_BASIS, POP_SOURCE],
      primary_key=["state_code", "year", "year_basis"],
      sources=(G_STATE, *RUDKIN, POP_OLD, POP_2012, POP_2018), family=FAMILY,
      chapters=["introduction", "cross_case", "tancitaro", "monterrey", "nezahualcoyotl", "cheran"],
      caveats=["The national figure is the sum of the 32 states: deaths abroad or in an unknown state are "
               "left out, so it runs slightly below INEGI's headline.",
               "Registration counts include late registrations of deaths from earlier years; about a fifth "
               "of 1990-1993 registrations have no year of occurrence, which is why the book uses the "
               "registration basis before 2000.",
               "Population bases change in 2010 and 2015 (see population_source)."])


# ------------------------------------------------------------------ catalogs


def _read_rda(path, obj: str) -> pd.DataFrame:
    try:
        res = pyreadr.read_r(str(path))
    except Exception as e:  # pyreadr raises its own error types
        raise DataError(path.name, "file cannot be read as R data", detail=str(e)) from None
    if obj not in res:
        raise DataError(path.name, f"R object '{obj}' missing", detail=f"objects: {list(res)}")
    return res[obj].reset_index(drop=True)


@step(sources=[CAT_MUN, CAT_ENT], outputs=["municipalities"], family=FAMILY)
def municipalities(inp):
    m = _read_rda(inp.raw(CAT_MUN), "cat_municipios")
    e = _read_rda(inp.raw(CAT_ENT), "cat_entidades")
    for df, cols, f in ((m, ["CVEGEO", "NOMGEO"], CAT_MUN), (e, ["CVE_ENT", "NOM_ENT"], CAT_ENT)):
        miss = [c for c in cols if c not in df.columns]
        if miss:
            raise DataError(f, "required column missing", detail=str(miss))
    m["CVEGEO"] = m["CVEGEO"].astype(str).str.strip()
    bad = ~m["CVEGEO"].str.fullmatch(r"\d{5}")
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(CAT_MUN, "CVEGEO must be a 5-digit code", row=i + 1, detail=repr(m["CVEGEO"].iloc[i]))
    readers.check_unique(m, ["CVEGEO"], CAT_MUN, row_offset=1)
    states = dict(zip(e["CVE_ENT"].astype(str).str.zfill(2), e["NOM_ENT"].astype(str), strict=True))
    if len(states) != 32:
        raise DataError(CAT_ENT, "expected 32 states", detail=str(len(states)))
    out = pd.DataFrame({"mun_code": m["CVEGEO"], "state_code": m["CVEGEO"].str[:2],
                        "mun_name": m["NOMGEO"].astype(str).str.strip()})
    readers.check_known_codes(out["state_code"], set(states), CAT_MUN, row_offset=1, what="state code")
    out["state_name"] = out["state_code"].map(states)
    for code, name in (("16083", "Tancítaro"), ("16085", "Tangancícuaro"), ("19039", "Monterrey"),
                       ("15058", "Nezahualcóyotl")):
        got = out.loc[out.mun_code == code, "mun_name"].tolist()
        readers.expect_equal(got, [name], CAT_MUN, f"name of {code}")
    return {"municipalities": out}


# ------------------------------------------------------------------ population


@step(sources=[POP_OLD, POP_2012, POP_2018], outputs=["_population_municipal"], family=FAMILY)
def population_municipal(inp):
    f_old, f_12, f_18 = POP_OLD, POP_2012, POP_2018
    old = readers.read_table(inp.raw(f_old), columns=["Code", "Population", "Sex", "Year"])
    old = old[old["Sex"] == "Total"].copy()
    old["year"] = readers.to_number(old, "Year", f_old)
    readers.check_years(old["year"], 1990, 2009, f_old)
    old["population"] = readers.to_number(old, "Population", f_old, integer=False, allow_empty=True)
    old["mun_code"] = _codes(old, "Code", f_old)
    readers.check_unique(old, ["mun_code", "year"], f_old)
    # 2007-2009 are empty upstream: interpolate geometrically between 2006 and 2010 (below).
    old = old[old["year"] <= 2006]

    p12 = readers.read_table(inp.raw(f_12), columns=["Population", "Code", "Sex", "Year"])
    p12 = p12[p12["Sex"] == "Total"].copy()
    p12["year"] = readers.to_number(p12, "Year", f_12)
    readers.check_years(p12["year"], 2010, 2030, f_12)
    p12["population"] = readers.to_number(p12, "Population", f_12, integer=False)
    p12["mun_code"] = _codes(p12, "Code", f_12)
    readers.check_unique(p12, ["mun_code", "year"], f_12)

    p18 = readers.read_table(inp.raw(f_18), columns=["date_year", "nombre_estado", "cve_ent",
                                                        "nombre_municipio", "cve_mun", "hombres",
                                                        "mujeres", "total"])
    p18["year"] = readers.to_number(p18, "date_year", f_18)
    readers.check_years(p18["year"], 2015, 2030, f_18)
    p18["population"] = readers.to_number(p18, "total", f_18, integer=False)
    p18["mun_code"] = p18["cve_mun"].str.strip()
    bad = ~p18["mun_code"].str.fullmatch(r"\d{5}")
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f_18, "cve_mun must be a 5-digit code", row=i + 2, detail=repr(p18["cve_mun"].iloc[i]))
    readers.check_unique(p18, ["mun_code", "year"], f_18)

    spot = {(f_old, "15058", 1990): 1_278_470, (f_old, "15058", 2006): 1_143_776,
            (f_old, "16083", 1990): 21_651, (f_12, "15058", 2010): 1_139_517,
            (f_12, "16083", 2010): 29_910, (f_12, "19039", 2010): 1_152_294,
            (f_18, "15058", 2015): 1_135_026, (f_18, "16083", 2015): 31_273,
            (f_18, "16083", 2020): 32_707, (f_18, "19039", 2020): 1_124_835}
    frames = {f_old: old, f_12: p12, f_18: p18}
    for (f, code, year), expected in spot.items():
        d = frames[f]
        got = d.loc[(d.mun_code == code) & (d.year == year), "population"].tolist()
        readers.expect_equal([round(x) for x in got], [expected], f, f"population of {code} in {year}")

    parts = [old.assign(population_source="conapo1990"),
             p12[p12.year.between(2010, 2014)].assign(population_source="conapo2012"),
             p18[p18.year.between(2015, POP_YEARS[1])].assign(population_source="conapo2018")]
    # geometric interpolation 2007-2009 between the 2006 estimate and the 2010 projection
    a = old[old.year == 2006].set_index("mun_code")["population"]
    b = p12[p12.year == 2010].set_index("mun_code")["population"]
    both = a.index.intersection(b.index)
    for k, year in enumerate((2007, 2008, 2009), start=1):
        v = a[both] * (b[both] / a[both]) ** (k / 4)
        parts.append(pd.DataFrame({"mun_code": both, "year": year, "population": v.to_numpy(),
                                   "population_source": "interp2006_2010"}))
    pop = pd.concat([p[["mun_code", "year", "population", "population_source"]] for p in parts],
                    ignore_index=True)
    pop["year"] = pop["year"].astype(int)
    pop["population"] = pop["population"].round().astype("Int64")
    return {"_population_municipal": pop}


def _codes(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    num = readers.to_number(df, col, file, integer=True)
    if (num > 32999).any() or (num < 1001).any():
        i = int(((num > 32999) | (num < 1001)).to_numpy().argmax())
        raise DataError(file, "municipality code out of range", row=i + 2, detail=repr(df[col].iloc[i]))
    return num.map(geo.pad_mun)


# ------------------------------------------------------------------ homicides: INEGI exports (registration)


def parse_rudkin(path, year: int, file: str) -> pd.DataFrame:
    """One INEGI export 'Defunciones por homicidios, año de registro YYYY'.

    Returns rows ``kind`` ∈ {national, state, municipality}, ``code``, ``homicides``. Municipalities
    with no deaths are absent upstream (the caller zero-fills).
    """
    text = readers.read_text(path, "cp1252")
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 8:
        raise DataError(file, "file is truncated: fewer lines than the title block and header")
    title = " ".join(" ".join(r) for r in rows[:5])
    m = re.search(r"Año de registro\s*:\s*(\d{4})", title)
    if not m:
        raise DataError(file, "title block lacks 'Año de registro : YYYY'", row="title")
    if int(m.group(1)) != year:
        raise DataError(file, "year of registration in the title differs from the file's year",
                        row="title", detail=f"{m.group(1)} vs {year}")
    hi = next((i for i, r in enumerate(rows) if len(r) > 3 and r[2].strip() == "Total"
               and r[3].strip() == "Enero"), None)
    if hi is None:
        raise DataError(file, "header row with 'Total, Enero …' not found (column missing or renamed?)",
                        row="header")
    out = []
    saw_footer = False
    for i, r in enumerate(rows[hi + 1:], start=hi + 2):
        if not r or not "".join(r).strip():
            continue
        if r[0].startswith("FUENTE"):
            saw_footer = True
            break
        if len(r) < 3:
            raise DataError(file, "row has fewer than 3 cells", row=i)
        key, name, total = r[0], r[1].strip(), r[2].strip().replace(",", "")
        if total == "":
            total = "0"
        if not re.fullmatch(r"-?\d+", total):
            raise DataError(file, "Total cell is not a whole number", row=i, detail=repr(r[2]))
        n = int(total)
        if n < 0:
            raise DataError(file, "count may not be negative", row=i, detail=repr(r[2]))
        if key.strip() == "" and name == "Total":
            out.append(("national", "00", n))
            continue
        parsed = geo.parse_inegi_key(key)
        if parsed is None:
            raise DataError(file, "unrecognised geographic key", row=i, detail=repr(key))
        st, mun = parsed
        if int(st) > 32:
            continue  # abroad
        if mun is None:
            out.append(("state", st, n))
        elif not mun.endswith("999"):
            out.append(("municipality", mun, n))
    if not saw_footer:
        raise DataError(file, "file ends without the 'FUENTE: INEGI' line (truncated?)")
    df = pd.DataFrame(out, columns=["kind", "code", "homicides"])
    readers.check_unique(df, ["kind", "code"], file)
    if (df.kind == "national").sum() != 1:
        raise DataError(file, "expected exactly one national 'Total' row")
    return df


table("_homicides_registration", title="INEGI homicide exports, by year of registration",
      description="Parsed INEGI exports 1990-2015: national, state and municipal rows.",
      columns=[Column("kind", "string", "Row kind", enum=("national", "state", "municipality")),
               Column("code", "string", "INEGI code ('00', state or municipality)"), YEAR, HOMICIDES],
      primary_key=["kind", "code", "year"], sources=RUDKIN, family=FAMILY, publish=False)


@step(sources=RUDKIN, outputs=["_homicides_registration"], family=FAMILY)
def homicides_registration(inp):
    frames = []
    for y, sid in zip(RUDKIN_YEARS, RUDKIN, strict=True):
        frames.append(parse_rudkin(inp.raw(sid), y, sid).assign(year=y))
    df = pd.concat(frames, ignore_index=True)
    nat = df[df.kind == "national"].set_index("year")["homicides"]
    for y, v in {1990: 14_493, 2010: 25_757, 2012: 25_967, 2015: 20_762}.items():
        readers.expect_equal(int(nat[y]), v, f"rudkin_inegi_homicides_reg_{y}", f"national Total {y}")
    mun = df[df.kind == "municipality"].set_index(["code", "year"])["homicides"]
    for (code, y), v in {("19039", 2012): 685, ("15058", 2010): 226, ("16083", 2012): 14,
                         ("16083", 2015): 2, ("19039", 2005): 71}.items():
        readers.expect_equal(int(mun.get((code, y), 0)), v, f"rudkin_inegi_homicides_reg_{y}",
                             f"homicides in {code}, {y}")
    return {"_homicides_registration": df[["kind", "code", "year", "homicides"]]}


# ------------------------------------------------------------------ homicides: Gargiulo (occurrence)


def read_gargiulo(path, file: str, key: str, years: tuple[int, int]) -> pd.DataFrame:
    df = readers.read_table(path, sep="|", columns=[key, "year", "month", "homicides", "pop_est",
                                                   "homicide_rate"])
    df = df.rename(columns={key: "code"})
    df["code"] = df["code"].str.strip()
    width = 5 if key == "ent_mun" else 2
    bad = ~df["code"].str.fullmatch(rf"\d{{{width}}}")
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, f"{key} must be a {width}-digit code", row=i + 2, detail=repr(df["code"].iloc[i]))
    df["year"] = readers.to_number(df, "year", file)
    readers.check_years(df["year"], *years, file)
    df["month"] = readers.to_number(df, "month", file)
    badm = ~df["month"].between(1, 12)
    if badm.any():
        i = int(badm.to_numpy().argmax())
        raise DataError(file, "month outside 1-12", row=i + 2, detail=repr(df["month"].iloc[i]))
    df["homicides"] = readers.to_number(df, "homicides", file)
    readers.check_unique(df, ["code", "year", "month"], file)
    n_months = (years[1] - years[0] + 1) * 12
    per = df.groupby("code").size()
    if (per != n_months).any():
        c = per[per != n_months].index[0]
        raise DataError(file, f"every area must have {n_months} months", row=f"{key}={c}",
                        detail=f"{per[c]} months")
    return df[["code", "year", "month", "homicides"]]


def _add_rate(df: pd.DataFrame) -> pd.DataFrame:
    pop = df["population"].astype("Float64")
    df["homicide_rate"] = (df["homicides"].astype("Float64") / pop * 100_000).where(pop > 0)
    return df


@step(sources=[G_MUN], needs=["_population_municipal", "municipalities", "_homicides_registration"],
      outputs=["homicides_municipal_annual", "homicides_municipal_monthly"], family=FAMILY)
def homicides_municipal(inp):
    known = set(inp.table("municipalities")["mun_code"])
    g = read_gargiulo(inp.raw(G_MUN), G_MUN, "ent_mun", (2000, 2021))
    if g["code"].nunique() != 2467:
        raise DataError(G_MUN, "expected 2,467 municipalities", detail=str(g["code"].nunique()))
    readers.check_known_codes(g["code"], known, G_MUN)
    annual = g.groupby(["code", "year"], as_index=False)["homicides"].sum()
    a = annual.set_index(["code", "year"])["homicides"]
    spots = {("16083", 2005): 12, ("16083", 2010): 10, ("16083", 2011): 13, ("16083", 2012): 14,
             ("16083", 2015): 2, ("16083", 2017): 7, ("16083", 2020): 5, ("19039", 2011): 816,
             ("19039", 2012): 664, ("15058", 2010): 227, ("16085", 2020): 52}
    for (code, y), v in spots.items():
        readers.expect_equal(int(a[(code, y)]), v, G_MUN, f"homicides in {code}, {y}")
    nat = annual.groupby("year")["homicides"].sum()
    for y, v in {2000: 10_559, 2010: 26_045, 2020: 35_555, 2021: 33_626}.items():
        readers.expect_equal(int(nat[y]), v, G_MUN, f"national sum {y}")
    occ = annual.rename(columns={"code": "mun_code"}).assign(year_basis="occurrence")

    r = inp.table("_homicides_registration")
    rm = r[(r.kind == "municipality") & (r.year <= 1999)].rename(columns={"code": "mun_code"})
    readers.check_known_codes(rm["mun_code"], known, "rudkin_inegi_homicides_reg_1990-1999")
    pop = inp.table("_population_municipal")
    # zero-fill: every municipality with a population that year has a row
    frame = pop[pop.year <= 1999][["mun_code", "year"]]
    reg = frame.merge(rm[["mun_code", "year", "homicides"]], on=["mun_code", "year"], how="outer")
    reg["homicides"] = reg["homicides"].fillna(0).astype(int)
    reg = reg.assign(year_basis="registration")

    out = pd.concat([occ, reg], ignore_index=True)
    out = out.merge(pop, on=["mun_code", "year"], how="left")
    out = _add_rate(out)
    out = out[["mun_code", "year", "homicides", "population", "homicide_rate", "year_basis",
               "population_source"]]

    monthly = g[g["code"].str[:2].isin(geo.FOCUS_STATES)].rename(columns={"code": "mun_code"})
    return {"homicides_municipal_annual": out, "homicides_municipal_monthly": monthly}


@step(sources=[G_STATE], needs=["_population_municipal", "_homicides_registration"],
      outputs=["homicides_state_annual"],
      family=FAMILY)
def homicides_state(inp):
    g = read_gargiulo(inp.raw(G_STATE), G_STATE, "cve_ent", (2000, 2022))
    if g["code"].nunique() != 32:
        raise DataError(G_STATE, "expected 32 states", detail=str(g["code"].nunique()))
    occ = g.groupby(["code", "year"], as_index=False)["homicides"].sum()
    nat = occ.groupby("year")["homicides"].sum()
    readers.expect_equal(int(nat[2021]), 34_346, G_STATE, "national sum 2021")
    readers.expect_equal(int(occ.set_index(["code", "year"]).loc[("02", 2021), "homicides"]), 3_192,
                         G_STATE, "Baja California 2021")
    occ = occ.assign(year_basis="occurrence")

    r = inp.table("_homicides_registration")
    reg = r[r.kind == "state"][["code", "year", "homicides"]].assign(year_basis="registration")
    per_year = reg.groupby("year").size()
    if (per_year != 32).any():
        y = per_year[per_year != 32].index[0]
        raise DataError(f"rudkin_inegi_homicides_reg_{y}", "expected 32 state rows", detail=str(per_year[y]))

    both = pd.concat([occ, reg], ignore_index=True).rename(columns={"code": "state_code"})
    national = both.groupby(["year", "year_basis"], as_index=False)["homicides"].sum().assign(state_code="00")
    both = pd.concat([both, national], ignore_index=True)

    pop = inp.table("_population_municipal")
    pop["state_code"] = pop["mun_code"].str[:2]
    sp = pop.groupby(["state_code", "year", "population_source"], as_index=False)["population"].sum()
    npop = sp.groupby(["year", "population_source"], as_index=False)["population"].sum().assign(state_code="00")
    sp = pd.concat([sp, npop], ignore_index=True)
    if sp.duplicated(["state_code", "year"]).any():
        raise DataError(POP_OLD, "a state-year mixes population series")
    out = both.merge(sp, on=["state_code", "year"], how="left")
    out = _add_rate(out)
    out = out[["state_code", "year", "homicides", "population", "homicide_rate", "year_basis",
               "population_source"]]
    return {"homicides_state_annual": out}
