"""Old instrument, incidents 1997-2014: the SESNSP state workbook via México Evalúa (README 2.1)."""

from __future__ import annotations

import pandas as pd

from ... import geo
from ...errors import DataError
from .. import readers
from .catalog import crime_of_labels, norm_label, old_catalog
from .contracts import WB_HEADER, WB_MONTHS, WB_SHEET, WB_YEARS
from .xlsx import read_xlsx_sheet


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
            r = readers.first_row(bad)
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
    head = tuple(norm_label(v) if v is not None else "" for v in sheet.loc[1]) if 1 in sheet.index else ()
    if head != WB_HEADER:
        raise DataError(file, "header differs from AÑO, ENTIDAD, MODALIDAD, TIPO, SUBTIPO, ENERO … TOTAL AÑO "
                        "(column missing or renamed?)", row=1, detail=f"got {list(head)}")
    d = sheet.drop(index=1)
    d = d[~d.isna().all(axis=1)]
    d.columns = list(WB_HEADER)
    year = _whole_cells(d["AÑO"], file, "AÑO")
    bad = year.isna() | ~year.between(*WB_YEARS)
    if bad.any():
        r = readers.first_row(bad.fillna(True))
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
        raise DataError(file, "duplicated key [AÑO, ENTIDAD, MODALIDAD, TIPO, SUBTIPO]", row=readers.first_row(dup))
    months = pd.DataFrame({m: _whole_cells(d[m], file, f"month cell {m}") for m in WB_MONTHS})
    total = _whole_cells(d["TOTAL AÑO"], file, "TOTAL AÑO")
    off = total.isna() | (months.sum(axis=1) != total)
    if off.any():
        r = readers.first_row(off)
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
