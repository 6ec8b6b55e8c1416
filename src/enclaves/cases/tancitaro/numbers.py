"""Every value the Tancítaro chapter glues, as one dict of plain Python values (:func:`numbers`).

Keys are written literally, one section of the chapter per function, so that a search for a glue key used in
``book/cases/tancitaro.md`` finds the line where its value is made.
"""

from __future__ import annotations

import pandas as pd

from ... import claims, values
from ...data import load
from ...geo import mun_names
from ...series import SINCE_POP_YEAR, since_population, state_overlap
from . import research
from .case import (
    APATZINGAN,
    BELT,
    BREAK_YEAR,
    CODE,
    DONOR_FACTOR,
    DONOR_POP_YEAR,
    EAST_NEIGHBOURS,
    NAME,
    PERIODS,
    REST_OF_STATE,
    SELF_DEFENCE,
    STATE,
    T1_THRESHOLD_USD_PER_DAY,
    URUAPAN,
    WEST_LABEL,
    WIDE_FACTOR,
)
from .series import (
    aggregate,
    avocado_belt_production,
    avocado_case,
    before_after_permutation,
    case_annual,
    codes,
    counterfactual,
    crime_2011_2013,
    crime_2011_2013_ratio,
    elections_case,
    exports_annual,
    margins_by_election,
    michoacan_annual,
    monthly,
    nation_pooled,
    period_summary,
    permutation_p,
    pooled,
    since_then_rates,
    since_then_ratio,
    state_sources,
    three_deaths_effect,
    treated_donors,
)


def _population(year: int) -> pd.Series:
    """Every Michoacán municipality's population in ``year``, by code."""
    h = michoacan_annual()
    return h[h["year"] == year].set_index("mun_code")["population"]


def _overview() -> dict:
    """Overview, scale and the violence before the break (annual and monthly counts)."""
    t = case_annual().set_index("year")
    deaths, rate = t["homicides"], t["homicide_rate"]
    peak = t["homicide_rate"].idxmax()
    p10 = _population(2010)
    mo = monthly()
    m13 = mo[mo["year"] == 2013]
    return {
        # Overview and the word on scale: population, what a death does to the rate, rank in the state
        "pop_2010": int(t.loc[2010, "population"]), "pop_2013": int(t.loc[2013, "population"]),
        "pop_2021": int(t.loc[2021, "population"]),
        "three_deaths_pts": float(three_deaths_effect(2013)), "one_death_pts": float(three_deaths_effect(2013) / 3),
        "pop_rank_2010": int(p10.rank(ascending=False)[CODE]), "n_mich_mun": int(len(p10)),
        "apatzingan_pop_2010": int(p10[APATZINGAN]),
        "apatzingan_share_sd_pct": float(p10[APATZINGAN] / p10[codes("self_defence")].sum() * 100),
        "ci": 95,  # the level of every interval in the chapter
        # Before the break: the annual rates
        "peak_year": int(peak), "peak_rate": float(t["homicide_rate"].max()), "peak_deaths": int(deaths[peak]),
        "deaths_2002": int(deaths[2002]), "rate_2002": float(rate[2002]),
        "deaths_2006": int(deaths[2006]), "rate_2006": float(rate[2006]),
        "deaths_2013": int(deaths[2013]), "rate_2013": float(rate[2013]),
        "deaths_2014": int(deaths[2014]), "rate_2014": float(rate[2014]),
        "deaths_2015": int(deaths[2015]), "rate_2015": float(rate[2015]),
        "deaths_2017": int(deaths[2017]), "rate_2017": float(rate[2017]),
        "deaths_2018": int(deaths[2018]), "rate_2018": float(rate[2018]),
        "low_2013": float(t.loc[2013, "rate_low"]), "high_2013": float(t.loc[2013, "rate_high"]),
        # The break: the monthly records
        "deaths_jun_nov_2013": int(m13[m13["month"].between(6, 11)]["homicides"].sum()),
        "deaths_dec_2013": int(m13[m13["month"] == 12]["homicides"].sum()),
        "zero_month_pct": float((mo["homicides"] == 0).mean() * 100),
        "max_month_deaths": int(mo["homicides"].max()),
        "max_month": f"{mo.loc[mo['homicides'].idxmax(), 'date']:%B %Y}",
        "roll_after_max": int(mo.loc[mo["year"] >= 2015, "rolling_12"].max()),
    }


