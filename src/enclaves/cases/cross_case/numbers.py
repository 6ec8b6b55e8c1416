"""Cross-case analysis: every value the chapter glues, as plain Python values, keys written literally.

:func:`numbers` joins one literal dict per part of the chapter (the cases side by side, the data, across the
states, within the states, the municipalities, the verdict on X1); :func:`tables` holds the one glued table.
"""

from __future__ import annotations

import pandas as pd

from ... import claims, stats, values
from ...series import state_names
from .. import compare
from . import case, series


def _direction(att: float) -> str:
    return "below" if att < 0 else "above"


def cases_numbers() -> dict:
    """The cases side by side: each case's counterfactual gap and placebo p-value, and its rate against its
    state's before the break and at the end of the data (from :mod:`enclaves.cases.compare`)."""
    cf = compare.counterfactuals().set_index("slug")
    du = compare.durability().set_index("slug")
    tan, mty, neza = cf.loc["tancitaro"], cf.loc["monterrey"], cf.loc["nezahualcoyotl"]
    return {
        "cmp_tan_att": tan.att, "cmp_tan_abs": abs(tan.att), "cmp_tan_dir": _direction(tan.att),
        "cmp_tan_p": tan.p_value,
        "cmp_tan_before": du.loc["tancitaro", "before"], "cmp_tan_latest": du.loc["tancitaro", "latest"],
        "cmp_mty_att": mty.att, "cmp_mty_abs": abs(mty.att), "cmp_mty_dir": _direction(mty.att),
        "cmp_mty_p": mty.p_value,
        "cmp_mty_before": du.loc["monterrey", "before"], "cmp_mty_latest": du.loc["monterrey", "latest"],
        "cmp_neza_att": neza.att, "cmp_neza_abs": abs(neza.att), "cmp_neza_dir": _direction(neza.att),
        "cmp_neza_p": neza.p_value,
        "cmp_neza_before": du.loc["nezahualcoyotl", "before"],
        "cmp_neza_latest": du.loc["nezahualcoyotl", "latest"],
        "cmp_n_cases": int(len(cf)),
        "cmp_n_cases_words": ("no", "one", "two", "three", "four", "five", "six")[min(len(cf), 6)],
        "cmp_cheran_att": cf.loc["cheran", "att"], "cmp_cheran_abs": abs(cf.loc["cheran", "att"]),
        "cmp_cheran_dir": _direction(cf.loc["cheran", "att"]), "cmp_cheran_p": cf.loc["cheran", "p_value"],
        "cmp_cheran_before": du.loc["cheran", "before"], "cmp_cheran_latest": du.loc["cheran", "latest"],
        "cmp_n_below": int((cf["att"] < 0).sum()),
        "cmp_n_clear": int((cf["p_value"] <= compare.CLEAR_P).sum()),
        "cmp_clear_p": compare.CLEAR_P,
    }


