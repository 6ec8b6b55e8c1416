"""Every value the Cherán chapter glues, as one dict of plain Python values (:func:`numbers`).

Keys are written literally, one section of the chapter per function, so that a search for a glue key used in
``book/cases/cheran.md`` finds the line where its value is made.
"""

from __future__ import annotations

from ... import claims, values
from ...data import load
from ...geo import NATIONAL_NAME, mun_names
from ...series import SINCE_POP_YEAR, since_population, state_overlap
from .. import generic
from . import research
from .case import (
    AFTER,
    BEFORE,
    BREAK_YEAR,
    C1_SAFEST_SHARE,
    C1_WINDOW,
    C3_MIN_COVERAGE,
    C4_MIN_GROWTH,
    C4_MIN_SHARE,
    C4_SHARES,
    CODE,
    GROUP_LABELS,
    MESETA,
    MILITIA,
    NAME,
    PERIODS,
    SIMILAR,
    SIMILAR_FACTOR,
    SIMILAR_YEAR,
    SLUG,
    STATE,
    TANCITARO,
    WIDE_FACTOR,
)
from .claims import c1_numbers, rule_c4
from .series import (
    aggregate,
    avocado_neighbours,
    before_after_permutation,
    bordering,
    case_annual,
    codes,
    counterfactual,
    coverage,
    did_quasi_poisson,
    election_cycles,
    michoacan_annual,
    period_table,
    pooled,
    ratio_to,
    rest_of_state,
    since_then_ranking,
    since_then_rates,
    since_then_ratio,
    state_and_nation,
    state_sources,
)


def _overview() -> dict:
    t = case_annual().set_index("year")
    b, a = pooled(case_annual(), BEFORE), pooled(case_annual(), AFTER)
    rest_b, rest_a = pooled(rest_of_state(), BEFORE), pooled(rest_of_state(), AFTER)
    pop = michoacan_annual()
    pop10 = pop[pop["year"] == SIMILAR_YEAR].set_index("mun_code")["population"]
    return {
        "ci": 95,
        "pop_2010": t.loc[2010, "population"], "pop_2021": t.loc[2021, "population"],
        "pop_rank_2010": int((pop10 > pop10[CODE]).sum() + 1), "n_mich_mun": int(pop10.size),
        "one_death_pts": 1e5 / t.loc[2011, "population"],
        "before_deaths": b["deaths"], "before_rate": b["rate"], "before_low": b["low"], "before_high": b["high"],
        "after_deaths": a["deaths"], "after_rate": a["rate"], "after_low": a["low"], "after_high": a["high"],
        "rest_before_rate": rest_b["rate"], "rest_after_rate": rest_a["rate"],
        "case_drop_pct": 100 * (1 - a["rate"] / b["rate"]),
        "rest_change_pct": 100 * (rest_a["rate"] / rest_b["rate"] - 1),
        "peak_year": int(t["homicide_rate"].idxmax()), "peak_deaths": t["homicides"].max(),
        "peak_rate": t["homicide_rate"].max(),
        "zero_years_after": int(((t.index >= BREAK_YEAR) & (t["homicides"] == 0)).sum()),
        "n_years_after": int((t.index >= BREAK_YEAR).sum()),
        "deaths_2011": t.loc[2011, "homicides"], "deaths_2012": t.loc[2012, "homicides"],
        "deaths_2013_2016": t.loc[2013:2016, "homicides"].sum(),
        "deaths_2017_2021": t.loc[2017:2021, "homicides"].sum(),
        "deaths_2020": t.loc[2020, "homicides"], "rate_2020": t.loc[2020, "homicide_rate"],
    }