def _periods() -> dict:
    """Pooled rates of Tancítaro, its groups, the rest of Michoacán and the nation in the fixed periods."""
    ps = period_summary().set_index(["area", "period"])
    c0, c1, c2, c3 = (ps.loc[(NAME, f"{y0}-{y1}")] for y0, y1 in PERIODS)
    b0, b1, b2, b3 = (ps.loc[(BELT, f"{y0}-{y1}")] for y0, y1 in PERIODS)
    s0, s1, s2, s3 = (ps.loc[(SELF_DEFENCE, f"{y0}-{y1}")] for y0, y1 in PERIODS)
    r0, r1, r2, r3 = (ps.loc[(REST_OF_STATE, f"{y0}-{y1}")] for y0, y1 in PERIODS)
    p10 = _population(2010)
    return {
        # Tancítaro ("case")
        "case_2000_2007_rate": c0["rate"], "case_2000_2007_low": c0["low"], "case_2000_2007_high": c0["high"],
        "case_2000_2007_deaths": int(c0["deaths"]),
        "case_2008_2013_rate": c1["rate"], "case_2008_2013_low": c1["low"], "case_2008_2013_high": c1["high"],
        "case_2008_2013_deaths": int(c1["deaths"]),
        "case_2014_2017_rate": c2["rate"], "case_2014_2017_low": c2["low"], "case_2014_2017_high": c2["high"],
        "case_2014_2017_deaths": int(c2["deaths"]),
        "case_2018_2021_rate": c3["rate"], "case_2018_2021_low": c3["low"], "case_2018_2021_high": c3["high"],
        "case_2018_2021_deaths": int(c3["deaths"]),
        # the avocado-belt neighbours, pooled ("belt")
        "belt_2000_2007_rate": b0["rate"], "belt_2000_2007_low": b0["low"], "belt_2000_2007_high": b0["high"],
        "belt_2000_2007_deaths": int(b0["deaths"]),
        "belt_2008_2013_rate": b1["rate"], "belt_2008_2013_low": b1["low"], "belt_2008_2013_high": b1["high"],
        "belt_2008_2013_deaths": int(b1["deaths"]),
        "belt_2014_2017_rate": b2["rate"], "belt_2014_2017_low": b2["low"], "belt_2014_2017_high": b2["high"],
        "belt_2014_2017_deaths": int(b2["deaths"]),
        "belt_2018_2021_rate": b3["rate"], "belt_2018_2021_low": b3["low"], "belt_2018_2021_high": b3["high"],
        "belt_2018_2021_deaths": int(b3["deaths"]),
        # the self-defence towns, pooled ("sd")
        "sd_2000_2007_rate": s0["rate"], "sd_2000_2007_low": s0["low"], "sd_2000_2007_high": s0["high"],
        "sd_2000_2007_deaths": int(s0["deaths"]),
        "sd_2008_2013_rate": s1["rate"], "sd_2008_2013_low": s1["low"], "sd_2008_2013_high": s1["high"],
        "sd_2008_2013_deaths": int(s1["deaths"]),
        "sd_2014_2017_rate": s2["rate"], "sd_2014_2017_low": s2["low"], "sd_2014_2017_high": s2["high"],
        "sd_2014_2017_deaths": int(s2["deaths"]),
        "sd_2018_2021_rate": s3["rate"], "sd_2018_2021_low": s3["low"], "sd_2018_2021_high": s3["high"],
        "sd_2018_2021_deaths": int(s3["deaths"]),
        # the rest of Michoacán ("rest")
        "rest_2000_2007_rate": r0["rate"], "rest_2000_2007_low": r0["low"], "rest_2000_2007_high": r0["high"],
        "rest_2000_2007_deaths": int(r0["deaths"]),
        "rest_2008_2013_rate": r1["rate"], "rest_2008_2013_low": r1["low"], "rest_2008_2013_high": r1["high"],
        "rest_2008_2013_deaths": int(r1["deaths"]),
        "rest_2014_2017_rate": r2["rate"], "rest_2014_2017_low": r2["low"], "rest_2014_2017_high": r2["high"],
        "rest_2014_2017_deaths": int(r2["deaths"]),
        "rest_2018_2021_rate": r3["rate"], "rest_2018_2021_low": r3["low"], "rest_2018_2021_high": r3["high"],
        "rest_2018_2021_deaths": int(r3["deaths"]),
        # The nation, Uruapan and the eastern belt towns, and the chapter's ratios
        "nat_2000_2007_rate": float(nation_pooled(2000, 2007)), "nat_2008_2013_rate": float(nation_pooled(2008, 2013)),
        "nat_2014_2017_rate": float(nation_pooled(2014, 2017)), "nat_2018_2021_rate": float(nation_pooled(2018, 2021)),
        "uruapan_2018_2021_rate": pooled(aggregate([URUAPAN], "Uruapan"), 2018, 2021)["rate"],
        "uruapan_pop_share_belt_pct": float(p10[URUAPAN] / p10[codes("avocado_belt")].sum() * 100),
        "east_2018_2021_rate": pooled(aggregate(EAST_NEIGHBOURS, "Eastern belt towns"), 2018, 2021)["rate"],
        "belt_to_case_2018_2021": float(b3["rate"] / c3["rate"]),
        "case_drop_pct": float((1 - c2["rate"] / c1["rate"]) * 100),
        "case_ratio_before_rest": float(c1["rate"] / r1["rate"]),
    }