def data_numbers() -> dict:
    """What the data can measure: the states' homicide rates, the ENVIPE measures' ranges across states, the
    WJP correlations (the scores themselves are not republished), and the governors' alternations."""
    d = series.state_panel()
    later = d[d.year.between(*case.LATER_YEARS)]
    by_state = later.groupby("state_name").homicide_rate.mean()
    b = series.between_states()
    w = series.wjp_change()
    w19, w23 = series.wjp_level(2019, "log"), series.wjp_level(2023, "log")
    g = series.governor_years(case.FIRST_YEAR + 1, case.LAST_YEAR)
    starts = g[g.year == g.gov_start_year.astype(int) + 1]
    never = g.groupby("state_code")["gov_family"].apply(lambda s: set(s.dropna()) == {"pri"})
    strict_differs = d.gov_alternation != d.gov_alternation_strict
    return {
        # violence
        "xc_n_states": d.state_code.nunique(),
        "xc_rate_mean_later": later.homicide_rate.mean(),
        "xc_rate_state_max": by_state.max(), "xc_rate_state_max_name": str(by_state.idxmax()),
        "xc_rate_state_min": by_state.min(), "xc_rate_state_min_name": str(by_state.idxmin()),
        "xc_rate_ratio": by_state.max() / by_state.min(),
        # weakness, as victims report it: the states' averages over the survey years
        "xc_dark_min": b.cifra_negra_pct.min(), "xc_dark_max": b.cifra_negra_pct.max(),
        "xc_auth_min": b.authority_causes_pct.min(), "xc_auth_max": b.authority_causes_pct.max(),
        "xc_insec_min": b.insecurity_api.min(), "xc_insec_max": b.insecurity_api.max(),
        # rule of law, twice
        "xc_wjp_loo_min": w19.loo_r_min, "xc_wjp_loo_max": w19.loo_r_max,
        "xc_wjp_loo_name": str(w19.loo_state_name),
        "xc_r_crit_loo": stats.smallest_clear_correlation(int(w19.n) - 1),
        "xc_wjp_loo_clears": ("passes it" if max(abs(w19.loo_r_min), abs(w19.loo_r_max))
                              > stats.smallest_clear_correlation(int(w19.n) - 1) else "does not pass it"),
        "xc_r_log_wjp23": w23.r, "xc_r_log_wjp23_low": w23.r_low, "xc_r_log_wjp23_high": w23.r_high,
        "xc_wjp_change_r": w["r"], "xc_wjp_change_low": w["r_low"], "xc_wjp_change_high": w["r_high"],
        "xc_wjp_mean_change": w["mean_change"], "xc_wjp_n_unchanged": w["n_unchanged"],
        # alternation in the governorship
        "xc_gov_alternations": int((starts.gov_alternation == 1).sum()),
        "xc_gov_alternations_strict": int((starts.gov_alternation_strict == 1).sum()),
        "xc_gov_terms": len(starts),
        "xc_gov_never_names": " and ".join(state_names()[c] for c in never[never].index),
        "xc_gov_state_years": series.model_row("gov_alternation").nobs,
        "xc_gov_strict_differs": int(strict_differs.sum()),
        "xc_gov_strict_differs_first": int(d.loc[strict_differs, "year"].min()),
    }


def between_numbers() -> dict:
    """Across the states: the least and most violent state's dark figure, each measure's correlation with
    later homicide rates on the three scales, and the smallest correlation that clears zero."""
    b = series.between_states()
    bb = b.sort_values("rate_later")
    log, rate, rank = (series.between_correlations(s).set_index("measure") for s in ("log", "rate", "rank"))
    return {
        "xc_dark_least": bb.cifra_negra_pct.iloc[0], "xc_dark_most": bb.cifra_negra_pct.iloc[-1],
        "xc_least_name": str(bb.state_name.iloc[0]), "xc_most_name": str(bb.state_name.iloc[-1]),
        # log of the later homicide rate (the verdict's scale)
        "xc_r_log_dark": log.r["cifra_negra_pct"], "xc_r_log_dark_low": log.r_low["cifra_negra_pct"],
        "xc_r_log_dark_high": log.r_high["cifra_negra_pct"],
        "xc_r_log_auth": log.r["authority_causes_pct"], "xc_r_log_auth_low": log.r_low["authority_causes_pct"],
        "xc_r_log_auth_high": log.r_high["authority_causes_pct"],
        "xc_r_log_insec": log.r["insecurity_api"], "xc_r_log_insec_low": log.r_low["insecurity_api"],
        "xc_r_log_insec_high": log.r_high["insecurity_api"],
        "xc_r_log_wjp": log.r["wjp_2019"], "xc_r_log_wjp_low": log.r_low["wjp_2019"],
        "xc_r_log_wjp_high": log.r_high["wjp_2019"],
        # the rate itself
        "xc_r_rate_dark": rate.r["cifra_negra_pct"], "xc_r_rate_dark_low": rate.r_low["cifra_negra_pct"],
        "xc_r_rate_dark_high": rate.r_high["cifra_negra_pct"],
        "xc_r_rate_auth": rate.r["authority_causes_pct"], "xc_r_rate_auth_low": rate.r_low["authority_causes_pct"],
        "xc_r_rate_auth_high": rate.r_high["authority_causes_pct"],
        "xc_r_rate_insec": rate.r["insecurity_api"], "xc_r_rate_insec_low": rate.r_low["insecurity_api"],
        "xc_r_rate_insec_high": rate.r_high["insecurity_api"],
        "xc_r_rate_wjp": rate.r["wjp_2019"], "xc_r_rate_wjp_low": rate.r_low["wjp_2019"],
        "xc_r_rate_wjp_high": rate.r_high["wjp_2019"],
        # ranks (Spearman)
        "xc_r_rank_dark": rank.r["cifra_negra_pct"], "xc_r_rank_dark_low": rank.r_low["cifra_negra_pct"],
        "xc_r_rank_dark_high": rank.r_high["cifra_negra_pct"],
        "xc_r_rank_auth": rank.r["authority_causes_pct"], "xc_r_rank_auth_low": rank.r_low["authority_causes_pct"],
        "xc_r_rank_auth_high": rank.r_high["authority_causes_pct"],
        "xc_r_rank_insec": rank.r["insecurity_api"], "xc_r_rank_insec_low": rank.r_low["insecurity_api"],
        "xc_r_rank_insec_high": rank.r_high["insecurity_api"],
        "xc_r_rank_wjp": rank.r["wjp_2019"], "xc_r_rank_wjp_low": rank.r_low["wjp_2019"],
        "xc_r_rank_wjp_high": rank.r_high["wjp_2019"],
        # what the data cannot tell us: the smallest correlation whose interval clears zero (Fisher's z)
        "xc_r_crit": stats.smallest_clear_correlation(len(b)),
    }


