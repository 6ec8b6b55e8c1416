"""The evaluators of Cherán's claims C1-C5 (``data/claims/claims.yml``), registered on import.

These claims come from outside the source reporting (scholarship and the press on Cherán); each record
names who makes it. Each evaluator states its rule in its docstring, with thresholds and windows from
:mod:`.case`, and the rule itself lives in a plain function of numbers (``rule_c1`` …) that the tests
exercise on planted inputs.
"""

from __future__ import annotations

from ... import claims, values
from ...data import tables
from ...values import span
from .case import (
    BREAK_YEAR,
    C1_SAFEST_SHARE,
    C1_WINDOW,
    C2_AFTER,
    C2_BEFORE,
    C3_CYCLES,
    C3_MIN_COVERAGE,
    C4_MIN_GROWTH,
    C4_MIN_SHARE,
    C5_TABLE_WORDS,
    CODE,
)
from .series import avocado_neighbours, bordering, case_annual, coverage, pooled, ranking, ratio_to, rest_of_state

#: The verdict rules in plain words, fixed with the evaluators (the chapter and the claims ledger show them).
RULES = {
    "C1": (f"Cherán's pooled homicide rate over {span(C1_WINDOW)}: supported if it is among the lowest "
           f"{C1_SAFEST_SHARE:.0%} of Michoacán's municipalities and the 95% interval of its ratio to the rest of "
           "the state lies wholly below one; partly supported if only one of the two holds; not supported "
           "otherwise."),
    "C2": (f"Cherán's pooled homicide rate in {span(C2_AFTER)}, the five years after the uprising, against "
           f"{span(C2_BEFORE)}: supported if the 95% interval of their ratio lies wholly below one; partly "
           "supported if only the ratio itself is below one; not supported otherwise."),
    "C3": (f"In each ordinary election cycle after the break ({', '.join(str(c) for c in C3_CYCLES)}) in which at "
           f"least {C3_MIN_COVERAGE:.0%} of Michoacán's other municipalities have a party result: supported if "
           "Cherán has none in any of them; partly supported if it lacks one in some; not supported if it has "
           "one in all; cannot be tested if no cycle is covered well enough."),
    "C4": (f"From SIAP's planted avocado area: not supported if Cherán records any after the break; supported if "
           f"it records none while at least {C4_MIN_SHARE:.0%} of its bordering neighbours record orchards after "
           f"the break and their planted area grew by at least {C4_MIN_GROWTH:.0%} from the year before the break "
           "to the last year; partly supported if Cherán records none but a condition on the neighbours fails."),
    "C5": ("Forest loss needs a series of forest cover by municipality; without one among the book's processed "
           "tables the claim cannot be tested with these data."),
}

# --- the rules, as functions of numbers -----------------------------------------------------------


def rule_c1(share_at_or_below: float, rr_high: float, safest_share: float = C1_SAFEST_SHARE) -> str:
    """Supported if the municipality is among the lowest ``safest_share`` AND the upper end of its rate ratio
    to the rest of the state is below 1; partly supported if one of the two holds; else not supported."""
    hits = (share_at_or_below <= safest_share) + (rr_high < 1)
    return ("not supported", "partly supported", "supported")[int(hits)]


def rule_c2(rr: float, rr_high: float) -> str:
    """Supported if the after/before rate ratio's upper bound is below 1; partly if only its point is."""
    if rr_high < 1:
        return "supported"
    return "partly supported" if rr < 1 else "not supported"


def rule_c3(case_results_after: int, cycles_counted: int) -> str:
    """Cannot be tested without a well-covered cycle after the break; supported if the case has no party
    result in any counted cycle; partly supported if it lacks one in some; not supported if in none."""
    if cycles_counted == 0:
        return "cannot be tested with these data"
    if case_results_after == 0:
        return "supported"
    return "partly supported" if case_results_after < cycles_counted else "not supported"


def rule_c4(case_ha_after: float, share_with_orchards: float, growth: float, min_share: float = C4_MIN_SHARE,
            min_growth: float = C4_MIN_GROWTH) -> str:
    """Not supported if the case records avocado area after the break; supported if it records none and at
    least ``min_share`` of its bordering neighbours record orchards whose area grew by at least
    ``min_growth``; partly supported if it records none but a neighbour condition fails."""
    if case_ha_after > 0:
        return "not supported"
    return "supported" if share_with_orchards >= min_share and growth >= min_growth else "partly supported"