def _society() -> dict:
    """Before the break: society (CONAPO's marginalisation index)."""
    mg = load("marginalization_municipal")
    degree = mg[mg["mun_code"] == CODE].set_index("year")["degree"].astype(str).str.replace("_", " ")
    rank = mg[mg["mun_code"] == CODE].set_index("year")["rank_national"]
    return {
        "marg_degree_2005": degree[2005], "marg_degree_2010": degree[2010], "marg_degree_2020": degree[2020],
        "marg_rank_2010": int(rank[2010]), "marg_n_2010": int((mg["year"] == 2010).sum()),
    }


def _at(values: pd.Series, keys: dict[str, int]) -> dict:
    """``{glue key: values[year]}`` for literal glue keys, each with the year it takes."""
    return {key: float(values[year]) for key, year in keys.items()}


def _avocados() -> dict:
    """Before the break: the paymasters; the avocado economy after it; the million dollars a day (T1)."""
    av = avocado_case().set_index("year")
    kt, share, ha, bn = av["tonnes"] / 1000, av["share_national_tonnes"] * 100, av["planted_ha"], av["value_mxn"] / 1e9
    sa = load("avocado_state_annual")
    sa = sa[sa["state_code"].isin(["00", STATE])].pivot(index="year", columns="state_code", values="tonnes")
    b13 = avocado_belt_production().query("year == 2013").set_index("area")
    x = exports_annual()
    xa = x[x["destination_code"] == "ALL"].set_index("year")
    xu = x[x["destination_code"] == "USA"].set_index("year")
    usd_bn, us_pct = xa["value_usd"] / 1e9, xu["value_usd"] / xa["value_usd"] * 100
    farm_price = float(av.loc[2017, "price_mxn_per_t"] / xa.loc[2017, "mxn_per_usd"])
    return {
        # Tancítaro's crop in the chapter's years: thousand tonnes, share of national output (%), planted
        # hectares, value (MXN bn)
        **_at(kt, {"av_t_2003": 2003, "av_t_2006": 2006, "av_t_2010": 2010, "av_t_2013": 2013, "av_t_2017": 2017,
                   "av_t_2022": 2022, "av_t_2023": 2023}),
        **_at(share, {"av_share_2003": 2003, "av_share_2006": 2006, "av_share_2010": 2010, "av_share_2013": 2013,
                      "av_share_2017": 2017, "av_share_2022": 2022, "av_share_2023": 2023}),
        **_at(ha, {"av_ha_2003": 2003, "av_ha_2006": 2006, "av_ha_2010": 2010, "av_ha_2013": 2013, "av_ha_2017": 2017,
                   "av_ha_2022": 2022, "av_ha_2023": 2023}),
        **_at(bn, {"av_value_bn_2003": 2003, "av_value_bn_2006": 2006, "av_value_bn_2010": 2010,
                   "av_value_bn_2013": 2013, "av_value_bn_2017": 2017, "av_value_bn_2022": 2022,
                   "av_value_bn_2023": 2023}),
        "av_share_peak": float(av["share_national_tonnes"].max() * 100),
        "av_share_min": float(av["share_national_tonnes"].min() * 100),
        "av_share_peak_year": int(av["share_national_tonnes"].idxmax()),
        "av_yield_2010": float(av.loc[2010, "yield_t_per_ha"]), "av_yield_median": float(av["yield_t_per_ha"].median()),
        "av_ha_growth_pct": float((av.loc[2023, "planted_ha"] / av.loc[2013, "planted_ha"] - 1) * 100),
        # The nation, Michoacán and the belt
        "nat_av_mt_2013": float(sa.loc[2013, "00"] / 1e6), "nat_av_mt_2023": float(sa.loc[2023, "00"] / 1e6),
        "mich_av_share_2013": float(sa.loc[2013, STATE] / sa.loc[2013, "00"] * 100),
        "mich_av_share_2023": float(sa.loc[2023, STATE] / sa.loc[2023, "00"] * 100),
        "uruapan_t_2013": float(b13.loc[mun_names()[URUAPAN], "thousand_tonnes"]),
        "belt_rank_2013": int(b13["tonnes"].rank(ascending=False)[NAME]),
        # Exports: US$ bn, share going to the United States (%), and the 2017 unit values
        "exp_bn_2003": float(usd_bn[2003]), "exp_us_pct_2003": float(us_pct[2003]),
        "exp_bn_2013": float(usd_bn[2013]), "exp_us_pct_2013": float(us_pct[2013]),
        "exp_bn_2017": float(usd_bn[2017]), "exp_us_pct_2017": float(us_pct[2017]),
        "exp_bn_2023": float(usd_bn[2023]), "exp_us_pct_2023": float(us_pct[2023]),
        "exp_unit_2017": float(xa.loc[2017, "usd_per_tonne"]),
        "exp_share_of_output_2017": float(xa.loc[2017, "tonnes"] / sa.loc[2017, "00"] * 100),
        "exp_share_of_mich_2017": float(xa.loc[2017, "tonnes"] / sa.loc[2017, STATE] * 100),
        "fx_2017": float(xa.loc[2017, "mxn_per_usd"]),
        "farm_price_usd_2017": farm_price,
        "export_to_farm_2017": float(xa.loc[2017, "usd_per_tonne"] / farm_price),
        "threshold_musd": float(T1_THRESHOLD_USD_PER_DAY / 1e6),
        # share of the crop that must be exported at the export unit value to reach US$1M a day
        "t1_needed_export_pct": float(T1_THRESHOLD_USD_PER_DAY * 365 / (av.loc[2017, "tonnes"]
                                                                        * xa.loc[2017, "usd_per_tonne"]) * 100),
    }