def within_numbers() -> dict:
    """Within the states: the main two-way fixed-effects estimates (per typical step, raw and standardised),
    the reverse direction, how much of each measure's movement is signal, and the robustness counts."""
    dark, auth, insec, alt = (series.model_row(m) for m in ("cifra_negra_pct", "authority_causes_pct",
                                                            "insecurity_api", "gov_alternation"))
    rdark, rauth, rinsec = (series.model_row(m, case.SPECS[0], case.REVERSE)
                            for m in ("cifra_negra_pct", "authority_causes_pct", "insecurity_api"))
    t = series.state_models()
    fwd = t[t.direction == case.FORWARD]
    ins = fwd[fwd.measure == "insecurity_api"]
    weak = fwd[fwd.measure.isin(case.WEAKNESS)]
    alts = fwd[fwd.measure == "gov_alternation"]
    fd_ins, lag2 = ins[ins.spec == case.SPECS[4]].iloc[0], ins[ins.spec == case.SPECS[1]].iloc[0]
    return {
        # weakness this year, homicides next year (main specification)
        "xc_fe_dark": dark.per_step, "xc_fe_dark_low": dark.per_step_low, "xc_fe_dark_high": dark.per_step_high,
        "xc_fe_dark_coef": dark.coef, "xc_fe_dark_step": dark.step, "xc_fe_dark_p": dark.p_value,
        "xc_fe_dark_std": dark["std"], "xc_fe_dark_std_low": dark.std_low, "xc_fe_dark_std_high": dark.std_high,
        "xc_fe_nobs": dark.nobs,
        "xc_fe_auth": auth.per_step, "xc_fe_auth_low": auth.per_step_low, "xc_fe_auth_high": auth.per_step_high,
        "xc_fe_auth_coef": auth.coef, "xc_fe_auth_step": auth.step, "xc_fe_auth_p": auth.p_value,
        "xc_fe_auth_std": auth["std"], "xc_fe_auth_std_low": auth.std_low, "xc_fe_auth_std_high": auth.std_high,
        "xc_fe_nobs_auth": auth.nobs,
        "xc_fe_insec": insec.per_step, "xc_fe_insec_low": insec.per_step_low,
        "xc_fe_insec_high": insec.per_step_high,
        "xc_fe_insec_coef": insec.coef, "xc_fe_insec_step": insec.step, "xc_fe_insec_p": insec.p_value,
        "xc_fe_insec_std": insec["std"], "xc_fe_insec_std_low": insec.std_low,
        "xc_fe_insec_std_high": insec.std_high,
        "xc_fe_nobs_insec": insec.nobs,
        "xc_fe_alt": alt.per_step, "xc_fe_alt_low": alt.per_step_low, "xc_fe_alt_high": alt.per_step_high,
        "xc_fe_alt_coef": alt.coef, "xc_fe_alt_step": alt.step, "xc_fe_alt_p": alt.p_value,
        "xc_fe_alt_std": alt["std"], "xc_fe_alt_std_low": alt.std_low, "xc_fe_alt_std_high": alt.std_high,
        "xc_fe_nobs_alt": alt.nobs,
        # cause or symptom: violence this year, the measure next year (standardised, and raw)
        "xc_rev_dark": rdark["std"], "xc_rev_dark_low": rdark.std_low, "xc_rev_dark_high": rdark.std_high,
        "xc_rev_dark_coef": rdark.coef, "xc_rev_dark_coef_low": rdark.ci_low,
        "xc_rev_dark_coef_high": rdark.ci_high,
        "xc_rev_auth": rauth["std"], "xc_rev_auth_low": rauth.std_low, "xc_rev_auth_high": rauth.std_high,
        "xc_rev_auth_coef": rauth.coef, "xc_rev_auth_coef_low": rauth.ci_low,
        "xc_rev_auth_coef_high": rauth.ci_high,
        "xc_rev_insec": rinsec["std"], "xc_rev_insec_low": rinsec.std_low, "xc_rev_insec_high": rinsec.std_high,
        "xc_rev_insec_coef": rinsec.coef, "xc_rev_insec_coef_low": rinsec.ci_low,
        "xc_rev_insec_coef_high": rinsec.ci_high,
        "xc_rev_ratio": rinsec["std"] / insec["std"],
        # signal or sampling noise?
        "xc_signal_dark": series.within_signal("cifra_negra_pct"),
        "xc_signal_auth": series.within_signal("authority_causes_pct"),
        "xc_signal_insec": series.within_signal("insecurity_api"),
        "xc_signal_rate": series.within_signal("homicide_rate"),
        # robustness
        "xc_rob_n_specs": len(case.SPECS),
        "xc_rob_insec_pos": int((ins.std_low > 0).sum()),
        "xc_rob_weak_sig": int(((weak.std_low > 0) | (weak.std_high < 0)).sum()),
        "xc_rob_weak_n": len(weak),
        "xc_rob_alt_sig": int(((alts.std_low > 0) | (alts.std_high < 0)).sum()),
        "xc_rob_alt_n": len(alts),
        "xc_fd_insec": fd_ins["std"], "xc_fd_insec_low": fd_ins.std_low, "xc_fd_insec_high": fd_ins.std_high,
        "xc_lag2_insec": lag2["std"], "xc_lag2_insec_low": lag2.std_low, "xc_lag2_insec_high": lag2.std_high,
        "xc_violent_names": ", ".join(state_names()[c] for c in series.most_violent_states()),
        "xc_n_violent": case.N_MOST_VIOLENT,
    }


