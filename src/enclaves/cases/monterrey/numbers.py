"""Every value the Monterrey chapter glues: :func:`numbers` returns them as one dict of plain values.

Keys are written literally, grouped by the chapter's sections, so that a search for a glue key used in the
chapter finds the line where it is made. The claims' own values come from their evaluators
(:mod:`.claims`) through :func:`enclaves.claims.evaluate`.
"""

from __future__ import annotations

import pandas as pd

from ... import claims, geo, series, stats, values
from . import research
from .case import (
    CI_LEVEL,
    CMP_END,
    CMP_START,
    CODE,
    DONOR_LABEL,
    DONOR_MIN_POP_2010,
    FALL_RATIO,
    GRADIENT_RHO,
    ITS_END,
    ITS_FAKE_BREAK,
    ITS_START,
    JUAREZ,
    METRO_LABEL,
    NAME,
    NATIONAL_NAME,
    NEIGHBOUR_STATES,
    OTHER_METRO_LABEL,
    REST_LABEL,
    RISE_RATIO,
    SAN_PEDRO,
    SC_LAST,
    SC_START,
    SCAN_ALPHA,
    SINCE_POP_YEAR,
    SINCE_STATE_FROM,
    STATE,
    STATE_NAME,
)
from .series import (
    _table,
    area_rates,
    city_crime_codes,
    comparative_result,
    counterfactual,
    donor_codes,
    insecurity,
    its_fitted,
    its_run,
    its_scan,
    its_table,
    marginalisation_rho,
    metro_marginalisation,
    monthly_homicides,
    mun_annual,
    nl_monthly_kidnapping,
    since_rate,
    since_ratio,
    since_then,
    state_crime_rates,
    state_since,
    takeover_donors,
)


def numbers() -> dict:
    """The chapter's glued values, ``{key: plain value}`` (bools are glued as the strings "True"/"False",
    as the chapter always has)."""
    parts = (_context(), _synthetic_control(), _interrupted_time_series(), _claims(), _since_then(), _comparative(),
             research.numbers())
    out: dict = {}
    for part in parts:
        twice = set(out) & set(part)
        if twice:
            raise KeyError(f"glue keys made twice: {sorted(twice)}")
        out.update(part)
    return {k: values.plain(v) for k, v in out.items()}


def _rate(a: pd.DataFrame, area: str, year: int) -> float:
    return series.value_in(a[a["area"] == area], year)


def _pooled(a: pd.DataFrame, area: str, years: tuple[int, int]) -> float:
    return stats.pooled_rate(a[a["area"] == area], *years)["rate"]


