"""Surveys: INEGI's ENVIPE (victimisation, crime incidence, perceived insecurity, cifra negra,
causes of non-reporting) by state, and the World Justice Project's rule-of-law index by state.

Year basis. ENVIPE edition *t* is fielded in March–April of *t*. Victimisation, incidence,
cifra negra, the causes of non-reporting and the number of crimes refer to calendar year *t−1*
(``year = edition − 1``); perceived insecurity is measured at fieldwork (``year = edition``).
Every row keeps its ``edition`` so both readings stay visible.

Two insecurity series. México Evalúa's compilation of the 2011–2014 editions carries the
press-release percentages (``insecurity_pct``); INEGI's indicator 6204327085 (editions
2011–2025) runs 2–3 points higher for the same editions, so it is kept as a separate indicator
(``insecurity_api``, ``valor / 1000`` = percent) and the two are never spliced.

Precision. The INEGI workbooks store unrounded estimates and print them with their cell's
number format (``0.0`` for percentages). We keep what INEGI prints: each relative cell is
rounded half-up to the decimals of its own number format; nothing is recomputed (the
absolutes only serve to check each printed percentage). México Evalúa's file carries
unrounded values; they are rounded as INEGI prints them in the ENVIPE releases (rates per
100,000 to whole numbers, percentages to one decimal). The indicator-bank series (per 100,000)
is divided by 1,000 and kept to two decimals of a percent, rounded once from the raw value.

Tables in the INEGI workbooks are found by their title, never by sheet number: the cuadro
numbers move between editions. Every sheet whose title concerns cifra negra or
non-reporting by state must be one we know (the two we read, or the by-sex, three-crimes and
general/specific-causes variants we skip); anything else is a DataError.

Not parsed: ``envipe_2011_caracteristicas_victimas`` (ENVIPE 2011, section III) is a
cross-check only. It has no state cifra-negra or non-reporting table, and its crimes by state
are tabulated by state of residence, not of occurrence, so the cifra-negra series starts with
the 2012 edition.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pandas as pd

from .. import geo
from ..errors import DataError
from . import readers
from .core import STATE_CODE, Column, step, table

FAMILY = "surveys"
ME = "envipe_state_2011_2014_mexicoevalua"
API = "envipe_insecurity_state_api_2011_2025"
DENUNCIA_EDITIONS = range(2012, 2026)
DENUNCIA = {e: f"envipe_{e}_denuncia_delito" for e in DENUNCIA_EDITIONS}
ME_EDITIONS = range(2011, 2015)
API_EDITIONS = (2011, 2025)
WJP = {"wjp_iedmx_2019_state_overall": (2019, "2019-2020"),
       "wjp_iedmx_2023_state_overall": (2023, "2022-2023")}
AREAS = {"00", *(f"{i:02d}" for i in range(1, 33))}

#: indicator → (unit, year = edition - lag)
INDICATORS: dict[str, tuple[str, int]] = {
    "victimization_prevalence_per_100k": ("victims per 100,000 aged 18+", 1),
    "crime_incidence_per_100k": ("crimes per 100,000 aged 18+", 1),
    "insecurity_pct": ("percent of people aged 18+", 0),
    "insecurity_api": ("percent of people aged 18+", 0),
    "cifra_negra_pct": ("percent of crimes", 1),
    "authority_causes_pct": ("percent of crimes without a declared report", 1),
    "crimes_total": ("crimes", 1),
}

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

table("envipe_state", title="ENVIPE by state: victimisation, insecurity, cifra negra, non-reporting",
      description=("INEGI's national victimisation survey (ENVIPE), editions 2011-2025, for the nation "
                   "(state_code '00') and the 32 states, one row per state, indicator and edition. "
                   "Victimisation prevalence, crime incidence and press-release insecurity come from México "
                   "Evalúa's compilation of the 2011-2014 editions; insecurity_api from INEGI indicator "
                   "6204327085 (2011-2025); cifra negra, the share of unreported crimes not reported because "
                   "of the authority, and the number of crimes from INEGI's tabulados básicos, section III "
                   "(editions 2012-2025)."),
      columns=[STATE_CODE,
               Column("year", "integer",
                      ("Reference year. For victimisation, incidence, cifra negra, causes of non-reporting "
                       "and crimes_total: the year the crimes happened (edition - 1). For insecurity_pct and "
                       "insecurity_api: the fieldwork year, March-April of the edition year (= edition)."),
                      minimum=2010, maximum=2025),
               Column("indicator", "string",
                      ("victimization_prevalence_per_100k: victims per 100,000 aged 18+; "
                       "crime_incidence_per_100k: crimes per 100,000 aged 18+; "
                       "insecurity_pct: % aged 18+ who feel their state is unsafe (press figures, editions "
                       "2011-2014); insecurity_api: the same question from INEGI indicator 6204327085 "
                       "(valor/1000), editions 2011-2025, 2-3 points above the press figures; "
                       "cifra_negra_pct: % of crimes not reported or without an investigation file (or not "
                       "specified); authority_causes_pct: % of unreported crimes whose stated cause is "
                       "attributable to the authority (fear of extortion, waste of time, long procedures, "
                       "distrust, hostile attitude); crimes_total: estimated crimes occurred"),
                      enum=tuple(INDICATORS)),
               Column("value", "number", "Estimate, as printed by INEGI (see unit)", minimum=0, decimals=3),
               Column("unit", "string", "Unit of value",
                      enum=tuple(sorted({u for u, _ in INDICATORS.values()}))),
               Column("edition", "integer", "ENVIPE edition (survey year)", minimum=2011, maximum=2025),
               Column("source", "string", "Source id of the raw file the row comes from")],
      primary_key=["state_code", "indicator", "year"],
      sources=(ME, API, *DENUNCIA.values()), family=FAMILY,
      chapters=["cross_case", "nezahualcoyotl"],
      caveats=["All values are survey estimates with sampling error; INEGI flags precision only by cell "
               "colour, which is not carried here. Some state estimates have moderate or low precision.",
               "insecurity_api runs 2-3 points above insecurity_pct for the same editions (e.g. 76.27 vs "
               "73.3 nationally in 2014): use it for trends and do not splice the two.",
               "The national figures include crimes whose state was not specified, so states do not sum to "
               "the nation.",
               "Until about the 2016 edition a reported crime counts as investigated when an 'averiguación "
               "previa' was opened, later a 'carpeta de investigación'.",
               "authority_causes_pct is a share of all crimes without a declared report (INEGI's printed "
               "percentage). In the 2012 edition 'no sabe / no responde' answers are counted inside the "
               "causes; from 2013 they are excluded from the causes (but stay in the base), so reference "
               "year 2011 is not strictly comparable with later years.",
               "Cifra negra and causes start with the 2012 edition (reference year 2011); the 2011 edition "
               "has no state cifra-negra table.",
               "Rates and percentages from México Evalúa (editions 2011-2014) are rounded as INEGI prints "
               "them (whole numbers per 100,000; one decimal for percentages)."])

table("wjp_state", title="WJP rule-of-law index by state (overall score)",
      description=("World Justice Project's Índice de Estado de Derecho en México, overall score and rank of "
                   "the 32 states, editions 2019-2020 and 2022-2023, as republished by the Sinaloa state "
                   "statistics portal."),
      columns=[STATE_CODE,
               Column("edition", "integer", "Edition as labelled by the portal (2019, 2023)",
                      enum=tuple(e for e, _ in WJP.values())),
               Column("edition_label", "string", "WJP's name of the edition",
                      enum=tuple(lab for _, lab in WJP.values())),
               Column("score", "number", "Overall score, 0-1 (1 = strongest rule of law)", unit="score",
                      minimum=0, maximum=1, decimals=2),
               Column("rank", "integer", "Rank among the 32 states (1 = best)", minimum=1, maximum=32),
               Column("rank_change", "integer",
                      "Change in rank since WJP's previous edition as printed (positive = moved up)")],
      primary_key=["state_code", "edition"], sources=tuple(WJP), family=FAMILY,
      chapters=["cross_case", "nezahualcoyotl"],
      caveats=["Transcribed from a state government web page, not from WJP's own files.",
               "The '2019' label presumably is the 2019-2020 edition; rank_change refers to WJP's previous "
               "edition (2018 and 2021-2022), which are not available here, so it cannot be checked.",
               "Overall score only: factor scores (e.g. absence of corruption, order and security) and the "
               "2018, 2020-2021 and 2021-2022 editions are not available.",
               "Scores are printed with two decimals; ties in score are ranked on WJP's unrounded scores."])


# ------------------------------------------------------------------ helpers


def round_half_up(x: float, decimals: int) -> float:
    """Round as Excel displays a number: half away from zero, on the shortest decimal repr."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def _format_decimals(fmt: str | None) -> int | None:
    """Decimals shown by an Excel number format ('0.0' → 1, '###\\ ##0' → 0, 'General' → None)."""
    if not fmt or fmt == "General":
        return None
    m = re.search(r"[0#]\.([0#]+)", fmt)
    return len(m.group(1)) if m else 0


