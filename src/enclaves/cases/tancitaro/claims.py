"""The evaluators of Tancítaro's claims T1-T5 (``data/claims/claims.yml``), registered on import.

Each evaluator states its rule in its docstring (thresholds and windows are the constants of
:mod:`.case`) and computes the verdict from processed data; no verdict string is typed as a conclusion.
"""

from __future__ import annotations

from scipy import stats as sstats

from ... import claims, stats, values
from ...data import load
from ...geo import mun_names
from ...values import span
from .case import (
    BELT,
    CODE,
    MAJOR_PARTY_MIN_SHARE_OF_GOVERNORS,
    NAME,
    SELF_DEFENCE,
    STATE,
    T1_REFERENCE_YEAR,
    T1_THRESHOLD_USD_PER_DAY,
    T2_BEFORE,
    T2_LATER,
    T2_WINDOW,
    T3_MIN_YEARS,
    T3_REPORT_YEAR,
    T4_AFTER,
    T4_BEFORE,
    T4_RELAPSE,
    T5_ELECTION_YEAR,
    WEST_NEIGHBOURS,
)
from .series import (
    aggregate,
    case_annual,
    codes,
    dispersed_ratio,
    elections_case,
    elections_state,
    export_estimates,
    major_parties,
    month_dispersion,
    pooled,
    rest_codes,
    rest_of_state,
    t4_table,
)

#: The verdict rules in plain words, fixed with the evaluators (the chapter and the claims ledger show them).
RULES = {
    "T1": (f"Supported if even the lower estimate of Tancítaro's avocado exports (the national export value times "
           f"the town's share of national output) reaches US${T1_THRESHOLD_USD_PER_DAY / 1e6:.0f} million a day "
           f"in {T1_REFERENCE_YEAR}; partly supported if only the higher estimate (the town's share of "
           "Michoacán's output, as if every export came from Michoacán) does; not supported if neither does."),
    "T2": (f"Tancítaro's homicide rate in {span(T2_WINDOW)} is set against the rest of Michoacán, the avocado "
           "belt and the smaller belt towns nearest it. Supported if it is clearly below all three (the upper "
           "end of each 95% interval of the ratio below one, with intervals that allow for months with more "
           "deaths than chance alone would give); partly supported if it is clearly below the rest of the state "
           "and the belt but not below the nearest towns; not supported if it is not clearly below the rest of "
           "the state or the belt."),
    "T3": (f"'Soaring' is a change: the claim cannot be tested without Tancítaro's suicide counts in at least "
           f"{T3_MIN_YEARS} years, one up to {T3_REPORT_YEAR} and one after. With them: supported if the later "
           "rate is clearly above the earlier (the lower end of the 95% interval of their ratio above one); "
           "partly supported if it is above it but not clearly; not supported otherwise."),
    "T4": (f"The Tierra Caliente self-defence towns, pooled: supported if their homicide rate in "
           f"{span(T4_RELAPSE)} is clearly above that of {span(T4_AFTER)} (the 95% interval of the ratio above "
           f"one) and at least their {span(T4_BEFORE)} level; partly supported if it rose but not clearly, or "
           "stayed below the earlier level; not supported if it did not rise."),
    "T5": (f"A party is major if its own candidates governed at least {MAJOR_PARTY_MIN_SHARE_OF_GOVERNORS:.0%} of "
           f"Mexico's states on election day. Supported if every major party nominated the winner of Tancítaro's "
           f"{T5_ELECTION_YEAR} election; partly supported if more than one but not all did; not supported "
           "otherwise."),
}