def _counterfactual() -> dict:
    """A counterfactual: the donor pool, the synthetic control and its checks, the permutation test."""
    cf = counterfactual()
    res, pt, wide, clean = cf.main, cf.placebo_time, cf.variants["wide_pool"], cf.variants["clean_pool"]
    treated = treated_donors()
    w = res.top_weights()
    nm = mun_names()
    pop = _population(DONOR_POP_YEAR)[CODE]
    post = res.actual.index >= BREAK_YEAR
    loo = cf.leave_one_out[cf.leave_one_out["dropped"] != "(none)"]
    loo_top_att = float(loo.loc[loo["dropped"] == w.index[0], "att"].iloc[0])
    perm = before_after_permutation()
    case = perm[perm["mun_code"] == CODE].iloc[0]
    return {
        # Method and donor pool
        "n_donors": len(cf.donors), "donor_pop_lo": int(round(pop / DONOR_FACTOR)),
        "donor_pop_hi": int(round(pop * DONOR_FACTOR)), "donor_factor": float(DONOR_FACTOR),
        # The synthetic control: weights, fit, gap and the placebo in space
        "n_weighted": int(len(w)), "w1_name": nm[w.index[0]], "w1": float(w.iloc[0]),
        "w2_name": nm[w.index[1]], "w2": float(w.iloc[1]), "w3_name": nm[w.index[2]], "w3": float(w.iloc[2]),
        "pre_rmspe": float(res.pre_rmspe), "post_rmspe": float(res.post_rmspe), "rmspe_ratio": float(res.ratio),
        "p_space": float(res.p_value), "n_placebo_higher": int((res.placebo["ratio"] >= res.ratio).sum()),
        "att": float(res.att), "att_abs": float(-res.att),
        "synth_post_mean": float(res.synthetic[post].mean()), "actual_post_mean": float(res.actual[post].mean()),
        "att_deaths_per_year": float(-res.att * pop / 1e5),
        # Leave-one-out and the placebo in time
        "loo_min": float(loo["att"].min()), "loo_max": float(loo["att"].max()), "loo_top_att": loo_top_att,
        "loo_smallest_abs": float(-loo["att"].max()), "loo_largest_abs": float(-loo["att"].min()),
        "loo_top_abs": float(-loo_top_att), "loo_n": int(len(loo)),
        "pt_att": float(pt.att), "pt_ratio": float(pt.ratio), "pt_pre_rmspe": float(pt.pre_rmspe),
        # The before/after permutation test
        "perm_ratio": float(case["ratio"]), "perm_rank": int(case["rank"]), "perm_n": int(len(perm)),
        "perm_p": float(permutation_p(perm)), "perm_first_name": str(perm.iloc[0]["mun_name"]),
        "perm_median_ratio": float(perm.loc[perm["mun_code"] != CODE, "ratio"].median()),
        # The wider donor pool
        "wide_factor": float(WIDE_FACTOR), "wide_att": float(wide.att), "wide_att_abs": float(-wide.att),
        "wide_pre_rmspe": float(wide.pre_rmspe), "wide_n": int(len(wide.weights)),
        # Without donors that had militias of their own (sourced table of treated units)
        "treated_n": len(treated), "treated_names": ", ".join(nm[c] for c in treated),
        "treated_weight": float(res.weights.reindex(treated).fillna(0).sum()),
        "clean_n": len(clean.weights), "clean_att_abs": float(-clean.att), "clean_p": float(clean.p_value),
        "clean_pre_rmspe": float(clean.pre_rmspe),
    }


