"""Ciudad Nezahualcóyotl: every value the chapter glues, as one dict of plain values (:func:`numbers`).

Keys are written literally, grouped by the chapter section that first uses them; derived percentages are
computed here so the chapter does no arithmetic of its own ("x percent lower" = 100 × (1 − ratio)). The
claims' booleans (``n1_far_*``) are not glued: the chapter states the verdicts instead.
"""

from __future__ import annotations

import numpy as np

from ... import claims, series
from ...data import load
from ...geo import NATIONAL_NAME
from ...values import plain_dict
from . import research
from .case import (
    ARTICLE_WINDOW,
    BREAK_YEAR,
    CDMX,
    CDMX_NAME,
    CI_LEVEL,
    CODE,
    EARLY_WINDOW,
    ECATEPEC,
    FAKE_START,
    FAR_SAFER_RR,
    GROUP_LABELS,
    IZTAPALAPA,
    LAST_YEAR,
    LATEST_WINDOW,
    LOO_TOP,
    MB_MONTHS,
    NAME,
    NATION,
    PEAK_WINDOW,
    PRE_START,
    RATIO_LABELS,
    SINCE_POP_YEAR,
    SINCE_STATE_FROM,
    STATE,
    STATE_NAME,
    TEXCOCO,
)
from .series import (
    annual_ratios,
    comparison_rates,
    counterfactual,
    elections,
    envipe,
    files_and_deaths,
    governors,
    members,
    monthly_before_after,
    monthly_rolling,
    municipal,
    names,
    neighbours,
    neza_terms,
    party_permutation_test,
    party_summary,
    sesnsp_change,
    sesnsp_n_higher,
    sesnsp_neighbours,
    sesnsp_rate,
    sesnsp_rates,
    since_rate,
    since_ratio,
    since_then,
    state_since,
    window_rate,
    window_ratio,
)

HOMICIDE = "homicidio_doloso"
RVCV = "robo_vehiculo_con_violencia"


def numbers() -> dict:
    """Every number (and short string) the chapter's prose glues, as plain Python values."""
    out: dict = {}
    for part in (_before(), _break(), _after(), _sesnsp(), _files_deaths_and_threshold(), _envipe(), _counterfactual(),
                 _claims(), _costs_and_limits(), _since_then(), research.numbers()):
        twice = set(out) & set(part)
        if twice:
            raise KeyError(f"glue keys made twice: {sorted(twice)}")
        out.update(part)
    return plain_dict(out)


def _before() -> dict:
    """Overview, timeline and "before": Neza's rates at the dates the text names, its state and the nation."""
    d = comparison_rates()

    def v(area, year):
        return float(d[(d["area"] == area) & (d["year"] == year)]["homicide_rate"].iloc[0])

    nz = d[d["area"] == NAME].set_index("year")
    pre = nz.loc[2000:2009, "homicide_rate"]
    low_year = int(pre.idxmin())
    mg = load("marginalization_municipal")
    mz = mg[(mg["mun_code"] == CODE)].set_index("year")
    n_mun_2010 = int((mg["year"] == 2010).sum())
    rank_2010 = int(mz.at[2010, "rank_national"])
    return {
        # overview and timeline
        "neza_1990_pop_m": float(nz.at[1990, "population"]) / 1e6,
        "neza_2021_pop_m": float(nz.at[LAST_YEAR, "population"]) / 1e6,
        "neza_1990_rate": v(NAME, 1990), "neza_1999_rate": v(NAME, 1999), "neza_2012_rate": v(NAME, 2012),
        "neza_2000s_min": float(pre.min()), "neza_2000s_max": float(pre.max()),
        # before
        "neza_1990_homicides": int(nz.at[1990, "homicides"]),
        "edomex_1990_rate": v(STATE_NAME, 1990), "nation_1990_rate": v(NATIONAL_NAME, 1990),
        "neza_low_year": low_year, "neza_low_rate": v(NAME, low_year),
        "neza_2009_rate": v(NAME, 2009), "neza_2010_rate": v(NAME, 2010),
        "neza_2009_homicides": int(nz.at[2009, "homicides"]), "neza_2010_homicides": int(nz.at[2010, "homicides"]),
        "pct_2010_rise": 100 * (int(nz.at[2010, "homicides"]) / int(nz.at[2009, "homicides"]) - 1),
        "edomex_2012_rate": v(STATE_NAME, 2012), "nation_2012_rate": v(NATIONAL_NAME, 2012),
        "edomex_2000_rate": v(STATE_NAME, 2000), "nation_2000_rate": v(NATIONAL_NAME, 2000),
        "neza_2000_rate": v(NAME, 2000),
        "neza_marg_rank_2010": rank_2010, "n_mun_2010": n_mun_2010,
        "neza_marg_less_pct": 100 * (n_mun_2010 - rank_2010) / n_mun_2010,
        "neza_marg_rank_1990": int(mz.at[1990, "rank_national"]),
        "ci_level": CI_LEVEL,
        # the break: the first years of the reform era
        "neza_2013_rate": v(NAME, 2013), "neza_2014_rate": v(NAME, 2014),
        "neza_2013_homicides": int(nz.at[2013, "homicides"]), "neza_2014_homicides": int(nz.at[2014, "homicides"]),
        "pct_2014_drop": 100 * (1 - int(nz.at[2014, "homicides"]) / int(nz.at[2013, "homicides"])),
        "neza_2013_low": float(nz.at[2013, "rate_low"]), "neza_2013_high": float(nz.at[2013, "rate_high"]),
        "neza_2014_low": float(nz.at[2014, "rate_low"]), "neza_2014_high": float(nz.at[2014, "rate_high"]),
    }


