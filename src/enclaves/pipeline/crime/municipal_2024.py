"""New instrument, every municipality, January 2024 - June 2025 (README 2.7): investigation files for homicidio
doloso, feminicidio and homicidio culposo by month, names only, re-published by Sebastián Rodríguez."""

from __future__ import annotations

import pandas as pd

from ... import geo
from ...errors import DataError
from .. import readers
from .contracts import IDEFC_MONTHS, months_in
from .municipal_names import Catalogues, match_names

OTHER = "Otros delitos que atentan contra la vida y la integridad corporal"
COLS_2024 = ("Entidad", "Municipio", "Feminicidio", "Homicidio culposo", "Homicidio doloso", "Total", "Año", "Mes",
             "Periodo", OTHER)
#: upstream column → the table's column, in the table's order
COUNTS_2024 = {"Homicidio doloso": "homicidio_doloso", "Feminicidio": "feminicidio",
               "Homicidio culposo": "homicidio_culposo"}
SPAN_2024 = ((2024, 1), (2025, 6))
MONTH_NUMBER = {m: i for i, m in enumerate(IDEFC_MONTHS, start=1)}


def state_codes(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    """State names (SESNSP spellings) → 2-character codes; an unknown name stops at its first row."""
    first = df.drop_duplicates(col)
    codes = {name: geo.state_code(name, file, int(i) + 2) for i, name in first[col].items()}
    return df[col].map(codes)


def name_pairs(df: pd.DataFrame) -> pd.DataFrame:
    """Distinct (state_code, Municipio) with the file row where each first occurs."""
    first = df.drop_duplicates(["state_code", "Municipio"])
    return pd.DataFrame({"state_code": first["state_code"], "name": first["Municipio"],
                         "row": first.index + 2}).reset_index(drop=True)


def parse_mun_2024(path, file: str, cats: Catalogues, source: str) -> pd.DataFrame:
    """Rows of (mun_code, year, month, homicidio_doloso, feminicidio, homicidio_culposo), every rule checked."""
    df = readers.read_table(path, columns=COLS_2024)
    df["year"] = readers.to_number(df, "Año", file)
    readers.check_years(df["year"], SPAN_2024[0][0], SPAN_2024[1][0], file)
    df["month"] = df["Mes"].map(MONTH_NUMBER)
    bad = df["month"].isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "Mes must be a Spanish month name (Enero ... Diciembre)", row=i + 2,
                        detail=repr(df["Mes"].iloc[i]))
    df["month"] = df["month"].astype(int)
    bad = df["Periodo"] != df["Mes"] + " " + df["Año"]
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "Periodo must be 'Mes Año'", row=i + 2, detail=repr(df["Periodo"].iloc[i]))
    want = months_in(SPAN_2024)
    late = ~(df["year"] * 100 + df["month"]).isin([y * 100 + m for y, m in want])
    if late.any():
        i = int(late.to_numpy().argmax())
        raise DataError(file, "month outside January 2024 - June 2025", row=i + 2, detail=repr(df["Periodo"].iloc[i]))
    for col in (*COUNTS_2024, "Total"):  # written as floats ('8.0'): whole and non-negative
        df[col] = readers.to_number(df, col, file)
    parts = sum(df[c] for c in COUNTS_2024)
    bad = df["Total"] != parts
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "Total differs from the sum of the three homicide columns", row=i + 2,
                        detail=f"{df['Total'].iloc[i]} vs {parts.iloc[i]}")
    other = readers.to_number(df, OTHER, file)
    if (other != 0).any():
        i = int((other != 0).to_numpy().argmax())
        raise DataError(file, f"column '{OTHER}' is an all-zero placeholder upstream; a value means the file changed",
                        row=i + 2, detail=repr(df[OTHER].iloc[i]))
    df["state_code"] = state_codes(df, "Entidad", file)
    readers.check_unique(df, ["state_code", "Municipio", "year", "month"], file)
    m = match_names(name_pairs(df), source, file, cats)
    per = df.groupby(["state_code", "Municipio"], sort=False)["month"].transform("size")
    short = per != len(want)
    if short.any():
        i = int(short.to_numpy().argmax())
        raise DataError(file, f"every municipality needs all {len(want)} months", row=i + 2,
                        detail=f"{df['Municipio'].iloc[i]!r} has {per.iloc[i]}")
    df = df.merge(m[["state_code", "name", "mun_code"]], left_on=["state_code", "Municipio"],
                  right_on=["state_code", "name"], how="left", validate="many_to_one")
    out = df[["mun_code", "year", "month", *COUNTS_2024]].rename(columns=COUNTS_2024)
    return out.sort_values(["mun_code", "year", "month"], kind="mergesort").reset_index(drop=True)


#: README 2.7: homicidio doloso, sum of months (2025 = January-June)
SPOTS_2024 = {("16083", 2024): 8, ("16083", 2025): 3, ("19039", 2024): 274, ("19039", 2025): 96,
              ("15058", 2024): 74, ("15058", 2025): 37}
NATIONAL_2024 = 25_449


def check_2024(df: pd.DataFrame, known: set[str], state_annual: pd.DataFrame, file: str) -> None:
    """README 2.7's spot values; every municipality of INEGI's catalogue present; state sums (with the rows
    that are not municipalities) equal to the IDM_NM state-year file (README 2.6, same release)."""
    a = df.groupby(["mun_code", "year"])["homicidio_doloso"].sum()
    for (code, year), v in SPOTS_2024.items():
        readers.expect_equal(int(a.get((code, year), -1)), v, file, f"homicidio doloso in {code}, {year}")
    nat = df.groupby("year")["homicidio_doloso"].sum()
    readers.expect_equal(int(nat[2024]), NATIONAL_2024, file, "homicidio doloso, every row, 2024")
    missing = sorted(known - set(df["mun_code"]))
    if missing:
        raise DataError(file, "every municipality of INEGI's catalogue should appear", row=missing[0],
                        detail=f"{len(missing)} missing")
    idm = state_annual[(state_annual["series"] == "sesnsp_new") & (state_annual["unit"] == "incidents")
                       & state_annual["year"].isin([2024, 2025]) & (state_annual["state_code"] != geo.NATIONAL)]
    cols = ["homicidio_doloso", "feminicidio"]
    ours = df.assign(state_code=df["mun_code"].str[:2]).groupby(["state_code", "year"])[cols].sum()
    ours = ours.stack().rename("ours").rename_axis(["state_code", "year", "crime"])
    theirs = idm[idm["crime"].isin(cols)].set_index(["state_code", "year", "crime"])["value"]
    both = pd.concat([ours, theirs.rename("idm")], axis=1)
    bad = both["ours"].ne(both["idm"]).fillna(True)
    if bad.any():
        k = both.index[int(bad.to_numpy().argmax())]
        raise DataError(file, "state sum differs from the IDM_NM state-year file (crime_state_annual)",
                        row=f"state {k[0]}, {k[1]}, {k[2]}", detail=f"{both.loc[k, 'ours']} vs {both.loc[k, 'idm']}")
