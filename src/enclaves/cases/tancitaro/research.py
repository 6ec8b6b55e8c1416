"""What researchers found about Tancítaro and the self-defence movement, beside the book's own numbers on the
closest terms the data allow: the published figures come from ``data/mappings/published_figures_tancitaro.csv``
(each with its source and locator), the book's from the processed tables."""

from __future__ import annotations

import pandas as pd

from ... import geo, stats
from ...data import load
from .. import generic
from .case import SLUG, STATE
from .series import aggregate, codes, michoacan_annual, rest_of_state

#: The self-defence town Merino and Zarkin leave out (only its villages were taken).
APATZINGAN = "16006"
#: Herrera's window: homicide after the movement, split in two halves.
HERRERA_EARLY, HERRERA_LATE = (2015, 2017), (2018, 2020)
#: The rival explanations' check: four years before the uprising against the four after it.
RIVAL_BEFORE, RIVAL_AFTER = (2010, 2013), (2014, 2017)
#: Ornelas's window (the book's avocado values start in 2003) and El Universal's.
EXTORTION_YEARS, TAKE_YEARS = (2003, 2013), (2009, 2013)


def published() -> pd.Series:
    """The published figures by key."""
    return generic.published_figures(SLUG).set_index("key")["value"].astype(float)


def files_rates_2012() -> pd.DataFrame:
    """The Tierra Caliente self-defence towns other than Apatzingán: homicide investigation files of 2012 (the
    municipal SESNSP table) per 100,000 (CONAPO population), one row each."""
    c = load("crime_municipal_annual")
    sd = [m for m in codes("self_defence") if m != APATZINGAN]
    c = c[(c["year"] == 2012) & c["mun_code"].isin(sd)].set_index("mun_code")["homicidio_doloso"].astype(float)
    h = michoacan_annual()
    pop = h[(h["year"] == 2012) & h["mun_code"].isin(sd)].set_index("mun_code")["population"]
    if len(c) != len(sd) or len(pop) != len(sd):
        raise KeyError("files_rates_2012: a self-defence town lacks 2012 files or population")
    d = pd.DataFrame({"files": c, "population": pop})
    d["rate"] = stats.per_100k(d["files"], d["population"])
    return d.assign(name=d.index.map(geo.mun_names())).reset_index()


def _before_after(sets: dict[str, pd.DataFrame], before: tuple[int, int], after: tuple[int, int]) -> dict:
    """For each named annual series, its pooled homicide rates over ``before`` and ``after`` and the exact ratio
    of after to before: ``{name}_before``, ``{name}_after``, ``{name}_ratio``, ``{name}_low``, ``{name}_high``."""
    out = {}
    for label, d in sets.items():
        a, b = stats.pooled_rate(d, *before), stats.pooled_rate(d, *after)
        r = stats.rate_ratio(b["deaths"], b["person_years"], a["deaths"], a["person_years"])
        out.update({f"{label}_before": a["rate"], f"{label}_after": b["rate"], f"{label}_ratio": r.rr,
                    f"{label}_low": r.low, f"{label}_high": r.high})
    return out


def herrera_rates() -> dict:
    """The self-defence towns and the rest of Michoacán (INEGI deaths) in the two halves of 2015-2020."""
    return _before_after({"sd": aggregate(codes("self_defence"), "Self-defence towns"), "rest": rest_of_state()},
                         HERRERA_EARLY, HERRERA_LATE)


def rival_check() -> dict:
    """Tancítaro and the rest of Michoacán in the four years before and after the uprising: what the statewide
    events of 2014-2015 (the federal commissioner, the Knights Templar's lost leaders) would have moved in both."""
    from .series import case_annual

    return _before_after({"tan": case_annual(), "rest": rest_of_state()}, RIVAL_BEFORE, RIVAL_AFTER)


def avocado_values() -> dict:
    """SIAP's farm-gate value of avocados: Michoacán's yearly mean over Ornelas's years (million pesos, current)
    and the nation's total over 2009-2013 in US dollars at each year's exchange rate implied by INEGI's export
    statistics (value in pesos over value in dollars)."""
    a = load("avocado_state_annual")
    m = a[(a["state_code"] == STATE) & a["year"].between(*EXTORTION_YEARS)]
    n = a[(a["state_code"] == geo.NATIONAL) & a["year"].between(*TAKE_YEARS)].set_index("year")["value_mxn"]
    e = load("avocado_exports")
    e = e[(e["destination_code"] == "ALL") & e["year"].between(*TAKE_YEARS)].set_index("year")
    fx = e["value_mxn"].astype(float) / e["value_usd"].astype(float)
    if len(m) != EXTORTION_YEARS[1] - EXTORTION_YEARS[0] + 1 or len(n) != len(fx) or n.index.difference(fx.index).size:
        raise KeyError("avocado_values: missing years")
    return {"mich_mean_mxn_m": float(m["value_mxn"].mean()) / 1e6,
            "national_usd_bn": float((n.astype(float) / fx).sum()) / 1e9}


def numbers() -> dict:
    """The published figures (``pub_*``) and the book's side (``res_*``), as glue values."""
    p = published()
    f = files_rates_2012()
    h = herrera_rates()
    v = avocado_values()
    r = rival_check()
    return {
        "res_rival_tan_before": r["tan_before"], "res_rival_tan_after": r["tan_after"],
        "res_rival_tan_ratio": r["tan_ratio"], "res_rival_tan_low": r["tan_low"], "res_rival_tan_high": r["tan_high"],
        "res_rival_rest_before": r["rest_before"], "res_rival_rest_after": r["rest_after"],
        "res_rival_rest_ratio": r["rest_ratio"], "res_rival_rest_low": r["rest_low"],
        "res_rival_rest_high": r["rest_high"],
        **generic.published_numbers(SLUG),
        "res_mz_book_mean": float(f["rate"].mean()), "res_mz_book_min": float(f["rate"].min()),
        "res_mz_book_max": float(f["rate"].max()), "res_mz_book_n": len(f),
        "res_mz_ratio": float(f["rate"].mean() / p["pub_mz_autodef_rate_2012"]),
        "res_sd_early": h["sd_before"], "res_sd_late": h["sd_after"], "res_sd_ratio": h["sd_ratio"],
        "res_sd_ratio_low": h["sd_low"], "res_sd_ratio_high": h["sd_high"],
        "res_rest_early": h["rest_before"], "res_rest_late": h["rest_after"], "res_rest_ratio": h["rest_ratio"],
        "res_rest_ratio_low": h["rest_low"], "res_rest_ratio_high": h["rest_high"],
        "res_mich_value_mean_bn": v["mich_mean_mxn_m"] / 1e3,
        "res_ornelas_share_low": 100 * p["pub_ornelas_low"] / v["mich_mean_mxn_m"],
        "res_ornelas_share_high": 100 * p["pub_ornelas_high"] / v["mich_mean_mxn_m"],
        "res_national_usd_bn": v["national_usd_bn"],
        "res_take_share": 100 * p["pub_insight_take_usd"] / (1e3 * v["national_usd_bn"]),
        "res_take_per_year": p["pub_insight_take_usd"] / (TAKE_YEARS[1] - TAKE_YEARS[0] + 1),
    }


def inspections_table() -> str:
    """The security incidents around export inspection (``timeline_tancitaro_inspections.csv``) as a table."""
    return generic.timeline_markdown(f"{SLUG}_inspections")