def _break() -> dict:
    """The break: monthly counts around January 2013, the municipal margins and the state's governors."""
    mb = monthly_before_after()
    nz = elections()
    nz = nz[nz["mun_code"] == CODE]

    def margin(year):
        return 100 * float(nz.loc[nz["year"] == year, "margin"].iloc[0])

    gm = governors()
    gm = gm[gm["state_code"] == STATE]
    return {
        "mb_months": MB_MONTHS,
        "mb_before_mean": mb["before_mean"], "mb_after_mean": mb["after_mean"],
        "mb_before_min": mb["before_min"], "mb_before_max": mb["before_max"],
        "pct_monthly_drop": 100 * (1 - mb["after_mean"] / mb["before_mean"]),
        "margin_2009": margin(2009), "margin_2012": margin(2012), "margin_2015": margin(2015),
        "margin_2018": margin(2018), "margin_2021": margin(2021),
        "n_gov_edomex": int((gm["start_year"] <= 2017).sum()),
        "n_gov_edomex_pri": int(((gm["start_year"] <= 2017) & (gm["party_family"] == "pri")).sum()),
        "n_neza_elections": len(nz), "neza_first_election": int(nz["year"].min()),
        "neza_last_election": int(nz["year"].max()),
    }


def _after() -> dict:
    """After: window rates and rate ratios, the annual ratios, the rolling monthly rates and Neza's terms."""
    ring, cdmx = GROUP_LABELS["east_ring"], GROUP_LABELS["cdmx_boroughs"]
    early, peak, article, latest = EARLY_WINDOW, PEAK_WINDOW, ARTICLE_WINDOW, LATEST_WINDOW

    def rate(area, w):
        return window_rate(area, w)[0]

    def ratio(area, w):
        return window_ratio(NAME, w, area, w)

    ring_a, cdmx_a, edomex_a = ratio(ring, article), ratio(cdmx, article), ratio(STATE_NAME, article)
    ring_l, cdmx_l, edomex_l = ratio(ring, latest), ratio(cdmx, latest), ratio(STATE_NAME, latest)
    rr = annual_ratios()
    ringr = rr[rr["comparison"] == RATIO_LABELS["east_ring"]]
    cd = rr[rr["comparison"] == RATIO_LABELS["cdmx_boroughs"]]
    mr = monthly_rolling()
    last = mr[mr["t"] == mr["t"].max()].set_index("area")["rate12"]
    return {
        # rates over the four windows
        "neza_early_rate": rate(NAME, early), "neza_early_homicides": window_rate(NAME, early)[1],
        "ring_early_rate": rate(ring, early), "edomex_early_rate": rate(STATE_NAME, early),
        "nation_early_rate": rate(NATIONAL_NAME, early),
        "neza_peak_rate": rate(NAME, peak), "neza_peak_homicides": window_rate(NAME, peak)[1],
        "ring_peak_rate": rate(ring, peak), "edomex_peak_rate": rate(STATE_NAME, peak),
        "nation_peak_rate": rate(NATIONAL_NAME, peak), "cdmx_peak_rate": rate(cdmx, peak),
        "neza_article_rate": rate(NAME, article), "neza_article_homicides": window_rate(NAME, article)[1],
        "ring_article_rate": rate(ring, article), "edomex_article_rate": rate(STATE_NAME, article),
        "nation_article_rate": rate(NATIONAL_NAME, article), "cdmx_article_rate": rate(cdmx, article),
        "neza_latest_rate": rate(NAME, latest), "neza_latest_homicides": window_rate(NAME, latest)[1],
        "ring_latest_rate": rate(ring, latest), "edomex_latest_rate": rate(STATE_NAME, latest),
        "nation_latest_rate": rate(NATIONAL_NAME, latest), "cdmx_latest_rate": rate(cdmx, latest),
        "pct_latest_below_article": 100 * (1 - rate(NAME, latest) / rate(NAME, article)),
        # Neza's rate against its neighbours and its state, at the article and latest
        "rr_ring_article": ring_a.rr, "rr_ring_article_low": ring_a.low, "rr_ring_article_high": ring_a.high,
        "rr_cdmx_article": cdmx_a.rr, "rr_cdmx_article_low": cdmx_a.low, "rr_cdmx_article_high": cdmx_a.high,
        "rr_edomex_article": edomex_a.rr, "rr_edomex_article_low": edomex_a.low,
        "rr_edomex_article_high": edomex_a.high,
        "rr_ring_latest": ring_l.rr, "rr_ring_latest_low": ring_l.low, "rr_ring_latest_high": ring_l.high,
        "rr_cdmx_latest": cdmx_l.rr, "rr_cdmx_latest_low": cdmx_l.low, "rr_cdmx_latest_high": cdmx_l.high,
        "rr_edomex_latest": edomex_l.rr, "rr_edomex_latest_low": edomex_l.low,
        "rr_edomex_latest_high": edomex_l.high,
        "pct_below_ring_latest": 100 * (1 - ring_l.rr), "pct_below_cdmx_latest": 100 * (1 - cdmx_l.rr),
        "pct_below_edomex_latest": 100 * (1 - edomex_l.rr), "pct_below_edomex_article": 100 * (1 - edomex_a.rr),
        # year by year
        "ring_years_below": int((ringr["rr_high"] < 1).sum()), "ring_years": len(ringr),
        "ring_first_year_below": int(ringr[ringr["rr_high"] < 1]["year"].min()),
        "cdmx_years_above": int((cd["rr_low"] > 1).sum()), "cdmx_years_below": int((cd["rr_high"] < 1).sum()),
        "cdmx_years": len(cd),
        # one neighbour at a time (rolling twelve months, last quarter)
        "n_neighbours_above_neza_last": int((last.drop(NAME) > last[NAME]).sum()), "n_neighbours": len(last) - 1,
        **_terms(),
    }


