"""ENVIPE tabulados básicos, section III (one workbook per edition, 2012-2025): cifra negra, causes of
non-reporting and crimes occurred by state, found by their title (see the package docstring)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
import zlib

import openpyxl
import pandas as pd

from ...errors import DataError
from .. import readers
from .common import area_code, check_areas, round_half_up, strip_footnote

# Normalised titles (lower case, blanks collapsed, "Distribución de los/la" dropped).
T_CIFRA = "delitos ocurridos por entidad federativa, según cifra negra"
T_CAUSES = "delitos no denunciados por entidad federativa, según causas de la no denuncia"
T_SKIP = {
    "delitos ocurridos a hombres por entidad federativa, según cifra negra",
    "delitos ocurridos a mujeres por entidad federativa, según cifra negra",
    "cifra negra por entidad federativa y los tres delitos reportados con mayor frecuencia",
    "delitos ocurridos por entidad federativa y los tres delitos con mayor cifra negra",
    "delitos sin denuncia declarada por entidad federativa, causas generales y específicas de la no denuncia",
}


def _format_decimals(fmt: str | None) -> int | None:
    """Decimals shown by an Excel number format ('0.0' → 1, '###\\ ##0' → 0, 'General' → None)."""
    if not fmt or fmt == "General":
        return None
    m = re.search(r"[0#]\.([0#]+)", fmt)
    return len(m.group(1)) if m else 0


def _label(v) -> str:
    return strip_footnote(v).lower() if isinstance(v, str) else ""


def _norm_title(parts: list[str]) -> str:
    t = re.sub(r"\s+", " ", " ".join(parts)).strip().lower().rstrip(".")
    return re.sub(r"^distribución de (los |las |la |el )?", "", t)


def _sheet_title(rows: list[tuple]) -> tuple[str, int | None, int]:
    """Title (normalised), reference year and the index of the year row, from a sheet's top rows."""
    parts, year, yi = [], None, len(rows)
    for i, row in enumerate(rows[2:], start=2):
        v = row[0].value if row else None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            year, yi = int(v), i
            break
        if v is None or not str(v).strip():
            break
        parts.append(str(v))
    return _norm_title(parts), year, yi


def _find_cols(hdr: list[tuple], total: str, group: str, file: str, hrow: int) -> tuple[int, int, int]:
    """Columns of the total, and of the group's 'Absolutos' and 'Relativos', located by header text."""
    c_total = g = None
    for r, row in enumerate(hdr):
        for c, cell in enumerate(row):
            lab = _label(cell.value)
            if lab == total and c_total is None:
                c_total = c
            if lab == group and g is None:
                g = (r, c)
    if c_total is None or g is None:
        raise DataError(file, f"header lacks '{total}' or '{group}' (column missing or renamed?)",
                        row=hrow)
    gr, gc = g
    nxt = min((c for c, cell in enumerate(hdr[gr]) if c > gc and _label(cell.value)), default=10**6)
    c_abs = c_rel = None
    for row in hdr[gr + 1:]:
        for c, cell in enumerate(row):
            if gc <= c < nxt and _label(cell.value) == "absolutos" and c_abs is None:
                c_abs = c
            if gc <= c < nxt and _label(cell.value) == "relativos" and c_rel is None:
                c_rel = c
    if c_abs is None or c_rel is None:
        raise DataError(file, f"'Absolutos'/'Relativos' not found under '{group}'", row=hrow)
    return c_total, c_abs, c_rel


def _number(cell, file: str, row: int, what: str, *, integer: bool) -> float:
    v = cell.value if cell is not None else None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise DataError(file, f"{what} holds a non-numeric value", row=row, detail=repr(v))
    if v < 0:
        raise DataError(file, f"{what} may not be negative", row=row, detail=repr(v))
    if integer and v != int(v):
        raise DataError(file, f"{what} must be a whole number", row=row, detail=repr(v))
    return v