def _before() -> dict:
    """Violence, society and politics before the break."""
    per = period_table(PERIODS).set_index(["area", "period"])
    sn = state_and_nation()
    nat = pooled(sn[sn["area"] == NATIONAL_NAME], BEFORE)
    m = load("marginalization_municipal")
    mc = m[m["mun_code"] == CODE].set_index("year")
    mi = load("marginalization_indicators_focus")
    ind = mi[mi["mun_code"] == CODE].set_index("year")
    e = election_cycles()
    ec = e[e["mun_code"] == CODE].set_index("cycle")
    out = {
        "case_2000_2005_rate": per.loc[(NAME, "2000-2005"), "rate"],
        "case_2000_2005_deaths": per.loc[(NAME, "2000-2005"), "deaths"],
        "case_2006_2011_rate": per.loc[(NAME, "2006-2011"), "rate"],
        "case_2006_2011_deaths": per.loc[(NAME, "2006-2011"), "deaths"],
        "case_2006_2011_low": per.loc[(NAME, "2006-2011"), "low"],
        "case_2006_2011_high": per.loc[(NAME, "2006-2011"), "high"],
        "rest_2000_2005_rate": per.loc[("Michoacán without Cherán", "2000-2005"), "rate"],
        "rest_2006_2011_rate": per.loc[("Michoacán without Cherán", "2006-2011"), "rate"],
        "nat_2006_2011_rate": nat["rate"],
        "deaths_2008": case_annual().set_index("year").loc[2008, "homicides"],
        "marg_degree_2005": str(mc.loc[2005, "degree"]), "marg_degree_2010": str(mc.loc[2010, "degree"]),
        "marg_rank_2010": int(mc.loc[2010, "rank_national"]),
        "marg_n_2010": int((m["year"] == 2010).sum()),
        "illiterate_2010": float(ind.loc[2010, "illiterate_pct"]),
        "dirt_floor_2010": float(ind.loc[2010, "dirt_floor_pct"]),
        "low_income_2010": float(ind.loc[2010, "low_income_pct"]),
        "n_party_elections": int(len(ec)),
        "n_prd_wins": int((ec["winner_family"] == "prd").sum()),
        "last_party_year": int(ec.index.max()),
        "last_party_margin": 100 * float(ec.loc[ec.index.max(), "margin"]),
        "last_party_share": 100 * float(ec.loc[ec.index.max(), "vote_share"]),
        "last_party_mayor": str(ec.loc[ec.index.max(), "mayor"]).title(),
        "last_party_winner": str(ec.loc[ec.index.max(), "winner"]).upper(),
    }
    return out


def _after() -> dict:
    """After the break: the comparison groups."""
    per = period_table(PERIODS).set_index(["area", "period"])["rate"]
    me, mes, sim, tan, mil = NAME, "Meseta neighbours", "Similar towns", "Tancítaro", "Self-defence towns"
    rest = "Michoacán without Cherán"
    out = {"n_meseta": len(codes(MESETA)), "n_bordering": len(bordering()), "n_similar": len(codes(SIMILAR)),
           "n_militia": len(codes(MILITIA)), "similar_factor": SIMILAR_FACTOR,
           "meseta_names": ", ".join(mun_names()[c] for c in codes(MESETA)),
           "meseta_2006_2011_rate": per[(mes, "2006-2011")], "meseta_2012_2016_rate": per[(mes, "2012-2016")],
           "meseta_2017_2021_rate": per[(mes, "2017-2021")],
           "similar_2006_2011_rate": per[(sim, "2006-2011")], "similar_2012_2016_rate": per[(sim, "2012-2016")],
           "similar_2017_2021_rate": per[(sim, "2017-2021")],
           "tan_2006_2011_rate": per[(tan, "2006-2011")], "tan_2012_2016_rate": per[(tan, "2012-2016")],
           "tan_2017_2021_rate": per[(tan, "2017-2021")],
           "militia_2006_2011_rate": per[(mil, "2006-2011")], "militia_2012_2016_rate": per[(mil, "2012-2016")],
           "militia_2017_2021_rate": per[(mil, "2017-2021")],
           "case_2012_2016_rate": per[(me, "2012-2016")], "case_2017_2021_rate": per[(me, "2017-2021")],
           "rest_2012_2016_rate": per[(rest, "2012-2016")], "rest_2017_2021_rate": per[(rest, "2017-2021")]}
    m = aggregate(codes(MESETA), "m")
    rr = ratio_to(case_annual(), AFTER, m)
    out.update({"rr_meseta": rr.rr, "rr_meseta_low": rr.low, "rr_meseta_high": rr.high})
    rr = ratio_to(m, (2017, 2021), m, BEFORE)
    out.update({"meseta_rise": rr.rr, "meseta_rise_low": rr.low, "meseta_rise_high": rr.high})
    nah = aggregate(["16056"], "Nahuatzen")
    out.update({"nahuatzen_after_rate": pooled(nah, AFTER)["rate"],
                "rr_nahuatzen_rest": ratio_to(nah, AFTER, rest_of_state()).rr})
    return out