def _fit(models: pd.DataFrame, spec: str, term: str) -> pd.Series:
    """The row of a municipal or election model table for one design and one term."""
    return models[models.spec == spec].set_index("term").loc[term]


def _alt_opp(models: pd.DataFrame, spec: str) -> tuple[pd.Series, pd.Series]:
    """The rows of one design for the two town-hall variables: alternation and an opposition governor."""
    return _fit(models, spec, "alternation"), _fit(models, spec, "opp_governor")


def municipal_numbers() -> dict:
    """Across the municipalities: the sample, the municipality-year designs, the election-level changes and
    the event study."""
    mp = series.municipal_panel()
    sample = mp.dropna(subset=["alternation", "opp_governor"])
    mm, em = series.municipal_models(), series.election_models()
    (ye_alt, ye_opp), (main_alt, main_opp), (w_alt, w_opp), (cs_alt, cs_opp) = (
        _alt_opp(mm, spec) for spec in case.MUN_SPECS[:4])
    strict = _fit(mm, case.MUN_SPECS[4], "alternation_strict")
    later, earlier = case.ELECTION_OUTCOMES.values()
    (la_alt, la_opp), (law_alt, law_opp), (ea_alt, ea_opp), (eaw_alt, eaw_opp) = (
        _alt_opp(em, spec) for spec in (later, later + ", weighted", earlier, earlier + ", weighted"))
    ew = series.election_windows()
    ev = series.event_study().set_index("k")
    first = ev.loc[case.EVENT_K[0]]
    return {
        # the sample
        "xc_mun_nobs": main_alt.nobs, "xc_mun_n": main_alt.n_clusters, "xc_mun_total": mp.mun_code.nunique(),
        "xc_mun_rate_mean": sample.homicide_rate.mean(),
        "xc_mun_alt_share": sample.alternation.mean() * 100, "xc_mun_opp_share": sample.opp_governor.mean() * 100,
        # municipality-year designs
        "xc_mun_ye_alt": ye_alt.coef, "xc_mun_ye_alt_low": ye_alt.ci_low, "xc_mun_ye_alt_high": ye_alt.ci_high,
        "xc_mun_ye_opp": ye_opp.coef, "xc_mun_ye_opp_low": ye_opp.ci_low, "xc_mun_ye_opp_high": ye_opp.ci_high,
        "xc_mun_main_alt": main_alt.coef, "xc_mun_main_alt_low": main_alt.ci_low,
        "xc_mun_main_alt_high": main_alt.ci_high,
        "xc_mun_main_opp": main_opp.coef, "xc_mun_main_opp_low": main_opp.ci_low,
        "xc_mun_main_opp_high": main_opp.ci_high,
        "xc_mun_w_alt": w_alt.coef, "xc_mun_w_alt_low": w_alt.ci_low, "xc_mun_w_alt_high": w_alt.ci_high,
        "xc_mun_w_opp": w_opp.coef, "xc_mun_w_opp_low": w_opp.ci_low, "xc_mun_w_opp_high": w_opp.ci_high,
        "xc_mun_cs_alt": cs_alt.coef, "xc_mun_cs_alt_low": cs_alt.ci_low, "xc_mun_cs_alt_high": cs_alt.ci_high,
        "xc_mun_cs_opp": cs_opp.coef, "xc_mun_cs_opp_low": cs_opp.ci_low, "xc_mun_cs_opp_high": cs_opp.ci_high,
        "xc_mun_strict": strict.coef, "xc_mun_strict_low": strict.ci_low, "xc_mun_strict_high": strict.ci_high,
        # election-level changes: later (after the election) and earlier (the placebo), unweighted and weighted
        "xc_el_n": len(ew), "xc_el_alt_share": ew.alternation.mean() * 100, "xc_el_later_alt": la_alt.coef,
        "xc_el_later_alt_low": la_alt.ci_low, "xc_el_later_alt_high": la_alt.ci_high, "xc_el_later_opp": la_opp.coef,
        "xc_el_later_opp_low": la_opp.ci_low, "xc_el_later_opp_high": la_opp.ci_high, "xc_el_later_w_alt": law_alt.coef,
        "xc_el_later_w_alt_low": law_alt.ci_low, "xc_el_later_w_alt_high": law_alt.ci_high,
        "xc_el_later_w_opp": law_opp.coef, "xc_el_later_w_opp_low": law_opp.ci_low,
        "xc_el_later_w_opp_high": law_opp.ci_high, "xc_el_earlier_alt": ea_alt.coef,
        "xc_el_earlier_alt_low": ea_alt.ci_low, "xc_el_earlier_alt_high": ea_alt.ci_high,
        "xc_el_earlier_opp": ea_opp.coef, "xc_el_earlier_opp_low": ea_opp.ci_low,
        "xc_el_earlier_opp_high": ea_opp.ci_high, "xc_el_earlier_w_alt": eaw_alt.coef,
        "xc_el_earlier_w_alt_low": eaw_alt.ci_low, "xc_el_earlier_w_alt_high": eaw_alt.ci_high,
        "xc_el_earlier_w_opp": eaw_opp.coef, "xc_el_earlier_w_opp_low": eaw_opp.ci_low,
        "xc_el_earlier_w_opp_high": eaw_opp.ci_high,
        # the event study
        "xc_ev_first": first.coef, "xc_ev_first_low": first.ci_low, "xc_ev_first_high": first.ci_high,
        "xc_ev_post_mean": ev.loc[1:case.EVENT_K[1], "coef"].mean(), "xc_ev_pre2": ev.loc[-2, "coef"],
        "xc_ev_n_sig": int(((ev.ci_low > 0) | (ev.ci_high < 0)).sum()),
    }


