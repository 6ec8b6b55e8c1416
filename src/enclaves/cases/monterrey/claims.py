"""The evaluators of Monterrey's claims M1, M2 and M3 and the evidence each computes.

Every verdict follows from the explicit thresholds of :mod:`.case`, never typed by hand.
"""

from __future__ import annotations

import pandas as pd

from ... import claims, series, stats
from ...values import span
from .case import (
    CI_LEVEL,
    CODE,
    CRIME_LABELS,
    FALL_RATIO,
    GRADIENT_RHO,
    M1_AFTER,
    M1_NEW,
    M1_PEAK,
    M1_PRE,
    M2_CRIMES,
    M2_END,
    M2_PEAK_YEARS,
    M3_BASE,
    M3_POOR_MAX_RANK,
    M3_POST,
    M3_POST_LONG,
    M3_RICH_MIN_RANK,
    MIN_COUNT,
    NATION,
    REST_LABEL,
    RISE_RATIO,
    SAN_PEDRO,
    STATE_NAME,
    WORKING_CLASS_SUBURBS,
)
from .series import (
    _homicides_annual,
    city_crimes,
    classify_change,
    group_ratio,
    marginalisation_rho,
    metro_change,
    metro_codes,
    mun_annual,
    period_counts,
    rate_ratio,
    ratio_of_ratios_ci,
    state_crime_rates,
)

#: The verdict rules in plain words, fixed with the evaluators (the chapter and the claims ledger show them).
RULES = {
    "M1": (f"Supported if Nuevo León's kidnapping rate in {span(M1_AFTER)} is at most {FALL_RATIO:.2f} times its "
           f"{span(M1_PEAK)} rate with the {CI_LEVEL}% interval of the ratio below one, fell relative to the "
           f"rest of Mexico (the interval of that ratio of ratios below one) and is back at or below its "
           f"{span(M1_PRE)} rate; partly supported if it fell both on its own and relative to the rest of "
           f"Mexico but not all of this holds; not supported otherwise; cannot be tested with fewer than "
           f"{MIN_COUNT} kidnappings in either period."),
    "M2": (f"Each measure (homicide in Monterrey and in the rest of the metro from death records; homicide, "
           f"kidnapping, extortion and vehicle theft in Monterrey from the prosecutors' files) compares {M2_END} "
           f"with the worse of {M2_PEAK_YEARS[0]} and {M2_PEAK_YEARS[1]}, and fell if the later rate is at most "
           f"{FALL_RATIO:.2f} times the earlier with the {CI_LEVEL}% interval of the ratio below one. Supported if "
           "every measure fell; partly supported if at least half did; not supported otherwise."),
    "M3": (f"Homicide rates of {span(M3_POST)} against {span(M3_BASE)}, in three parts: crime came back (the "
           f"metro's ratio at least {RISE_RATIO:.2f} with its {CI_LEVEL}% interval above one); above all in "
           f"working-class suburbs (a rank correlation of at least {GRADIENT_RHO:.1f} between the nine "
           "municipalities' marginalisation and their rise); wealthy areas stayed safe (San Pedro Garza García's "
           "later rate the lowest or second lowest of the nine and below the national rate). Supported if all "
           "three hold; partly supported if crime came back but the other two do not both hold; not supported "
           "if it did not come back."),
}

# ---------------------------------------------------------------------------------------------
# M1: kidnapping in Nuevo León
# ---------------------------------------------------------------------------------------------


