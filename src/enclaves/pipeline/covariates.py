"""Covariates: CONAPO's municipal marginalisation index (índice de marginación), 1990-2020.

Two CONAPO files, two tables. The 1990-2015 file (one row per municipality × census/count
year) and the 2020 file use *different methods*: until 2015 ``IM`` is a standardised score
(principal components, re-estimated every edition) where higher = more marginalised; in 2020
CONAPO switched to a new method (``IM_2020``, a distance-based score) where higher = LESS
marginalised. Neither score is comparable across years, so every row carries ``method``, and
we add what *is* comparable: the degree (``degree``, CONAPO's five grades, mapped to English
slugs through ``data/mappings/covariates_marginalization_degree.csv``) and the national rank
(``rank_national``, 1 = most marginalised municipality that year). The rank is CONAPO's own
``LUG_NAC`` for 1990-2015; the staged 2020 file has no rank, so it is computed here from the
unrounded ``IM_2020`` (ascending, because of the flipped orientation).

Every municipality is kept (the cross-case analysis and the synthetic-control donor pools use
them). The component indicators (shares of the population or dwellings lacking something) go
into a second, small table for the four focus states only, and only those whose CONAPO label
is the same in both files.

Missing values are written ``-`` (not available) upstream, and ``N. D.`` (no disponible) for
Nicolás Ruíz (Chiapas, 07058) in 2000, which has a population but no indicators, index or
degree that year; both become empty, and no other municipality-year may lack an index.
An empty cell, an unknown degree label, an unknown state name, a state code that disagrees
with the municipality code, a code not in INEGI's catalog, a year that is not a census/count
year, or a degree that is out of line with the index is a DataError naming file and row.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import geo, paths
from ..errors import DataError
from . import readers
from .core import MUN_CODE, Column, step, table

FAMILY = "covariates"
IMM_OLD = "conapo_imm_1990_2015"
IMM_2020 = "conapo_imm_2020"
OLD_YEARS = (1990, 1995, 2000, 2005, 2010, 2015)
YEARS = (*OLD_YEARS, 2020)
NA_TOKENS = ("-", "N. D.")
METHOD_OLD = "conapo_1990_2015"
METHOD_NEW = "conapo_2020_new"
DEGREE_MAP = "covariates_marginalization_degree.csv"

OLD_COLUMNS = ["CVE_ENT", "ENT", "CVE_MUN", "MUN", "POB_TOT", "VP", "ANALF", "SPRIM", "OVSDE", "OVSEE",
               "OVSAE", "VHAC", "OVPT", "PL<5000", "PO2SM", "OVSD", "OVSDSE", "IM", "GM", "IND0A100",
               "LUG_NAC", "LUGAR_EST", "AÑO"]
NEW_COLUMNS = ["CVE_ENT", "NOM_ENT", "CVE_MUN", "NOM_MUN", "POB_TOT", "ANALF", "SBASC", "OVSDE", "OVSEE",
               "OVSAE", "OVPT", "VHAC", "PL.5000", "PO2SM", "IM_2020", "GM_2020", "IMN_2020"]

#: Indicators whose CONAPO label is the same in both files: output column → (1990-2015, 2020 column,
#: description). SPRIM (primary) became SBASC (basic = lower secondary) in 2020, and 2000 has
#: OVSDSE (no drainage nor *exclusive* toilet) instead of OVSDE: those cells stay empty.
INDICATORS = {
    "illiterate_pct": ("ANALF", "ANALF", "Share of the population aged 15+ who are illiterate"),
    "no_primary_pct": ("SPRIM", None, "Share of the population aged 15+ without complete primary "
                                      "school (not in 1995; replaced in 2020 by 'without basic "
                                      "education', not kept)"),
    "no_drainage_toilet_pct": ("OVSDE", "OVSDE", "Share of occupants of private dwellings without drainage "
                                                 "or toilet (not in 1995 and 2000)"),
    "no_electricity_pct": ("OVSEE", "OVSEE", "Share of occupants of private dwellings without electricity"),
    "no_piped_water_pct": ("OVSAE", "OVSAE", "Share of occupants of private dwellings without piped water"),
    "overcrowded_pct": ("VHAC", "VHAC", "Share of private dwellings with overcrowding (not in 1995)"),
    "dirt_floor_pct": ("OVPT", "OVPT", "Share of occupants of private dwellings with a dirt floor "
                                       "(not in 1995)"),
    "small_locality_pct": ("PL<5000", "PL.5000", "Share of the population in localities of fewer than 5,000 "
                                                 "inhabitants (not in 1995)"),
    "low_income_pct": ("PO2SM", "PO2SM", "Share of the employed population earning up to two minimum wages "
                                         "(not in 1995)"),
}

DEGREES = ("very_low", "low", "medium", "high", "very_high")

table("marginalization_municipal", title="Municipal marginalisation index (CONAPO), 1990-2020",
      description=("CONAPO's municipal marginalisation index and degree for every municipality in the census "
                   "and count years 1990, 1995, 2000, 2005, 2010, 2015 and 2020, with the census/count "
                   "population and the national rank (1 = most marginalised)."),
      columns=[MUN_CODE,
               Column("year", "integer", "Census or count year of the underlying data",
                      enum=YEARS),
               Column("population", "integer",
                      ("Total population of the census (1990, 2000, 2010, 2020), count (1995, 2005) or "
                       "intercensal survey (2015)"), unit="persons", minimum=0),
               Column("marginalization_index", "number",
                      ("CONAPO marginalisation index. conapo_1990_2015: standardised score, higher = MORE "
                       "marginalised; conapo_2020_new: new-method score, higher = LESS marginalised. Not "
                       "comparable across years or methods"), required=False, decimals=3),
               Column("degree", "string", "CONAPO degree of marginalisation (grado), five grades",
                      required=False, enum=DEGREES),
               Column("rank_national", "integer",
                      ("National rank that year, 1 = most marginalised (CONAPO's LUG_NAC for 1990-2015; "
                       "computed from IM_2020 for 2020)"), required=False, minimum=1),
               Column("method", "string", "Which CONAPO method and file the index comes from",
                      enum=(METHOD_OLD, METHOD_NEW))],
      primary_key=["mun_code", "year"], sources=[IMM_OLD, IMM_2020], family=FAMILY,
      chapters=["tancitaro", "monterrey", "nezahualcoyotl", "cross_case", "cheran"],
      caveats=["The index is re-estimated for every year and its scale is not comparable across years; "
               "compare degrees or ranks, not index values.",
               "Degrees and ranks are relative to that year's municipalities and that year's indicator set; "
               "the 2020 indicators and cut-offs changed with the new method, so a change of degree between "
               "2015 and 2020 may be partly methodological.",
               "2020 uses CONAPO's new method: the index runs the other way (higher = less marginalised). "
               "CONAPO's normalised 0-1 version (IMN_2020) is not kept.",
               "1995 and 2005 rest on the population counts (conteos) and 2015 on the intercensal survey, "
               "with a reduced indicator set in 1995.",
               "The number of municipalities grows from 2,403 (1990) to 2,469 (2020); new municipalities "
               "appear only from their creation.",
               "Nicolás Ruíz (Chiapas, 07058) has no index in 2000 (not available upstream)."])

table("marginalization_indicators_focus",
      title="Marginalisation indicators, focus states (CONAPO), 1990-2020",
      description=("The component indicators of CONAPO's marginalisation index (percentages) for every "
                   "municipality of Ciudad de México, Estado de México, Michoacán and Nuevo León, in the "
                   "census and count years 1990-2020. Only indicators with the same CONAPO label in both "
                   "files are kept; a cell is empty where CONAPO did not publish that indicator that year."),
      columns=[MUN_CODE, Column("year", "integer", "Census or count year", enum=YEARS),
               *[Column(name, "number", desc, unit="percent", required=False, minimum=0, maximum=100,
                        decimals=2)
                 for name, (_, _, desc) in INDICATORS.items()]],
      primary_key=["mun_code", "year"], sources=[IMM_OLD, IMM_2020], family=FAMILY,
      chapters=["tancitaro", "monterrey", "nezahualcoyotl", "cross_case", "cheran"],
      caveats=["1995 (a count) has only illiteracy, electricity and piped water among these indicators.",
               "2020 indicators follow CONAPO's new method; the labels are the same as before but details of "
               "the census questions changed between censuses."])


# ------------------------------------------------------------------ helpers


#: Spot values: the source reporting's three cases as CONAPO names them.
CASE_NAME_SPOTS = {"16083": "Tancítaro", "19039": "Monterrey", "15058": "Nezahualcóyotl"}


@lru_cache(maxsize=1)
def degree_labels() -> dict[str, str]:
    """CONAPO degree label → slug, from data/mappings (the allow-list)."""
    path = paths.mappings_dir() / DEGREE_MAP
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = dict(zip(df["label"].str.strip(), df["degree"].str.strip(), strict=True))
    if sorted(out.values()) != sorted(DEGREES):
        raise DataError(DEGREE_MAP, "the mapping must give each of the five degrees exactly once",
                        detail=str(sorted(out.values())))
    return out


def _check_cells(df: pd.DataFrame, file: str) -> pd.DataFrame:
    """Strip cells; an empty cell is an error (upstream writes '-' for not available)."""
    df = df.apply(lambda s: s.str.strip())
    for col in df.columns:
        empty = df[col].eq("")
        if empty.any():
            i = int(empty.to_numpy().argmax())
            raise DataError(file, f"column {col} has an empty cell (missing values are written '-')",
                            row=i + 2)
    return df


def _num(df: pd.DataFrame, col: str, file: str, **kw) -> pd.Series:
    """Numbers where '-' / 'N. D.' are missing; anything else non-numeric is an error naming the row."""
    tmp = pd.DataFrame({col: df[col].where(~df[col].isin(NA_TOKENS), "")})
    return readers.to_number(tmp, col, file, allow_empty=True, **kw)


def _degree(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    labels = degree_labels()
    s = df[col]
    known = s.isin(list(labels)) | s.isin(NA_TOKENS)
    if not known.all():
        i = int((~known).to_numpy().argmax())
        raise DataError(file, f"unknown degree of marginalisation in {col} (allowed: {sorted(labels)})",
                        row=i + 2, detail=repr(s.iloc[i]))
    return s.map(labels)


def _check_bands(d: pd.DataFrame, file: str, higher_is_more: bool) -> None:
    """Within a year the five degrees must be bands of the index, in order."""
    order = {slug: k for k, slug in enumerate(DEGREES)}
    for year, g in d.dropna(subset=["marginalization_index"]).groupby("year"):
        g = g.assign(o=g["degree"].map(order))
        score = g["marginalization_index"] if higher_is_more else -g["marginalization_index"]
        lo = score.groupby(g["o"]).min()
        hi = score.groupby(g["o"]).max()
        for k in range(len(lo) - 1):
            if hi.iloc[k] > lo.iloc[k + 1]:
                # the culprit is one of the two: the top of the lower grade or the bottom of the upper one
                a = g[(g.o == lo.index[k]) & (score == hi.iloc[k])].iloc[0]
                b = g[(g.o == lo.index[k + 1]) & (score == lo.iloc[k + 1])].iloc[0]
                raise DataError(file, "degree out of line with the index (grades must be bands)",
                                row=f"{int(a['line'])} or {int(b['line'])}",
                                detail=f"{year}: {a['mun_code']} is {a['degree']} with index "
                                       f"{a['marginalization_index']}, {b['mun_code']} is {b['degree']} "
                                       f"with index {b['marginalization_index']}")


def _spot(d: pd.DataFrame, file: str, code: str, year: int, col: str, expected) -> None:
    got = d.loc[(d.mun_code == code) & (d.year == year), col].tolist()
    if col == "marginalization_index":
        got = [round(float(x), 3) for x in got]
    else:
        got = [x if isinstance(x, str) else int(x) for x in got]
    readers.expect_equal(got, [expected], file, f"{col} of {code} in {year}")


# ------------------------------------------------------------------ 1990-2015


def read_imm_old(path, known: set[str]) -> pd.DataFrame:
    f = IMM_OLD
    raw = readers.read_table(path, columns=OLD_COLUMNS)
    readers.expect_equal(len(raw), 14_646, f, "number of data rows")
    df = _check_cells(raw, f)
    df["year"] = readers.to_number(df, "AÑO", f)
    readers.check_years(df["year"], 1990, 2015, f)
    off = ~df["year"].isin(OLD_YEARS)
    if off.any():
        i = int(off.to_numpy().argmax())
        raise DataError(f, f"AÑO is not one of the census/count years {list(OLD_YEARS)}", row=i + 2,
                        detail=repr(raw["AÑO"].iloc[i]))
    df["line"] = range(2, len(df) + 2)
    nat = df["CVE_MUN"].eq("-")
    # national rows: '-' codes and the name 'Nacional'; any other '-' code is an error
    for i in (nat & ~df["ENT"].map(geo.normalize).eq("NACIONAL")).to_numpy().nonzero()[0]:
        raise DataError(f, "municipality code missing ('-') on a row that is not the national total",
                        row=int(i) + 2, detail=repr(raw["ENT"].iloc[i]))
    bad = ~nat & ~(df["CVE_MUN"].str.fullmatch(r"\d{4,5}") & df["CVE_ENT"].str.fullmatch(r"\d{1,2}"))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f, "CVE_ENT / CVE_MUN must be whole numbers (unpadded codes)", row=i + 2,
                        detail=f"{raw['CVE_ENT'].iloc[i]!r}, {raw['CVE_MUN'].iloc[i]!r}")
    df["population"] = _num(df, "POB_TOT", f)
    df["marginalization_index"] = _num(df, "IM", f, integer=False, nonnegative=False)
    df["degree"] = _degree(df, "GM", f)
    df["rank_national"] = _num(df, "LUG_NAC", f)
    for name, (old, _, _) in INDICATORS.items():
        df[name] = _num(df, old, f, integer=False)
        over = df[name] > 100
        if over.any():
            i = int(over.to_numpy().argmax())
            raise DataError(f, f"column {old} is a percentage and may not exceed 100", row=i + 2,
                            detail=repr(raw[old].iloc[i]))

    mun = df[~nat].copy()
    mun["mun_code"] = mun["CVE_MUN"].map(geo.pad_mun)
    st = mun["CVE_ENT"].astype(int).map("{:02d}".format)
    wrong = mun["mun_code"].str[:2] != st
    if wrong.any():
        r = mun[wrong].iloc[0]
        raise DataError(f, "CVE_ENT disagrees with the state part of CVE_MUN", row=int(r["line"]),
                        detail=f"{r['CVE_ENT']!r}, {r['CVE_MUN']!r}")
    _states_lines(mun, "ENT", st, f)
    _known_lines(mun, known, f)
    _unique_lines(mun, f)

    # national rows: the municipal populations must add up to them
    nat_pop = df[nat].set_index("year")["population"]
    readers.expect_equal(sorted(nat_pop.index), [1990, 2000, 2005, 2010, 2015], f,
                         "years with a national row")
    mun_pop = mun.groupby("year")["population"].sum()
    for y, v in nat_pop.items():
        readers.expect_equal(int(mun_pop[y]), int(v), f, f"sum of municipal POB_TOT = national row, {y}")
    mun["method"] = METHOD_OLD
    return mun


def _states_lines(d: pd.DataFrame, name_col: str, code: pd.Series, file: str) -> None:
    """The state name must map (data/mappings/state_names.csv) to the state part of the code; rows
    are named by their file line (column ``line``)."""
    pairs = pd.DataFrame({"name": d[name_col].to_numpy(), "code": code.to_numpy(), "line": d["line"].to_numpy()})
    for (name, c), line in pairs.groupby(["name", "code"], sort=False)["line"].min().items():
        got = geo.state_code(name, file, row=int(line))
        if got != c:
            raise DataError(file, f"state name in {name_col} disagrees with the code", row=int(line),
                            detail=f"{name!r} is {got}, code says {c}")


def _known_lines(d: pd.DataFrame, known: set[str], file: str) -> None:
    bad = ~d["mun_code"].isin(known)
    if bad.any():
        r = d[bad].iloc[0]
        raise DataError(file, "unknown municipality code (not in the INEGI catalog)", row=int(r["line"]),
                        detail=repr(r["mun_code"]))


def _unique_lines(d: pd.DataFrame, file: str) -> None:
    dup = d.duplicated(["mun_code", "year"], keep="first")
    if dup.any():
        r = d[dup].iloc[0]
        raise DataError(file, "duplicated key ['mun_code', 'year']", row=int(r["line"]),
                        detail=f"mun_code={r['mun_code']}, year={r['year']}")


# ------------------------------------------------------------------ 2020


def read_imm_2020(path, known: set[str]) -> pd.DataFrame:
    f = IMM_2020
    raw = readers.read_table(path, columns=NEW_COLUMNS)  # the BOM is dropped from the header
    readers.expect_equal(len(raw), 2_469, f, "number of data rows")
    df = _check_cells(raw, f)
    df["line"] = range(2, len(df) + 2)
    bad = ~(df["CVE_MUN"].str.fullmatch(r"\d{5}") & df["CVE_ENT"].str.fullmatch(r"\d{2}"))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f, "CVE_ENT / CVE_MUN must be zero-padded 2- and 5-digit codes", row=i + 2,
                        detail=f"{raw['CVE_ENT'].iloc[i]!r}, {raw['CVE_MUN'].iloc[i]!r}")
    df["mun_code"] = df["CVE_MUN"]
    wrong = df["mun_code"].str[:2] != df["CVE_ENT"]
    if wrong.any():
        i = int(wrong.to_numpy().argmax())
        raise DataError(f, "CVE_ENT disagrees with the state part of CVE_MUN", row=i + 2,
                        detail=f"{raw['CVE_ENT'].iloc[i]!r}, {raw['CVE_MUN'].iloc[i]!r}")
    _states_lines(df, "NOM_ENT", df["CVE_ENT"], f)
    _known_lines(df, known, f)
    df["year"] = 2020
    _unique_lines(df, f)
    # nothing is missing in 2020: no '-' allowed
    df["population"] = readers.to_number(df, "POB_TOT", f)
    df["marginalization_index"] = readers.to_number(df, "IM_2020", f, integer=False)
    na = df["GM_2020"].isin(NA_TOKENS)
    if na.any():
        i = int(na.to_numpy().argmax())
        raise DataError(f, "GM_2020 may not be missing", row=i + 2, detail=repr(raw["GM_2020"].iloc[i]))
    df["degree"] = _degree(df, "GM_2020", f)
    # new method: higher = less marginalised, so rank 1 is the lowest score
    df["rank_national"] = df["marginalization_index"].rank(method="min", ascending=True).astype("Int64")
    for name, (_, new, _) in INDICATORS.items():
        if new is None:
            df[name] = pd.NA
            continue
        df[name] = readers.to_number(df, new, f, integer=False)
        over = df[name] > 100
        if over.any():
            i = int(over.to_numpy().argmax())
            raise DataError(f, f"column {new} is a percentage and may not exceed 100", row=i + 2,
                            detail=repr(raw[new].iloc[i]))
    df["method"] = METHOD_NEW
    return df


# ------------------------------------------------------------------ step


def _check_old_ranks(d: pd.DataFrame, file: str) -> None:
    """LUG_NAC must rank 1..N within a year and follow the (rounded) index downwards."""
    for year, g in d.dropna(subset=["marginalization_index"]).groupby("year"):
        g = g.sort_values("rank_national")
        n = len(g)
        if g["rank_national"].isna().any() or list(g["rank_national"]) != list(range(1, n + 1)):
            r = g[g["rank_national"].isna() | g["rank_national"].duplicated()]
            line = int(r["line"].iloc[0]) if len(r) else None
            raise DataError(file, f"LUG_NAC must number the {n} municipalities of {year} from 1 to {n}",
                            row=line)
        up = g["marginalization_index"].diff() > 0
        if up.any():
            r = g[up].iloc[0]
            raise DataError(file, "LUG_NAC out of order with IM (rank 1 = highest index)", row=int(r["line"]),
                            detail=f"{year}: {r['mun_code']} rank {r['rank_national']} index {r['index']}")


@step(sources=[IMM_OLD, IMM_2020], needs=["municipalities"],
      outputs=["marginalization_municipal", "marginalization_indicators_focus"], family=FAMILY)
def marginalization(inp):
    known = set(inp.table("municipalities")["mun_code"])
    old = read_imm_old(inp.raw(IMM_OLD), known)
    new = read_imm_2020(inp.raw(IMM_2020), known)

    # municipalities per year (README: 2,469 in 2020)
    per_year = old.groupby("year").size().to_dict()
    readers.expect_equal(per_year, {1990: 2403, 1995: 2428, 2000: 2443, 2005: 2454, 2010: 2456, 2015: 2457},
                         IMM_OLD, "municipalities per year")
    readers.expect_equal(new["mun_code"].nunique(), 2469, IMM_2020, "municipalities in 2020")

    # the index is missing only where CONAPO says so (Nicolás Ruíz, 2000), and with it degree and rank
    na = old[["marginalization_index", "degree", "rank_national"]].isna()
    miss = old[na.any(axis=1)]
    if not na[na.any(axis=1)].all(axis=1).all():
        r = miss.iloc[0]
        raise DataError(IMM_OLD, "IM, GM and LUG_NAC must be missing together", row=int(r["line"]))
    readers.expect_equal(sorted(zip(miss["mun_code"], miss["year"], strict=True)), [("07058", 2000)], IMM_OLD,
                         "municipality-years without an index")

    _check_bands(old, IMM_OLD, higher_is_more=True)
    _check_bands(new, IMM_2020, higher_is_more=False)
    _check_old_ranks(old, IMM_OLD)

    # README spot values (section 6), and the three cases' names
    for year, pop in ((1990, 21_029), (2010, 29_414), (2015, 31_100)):
        _spot(old, IMM_OLD, "16083", year, "population", pop)
    for year, im, gm in ((1990, 0.111, "high"), (2005, 0.104, "high"), (2010, -0.177, "medium"),
                         (2015, -0.317, "medium")):
        _spot(old, IMM_OLD, "16083", year, "marginalization_index", im)
        _spot(old, IMM_OLD, "16083", year, "degree", gm)
    for code, year, pop in (("15058", 1990, 1_256_115), ("15058", 2010, 1_110_565),
                            ("19039", 1990, 1_069_238), ("19039", 2010, 1_135_550)):
        _spot(old, IMM_OLD, code, year, "population", pop)
    for code, pop, gm in (("15058", 1_077_208, "very_low"), ("19039", 1_142_994, "very_low"),
                          ("16083", 33_453, "low")):
        _spot(new, IMM_2020, code, 2020, "population", pop)
        _spot(new, IMM_2020, code, 2020, "degree", gm)
    _spot(new, IMM_2020, "16083", 2020, "marginalization_index", 55.918)
    for d, f, col in ((old, IMM_OLD, "MUN"), (new, IMM_2020, "NOM_MUN")):
        for code, name in CASE_NAME_SPOTS.items():
            got = set(d.loc[d.mun_code == code, col])
            readers.expect_equal(got, {name}, f, f"name of {code}")

    both = pd.concat([old, new], ignore_index=True)
    main = both[["mun_code", "year", "population", "marginalization_index", "degree", "rank_national", "method"]]
    focus = both[both["mun_code"].str[:2].isin(geo.FOCUS_STATES)]
    focus = focus[["mun_code", "year", *INDICATORS]]
    readers.expect_equal(focus["mun_code"].nunique(), 16 + 125 + 113 + 51, IMM_2020,
                         "municipalities of the focus states")
    return {"marginalization_municipal": main, "marginalization_indicators_focus": focus}
