"""World Justice Project's rule-of-law index by state, as transcribed by the Sinaloa state statistics portal."""

from __future__ import annotations

import re

import pandas as pd

from ...errors import DataError
from .. import readers
from .common import area_code
from .contracts import WJP


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
    df["state_code"] = [area_code(n, sid, i + 2) for i, n in enumerate(df["Entidad"])]
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
        i = readers.first_row(s.diff() > 0)
        raise DataError(sid, "score rises with a worse rank", row=i + 2, detail=repr(df["Puntuaje"].iloc[i]))
    return df.assign(edition=edition, edition_label=label)[
        ["state_code", "edition", "edition_label", "score", "rank", "rank_change"]]