def m1_numbers() -> dict:
    """Kidnapping (SESNSP old instrument, incidents) in Nuevo León vs the rest of Mexico."""
    d = state_crime_rates(("secuestro",))
    d = d[(d["series"] == "sesnsp_old") & (d["unit"] == "incidents")]

    def tot(area, years):
        x = d[(d["area"] == area) & d["year"].between(*years)]
        return float(x["value"].sum()), float(x["population"].sum()), int(x["year"].nunique())

    k_pk, n_pk, y_pk = tot(STATE_NAME, M1_PEAK)
    k_af, n_af, y_af = tot(STATE_NAME, M1_AFTER)
    k_pre, n_pre, y_pre = tot(STATE_NAME, M1_PRE)
    r_pk, rn_pk, _ = tot(REST_LABEL, M1_PEAK)
    r_af, rn_af, _ = tot(REST_LABEL, M1_AFTER)
    nl = rate_ratio(k_af, n_af, k_pk, n_pk)
    rest = rate_ratio(r_af, rn_af, r_pk, rn_pk)
    rr = ratio_of_ratios_ci(k_af, k_pk, r_af, r_pk, (n_af, n_pk), (rn_af, rn_pk))
    vs_pre = rate_ratio(k_af, n_af, k_pre, n_pre)
    new = state_crime_rates(("secuestro",))
    d_new = new[(new["series"] == "sesnsp_new") & (new["unit"] == "incidents") & (new["area"] == STATE_NAME)]
    partial = int(d[(d["area"] == REST_LABEL) & d["year"].between(M1_PEAK[0], M1_AFTER[1])]["states_partial"].sum())
    return {
        "nl_peak_count": k_pk, "nl_after_count": k_af, "nl_pre_count": k_pre,
        "nl_peak_per_year": k_pk / y_pk, "nl_after_per_year": k_af / y_af, "nl_pre_per_year": k_pre / y_pre,
        "nl_peak_rate": stats.per_100k(k_pk, n_pk), "nl_after_rate": stats.per_100k(k_af, n_af),
        "nl_pre_rate": stats.per_100k(k_pre, n_pre),
        "nl_ratio": nl[0], "nl_ratio_low": nl[1], "nl_ratio_high": nl[2],
        "rest_ratio": rest[0], "rest_ratio_low": rest[1], "rest_ratio_high": rest[2],
        "rest_peak_rate": stats.per_100k(r_pk, rn_pk), "rest_after_rate": stats.per_100k(r_af, rn_af),
        "rr": rr[0], "rr_low": rr[1], "rr_high": rr[2],
        "vs_pre": vs_pre[0], "vs_pre_low": vs_pre[1], "vs_pre_high": vs_pre[2],
        "nl_new_2015_2019_per_year": float(d_new[d_new["year"].between(*M1_NEW)]["value"].mean()),
        "rest_states_partial": partial,
    }


@claims.evaluator("M1", rule=RULES["M1"])
def evaluate_m1() -> claims.Verdict:
    """M1 — the business-backed reform cut kidnapping.

    Rule: *supported* if Nuevo León's kidnapping rate in 2013–2014 is at most 0.8 times its
    2011–2012 rate with a 95% interval below 1, it fell relative to the rest of Mexico (interval of
    the ratio of ratios below 1) and it is back at or below its pre-reform (2008–2010) rate;
    *partly supported* if the point estimates fall both in absolute terms and relative to the rest
    of Mexico but not all of the above hold; *not supported* otherwise; *cannot be tested* with
    fewer than MIN_COUNT kidnappings in either period.
    """
    n = m1_numbers()
    if min(n["nl_peak_count"], n["nl_after_count"]) < MIN_COUNT:
        verdict = "cannot be tested with these data"
    elif (n["nl_ratio"] <= FALL_RATIO and n["nl_ratio_high"] < 1 and n["rr_high"] < 1 and n["vs_pre"] <= 1):
        verdict = "supported"
    elif n["nl_ratio"] < 1 and n["rr"] < 1:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    ev = (f"Reported kidnappings in Nuevo León fell from {n['nl_peak_per_year']:.0f} a year in 2011–2012 to "
          f"{n['nl_after_per_year']:.0f} in 2013–2014 (rate ratio {n['nl_ratio']:.2f}, 95% interval "
          f"{n['nl_ratio_low']:.2f}–{n['nl_ratio_high']:.2f}) while the rest of Mexico rose (ratio "
          f"{n['rest_ratio']:.2f}); but the counts are small and stayed above the pre-reform level of "
          f"{n['nl_pre_per_year']:.0f} a year.")
    return claims.Verdict("M1", verdict, float(n["nl_ratio"]),
                          "Rate ratio of reported kidnappings in Nuevo León, 2013–2014 vs 2011–2012", ev, n)


# ---------------------------------------------------------------------------------------------
# M2: crime across Monterrey, peak of 2011–2012 against 2015
# ---------------------------------------------------------------------------------------------


def _peak_to_end(counts: pd.DataFrame, label: str, source: str) -> dict:
    """One measure of M2 from yearly ``homicides``, ``population`` and ``homicide_rate`` (indexed by year):
    the year of M2_PEAK_YEARS with the higher rate against M2_END."""
    pk = max(M2_PEAK_YEARS, key=lambda y: counts.loc[y, "homicide_rate"])
    est, lo, hi = rate_ratio(counts.loc[M2_END, "homicides"], counts.loc[M2_END, "population"],
                             counts.loc[pk, "homicides"], counts.loc[pk, "population"])
    return {"measure": label, "source": source, "peak_year": pk, "peak": float(counts.loc[pk, "homicides"]),
            "end": float(counts.loc[M2_END, "homicides"]), "ratio": est, "low": lo, "high": hi}