def strip_footnote(name: str) -> str:
    """'Nuevo León1' / 'México 2,3' → 'Nuevo León' / 'México' (footnote marks INEGI appends)."""
    return re.sub(r"[\d,\s]+$", "", re.sub(r"\s+", " ", str(name))).strip()


def _label(v) -> str:
    return strip_footnote(v).lower() if isinstance(v, str) else ""


def _norm_title(parts: list[str]) -> str:
    t = re.sub(r"\s+", " ", " ".join(parts)).strip().lower().rstrip(".")
    return re.sub(r"^distribución de (los |las |la |el )?", "", t)


def _area_code(name: str, file: str, row) -> str:
    code = geo.state_code(strip_footnote(name), file, row)
    if code not in AREAS:
        raise DataError(file, "area is neither the nation nor a state", row=row, detail=repr(name))
    return code


def _check_areas(df: pd.DataFrame, file: str, what: str) -> None:
    got = set(df["state_code"])
    if len(df) != 33 or got != AREAS:
        raise DataError(file, f"{what}: expected 33 areas (nation + 32 states)",
                        detail=f"{len(df)} rows; missing {sorted(AREAS - got)}")


def _spot(df: pd.DataFrame, file: str, spots: dict) -> None:
    """spots: {(indicator, state_code, edition): expected}."""
    v = df.set_index(["indicator", "state_code", "edition"])["value"]
    for (ind, code, ed), expected in spots.items():
        got = v.get((ind, code, ed))
        got = None if got is None else round(float(got), 3)
        readers.expect_equal(got, expected, file, f"{ind}, state {code}, edition {ed}")