def _read_state_table(ws, file: str, yi: int, total: str, group: str) -> pd.DataFrame:
    rows = list(ws.iter_rows())
    hi = next((i for i in range(yi + 1, min(len(rows), yi + 6))
               if rows[i] and _label(rows[i][0].value).startswith("entidad federativa")), None)
    if hi is None:
        raise DataError(file, "header row 'Entidad federativa' not found below the reference year",
                        row=yi + 1)
    di = next((i for i in range(hi + 1, min(len(rows), hi + 8))
               if rows[i] and _label(rows[i][0].value)), None)
    if di is None:
        raise DataError(file, "no data rows below the header", row=hi + 1)
    c_total, c_abs, c_rel = _find_cols(rows[hi:di], total, group, file, hi + 1)
    out = []
    for i in range(di, len(rows)):
        row = rows[i]
        name = row[0].value if row else None
        if name is None or not str(name).strip():
            break
        r = i + 1
        code = area_code(str(name), file, r)
        cells = {k: (row[c] if c < len(row) else None) for k, c in
                 (("total", c_total), ("abs", c_abs), ("rel", c_rel))}
        tot = _number(cells["total"], file, r, f"'{total}'", integer=True)
        ab = _number(cells["abs"], file, r, f"'{group}' absolutos", integer=True)
        rel = _number(cells["rel"], file, r, f"'{group}' relativos", integer=False)
        if rel > 100 or ab > tot:
            raise DataError(file, "percentage above 100 or part larger than total", row=r,
                            detail=f"{ab} of {tot}, {rel}%")
        if tot > 0 and abs(ab / tot * 100 - rel) > 0.05:
            raise DataError(file, "printed percentage disagrees with the absolutes (column shifted?)",
                            row=r, detail=f"{ab}/{tot} vs {rel}")
        dec = _format_decimals(cells["rel"].number_format)
        out.append({"state_code": code, "row": r, "total": int(tot),
                    "pct": rel if dec is None else round_half_up(rel, dec)})
    df = pd.DataFrame(out, columns=["state_code", "row", "total", "pct"])
    if not df.empty:
        readers.check_unique(df, ["state_code"], file, row_offset=di + 1)
        if df["state_code"].iloc[0] != "00":
            raise DataError(file, "first data row must be 'Estados Unidos Mexicanos'", row=di + 1)
    check_areas(df, file, "state table")
    return df


def read_denuncia(path, edition: int, sid: str) -> pd.DataFrame:
    """Cifra negra, authority-attributable causes and crimes occurred from one workbook."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile / KeyError / InvalidFileException
        raise DataError(sid, "file cannot be read as an xlsx workbook", detail=str(e)) from None
    try:
        found: dict[str, tuple] = {}
        for ws in wb.worksheets:
            top = list(ws.iter_rows(max_row=8))
            title, year, yi = _sheet_title(top)
            if not ("por entidad federativa" in title and ("cifra negra" in title or "no denuncia" in title)):
                continue
            where = f"{sid} sheet '{ws.title.strip()}'"
            if title in T_SKIP:
                continue
            if title not in (T_CIFRA, T_CAUSES):
                raise DataError(where, "unrecognised table title about cifra negra / non-reporting by state",
                                row=3, detail=repr(title))
            if title in found:
                raise DataError(where, "table title appears twice in the workbook", row=3,
                                detail=f"also sheet '{found[title][0].title}'")
            head = str(top[0][0].value if top and top[0] else "")
            if f"Pública {edition} (ENVIPE)" not in head:
                raise DataError(where, f"title line does not name the ENVIPE {edition} edition", row=1,
                                detail=repr(head))
            if year != edition - 1:
                raise DataError(where, f"reference year must be {edition - 1}", row=yi + 1, detail=repr(year))
            found[title] = (ws, where, yi)
        for t in (T_CIFRA, T_CAUSES):
            if t not in found:
                raise DataError(sid, "table not found by title", detail=repr(t))
        ws, where, yi = found[T_CIFRA]
        cn = _read_state_table(ws, where, yi, "delitos ocurridos", "cifra negra")
        ws, where, yi = found[T_CAUSES]
        ca = _read_state_table(ws, where, yi, "delitos sin denuncia declarada",
                               "por causas atribuibles a la autoridad")
    except (ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise DataError(sid, "workbook is damaged (a sheet cannot be parsed)", detail=str(e)) from None
    finally:
        wb.close()
    parts = [cn.assign(indicator="cifra_negra_pct", value=cn["pct"]),
             cn.assign(indicator="crimes_total", value=cn["total"].astype(float)),
             ca.assign(indicator="authority_causes_pct", value=ca["pct"])]
    out = pd.concat(parts, ignore_index=True)[["state_code", "indicator", "value"]]
    return out.assign(edition=edition, source=sid)