def _elections() -> dict:
    """Society and politics before the break, and the 2015 and later elections (margins in points)."""
    ec = elections_case().set_index("year")
    margin, share, cands = ec["margin"] * 100, ec["vote_share"] * 100, ec["n_candidacies"]
    mb = margins_by_election()
    med = mb[mb["area"] != NAME].groupby("year")["margin_pts"].median()
    return {
        "margin_2007": float(margin[2007]), "margin_2011": float(margin[2011]), "margin_2015": float(margin[2015]),
        "margin_2018": float(margin[2018]), "margin_2021": float(margin[2021]),
        "share_2007": float(share[2007]), "cands_2007": int(cands[2007]),
        "share_2011": float(share[2011]), "cands_2011": int(cands[2011]),
        "share_2015": float(share[2015]), "cands_2015": int(cands[2015]),
        "share_2018": float(share[2018]), "cands_2018": int(cands[2018]),
        "state_median_margin_2018": float(med.loc[2018]), "state_median_margin_2015": float(med.loc[2015]),
        "winner_2018": str(ec.loc[2018, "winner"]).upper(), "winner_2021": str(ec.loc[2021, "winner"]).upper(),
        "runner_2018": str(ec.loc[2018, "runner_up"]).upper(),
    }


def _claims() -> dict:
    """The claims: each verdict, its key number and the numbers its evaluator reports."""
    v1, v2, v3, v4, v5 = (claims.evaluate(cid) for cid in ("T1", "T2", "T3", "T4", "T5"))
    t1, t2, t3, t4, t5 = (v.numbers for v in (v1, v2, v3, v4, v5))
    return {
        # T1: a million dollars of avocados a day
        "T1_rule": claims.rule("T1"), "T2_rule": claims.rule("T2"), "T3_rule": claims.rule("T3"),
        "T4_rule": claims.rule("T4"), "T5_rule": claims.rule("T5"),
        "T1_verdict": v1.verdict, "T1_key": float(v1.key_number),
        "T1_reference_year": t1["reference_year"], "T1_low_musd": t1["low_musd"], "T1_high_musd": t1["high_musd"],
        "T1_ceiling_musd": t1["ceiling_musd"], "T1_farm_gate_musd": t1["farm_gate_musd"],
        "T1_share_national_pct": t1["share_national_pct"], "T1_share_state_pct": t1["share_state_pct"],
        "T1_last_year": t1["last_year"], "T1_low_last_musd": t1["low_last_musd"],
        "T1_high_last_musd": t1["high_last_musd"], "T1_first_year_high_over": t1["first_year_high_over"],
        "T1_threshold_musd": t1["threshold_musd"],
        # T2: an island of safety
        "T2_verdict": v2.verdict, "T2_key": float(v2.key_number),
        "T2_case_rate": t2["case_rate"], "T2_case_low": t2["case_low"], "T2_case_high": t2["case_high"],
        "T2_case_deaths": t2["case_deaths"], "T2_state_rate": t2["state_rate"], "T2_belt_rate": t2["belt_rate"],
        "T2_west_rate": t2["west_rate"], "T2_west_deaths": t2["west_deaths"], "T2_rr_state": t2["rr_state"],
        "T2_rr_state_low": t2["rr_state_low"], "T2_rr_state_high": t2["rr_state_high"], "T2_rr_belt": t2["rr_belt"],
        "T2_rr_belt_low": t2["rr_belt_low"], "T2_rr_belt_high": t2["rr_belt_high"], "T2_rr_west": t2["rr_west"],
        "T2_rr_west_low": t2["rr_west_low"], "T2_rr_west_high": t2["rr_west_high"],
        "T2_before_case_rate": t2["before_case_rate"], "T2_before_state_rate": t2["before_state_rate"],
        "T2_before_case_deaths": t2["before_case_deaths"], "T2_before_west_rate": t2["before_west_rate"],
        "T2_later_case_rate": t2["later_case_rate"], "T2_later_case_deaths": t2["later_case_deaths"],
        "T2_later_state_rate": t2["later_state_rate"], "T2_later_belt_rate": t2["later_belt_rate"],
        "T2_later_case_low": t2["later_case_low"], "T2_later_case_high": t2["later_case_high"],
        "T2_later_west_rate": t2["later_west_rate"], "T2_west_names": t2["west_names"],
        "T2_ex_verdict": t2["ex_verdict"], "T2_disp_case_before": t2["disp_case_before"],
        "T2_disp_case_window": t2["disp_case_window"], "T2_disp_state": t2["disp_state"],
        "T2_disp_belt": t2["disp_belt"], "T2_disp_west": t2["disp_west"],
        "T2_ex_state_low": t2["ex_state_low"], "T2_ex_state_high": t2["ex_state_high"],
        "T2_ex_belt_low": t2["ex_belt_low"], "T2_ex_belt_high": t2["ex_belt_high"],
        "T2_ex_west_low": t2["ex_west_low"], "T2_ex_west_high": t2["ex_west_high"],
        # T3: suicide soaring
        "T3_verdict": v3.verdict, "T3_key": float(v3.key_number),
        "T3_years_available": t3["years_available"], "T3_year": t3["year"], "T3_suicides": t3["suicides"],
        "T3_population": t3["population"], "T3_rate": t3["rate"], "T3_low": t3["low"], "T3_high": t3["high"],
        "T3_state_rate": t3["state_rate"], "T3_rr_rest": t3["rr_rest"], "T3_rr_rest_low": t3["rr_rest_low"],
        "T3_rr_rest_high": t3["rr_rest_high"], "T3_expected": t3["expected"], "T3_p_upper": t3["p_upper"],
        "T3_rank": t3["rank"], "T3_n_municipalities": t3["n_municipalities"], "T3_one_death_pts": t3["one_death_pts"],
        # T4: the other militia towns relapsed
        "T4_verdict": v4.verdict, "T4_key": float(v4.key_number),
        "T4_before_rate": t4["before_rate"], "T4_after_rate": t4["after_rate"], "T4_relapse_rate": t4["relapse_rate"],
        "T4_later_rate": t4["later_rate"], "T4_rr": t4["rr"], "T4_rr_low": t4["rr_low"], "T4_rr_high": t4["rr_high"],
        "T4_n_members": t4["n_members"], "T4_n_rose": t4["n_rose"], "T4_n_above_before": t4["n_above_before"],
        "T4_case_after_rate": t4["case_after_rate"], "T4_case_relapse_rate": t4["case_relapse_rate"],
        "T4_case_before_rate": t4["case_before_rate"], "T4_case_rr": t4["case_rr"], "T4_case_rr_low": t4["case_rr_low"],
        "T4_case_rr_high": t4["case_rr_high"], "T4_case_later_rate": t4["case_later_rate"],
        # T5: every major party nominated the 2015 winner
        "T5_verdict": v5.verdict, "T5_key": float(v5.key_number),
        "T5_n_parties": t5["n_parties"], "T5_n_majors": t5["n_majors"], "T5_majors": t5["majors"],
        "T5_vote_share_pct": t5["vote_share_pct"], "T5_margin_pts": t5["margin_pts"],
        "T5_n_candidacies": t5["n_candidacies"], "T5_runner_up": t5["runner_up"], "T5_state_n": t5["state_n"],
        "T5_state_median_margin_pts": t5["state_median_margin_pts"],
        "T5_state_median_share_pct": t5["state_median_share_pct"],
        "T5_state_median_n_parties": t5["state_median_n_parties"],
        "T5_state_median_candidacies": t5["state_median_candidacies"], "T5_margin_rank": t5["margin_rank"],
        "T5_n_all_majors": t5["n_all_majors"], "T5_n_six_or_more": t5["n_six_or_more"],
    }