# ------------------------------------------------------------------ México Evalúa 2011-2014 (Mac Roman, CR)


def read_mexicoevalua(path, file: str = ME) -> pd.DataFrame:
    cols = ["codigo", "abreviatura", "estado"] + [f"{p}{e - (p != 'ins')}" for e in ME_EDITIONS
                                                  for p in ("pre", "inc", "ins")]
    # Mac Roman: é is 0x8E. A latin-1 reading would garble 'Estado de México'.
    df = readers.read_table(path, encoding="mac_roman", columns=cols)
    codes = []
    for i, r in df.iterrows():
        row = i + 2
        code = _area_code(r["estado"], file, row)
        for col in ("abreviatura", "codigo"):
            other = (geo.state_code(r[col], file, row) if col == "abreviatura"
                     else f"{int(r[col]):02d}" if r[col].strip().isdigit() else r[col])
            if other != code:
                raise DataError(file, f"{col} disagrees with the state name", row=row,
                                detail=f"{r[col]!r} vs {r['estado']!r} ({code})")
        codes.append(code)
    df["state_code"] = codes
    readers.check_unique(df, ["state_code"], file)
    _check_areas(df, file, "México Evalúa table")
    mex = df.loc[df.state_code == "15", "estado"].tolist()
    readers.expect_equal(mex, ["Estado de México"], file, "Mac Roman decoding of state 15")
    out = []
    for e in ME_EDITIONS:
        for p, ind, dec in (("pre", "victimization_prevalence_per_100k", 0),
                            ("inc", "crime_incidence_per_100k", 0), ("ins", "insecurity_pct", 1)):
            col = f"{p}{e - (p != 'ins')}"
            v = readers.to_number(df, col, file, integer=False)
            if p == "ins" and (v > 100).any():
                i = int((v > 100).to_numpy().argmax())
                raise DataError(file, f"column {col} is a percentage above 100", row=i + 2,
                                detail=str(v.iloc[i]))
            out.append(pd.DataFrame({"state_code": df["state_code"], "indicator": ind, "edition": e,
                                     "value": [round_half_up(x, dec) for x in v]}))
    return pd.concat(out, ignore_index=True).assign(source=file)