@claims.evaluator("T1", rule=RULES["T1"])
def evaluate_t1() -> claims.Verdict:
    """Supported if even the low (national-share) estimate reaches US$1M a day in the reference year;
    partly supported if only the high (Michoacán-share) estimate does; not supported if neither."""
    e = export_estimates().set_index("year")
    r = e.loc[T1_REFERENCE_YEAR]
    last = int(e.index.max())
    low, high = float(r["national_share"]), float(r["state_share"])
    if low >= T1_THRESHOLD_USD_PER_DAY:
        verdict = "supported"
    elif high >= T1_THRESHOLD_USD_PER_DAY:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    numbers = {
        "reference_year": T1_REFERENCE_YEAR, "low_musd": low / 1e6, "high_musd": high / 1e6,
        "ceiling_musd": float(r["ceiling"]) / 1e6, "farm_gate_musd": float(r["farm_gate"]) / 1e6,
        "share_national_pct": float(r["share_national"]) * 100, "share_state_pct": float(r["share_state"]) * 100,
        "last_year": last, "low_last_musd": float(e.loc[last, "national_share"]) / 1e6,
        "high_last_musd": float(e.loc[last, "state_share"]) / 1e6,
        "first_year_high_over": int(e.index[e["state_share"] >= T1_THRESHOLD_USD_PER_DAY].min()),
        "threshold_musd": T1_THRESHOLD_USD_PER_DAY / 1e6,
    }
    evidence = (f"In {T1_REFERENCE_YEAR} Tancítaro's estimated exports were US${low / 1e6:.2f} million a day if it "
                f"exported the national fraction of its crop and US${high / 1e6:.2f} million if all exports came "
                "from Michoacán; the claim holds only under the second assumption.")
    return claims.Verdict("T1", verdict, float(low / 1e6),
                          f"estimated exports, US$ million per day, {T1_REFERENCE_YEAR} (national-share method)",
                          evidence, values.plain_dict(numbers))


@claims.evaluator("T2", rule=RULES["T2"])
def evaluate_t2() -> claims.Verdict:
    """An island must be safer than the sea around it, near and far. In 2014-2017 (95% intervals of the
    ratio of Tancítaro's rate to each comparison's, from the monthly counts with an effect for each month and
    the variance scaled by the counts' overdispersion: :func:`enclaves.stats.quasi_poisson_rate_ratio`; the
    exact Poisson intervals of the pooled counts, too narrow for counts this clustered, are kept beside them):

    * supported: clearly below (interval's upper end < 1) the rest of Michoacán, the avocado belt
      *and* the smaller belt towns nearest it (``WEST_NEIGHBOURS``);
    * partly supported: clearly below the rest of Michoacán and the belt, but not clearly below the
      nearest towns (the belt's pooled rate is more than half Uruapan's city);
    * not supported: not clearly below the rest of Michoacán or the belt.
    """
    y0, y1 = T2_WINDOW
    t = pooled(case_annual(), y0, y1)
    st = pooled(rest_of_state(), y0, y1)
    bl = pooled(aggregate(codes("avocado_belt"), BELT), y0, y1)
    we = pooled(aggregate(WEST_NEIGHBOURS, "Nearest belt towns"), y0, y1)
    ex_state = stats.rate_ratio(t["deaths"], t["person_years"], st["deaths"], st["person_years"])
    ex_belt = stats.rate_ratio(t["deaths"], t["person_years"], bl["deaths"], bl["person_years"])
    ex_west = stats.rate_ratio(t["deaths"], t["person_years"], we["deaths"], we["person_years"])
    rr_state = dispersed_ratio([CODE], rest_codes(), y0, y1)
    rr_belt = dispersed_ratio([CODE], codes("avocado_belt"), y0, y1)
    rr_west = dispersed_ratio([CODE], list(WEST_NEIGHBOURS), y0, y1)
    ex_verdict = ("not supported" if not (ex_state.high < 1 and ex_belt.high < 1)
                  else "supported" if ex_west.high < 1 else "partly supported")
    if rr_state.high < 1 and rr_belt.high < 1:
        verdict = "supported" if rr_west.high < 1 else "partly supported"
    else:
        verdict = "not supported"
    b0, b1 = T2_BEFORE
    tb = pooled(case_annual(), b0, b1)
    sb = pooled(rest_of_state(), b0, b1)
    wb = pooled(aggregate(WEST_NEIGHBOURS, "Nearest belt towns"), b0, b1)
    l0, l1 = T2_LATER
    tl = pooled(case_annual(), l0, l1)
    sl = pooled(rest_of_state(), l0, l1)
    bll = pooled(aggregate(codes("avocado_belt"), BELT), l0, l1)
    wl = pooled(aggregate(WEST_NEIGHBOURS, "Nearest belt towns"), l0, l1)
    nm = mun_names()
    numbers = {
        "case_rate": t["rate"], "case_low": t["low"], "case_high": t["high"], "case_deaths": t["deaths"],
        "state_rate": st["rate"], "belt_rate": bl["rate"], "west_rate": we["rate"], "west_deaths": we["deaths"],
        "rr_state": rr_state.rr, "rr_state_low": rr_state.low, "rr_state_high": rr_state.high,
        "rr_belt": rr_belt.rr, "rr_belt_low": rr_belt.low, "rr_belt_high": rr_belt.high,
        "rr_west": rr_west.rr, "rr_west_low": rr_west.low, "rr_west_high": rr_west.high,
        "ex_state_low": ex_state.low, "ex_state_high": ex_state.high, "ex_belt_low": ex_belt.low,
        "ex_belt_high": ex_belt.high, "ex_west_low": ex_west.low, "ex_west_high": ex_west.high,
        "ex_verdict": ex_verdict, "disp_state": rr_state.dispersion, "disp_belt": rr_belt.dispersion,
        "disp_west": rr_west.dispersion, "disp_case_window": month_dispersion(y0, y1),
        "disp_case_before": month_dispersion(*T2_BEFORE),
        "before_case_rate": tb["rate"], "before_state_rate": sb["rate"], "before_case_deaths": tb["deaths"],
        "before_west_rate": wb["rate"],
        "later_case_rate": tl["rate"], "later_case_deaths": tl["deaths"], "later_state_rate": sl["rate"],
        "later_belt_rate": bll["rate"], "later_case_low": tl["low"], "later_case_high": tl["high"],
        "later_west_rate": wl["rate"], "west_names": ", ".join(nm[c] for c in WEST_NEIGHBOURS),
    }
    evidence = (f"In {y0}-{y1} Tancítaro's homicide rate was {t['rate']:.1f} per 100,000 "
                f"({int(t['deaths'])} deaths) against {st['rate']:.1f} in the rest of Michoacán and "
                f"{bl['rate']:.1f} in the avocado belt, but {we['rate']:.1f} in the smaller belt towns nearest it; "
                "before the uprising it had been above all three.")
    return claims.Verdict("T2", verdict, float(t["rate"]),
                          f"Tancítaro's homicide rate per 100,000, {y0}-{y1} (pooled)", evidence,
                          values.plain_dict(numbers))