def _counterfactual() -> dict:
    cf = counterfactual()
    s = cf.summary()
    r = cf.main
    w = r.top_weights(0.01)
    nm = mun_names()
    loo = cf.leave_one_out[cf.leave_one_out["dropped"] != "(none)"]
    ba = before_after_permutation()
    me = ba[ba["mun_code"] == CODE].iloc[0]
    did = did_quasi_poisson(SIMILAR)
    did_m = did_quasi_poisson(MESETA)
    v = cf.variants
    post = r.gap[r.gap.index >= cf.start]
    return {
        "n_donors": s["donors"], "att": s["att"], "att_abs": -s["att"], "att_pct": s["att_pct"],
        "att_pct_abs": -s["att_pct"],
        "pre_rmspe": s["pre_rmspe"], "post_rmspe": float(r.post_rmspe), "rmspe_ratio": s["ratio"],
        "p_space": s["p_value"], "n_placebo_higher": int((r.placebo["ratio"] >= r.ratio).sum()),
        "n_years_below": int((post < 0).sum()), "n_post_years": int(len(post)),
        "n_weights": int(len(w)), "w1_name": nm[w.index[0]], "w1": float(w.iloc[0]),
        "w2_name": nm[w.index[1]], "w2": float(w.iloc[1]),
        "synth_after_rate": float(r.synthetic[r.synthetic.index >= cf.start].mean()),
        "pt_att": float(cf.placebo_time.att), "pt_pre_rmspe": float(cf.placebo_time.pre_rmspe),
        "loo_n": int(len(loo)), "loo_min_abs": float(-loo["att"].max()), "loo_max_abs": float(-loo["att"].min()),
        "v_meseta_abs": -float(v["with_meseta"].att), "v_militia_abs": -float(v["with_militia"].att),
        "v_wide_abs": -float(v["wide_pool"].att), "v_wide_n": int(len(v["wide_pool"].weights)),
        "v_2011_abs": -float(v["start_2011"].att), "wide_factor": WIDE_FACTOR,
        "v_meseta_top_name": nm[v["with_meseta"].top_weights().index[0]],
        "v_meseta_top_w": float(v["with_meseta"].top_weights().iloc[0]),
        "v_militia_weight": float(v["with_militia"].weights.reindex(codes(MILITIA)).fillna(0).sum()),
        "perm_ratio": float(me["ratio"]), "perm_rank": int(me["rank"]), "perm_n": int(len(ba)),
        "perm_p": float((ba["ratio"] <= me["ratio"]).mean()),
        "perm_median_ratio": float(ba["ratio"].median()),
        "did_rr": did["rr"], "did_low": did["low"], "did_high": did["high"], "did_dispersion": did["dispersion"],
        "did_units": did["units"], "did_meseta_rr": did_m["rr"], "did_meseta_low": did_m["low"],
        "did_meseta_high": did_m["high"],
    }


def _claims() -> dict:
    v = {cid: claims.evaluate(cid).verdict for cid in ("C1", "C2", "C3", "C4", "C5")}
    out = {"C1_rule": claims.rule("C1"), "C2_rule": claims.rule("C2"), "C3_rule": claims.rule("C3"),
           "C4_rule": claims.rule("C4"), "C5_rule": claims.rule("C5"),
           "C1_verdict": v["C1"], "C2_verdict": v["C2"], "C3_verdict": v["C3"], "C4_verdict": v["C4"],
           "C5_verdict": v["C5"]}
    n1 = claims.evaluate("C1").numbers
    out.update({"C1_rate": n1["rate"], "C1_low": n1["low"], "C1_high": n1["high"], "C1_rank": n1["rank"],
                "C1_n": n1["n"], "C1_share_pct": 100 * n1["share"], "C1_rest_rate": n1["rest_rate"],
                "C1_rr": n1["rr"], "C1_rr_low": n1["rr_low"], "C1_rr_high": n1["rr_high"],
                "C1_lowest_name": n1["lowest_name"], "C1_lowest_rate": n1["lowest_rate"], "C1_cut": n1["cut"],
                "C1_threshold_pct": 100 * C1_SAFEST_SHARE, "C1_deaths": n1["deaths"],
                "C1_y0": C1_WINDOW[0], "C1_y1": C1_WINDOW[1]})
    out["C1_n_lower"] = n1["n_lower"]
    n2 = claims.evaluate("C2").numbers
    out.update({"C2_before_deaths": n2["before_deaths"], "C2_before_rate": n2["before_rate"],
                "C2_after_deaths": n2["after_deaths"], "C2_after_rate": n2["after_rate"], "C2_rr": n2["rr"],
                "C2_rr_low": n2["rr_low"], "C2_rr_high": n2["rr_high"], "C2_p": n2["p"]})
    n3 = claims.evaluate("C3").numbers
    cov = coverage().set_index("cycle")
    out.update({"C3_cycles": n3["cycles"], "C3_case_results": n3["case_results"],
                "C3_min_coverage_pct": n3["min_coverage_pct"], "C3_threshold_pct": 100 * C3_MIN_COVERAGE,
                "C3_last_party_election": n3["last_party_election"],
                "C3_others_2015": cov.loc[2015, "others_with_result"], "C3_n_others": len(michoacan_annual()
                                                                                         ["mun_code"].unique()) - 1})
    n4 = claims.evaluate("C4").numbers
    growth_ok = [s for s in C4_SHARES if rule_c4(n4["case_ha_after"], n4["share_with"], n4["growth"], s) == "supported"]
    d = avocado_neighbours()
    mes = d[d["mun_code"] != CODE].groupby("year")["planted_ha"].sum()
    out.update({"C4_n_with": n4["n_with"], "C4_n_bordering": n4["n_bordering"], "C4_with_names": n4["with_names"],
                "C4_ha_start": n4["ha_start"], "C4_ha_end": n4["ha_end"], "C4_start_year": n4["start_year"],
                "C4_end_year": n4["end_year"], "C4_growth_pct": 100 * n4["growth"],
                "C4_min_share_pct": 100 * C4_MIN_SHARE, "C4_min_growth_pct": 100 * C4_MIN_GROWTH,
                "C4_max_share_supported_pct": 100 * max(growth_ok) if growth_ok else None,
                "C4_meseta_ha_end": float(mes.iloc[-1]), "C4_first_year": int(d["year"].min()),
                "C4_case_ever": "yes" if n4["case_ever"] else "no",
                "zacapu_first_year": int(d.loc[(d["mun_code"] == "16107") & d["recorded"], "year"].min()),
                "zacapu_first_ha": float(d.loc[(d["mun_code"] == "16107") & d["recorded"], "planted_ha"].iloc[0]),
                "charapan_ha_end": float(d.loc[(d["mun_code"] == "16021") & (d["year"] == d["year"].max()),
                                               "planted_ha"].iloc[0])})
    out["C5_n_forest_tables"] = claims.evaluate("C5").numbers["n_forest_tables"]
    return out