def _context() -> dict:
    """Overview, timeline, before, break, after, costs and limits: the descriptive numbers."""
    a = area_rates(2000)
    nat, nl = NATIONAL_NAME, STATE_NAME
    mty = mun_annual(CODE)
    mon = monthly_homicides([CODE])
    m11 = mon[mon["year"] == 2011]
    peak_row = m11.loc[m11["homicides"].idxmax()]
    rank = metro_marginalisation().set_index("mun_code")["rank_national"]
    allm = _table("marginalization_municipal")
    k = state_crime_rates(("secuestro", "extorsion"))
    k = k[(k["series"] == "sesnsp_old") & (k["unit"] == "incidents")].set_index(["area", "crime", "year"]).sort_index()
    ins = insecurity().set_index(["area", "year"])["value"]
    env = _table("envipe_state")
    cifra = env[(env["indicator"] == "cifra_negra_pct") & (env["state_code"] == STATE)].set_index("year")["value"]
    kid = nl_monthly_kidnapping()
    kid_old = kid[(kid["series"] == "sesnsp_old") & (kid["unit"] == "incidents")]
    feb16 = int(mon.loc[(mon["year"] == 2016) & (mon["month"] == 2), "homicides"].iloc[0])
    mon16 = mon[(mon["year"] == 2016) & (mon["month"] != 2)]
    return {
        # Overview
        "mty_pop_2015_m": float(mty.loc[2015, "population"]) / 1e6,
        "ci_level": CI_LEVEL,
        # Timeline
        "mty_rate_0006": _pooled(a, NAME, (2000, 2006)), "nl_rate_0006": _pooled(a, nl, (2000, 2006)),
        "nat_rate_0006": _pooled(a, nat, (2000, 2006)),
        "mty_rate_2009": _rate(a, NAME, 2009), "mty_rate_2011": _rate(a, NAME, 2011),
        "mty_rate_2014": _rate(a, NAME, 2014), "mty_rate_2015": _rate(a, NAME, 2015),
        "mty_rate_2019": _rate(a, NAME, 2019), "mty_rate_2021": _rate(a, NAME, 2021),
        "nl_rate_2011": _rate(a, nl, 2011), "nl_rate_2015": _rate(a, nl, 2015), "nl_rate_2019": _rate(a, nl, 2019),
        "nat_rate_2011": _rate(a, nat, 2011), "nat_rate_2015": _rate(a, nat, 2015),
        "nat_rate_2019": _rate(a, nat, 2019),
        "mty_to_nat_2011": _rate(a, NAME, 2011) / _rate(a, nat, 2011),
        # Before: the war arrives
        "mty_hom_2009": int(mty.loc[2009, "homicides"]), "mty_hom_2010": int(mty.loc[2010, "homicides"]),
        "mty_hom_2011": int(mty.loc[2011, "homicides"]),
        "peak_month_count": int(peak_row["homicides"]),
        "peak_month_name": pd.Timestamp(year=2011, month=int(peak_row["month"]), day=1).strftime("%B"),
        "metro_rate_2009": _rate(a, METRO_LABEL, 2009), "metro_rate_2011": _rate(a, METRO_LABEL, 2011),
        # Before: a rich city, a rich metro
        "mty_marg_rank": int(rank[CODE]), "sp_marg_rank": int(rank[SAN_PEDRO]),
        "juarez_marg_rank": int(rank[JUAREZ]), "n_mun_2015": int((allm["year"] == 2015).sum()),
        # The break: kidnapping and extortion reported in Nuevo León
        "kid_month_max": int(kid_old["value"].max()),
        "kid_share_le2": float((kid_old["value"] <= 2).mean() * 100),
        "nl_kid_2007": float(k.loc[(nl, "secuestro", 2007), "value"]),
        "nl_kid_2012": float(k.loc[(nl, "secuestro", 2012), "value"]),
        "tam_kid_rate_2014": float(k.loc[(NEIGHBOUR_STATES["28"], "secuestro", 2014), "rate"]),
        "nl_ext_2011": float(k.loc[(nl, "extorsion", 2011), "value"]),
        "nl_ext_2014": float(k.loc[(nl, "extorsion", 2014), "value"]),
        "nl_ext_rate_2014": float(k.loc[(nl, "extorsion", 2014), "rate"]),
        "rest_ext_rate_2011": float(k.loc[(REST_LABEL, "extorsion", 2011), "rate"]),
        "rest_ext_rate_2014": float(k.loc[(REST_LABEL, "extorsion", 2014), "rate"]),
        # After: crime in the city; homicide across the metro; how safe people felt
        "n_cities": int(_table("crime_municipal_monthly")["mun_code"].nunique()),
        "n_city_metro": len(city_crime_codes()),
        "metro_rate_2015": _rate(a, METRO_LABEL, 2015), "metro_rate_2019": _rate(a, METRO_LABEL, 2019),
        "nl_insec_2012": float(ins[(nl, 2012)]), "nl_insec_2015": float(ins[(nl, 2015)]),
        "nl_insec_2019": float(ins[(nl, 2019)]), "nat_insec_2012": float(ins[(nat, 2012)]),
        "nat_insec_2015": float(ins[(nat, 2015)]), "nat_insec_2019": float(ins[(nat, 2019)]),
        # Counterfactual (interrupted time series): the Topo Chico riot and the national surge
        "feb2016": feb16, "mean_2016_other": float(mon16["homicides"].mean()),
        "nl_growth_15_19": _rate(a, nl, 2019) / _rate(a, nl, 2015),
        "nat_growth_15_19": _rate(a, nat, 2019) / _rate(a, nat, 2015),
        "mty_growth_15_19": _rate(a, NAME, 2019) / _rate(a, NAME, 2015),
        # Costs and fragility
        "mty_hom_2015": int(mty.loc[2015, "homicides"]), "mty_hom_2019": int(mty.loc[2019, "homicides"]),
        # What the data cannot tell us
        "nl_cifra_2011": float(cifra[2011]), "nl_cifra_2015": float(cifra[2015]),
    }


