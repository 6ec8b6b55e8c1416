"""Surveys: INEGI's ENVIPE (victimisation, crime incidence, perceived insecurity, cifra negra,
causes of non-reporting) by state, and the World Justice Project's rule-of-law index by state.

Year basis. ENVIPE edition *t* is fielded in March–April of *t*. Victimisation, incidence,
cifra negra, the causes of non-reporting and the number of crimes refer to calendar year *t−1*
(``year = edition − 1``); perceived insecurity is measured at fieldwork (``year = edition``).
Every row keeps its ``edition`` so both readings stay visible.

Two insecurity series. México Evalúa's compilation of the 2011–2014 editions carries the
press-release percentages (``insecurity_pct``); INEGI's indicator 6204327085 (editions
2011–2025) runs 2–3 points higher for the same editions, so it is kept as a separate indicator
(``insecurity_api``, ``valor / 1000`` = percent) and the two are never spliced.

Precision. The INEGI workbooks store unrounded estimates and print them with their cell's
number format (``0.0`` for percentages). We keep what INEGI prints: each relative cell is
rounded half-up to the decimals of its own number format; nothing is recomputed (the
absolutes only serve to check each printed percentage). México Evalúa's file carries
unrounded values; they are rounded as INEGI prints them in the ENVIPE releases (rates per
100,000 to whole numbers, percentages to one decimal). The indicator-bank series (per 100,000)
is divided by 1,000 and kept to two decimals of a percent, rounded once from the raw value.

Tables in the INEGI workbooks are found by their title, never by sheet number: the cuadro
numbers move between editions. Every sheet whose title concerns cifra negra or
non-reporting by state must be one we know (the two we read, or the by-sex, three-crimes and
general/specific-causes variants we skip); anything else is a DataError.

Not parsed: ``envipe_2011_caracteristicas_victimas`` (ENVIPE 2011, section III) is a
cross-check only. It has no state cifra-negra or non-reporting table, and its crimes by state
are tabulated by state of residence, not of occurrence, so the cifra-negra series starts with
the 2012 edition.
"""

from __future__ import annotations

import pandas as pd

from ...errors import DataError
from .. import readers
from ..core import step
from .common import check_areas, round_half_up, strip_footnote
from .contracts import API, API_EDITIONS, AREAS, DENUNCIA, DENUNCIA_EDITIONS, FAMILY, INDICATORS, ME, ME_EDITIONS, WJP
from .envipe import read_api, read_mexicoevalua
from .tabulados import read_denuncia
from .wjp import parse_rank_change, read_wjp
from .wjp_derived import associations

__all__ = ["API", "AREAS", "DENUNCIA", "FAMILY", "INDICATORS", "ME", "SPOT_API", "SPOT_DENUNCIA", "SPOT_ME",
           "SPOT_WJP", "WJP", "envipe_api", "envipe_denuncia", "envipe_mexicoevalua", "envipe_state",
           "parse_rank_change", "read_api", "read_denuncia", "read_mexicoevalua", "read_wjp", "round_half_up",
           "strip_footnote", "wjp_state", "wjp_state_associations"]


# ------------------------------------------------------------------ spot values (raw READMEs) and steps

SPOT_ME = {
    ("victimization_prevalence_per_100k", "00", 2014): 28224.0,
    ("crime_incidence_per_100k", "00", 2014): 41563.0,
    ("crime_incidence_per_100k", "15", 2014): 93003.0,
    **{("insecurity_pct", "00", e): v for e, v in zip(ME_EDITIONS, (69.5, 66.6, 72.3, 73.3), strict=True)},
    **{("insecurity_pct", "19", e): v for e, v in zip(ME_EDITIONS, (84.5, 86.7, 80.2, 73.0), strict=True)},
    **{("insecurity_pct", "16", e): v for e, v in zip(ME_EDITIONS, (76.0, 76.0, 80.3, 82.0), strict=True)},
    **{("insecurity_pct", "15", e): v for e, v in zip(ME_EDITIONS, (83.9, 84.6, 90.7, 92.6), strict=True)},
}
SPOT_API = {("00", 2011): 71.94, ("00", 2014): 76.27, ("00", 2018): 82.10, ("00", 2025): 79.43,
            ("19", 2011): 86.47, ("19", 2018): 79.32, ("19", 2025): 74.17,
            ("16", 2011): 77.71, ("16", 2018): 84.21, ("16", 2025): 82.36,
            ("15", 2011): 84.78, ("15", 2018): 92.62, ("15", 2025): 89.26}
_SPOT_EDITIONS = (2012, 2013, 2019, 2024, 2025)
SPOT_DENUNCIA = {
    **{("cifra_negra_pct", code, e): v for code, vals in (
        ("00", (91.6, 92.1, 93.2, 92.9, 93.2)), ("16", (92.0, 94.0, 92.8, 89.8, 93.6)),
        ("19", (94.0, 93.2, 91.6, 91.9, 92.7)), ("15", (91.8, 93.4, 93.6, 92.9, 94.3)))
       for e, v in zip(_SPOT_EDITIONS, vals, strict=True)},
    **{("authority_causes_pct", "00", e): v
       for e, v in zip(_SPOT_EDITIONS, (63.2, 61.9, 63.2, 60.8, 63.0), strict=True)},
    ("crimes_total", "00", 2012): 22_602_305.0,
    ("crimes_total", "00", 2025): 33_450_221.0,
}