def _since_then() -> dict:
    """Since then: files January 2024 - June 2025 for Cherán and its comparisons, its rank among Michoacán's
    municipalities by the same measure, and the state's series by instrument."""
    r = since_then_rates().set_index("area")
    t = r.loc[NAME]
    rest, mes = "Michoacán without Cherán", GROUP_LABELS[MESETA]
    rr_rest, rr_mes = since_then_ratio(NAME, rest), since_then_ratio(NAME, mes)
    rr_sim = since_then_ratio(NAME, GROUP_LABELS[SIMILAR])
    rk = since_then_ranking()
    me = rk[rk["mun_code"] == CODE].iloc[0]
    st = state_sources()
    new = st[(st["series"] == "sesnsp_new_incidents") & ~st["part_year"]].set_index("year")["value"]
    ov = state_overlap([STATE]).dropna(subset=["sesnsp_new_incidents"])
    return {
        "st_case_files": t["files"], "st_case_files_2024": t["files_2024"], "st_case_files_2025": t["files_2025"],
        "st_case_rate": t["rate"], "st_case_low": t["rate_low"], "st_case_high": t["rate_high"],
        "st_months": int(t["months"]), "st_pop": float(since_population([CODE])), "st_pop_year": SINCE_POP_YEAR,
        "st_rest_rate": r.loc[rest, "rate"], "st_meseta_rate": r.loc[mes, "rate"],
        "st_meseta_files": r.loc[mes, "files"], "st_similar_rate": r.loc[GROUP_LABELS[SIMILAR], "rate"],
        "st_tan_rate": r.loc[GROUP_LABELS[TANCITARO], "rate"], "st_militia_rate": r.loc[GROUP_LABELS[MILITIA], "rate"],
        "st_rr_rest": rr_rest.rr, "st_rr_rest_low": rr_rest.low, "st_rr_rest_high": rr_rest.high,
        "st_rr_meseta": rr_mes.rr, "st_rr_meseta_low": rr_mes.low, "st_rr_meseta_high": rr_mes.high,
        "st_rr_similar": rr_sim.rr, "st_rr_similar_low": rr_sim.low, "st_rr_similar_high": rr_sim.high,
        "st_rank": int(me["rank"]), "st_rank_n": int(len(rk)), "st_share_pct": 100 * float(me["share_at_or_below"]),
        "st_n_zero": int((rk["files"] == 0).sum()), "st_cut": float(rk["rate"].quantile(C1_SAFEST_SHARE)),
        "st_rate_one_fewer": float(1e5 * (t["files"] - 1) / t["person_years"]),
        "st_state_new_peak": int(new.max()), "st_state_new_peak_year": int(new.idxmax()),
        "st_state_new_2024": int(new[2024]), "st_state_new_fall_pct": float(100 * (1 - new[2024] / new.max())),
        "st_files_per_death_min": float(ov["sesnsp_new_incidents_per_death"].min()),
        "st_files_per_death_max": float(ov["sesnsp_new_incidents_per_death"].max()),
        "st_overlap_first": int(ov["year"].min()), "st_overlap_last": int(ov["year"].max()),
    }


def numbers() -> dict:
    """Every value the chapter glues (plain Python values)."""
    return values.plain_dict({**_overview(), **_before(), **_after(), **_counterfactual(), **_claims(),
                              **research.numbers(), **_since_then()})


def claims_table() -> str:
    """The case's claims and their verdicts as a Markdown table."""
    return generic.claims_markdown(SLUG)


__all__ = ["c1_numbers", "claims_table", "numbers"]