def _terms() -> dict:
    """After (party and safety): who won Neza and its neighbours, and Neza's terms against the eastern ring."""
    s = party_summary()
    row = s.set_index("mun_code")
    t = neza_terms()
    td = t[t["has_data"]]
    pt = party_permutation_test()
    pri_t = td[td["family"] == "PRI"]
    oth_t = td[td["family"] != "PRI"]

    def term(election, column="rr"):
        return float(t.loc[t["election"] == election, column].iloc[0])

    return {
        "neza_elections_to_2015": int(row.at[CODE, "elections"]), "neza_third_to_2015": int(row.at[CODE, "third"]),
        "neza_third_share": float(row.at[CODE, "share_third"]),
        "neza_rank_third": int(list(s["mun_code"]).index(CODE) + 1), "n_compared_muns": len(s),
        "n_neighbours_third_majority": int((s[s["mun_code"] != CODE]["share_third"] >= 0.5).sum()),
        "texcoco_third": int(row.at[TEXCOCO, "third"]), "texcoco_elections": int(row.at[TEXCOCO, "elections"]),
        "ecatepec_third": int(row.at[ECATEPEC, "third"]), "ecatepec_elections": int(row.at[ECATEPEC, "elections"]),
        "pt_n_terms": pt["n_terms"], "pt_n_pri": pt["n_pri"],
        "pt_n_other": pt["n_terms"] - pt["n_pri"], "pt_arrangements": pt["n_arrangements"],
        "pt_ratio": pt["ratio_pri_vs_other"], "pt_p": pt["p_value"], "pt_min_p": pt["min_p"],
        "pt_diff_pct": 100 * (pt["ratio_pri_vs_other"] - 1),
        "pri_terms_rr_mean": float(np.exp(np.log(pri_t["rr"]).mean())),
        "other_terms_rr_mean": float(np.exp(np.log(oth_t["rr"]).mean())),
        "term_2010_rr": term(2009), "term_2007_rr": term(2006), "term_2013_rr": term(2012),
        "term_2016_rr": term(2015), "term_2019_rr": term(2018), "term_1991_rr": term(1990),
        "term_1994_rr": term(1993), "term_1997_rr": term(1996),
        "term_2010_neza_rate": term(2009, "neza_rate"), "term_2007_neza_rate": term(2006, "neza_rate"),
        "n_terms_with_data": len(td),
    }


