"""ENVIPE state series from México Evalúa's compilation (editions 2011-2014) and INEGI's indicator
6204327085 (perceived insecurity, editions 2011-2025)."""

from __future__ import annotations

import pandas as pd

from ... import geo
from ...errors import DataError
from .. import readers
from .common import area_code, check_areas, round_half_up
from .contracts import API, API_EDITIONS, ME, ME_EDITIONS

# ------------------------------------------------------------------ México Evalúa 2011-2014 (Mac Roman, CR)


def read_mexicoevalua(path, file: str = ME) -> pd.DataFrame:
    cols = ["codigo", "abreviatura", "estado"] + [f"{p}{e - (p != 'ins')}" for e in ME_EDITIONS
                                                  for p in ("pre", "inc", "ins")]
    # Mac Roman: é is 0x8E. A latin-1 reading would garble 'Estado de México'.
    df = readers.read_table(path, encoding="mac_roman", columns=cols)
    codes = []
    for i, r in df.iterrows():
        row = i + 2
        code = area_code(r["estado"], file, row)
        for col in ("abreviatura", "codigo"):
            other = (geo.state_code(r[col], file, row) if col == "abreviatura"
                     else f"{int(r[col]):02d}" if r[col].strip().isdigit() else r[col])
            if other != code:
                raise DataError(file, f"{col} disagrees with the state name", row=row,
                                detail=f"{r[col]!r} vs {r['estado']!r} ({code})")
        codes.append(code)
    df["state_code"] = codes
    readers.check_unique(df, ["state_code"], file)
    check_areas(df, file, "México Evalúa table")
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
        code = area_code(r["entidad"], file, i + 2)
        if r["clave"].strip() != code:
            raise DataError(file, "clave disagrees with entidad", row=i + 2,
                            detail=f"{r['clave']!r} vs {r['entidad']!r} ({code})")
        codes.append(code)
    df["state_code"] = codes
    readers.check_unique(df, ["state_code", "edition"], file)
    for e, g in df.groupby("edition"):
        check_areas(g, file, f"edition {e}")
    years = set(df["edition"].astype(int))
    if years != set(range(API_EDITIONS[0], API_EDITIONS[1] + 1)):
        raise DataError(file, "editions 2011-2025 expected", detail=str(sorted(years)))
    return pd.DataFrame({"state_code": df["state_code"], "indicator": "insecurity_api",
                         "edition": df["edition"].astype(int),
                         "value": [round_half_up(x / 1000, 2) for x in valor], "source": file})