# ------------------------------------------------------------------ INEGI indicator 6204327085


def read_api(path, file: str = API) -> pd.DataFrame:
    df = readers.read_table(path, columns=["año", "valor", "entidad", "clave"])
    df["edition"] = readers.to_number(df, "año", file)
    readers.check_years(df["edition"], *API_EDITIONS, file)
    valor = readers.to_number(df, "valor", file, integer=False)
    bad = valor > 100_000
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "valor is per 100,000 and cannot exceed 100,000", row=i + 2,
                        detail=repr(df["valor"].iloc[i]))
    codes = []
    for i, r in df.iterrows():
        code = _area_code(r["entidad"], file, i + 2)
        if r["clave"].strip() != code:
            raise DataError(file, "clave disagrees with entidad", row=i + 2,
                            detail=f"{r['clave']!r} vs {r['entidad']!r} ({code})")
        codes.append(code)
    df["state_code"] = codes
    readers.check_unique(df, ["state_code", "edition"], file)
    for e, g in df.groupby("edition"):
        _check_areas(g, file, f"edition {e}")
    years = set(df["edition"].astype(int))
    if years != set(range(API_EDITIONS[0], API_EDITIONS[1] + 1)):
        raise DataError(file, "editions 2011-2025 expected", detail=str(sorted(years)))
    return pd.DataFrame({"state_code": df["state_code"], "indicator": "insecurity_api",
                         "edition": df["edition"].astype(int),
                         "value": [round_half_up(x / 1000, 2) for x in valor], "source": file})


# ------------------------------------------------------------------ INEGI tabulados básicos, section III


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
        code = _area_code(str(name), file, r)
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
    _check_areas(df, file, "state table")
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


# ------------------------------------------------------------------ step: envipe_state

SPOT_ME = {
    ("victimization_prevalence_per_100k", "00", 2014): 28224.0,
    ("crime_incidence_per_100k", "00", 2014): 41563.0,
    ("crime_incidence_per_100k", "15", 2014): 93003.0,
    **{("insecurity_pct", "00", e): v for e, v in zip(ME_EDITIONS, (69.5, 66.6, 72.3, 73.3), strict=True)},
    **{("insecurity_pct", "19", e): v for e, v in zip(ME_EDITIONS, (84.5, 86.7, 80.2, 73.0), strict=True)},
    **{("insecurity_pct", "16", e): v for e, v in zip(ME_EDITIONS, (76.0, 76.0, 80.3, 82.0), strict=True)},
    **{("insecurity_pct", "15", e): v for e, v in zip(ME_EDITIONS, (83.9, 84.6, 90.7, 92.6), strict=True)},
}
SPOT_API = {("00", 2011): 71.94, ("00", 2014): 76.27, ("00", 2018): 82.10, ("00", 2025): 79.43,
            ("19", 2011): 86.47, ("19", 2018): 79.32, ("19", 2025): 74.17,
            ("16", 2011): 77.71, ("16", 2018): 84.21, ("16", 2025): 82.36,
            ("15", 2011): 84.78, ("15", 2018): 92.62, ("15", 2025): 89.26}
