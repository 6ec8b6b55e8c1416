"""The 2021 municipal elections of seven case and neighbour municipalities
(``magar_aymu1989_incumbents_2021_rows``, a verbatim excerpt of Magar's aymu1989-on.incumbents.csv)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ...errors import DataError
from .. import readers
from .contracts import AY21_COLS, CODE_MAP, STATE_MAP
from .mappings import magar_states, missing_codes, split_parties, winner_outcome


def _state_of_emm(emm: str, file: str, row: object, pattern: str) -> str:
    m = re.fullmatch(pattern, emm)
    if not m:
        raise DataError(file, f"emm must match {pattern}", row=row, detail=repr(emm))
    abbr = m.group(1)
    states = magar_states()
    if abbr not in states:
        raise DataError(file, f"unknown state abbreviation in emm (not in data/mappings/{STATE_MAP})",
                        row=row, detail=repr(abbr))
    return states[abbr]


def _mun_code(state: str, munn: int, inegi: int, mun: str, file: str, row: object) -> str | None:
    """INEGI code for a Magar row: ``inegi`` padded, or the mapping where upstream has 0."""
    if inegi == 0:
        hit = missing_codes().get((state, munn))
        if hit is None:
            raise DataError(file, f"inegi is 0 and (state, munn) is not in data/mappings/{CODE_MAP}", row=row,
                            detail=f"{state}, {munn}, {mun!r}")
        if mun is not None and hit[0] != mun:
            raise DataError(file, f"municipality name differs from data/mappings/{CODE_MAP}", row=row,
                            detail=f"{mun!r} vs {hit[0]!r}")
        return hit[1]
    code = f"{inegi:05d}"
    if code[:2] != state or int(code[2:]) != munn:
        raise DataError(file, "inegi code disagrees with the state (edon/emm) or municipality number "
                        "(ife read as inegi?)", row=row, detail=f"inegi {inegi}, state {state}, munn {munn}")
    return code


def parse_2021(path: Path, file: str) -> pd.DataFrame:
    """The transcribed 2021 excerpt of aymu1989-on.incumbents.csv (``ife`` comes before ``inegi``)."""
    df = readers.read_table(path, columns=AY21_COLS)
    df = df.apply(lambda s: s.str.strip())
    yr = readers.to_number(df, "yr", file)
    readers.check_years(yr, 2021, 2021, file)
    dextra = readers.to_number(df, "dextra", file)
    edon = readers.to_number(df, "edon", file)
    inegi = readers.to_number(df, "inegi", file)
    mg = readers.to_number(df, "mg", file, integer=False, allow_empty=True)
    rows = []
    for i in range(len(df)):
        r = df.iloc[i]
        where = i + 2
        state = _state_of_emm(r["emm"], file, where, r"([a-z]+)-\d{2}e?\.(\d{3})")
        if state != f"{int(edon.iloc[i]):02d}":
            raise DataError(file, "state abbreviation in emm disagrees with edon", row=where)
        if dextra.iloc[i] not in (0, 1):
            raise DataError(file, "dextra must be 0 or 1", row=where, detail=repr(r["dextra"]))
        code = _mun_code(state, int(r["emm"][-3:]), int(inegi.iloc[i]), None, file, where)
        if not r["part"]:
            raise DataError(file, "part (winner) is empty", row=where)
        codes = split_parties(r["part"], file, where, "part")
        outcome = winner_outcome(codes, file, where, "part")
        if r["part2nd"]:
            split_parties(r["part2nd"], file, where, "part2nd")
        if pd.notna(mg.iloc[i]) and mg.iloc[i] > 1:
            raise DataError(file, "mg must be between 0 and 1", row=where, detail=repr(r["mg"]))
        mayor = re.sub(r"\s+", " ", r["incumbent"])
        rows.append({"emm": r["emm"], "mun_code": code, "year": int(yr.iloc[i]), "month": None,
                     "extraordinary": bool(dextra.iloc[i]), "outcome": outcome, "codes": codes,
                     "runner_up": r["part2nd"] or None, "mayor": None if mayor in ("", "?") else mayor,
                     "margin": None if pd.isna(mg.iloc[i]) else float(mg.iloc[i]), "row": where})
    out = pd.DataFrame(rows)
    readers.check_unique(out, ["mun_code", "year", "extraordinary"], file)
    return out