def _synthetic_control() -> dict:
    """Counterfactual, the reform: the synthetic control and its checks (prefix sc_)."""
    c = counterfactual()
    m, a, nb, pit, loo = c.main, c.variants["alt_start"], c.variants["no_neighbours"], c.placebo_time, c.leave_one_out
    clean, takeovers = c.variants["no_takeovers"], takeover_donors()
    w = m.top_weights(0.01)
    names = [geo.mun_names()[code] for code in w.index]
    post = m.gap[m.gap.index >= SC_START]
    gap_2015 = float(post.loc[SC_LAST])
    return {
        "sc_n_donors": len(c.donors), "sc_min_pop": DONOR_MIN_POP_2010,
        "sc_top1_name": names[0], "sc_top1_weight": float(w.iloc[0]),
        "sc_top2_name": names[1] if len(names) > 1 else "",
        "sc_top2_weight": float(w.iloc[1]) if len(w) > 1 else 0.0, "sc_n_weights": len(w),
        "sc_actual_2011": float(m.actual.loc[2011]), "sc_synth_2011": float(m.synthetic.loc[2011]),
        "sc_actual_2015": float(m.actual.loc[SC_LAST]), "sc_synth_2015": float(m.synthetic.loc[SC_LAST]),
        "sc_pre_rmspe": m.pre_rmspe, "sc_post_rmspe": m.post_rmspe, "sc_ratio": m.ratio,
        "sc_median_placebo_pre_rmspe": float(m.placebo["pre_rmspe"].median()),
        "sc_att": m.att, "sc_att_abs": abs(m.att), "sc_att_dir": "above" if m.att > 0 else "below",
        "sc_gap_2012": float(post.loc[SC_START]), "sc_gap_2015": gap_2015, "sc_gap_2015_abs": abs(gap_2015),
        "sc_gap_2015_dir": "below" if gap_2015 < 0 else "above",
        # the placebo test
        "sc_p_value": m.p_value, "sc_n_placebos": len(m.placebo), "sc_n_units": len(m.placebo) + 1,
        "sc_rank": int((m.placebo["ratio"] >= m.ratio).sum() + 1),
        # the checks: timing, placebo in time, donor pool
        "sc_alt_att": a.att, "sc_alt_pre_rmspe": a.pre_rmspe, "sc_alt_ratio": a.ratio,
        "sc_alt_gap_2011": float(a.gap.loc[2011]),
        "sc_pit_att": pit.att, "sc_pit_pre_rmspe": pit.pre_rmspe, "sc_pit_ratio": pit.ratio,
        "sc_nb_att": nb.att, "sc_nb_ratio": nb.ratio, "sc_nb_pre_rmspe": nb.pre_rmspe,
        "sc_nb_n": len(donor_codes(exclude_neighbours=True)),
        # without donor cities whose police was taken over (sourced table of treated units)
        "sc_to_n": len(takeovers), "sc_to_names": ", ".join(geo.mun_names()[x] for x in takeovers),
        "sc_to_weight": float(m.weights.reindex(takeovers).fillna(0).sum()),
        "sc_clean_n": len(clean.weights), "sc_clean_att": clean.att, "sc_clean_p": clean.p_value,
        "sc_clean_pre_rmspe": clean.pre_rmspe,
        "sc_loo_min": float(loo["att"].min()), "sc_loo_max": float(loo["att"].max()),
    }