def rule_c5(forest_tables: list[str]) -> str:
    """A claim about forest cover cannot be tested without a forest-cover table; once such a table exists
    the claim needs a real test, and until someone writes it the ledger shows it as not yet tested."""
    if forest_tables:
        raise LookupError(f"claim C5: forest tables {forest_tables} exist; write the test that uses them")
    return "cannot be tested with these data"


# --- the evaluators -------------------------------------------------------------------------------


def c1_numbers() -> dict:
    r = ranking(C1_WINDOW)
    me = r[r["mun_code"] == CODE].iloc[0]
    rr = ratio_to(case_annual(), C1_WINDOW, rest_of_state())
    rest = pooled(rest_of_state(), C1_WINDOW)
    return values.plain_dict({
        "rate": me["rate"], "low": me["rate_low"], "high": me["rate_high"], "deaths": me["homicides"],
        "rank": me["rank"], "n": len(r), "share": me["share_at_or_below"], "rest_rate": rest["rate"],
        "rr": rr.rr, "rr_low": rr.low, "rr_high": rr.high,
        "n_lower": int((r["rate"] < me["rate"]).sum()),
        "lowest_name": r.iloc[0]["mun_name"], "lowest_rate": r.iloc[0]["rate"],
        "cut": float(r["rate"].quantile(C1_SAFEST_SHARE))})


@claims.evaluator("C1", rule=RULES["C1"])
def evaluate_c1() -> claims.Verdict:
    """Cherán's pooled homicide rate over ``C1_WINDOW`` (the years after the break): supported if it is among
    the lowest ``C1_SAFEST_SHARE`` of Michoacán's municipalities and its exact 95% rate ratio to the rest of
    the state lies wholly below 1; partly supported if only one of the two holds; otherwise not supported."""
    n = c1_numbers()
    verdict = rule_c1(n["share"], n["rr_high"])
    ev = (f"From {C1_WINDOW[0]} to {C1_WINDOW[1]} Cherán's homicide rate was {n['rate']:.1f} per 100,000, rank "
          f"{n['rank']} of {n['n']} Michoacán municipalities (1 = lowest), and {n['rr']:.2f} times the rest of the "
          f"state's (95% interval {n['rr_low']:.2f}-{n['rr_high']:.2f}).")
    return claims.Verdict("C1", verdict, n["rr"], "rate ratio to the rest of Michoacán", ev, n)


def c2_numbers() -> dict:
    t = case_annual()
    b, a = pooled(t, C2_BEFORE), pooled(t, C2_AFTER)
    rr = ratio_to(t, C2_AFTER, t, C2_BEFORE)
    return values.plain_dict({"before_deaths": b["deaths"], "before_rate": b["rate"], "after_deaths": a["deaths"],
                              "after_rate": a["rate"], "rr": rr.rr, "rr_low": rr.low, "rr_high": rr.high,
                              "p": rr.p_value})


@claims.evaluator("C2", rule=RULES["C2"])
def evaluate_c2() -> claims.Verdict:
    """Cherán's pooled rate in ``C2_AFTER`` (the five years after the uprising) against ``C2_BEFORE`` (the years
    up to it): supported if the exact 95% interval of their ratio lies wholly below 1; partly supported if only
    the point estimate does; otherwise not supported."""
    n = c2_numbers()
    verdict = rule_c2(n["rr"], n["rr_high"])
    ev = (f"Cherán recorded {n['before_deaths']:.0f} homicides in {C2_BEFORE[0]}-{C2_BEFORE[1]} and "
          f"{n['after_deaths']:.0f} in {C2_AFTER[0]}-{C2_AFTER[1]}: a rate ratio of {n['rr']:.2f} (95% interval "
          f"{n['rr_low']:.2f}-{n['rr_high']:.2f}).")
    return claims.Verdict("C2", verdict, n["rr"], "rate ratio, five years after against the years before", ev, n)


