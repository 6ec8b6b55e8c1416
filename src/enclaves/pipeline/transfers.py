"""Federal security transfers to the states: the public-security fund FASP (Fondo de Aportaciones para la
Seguridad Pública) of Ramo 33, 1999-2013, from the Finance Ministry's reports as compiled by México Evalúa, with
the state's population (CONAPO, as in ``homicides_state_annual``) and the amount per person. FASP is empty in
1998 and 0.0 in 2014 upstream, so both years are left out (raw README section 4.4)."""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from . import readers
from .core import STATE_CODE, YEAR, Column, step, table

FAMILY = "covariates"
RAMO33 = "mexicoevalua_ramo33_2014"
YEARS = (1999, 2013)
COLUMNS = ["id", "estado", "yr", "id_yr", "r33_total", "r33_faeb", "r33_fasa", "r33_fis", "r33_fise", "r33_fism",
           "r33_multiple", "r33_alimenticio", "r33_infraeduca", "r33_edusuperior", "r33_fortamun",
           "r33_edutecnologica", "r33_segurid", "r33_fortaestados"]
#: Spot values from the raw README (FASP, million pesos).
SPOT = {("00", 1999): 4715.0, ("00", 2013): 7631.8, ("16", 2013): 277.6, ("15", 2013): 612.6, ("19", 2013): 294.6}

table("fasp_state_annual", title="Federal public-security fund (FASP) by state, 1999-2013",
      description=("The federal fund for state public security (FASP, Ramo 33) received by each state and the "
                   "nation, 1999-2013, in million current pesos as reported by the Finance Ministry (compiled by "
                   "México Evalúa), with the population (CONAPO) and the amount per person."),
      columns=[STATE_CODE, YEAR,
               Column("fasp_mxn_millions", "number", "FASP received, million current pesos", unit="million MXN",
                      minimum=0, decimals=1),
               Column("population", "integer", "Population (CONAPO mid-year, as in homicides_state_annual)",
                      minimum=1),
               Column("fasp_per_person", "number", "FASP per person, current pesos", unit="MXN per person",
                      minimum=0, decimals=3)],
      primary_key=["state_code", "year"], sources=[RAMO33], family=FAMILY, chapters=["cross_case"],
      caveats=["Current pesos: amounts are not deflated, so compare states within a year, not levels across years.",
               "Units are probably million pesos (upstream does not label them); the national 1999 total of "
               "4,715.0 matches that reading.",
               "1998 (empty) and 2014 (0.0) upstream are left out."])


def parse_ramo33(path, sid: str) -> pd.DataFrame:
    df = readers.read_table(path, columns=COLUMNS)
    df["year"] = readers.to_number(df, "yr", sid)
    readers.check_years(df["year"], 1998, 2014, sid)
    df = df[df["year"].between(*YEARS)].reset_index(drop=True)
    codes = df["id"].astype(str).str.strip()
    bad = ~codes.str.fullmatch(r"\d{2}") | ~codes.astype(int).between(0, 32)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(sid, "id must be a two-digit state code 00-32", row=i + 2, detail=repr(df["id"].iloc[i]))
    df["state_code"] = codes
    # values use a space as thousands separator ('1 500.8')
    df["r33_segurid"] = df["r33_segurid"].astype(str).str.replace(" ", "", regex=False)
    df["fasp_mxn_millions"] = readers.to_number(df, "r33_segurid", sid, integer=False)
    readers.check_unique(df, ["state_code", "year"], sid)
    per_year = df.groupby("year")["state_code"].nunique()
    if (per_year != 33).any():
        y = int(per_year[per_year != 33].index[0])
        raise DataError(sid, "expected the nation and 32 states every year", detail=f"{y}: {per_year[y]}")
    return df[["state_code", "year", "fasp_mxn_millions"]]


@step(sources=[RAMO33], needs=["homicides_state_annual"], outputs=["fasp_state_annual"], family=FAMILY)
def fasp_state_annual(inp):
    out = parse_ramo33(inp.raw(RAMO33), RAMO33)
    idx = out.set_index(["state_code", "year"])["fasp_mxn_millions"]
    for (code, year), value in SPOT.items():
        readers.expect_equal(round(float(idx[(code, year)]), 1), value, RAMO33, f"FASP of {code} in {year}")
    h = inp.table("homicides_state_annual")
    pop = (h[h["year_basis"] == "registration"].assign(year=lambda d: d["year"].astype(int))
           [["state_code", "year", "population"]])
    out = out.merge(pop, on=["state_code", "year"], how="left", validate="one_to_one")
    if out["population"].isna().any():
        i = int(out["population"].isna().to_numpy().argmax())
        raise DataError(RAMO33, "no population for a state-year", detail=f"{out.iloc[i].state_code} {out.iloc[i].year}")
    out["fasp_per_person"] = out["fasp_mxn_millions"] * 1e6 / out["population"]
    return {"fasp_state_annual": out}