def verdict_numbers() -> dict:
    """The verdict on X1 (from its evaluator), the verdicts on the other scales, and the thresholds."""
    from . import evidence

    x1 = claims.evaluate("X1")
    dark, auth = evidence.signal_test("cifra_negra_pct"), evidence.signal_test("authority_causes_pct")
    return {
        "xc_rule": claims.rule("X1"), "xc_verdict": x1.verdict, "xc_key": x1.key_number,
        "xc_verdict_rate": x1.numbers["verdict_rate"], "xc_verdict_rank": x1.numbers["verdict_rank"],
        "xc_medium_r": case.MEDIUM_R, "xc_small_std": case.SMALL_STD,
        "xc_level": round(100 * case.LEVEL),
        "xc_n_tests": x1.numbers["n_tests"], "xc_n_for": x1.numbers["n_for"],
        "xc_n_against": x1.numbers["n_against"], "xc_n_uninf": x1.numbers["n_uninformative"],
        "xc_min_holm": x1.numbers["min_p_holm"], "xc_rd_meaningful_pct": round(100 * evidence.RD_MEANINGFUL),
        "xc_null_draws": evidence.NULL_DRAWS, "xc_null_mean": dark["null_mean"], "xc_null_q95": dark["null_q95"],
        "xc_sig_dark": dark["observed"], "xc_sig_dark_p": dark["p"],
        "xc_sig_auth": auth["observed"], "xc_sig_auth_p": auth["p"],
        "xc_late_survey_first": evidence.EARLY_SURVEY[0], "xc_late_survey_last": evidence.EARLY_SURVEY[1],
        "xc_late_hom_first": evidence.LATE_HOMICIDE[0], "xc_late_hom_last": evidence.LATE_HOMICIDE[1],
        "xc_late_dark": evidence.later_correlations().set_index("measure").r["cifra_negra_pct"],
        "xc_late_auth": evidence.later_correlations().set_index("measure").r["authority_causes_pct"],
    }