def m2_measures() -> pd.DataFrame:
    """Each crime measure for Monterrey: peak year in 2011–2012, its value, 2015's value, the ratio
    with its exact interval and the classification (fell / rose / no clear change)."""
    h = _homicides_annual()
    sub = h[h["mun_code"].isin(metro_codes(include_case=False))].groupby("year")[["homicides", "population"]].sum()
    sub["homicide_rate"] = sub["homicides"] / sub["population"]
    rows = [_peak_to_end(mun_annual(CODE), "Homicides (INEGI death records), Monterrey", "INEGI"),
            _peak_to_end(sub, "Homicides (INEGI), the eight other metro municipalities", "INEGI")]
    cc = city_crimes([CODE]).set_index(["crime", "year"])["value"]
    for crime in M2_CRIMES:
        pk3 = max(M2_PEAK_YEARS, key=lambda y, c=crime: cc.loc[(c, y)])
        k1, k0 = float(cc.loc[(crime, M2_END)]), float(cc.loc[(crime, pk3)])
        est, lo, hi = rate_ratio(k1, 1.0, k0, 1.0)
        rows.append({"measure": f"{CRIME_LABELS[crime]} (SESNSP files opened), Monterrey", "source": "SESNSP",
                     "peak_year": pk3, "peak": k0, "end": k1, "ratio": est, "low": lo, "high": hi})
    d = pd.DataFrame(rows)
    d["change_pct"] = (d["ratio"] - 1) * 100
    d["result"] = [classify_change(e, lo, hi) for e, lo, hi in zip(d["ratio"], d["low"], d["high"], strict=True)]
    return d


@claims.evaluator("M2", rule=RULES["M2"])
def evaluate_m2() -> claims.Verdict:
    """M2 — crime fell across Monterrey after the reform.

    Each measure (homicide in Monterrey and in the rest of the metro from death records; SESNSP
    homicide, kidnapping, extortion and vehicle theft in Monterrey) compares 2015 with the higher of
    2011 and 2012 and is classified by :func:`classify_change`. Rule: *supported* if every measure
    fell; *partly supported* if at least half fell; *not supported* otherwise.
    """
    d = m2_measures()
    fell = int((d["result"] == "fell").sum())
    rose = d.loc[d["result"] == "rose", "measure"].tolist()
    if fell == len(d):
        verdict = "supported"
    elif fell >= len(d) / 2:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    hom = d.iloc[0]
    ext = d[d["measure"].str.startswith("Extortion")].iloc[0]
    kid = d[d["measure"].str.startswith("Kidnapping")].iloc[0]
    ev = (f"{fell} of {len(d)} measures fell by the rule; Monterrey's homicides fell "
          f"{-hom['change_pct']:.0f}% from {hom['peak_year']} to 2015, but reported extortion rose "
          f"from {ext['peak']:.0f} to {ext['end']:.0f} cases.")
    numbers = {"fell": fell, "n_measures": len(d), "rose": rose,
               "hom_change_pct": float(hom["change_pct"]), "hom_peak_year": int(hom["peak_year"]),
               "hom_peak": float(hom["peak"]), "hom_end": float(hom["end"]),
               "ext_peak": float(ext["peak"]), "ext_end": float(ext["end"]), "ext_ratio": float(ext["ratio"]),
               "ext_low": float(ext["low"]), "kid_peak": float(kid["peak"]), "kid_end": float(kid["end"]),
               "kid_ratio": float(kid["ratio"]), "kid_high": float(kid["high"])}
    for i, r in d.iterrows():
        numbers[f"m{i}_change_pct"] = float(r["change_pct"])
    return claims.Verdict("M2", verdict, float(hom["change_pct"]),
                          "Change in Monterrey's homicide rate from its 2011–2012 peak to 2015 (%)", ev, numbers)


# ---------------------------------------------------------------------------------------------
# M3: the metro after 2015, ranked by marginalisation
# ---------------------------------------------------------------------------------------------