_SPOT_EDITIONS = (2012, 2013, 2019, 2024, 2025)
SPOT_DENUNCIA = {
    **{("cifra_negra_pct", code, e): v for code, vals in (
        ("00", (91.6, 92.1, 93.2, 92.9, 93.2)), ("16", (92.0, 94.0, 92.8, 89.8, 93.6)),
        ("19", (94.0, 93.2, 91.6, 91.9, 92.7)), ("15", (91.8, 93.4, 93.6, 92.9, 94.3)))
       for e, v in zip(_SPOT_EDITIONS, vals, strict=True)},
    **{("authority_causes_pct", "00", e): v
       for e, v in zip(_SPOT_EDITIONS, (63.2, 61.9, 63.2, 60.8, 63.0), strict=True)},
    ("crimes_total", "00", 2012): 22_602_305.0,
    ("crimes_total", "00", 2025): 33_450_221.0,
}


def _private(name: str, title: str, sources: tuple[str, ...]) -> None:
    table(name, title=title, description=f"{title}: parsed rows before assembly into envipe_state.",
          columns=[STATE_CODE, Column("indicator", "string", "Indicator", enum=tuple(INDICATORS)),
                   Column("edition", "integer", "ENVIPE edition", minimum=2011, maximum=2025),
                   Column("value", "number", "Estimate as printed", minimum=0, decimals=3),
                   Column("source", "string", "Source id")],
          primary_key=["state_code", "indicator", "edition"], sources=sources, family=FAMILY, publish=False)


_private("_envipe_mexicoevalua", "ENVIPE 2011-2014 state tabulations (México Evalúa)", (ME,))
_private("_envipe_api", "ENVIPE perceived insecurity, INEGI indicator 6204327085", (API,))
_private("_envipe_denuncia", "ENVIPE tabulados básicos III, cifra negra and causes by state",
         tuple(DENUNCIA.values()))


@step(sources=[ME], outputs=["_envipe_mexicoevalua"], family=FAMILY)
def envipe_mexicoevalua(inp):
    me = read_mexicoevalua(inp.raw(ME))
    _spot(me, ME, SPOT_ME)
    return {"_envipe_mexicoevalua": me[["state_code", "indicator", "edition", "value", "source"]]}


@step(sources=[API], outputs=["_envipe_api"], family=FAMILY)
def envipe_api(inp):
    api = read_api(inp.raw(API))
    a = api.set_index(["state_code", "edition"])["value"]
    for (code, e), v in SPOT_API.items():
        readers.expect_equal(float(a[(code, e)]), v, API, f"insecurity (valor/1000), {code}, {e}")
    return {"_envipe_api": api[["state_code", "indicator", "edition", "value", "source"]]}


@step(sources=list(DENUNCIA.values()), outputs=["_envipe_denuncia"], family=FAMILY)
def envipe_denuncia(inp):
    den = pd.concat([read_denuncia(inp.raw(sid), e, sid) for e, sid in DENUNCIA.items()], ignore_index=True)
    for (ind, code, e), v in SPOT_DENUNCIA.items():
        _spot(den, DENUNCIA[e], {(ind, code, e): v})
    return {"_envipe_denuncia": den[["state_code", "indicator", "edition", "value", "source"]]}


@step(needs=["_envipe_mexicoevalua", "_envipe_api", "_envipe_denuncia"], outputs=["envipe_state"],
      family=FAMILY)
def envipe_state(inp):
    me, api, den = (inp.table(t) for t in ("_envipe_mexicoevalua", "_envipe_api", "_envipe_denuncia"))
    out = pd.concat([me, api, den], ignore_index=True)
    unknown = set(out["indicator"]) - set(INDICATORS)
    if unknown:
        raise DataError("envipe_state", "indicator outside the allow-list", detail=str(sorted(unknown)))
    out["unit"] = out["indicator"].map(lambda k: INDICATORS[k][0])
    out["edition"] = out["edition"].astype(int)
    out["year"] = out["edition"] - out["indicator"].map(lambda k: INDICATORS[k][1])
    for (ind, e), g in out.groupby(["indicator", "edition"]):
        _check_areas(g, str(g["source"].iloc[0]), f"{ind}, edition {e}")
    expected_editions = {"victimization_prevalence_per_100k": set(ME_EDITIONS),
                         "crime_incidence_per_100k": set(ME_EDITIONS), "insecurity_pct": set(ME_EDITIONS),
                         "insecurity_api": set(range(API_EDITIONS[0], API_EDITIONS[1] + 1)),
                         **{k: set(DENUNCIA_EDITIONS) for k in ("cifra_negra_pct", "authority_causes_pct",
                                                                "crimes_total")}}
    for ind, eds in expected_editions.items():
        got = set(out.loc[out.indicator == ind, "edition"])
        if got != eds:
            raise DataError("envipe_state", f"{ind}: editions differ from those expected",
                            detail=f"missing {sorted(eds - got)}, extra {sorted(got - eds)}")
    return {"envipe_state": out[["state_code", "year", "indicator", "value", "unit", "edition", "source"]]}