def c3_numbers() -> dict:
    c = coverage().set_index("cycle")
    counted = [y for y in C3_CYCLES if y in c.index and c.loc[y, "others_share"] >= C3_MIN_COVERAGE]
    with_result = [y for y in counted if c.loc[y, "case_has_result"]]
    before = [int(y) for y in c.index if y < BREAK_YEAR - 1 and c.loc[y, "case_has_result"]]
    return values.plain_dict({
        "cycles": len(counted), "case_results": len(with_result),
        "min_coverage_pct": 100 * min((c.loc[y, "others_share"] for y in counted), default=0.0),
        "last_party_election": max(before) if before else None, "party_elections_before": len(before)})


@claims.evaluator("C3", rule=RULES["C3"])
def evaluate_c3() -> claims.Verdict:
    """In each ordinary election cycle after the break (``C3_CYCLES``) for which at least ``C3_MIN_COVERAGE``
    of Michoacán's other municipalities have a party result: supported if Cherán has none in any of them,
    partly supported if it lacks one in some, not supported if it has one in all; cannot be tested if no
    cycle is covered well enough."""
    n = c3_numbers()
    verdict = rule_c3(n["case_results"], n["cycles"])
    ev = (f"In {n['cycles']} election cycles after the break, when at least {n['min_coverage_pct']:.0f}% of "
          f"Michoacán's other municipalities have a party result, Cherán has {n['case_results']}; its last party "
          f"election was in {n['last_party_election']}.")
    return claims.Verdict("C3", verdict, float(n["case_results"]), "party results for Cherán after the break", ev, n)


def c4_numbers() -> dict:
    d = avocado_neighbours()
    nb = set(bordering()["mun_code"])
    case_after = float(d.loc[(d["mun_code"] == CODE) & (d["year"] >= BREAK_YEAR), "planted_ha"].sum())
    case_ever = bool(d.loc[d["mun_code"] == CODE, "recorded"].any())
    b = d[d["mun_code"].isin(nb)]
    with_orchards = sorted(b.loc[(b["year"] >= BREAK_YEAR) & (b["planted_ha"] > 0), "area"].unique())
    tot = b.groupby("year")["planted_ha"].sum()
    y0, y1 = BREAK_YEAR - 1, int(tot.index.max())
    growth = float(tot[y1] / tot[y0] - 1) if tot[y0] > 0 else float("inf")
    return values.plain_dict({
        "case_ha_after": case_after, "case_ever": case_ever, "n_bordering": len(nb), "n_with": len(with_orchards),
        "share_with": len(with_orchards) / len(nb), "with_names": " and ".join(with_orchards),
        "ha_start": float(tot[y0]), "ha_end": float(tot[y1]), "start_year": y0, "end_year": y1, "growth": growth})


@claims.evaluator("C4", rule=RULES["C4"])
def evaluate_c4() -> claims.Verdict:
    """SIAP's planted avocado area (no row = none): not supported if Cherán records any after the break;
    supported if it records none while at least ``C4_MIN_SHARE`` of its bordering neighbours record orchards
    after the break and their planted area grew by at least ``C4_MIN_GROWTH`` from the year before the break
    to the last year; partly supported if Cherán records none but a neighbour condition fails."""
    n = c4_numbers()
    verdict = rule_c4(n["case_ha_after"], n["share_with"], n["growth"])
    ev = (f"SIAP records no avocado orchards in Cherán; {n['n_with']} of its {n['n_bordering']} bordering "
          f"neighbours record orchards, whose planted area went from {n['ha_start']:,.0f} hectares in "
          f"{n['start_year']} to {n['ha_end']:,.0f} in {n['end_year']}.")
    return claims.Verdict("C4", verdict, n["ha_end"], "hectares of avocado in the bordering municipalities", ev, n)


def c5_numbers() -> dict:
    found = [t for t in tables() if any(w in t for w in C5_TABLE_WORDS)]
    return {"forest_tables": ", ".join(found), "n_forest_tables": len(found)}


@claims.evaluator("C5", rule=RULES["C5"])
def evaluate_c5() -> claims.Verdict:
    """Forest loss needs a forest-cover series by municipality; the evaluator looks for a processed table named
    for forest or land cover (``C5_TABLE_WORDS``). With none, the claim cannot be tested with these data."""
    n = c5_numbers()
    verdict = rule_c5([t for t in n["forest_tables"].split(", ") if t])
    ev = "The book's data hold no forest-cover series; the published estimates of the loss disagree with each other."
    return claims.Verdict("C5", verdict, None, "", ev, n)