def _interrupted_time_series() -> dict:
    """Counterfactual, the change of governor: the main ITS, its sensitivity runs (in the order of
    :func:`.series.its_table`) and a placebo date (prefix its_)."""
    main, nofeb, precovid, longpre, suburbs, metro = its_table().to_dict("records")
    includes_1 = main["level_low"] <= 1 <= main["level_high"] and main["trend_low"] <= 1 <= main["trend_high"]
    fake = its_run([CODE], ITS_START, ITS_END, at=ITS_FAKE_BREAK).level_change
    scan = its_scan()
    f = its_fitted()
    pre = f[f["post"] == 0]
    return {
        # the main run (Monterrey, January 2014 – September 2021)
        "its_main_months": main["months"], "its_main_p_level": main["p_level"], "its_main_p_trend": main["p_trend"],
        "its_main_level": main["level"], "its_main_level_low": main["level_low"],
        "its_main_level_high": main["level_high"],
        "its_main_trend": main["trend"], "its_main_trend_low": main["trend_low"],
        "its_main_trend_high": main["trend_high"],
        "its_main_summary": ("Both intervals include 1, which would mean no change" if includes_1
                             else "At least one interval excludes 1"),
        "its_pre_months": int(len(pre)), "its_pre_mean": float(pre["homicides"].mean()),
        "its_last_fitted": float(f.iloc[-1]["fitted"]), "its_last_cf": float(f.iloc[-1]["counterfactual"]),
        # without February 2016 (the Topo Chico riot)
        "its_nofeb_months": nofeb["months"], "its_nofeb_p_level": nofeb["p_level"],
        "its_nofeb_p_trend": nofeb["p_trend"],
        "its_nofeb_level": nofeb["level"], "its_nofeb_level_low": nofeb["level_low"],
        "its_nofeb_level_high": nofeb["level_high"],
        "its_nofeb_trend": nofeb["trend"], "its_nofeb_trend_low": nofeb["trend_low"],
        "its_nofeb_trend_high": nofeb["trend_high"],
        # before the pandemic (to December 2019)
        "its_precovid_months": precovid["months"], "its_precovid_p_level": precovid["p_level"],
        "its_precovid_p_trend": precovid["p_trend"],
        "its_precovid_level": precovid["level"], "its_precovid_level_low": precovid["level_low"],
        "its_precovid_level_high": precovid["level_high"],
        "its_precovid_trend": precovid["trend"], "its_precovid_trend_low": precovid["trend_low"],
        "its_precovid_trend_high": precovid["trend_high"],
        # a longer pre-period (from July 2013)
        "its_longpre_months": longpre["months"], "its_longpre_p_level": longpre["p_level"],
        "its_longpre_p_trend": longpre["p_trend"],
        "its_longpre_level": longpre["level"], "its_longpre_level_low": longpre["level_low"],
        "its_longpre_level_high": longpre["level_high"],
        "its_longpre_trend": longpre["trend"], "its_longpre_trend_low": longpre["trend_low"],
        "its_longpre_trend_high": longpre["trend_high"],
        # the eight other metro municipalities
        "its_suburbs_months": suburbs["months"], "its_suburbs_p_level": suburbs["p_level"],
        "its_suburbs_p_trend": suburbs["p_trend"],
        "its_suburbs_level": suburbs["level"], "its_suburbs_level_low": suburbs["level_low"],
        "its_suburbs_level_high": suburbs["level_high"],
        "its_suburbs_trend": suburbs["trend"], "its_suburbs_trend_low": suburbs["trend_low"],
        "its_suburbs_trend_high": suburbs["trend_high"],
        # the whole metro (nine)
        "its_metro_months": metro["months"], "its_metro_p_level": metro["p_level"],
        "its_metro_p_trend": metro["p_trend"],
        "its_metro_level": metro["level"], "its_metro_level_low": metro["level_low"],
        "its_metro_level_high": metro["level_high"],
        "its_metro_trend": metro["trend"], "its_metro_trend_low": metro["trend_low"],
        "its_metro_trend_high": metro["trend_high"],
        # a placebo date (October 2017)
        "its_fake_level": fake[0], "its_fake_level_low": fake[1], "its_fake_level_high": fake[2],
        "its_scan_n": len(scan), "its_scan_alpha": SCAN_ALPHA,
        "its_scan_sig_pct": 100 * float((scan["p_level"] < SCAN_ALPHA).mean()),
        "its_scan_gov_p": float(scan.loc[scan["governor"], "p_level"].iloc[0]),
        "its_scan_first": str(scan["break"].iloc[0]), "its_scan_last": str(scan["break"].iloc[-1]),
    }


