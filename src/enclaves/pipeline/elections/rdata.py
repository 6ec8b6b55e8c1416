"""Magar's R workspace (``magar_mun_reelection_rdata``): objects ``inc`` (one row per municipal election,
1986-2019) and ``vot`` (returns, 1997-2019), each row checked and coded (see the package docstring)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadr

from ...errors import DataError
from .. import readers
from .contracts import (
    CODE_MAP,
    INC_COLS,
    INC_YEARS,
    MAJORS,
    MG_KNOWN_DIFFERENCES,
    MG_TOLERANCE,
    MONTHS,
    PARTY_MAP,
    STATE_MAP,
    VOT_COLS,
    YEAR_KNOWN_DIFFERENCES,
)
from .mappings import magar_states, missing_codes, party_table, split_parties, winner_outcome


def read_rdata(path: Path, objects: list[str]) -> dict[str, pd.DataFrame]:
    try:
        res = pyreadr.read_r(str(path), use_objects=objects)
    except Exception as e:  # pyreadr raises its own error types
        raise DataError(path.name, "file cannot be read as R data", detail=str(e)) from None
    for obj in objects:
        if obj not in res:
            raise DataError(path.name, f"R object '{obj}' missing", detail=f"objects: {list(res)}")
    return {k: res[k].reset_index(drop=True) for k in objects}


def _need_columns(df: pd.DataFrame, cols: list[str], file: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError(file, "required column missing (renamed upstream?)", row="header",
                        detail=f"missing {missing}")


def _ints(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    """An R integer/numeric column as Int64; NA or fractions are errors naming the row (1-based)."""
    num = pd.to_numeric(df[col], errors="coerce")
    bad = num.isna() | (num != num.round())
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, f"column {col} must hold whole numbers", row=_row(df, i),
                        detail=repr(df[col].iloc[i]))
    return num.astype("Int64")


def _row(df: pd.DataFrame, i: int) -> str:
    return f"{i + 1} (emm {df['emm'].iloc[i]})" if "emm" in df.columns else str(i + 1)


# ------------------------------------------------------------------ inc and vot


def _fail_first(mask: pd.Series, df: pd.DataFrame, file: str, rule: str, col: str | None = None) -> None:
    """Raise a DataError naming the first row where ``mask`` is true."""
    mask = pd.Series(mask, index=df.index).fillna(False).astype(bool)
    if mask.any():
        i = int(mask.to_numpy().argmax())
        raise DataError(file, rule, row=_row(df, i), detail=repr(df[col].iloc[i]) if col else "")


def _labels(s: pd.Series, df: pd.DataFrame, file: str, what: str, winner: bool) -> pd.Series:
    """Party labels → lists of checked codes; each distinct label is checked once, at its first row."""
    out = {}
    for i, label in s.reset_index(drop=True).drop_duplicates().items():
        if label == "":
            continue
        codes = split_parties(label, file, _row(df, i), what)
        if winner:
            winner_outcome(codes, file, _row(df, i), what)
        out[label] = codes
    return s.map(out)


EMM = r"^([a-z]+)-\d{2}e?\.(\d{3})$"


def _codes_of(df: pd.DataFrame, file: str, names: pd.Series | None) -> tuple[pd.Series, pd.Series]:
    """State and INEGI municipality codes of Magar rows, checked every way they can be (see module doc)."""
    emm = df["emm"].astype(str)
    parts = emm.str.extract(EMM)
    _fail_first(parts[0].isna(), df, file, f"emm must match {EMM}", "emm")
    states = magar_states()
    _fail_first(~parts[0].isin(list(states)), df, file,
                f"unknown state abbreviation in emm (not in data/mappings/{STATE_MAP})", "emm")
    state = parts[0].map(states)
    edon, munn, inegi = (_ints(df, c, file) for c in ("edon", "munn", "inegi"))
    _fail_first(state != edon.map(lambda x: f"{x:02d}"), df, file, "state abbreviation in emm disagrees with edon",
                "edon")
    _fail_first(parts[1].astype(int) != munn, df, file, "municipality number in emm disagrees with munn", "munn")
    code = inegi.map(lambda x: f"{x:05d}").astype(object)
    _fail_first((inegi != 0) & ((code.str[:2] != state) | (inegi % 1000 != munn)), df, file,
                "inegi code disagrees with the state (edon/emm) or municipality number (ife read as inegi?)", "inegi")
    for i in (inegi == 0).to_numpy().nonzero()[0]:
        hit = missing_codes().get((state.iloc[i], int(munn.iloc[i])))
        if hit is None:
            raise DataError(file, f"inegi is 0 and (state, munn) is not in data/mappings/{CODE_MAP}",
                            row=_row(df, i), detail=f"{state.iloc[i]}, {munn.iloc[i]}")
        if names is not None and hit[0] != names.iloc[i]:
            raise DataError(file, f"municipality name differs from data/mappings/{CODE_MAP}", row=_row(df, i),
                            detail=f"{names.iloc[i]!r} vs {hit[0]!r}")
        code.iloc[i] = hit[1]
    return state, code


def _text(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.replace(r"\s+", " ", regex=True).str.strip()


def parse_inc(inc: pd.DataFrame, file: str) -> pd.DataFrame:
    """Magar's ``inc``: one row per election → coded rows (see module docstring)."""
    _need_columns(inc, INC_COLS, file)
    inc = inc.reset_index(drop=True)
    yr = _ints(inc, "yr", file)
    readers.check_years(yr, *INC_YEARS, file, row_offset=1)
    dextra = _ints(inc, "dextra", file)
    _fail_first(~dextra.isin([0, 1]), inc, file, "dextra must be 0 or 1", "dextra")
    _, code = _codes_of(inc, file, _text(inc["mun"]))
    mo = _text(inc["mo"]).str.lower()
    _fail_first(~mo.isin([*MONTHS, "0", ""]), inc, file, "unknown month label (expected ene ... dic, or 0)", "mo")
    win = _text(inc["win.long"])
    _fail_first(win == "", inc, file, "win.long is empty")
    codes = _labels(win, inc, file, "win.long", winner=True)
    second = _text(inc["pty2nd"])
    _labels(second, inc, file, "pty2nd", winner=False)
    mg = pd.to_numeric(inc["mg"], errors="coerce")
    _fail_first(inc["mg"].notna() & mg.isna(), inc, file, "mg must be numeric", "mg")
    _fail_first(~mg.between(0, 1) & mg.notna(), inc, file, "mg must be between 0 and 1", "mg")
    mayor = _text(inc["incumbent"])
    out = pd.DataFrame({"emm": inc["emm"].astype(str), "mun_code": code, "year": yr.astype(int),
                        "month": mo.map(MONTHS).astype("Int64"), "extraordinary": dextra.astype(bool),
                        "outcome": codes.map(lambda c: winner_outcome(c, file, None, "win.long")),
                        "codes": codes, "runner_up": second.where(second != ""),
                        "mayor": mayor.where(~mayor.isin(["", "?"])), "margin": mg})
    readers.check_unique(out, ["emm"], file, row_offset=1)
    return out


