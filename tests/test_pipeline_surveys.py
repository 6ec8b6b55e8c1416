"""Surveys (ENVIPE, WJP): spot values from the raw README (section 3), and bad input of every kind."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pytest

from enclaves import pipeline, sources
from enclaves.errors import DataError
from enclaves.pipeline import surveys

pytestmark = pytest.mark.usefixtures("raw_ready")


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute(["envipe_state", "wjp_state"], acquire=False)


def _value(made, indicator, code, edition):
    d = made["envipe_state"]
    got = d.loc[(d.indicator == indicator) & (d.state_code == code) & (d.edition == edition), "value"]
    assert len(got) == 1, (indicator, code, edition)
    return float(got.iloc[0])


# ---------------------------------------------------------------- 3.1 México Evalúa 2011-2014


@pytest.mark.parametrize("code,values", [
    ("00", (69.5, 66.6, 72.3, 73.3)), ("19", (84.5, 86.7, 80.2, 73.0)),
    ("16", (76.0, 76.0, 80.3, 82.0)), ("15", (83.9, 84.6, 90.7, 92.6)),
])
def test_insecurity_press_figures(made, code, values):
    assert tuple(_value(made, "insecurity_pct", code, e) for e in (2011, 2012, 2013, 2014)) == values


@pytest.mark.parametrize("indicator,code,edition,expected", [
    ("victimization_prevalence_per_100k", "00", 2014, 28_224),
    ("crime_incidence_per_100k", "00", 2014, 41_563),
    ("crime_incidence_per_100k", "15", 2014, 93_003),
])
def test_mexicoevalua_rates(made, indicator, code, edition, expected):
    assert _value(made, indicator, code, edition) == expected


def test_mac_roman_decoding():
    raw = sources.get(surveys.ME).raw_path.read_bytes()
    assert b"\r" in raw and b"\n" not in raw and b"Estado de M\x8exico" in raw
    rows = surveys.read_mexicoevalua(sources.get(surveys.ME).raw_path)
    assert set(rows.state_code) == surveys.AREAS


# ---------------------------------------------------------------- 3.2 INEGI indicator 6204327085


@pytest.mark.parametrize("code,edition,expected", [
    ("00", 2011, 71.94), ("00", 2014, 76.27), ("00", 2018, 82.10), ("00", 2025, 79.43),
    ("19", 2011, 86.47), ("19", 2018, 79.32), ("19", 2025, 74.17),
    ("16", 2011, 77.71), ("16", 2018, 84.21), ("16", 2025, 82.36),
    ("15", 2011, 84.78), ("15", 2018, 92.62), ("15", 2025, 89.26),
])
def test_insecurity_api(made, code, edition, expected):
    assert _value(made, "insecurity_api", code, edition) == expected


def test_api_runs_above_press_figures(made):
    gap = _value(made, "insecurity_api", "00", 2014) - _value(made, "insecurity_pct", "00", 2014)
    assert 2 < gap < 3.5


# ---------------------------------------------------------------- 3.3 tabulados básicos


EDITIONS = (2012, 2013, 2019, 2024, 2025)


@pytest.mark.parametrize("code,values", [
    ("00", (91.6, 92.1, 93.2, 92.9, 93.2)), ("16", (92.0, 94.0, 92.8, 89.8, 93.6)),
    ("19", (94.0, 93.2, 91.6, 91.9, 92.7)), ("15", (91.8, 93.4, 93.6, 92.9, 94.3)),
])
def test_cifra_negra(made, code, values):
    assert tuple(_value(made, "cifra_negra_pct", code, e) for e in EDITIONS) == values


@pytest.mark.parametrize("edition,expected", list(zip(EDITIONS, (63.2, 61.9, 63.2, 60.8, 63.0), strict=True)))
def test_authority_causes_national(made, edition, expected):
    assert _value(made, "authority_causes_pct", "00", edition) == expected


@pytest.mark.parametrize("edition,expected", [(2012, 22_602_305), (2025, 33_450_221)])
def test_crimes_total_national(made, edition, expected):
    assert _value(made, "crimes_total", "00", edition) == expected


def test_year_basis_and_coverage(made):
    d = made["envipe_state"]
    lag = (d.edition - d.year).groupby(d.indicator).unique()
    assert list(lag["insecurity_pct"]) == [0] and list(lag["insecurity_api"]) == [0]
    for ind in ("cifra_negra_pct", "authority_causes_pct", "crimes_total",
                "victimization_prevalence_per_100k"):
        assert list(lag[ind]) == [1]
    per = d.groupby(["indicator", "edition"]).state_code.nunique()
    assert (per == 33).all()
    eds = d.groupby("indicator").edition.agg(["min", "max", "nunique"])
    assert tuple(eds.loc["cifra_negra_pct"]) == (2012, 2025, 14)
    assert tuple(eds.loc["insecurity_api"]) == (2011, 2025, 15)
    assert tuple(eds.loc["insecurity_pct"]) == (2011, 2014, 4)
    assert len(d) == 2277


def test_percentages_are_printed_precision():
    assert surveys.round_half_up(91.6190140784314, 1) == 91.6
    assert surveys.round_half_up(0.25, 1) == 0.3  # half away from zero, as Excel prints
    assert surveys.strip_footnote("Nuevo León1") == "Nuevo León"
    assert surveys.strip_footnote("México 2,3") == "México"


# ---------------------------------------------------------------- 3.5 WJP


@pytest.mark.parametrize("code,edition,score,rank,change", [
    ("19", 2019, 0.43, 7, 3), ("19", 2023, 0.44, 11, -4), ("16", 2019, 0.39, 18, -5),
    ("16", 2023, 0.40, 22, -4), ("15", 2019, 0.36, 27, 3), ("15", 2023, 0.36, 29, -1),
    ("22", 2023, 0.49, 1, 0), ("23", 2023, 0.34, 32, -2), ("09", 2023, 0.36, 31, -2),
    ("24", 2019, 0.38, 20, -3),
])
def test_wjp(made, code, edition, score, rank, change):
    w = made["wjp_state"].set_index(["state_code", "edition"])
    assert (w.loc[(code, edition), "score"], w.loc[(code, edition), "rank"],
            w.loc[(code, edition), "rank_change"]) == (score, rank, change)


@pytest.fixture(scope="module")
def derived(raw_ready):
    return pipeline.compute(["wjp_state", "wjp_state_associations", "homicides_state_annual"], acquire=False)


def test_wjp_scores_stay_inside_the_pipeline():
    """The scores are not licensed for redistribution: wjp_state is not published, the derived table is, marked
    as derived, and it has no column that could carry a score or rank."""
    from enclaves.pipeline.core import TABLES

    assert not TABLES["wjp_state"].publish
    t = TABLES["wjp_state_associations"]
    assert t.publish and t.derived
    assert not {"score", "rank", "rank_change", "state_name"} & set(t.column_names)


@pytest.mark.parametrize("edition", [2019, 2023])
@pytest.mark.parametrize("scale", ["log", "rate", "rank"])
def test_wjp_associations_equal_scipy(derived, edition, scale):
    """Each level correlation equals scipy's Pearson (Spearman for ranks) on the internal scores and the mean
    homicide rate 2020-2022; the leave-one-out range equals a direct loop."""
    from scipy import stats as ss

    from enclaves.cases.cross_case.case import WJP_LATER_YEARS
    from enclaves.pipeline.surveys import wjp_derived

    assert wjp_derived.WINDOW == WJP_LATER_YEARS
    w = derived["wjp_state"]
    x = w[w.edition == edition].set_index("state_code")["score"].astype(float)
    h = derived["homicides_state_annual"]
    h = h[(h.year_basis == "occurrence") & (h.state_code != "00") & h.year.between(2020, 2022)]
    y = h.groupby("state_code")["homicide_rate"].mean().reindex(x.index)
    y = np.log(y) if scale == "log" else y
    f = ss.spearmanr if scale == "rank" else ss.pearsonr
    a = derived["wjp_state_associations"]
    row = a[(a.analysis == "level") & (a.edition == edition) & (a.scale == scale)].iloc[0]
    assert row.r == pytest.approx(f(x, y)[0], abs=5e-7)
    assert row.n == 32 and row.r_low < row.r < row.r_high
    loo = [f(x.drop(k), y.drop(k))[0] for k in x.index]
    assert (row.loo_r_min, row.loo_r_max) == pytest.approx((min(loo), max(loo)), abs=5e-7)


def test_wjp_change_equals_scipy(derived):
    from scipy import stats as ss

    w = derived["wjp_state"].pivot(index="state_code", columns="edition", values="score")
    d = (w[2023] - w[2019]).astype(float)
    h = derived["homicides_state_annual"]
    h = h[(h.year_basis == "occurrence") & (h.state_code != "00")].pivot(index="state_code", columns="year",
                                                                          values="homicide_rate")
    a = derived["wjp_state_associations"]
    row = a[a.analysis == "change"].iloc[0]
    assert row.r == pytest.approx(ss.pearsonr(d, (h[2022] - h[2019]).reindex(d.index))[0], abs=5e-7)
    assert row.n_unchanged == int((d.abs() < 0.005).sum())
    assert row.mean_score_change == pytest.approx(d.mean(), abs=1e-4)


def test_wjp_labels(made):
    w = made["wjp_state"]
    assert w.groupby("edition").size().to_dict() == {2019: 32, 2023: 32}
    assert dict(zip(w.edition, w.edition_label, strict=True)) == {2019: "2019-2020", 2023: "2022-2023"}


# ---------------------------------------------------------------- bad input


def _replace(old: bytes | str, new: bytes | str, count: int = 1):
    old, new = (x.encode() if isinstance(x, str) else x for x in (old, new))

    def f(b: bytes) -> bytes:
        assert old in b, old
        return b.replace(old, new, count)
    return f


def _xlsx(member_of, edit):
    """Mutate one member of an xlsx: member_of(zip) names it, edit(bytes) changes it."""
    def f(b: bytes) -> bytes:
        zin = zipfile.ZipFile(io.BytesIO(b))
        target = member_of(zin)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == target:
                    new = edit(data)
                    assert new != data, target
                    data = new
                zout.writestr(item, data)
        return out.getvalue()
    return f


def _shared(z):
    return "xl/sharedStrings.xml"


def _sheet(name):
    def member(z):
        wb = z.read("xl/workbook.xml").decode()
        rid = re.search(rf'<sheet name="{re.escape(name)}" sheetId="\d+" r:id="(rId\d+)"', wb).group(1)
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        return "xl/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
    return member


def _cell(ref: str, new_inner: bytes):
    def edit(data: bytes) -> bytes:
        return re.sub(rb'<c r="' + ref.encode() + rb'"( s="\d+")?>.*?</c>',
                      lambda m: b'<c r="' + ref.encode() + b'"' + (m.group(1) or b"") + new_inner + b"</c>",
                      data,
                      count=1)
    return edit


D19 = "envipe_2019_denuncia_delito"


def _read19(path):
    return surveys.read_denuncia(path, 2019, D19)


def test_workbook_unknown_state_name(tampered):
    p = tampered(D19, _xlsx(_shared, _replace("<t>Nuevo León", "<t>Nuevo Reino")))
    with pytest.raises(DataError, match=r"envipe_2019_denuncia_delito sheet '3.3', row 28: unknown state name"
                                        r".*'Nuevo Reino'"):
        _read19(p)


def test_workbook_missing_table(tampered):
    p = tampered(D19, _xlsx(_shared, _replace("<si><t>Delitos ocurridos por entidad federativa, "
                                              "según cifra negra</t>",
                                              "<si><t>Delitos ocurridos por entidad federativa, "
                                              "según cifra oscura</t>")))
    with pytest.raises(DataError, match=r"envipe_2019_denuncia_delito: table not found by title"):
        _read19(p)


def test_workbook_unknown_table_title(tampered):
    p = tampered(D19, _xlsx(_shared, _replace(b"<si><t>Delitos ocurridos a hombres por entidad",
                                              "<si><t>Delitos ocurridos a jóvenes por entidad")))
    with pytest.raises(DataError, match=r"sheet '3.4', row 3: unrecognised table title.*jóvenes"):
        _read19(p)


def test_workbook_renamed_column(tampered):
    p = tampered(D19, _xlsx(_shared, _replace("<t>Cifra negra</t></r>", "<t>Cifra roja</t></r>")))
    with pytest.raises(DataError, match=r"sheet '3.3', row 6: header lacks 'delitos ocurridos' or 'cifra ne"):
        _read19(p)


def test_workbook_non_numeric_cell(tampered):
    p = tampered(D19, _xlsx(_sheet("3.3"), _cell("E28", b' t="inlineStr"><is><t>n.d.</t></is>')))
    with pytest.raises(DataError, match=r"sheet '3.3', row 28: 'cifra negra' relativos holds a non-numeric"):
        _read19(p)


def test_workbook_shifted_percentage(tampered):
    p = tampered(D19, _xlsx(_sheet("3.3"), _cell("E28", b"><v>50.1</v>")))
    with pytest.raises(DataError, match=r"sheet '3.3', row 28: printed percentage disagrees with the absol"):
        _read19(p)


def test_workbook_wrong_reference_year(tampered):
    p = tampered(D19, _xlsx(_sheet("3.3"), _cell("A4", b"><v>2017</v>")))
    with pytest.raises(DataError, match=r"sheet '3.3', row 4: reference year must be 2018"):
        _read19(p)


def test_workbook_not_a_workbook(tampered):
    p = tampered(D19, lambda b: b[: len(b) // 3])
    with pytest.raises(DataError, match=r"envipe_2019_denuncia_delito: file cannot be read as an xlsx"):
        _read19(p)


def test_workbook_spot_value_guard(tampered, monkeypatch):
    d25 = "envipe_2025_denuncia_delito"
    # the step's own guard, run on the 2025 workbook alone (all 14 take ~10 s)
    monkeypatch.setattr(surveys, "DENUNCIA", {2025: d25})
    spots = {k: v for k, v in surveys.SPOT_DENUNCIA.items() if k[2] == 2025}
    monkeypatch.setattr(surveys, "SPOT_DENUNCIA", spots)
    tampered(d25, _xlsx(_sheet("3.3"), _cell("B9", b"><v>33450222</v>")))
    with pytest.raises(DataError, match=r"envipe_2025_denuncia_delito: spot value check failed for crimes_t"):
        pipeline.compute(["_envipe_denuncia"], acquire=False)


def test_mexicoevalua_non_numeric_cell(tampered):
    tampered(surveys.ME, _replace(b"28223.98469", b"n/d"))
    with pytest.raises(DataError, match=r"envipe_state_2011_2014_mexicoevalua, row 2: column pre2013 holds"):
        pipeline.compute(["_envipe_mexicoevalua"], acquire=False)


def test_mexicoevalua_latin1_is_caught(tampered):
    # é written as latin-1 (0xE9) decodes to 'È' in Mac Roman: the name check catches it
    tampered(surveys.ME, _replace(b"Estado de M\x8exico", b"Estado de M\xe9xico"))
    with pytest.raises(DataError, match=r"spot value check failed for Mac Roman decoding of state 15"):
        pipeline.compute(["_envipe_mexicoevalua"], acquire=False)


def test_mexicoevalua_code_disagrees(tampered):
    tampered(surveys.ME, _replace(b"\r16,MICH,", b"\r17,MICH,"))
    with pytest.raises(DataError, match=r"envipe_state_2011_2014_mexicoevalua, row 18: codigo disagrees"):
        pipeline.compute(["_envipe_mexicoevalua"], acquire=False)


def test_mexicoevalua_renamed_column(tampered):
    tampered(surveys.ME, _replace(b"ins2014", b"insec2014"))
    with pytest.raises(DataError, match=r"row header: required column missing.*ins2014"):
        pipeline.compute(["_envipe_mexicoevalua"], acquire=False)


def test_api_unknown_state_name(tampered):
    tampered(surveys.API, _replace("2011,86471.22870952847,Nuevo León,19".encode(),
                                   b"2011,86471.22870952847,Nuevo Leon del Norte,19"))
    with pytest.raises(DataError, match=r"envipe_insecurity_state_api_2011_2025, row \d+: unknown state"):
        pipeline.compute(["_envipe_api"], acquire=False)


def test_api_duplicated_key(tampered):
    def dup(b):
        lines = b.split(b"\n")
        return b"\n".join(lines[:2] + [lines[1]] + lines[2:])
    tampered(surveys.API, dup)
    with pytest.raises(DataError, match=r"row 3: duplicated key \['state_code', 'edition'\]"):
        pipeline.compute(["_envipe_api"], acquire=False)


def test_api_missing_area(tampered):
    tampered(surveys.API, lambda b: re.sub(rb"\n2013,[^\n]*,Nuevo Le\xc3\xb3n,19", b"", b))
    with pytest.raises(DataError, match=r"edition 2013: expected 33 areas.*missing \['19'\]"):
        pipeline.compute(["_envipe_api"], acquire=False)


def test_wjp_arrow_disagrees(tampered):
    tampered("wjp_iedmx_2019_state_overall", _replace("7,Nuevo León,0.43,3 ↑".encode(),
                                                      "7,Nuevo León,0.43,3 ↓".encode()))
    with pytest.raises(DataError, match=r"wjp_iedmx_2019_state_overall, row 8: arrow of Cambio Posición"):
        pipeline.compute(["wjp_state"], acquire=False)


def test_wjp_duplicated_state(tampered):
    tampered("wjp_iedmx_2023_state_overall", _replace("12,Tamaulipas", "12,Nuevo León"))
    with pytest.raises(DataError, match=r"wjp_iedmx_2023_state_overall, row 13: duplicated key \['state_co"):
        pipeline.compute(["wjp_state"], acquire=False)


def test_wjp_unknown_state(tampered):
    tampered("wjp_iedmx_2023_state_overall", _replace(b"Zacatecas", b"Zacatecaz"))
    with pytest.raises(DataError, match=r"wjp_iedmx_2023_state_overall, row 16: unknown state name"):
        pipeline.compute(["wjp_state"], acquire=False)