def _files_deaths_and_threshold() -> dict:
    """Neza's homicide files beside its death records, 2013-2015, and how N1's verdict moves with its threshold."""
    from .claims import n1_sensitivity

    fd = files_and_deaths().set_index("year")
    sens = n1_sensitivity()
    same = [t for t, v in sens if v == claims.evaluate("N1").verdict]
    other = [(t, v) for t, v in sens if v != claims.evaluate("N1").verdict]
    text = (f"{claims.evaluate('N1').verdict} for thresholds from {min(same):.2f} to {max(same):.2f}"
            + ("" if not other else "; " + "; ".join(f"{v} at {t:.2f}" for t, v in other)))
    return {
        "fd_files_2013": int(fd.loc[2013, "files"]), "fd_files_2014": int(fd.loc[2014, "files"]),
        "fd_files_2015": int(fd.loc[2015, "files"]), "fd_deaths_2013": int(fd.loc[2013, "deaths"]),
        "fd_deaths_2014": int(fd.loc[2014, "deaths"]), "fd_deaths_2015": int(fd.loc[2015, "deaths"]),
        "n1_threshold": FAR_SAFER_RR, "n1_sensitivity": text,
    }

def _sesnsp() -> dict:
    """After (other crimes): SESNSP's municipal series, Neza against the neighbours it covers, 2013 and 2015."""
    others = sesnsp_neighbours()
    neza_rvcv = 100 * sesnsp_change(CODE, RVCV)
    others_rvcv = 100 * float(np.median([sesnsp_change(c, RVCV) for c in others]))
    kid = sesnsp_rates()
    kid = kid[(kid["mun_code"] == CODE) & (kid["crime"] == "secuestro") & (kid["year"] == 2015)]
    return {
        "ses_n_cities": int(load("crime_municipal_monthly")["mun_code"].nunique()),
        "ses_neza_homicidio_doloso_2013": sesnsp_rate(CODE, HOMICIDE, 2013),
        "ses_neza_homicidio_doloso_2015": sesnsp_rate(CODE, HOMICIDE, 2015),
        "ses_neza_robo_vehiculo_con_violencia_2013": sesnsp_rate(CODE, RVCV, 2013),
        "ses_neza_robo_vehiculo_con_violencia_2015": sesnsp_rate(CODE, RVCV, 2015),
        "ses_neza_extorsion_2013": sesnsp_rate(CODE, "extorsion", 2013),
        "ses_neza_extorsion_2015": sesnsp_rate(CODE, "extorsion", 2015),
        "ses_neza_secuestro_2013": sesnsp_rate(CODE, "secuestro", 2013),
        "ses_neza_secuestro_2015": sesnsp_rate(CODE, "secuestro", 2015),
        "ses_neza_kidnap_2015_n": int(kid["incidents"].iloc[0]),
        "ses_n_sesnsp_neighbours": len(others),
        "ses_sesnsp_neighbour_names": ", ".join(names()[c] for c in others),
        "ses_n_higher_homicide_2015": sesnsp_n_higher(HOMICIDE, 2015),
        "ses_neza_rvcv_change_pct": neza_rvcv,
        "ses_others_rvcv_change_median_pct": others_rvcv,
        "ses_n_higher_rvcv_2015": sesnsp_n_higher(RVCV, 2015),
        "ses_iztapalapa_rvcv_2015": sesnsp_rate(IZTAPALAPA, RVCV, 2015),
        "ses_ecatepec_rvcv_2015": sesnsp_rate(ECATEPEC, RVCV, 2015),
        "rvcv_ratio_izt": sesnsp_rate(CODE, RVCV, 2015) / sesnsp_rate(IZTAPALAPA, RVCV, 2015),
        # the percentage changes go through the glued change (1 + change / 100), as the prose reads them
        "pct_rvcv_drop": 100 * (1 - (1 + neza_rvcv / 100)),
        "pct_others_rvcv_drop": 100 * (1 - (1 + others_rvcv / 100)),
        "pct_extortion_drop": 100 * (1 - sesnsp_rate(CODE, "extorsion", 2015) / sesnsp_rate(CODE, "extorsion", 2013)),
    }


