"""What every survey reader shares: INEGI's printed rounding, state names with footnote marks, the
33 areas (nation + 32 states)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ... import geo
from ...errors import DataError
from .contracts import AREAS


def round_half_up(x: float, decimals: int) -> float:
    """Round as Excel displays a number: half away from zero, on the shortest decimal repr."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def strip_footnote(name: str) -> str:
    """'Nuevo León1' / 'México 2,3' → 'Nuevo León' / 'México' (footnote marks INEGI appends)."""
    return re.sub(r"[\d,\s]+$", "", re.sub(r"\s+", " ", str(name))).strip()


def area_code(name: str, file: str, row) -> str:
    code = geo.state_code(strip_footnote(name), file, row)
    if code not in AREAS:
        raise DataError(file, "area is neither the nation nor a state", row=row, detail=repr(name))
    return code


def check_areas(df: pd.DataFrame, file: str, what: str) -> None:
    got = set(df["state_code"])
    if len(df) != 33 or got != AREAS:
        raise DataError(file, f"{what}: expected 33 areas (nation + 32 states)",
                        detail=f"{len(df)} rows; missing {sorted(AREAS - got)}")