@claims.evaluator("T3", rule=RULES["T3"])
def evaluate_t3() -> claims.Verdict:
    """Suicide "soaring" is a claim about change: it cannot be tested without Tancítaro's counts in at least
    ``T3_MIN_YEARS`` years, one up to the report (``T3_REPORT_YEAR``) and one after it. With them: supported
    if the later rate's exact ratio to the earlier has a lower bound above 1; partly supported if the point
    ratio is above 1 (or the earlier year had no deaths and the later some); not supported otherwise. The
    numbers describe the last year's level against the rest of Michoacán."""
    s = load("suicides_municipal")
    s = s[(s["mun_code"] == CODE) & (s["basis"] == "occurrence")].sort_values("year")
    years = sorted(int(y) for y in s["year"].unique())
    st = load("suicides_state")
    st = st[(st["state_code"] == STATE) & (st["basis"] == "occurrence")]
    last = s.iloc[-1]
    k, n = float(last["suicides"]), float(last["population"])
    st_last = st[st["year"] == last["year"]].iloc[0]
    ks, ns = float(st_last["suicides"]) - k, float(st_last["population"]) - n
    rr = stats.rate_ratio(k, n, ks, ns)
    expected = n * ks / ns
    p_upper = float(sstats.poisson.sf(k - 1, expected))
    allm = load("suicides_municipal")
    allm = allm[(allm["basis"] == "occurrence") & allm["mun_code"].str.startswith(STATE)
                & (allm["year"] == last["year"])]
    rank = int((allm["suicide_rate"].astype(float) > float(last["suicide_rate"])).sum()) + 1
    has_trend = len(years) >= T3_MIN_YEARS and min(years) <= T3_REPORT_YEAR < max(years)
    if not has_trend:
        verdict = "cannot be tested with these data"
    else:
        first = s.iloc[0]
        if float(first["suicides"]) == 0:  # no earlier deaths: the ratio is undefined (infinite if any later)
            verdict = "partly supported" if k > 0 else "not supported"
        else:
            r = stats.rate_ratio(k, n, float(first["suicides"]), float(first["population"]))
            verdict = "supported" if r.low > 1 else ("partly supported" if r.rr > 1 else "not supported")
    numbers = {
        "years_available": len(years), "year": int(last["year"]), "suicides": k, "population": n,
        "rate": float(last["suicide_rate"]), "low": float(last["rate_low"]), "high": float(last["rate_high"]),
        "state_rate": float(st_last["suicide_rate"]), "rr_rest": rr.rr, "rr_rest_low": rr.low,
        "rr_rest_high": rr.high, "expected": expected, "p_upper": p_upper, "rank": rank,
        "n_municipalities": int(len(allm)), "one_death_pts": stats.per_100k(1, n),
    }
    evidence = (f"Only deaths registered in {int(last['year'])} exist: {int(k)} suicides in Tancítaro, a rate of "
                f"{float(last['suicide_rate']):.1f} per 100,000 (95% interval {float(last['rate_low']):.1f}-"
                f"{float(last['rate_high']):.1f}) against {float(st_last['suicide_rate']):.1f} in Michoacán; a "
                "single year can show a level, not a rise.")
    return claims.Verdict("T3", verdict, float(last["suicide_rate"]),
                          f"Tancítaro's suicide rate per 100,000, deaths registered in {int(last['year'])}",
                          evidence, values.plain_dict(numbers))


