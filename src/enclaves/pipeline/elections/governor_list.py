"""Governors elected since 1985 (``magar_goed1985_incumbents``), with the documented corrections in
``data/mappings/elections_governor_corrections.csv``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from ...errors import DataError
from .. import readers
from .contracts import GOV_COLS, GOV_FIX, GOV_YEARS, STATE_MAP, WINNER_KINDS
from .mappings import magar_states, party_table, read_mapping, split_parties


def parse_governors(path: Path, file: str) -> pd.DataFrame:
    df = readers.read_table(path, columns=GOV_COLS)
    df = df.apply(lambda s: s.str.strip())
    _apply_corrections(df, file)
    ords = readers.to_number(df, "ord", file)
    readers.check_unique(df.assign(o=ords), ["o"], file)
    yr = readers.to_number(df, "yr", file)
    readers.check_years(yr, *GOV_YEARS, file)
    edon = readers.to_number(df, "edon", file)
    parties = party_table()
    rows = []
    for i in range(len(df)):
        r = df.iloc[i]
        where = i + 2
        states = magar_states()
        if r["edo"] not in states:
            raise DataError(file, f"unknown state abbreviation in edo (not in data/mappings/{STATE_MAP})",
                            row=where, detail=repr(r["edo"]))
        state = states[r["edo"]]
        if state != f"{int(edon.iloc[i]):02d}":
            raise DataError(file, "edo disagrees with edon", row=where, detail=f"{r['edo']} vs {edon.iloc[i]}")
        if not re.fullmatch(rf"{re.escape(r['edo'])}-\d{{2}}e?\.gob", r["emm"]):
            raise DataError(file, "emm must be <edo>-<cycle>.gob", row=where, detail=repr(r["emm"]))
        year = int(yr.iloc[i])
        date = _date(r["date.el"], file, where, "date.el")
        if date is None or date[0] != year:
            raise DataError(file, "year of date.el differs from yr (add a documented correction?)", row=where,
                            detail=f"{r['date.el']} vs {year}")
        election_date = None if date[2] == 0 else f"{date[0]:04d}-{date[1]:02d}-{date[2]:02d}"
        inaug = _date(r["date.in"], file, where, "date.in") if r["date.in"] else None
        if inaug is not None and (inaug[2] == 0 or inaug < date):
            raise DataError(file, "date.in must be a full date after date.el", row=where, detail=r["date.in"])
        if "-" in r["part.orig"] or not r["part.orig"]:
            raise DataError(file, "part.orig must be a single party code", row=where, detail=repr(r["part.orig"]))
        party = split_parties(r["part.orig"], file, where, "part.orig")[0]
        elec = split_parties(r["part.elec"], file, where, "part.elec")
        for c in [party, *elec]:
            if parties[c][0] not in WINNER_KINDS:
                raise DataError(file, "label cannot nominate a governor", row=where, detail=repr(c))
        if party not in elec:
            raise DataError(file, "the governor's party (part.orig) is not among part.elec", row=where,
                            detail=f"{party!r} vs {r['part.elec']!r}")
        if not r["incumbent"]:
            raise DataError(file, "incumbent (governor's name) is empty", row=where)
        rows.append({"state_code": state, "start_year": inaug[0] if inaug else year,
                     "governor": re.sub(r"\s+", " ", r["incumbent"]), "party": party,
                     "party_family": parties[party][1], "nominating_parties": "-".join(elec),
                     "election_year": year, "election_date": election_date,
                     "start_year_basis": "inauguration" if inaug else "election_year",
                     "notes": r["observaciones"] or None})
    out = pd.DataFrame(rows)
    readers.check_unique(out, ["state_code", "start_year"], file)
    return out


def _date(cell: str, file: str, row: int, col: str) -> tuple[int, int, int] | None:
    if not re.fullmatch(r"\d{8}", cell):
        raise DataError(file, f"{col} must be YYYYMMDD", row=row, detail=repr(cell))
    y, m, d = int(cell[:4]), int(cell[4:6]), int(cell[6:])
    try:
        dt.date(y, m, d or 1)
    except ValueError:
        raise DataError(file, f"{col} is not a valid date", row=row, detail=repr(cell)) from None
    return y, m, d


def _apply_corrections(df: pd.DataFrame, file: str) -> None:
    fixes = read_mapping(GOV_FIX, ["emm", "column", "upstream_value", "value", "reason"])
    where = f"data/mappings/{GOV_FIX}"
    for i, f in enumerate(fixes.itertuples(index=False), start=2):
        hit = df.index[df["emm"] == f.emm]
        if len(hit) != 1 or f.column not in df.columns or not f.reason.strip():
            raise DataError(where, "correction must name one upstream row (emm), a column and a reason", row=i,
                            detail=f.emm)
        if df.at[hit[0], f.column] != f.upstream_value:
            raise DataError(where, "upstream value differs from the one this correction expects "
                            "(fixed upstream?)", row=i, detail=f"{file}: {df.at[hit[0], f.column]!r}")
        df.at[hit[0], f.column] = f.value