def _envipe() -> dict:
    """After (trust and reporting): ENVIPE for Estado de México, Mexico City and the nation."""
    e = envipe()
    nation = NATION

    def v(state, ind, year):
        return float(e[(e["state_code"] == state) & (e["indicator"] == ind) & (e["year"] == year)]["value"].iloc[0])

    def avg(state, ind):
        return float(e[(e["state_code"] == state) & (e["indicator"] == ind)]["value"].mean())

    ins = e[e["indicator"] == "insecurity_api"]
    gap = (ins[ins.state_code == STATE].set_index("year")["value"] - ins[ins.state_code == nation]
           .set_index("year")["value"]).dropna()
    first_ins, last_ins = int(ins["year"].min()), int(ins["year"].max())
    cn = e[e["indicator"] == "cifra_negra_pct"]
    cn_state = cn[cn.state_code == STATE]
    return {
        "env_ins_first_year": first_ins, "env_ins_last_year": last_ins,
        "env_ins_edomex_first": v(STATE, "insecurity_api", first_ins),
        "env_ins_nation_first": v(nation, "insecurity_api", first_ins),
        "env_ins_edomex_last": v(STATE, "insecurity_api", last_ins),
        "env_ins_nation_last": v(nation, "insecurity_api", last_ins),
        "env_ins_gap_min": float(gap.min()), "env_ins_gap_max": float(gap.max()),
        "env_ins_years_above": int((gap > 0).sum()), "env_ins_years": len(gap),
        "env_cn_first_year": int(cn["year"].min()), "env_cn_last_year": int(cn["year"].max()),
        "env_cn_edomex_mean": avg(STATE, "cifra_negra_pct"), "env_cn_nation_mean": avg(nation, "cifra_negra_pct"),
        "env_cn_edomex_max": float(cn_state["value"].max()),
        "env_cn_edomex_max_year": int(cn_state.set_index("year")["value"].idxmax()),
        "env_auth_edomex_mean": avg(STATE, "authority_causes_pct"),
        "env_auth_nation_mean": avg(nation, "authority_causes_pct"),
        "env_auth_cdmx_mean": avg(CDMX, "authority_causes_pct"),
        "env_auth_gap": avg(STATE, "authority_causes_pct") - avg(nation, "authority_causes_pct"),
        "neza_state_share_inv": _state_share_inv(),
    }


def _state_share_inv() -> float:
    """Estado de México's population over Neza's in 2015 (Neza holds one resident in this many)."""
    st = series.state_homicide_rates([STATE])
    nz = municipal()
    nz = nz[nz["mun_code"] == CODE]
    return (float(st.loc[st["year"] == 2015, "population"].iloc[0])
            / float(nz.loc[nz["year"] == 2015, "population"].iloc[0]))


