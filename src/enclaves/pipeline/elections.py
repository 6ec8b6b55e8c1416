"""Elections: municipal election winners (1986-2021) and state governors (1985-2023), from
Eric Magar's compilations (ITAM).

Sources. ``magar_mun_reelection_rdata`` is an R workspace; its object ``inc`` has one row per
municipal election 1986-2019 (winner, elected mayor, runner-up party, margin) and ``vot`` the
vote returns 1997-2019 (top-three shares, number of candidacies, Magar's party family of the
winner). ``magar_aymu1989_incumbents_2021_rows`` adds the 2021 elections of seven case and
neighbour municipalities (a verbatim excerpt of Magar's later file). ``magar_goed1985_incumbents``
lists the governors elected since 1985.

Choices.

* Two municipal tables. ``elections_municipal`` has every column (mayor, runner-up, vote share,
  candidacies, source …) for the four focus states, the cases' donor pools (09, 15, 16, 19);
  ``party_control_municipal`` has, for all 32 states, what party alternation and the comparison
  with the governor's party need (winner, winner_family, margin). All columns for all states
  would make a 2.4 MB CSV.
* Municipality codes come from ``inegi`` (zero-padded), never ``ife``: they differ (Tancítaro's
  ``ife`` is 16084, its INEGI code 16083). Every row is checked against INEGI's catalog and
  against Magar's own municipality number (``munn``, the last three digits of the INEGI code).
  Six new Chiapas municipalities carry ``inegi`` = 0 upstream; they are coded through
  ``data/mappings/elections_inegi_codes.csv`` (Belisario Domínguez has no INEGI code and its
  three rows are dropped).
* Party codes are checked against the allow-list ``data/mappings/elections_party_families.csv``;
  an unknown code is an error. ``winner_family`` is one of pan, pri, prd, morena, other (any other
  party, a local party or an independent candidate) or none (no elected winner: an appointed
  municipal council, an annulled election, a result in litigation). For a coalition we take the
  leading party as Magar does in ``vot$win`` where that exists (1997-2019); elsewhere (1986-1996,
  2021) the leading party is the first of pan, pri, prd, morena named in the coalition, or
  "other" when none is. On the 1997-2019 rows this rule agrees with ``vot$win`` in 98% of cases;
  the exceptions are PAN-PRD alliances that Magar attributes to the PRD.
* ``margin`` is ``inc$mg`` (winner minus runner-up, share of the valid vote), which covers
  1989-2019 and equals ``vot$mg`` (within 0.0002) wherever both exist, except Juárez 2018 where
  ``vot`` has a negative margin; ``vote_share`` is ``vot$v01`` and ``n_candidacies``
  ``vot$ncand``, so both exist only for 1997-2019. Nahuatzen's 1998 election is a 1999
  extraordinary one in ``vot``; its returns are not attached.
* Oaxaca's usos-y-costumbres municipalities are not in Magar's data, so they are not in the
  table (there is no row with an empty winner for them); the few elections where a council was
  appointed or the vote annulled keep their row with ``winner`` empty and ``outcome`` saying why.
* Primary key: municipality, year and ``extraordinary``. It is unique (checked): Monterrey 2018
  has only the extraordinary rerun, the ordinary election having been annulled.
* Governors: ``party`` is the governor's own party (``part.orig``), ``nominating_parties`` the
  coalition (``part.elec``). The inauguration date is filled upstream only for Mexico City and
  Puebla; there ``start_year`` is the year of inauguration. Elsewhere ``start_year`` is the
  election year (``start_year_basis`` = "election_year"): the lag between election and
  inauguration varies by state and period (elections held October-December usually led to
  inauguration early the next year, and several states' calendars were shifted in 2010-2018), so
  no single rule is reliable. One upstream inconsistency documented in the raw README is
  corrected through ``data/mappings/elections_governor_corrections.csv`` (Baja California 2013,
  dated 2012-07-01 upstream; the day is left unknown); a correction is applied only if the
  upstream cell still holds the value it corrects. Corrections must rest on a staged source.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyreadr

from .. import geo, paths
from ..errors import DataError
from . import readers
from .core import MUN_CODE, STATE_CODE, Column, step, table

FAMILY = "elections"
RDATA = "magar_mun_reelection_rdata"
GOV = "magar_goed1985_incumbents"
AY21 = "magar_aymu1989_incumbents_2021_rows"

FAMILIES = ("pan", "pri", "prd", "morena", "other", "none")
MAJORS = ("pan", "pri", "prd", "morena")
OUTCOMES = ("elected", "council", "annulled", "in_litigation")
KINDS = ("national_party", "local_party", "independent", "aggregate", "family_label", "outcome")
WINNER_KINDS = ("national_party", "local_party", "independent")
MONTHS = {"ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8,
          "sep": 9, "oct": 10, "nov": 11, "dic": 12}
INC_YEARS = (1986, 2019)
GOV_YEARS = (1985, 2023)
MG_TOLERANCE = 0.0002
#: vot rows whose margin differs from inc's by more than the tolerance (checked, not silently
#: accepted): Juárez, Chihuahua, 2018 (cua-17.037), where vot's v01 < v02 gives a negative margin.
MG_KNOWN_DIFFERENCES = {"cua-17.037"}
#: vot rows filed under another year than in inc, whose returns are therefore not attached: Nahuatzen
#: (mic-10.056) is an ordinary 1998 election in inc but a 1999 extraordinary one in vot.
YEAR_KNOWN_DIFFERENCES = {"mic-10.056"}

INC_COLS = ["emm", "mun", "yr", "mo", "dextra", "edon", "munn", "ife", "inegi", "incumbent", "mg",
            "pty2nd", "win.long"]
VOT_COLS = ["emm", "yr", "edon", "munn", "inegi", "ncand", "win", "v01", "mg", "efec", "lisnom",
            "pan", "pri", "prd"]
AY21_COLS = ["ord", "emm", "mun", "yr", "dextra", "edon", "ife", "inegi", "part", "dmujer", "incumbent",
             "race.after", "runnerup", "part2nd", "mg", "ddied", "drepe", "drepg", "dlegacy", "who",
             "prior.inc.part", "inc.part.after", "notes", "source"]
GOV_COLS = ["ord", "emm", "edo", "yr", "edon", "date.el", "date.in", "part.orig", "part.elec", "incumbent",
            "observaciones"]

PARTY_MAP = "elections_party_families.csv"
STATE_MAP = "elections_magar_states.csv"
CODE_MAP = "elections_inegi_codes.csv"
GOV_FIX = "elections_governor_corrections.csv"

FAMILY_DOC = ("pan, pri, prd, morena; other = any other party, a local party or an independent candidate; "
              "none = no elected winner")

M_YEAR = Column("year", "integer", "Year of the election", minimum=INC_YEARS[0], maximum=2021)
M_EXTRA = Column("extraordinary", "boolean",
                 "True for an extraordinary election (held after an annulled or void ordinary one)")
M_WINNER = Column("winner", "string",
                  ("Winning party or coalition as Magar codes it, parties joined by '-' (e.g. "
                   "'pan-pri-prd-pna-ph-pes'); empty when no winner was elected"), required=False)
M_FAMILY = Column("winner_family", "string",
                  (f"Party family of the winning candidacy ({FAMILY_DOC}); for a coalition, its leading "
                   "party: Magar's vot$win for 1997-2019, else the first of pan, pri, prd, morena named"),
                  enum=FAMILIES)
M_MARGIN = Column("margin", "number", "Winner's vote share minus the runner-up's (share of the valid vote)",
                  unit="share (0-1)", required=False, minimum=0, maximum=1, decimals=4)
M_CAVEATS = ["Oaxaca's usos-y-costumbres municipalities (about 417 of 570) elect by custom, without parties, "
             "and are absent.",
             "vote_share and n_candidacies exist only for 1997-2019, margin from 1989; the 2021 rows (seven case "
             "and neighbour municipalities only) have the margin but no vote share.",
             "For coalitions before 1997 and in 2021, winner_family is the first major party named; Magar's "
             "own attribution (used 1997-2019) credits some PAN-PRD alliances to the PRD.",
             "Monterrey 2018: only the extraordinary rerun of December 2018 exists (the ordinary election "
             "was annulled).",
             "Term dates are not coded: a winner takes office some months after the election."]

table("elections_municipal", title="Municipal election winners in the focus states, 1986-2021",
      description=("One row per municipal (ayuntamiento) election in Ciudad de México (from 2000), Estado de "
                   "México, Michoacán and Nuevo León: the winning party or coalition, the elected mayor, the "
                   "runner-up party, the margin and, for 1997-2019, the winner's vote share and the number of "
                   "candidacies. 1986-2019 for every municipality; 2021 for seven case and neighbour municipalities "
                   "(Naucalpan, Nezahualcóyotl, Tacámbaro, Tancítaro, Tingambato, Monterrey, San Nicolás de los "
                   "Garza). All states, with fewer columns: party_control_municipal."),
      columns=[MUN_CODE, M_YEAR,
               Column("month", "integer", "Month of the election (1-12); empty where unknown",
                      required=False, minimum=1, maximum=12),
               M_EXTRA,
               Column("outcome", "string",
                      ("elected = a winner was elected; council = a municipal council was appointed instead; "
                       "annulled = the election was annulled; in_litigation = the result was in litigation"),
                      enum=OUTCOMES),
               M_WINNER,
               Column("n_parties", "integer", "Number of parties that nominated the winner",
                      required=False, minimum=1),
               Column("coalition", "boolean", "True when more than one party nominated the winner",
                      required=False),
               M_FAMILY,
               Column("vote_share", "number", "Winner's share of the valid vote (vot$v01; 1997-2019 only)",
                      unit="share (0-1)", required=False, minimum=0, maximum=1, decimals=4),
               M_MARGIN,
               Column("n_candidacies", "integer",
                      "Number of candidacies on the ballot (a coalition counts once; vot$ncand, 1997-2019 only)",
                      required=False, minimum=1),
               Column("runner_up", "string", "Runner-up party or coalition, parties joined by '-'",
                      required=False),
               Column("mayor", "string",
                      ("Elected mayor (presidente municipal) as spelled upstream; for an appointed council, the "
                       "council's head where given; empty where unknown"), required=False),
               Column("source", "string", "Source id of the row", enum=(RDATA, AY21))],
      primary_key=["mun_code", "year", "extraordinary"], sources=[RDATA, AY21], family=FAMILY,
      chapters=["tancitaro", "nezahualcoyotl", "cross_case"],
      caveats=[*M_CAVEATS[1:],
               "Mayors' names are spelled as upstream and vary (ARTURO OLIVERA vs OLVERA GUTIERREZ)."])

table("party_control_municipal", title="Party of the municipal election winner, all states, 1986-2021",
      description=("The winning party or coalition, its party family and the margin of every municipal election "
                   "in Magar's data, all 32 states (the columns of elections_municipal needed for party "
                   "alternation and for comparing a town's ruling party with the governor's)."),
      columns=[MUN_CODE, M_YEAR, M_EXTRA, M_WINNER, M_FAMILY, M_MARGIN],
      primary_key=["mun_code", "year", "extraordinary"], sources=[RDATA, AY21], family=FAMILY,
      chapters=["cross_case"],
      caveats=[*M_CAVEATS,
               "Six Chiapas municipalities created in 2011-2018 carry no INEGI code upstream and are coded "
               "through data/mappings/elections_inegi_codes.csv; Belisario Domínguez (Chiapas), which INEGI "
               "does not list, is dropped (3 rows).",
               "Nahuatzen (Michoacán) 1998: Magar's returns are filed as a 1999 extraordinary election and are "
               "not attached (winner_family follows the coalition rule)."])

table("governors", title="State governors elected, 1985-2023",
      description=("One row per elected state governor (and head of government of Mexico City from 1997): "
                   "name, party, nominating coalition, election date and the year the term starts."),
      columns=[STATE_CODE,
               Column("start_year", "integer",
                      "Year the governor took office where known (start_year_basis), else the election year",
                      minimum=GOV_YEARS[0], maximum=GOV_YEARS[1] + 1),
               Column("governor", "string", "Governor's name as spelled upstream"),
               Column("party", "string", "The governor's own party (part.orig)"),
               Column("party_family", "string", f"Party family of the governor's party ({FAMILY_DOC})",
                      enum=FAMILIES[:-1]),
               Column("nominating_parties", "string", "Parties that nominated the governor, joined by '-'"),
               Column("election_year", "integer", "Year of the election",
                      minimum=GOV_YEARS[0], maximum=GOV_YEARS[1]),
               Column("election_date", "string", "Election date (ISO); empty where only the month is known",
                      required=False, pattern=r"^\d{4}-\d{2}-\d{2}$"),
               Column("start_year_basis", "string",
                      ("inauguration = year of the inauguration date given upstream (Mexico City, Puebla); "
                       "election_year = no inauguration date, start_year is the election year"),
                      enum=("inauguration", "election_year")),
               Column("notes", "string", "Upstream remark (observaciones), e.g. an interim appointment",
                      required=False)],
      primary_key=["state_code", "start_year"], sources=[GOV], family=FAMILY,
      chapters=["tancitaro", "monterrey", "nezahualcoyotl", "cross_case"],
      caveats=["start_year is the election year except in Mexico City and Puebla: most governors took office "
               "a few months later, in the same year after elections held by September and usually early the "
               "next year after elections held October-December (e.g. Michoacán 1995-2011).",
               "Interim and substitute governors are not listed; Guanajuato 1991 lists the interim governor "
               "(PAN) appointed instead of the declared winner (see notes).",
               "Colima 2015 was annulled and rerun in January 2016; both rows are kept.",
               "Corrected upstream inconsistency: Baja California 2013 (date given as 2012-07-01; the raw "
               "README records the 2013 election; day unknown); see "
               "data/mappings/elections_governor_corrections.csv.",
               "Hidalgo's election filed upstream as 2021 (2021-06-06) is kept as published; no staged "
               "source confirms or corrects it."])


# ------------------------------------------------------------------ mappings


def _mapping(name: str, columns: list[str]) -> pd.DataFrame:
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
    df = _mapping(PARTY_MAP, ["code", "kind", "family", "outcome", "name"])
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
    df = _mapping(STATE_MAP, ["abbr", "state_code"])
    if df["abbr"].duplicated().any() or len(df) != 32 or set(df["state_code"]) != {f"{i:02d}" for i in
                                                                                  range(1, 33)}:
        raise DataError(f"data/mappings/{STATE_MAP}", "must map 32 distinct abbreviations to the 32 states")
    return dict(zip(df["abbr"], df["state_code"], strict=True))


@lru_cache(maxsize=1)
def missing_codes() -> dict[tuple[str, int], tuple[str, str | None]]:
    """(state code, Magar municipality number) → (Magar's name, INEGI code or None = drop)."""
    df = _mapping(CODE_MAP, ["state_code", "munn", "magar_name", "mun_code"])
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


# ------------------------------------------------------------------ readers


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


# ------------------------------------------------------------------ municipal winners


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


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    elected = df["outcome"] == "elected"
    df["winner"] = df["codes"].map("-".join).where(elected)
    df["n_parties"] = df["codes"].map(len).where(elected)
    df["coalition"] = (df["n_parties"] > 1).astype("boolean").where(elected)
    rule = df["codes"].map(leading_family)
    fam = df["vot_family"].where(df["vot_family"].notna(), rule) if "vot_family" in df else rule
    df["winner_family"] = fam.where(elected, "none")
    for c in ("vote_share", "margin"):
        df[c] = df[c].where(elected)
    return df


CONTROL_OUT = ["mun_code", "year", "extraordinary", "winner", "winner_family", "margin"]
MUN_OUT = ["mun_code", "year", "month", "extraordinary", "outcome", "winner", "n_parties", "coalition",
           "winner_family", "vote_share", "margin", "n_candidacies", "runner_up", "mayor", "source"]


@step(sources=[RDATA, AY21], needs=["municipalities"], outputs=["elections_municipal", "party_control_municipal"],
      family=FAMILY)
def elections_municipal(inp):
    known = set(inp.table("municipalities")["mun_code"])
    path = inp.raw(RDATA)
    objs = read_rdata(path, ["inc", "vot"])
    f_inc, f_vot = f"{path.name}:inc", f"{path.name}:vot"
    inc = parse_inc(objs["inc"], f_inc)
    vot = parse_vot(objs["vot"], f_vot, inc)

    # spot values from the raw README, on the upstream objects themselves
    raw_inc, raw_vot = objs["inc"], objs["vot"]
    tan = raw_inc[(raw_inc["inegi"] == 16083) & (raw_inc["yr"] == 2015)]
    readers.expect_equal(tan["ife"].tolist(), [16084], f_inc, "Tancítaro's ife code (inegi 16083)")
    tv = raw_vot[raw_vot["emm"] == "mic-15.083"]
    readers.expect_equal((int(tv["efec"].iloc[0]), int(tv["lisnom"].iloc[0])), (7448, 19282), f_vot,
                         "Tancítaro 2015 efec and lisnom")
    readers.expect_equal([round(float(tv[p].iloc[0]), 3) for p in ("pan", "pri", "prd")], [0.185] * 3, f_vot,
                         "Tancítaro 2015 pan, pri, prd shares")

    dropped = inc["mun_code"].isna()
    readers.expect_equal(sorted(inc.loc[dropped, "emm"]), ["cps-15.120", "cps-16.120", "cps-17.120"], f_inc,
                         "rows dropped for lack of an INEGI code (Belisario Domínguez)")
    inc = inc[~dropped]
    readers.check_known_codes(inc["mun_code"], known, f_inc, row_offset=1)
    inc = inc.merge(vot, on="emm", how="left", validate="one_to_one")
    inc["margin"] = inc["margin"].where(inc["margin"].notna(), inc["vot_margin"])
    inc["source"] = RDATA
    readers.check_unique(inc.reset_index(drop=True), ["mun_code", "year", "extraordinary"], f_inc, row_offset=1)

    a21 = parse_2021(inp.raw(AY21), AY21)
    readers.check_known_codes(a21["mun_code"], known, AY21)
    a21["source"] = AY21
    out = _finish(pd.concat([inc, a21], ignore_index=True))
    # 2,478 INEGI municipalities less Oaxaca's ~417 usos-y-costumbres ones and a few created late
    mun = out.loc[out.source == RDATA, "mun_code"]
    readers.expect_equal(mun.nunique(), 2046, f_inc, "number of municipalities")
    readers.expect_equal(mun[mun.str[:2] == "20"].nunique(), 153, f_inc, "number of Oaxaca municipalities")
    per_state = out.groupby(out.mun_code.str[:2])["mun_code"].nunique()
    if len(per_state) != 32:
        raise DataError(f_inc, "expected elections in all 32 states", detail=str(len(per_state)))
    _spot_municipal(out, f_inc, f_vot)
    focus = out[out["mun_code"].str[:2].isin(geo.FOCUS_STATES)]
    readers.expect_equal(sorted(focus["mun_code"].str[:2].unique()), sorted(geo.FOCUS_STATES), f_inc,
                         "focus states present")
    return {"elections_municipal": focus[MUN_OUT], "party_control_municipal": out[CONTROL_OUT]}


def _spot_municipal(out: pd.DataFrame, f_inc: str, f_vot: str) -> None:
    idx = out.set_index(["mun_code", "year", "extraordinary"])

    def get(code, year, col, extra=False):
        return idx.loc[(code, year, extra), col]

    for code, year, extra, winner in [
        ("16083", 2015, False, "pan-pri-prd-pna-ph-pes"), ("16083", 2018, False, "pan-mc"),
        ("15058", 1990, False, "pri"), ("15058", 1993, False, "pri"), ("15058", 1996, False, "prd"),
        ("15058", 2009, False, "pri-pvem-pna-psd1-pfd1"), ("15058", 2012, False, "prd"),
        ("15058", 2018, False, "pan-prd-mc"),
        ("19039", 1988, False, "pri"), ("19039", 1991, False, "pri"), ("19039", 1994, False, "pan"),
        ("19039", 1997, False, "pan"), ("19039", 2000, False, "pan"), ("19039", 2003, False, "pri-pvem-plm-fc1-pt"),
        ("19039", 2006, False, "pan"), ("19039", 2009, False, "pan"), ("19039", 2012, False, "pan"),
        ("19039", 2015, False, "pri-pvem-pna-pd1"), ("19039", 2018, True, "pri"),
        ("16083", 2021, False, "pan"), ("19039", 2021, False, "mc"), ("15058", 2021, False, "pt-morena-pna"),
    ]:
        readers.expect_equal(get(code, year, "winner", extra), winner, f_inc if year < 2021 else AY21,
                             f"winner in {code}, {year}")
    for code, year, mayor in [("16083", 2015, "ARTURO OLVERA GUTIERREZ"),
                              ("16083", 2018, "ARACELI SOLORZANO SOLORZANO"),
                              ("15058", 1996, "VALENTIN GONZALEZ BAUTISTA"),
                              ("16083", 2021, "GERARDO MORA MORA"), ("19039", 2021, "LUIS DONALDO COLOSIO RIOJAS"),
                              ("15058", 2021, "ADOLFO CERQUEDA REBOLLO")]:
        readers.expect_equal(get(code, year, "mayor"), mayor, f_inc if year < 2021 else AY21,
                             f"mayor of {code}, {year}")
    readers.expect_equal(round(get("16083", 2015, "vote_share"), 4), 0.5557, f_vot, "Tancítaro 2015 v01")
    readers.expect_equal(int(get("16083", 2015, "n_candidacies")), 5, f_vot, "Tancítaro 2015 ncand")
    readers.expect_equal(get("16083", 2015, "winner_family"), "pan", f_vot, "Tancítaro 2015 vot$win")
    readers.expect_equal(round(get("15058", 2012, "margin"), 4), 0.0033, f_inc, "Nezahualcóyotl 2012 margin")
    for code, mg, second in [("16083", 0.1676, "pri"), ("19039", 0.1578, "pri-prd"), ("15058", 0.0633, "mc")]:
        readers.expect_equal((round(get(code, 2021, "margin"), 4), get(code, 2021, "runner_up")), (mg, second),
                             AY21, f"2021 margin and runner-up in {code}")
    readers.expect_equal(((out.mun_code == "19039") & (out.year == 2018) & ~out.extraordinary).sum(), 0, f_inc,
                         "Monterrey 2018 has no ordinary election (annulled)")


# ------------------------------------------------------------------ governors


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
    fixes = _mapping(GOV_FIX, ["emm", "column", "upstream_value", "value", "reason"])
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


@step(sources=[GOV], outputs=["governors"], family=FAMILY)
def governors(inp):
    out = parse_governors(inp.raw(GOV), GOV)
    if out["state_code"].nunique() != 32:
        raise DataError(GOV, "expected governors for all 32 states", detail=str(out["state_code"].nunique()))
    g = out.set_index(["state_code", "election_year"])
    for (st, y), (name, party, elec) in {
        ("19", 1997): ("FERNANDO CANALES CLARIOND", "pan", "pan"),
        ("19", 2003): ("JOSE NATIVIDAD GONZALEZ PARAS", "pri", "pri-pvem-fc-plm"),
        ("19", 2009): ("RODRIGO MEDINA DE LA CRUZ", "pri", "pri-pvem-cc-pd"),
        ("19", 2015): ("JAIME RODRIGUEZ CALDERON", "indep", "indep"),
        ("19", 2021): ("SAMUEL GARCIA SEPULVEDA", "mc", "mc"),
    }.items():
        got = tuple(g.loc[(st, y), ["governor", "party", "nominating_parties"]])
        readers.expect_equal(got, (name, party, elec), GOV, f"governor of state {st} elected {y}")
    mex = out[out.state_code == "15"].set_index("election_year")["party"]
    readers.expect_equal(mex.to_dict(), {1987: "pri", 1993: "pri", 1999: "pri", 2005: "pri", 2011: "pri",
                                         2017: "pri", 2023: "morena"}, GOV, "Estado de México governors' parties")
    mic = out[out.state_code == "16"].set_index("election_year")["party"]
    readers.expect_equal(mic.to_dict(), {1986: "pri", 1992: "pri", 1995: "pri", 2001: "prd", 2007: "prd",
                                         2011: "pri", 2015: "prd", 2021: "morena"}, GOV, "Michoacán governors' parties")
    bc = out[(out.state_code == "02") & (out.election_year == 2013)]
    readers.expect_equal(bc["election_date"].isna().tolist(), [True], GOV, "Baja California 2013 (year corrected)")
    tla = out[(out.state_code == "29") & (out.election_year == 1986)]
    readers.expect_equal(tla["election_date"].isna().tolist(), [True], GOV, "Tlaxcala 1986 has no day (00)")
    return {"governors": out}
