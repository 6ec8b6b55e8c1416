"""Elections: README spot values for Magar's municipal winners, returns and governors, and bad input."""

from __future__ import annotations

import pandas as pd
import pyreadr
import pytest

from enclaves import pipeline, sources
from enclaves.errors import DataError
from enclaves.pipeline import elections

pytestmark = pytest.mark.usefixtures("raw_ready")

TABLES = ["elections_municipal", "party_control_municipal", "governors"]


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute(TABLES, acquire=False)


@pytest.fixture(scope="module")
def rdata(raw_ready):
    return elections.read_rdata(sources.raw(elections.RDATA), ["inc", "vot"])


def _row(made, code, year, extraordinary=False, table="elections_municipal"):
    d = made[table]
    hit = d[(d.mun_code == code) & (d.year == year) & (d.extraordinary == extraordinary)]
    assert len(hit) == 1, (code, year, extraordinary)
    return hit.iloc[0]


# ---------------------------------------------------------------- municipal winners


@pytest.mark.parametrize("code,year,extra,winner", [
    ("16083", 2015, False, "pan-pri-prd-pna-ph-pes"), ("16083", 2018, False, "pan-mc"), ("16083", 2021, False, "pan"),
    ("15058", 1990, False, "pri"), ("15058", 1993, False, "pri"), ("15058", 1996, False, "prd"),
    ("15058", 2009, False, "pri-pvem-pna-psd1-pfd1"), ("15058", 2012, False, "prd"),
    ("15058", 2018, False, "pan-prd-mc"), ("15058", 2021, False, "pt-morena-pna"),
    ("19039", 1988, False, "pri"), ("19039", 1991, False, "pri"), ("19039", 1994, False, "pan"),
    ("19039", 1997, False, "pan"), ("19039", 2000, False, "pan"), ("19039", 2003, False, "pri-pvem-plm-fc1-pt"),
    ("19039", 2006, False, "pan"), ("19039", 2009, False, "pan"), ("19039", 2012, False, "pan"),
    ("19039", 2015, False, "pri-pvem-pna-pd1"), ("19039", 2018, True, "pri"), ("19039", 2021, False, "mc"),
])
def test_municipal_winners(made, code, year, extra, winner):
    assert _row(made, code, year, extra)["winner"] == winner
    assert _row(made, code, year, extra, "party_control_municipal")["winner"] == winner


@pytest.mark.parametrize("code,year,mayor", [
    ("16083", 2015, "ARTURO OLVERA GUTIERREZ"), ("16083", 2018, "ARACELI SOLORZANO SOLORZANO"),
    ("16083", 2021, "GERARDO MORA MORA"), ("15058", 1996, "VALENTIN GONZALEZ BAUTISTA"),
    ("15058", 2021, "ADOLFO CERQUEDA REBOLLO"), ("19039", 2021, "LUIS DONALDO COLOSIO RIOJAS"),
])
def test_mayors(made, code, year, mayor):
    assert _row(made, code, year)["mayor"] == mayor


def test_tancitaro_2015_every_major_party(made):
    r = _row(made, "16083", 2015)
    assert (r.n_parties, bool(r.coalition), r.vote_share, r.n_candidacies) == (6, True, 0.5557, 5)
    assert r.winner_family == "pan"  # Magar's vot$win for the coalition
    assert r.runner_up == "mc" and r.margin == pytest.approx(0.5557 - 0.1803, abs=1e-4)
    assert r.month == 6 and r.source == elections.RDATA


def test_tancitaro_is_16083_not_ife_16084(made, rdata):
    inc = rdata["inc"]
    assert inc.loc[(inc.inegi == 16083) & (inc.yr == 2015), "ife"].tolist() == [16084]
    d = made["elections_municipal"]
    assert (d[d.mun_code == "16084"].winner != "pan-pri-prd-pna-ph-pes").all()
    assert d[d.mun_code == "16083"].year.tolist() == [1989, 1992, 1995, 1998, 2001, 2004, 2007, 2011, 2015, 2018,
                                                        2021]


@pytest.mark.parametrize("code,margin,runner_up", [("16083", 0.1676, "pri"), ("19039", 0.1578, "pri-prd"),
                                                   ("15058", 0.0633, "mc")])
def test_2021_excerpt(made, code, margin, runner_up):
    r = _row(made, code, 2021)
    assert (r.margin, r.runner_up, r.source) == (margin, runner_up, elections.AY21)
    assert pd.isna(r.vote_share) and pd.isna(r.month)