def _counterfactual() -> dict:
    """The counterfactual: the synthetic control, its placebo tests and its variants."""
    cf = counterfactual()
    r, rn, pt, lo = cf.main, cf.variants["no_neighbours"], cf.placebo_time, cf.leave_one_out
    post = r.gap[r.gap.index >= BREAK_YEAR]
    synth_post = r.synthetic[r.synthetic.index >= BREAK_YEAR]
    w = r.top_weights()
    ratios = r.placebo["ratio"]
    var_att = [r.att, *(v.att for k, v in cf.variants.items() if k.startswith("pool_factor_"))]
    att_pct = 100 * float(post.sum() / synth_post.sum())
    better_fit = float((r.placebo["pre_rmspe"] <= r.pre_rmspe).mean())
    nz = municipal()
    post_pop = float(nz.loc[(nz["mun_code"] == CODE) & (nz["year"] >= BREAK_YEAR), "population"].mean())
    return {
        "sc_donors": len(r.weights), "sc_n_cdmx_donors": sum(c.startswith(CDMX) for c in cf.donors),
        "sc_pre_years": BREAK_YEAR - PRE_START,
        "sc_att": r.att, "sc_att_abs": -r.att, "sc_pre_rmspe": r.pre_rmspe, "sc_post_rmspe": r.post_rmspe,
        "sc_ratio": r.ratio, "sc_p": r.p_value, "sc_rank": int((ratios >= r.ratio).sum() + 1),
        "sc_units": len(ratios) + 1, "sc_n_larger": int((ratios >= r.ratio).sum()),
        "sc_att_pct": att_pct, "sc_att_pct_abs": -att_pct,
        "sc_n_weights": len(w), "sc_top_name": names()[w.index[0]], "sc_top_weight": float(w.iloc[0]),
        "sc_weights_text": ", ".join(f"{names()[c]} ({v:.2f})" for c, v in w.items()),
        "sc_gap_2014": float(r.gap.loc[2014]), "sc_gap_2013": float(r.gap.loc[2013]),
        "sc_years_below": int((post < 0).sum()), "sc_post_years": len(post),
        "neza_post_pop_mean": post_pop, "sc_lives_per_year": -r.att * post_pop / 1e5,
        # without the neighbours in the pool
        "sc_nn_donors": len(rn.weights), "sc_nn_att": rn.att, "sc_nn_att_abs": -rn.att,
        "sc_nn_pre_rmspe": rn.pre_rmspe, "sc_nn_ratio": rn.ratio, "sc_nn_p": rn.p_value,
        "sc_nb_weight_pct": 100 * float(r.weights.reindex(neighbours()).fillna(0).sum()),
        # placebo in time, leave one out, wider pools
        "sc_pit_start": FAKE_START, "sc_pit_att": pt.att, "sc_pit_pre_rmspe": pt.pre_rmspe, "sc_pit_ratio": pt.ratio,
        "loo_top": LOO_TOP,
        "sc_loo_min": float(lo["att"].min()), "sc_loo_max": float(lo["att"].max()),
        "sc_loo_min_abs": -float(lo["att"].min()), "sc_loo_max_abs": -float(lo["att"].max()),
        "sc_loo_weakest": str(lo.loc[lo["att"].idxmax(), "dropped_name"]),
        "sc_var_att_min": float(min(var_att)), "sc_var_att_max": float(max(var_att)),
        "sc_var_att_min_abs": -float(max(var_att)), "sc_var_att_max_abs": -float(min(var_att)),
        "sc_better_fit_share": better_fit, "sc_better_fit_pct": 100 * better_fit,
    }