def _spot(df: pd.DataFrame, file: str, spots: dict) -> None:
    """spots: {(indicator, state_code, edition): expected}."""
    v = df.set_index(["indicator", "state_code", "edition"])["value"]
    for (ind, code, ed), expected in spots.items():
        got = v.get((ind, code, ed))
        got = None if got is None else round(float(got), 3)
        readers.expect_equal(got, expected, file, f"{ind}, state {code}, edition {ed}")


@step(sources=[ME], outputs=["_envipe_mexicoevalua"], family=FAMILY)
def envipe_mexicoevalua(inp):
    me = read_mexicoevalua(inp.raw(ME))
    _spot(me, ME, SPOT_ME)
    return {"_envipe_mexicoevalua": me[["state_code", "indicator", "edition", "value", "source"]]}


@step(sources=[API], outputs=["_envipe_api"], family=FAMILY)
def envipe_api(inp):
    api = read_api(inp.raw(API))
    a = api.set_index(["state_code", "edition"])["value"]
    for (code, e), v in SPOT_API.items():
        readers.expect_equal(float(a[(code, e)]), v, API, f"insecurity (valor/1000), {code}, {e}")
    return {"_envipe_api": api[["state_code", "indicator", "edition", "value", "source"]]}


@step(sources=list(DENUNCIA.values()), outputs=["_envipe_denuncia"], family=FAMILY)
def envipe_denuncia(inp):
    den = pd.concat([read_denuncia(inp.raw(sid), e, sid) for e, sid in DENUNCIA.items()], ignore_index=True)
    for (ind, code, e), v in SPOT_DENUNCIA.items():
        _spot(den, DENUNCIA[e], {(ind, code, e): v})
    return {"_envipe_denuncia": den[["state_code", "indicator", "edition", "value", "source"]]}


@step(needs=["_envipe_mexicoevalua", "_envipe_api", "_envipe_denuncia"], outputs=["envipe_state"],
      family=FAMILY)
def envipe_state(inp):
    me, api, den = (inp.table(t) for t in ("_envipe_mexicoevalua", "_envipe_api", "_envipe_denuncia"))
    out = pd.concat([me, api, den], ignore_index=True)
    unknown = set(out["indicator"]) - set(INDICATORS)
    if unknown:
        raise DataError("envipe_state", "indicator outside the allow-list", detail=str(sorted(unknown)))
    out["unit"] = out["indicator"].map(lambda k: INDICATORS[k][0])
    out["edition"] = out["edition"].astype(int)
    out["year"] = out["edition"] - out["indicator"].map(lambda k: INDICATORS[k][1])
    for (ind, e), g in out.groupby(["indicator", "edition"]):
        check_areas(g, str(g["source"].iloc[0]), f"{ind}, edition {e}")
    expected_editions = {"victimization_prevalence_per_100k": set(ME_EDITIONS),
                         "crime_incidence_per_100k": set(ME_EDITIONS), "insecurity_pct": set(ME_EDITIONS),
                         "insecurity_api": set(range(API_EDITIONS[0], API_EDITIONS[1] + 1)),
                         **{k: set(DENUNCIA_EDITIONS) for k in ("cifra_negra_pct", "authority_causes_pct",
                                                                "crimes_total")}}
    for ind, eds in expected_editions.items():
        got = set(out.loc[out.indicator == ind, "edition"])
        if got != eds:
            raise DataError("envipe_state", f"{ind}: editions differ from those expected",
                            detail=f"missing {sorted(eds - got)}, extra {sorted(got - eds)}")
    return {"envipe_state": out[["state_code", "year", "indicator", "value", "unit", "edition", "source"]]}


# ------------------------------------------------------------------ WJP

SPOT_WJP = {("19", 2019): (0.43, 7), ("19", 2023): (0.44, 11), ("16", 2019): (0.39, 18),
            ("16", 2023): (0.40, 22), ("15", 2019): (0.36, 27), ("15", 2023): (0.36, 29),
            ("22", 2023): (0.49, 1), ("23", 2023): (0.34, 32)}


@step(sources=list(WJP), outputs=["wjp_state"], family=FAMILY)
def wjp_state(inp):
    out = pd.concat([read_wjp(inp.raw(sid), sid) for sid in WJP], ignore_index=True)
    idx = out.set_index(["state_code", "edition"])
    file_of = {e: sid for sid, (e, _) in WJP.items()}
    for (code, e), (score, rank) in SPOT_WJP.items():
        got = (round(float(idx.loc[(code, e), "score"]), 2), int(idx.loc[(code, e), "rank"]))
        readers.expect_equal(got, (score, rank), file_of[e], f"score and rank of state {code}")
    return {"wjp_state": out}


@step(needs=["wjp_state", "homicides_state_annual"], outputs=["wjp_state_associations"], family=FAMILY)
def wjp_state_associations(inp):
    """Only statistics derived from the WJP scores are published (see :mod:`.wjp_derived`)."""
    return {"wjp_state_associations": associations(inp.table("wjp_state"), inp.table("homicides_state_annual"))}