@claims.evaluator("T4", rule=RULES["T4"])
def evaluate_t4() -> claims.Verdict:
    """Supported if the self-defence towns' pooled rate in 2016-2017 exceeds their 2014-2015 rate (exact
    95% rate-ratio interval above 1) and is at least their 2010-2012 level; partly supported if it rose
    but not by a clear margin or stayed below the earlier level; not supported if it did not rise."""
    t = t4_table().set_index("area")
    g = t.loc[SELF_DEFENCE]
    rose_clearly = g["rr_low"] > 1
    back_to_before = g["relapse_rate"] >= g["before_rate"]
    if rose_clearly and back_to_before:
        verdict = "supported"
    elif g["rr_relapse_after"] > 1:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    members = t.drop(index=[SELF_DEFENCE, NAME])
    c = t.loc[NAME]
    numbers = {
        "before_rate": float(g["before_rate"]), "after_rate": float(g["after_rate"]),
        "relapse_rate": float(g["relapse_rate"]), "later_rate": float(g["later_rate"]),
        "rr": float(g["rr_relapse_after"]), "rr_low": float(g["rr_low"]), "rr_high": float(g["rr_high"]),
        "n_members": int(len(members)), "n_rose": int((members["relapse_rate"] > members["after_rate"]).sum()),
        "n_above_before": int((members["relapse_rate"] >= members["before_rate"]).sum()),
        "case_after_rate": float(c["after_rate"]), "case_relapse_rate": float(c["relapse_rate"]),
        "case_before_rate": float(c["before_rate"]), "case_rr": float(c["rr_relapse_after"]),
        "case_rr_low": float(c["rr_low"]), "case_rr_high": float(c["rr_high"]),
        "case_later_rate": float(c["later_rate"]),
    }
    evidence = (f"The five self-defence towns' pooled rate went from {g['after_rate']:.1f} per 100,000 in "
                f"{T4_AFTER[0]}-{T4_AFTER[1]} to {g['relapse_rate']:.1f} in {T4_RELAPSE[0]}-{T4_RELAPSE[1]} "
                f"(ratio {g['rr_relapse_after']:.2f}), against {g['before_rate']:.1f} in "
                f"{T4_BEFORE[0]}-{T4_BEFORE[1]}; Tancítaro's stayed low.")
    return claims.Verdict("T4", verdict, float(g["rr_relapse_after"]),
                          f"self-defence towns' homicide rate {T4_RELAPSE[0]}-{T4_RELAPSE[1]} over "
                          f"{T4_AFTER[0]}-{T4_AFTER[1]} (rate ratio)", evidence, values.plain_dict(numbers))