def _claims() -> dict:
    """Claims: the verdicts of N1 and N2 with their numbers and evidence."""
    v1, v2 = claims.evaluate("N1"), claims.evaluate("N2")
    n1, n2 = v1.numbers, v2.numbers
    return {
        "n1_rule": claims.rule("N1"), "n2_rule": claims.rule("N2"),
        "n1_verdict": v1.verdict, "n1_key": v1.key_number, "n1_key_label": v1.key_label, "n1_evidence": v1.evidence,
        "n1_rr_early": n1["n1_rr_early"], "n1_rr_early_low": n1["n1_rr_early_low"],
        "n1_rr_early_high": n1["n1_rr_early_high"],
        "n1_rr_peak": n1["n1_rr_peak"], "n1_rr_peak_low": n1["n1_rr_peak_low"],
        "n1_rr_peak_high": n1["n1_rr_peak_high"],
        "n1_rr_ring": n1["n1_rr_ring"], "n1_rr_ring_low": n1["n1_rr_ring_low"],
        "n1_rr_ring_high": n1["n1_rr_ring_high"],
        "n1_rr_cdmx": n1["n1_rr_cdmx"], "n1_rr_cdmx_low": n1["n1_rr_cdmx_low"],
        "n1_rr_cdmx_high": n1["n1_rr_cdmx_high"],
        "n1_neza_rate": n1["n1_neza_rate"], "n1_ring_rate": n1["n1_ring_rate"], "n1_cdmx_rate": n1["n1_cdmx_rate"],
        "n1_sesnsp_higher_homicide": n1["n1_sesnsp_higher_homicide"],
        "n1_sesnsp_neighbours": n1["n1_sesnsp_neighbours"],
        "pct_below_early": 100 * (1 - n1["n1_rr_early"]), "pct_below_peak": 100 * (1 - n1["n1_rr_peak"]),
        "pct_below_ring": 100 * (1 - n1["n1_rr_ring"]), "pct_below_cdmx": 100 * (1 - n1["n1_rr_cdmx"]),
        "n2_verdict": v2.verdict, "n2_key": v2.key_number, "n2_key_label": v2.key_label, "n2_evidence": v2.evidence,
        "n2_at_article_year": n2["n2_at_article_year"], "n2_at_article_family": n2["n2_at_article_family"],
        "n2_share_third": n2["n2_share_third"], "n2_share_third_pct": 100 * n2["n2_share_third"],
        "n2_share_differs": n2["n2_share_differs"], "n2_share_differs_pct": 100 * n2["n2_share_differs"],
        "n2_elections": n2["n2_elections"], "n2_third": n2["n2_third"], "n2_pri_wins": n2["n2_pri_wins"],
        "n2_later": n2["n2_later"],
    }


def _costs_and_limits() -> dict:
    """Costs (the latest years) and limits (sizes, anomalies, the exercise's pooled ring)."""
    d = comparison_rates()
    nz = d[d["area"] == NAME].set_index("year")
    st = series.state_homicide_rates([STATE])
    h = municipal()
    izt = h[(h["mun_code"] == IZTAPALAPA) & (h["year"] == 1992)].iloc[0]
    neza = h[h["mun_code"] == CODE]
    ring = h[h["mun_code"].isin(members("east_ring")) & h["year"].between(*ARTICLE_WINDOW)]
    ecat = ring[ring["mun_code"] == ECATEPEC]["population"].sum() / ring["population"].sum()
    return {
        # costs
        "edomex_2022_rate": float(st.loc[st["year"] == 2022, "homicide_rate"].iloc[0]),
        "neza_2018_rate": float(nz.at[2018, "homicide_rate"]), "neza_2019_rate": float(nz.at[2019, "homicide_rate"]),
        "neza_2020_rate": float(nz.at[2020, "homicide_rate"]), "neza_2021_rate": float(nz.at[2021, "homicide_rate"]),
        "neza_2021_homicides": int(nz.at[2021, "homicides"]),
        "neza_2021_low": float(nz.at[2021, "rate_low"]), "neza_2021_high": float(nz.at[2021, "rate_high"]),
        # limits
        "neza_hom_min": int(neza["homicides"].min()), "neza_hom_max": int(neza["homicides"].max()),
        "izt_1992_homicides": int(izt["homicides"]), "izt_1992_pop_m": float(izt["population"]) / 1e6,
        # exercises
        "ecatepec_ring_share_pct": 100 * float(ecat),
    }