def rd_numbers() -> dict:
    """Close elections: each design's primary estimate (robust interval, bandwidth, elections each side, density
    test, raw and Holm-adjusted p-values, the mean rate just left of zero), Dell's window and specification, and
    the checks (placebo cutoffs and covariate balance whose intervals exclude zero)."""
    from ...models import rd

    t = rd.results()
    p = t[t["spec"] == rd.PRIMARY].set_index("design")
    base = {d: rd.left_mean(d, float(p.loc[d, "h_left"])) for d in rd.DESIGNS}
    dell = t[t["spec"] == rd.DELL_SPEC].iloc[0]
    own = t[t["spec"] == rd.DELL_SPEC_OWN].iloc[0]
    pl = t[t["spec"].str.startswith("placebo")]
    bal = t[t["spec"].str.startswith("balance")]

    def clear(x: pd.DataFrame) -> int:
        return int(((x["ci_low"] > 0) | (x["ci_high"] < 0)).sum())

    f = rd.election_frame()
    return {
        "xc_rd_n_elections": int(f["year"].between(*rd.ELECTION_YEARS).sum()),
        "xc_rd_first_year": rd.ELECTION_YEARS[0], "xc_rd_last_year": rd.ELECTION_YEARS[1],
        "xc_rd_n_designs": len(rd.DESIGNS), "xc_rd_n_clear": clear(p),
        "xc_rd_min_holm": float(p["p_holm"].min()),
        "xc_rd_pan": p.loc["pan", "estimate"], "xc_rd_pan_low": p.loc["pan", "ci_low"],
        "xc_rd_pan_high": p.loc["pan", "ci_high"], "xc_rd_pan_h": p.loc["pan", "h_left"],
        "xc_rd_pan_nl": int(p.loc["pan", "n_left"]), "xc_rd_pan_nr": int(p.loc["pan", "n_right"]),
        "xc_rd_pan_dens": p.loc["pan", "density_p"], "xc_rd_pan_p": p.loc["pan", "p_value"],
        "xc_rd_pan_holm": p.loc["pan", "p_holm"], "xc_rd_pan_base": base["pan"],
        "xc_rd_inc": p.loc["incumbent_defeat", "estimate"], "xc_rd_inc_low": p.loc["incumbent_defeat", "ci_low"],
        "xc_rd_inc_high": p.loc["incumbent_defeat", "ci_high"], "xc_rd_inc_h": p.loc["incumbent_defeat", "h_left"],
        "xc_rd_inc_nl": int(p.loc["incumbent_defeat", "n_left"]),
        "xc_rd_inc_nr": int(p.loc["incumbent_defeat", "n_right"]),
        "xc_rd_inc_dens": p.loc["incumbent_defeat", "density_p"], "xc_rd_inc_p": p.loc["incumbent_defeat", "p_value"],
        "xc_rd_inc_holm": p.loc["incumbent_defeat", "p_holm"], "xc_rd_inc_base": base["incumbent_defeat"],
        "xc_rd_gov": p.loc["governor", "estimate"], "xc_rd_gov_low": p.loc["governor", "ci_low"],
        "xc_rd_gov_high": p.loc["governor", "ci_high"], "xc_rd_gov_h": p.loc["governor", "h_left"],
        "xc_rd_gov_nl": int(p.loc["governor", "n_left"]), "xc_rd_gov_nr": int(p.loc["governor", "n_right"]),
        "xc_rd_gov_dens": p.loc["governor", "density_p"], "xc_rd_gov_p": p.loc["governor", "p_value"],
        "xc_rd_gov_holm": p.loc["governor", "p_holm"], "xc_rd_gov_base": base["governor"],
        "xc_rd_pres": p.loc["president", "estimate"], "xc_rd_pres_low": p.loc["president", "ci_low"],
        "xc_rd_pres_high": p.loc["president", "ci_high"], "xc_rd_pres_h": p.loc["president", "h_left"],
        "xc_rd_pres_nl": int(p.loc["president", "n_left"]), "xc_rd_pres_nr": int(p.loc["president", "n_right"]),
        "xc_rd_pres_dens": p.loc["president", "density_p"], "xc_rd_pres_p": p.loc["president", "p_value"],
        "xc_rd_pres_holm": p.loc["president", "p_holm"], "xc_rd_pres_base": base["president"],
        "xc_rd_nb": p.loc["neighbours", "estimate"], "xc_rd_nb_low": p.loc["neighbours", "ci_low"],
        "xc_rd_nb_high": p.loc["neighbours", "ci_high"], "xc_rd_nb_h": p.loc["neighbours", "h_left"],
        "xc_rd_nb_nl": int(p.loc["neighbours", "n_left"]), "xc_rd_nb_nr": int(p.loc["neighbours", "n_right"]),
        "xc_rd_nb_dens": p.loc["neighbours", "density_p"], "xc_rd_nb_p": p.loc["neighbours", "p_value"],
        "xc_rd_nb_holm": p.loc["neighbours", "p_holm"], "xc_rd_nb_base": base["neighbours"],
        "xc_rd_pan_dell": dell["estimate"], "xc_rd_pan_dell_low": dell["ci_low"],
        "xc_rd_pan_dell_high": dell["ci_high"],
        "xc_rd_pan_dell_nl": int(dell["n_left"]), "xc_rd_pan_dell_nr": int(dell["n_right"]),
        "xc_rd_pan_own": own["estimate"], "xc_rd_pan_own_low": own["ci_low"], "xc_rd_pan_own_high": own["ci_high"],
        "xc_rd_pan_own_nl": int(own["n_left"]), "xc_rd_pan_own_nr": int(own["n_right"]),
        "xc_rd_dell_first": rd.DELL_YEARS[0], "xc_rd_dell_last": rd.DELL_YEARS[1], "xc_rd_dell_band": rd.DELL_BAND,
        "xc_rd_nb_pct": 100 * p.loc["neighbours", "estimate"] / base["neighbours"],
        "xc_rd_nb_pct_low": 100 * p.loc["neighbours", "ci_low"] / base["neighbours"],
        "xc_rd_nb_pct_high": 100 * p.loc["neighbours", "ci_high"] / base["neighbours"],
        "xc_rd_placebo_n": len(pl), "xc_rd_placebo_clear": clear(pl),
        "xc_rd_balance_n": len(bal), "xc_rd_balance_clear": clear(bal),
    }