#: How the chapter words San Pedro's place among the nine (1 = lowest rate).
_RANK_WORDS = {1: "lowest", 2: "second lowest", 3: "third lowest"}


def _claims() -> dict:
    """Claims tested: the thresholds, and each claim's verdict, key number and evidence (prefixes m1_, m2_,
    m3_). Bools are glued as "True"/"False"."""
    v1, v2, v3 = (claims.evaluate(cid) for cid in ("M1", "M2", "M3"))
    n1, n2, n3 = v1.numbers, v2.numbers, v3.numbers
    rank = int(n3["sp_post_rank"])
    return {
        # the rules
        "fall_ratio": FALL_RATIO, "rise_ratio": RISE_RATIO, "rho_threshold": GRADIENT_RHO,
        # M1 — the business-backed reform cut kidnapping
        "m1_rule": claims.rule("M1"), "m2_rule": claims.rule("M2"), "m3_rule": claims.rule("M3"),
        "m1_verdict": v1.verdict, "m1_key": v1.key_number,
        "m1_nl_peak_count": n1["nl_peak_count"], "m1_nl_after_count": n1["nl_after_count"],
        "m1_nl_pre_count": n1["nl_pre_count"],
        "m1_nl_peak_per_year": n1["nl_peak_per_year"], "m1_nl_after_per_year": n1["nl_after_per_year"],
        "m1_nl_pre_per_year": n1["nl_pre_per_year"],
        "m1_nl_peak_rate": n1["nl_peak_rate"], "m1_nl_after_rate": n1["nl_after_rate"],
        "m1_nl_pre_rate": n1["nl_pre_rate"],
        "m1_nl_ratio": n1["nl_ratio"], "m1_nl_ratio_low": n1["nl_ratio_low"],
        "m1_nl_ratio_high": n1["nl_ratio_high"],
        "m1_rest_ratio": n1["rest_ratio"], "m1_rest_ratio_low": n1["rest_ratio_low"],
        "m1_rest_ratio_high": n1["rest_ratio_high"],
        "m1_rest_peak_rate": n1["rest_peak_rate"], "m1_rest_after_rate": n1["rest_after_rate"],
        "m1_rr": n1["rr"], "m1_rr_low": n1["rr_low"], "m1_rr_high": n1["rr_high"],
        "m1_vs_pre": n1["vs_pre"], "m1_vs_pre_low": n1["vs_pre_low"], "m1_vs_pre_high": n1["vs_pre_high"],
        "m1_nl_new_2015_2019_per_year": n1["nl_new_2015_2019_per_year"],
        "m1_rest_states_partial": n1["rest_states_partial"],
        # M2 — crime fell across Monterrey (measures m0 … m5 in the order of claims.m2_measures)
        "m2_verdict": v2.verdict, "m2_key": v2.key_number,
        "m2_fell": n2["fell"], "m2_n_measures": n2["n_measures"], "m2_rose": "; ".join(map(str, n2["rose"])),
        "m2_hom_change_pct": n2["hom_change_pct"], "m2_hom_change_pct_abs": abs(n2["hom_change_pct"]),
        "m2_hom_peak_year": n2["hom_peak_year"], "m2_hom_peak": n2["hom_peak"], "m2_hom_end": n2["hom_end"],
        "m2_ext_peak": n2["ext_peak"], "m2_ext_end": n2["ext_end"], "m2_ext_ratio": n2["ext_ratio"],
        "m2_ext_low": n2["ext_low"],
        "m2_kid_peak": n2["kid_peak"], "m2_kid_end": n2["kid_end"], "m2_kid_ratio": n2["kid_ratio"],
        "m2_kid_high": n2["kid_high"],
        "m2_m0_change_pct": n2["m0_change_pct"], "m2_m0_change_pct_abs": abs(n2["m0_change_pct"]),
        "m2_m1_change_pct": n2["m1_change_pct"], "m2_m1_change_pct_abs": abs(n2["m1_change_pct"]),
        "m2_m2_change_pct": n2["m2_change_pct"], "m2_m2_change_pct_abs": abs(n2["m2_change_pct"]),
        "m2_m3_change_pct": n2["m3_change_pct"], "m2_m3_change_pct_abs": abs(n2["m3_change_pct"]),
        "m2_m4_change_pct": n2["m4_change_pct"], "m2_m4_change_pct_abs": abs(n2["m4_change_pct"]),
        "m2_m5_change_pct": n2["m5_change_pct"], "m2_m5_change_pct_abs": abs(n2["m5_change_pct"]),
        # M3 — after late 2015 crime came back, above all in working-class suburbs
        "m3_verdict": v3.verdict, "m3_key": v3.key_number,
        "m3_came_back": str(bool(n3["came_back"])), "m3_gradient": str(bool(n3["gradient"])),
        "m3_rich_safe": str(bool(n3["rich_safe"])),
        "m3_metro_ratio": n3["metro_ratio"], "m3_metro_low": n3["metro_low"], "m3_metro_high": n3["metro_high"],
        "m3_metro_base_rate": n3["metro_base_rate"], "m3_metro_post_rate": n3["metro_post_rate"],
        "m3_sp_base_count": n3["sp_base_count"], "m3_sp_post_count": n3["sp_post_count"],
        "m3_sp_base_rate": n3["sp_base_rate"], "m3_sp_post_rate": n3["sp_post_rate"],
        "m3_rho_ratio": n3["rho_ratio"], "m3_rho_change": n3["rho_change"], "m3_rho_ratio_long": n3["rho_ratio_long"],
        "m3_max_ratio_area": n3["max_ratio_area"], "m3_max_ratio": n3["max_ratio"],
        "m3_min_ratio_area": n3["min_ratio_area"], "m3_min_ratio": n3["min_ratio"],
        # rate ratios with intervals: most and least marginalised municipalities, the named suburbs, San Pedro
        "m3_poor_ratio": n3["poor_ratio"], "m3_poor_low": n3["poor_low"], "m3_poor_high": n3["poor_high"],
        "m3_rich_ratio": n3["rich_ratio"], "m3_rich_low": n3["rich_low"], "m3_rich_high": n3["rich_high"],
        "m3_named_ratio": n3["named_ratio"], "m3_named_low": n3["named_low"], "m3_named_high": n3["named_high"],
        "m3_sp_ratio": n3["sp_ratio"], "m3_sp_low": n3["sp_low"], "m3_sp_high": n3["sp_high"],
        "m3_sp_post_rank": rank, "m3_sp_post_rank_word": _RANK_WORDS.get(rank, f"{rank}th lowest"),
        "m3_nat_post_rate": n3["nat_post_rate"],
    }