def _since_then() -> dict:
    """Since then: SESNSP's homicide investigation files, January 2024 – June 2025 (files, not deaths), per
    100,000 a year over the SINCE_POP_YEAR census, and the two states' counts in each instrument (prefix st_)."""
    ring, cdmx = GROUP_LABELS["east_ring"], GROUP_LABELS["cdmx_boroughs"]
    nz, rg, cd = since_rate(NAME), since_rate(ring), since_rate(cdmx)
    rr_ring, rr_cdmx = since_ratio(NAME, ring), since_ratio(NAME, cdmx)
    d = since_then()
    one = d[(d["group"] == "One neighbour") & (d["year"] == 0)]
    lower = one[one["rate"] < nz["rate"]]
    s = state_since(full_years=False)
    w = s.pivot_table(index="year", columns=["state_code", "series"], values="value")
    em_files, cd_files = w[(STATE, "sesnsp_new_incidents")], w[(CDMX, "sesnsp_new_incidents")]
    em_deaths, cd_deaths = w[(STATE, "inegi_deaths")].dropna(), w[(CDMX, "inegi_deaths")].dropna()
    em_fpd, cd_fpd = em_files[em_deaths.index] / em_deaths, cd_files[cd_deaths.index] / cd_deaths
    full = state_since(full_years=True)
    em_full = full[(full["state_code"] == STATE) & (full["series"] == "sesnsp_new_incidents")].set_index("year")
    return {
        "st_pop_year": SINCE_POP_YEAR, "st_state_from": SINCE_STATE_FROM,
        # Neza, January 2024 – June 2025
        "st_neza_n_2024": int(since_rate(NAME, 2024)["count"]), "st_neza_n_2025": int(since_rate(NAME, 2025)["count"]),
        "st_neza_rate": nz["rate"], "st_neza_low": nz["rate_low"], "st_neza_high": nz["rate_high"],
        "st_neza_rate_2024": since_rate(NAME, 2024)["rate"], "st_neza_rate_2025": since_rate(NAME, 2025)["rate"],
        # the neighbours, the two states and the nation
        "st_ring_rate": rg["rate"], "st_ring_low": rg["rate_low"], "st_ring_high": rg["rate_high"],
        "st_cdmx_rate": cd["rate"], "st_cdmx_low": cd["rate_low"], "st_cdmx_high": cd["rate_high"],
        "st_rr_ring": rr_ring.rr, "st_rr_ring_low": rr_ring.low, "st_rr_ring_high": rr_ring.high,
        "st_rr_cdmx": rr_cdmx.rr, "st_rr_cdmx_low": rr_cdmx.low, "st_rr_cdmx_high": rr_cdmx.high,
        # claim N1's rule for "far safer" (ratio at most FAR_SAFER_RR, interval below one), read on the files
        "st_far_ring": _far(rr_ring), "st_far_cdmx": _far(rr_cdmx),
        "st_n_neighbours": len(one), "st_n_neighbours_lower": len(lower),
        "st_neighbours_lower_names": ", ".join(lower["area"]),
        "st_edomex_rate": since_rate(STATE_NAME)["rate"], "st_cdmx_city_rate": since_rate(CDMX_NAME)["rate"],
        "st_nat_rate": since_rate(NATIONAL_NAME)["rate"],
        # the states in each instrument: files per death where both exist, the latest counts
        "st_overlap_last": int(em_deaths.index.max()),
        "st_edomex_fpd_min": float(em_fpd.min()), "st_edomex_fpd_max": float(em_fpd.max()),
        "st_cdmx_fpd_min": float(cd_fpd.min()), "st_cdmx_fpd_max": float(cd_fpd.max()),
        "st_edomex_deaths_last": int(em_deaths.iloc[-1]),
        "st_edomex_files_2022": int(em_files[2022]), "st_edomex_files_2024": int(em_files[2024]),
        "st_edomex_files_2025": int(em_files[2025]),
        "st_edomex_files_max_year": int(em_full["value"].idxmax()), "st_edomex_files_max": int(em_full["value"].max()),
        "st_edomex_files_min_year": int(em_full["value"].idxmin()),
    }


def _far(r) -> str:
    """Whether a rate ratio meets claim N1's rule for "far safer", in the words the chapter uses."""
    return "meets" if r.rr <= FAR_SAFER_RR and r.high < 1 else "does not meet"