def literature_numbers() -> dict:
    """Published findings beside the book's estimates (:mod:`.research`): the values the prose names."""
    from . import research as literature

    v = literature.numbers()
    return {
        "xc_lit_n_works": len(literature.table()),
        "xc_pub_dg_low": v["pub_dg_alignment_low"], "xc_pub_dg_high": v["pub_dg_alignment_high"],
        "xc_pub_tl_left": v["pub_tl2016_left_ratio"],
        "xc_lit_left_rr": v["xc_lit_left_rr"], "xc_lit_left_rr_low": v["xc_lit_left_rr_low"],
        "xc_lit_left_rr_high": v["xc_lit_left_rr_high"],
        "xc_pub_dv_2007": v["pub_delvillar_rate_2007"], "xc_pub_dv_2011": v["pub_delvillar_rate_2011"],
        "xc_lit_rate_2007": v["xc_lit_rate_2007"], "xc_lit_rate_2011": v["xc_lit_rate_2011"],
        "xc_pub_mpi_2017": v["pub_mpi2018_homicide_victims_2017"], "xc_lit_deaths_2017": v["xc_lit_deaths_2017"],
        "xc_lit_tl_alt": v["xc_lit_tl_alt"], "xc_lit_tl_alt_low": v["xc_lit_tl_alt_low"],
        "xc_lit_tl_alt_high": v["xc_lit_tl_alt_high"],
        "xc_pub_mpi_rate_2020": v["pub_mpi2021_homicide_rate_2020"],
        "xc_lit_victim_rate_2020": v["xc_lit_victim_rate_2020"],
        "xc_pub_mpi_victims_2023": v["pub_mpi2024_homicide_victims_2023"],
        "xc_lit_victims_2023": v["xc_lit_victims_2023"],
        "xc_pub_mpi_zac_2024": v["pub_mpi2025_zacatecas_rate_2024"],
        "xc_lit_zacatecas_rate_2024": v["xc_lit_zacatecas_rate_2024"],
        "xc_pub_mpi_sin_2024": v["pub_mpi2025_sinaloa_rate_2024"],
        "xc_lit_sinaloa_rate_2024": v["xc_lit_sinaloa_rate_2024"],
        "xc_lit_n_strict": int(literature.table()["Comparable?"].str.startswith(("Yes", "Close")).sum()),
    }