def m3_numbers() -> dict:
    """Evidence for M3: the metro's rate ratio, the marginalisation gradient, groups and San Pedro."""
    d = metro_change()
    k0, n0 = period_counts(metro_codes(), M3_BASE)
    k1, n1 = period_counts(metro_codes(), M3_POST)
    metro = rate_ratio(k1, n1, k0, n0)
    poor = d[d["metro_rank"] <= M3_POOR_MAX_RANK]["mun_code"].tolist()
    rich = d[d["metro_rank"] >= M3_RICH_MIN_RANK]["mun_code"].tolist()
    gp, gr, gn = (group_ratio(x, M3_BASE, M3_POST) for x in (poor, rich, list(WORKING_CLASS_SUBURBS)))
    sp = d[d["mun_code"] == SAN_PEDRO].iloc[0]
    post_rates = d.set_index("mun_code")["post_rate"]
    nat = series.state_homicide_rates([NATION])
    nat = nat[nat["year"].between(*M3_POST)]
    nat_rate = float(stats.per_100k(nat["homicides"].sum(), nat["population"].sum()))
    return {
        "metro_ratio": metro[0], "metro_low": metro[1], "metro_high": metro[2],
        "metro_base_rate": stats.per_100k(k0, n0), "metro_post_rate": stats.per_100k(k1, n1),
        "rho_ratio": marginalisation_rho(d), "rho_change": marginalisation_rho(d, "change"),
        "poor_ratio": gp[0], "poor_low": gp[1], "poor_high": gp[2],
        "rich_ratio": gr[0], "rich_low": gr[1], "rich_high": gr[2],
        "named_ratio": gn[0], "named_low": gn[1], "named_high": gn[2],
        "sp_base_count": int(sp["base_homicides"]), "sp_post_count": int(sp["post_homicides"]),
        "sp_base_rate": float(sp["base_rate"]), "sp_post_rate": float(sp["post_rate"]),
        "sp_ratio": float(sp["ratio"]), "sp_low": float(sp["ratio_low"]), "sp_high": float(sp["ratio_high"]),
        "sp_post_rank": int((post_rates < post_rates[SAN_PEDRO]).sum() + 1),
        "nat_post_rate": nat_rate,
        "max_ratio_area": str(d.loc[d["ratio"].idxmax(), "area"]), "max_ratio": float(d["ratio"].max()),
        "min_ratio_area": str(d.loc[d["ratio"].idxmin(), "area"]), "min_ratio": float(d["ratio"].min()),
        "rho_ratio_long": marginalisation_rho(metro_change(M3_BASE, M3_POST_LONG)),
    }


@claims.evaluator("M3", rule=RULES["M3"])
def evaluate_m3() -> claims.Verdict:
    """M3 — after late 2015 crime came back, above all in working-class suburbs, while wealthy areas
    stayed safe.

    Three parts, with homicide rates 2016–2019 against 2014–2015:
    (a) *came back*: the metro's rate ratio ≥ RISE_RATIO with its interval above 1;
    (b) *above all in working-class suburbs*: Spearman correlation between marginalisation and the
    rise (rate ratio) ≥ GRADIENT_RHO across the nine municipalities;
    (c) *wealthy areas stayed safe*: San Pedro Garza García's post-2015 rate is the lowest or second
    lowest of the nine and below the national rate.
    Rule: *supported* if (a), (b) and (c); *partly supported* if (a) but not both (b) and (c);
    *not supported* if not (a).
    """
    n = m3_numbers()
    came_back = n["metro_ratio"] >= RISE_RATIO and n["metro_low"] > 1
    gradient = n["rho_ratio"] >= GRADIENT_RHO
    rich_safe = n["sp_post_rank"] <= 2 and n["sp_post_rate"] < n["nat_post_rate"]
    if came_back and gradient and rich_safe:
        verdict = "supported"
    elif came_back:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    n.update({"came_back": came_back, "gradient": gradient, "rich_safe": rich_safe})
    ev = (f"The metro's homicide rate rose by a factor of {n['metro_ratio']:.2f} (2016–2019 vs 2014–2015), "
          f"but the rise was not concentrated in the more marginalised municipalities (rank correlation "
          f"{n['rho_ratio']:.2f}); wealthy San Pedro stayed among the safest but its count also rose, "
          f"from {n['sp_base_count']} to {n['sp_post_count']} homicides.")
    return claims.Verdict("M3", verdict, float(n["metro_ratio"]),
                          "Rate ratio of homicides in metropolitan Monterrey, 2016–2019 vs 2014–2015", ev, n)
