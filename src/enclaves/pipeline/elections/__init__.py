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

import pandas as pd

from ... import geo
from ...errors import DataError
from .. import readers
from ..core import step
from .aymu2021 import parse_2021
from .contracts import AY21, FAMILY, GOV, MG_KNOWN_DIFFERENCES, RDATA, YEAR_KNOWN_DIFFERENCES
from .governor_list import parse_governors
from .mappings import leading_family, magar_states, missing_codes, party_table, split_parties, winner_outcome
from .rdata import parse_inc, parse_vot, read_rdata

__all__ = ["AY21", "FAMILY", "GOV", "RDATA", "elections_municipal", "governors", "leading_family", "magar_states",
           "missing_codes", "parse_2021", "parse_governors", "parse_inc", "parse_vot", "party_table", "vote_returns",
           "read_rdata", "split_parties", "winner_outcome"]


# ------------------------------------------------------------------ municipal winners


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


@step(sources=[RDATA, AY21], needs=["municipalities"],
      outputs=["elections_municipal", "party_control_municipal", "vote_returns_municipal"], family=FAMILY)
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
    return {"elections_municipal": focus[MUN_OUT], "party_control_municipal": out[CONTROL_OUT],
            "vote_returns_municipal": vote_returns(objs["vot"], inc, f_vot)}


def vote_returns(raw_vot: pd.DataFrame, inc: pd.DataFrame, f_vot: str) -> pd.DataFrame:
    """Magar's returns (top three candidacies and shares) keyed like the winners table (through ``emm``)."""
    v = raw_vot[~raw_vot["emm"].isin(YEAR_KNOWN_DIFFERENCES)].reset_index(drop=True)
    keys = inc[["emm", "mun_code", "year", "extraordinary"]]
    r = v.merge(keys, on="emm", how="inner", validate="one_to_one")
    out = pd.DataFrame({"mun_code": r["mun_code"], "year": r["year"].astype(int), "extraordinary": r["extraordinary"]})
    for k, (lab, share) in {"first": ("l01", "v01"), "second": ("l02", "v02"), "third": ("l03", "v03")}.items():
        label = r[lab].astype("string").str.strip().replace({"": pd.NA, "0": pd.NA})
        out[k] = label
        out[f"{k}_share"] = pd.to_numeric(r[share], errors="coerce").where(label.notna())
    for col, src in (("n_candidacies", "ncand"), ("valid_votes", "efec"), ("registered", "lisnom")):
        x = pd.to_numeric(r[src], errors="coerce")
        out[col] = x.where(x > 0).round().astype("Int64")
    out["governor_party"] = r["govpty.lag"].astype("string").str.strip().replace({"": pd.NA})
    # councils and elections not held have no candidacies upstream (l01 '0'): no returns to keep
    keep = out["first"].notna()
    out, r = out[keep].reset_index(drop=True), r[keep].reset_index(drop=True)
    # Juárez 2018 (MG_KNOWN_DIFFERENCES): upstream lists the runner-up first (negative mg); put them in order
    swap = r["emm"].isin(MG_KNOWN_DIFFERENCES) & (out["second_share"] > out["first_share"])
    a, b = ["first", "first_share"], ["second", "second_share"]
    out.loc[swap, a + b] = out.loc[swap, b + a].to_numpy()
    bad = out["first"].isna() | (out["second_share"] > out["first_share"]) | (out["third_share"] > out["second_share"])
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f_vot, "shares of the top three must be present and ordered (v01 >= v02 >= v03)",
                        row=i + 2, detail=str(r["emm"].iloc[i]))
    tan = out[(out.mun_code == "16083") & (out.year == 2015)].iloc[0]
    readers.expect_equal((tan["first"], round(float(tan["first_share"]), 4), tan["second"],
                          round(float(tan["second_share"]), 4)),
                         ("pan-pri-prd-pna-ph-pes", 0.5557, "mc", 0.1803), f_vot, "Tancítaro 2015 v01, l02 and v02")
    return out.sort_values(["mun_code", "year", "extraordinary"]).reset_index(drop=True)


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