def test_margins_and_families(made):
    assert _row(made, "15058", 2012).margin == 0.0033
    assert _row(made, "15058", 2021).winner_family == "morena"  # pt-morena-pna: first major party named
    assert _row(made, "19039", 2021).winner_family == "other"  # mc
    d = made["elections_municipal"]
    assert not ((d.mun_code == "19039") & (d.year == 2018) & ~d.extraordinary).any()


def test_coverage(made):
    d, p = made["elections_municipal"], made["party_control_municipal"]
    assert set(d.mun_code.str[:2]) == {"09", "15", "16", "19"}
    assert p.mun_code.str[:2].nunique() == 32 and p.mun_code.nunique() == 2046
    assert (p.year.min(), p.year.max()) == (1986, 2021)
    # the focus table is the all-state table restricted to the focus states, with more columns
    focus = p[p.mun_code.str[:2].isin(["09", "15", "16", "19"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(focus, d[list(p.columns)].reset_index(drop=True))
    # new Chiapas municipalities coded from the mapping; Belisario Domínguez dropped
    assert {"07120", "07121", "07122", "07123", "07124"} <= set(p.mun_code)
    assert set(p.winner_family) == {"pan", "pri", "prd", "morena", "other", "none"}
    assert (p.winner.isna() == (p.winner_family == "none")).all()


def test_vote_share_only_with_returns(made):
    d = made["elections_municipal"]
    has = d.vote_share.notna()
    assert d.loc[has, "year"].between(1997, 2019).all()
    assert (d.loc[has, "vote_share"] >= d.loc[has, "margin"]).all()


# ---------------------------------------------------------------- governors


@pytest.mark.parametrize("state,year,name,party,elec", [
    ("19", 1997, "FERNANDO CANALES CLARIOND", "pan", "pan"),
    ("19", 2003, "JOSE NATIVIDAD GONZALEZ PARAS", "pri", "pri-pvem-fc-plm"),
    ("19", 2009, "RODRIGO MEDINA DE LA CRUZ", "pri", "pri-pvem-cc-pd"),
    ("19", 2015, "JAIME RODRIGUEZ CALDERON", "indep", "indep"),
    ("19", 2021, "SAMUEL GARCIA SEPULVEDA", "mc", "mc"),
    ("17", 1994, "JORGE CARRILLO OLEA", "pri", "pri-pfcrn-parm"),  # inner blank stripped
])
def test_governors(made, state, year, name, party, elec):
    g = made["governors"]
    r = g[(g.state_code == state) & (g.election_year == year)].iloc[0]
    assert (r.governor, r.party, r.nominating_parties) == (name, party, elec)


@pytest.mark.parametrize("state,parties", [
    ("15", {1987: "pri", 1993: "pri", 1999: "pri", 2005: "pri", 2011: "pri", 2017: "pri", 2023: "morena"}),
    ("16", {1986: "pri", 1992: "pri", 1995: "pri", 2001: "prd", 2007: "prd", 2011: "pri", 2015: "prd",
            2021: "morena"}),
])
def test_governor_parties(made, state, parties):
    g = made["governors"]
    assert g[g.state_code == state].set_index("election_year")["party"].to_dict() == parties


def test_governor_dates_and_start_years(made):
    g = made["governors"].set_index(["state_code", "election_year"])
    assert pd.isna(g.loc[("02", 2013), "election_date"])  # upstream 20120701; year corrected, day unknown
    assert ("02", 2012) not in g.index
    assert pd.isna(g.loc[("29", 1986), "election_date"])  # Tlaxcala, day 00
    assert g.loc[("21", 2016), ["start_year", "start_year_basis"]].tolist() == [2017, "inauguration"]
    assert g.loc[("19", 2015), ["start_year", "start_year_basis"]].tolist() == [2015, "election_year"]
    assert g.loc[("19", 2015), "party_family"] == "other"
    assert made["governors"].state_code.nunique() == 32


# ---------------------------------------------------------------- bad input: governors (CSV)


def _replace(old: bytes, new: bytes, count: int = 1):
    def f(b: bytes) -> bytes:
        assert old in b, old
        return b.replace(old, new, count)
    return f


def test_governors_unknown_party_code(tampered):
    tampered(elections.GOV, _replace(b"pri-pfcrn- parm", b"pri-pfcrn- xyz"))
    with pytest.raises(DataError,
                       match=r"magar_goed1985_incumbents, row 114: unknown party code in part\.elec.*'xyz'"):
        pipeline.compute(["governors"], acquire=False)


def test_governors_renamed_column(tampered):
    tampered(elections.GOV, _replace(b"part.orig,part.elec", b"part.orig,partido"))
    with pytest.raises(DataError, match=r"row header: required column missing.*part\.elec"):
        pipeline.compute(["governors"], acquire=False)


def test_governors_non_numeric_year(tampered):
    tampered(elections.GOV, _replace(b"nl-09.gob,nl,1997,", b"nl-09.gob,nl,199?,"))
    with pytest.raises(DataError, match=r"row 128: column yr holds a non-numeric value"):
        pipeline.compute(["governors"], acquire=False)


def test_governors_date_disagrees_with_year(tampered):
    tampered(elections.GOV, _replace(b"nl,1997,19,19970706", b"nl,1997,19,19960706"))
    with pytest.raises(DataError, match=r"row 128: year of date\.el differs from yr"):
        pipeline.compute(["governors"], acquire=False)


def test_governors_unknown_state_abbreviation(tampered):
    tampered(elections.GOV, _replace(b"127,nl-09.gob,nl,", b"127,nl-09.gob,nle,"))
    with pytest.raises(DataError, match=r"row 128: unknown state abbreviation in edo.*'nle'"):
        pipeline.compute(["governors"], acquire=False)


def test_governors_duplicated_key(tampered):
    def dup(b):
        lines = b.split(b"\n")
        return b"\n".join(lines[:128] + [lines[127].replace(b"127,", b"999,", 1)] + lines[128:])
    tampered(elections.GOV, dup)
    with pytest.raises(DataError, match=r"row 129: duplicated key \['state_code', 'start_year'\]"):
        pipeline.compute(["governors"], acquire=False)


def test_correction_refused_when_upstream_changed(tampered):
    tampered(elections.GOV, _replace(b"2013,2,20120701", b"2013,2,20130707"))
    with pytest.raises(DataError, match=r"elections_governor_corrections\.csv, row 2: upstream value differs"):
        pipeline.compute(["governors"], acquire=False)


# ---------------------------------------------------------------- bad input: 2021 excerpt (CSV)


def test_excerpt_ife_read_as_inegi(tampered):
    tampered(elections.AY21, _replace(b"edon,ife,inegi,", b"edon,inegi,ife,"))
    with pytest.raises(DataError,
                       match=r"magar_aymu1989_incumbents_2021_rows, row 2: inegi code disagrees .*ife read as inegi"):
        pipeline.compute(["elections_municipal"], acquire=False)


def test_excerpt_unknown_party(tampered):
    path = tampered(elections.AY21, _replace(b"16084,16083,pan,", b"16084,16083,pam,"))
    with pytest.raises(DataError, match=r"2021_rows, row 5: unknown party code in part .*'pam'"):
        elections.parse_2021(path, elections.AY21)


def test_excerpt_duplicated_row(tampered):
    def dup(b):
        lines = b.split(b"\n")
        return b"\n".join(lines[:5] + [lines[4].replace(b"10344,", b"10345,", 1)] + lines[5:])
    path = tampered(elections.AY21, dup)
    with pytest.raises(DataError, match=r"2021_rows, row 6: duplicated key"):
        elections.parse_2021(path, elections.AY21)


def test_excerpt_negative_margin(tampered):
    path = tampered(elections.AY21, _replace(b",pri,0.1676109537,", b",pri,-0.1676109537,"))
    with pytest.raises(DataError, match=r"2021_rows, row 5: column mg may not be negative"):
        elections.parse_2021(path, elections.AY21)


# ---------------------------------------------------------------- bad input: R workspace


def test_rdata_truncated(tampered):
    tampered(elections.RDATA, lambda b: b[: len(b) // 2])
    with pytest.raises(DataError, match=r"mun-reelection\.RData: file cannot be read as R data"):
        pipeline.compute(["elections_municipal"], acquire=False)


def test_rdata_missing_object(tampered, rdata, tmp_path):
    def only_inc(_):
        out = tmp_path / "only_inc.RData"
        pyreadr.write_rdata(str(out), rdata["inc"], df_name="inc", compress="gzip")
        return out.read_bytes()
    tampered(elections.RDATA, only_inc)
    with pytest.raises(DataError, match=r"mun-reelection\.RData: R object 'vot' missing"):
        pipeline.compute(["elections_municipal"], acquire=False)


def _inc_row(inc, emm):
    return int(inc.index[inc.emm == emm][0])


def test_inc_unknown_party_code(rdata):
    inc = rdata["inc"].copy()
    i = _inc_row(inc, "mic-15.083")
    inc.loc[i, "win.long"] = "pan-pri-prd-pna-ph-xyz"
    with pytest.raises(DataError, match=rf"inc, row {i + 1} \(emm mic-15\.083\): unknown party code in win\.long"
                                        r".*'xyz'"):
        elections.parse_inc(inc, "mun-reelection.RData:inc")


def test_inc_ife_read_as_inegi(rdata):
    inc = rdata["inc"].copy()
    inc["inegi"] = inc["ife"]
    with pytest.raises(DataError, match=r"inc, row \d+ \(emm [a-z]+-\d\d\.\d{3}\): inegi code disagrees"):
        elections.parse_inc(inc, "mun-reelection.RData:inc")


def test_inc_duplicated_election(rdata):
    inc = rdata["inc"]
    i = _inc_row(inc, "mex-14.058")
    bad = pd.concat([inc.iloc[: i + 1], inc.iloc[[i]], inc.iloc[i + 1:]], ignore_index=True)
    with pytest.raises(DataError, match=rf"inc, row {i + 2}: duplicated key \['emm'\].*mex-14\.058"):
        elections.parse_inc(bad, "mun-reelection.RData:inc")


def test_inc_unknown_month(rdata):
    inc = rdata["inc"].copy()
    i = _inc_row(inc, "nl-16.039")
    inc.loc[i, "mo"] = "jux"
    with pytest.raises(DataError, match=rf"inc, row {i + 1} \(emm nl-16\.039\): unknown month label.*'jux'"):
        elections.parse_inc(inc, "mun-reelection.RData:inc")


def test_inc_renamed_column(rdata):
    inc = rdata["inc"].rename(columns={"win.long": "winner"})
    with pytest.raises(DataError, match=r"row header: required column missing.*win\.long"):
        elections.parse_inc(inc, "mun-reelection.RData:inc")


def test_vot_margin_disagrees_with_inc(rdata):
    inc = elections.parse_inc(rdata["inc"], "mun-reelection.RData:inc")
    vot = rdata["vot"].copy()
    i = int(vot.index[vot.emm == "mex-14.058"][0])
    vot.loc[i, "mg"] = 0.0333
    with pytest.raises(DataError, match=rf"vot, row {i + 1} \(emm mex-14\.058\): mg differs from inc's"):
        elections.parse_vot(vot, "mun-reelection.RData:vot", inc)


def test_vot_unknown_family_label(rdata):
    inc = elections.parse_inc(rdata["inc"], "mun-reelection.RData:inc")
    vot = rdata["vot"].copy()
    i = int(vot.index[vot.emm == "mic-15.083"][0])
    vot.loc[i, "win"] = "panista"
    with pytest.raises(DataError, match=rf"vot, row {i + 1} \(emm mic-15\.083\): unknown winner family label"):
        elections.parse_vot(vot, "mun-reelection.RData:vot", inc)


# ---------------------------------------------------------------- returns (the close-election designs' input)


@pytest.fixture(scope="module")
def returns(raw_ready):
    return pipeline.compute(["vote_returns_municipal"], acquire=False)["vote_returns_municipal"]


def test_returns_spot_values_and_order(returns):
    """README 4.1: Tancítaro 2015, the coalition at 0.5557 against MC at 0.1803; shares ordered everywhere;
    Juárez 2018 (listed in the wrong order upstream) put in order; councils left out."""
    t = returns[(returns.mun_code == "16083") & (returns.year == 2015)].iloc[0]
    assert (t["first"], t.first_share, t["second"], t.second_share) == ("pan-pri-prd-pna-ph-pes", 0.5557, "mc", 0.1803)
    assert (returns.first_share >= returns.second_share.fillna(0)).all()
    j = returns[(returns.mun_code == "08037") & (returns.year == 2018)].iloc[0]
    assert j.first_share > j.second_share
    assert returns.groupby(["mun_code", "year", "extraordinary"]).size().max() == 1
    assert returns.year.between(1997, 2019).all() and returns.mun_code.str[:2].nunique() == 32
    assert returns["first"].notna().all()


def test_returns_refuse_unordered_shares(rdata):
    inc = elections.parse_inc(rdata["inc"], "mun-reelection.RData:inc")
    inc = inc[inc.mun_code.notna()]
    vot = rdata["vot"].copy()
    i = int(vot.index[vot.emm == "mic-15.083"][0])
    vot.loc[i, "v02"] = 0.9
    with pytest.raises(DataError, match=r"vot, row \d+: shares of the top three must be present and ordered"):
        elections.vote_returns(vot, inc, "mun-reelection.RData:vot")
