"""Geography: INEGI codes, name ↔ code mappings (kept in ``data/mappings``), and the cases.

Codes are always strings: states 2 characters (``"16"``), municipalities 5 (``"16083"``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from . import paths
from .errors import DataError

#: States of the cases and of their donor pools.
FOCUS_STATES: tuple[str, ...] = ("09", "15", "16", "19")
NATIONAL = "00"
#: How the nation is labelled in every table and chart.
NATIONAL_NAME = "Mexico (national)"


def normalize(name: str) -> str:
    """Upper case, accents removed, blanks collapsed: 'Michoacán de Ocampo ' → 'MICHOACAN DE OCAMPO'."""
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", s).strip().upper()


@lru_cache(maxsize=1)
def _state_aliases() -> dict[str, str]:
    df = pd.read_csv(paths.mappings_dir() / "state_names.csv", dtype=str, keep_default_na=False)
    out: dict[str, str] = {}
    for alias, code in zip(df["alias"], df["state_code"], strict=True):
        key = normalize(alias)
        if key in out and out[key] != code:
            raise ValueError(f"state_names.csv: alias {alias!r} maps to two codes")
        out[key] = code
    return out


def state_code(name: str, file: str = "?", row: object | None = None) -> str:
    """The 2-character state code for a state name or abbreviation, via data/mappings/state_names.csv."""
    try:
        return _state_aliases()[normalize(name)]
    except KeyError:
        raise DataError(file, "unknown state name (add it to data/mappings/state_names.csv)",
                        row=row, detail=repr(name)) from None


def mun_code(state: int | str, mun: int | str) -> str:
    """Join state and municipality numbers into a 5-character code: (16, 83) → '16083'."""
    return f"{int(float(state)):02d}{int(float(mun)):03d}"


def pad_mun(code: int | str | float) -> str:
    """Zero-pad a municipality code stored as a number: 1001 or 1001.0 → '01001'."""
    return f"{int(float(code)):05d}"


def parse_inegi_key(cell: str) -> tuple[str, str | None] | None:
    """Parse the key cell of an INEGI consulta export.

    ``' 16 083 '`` → ('16', '16083'); ``'=CONCATENAR(0,16) '`` → ('16', None) (a state subtotal);
    anything else → None.
    """
    s = str(cell).strip()
    m = re.fullmatch(r"(\d{2})\s+(\d{3})", s)
    if m:
        return m.group(1), m.group(1) + m.group(2)
    m = re.fullmatch(r"=CONCATENAR\(\s*0?\s*,\s*(\d{1,2})\s*\)", s)
    if m:
        return f"{int(m.group(1)):02d}", None
    return None


def case_codes() -> dict[str, str]:
    """The book's cases (``data/mappings/cases.csv``, via :mod:`enclaves.cases.registry`): slug → code."""
    from .cases import registry

    return {c.slug: c.mun_code for c in registry.cases()}


@lru_cache(maxsize=1)
def mun_names() -> dict[str, str]:
    """Every municipality's INEGI name by its 5-character code (the processed table ``municipalities``)."""
    from .data import load

    m = load("municipalities")
    return dict(zip(m["mun_code"], m["mun_name"], strict=True))


def comparison_groups(slug: str) -> pd.DataFrame:
    """A case's comparison municipalities: data/mappings/comparison_<slug>.csv with columns
    group, mun_code, reason (codes as strings)."""
    p = paths.mappings_dir() / f"comparison_{slug}.csv"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = {"group", "mun_code", "reason"} - set(df.columns)
    if missing:
        raise ValueError(f"{p.name}: missing columns {missing}")
    return df