@claims.evaluator("T5", rule=RULES["T5"])
def evaluate_t5() -> claims.Verdict:
    """Supported if every major party (``major_parties``) nominated the winner of Tancítaro's 2015 election;
    partly supported if more than one but not all did; not supported otherwise."""
    e = elections_case()
    row = e[(e["year"] == T5_ELECTION_YEAR) & ~e["extraordinary"]].iloc[0]
    date = f"{int(row['year'])}-{int(row['month']):02d}-01"
    majors = major_parties(date)
    nominators = str(row["winner"]).split("-")
    in_coalition = [p for p in majors if p in nominators]
    if len(in_coalition) == len(majors):
        verdict = "supported"
    elif len(in_coalition) > 1:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    st = elections_state(T5_ELECTION_YEAR)
    all_majors = st["winner"].fillna("").map(lambda w: all(p in w.split("-") for p in majors))
    margin = float(row["margin"])
    numbers = {
        "n_parties": int(row["n_parties"]), "n_majors": len(majors), "majors": ", ".join(p.upper() for p in majors),
        "vote_share_pct": float(row["vote_share"]) * 100, "margin_pts": margin * 100,
        "n_candidacies": int(row["n_candidacies"]), "runner_up": str(row["runner_up"]).upper(),
        "state_n": int(len(st)), "state_median_margin_pts": float(st["margin"].median()) * 100,
        "state_median_share_pct": float(st["vote_share"].median()) * 100,
        "state_median_n_parties": float(st["n_parties"].median()),
        "state_median_candidacies": float(st["n_candidacies"].median()),
        "margin_rank": int((st["margin"] > margin).sum()) + 1,
        "n_all_majors": int(all_majors.sum()),
        "n_six_or_more": int((st["n_parties"] >= int(row["n_parties"])).sum()),
    }
    evidence = (f"Tancítaro's 2015 winner was nominated by {int(row['n_parties'])} parties including all "
                f"{len(majors)} major ones ({numbers['majors']}); he won {numbers['vote_share_pct']:.1f}% of the "
                f"valid vote against {int(row['n_candidacies']) - 1} other candidacies, a margin of "
                f"{numbers['margin_pts']:.1f} points.")
    return claims.Verdict("T5", verdict, float(len(in_coalition)),
                          f"major parties (of {len(majors)}) that nominated the 2015 winner", evidence,
                          values.plain_dict(numbers))


def t2_table() -> str:
    """T2's comparison as a Markdown table: for each reference its 2014-2017 rate, Tancítaro's ratio to it,
    the exact Poisson 95% interval of the pooled counts and the quasi-Poisson one the rule uses, with the
    dispersion of the monthly counts behind it."""
    n = claims.evaluate("T2").numbers
    y0, y1 = T2_WINDOW
    rows = [("Rest of Michoacán", "state"), (BELT, "belt"), (f"Nearest belt towns ({n['west_names']})", "west")]
    lines = [f"| Reference | Its rate per 100,000, {y0}–{y1} | Tancítaro's rate ÷ reference | Exact Poisson 95% "
             "interval | 95% interval allowing for clustering (used by the rule) "
             "| Dispersion of the monthly model (1 = Poisson) |",
             "|:--|--:|--:|--:|--:|--:|"]
    for label, k in rows:
        lines.append(f"| {label} | {n[f'{k}_rate']:.1f} | {n[f'rr_{k}']:.2f} | {n[f'ex_{k}_low']:.2f}–"
                     f"{n[f'ex_{k}_high']:.2f} | {n[f'rr_{k}_low']:.2f}–{n[f'rr_{k}_high']:.2f} | "
                     f"{n[f'disp_{k}']:.2f} |")
    return "\n".join(lines)
