"""The committed allow-lists in ``data/mappings``: party codes and their families, Magar's state
abbreviations, INEGI codes missing upstream; and the rules that read party labels with them."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ... import paths
from ...errors import DataError
from .contracts import CODE_MAP, FAMILIES, KINDS, MAJORS, OUTCOMES, PARTY_MAP, STATE_MAP, WINNER_KINDS


def read_mapping(name: str, columns: list[str]) -> pd.DataFrame:
    """A table of data/mappings as text; a missing column is a DataError naming the table."""
    path = paths.mappings_dir() / name
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"data/mappings/{name}", "required column missing from the header", row="header",
                        detail=f"missing {missing}")
    return df


@lru_cache(maxsize=1)
def party_table() -> dict[str, tuple[str, str, str]]:
    """Party code → (kind, family, outcome), from data/mappings/elections_party_families.csv."""
    df = read_mapping(PARTY_MAP, ["code", "kind", "family", "outcome", "name"])
    where = f"data/mappings/{PARTY_MAP}"
    out: dict[str, tuple[str, str, str]] = {}
    for i, r in enumerate(df.itertuples(index=False), start=2):
        if r.code in out:
            raise DataError(where, "party code listed twice", row=i, detail=repr(r.code))
        if r.kind not in KINDS or r.family not in FAMILIES or r.outcome not in OUTCOMES:
            raise DataError(where, f"kind, family or outcome outside {KINDS}, {FAMILIES}, {OUTCOMES}", row=i)
        if (r.outcome == "elected") == (r.family == "none"):
            raise DataError(where, "family 'none' goes with a non-elected outcome, and only with one", row=i)
        out[r.code] = (r.kind, r.family, r.outcome)
    return out


@lru_cache(maxsize=1)
def magar_states() -> dict[str, str]:
    """Magar's state abbreviation (``mic``) → INEGI state code (``16``)."""
    df = read_mapping(STATE_MAP, ["abbr", "state_code"])
    if df["abbr"].duplicated().any() or len(df) != 32 or set(df["state_code"]) != {f"{i:02d}" for i in
                                                                                  range(1, 33)}:
        raise DataError(f"data/mappings/{STATE_MAP}", "must map 32 distinct abbreviations to the 32 states")
    return dict(zip(df["abbr"], df["state_code"], strict=True))


@lru_cache(maxsize=1)
def missing_codes() -> dict[tuple[str, int], tuple[str, str | None]]:
    """(state code, Magar municipality number) → (Magar's name, INEGI code or None = drop)."""
    df = read_mapping(CODE_MAP, ["state_code", "munn", "magar_name", "mun_code"])
    out = {}
    for i, r in enumerate(df.itertuples(index=False), start=2):
        if r.mun_code and not re.fullmatch(r"\d{5}", r.mun_code):
            raise DataError(f"data/mappings/{CODE_MAP}", "mun_code must be 5 digits or empty", row=i)
        out[(r.state_code, int(r.munn))] = (r.magar_name, r.mun_code or None)
    return out


def split_parties(label: str, file: str, row: object, what: str) -> list[str]:
    """'pri-pfcrn- parm' → ['pri', 'pfcrn', 'parm'], each code checked against the allow-list."""
    parties = party_table()
    codes = [p.strip() for p in str(label).split("-")]
    if any(c == "" for c in codes):
        raise DataError(file, f"{what} has an empty party code", row=row, detail=repr(label))
    for c in codes:
        if c not in parties:
            raise DataError(file, f"unknown party code in {what} (not in data/mappings/{PARTY_MAP})",
                            row=row, detail=repr(c))
    return codes


def winner_outcome(codes: list[str], file: str, row: object, what: str) -> str:
    """'elected' for a party or coalition; council/annulled/in_litigation for Magar's outcome labels."""
    parties = party_table()
    kinds = [parties[c][0] for c in codes]
    if "outcome" in kinds:
        if len(codes) > 1:
            raise DataError(file, f"{what} mixes an outcome label with party codes", row=row,
                            detail="-".join(codes))
        return parties[codes[0]][2]
    bad = [c for c, k in zip(codes, kinds, strict=True) if k not in WINNER_KINDS]
    if bad:
        raise DataError(file, f"{what} holds a label that cannot nominate a winner", row=row, detail=repr(bad[0]))
    return "elected"


def leading_family(codes: list[str]) -> str:
    """The first of pan/pri/prd/morena named in a coalition, else 'other'."""
    fams = [party_table()[c][1] for c in codes]
    return next((f for f in fams if f in MAJORS), "other")