def capacity_numbers() -> dict:
    """The capacity measures the book builds (:mod:`.capacity`): their ranges across states, how they relate,
    and their strictly-later correlations with homicide."""
    from . import capacity

    m = capacity.state_means()
    r = capacity.relations().set_index(["a", "b"])["rho"]
    lab = {k: v[0] for k, v in capacity.CAPACITY.items()}
    reg, fasp = capacity.later_test("registered"), capacity.later_test("fasp_per_person")
    return {
        "xc_cap_reg_min": m.registered.min(), "xc_cap_reg_max": m.registered.max(),
        "xc_cap_fasp_min": m.fasp_per_person.min(), "xc_cap_fasp_max": m.fasp_per_person.max(),
        "xc_cap_rho_fasp_dark": r[(lab["fasp_per_person"], lab["cifra_negra_pct"])],
        "xc_cap_rho_reg_auth": r[(lab["registered"], lab["authority_causes_pct"])],
        "xc_cap_rho_reg_dark": r[(lab["registered"], lab["cifra_negra_pct"])],
        "xc_cap_r_reg": reg.r, "xc_cap_r_reg_low": reg.low, "xc_cap_r_reg_high": reg.high,
        "xc_cap_r_fasp": fasp.r, "xc_cap_r_fasp_low": fasp.low, "xc_cap_r_fasp_high": fasp.high,
    }

def numbers() -> dict:
    """Every value the chapter's prose glues, as plain Python values, keyed by glue name."""
    return values.plain_dict({**verdict_numbers(), **cases_numbers(), **data_numbers(), **between_numbers(),
                              **within_numbers(), **municipal_numbers(), **rd_numbers(),
                              **literature_numbers(), **capacity_numbers()})


def tables() -> dict:
    """The chapter's glued table, as Markdown text: the cases side by side."""
    return {"cmp_table": compare.side_by_side_markdown()}
