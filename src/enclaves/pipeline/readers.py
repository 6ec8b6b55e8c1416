"""Careful readers for raw files: every failure names the file, the row and the rule."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import DataError


def read_text(path: Path, encoding: str, *, compression: str | None = None) -> str:
    """Whole file as text; a decoding error or an empty file is a DataError."""
    import bz2
    import gzip

    raw = path.read_bytes()
    try:
        if compression == "gzip" or (compression is None and path.suffix == ".gz"):
            raw = gzip.decompress(raw)
        elif compression == "bz2" or (compression is None and path.suffix == ".bz2"):
            raw = bz2.decompress(raw)
    except (OSError, EOFError, ValueError) as e:
        raise DataError(path.name, "file is not a complete compressed stream (truncated?)", detail=str(e)) from None
    if not raw.strip():
        raise DataError(path.name, "file is empty")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(path.name, f"text is not valid {encoding}", row=line,
                        detail=str(e)) from None


def read_json(path: Path, file: str, *, rule: str = "file is not valid JSON"):
    """A utf-8 JSON file; a syntax error is a DataError (``rule``) naming the line."""
    try:
        return json.loads(read_text(path, "utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(file, rule, row=f"line {e.lineno}", detail=e.msg) from None


def read_table(path: Path, *, sep: str = ",", encoding: str = "utf-8", columns: Iterable[str],
               compression: str | None = None, strict_columns: bool = True) -> pd.DataFrame:
    """A delimited file as a DataFrame of strings, after checking its header.

    ``columns`` are the columns the file must have (all of them, in any order). With
    ``strict_columns`` the header must have no others.
    """
    text = read_text(path, encoding, compression=compression)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                         na_values=[], quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, csv.Error) as e:
        raise DataError(path.name, "file cannot be parsed as delimited text", detail=str(e)) from None
    cols = list(columns)
    header = [c.strip().lstrip("\ufeff") for c in df.columns]
    df.columns = header
    missing = [c for c in cols if c not in header]
    if missing:
        raise DataError(path.name, "required column missing from the header",
                        row="header", detail=f"missing {missing}; header has {header}")
    if strict_columns:
        extra = [c for c in header if c not in cols]
        if extra:
            raise DataError(path.name, "unexpected column in the header (renamed upstream?)",
                            row="header", detail=f"unexpected {extra}")
    if df.empty:
        raise DataError(path.name, "file has a header but no data rows")
    return df


def to_number(df: pd.DataFrame, col: str, file: str, *, integer: bool = True, allow_empty: bool = False,
              nonnegative: bool = True, thousands: bool = False, row_offset: int = 2) -> pd.Series:
    """Convert a text column to numbers; name the first offending row (1-based file line)."""
    s = df[col].astype(str).str.strip()
    if thousands:
        s = s.str.replace(",", "", regex=False)
    empty = s.eq("") | s.str.upper().isin(["NA", "NAN"])
    num = pd.to_numeric(s.where(~empty), errors="coerce")
    bad = num.isna() & ~empty
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, f"column {col} holds a non-numeric value", row=i + row_offset,
                        detail=repr(df[col].iloc[i]))
    if empty.any() and not allow_empty:
        i = int(empty.to_numpy().argmax())
        raise DataError(file, f"column {col} is empty where a number is required", row=i + row_offset)
    if integer:
        frac = num.notna() & (num != num.round())
        if frac.any():
            i = int(frac.to_numpy().argmax())
            raise DataError(file, f"column {col} must be a whole number", row=i + row_offset,
                            detail=repr(df[col].iloc[i]))
    if nonnegative:
        neg = num.notna() & (num < 0)
        if neg.any():
            i = int(neg.to_numpy().argmax())
            raise DataError(file, f"column {col} may not be negative", row=i + row_offset,
                            detail=repr(df[col].iloc[i]))
    return num.astype("Int64") if integer else num.astype("float64")


def first_row(mask: pd.Series) -> int:
    """Index label of the first true value of ``mask``: the file's row number where the index holds it."""
    return int(mask.index[int(mask.to_numpy().argmax())])


def check_years(years: pd.Series, lo: int, hi: int, file: str, *, row_offset: int = 2) -> None:
    bad = years.notna() & ((years < lo) | (years > hi))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, f"year outside the expected range {lo}-{hi}", row=i + row_offset,
                        detail=repr(years.iloc[i]))


def check_unique(df: pd.DataFrame, key: list[str], file: str, *, row_offset: int = 2) -> None:
    dup = df.duplicated(key, keep="first")
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise DataError(file, f"duplicated key {key}", row=i + row_offset,
                        detail=", ".join(f"{k}={df[k].iloc[i]}" for k in key))


def check_known_codes(codes: pd.Series, known: set[str], file: str, *, row_offset: int = 2,
                      what: str = "municipality code") -> None:
    bad = ~codes.isin(known)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, f"unknown {what} (not in the INEGI catalog)", row=i + row_offset,
                        detail=repr(codes.iloc[i]))


def expect_equal(actual, expected, file: str, what: str) -> None:
    """A known spot value from the raw README; a mismatch means the parse (or the file) is wrong."""
    if actual != expected:
        raise DataError(file, f"spot value check failed for {what}", detail=f"got {actual}, expected {expected}")