def _since_then() -> dict:
    """Since then: files January 2024 - June 2025 (case, groups, ratios), the state's series by instrument, and
    the old instrument's kidnapping, robbery and homicide files of 2011-2013."""
    r = since_then_rates().set_index("area")
    t = r.loc[NAME]
    rr_rest, rr_belt = since_then_ratio(NAME, REST_OF_STATE), since_then_ratio(NAME, BELT)
    rr_west = since_then_ratio(NAME, WEST_LABEL)
    st = state_sources()
    new = st[(st["series"] == "sesnsp_new_incidents") & ~st["part_year"]].set_index("year")["value"]
    new_part = st[(st["series"] == "sesnsp_new_incidents") & st["part_year"]].iloc[0]
    deaths = st[st["series"] == "inegi_deaths"].set_index("year")["value"]
    ov = state_overlap([STATE]).dropna(subset=["sesnsp_new_incidents"])
    k = crime_2011_2013().drop_duplicates(["area", "crime"]).set_index(["area", "crime"])
    kc = crime_2011_2013().query("area == @NAME").set_index(["crime", "year"])["count"]
    rk, rr_rob = crime_2011_2013_ratio("secuestro"), crime_2011_2013_ratio("robo")
    case_deaths = case_annual().set_index("year").loc[2011:2013, "homicides"]
    e = load("envipe_state")
    e = e[(e["state_code"] == STATE) & e["year"].between(2011, 2013)]
    cifra, authority = e[e["indicator"] == "cifra_negra_pct"], e[e["indicator"] == "authority_causes_pct"]
    return {
        # the case and its comparison sets, January 2024 - June 2025 (files per 100,000 a year)
        "st_case_files": t["files"], "st_case_files_2024": t["files_2024"], "st_case_files_2025": t["files_2025"],
        "st_case_rate": t["rate"], "st_case_low": t["rate_low"], "st_case_high": t["rate_high"],
        "st_months": int(t["months"]), "st_pop": float(since_population([CODE])), "st_pop_year": SINCE_POP_YEAR,
        "st_rest_rate": r.loc[REST_OF_STATE, "rate"], "st_belt_rate": r.loc[BELT, "rate"],
        "st_west_rate": r.loc[WEST_LABEL, "rate"], "st_west_files": r.loc[WEST_LABEL, "files"],
        "st_uruapan_rate": r.loc[mun_names()[URUAPAN], "rate"], "st_sd_rate": r.loc[SELF_DEFENCE, "rate"],
        "st_apatzingan_rate": r.loc[mun_names()[APATZINGAN], "rate"],
        "st_rr_rest": rr_rest.rr, "st_rr_rest_low": rr_rest.low, "st_rr_rest_high": rr_rest.high,
        "st_rr_belt": rr_belt.rr, "st_rr_belt_low": rr_belt.low, "st_rr_belt_high": rr_belt.high,
        "st_rr_west": rr_west.rr, "st_rr_west_low": rr_west.low, "st_rr_west_high": rr_west.high,
        # the state by instrument (counts; never joined)
        "st_state_new_peak": int(new.max()), "st_state_new_peak_year": int(new.idxmax()),
        "st_state_new_2024": int(new[2024]), "st_state_new_2025": int(new_part["value"]),
        "st_state_new_2025_pace": float(new_part["per_year"]),
        "st_state_new_fall_pct": float(100 * (1 - new[2024] / new.max())),
        "st_state_deaths_last_year": int(deaths.index.max()), "st_state_deaths_last": int(deaths.iloc[-1]),
        "st_state_deaths_peak": int(deaths.max()), "st_state_deaths_peak_year": int(deaths.idxmax()),
        "st_files_per_death_min": float(ov["sesnsp_new_incidents_per_death"].min()),
        "st_files_per_death_max": float(ov["sesnsp_new_incidents_per_death"].max()),
        "st_overlap_first": int(ov["year"].min()), "st_overlap_last": int(ov["year"].max()),
        # the old instrument, 2011-2013: kidnapping, robbery and homicide files
        "k_case_kidnap": float(kc.loc["secuestro"].sum()), "k_case_kidnap_2013": float(kc.loc[("secuestro", 2013)]),
        "k_case_kidnap_rate": k.loc[(NAME, "secuestro"), "rate"],
        "k_rest_kidnap_rate": k.loc[(REST_OF_STATE, "secuestro"), "rate"],
        "k_rr_kidnap": rk.rr, "k_rr_kidnap_low": rk.low, "k_rr_kidnap_high": rk.high,
        "k_sd_kidnap": float(k.loc[(SELF_DEFENCE, "secuestro"), "total"]),
        "k_case_robbery": float(kc.loc["robo"].sum()), "k_case_robbery_rate": k.loc[(NAME, "robo"), "rate"],
        "k_rest_robbery_rate": k.loc[(REST_OF_STATE, "robo"), "rate"], "k_rr_robbery": rr_rob.rr,
        "k_case_hom_files": float(kc.loc["homicidio_doloso"].sum()), "k_case_deaths": float(case_deaths.sum()),
        "k_cifra_min": float(cifra["value"].min()), "k_cifra_max": float(cifra["value"].max()),
        "k_authority_min": float(authority["value"].min()), "k_authority_max": float(authority["value"].max()),
        "st_state_new_2016": int(new[2016]),
    }


def numbers() -> dict:
    """Every value the chapter glues, keyed by its glue name, as plain Python values (``values.plain``)."""
    out: dict = {}
    for part in (_overview(), _periods(), _society(), _avocados(), _counterfactual(), _elections(), _claims(),
                 _since_then(), research.numbers()):
        twice = set(out) & set(part)
        if twice:
            raise KeyError(f"glue keys made twice: {sorted(twice)}")
        out.update(part)
    return values.plain_dict(out)