def parse_vot(vot: pd.DataFrame, file: str, inc: pd.DataFrame) -> pd.DataFrame:
    """Magar's ``vot``, checked against the parsed ``inc`` (same emm, year, municipality, winner)."""
    _need_columns(vot, VOT_COLS, file)
    vot = vot.reset_index(drop=True)
    yr = _ints(vot, "yr", file)
    ncand = _ints(vot, "ncand", file)
    _fail_first(ncand < 0, vot, file, "ncand may not be negative", "ncand")
    _, code = _codes_of(vot, file, None)
    e = vot[["emm"]].merge(inc, on="emm", how="left", validate="one_to_one")
    _fail_first(e["year"].isna(), vot, file, "election (emm) not in object inc", "emm")
    same_code = (code.fillna("") == e["mun_code"].fillna("")) & (yr == e["year"])
    _fail_first(~same_code & ~vot["emm"].isin(YEAR_KNOWN_DIFFERENCES), vot, file,
                "municipality or year differs from object inc", "yr")
    parties = party_table()
    win = _text(vot["win"])
    _fail_first(~win.map(lambda w: w in parties and parties[w][0] in ("national_party", "independent",
                                                                       "family_label", "outcome")),
                vot, file, f"unknown winner family label in win (not in data/mappings/{PARTY_MAP})", "win")
    family = win.map(lambda w: parties[w][1])
    _fail_first((family == "none") != (e["outcome"] != "elected"), vot, file,
                "win says no elected winner where inc has one, or the reverse", "win")
    _fail_first([f in MAJORS and w not in c for f, w, c in zip(family, win, e["codes"], strict=True)], vot, file,
                "win names a party that is not in inc's winning coalition", "win")
    v01 = pd.to_numeric(vot["v01"], errors="coerce")
    _fail_first(vot["v01"].notna() & v01.isna(), vot, file, "v01 must be numeric", "v01")
    _fail_first(~v01.between(0, 1) & v01.notna(), vot, file, "v01 must be a share between 0 and 1", "v01")
    mg = pd.to_numeric(vot["mg"], errors="coerce")
    far = (mg - e["margin"]).abs() > MG_TOLERANCE
    _fail_first(far & ~vot["emm"].isin(MG_KNOWN_DIFFERENCES), vot, file,
                f"mg differs from inc's by more than {MG_TOLERANCE}", "mg")
    out = pd.DataFrame({"emm": vot["emm"].astype(str), "vot_family": family, "vote_share": v01,
                        "vot_margin": mg, "n_candidacies": ncand.where(ncand > 0)})
    return out[~out["emm"].isin(YEAR_KNOWN_DIFFERENCES)]
