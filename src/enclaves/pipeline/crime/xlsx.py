"""One worksheet of an xlsx workbook as cells, read by pandas' calamine engine (python-calamine)."""

from __future__ import annotations

import pandas as pd

from ...errors import DataError

#: The cell values a worksheet may hold here: numbers and text. calamine reads a date, a time or a
#: boolean as such (refused below) and an error cell (#DIV/0!, #N/A …) as an empty cell, which the
#: workbook's own checks then catch (a month missing from TOTAL AÑO, an unknown state name).
CELL_TYPES = (int, float, str)


def column_letters(n: int) -> list[str]:
    """Excel's names of the first ``n`` columns: A … Z, AA, AB …"""
    out = []
    for i in range(1, n + 1):
        name = ""
        while i:
            i, r = divmod(i - 1, 26)
            name = chr(ord("A") + r) + name
        out.append(name)
    return out


def read_xlsx_sheet(path, file: str, sheet: str) -> pd.DataFrame:
    """One worksheet as a DataFrame indexed by Excel row number, columns A, B, …: numbers as int or
    float, text as str, an empty cell as None. A sheet that is missing or holds a value of another
    kind is refused."""
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except Exception as e:  # python-calamine: CalamineError, ZipError, XmlError …
        raise DataError(file, "file is not a readable xlsx workbook", detail=f"{type(e).__name__}: {e}") from None
    with book:
        if sheet not in book.sheet_names:
            raise DataError(file, f"sheet '{sheet}' missing", row="workbook", detail=f"sheets: {book.sheet_names}")
        try:
            df = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object, keep_default_na=False,
                               na_values=[])
        except Exception as e:
            raise DataError(file, f"sheet '{sheet}' cannot be read", detail=f"{type(e).__name__}: {e}") from None
    if df.empty:
        raise DataError(file, f"sheet '{sheet}' has no rows")
    df.index = df.index + 1  # header=None: row i of the frame is Excel's row i + 1 (the sheet starts at A1)
    df.columns = column_letters(df.shape[1])
    if not set(map(type, df.to_numpy().ravel())) <= set(CELL_TYPES):
        odd = ~df.map(lambda v: type(v) in CELL_TYPES)
        r, c = odd.stack().loc[lambda s: s].index[0]
        v = df.loc[r, c]
        raise DataError(file, f"cell of type '{type(v).__name__}' (not a number or text)", row=int(r),
                        detail=f"{c}{r} = {v!r}")
    return df.mask(df.eq(""), None)
