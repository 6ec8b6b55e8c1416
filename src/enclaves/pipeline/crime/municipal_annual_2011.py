"""Old instrument, every reporting municipality, 2011-2014 (README 2.8): annual averiguaciones previas for
homicidio doloso, secuestro, robbery, other offences and the total, names only, aggregated by México Evalúa.

Cells are space-padded and use comma thousands separators (``"  1,053"``). 2014 is partial upstream; it is
parsed and checked like the other years, and the step drops it."""

from __future__ import annotations

import re

import pandas as pd

from ...errors import DataError
from .. import readers
from .contracts import ANNUAL_COLUMNS, ANNUAL_CRIMES
from .municipal_2024 import name_pairs, state_codes
from .municipal_names import Catalogues, match_names

COLS_ANNUAL = ("Estado", "Municipio", "Año", "Crimen", "Averiguaciones", "Tasa", "Lugar")
YEARS_ANNUAL = (2011, 2014)
#: how each number is written: whole numbers with comma thousands, the rate with two decimals
FORMATS = {"Averiguaciones": re.compile(r"\d{1,3}(,\d{3})*"), "Lugar": re.compile(r"\d{1,3}(,\d{3})*"),
           "Tasa": re.compile(r"\d{1,3}(,\d{3})*\.\d{2}")}


def _numbers(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    s = df[col].str.strip()
    bad = ~s.str.fullmatch(FORMATS[col])
    if bad.any():
        i = int(bad.to_numpy().argmax())
        what = "a non-negative number with two decimals" if col == "Tasa" else "a whole non-negative number"
        raise DataError(file, f"column {col} must be {what} (comma thousands separators)", row=i + 2,
                        detail=repr(df[col].iloc[i]))
    return pd.to_numeric(s.str.replace(",", "", regex=False))


def parse_mun_annual(path, file: str, cats: Catalogues, source: str) -> pd.DataFrame:
    """One row per (mun_code, year), 2011-2014, with a column per crime (empty where upstream has no row)."""
    df = readers.read_table(path, columns=COLS_ANNUAL)
    df["year"] = readers.to_number(df, "Año", file)
    readers.check_years(df["year"], *YEARS_ANNUAL, file)
    df["crime"] = df["Crimen"].map(ANNUAL_CRIMES)
    bad = df["crime"].isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, f"unknown Crimen (expected one of {list(ANNUAL_CRIMES)})", row=i + 2,
                        detail=repr(df["Crimen"].iloc[i]))
    df["value"] = _numbers(df, "Averiguaciones", file).astype("int64")
    _numbers(df, "Tasa", file)
    _numbers(df, "Lugar", file)
    df["state_code"] = state_codes(df, "Estado", file)
    readers.check_unique(df, ["state_code", "Municipio", "year", "crime"], file)
    m = match_names(name_pairs(df), source, file, cats)
    df = df.merge(m[["state_code", "name", "mun_code"]], left_on=["state_code", "Municipio"],
                  right_on=["state_code", "name"], how="left", validate="many_to_one")
    wide = df.pivot(index=["mun_code", "year"], columns="crime", values="value")
    wide = wide.reindex(columns=list(ANNUAL_COLUMNS)).astype("Int64").reset_index()
    parts = wide[list(ANNUAL_COLUMNS)[:-1]].sum(axis=1, min_count=1)
    over = (parts > wide["total"]).fillna(False)
    if over.any():
        r = wide[over].iloc[0]
        line = df[(df["mun_code"] == r["mun_code"]) & (df["year"] == r["year"]) & (df["crime"] == "total")].index
        raise DataError(file, "Total averiguaciones is below the sum of the four crimes", row=int(line[0]) + 2,
                        detail=f"{r['mun_code']} {r['year']}: {r['total']} vs {parts[over].iloc[0]}")
    return wide


#: README 2.8: (code, column) → 2011, 2012, 2013
SPOTS_ANNUAL = {("16083", "homicidio_doloso"): (11, 6, 15), ("16083", "secuestro"): (2, 1, 5),
                ("19039", "homicidio_doloso"): (700, 551, 266), ("15058", "homicidio_doloso"): (137, 171, 169)}
#: README 2.8: 2014 is partial (Monterrey 67 homicides here, 124 for the full year in README 2.3)
PARTIAL_2014 = ("19039", "homicidio_doloso", 67)
#: years and crimes in which the 69 cities of README 2.3 must equal crime_municipal_monthly's full-year sums
SAME_AS_23 = ((2011, 2012), {"homicidio_doloso": "homicidio_doloso", "secuestro": "secuestro"})


def check_annual(df: pd.DataFrame, monthly_23: pd.DataFrame, file: str) -> None:
    """README 2.8's spot values, 2014 partial, and 2011-2012 equal to README 2.3 for its 69 cities."""
    a = df.set_index(["mun_code", "year"])
    for (code, col), values in SPOTS_ANNUAL.items():
        for year, v in zip(range(2011, 2014), values, strict=True):
            got = a[col].get((code, year), pd.NA)
            readers.expect_equal(-1 if pd.isna(got) else int(got), v, file, f"{col} in {code}, {year}")
    code, col, v = PARTIAL_2014
    readers.expect_equal(int(a[col].get((code, 2014), -1)), v, file, f"{col} in {code}, 2014 (partial)")
    nat = df.groupby("year")["homicidio_doloso"].sum()
    if not nat[2014] < 0.5 * nat[2013]:
        raise DataError(file, "2014 should be partial (README 2.8) but looks like a full year", row="2014",
                        detail=f"{nat[2014]} vs {nat[2013]} in 2013")
    (y0, y1), crimes = SAME_AS_23
    m = monthly_23[monthly_23["year"].between(y0, y1) & monthly_23["crime"].isin(crimes)]
    full = m.groupby(["mun_code", "year", "crime"]).agg(value=("value", "sum"), months=("month", "size"))
    full = full[full["months"] == 12]
    if len(full) < 100:
        raise DataError(file, "too few full years in crime_municipal_monthly to cross-check", detail=str(len(full)))
    for (code, year, crime), r in full.iterrows():
        got = a[crimes[crime]].get((code, year), pd.NA)
        if pd.isna(got) or int(got) != int(r["value"]):
            raise DataError(file, f"{y0}-{y1} counts of the 69 large municipalities must equal "
                            "crime_municipal_monthly (README 2.3)", row=f"{code} {year} {crime}",
                            detail=f"{got} vs {r['value']}")