# ------------------------------------------------------------------ WJP


def parse_rank_change(s: str, file: str, row: int) -> int:
    """'-1 ↓' → -1, '3 ↑' → 3, '0 -' → 0; the arrow must agree with the sign."""
    m = re.fullmatch(r"\s*([+-]?\d+)\s*([↑↓-])\s*", str(s))
    if not m:
        raise DataError(file, "Cambio Posición must be '<n> ↑', '<n> ↓' or '0 -'", row=row, detail=repr(s))
    n, arrow = int(m.group(1)), m.group(2)
    if {1: "↑", -1: "↓", 0: "-"}[(n > 0) - (n < 0)] != arrow:
        raise DataError(file, "arrow of Cambio Posición disagrees with its sign", row=row, detail=repr(s))
    return n


def read_wjp(path, sid: str) -> pd.DataFrame:
    edition, label = WJP[sid]
    df = readers.read_table(path, columns=["Lugar", "Entidad", "Puntuaje", "Cambio Posición"])
    df["rank"] = readers.to_number(df, "Lugar", sid)
    df["score"] = readers.to_number(df, "Puntuaje", sid, integer=False)
    bad = df["score"] > 1
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(sid, "Puntuaje must lie between 0 and 1", row=i + 2,
                        detail=repr(df["Puntuaje"].iloc[i]))
    df["state_code"] = [_area_code(n, sid, i + 2) for i, n in enumerate(df["Entidad"])]
    if (df["state_code"] == "00").any():
        i = int((df["state_code"] == "00").to_numpy().argmax())
        raise DataError(sid, "a national row is not expected", row=i + 2)
    df["rank_change"] = [parse_rank_change(s, sid, i + 2) for i, s in enumerate(df["Cambio Posición"])]
    readers.check_unique(df, ["state_code"], sid)
    readers.check_unique(df, ["rank"], sid)
    if len(df) != 32 or set(df["rank"]) != set(range(1, 33)):
        raise DataError(sid, "expected 32 states ranked 1-32", detail=f"{len(df)} rows")
    s = df.sort_values("rank")["score"]
    if (s.diff().dropna() > 0).any():
        i = int(s.index[(s.diff() > 0).to_numpy().argmax()])
        raise DataError(sid, "score rises with a worse rank", row=i + 2, detail=repr(df["Puntuaje"].iloc[i]))
    return df.assign(edition=edition, edition_label=label)[
        ["state_code", "edition", "edition_label", "score", "rank", "rank_change"]]


SPOT_WJP = {("19", 2019): (0.43, 7), ("19", 2023): (0.44, 11), ("16", 2019): (0.39, 18),
            ("16", 2023): (0.40, 22), ("15", 2019): (0.36, 27), ("15", 2023): (0.36, 29),
            ("22", 2023): (0.49, 1), ("23", 2023): (0.34, 32)}


@step(sources=list(WJP), outputs=["wjp_state"], family=FAMILY)
def wjp_state(inp):
    out = pd.concat([read_wjp(inp.raw(sid), sid) for sid in WJP], ignore_index=True)
    idx = out.set_index(["state_code", "edition"])
    file_of = {e: sid for sid, (e, _) in WJP.items()}
    for (code, e), (score, rank) in SPOT_WJP.items():
        got = (round(float(idx.loc[(code, e), "score"]), 2), int(idx.loc[(code, e), "rank"]))
        readers.expect_equal(got, (score, rank), file_of[e], f"score and rank of state {code}")
    return {"wjp_state": out}