def _since_then() -> dict:
    """Since then: SESNSP's homicide investigation files, January 2024 – June 2025 (files, not deaths), per
    100,000 a year over the SINCE_POP_YEAR population, and Nuevo León's counts in each instrument (prefix st_)."""
    mty, other, donors = since_rate(NAME), since_rate(OTHER_METRO_LABEL), since_rate(DONOR_LABEL)
    nl, nat = since_rate(STATE_NAME), since_rate(NATIONAL_NAME)
    rr = since_ratio(NAME, OTHER_METRO_LABEL)
    a = area_rates(2000)
    d = since_then()
    metro = d[(d["group"] == "Metro municipality") & (d["year"] == 0)]
    top, low = metro.loc[metro["rate"].idxmax()], metro.loc[metro["rate"].idxmin()]
    # rank 1 is the most marginalised: the correlation of marginalisation with the rate is that of -rank
    rho = stats.correlation(-metro["metro_rank"], metro["rate"], rank=True)
    s = state_since(full_years=False).pivot_table(index="year", columns="series", values="value")
    files = s["sesnsp_new_incidents"]
    full = state_since(full_years=True)
    full_files = full[full["series"] == "sesnsp_new_incidents"].set_index("year")["value"]
    deaths = s["inegi_deaths"].dropna()
    both = s.loc[deaths.index, "sesnsp_new_incidents"] / deaths
    return {
        "st_pop_year": SINCE_POP_YEAR,
        # Monterrey, January 2024 – June 2025
        "st_mty_n_2024": int(since_rate(NAME, 2024)["count"]), "st_mty_n_2025": int(since_rate(NAME, 2025)["count"]),
        "st_mty_rate": mty["rate"], "st_mty_low": mty["rate_low"], "st_mty_high": mty["rate_high"],
        "st_mty_rate_2024": since_rate(NAME, 2024)["rate"], "st_mty_rate_2025": since_rate(NAME, 2025)["rate"],
        # against Monterrey's death rates (files per death are close to one in Nuevo León)
        "st_mty_vs_2011_pct": 100 * mty["rate"] / _rate(a, NAME, 2011),
        "st_mty_vs_0006": mty["rate"] / _pooled(a, NAME, (2000, 2006)),
        # the comparison sets, the state and the nation
        "st_other_rate": other["rate"], "st_other_low": other["rate_low"], "st_other_high": other["rate_high"],
        "st_rr_other": rr.rr, "st_rr_other_low": rr.low, "st_rr_other_high": rr.high,
        "st_donor_rate": donors["rate"], "st_donor_low": donors["rate_low"], "st_donor_high": donors["rate_high"],
        "st_nl_rate": nl["rate"], "st_nat_rate": nat["rate"],
        "st_nl_rate_2024": since_rate(STATE_NAME, 2024)["rate"],
        "st_nl_rate_2025": since_rate(STATE_NAME, 2025)["rate"],
        # inside the metro
        "st_top_area": str(top["area"]), "st_top_rate": float(top["rate"]),
        "st_top2_areas": " and ".join(metro.nlargest(2, "rate")["area"]),
        "st_top_low": float(top["rate_low"]), "st_top_high": float(top["rate_high"]),
        "st_low_area": str(low["area"]), "st_low_rate": float(low["rate"]), "st_low_n": int(low["count"]),
        "st_low_high": float(low["rate_high"]),
        "st_rho_marg": marginalisation_rho(metro, "rate"),
        "st_rho_marg_low": rho.low, "st_rho_marg_high": rho.high,
        # Nuevo León in each instrument
        "st_state_from": SINCE_STATE_FROM,
        "st_nl_files_2022": int(files[2022]), "st_nl_files_2023": int(files[2023]),
        "st_nl_files_2024": int(files[2024]), "st_nl_files_2025": int(files[2025]),
        "st_nl_files_peak_year": int(full_files.idxmax()),
        "st_overlap_last": int(deaths.index.max()), "st_nl_deaths_last": int(deaths.iloc[-1]),
        "st_nl_fpd_min": float(both.min()), "st_nl_fpd_max": float(both.max()),
    }


def _comparative() -> dict:
    """The comparative monthly design at the change of governor (:func:`.series.comparative_result`)."""
    r = comparative_result()
    return {"did_rr": r["rr"], "did_low": r["low"], "did_high": r["high"], "did_p": r["p"],
            "did_dispersion": r["dispersion"], "did_p_space": r["p_space"], "did_n_cities": r["n_cities"],
            "did_n_as_large": r["n_as_large"],
            "did_placebo_min": r["placebo_min"], "did_placebo_max": r["placebo_max"],
            "did_start": f"{CMP_START[0]}", "did_end": f"{CMP_END[0]}"}
