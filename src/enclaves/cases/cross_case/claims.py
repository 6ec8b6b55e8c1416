"""Cross-case analysis: the verdict rule and the evaluator of claim X1 (is violence rooted in the weakness of
the state?)."""

from __future__ import annotations

from ... import claims
from .case import MAIN_SCALE, SCALES
from .evidence import counts, evidence_table, signal_test, verdict_from
from .series import between_correlations

#: The verdict rule in plain words, fixed with the evaluator (the chapter and the claims ledger show it); the
#: directions of the single tests are set out in :mod:`.evidence`.
RULES = {
    "X1": ("Supported if some test points for X1 and none against, with a test within states among those for "
           "(weakness before violence); partly supported if any test points for; not supported if none points "
           "for and some point against; cannot be tested with these data otherwise."),
}



@claims.evaluator("X1", rule=RULES["X1"])
def evaluate_x1() -> claims.Verdict:
    """X1 from the evidence table (:mod:`.evidence`): its verdict, and the counts of tests for, against and
    uninformative as the ledger's key figure."""
    e = evidence_table(MAIN_SCALE)
    verdict = verdict_from(e)
    n = counts(e)
    b = between_correlations(MAIN_SCALE).set_index("measure")
    wjp = b.loc["wjp_2019"]
    by_scale = {s: verdict_from(evidence_table(s)) for s in SCALES}
    numbers = {
        "n_tests": len(e), "n_for": n["for"], "n_against": n["against"], "n_uninformative": n["uninformative"],
        "verdict_log": by_scale["log"], "verdict_rate": by_scale["rate"], "verdict_rank": by_scale["rank"],
        "r_wjp": float(wjp.r), "r_wjp_low": float(wjp.r_low), "r_wjp_high": float(wjp.r_high),
        "r_dark": float(b.loc["cifra_negra_pct", "r"]), "r_auth": float(b.loc["authority_causes_pct", "r"]),
        "signal_p_dark": signal_test("cifra_negra_pct")["p"], "signal_p_auth": signal_test("authority_causes_pct")["p"],
        "min_p_holm": float(e["p_holm"].min()),
    }
    fam = {f: counts(g) for f, g in e.groupby("family", sort=False)}
    parts = "; ".join(f"{f.lower()}: {c['for']} for, {c['against']} against, {c['uninformative']} uninformative"
                      for f, c in fam.items())
    evidence = (
        f"Of {len(e)} tests of X1 ({parts}), none survives the correction for testing many at once in the "
        f"direction X1 predicts (smallest Holm-adjusted p-value {numbers['min_p_holm']:.2f}). The rule-of-law "
        f"score leans the way the thesis predicts (r = {wjp.r:.2f}, 95% interval {wjp.r_low:.2f} to "
        f"{wjp.r_high:.2f}) but partly measures violence itself; the survey measures show no association across "
        f"states; close elections that align a mayor with the governor, the president or the neighbours, or "
        f"that unseat the incumbent party, are followed by no change in killing that the data can tell from "
        f"zero." if n["for"] == 0 else
        f"Of {len(e)} tests of X1 ({parts}).")
    return claims.Verdict(
        claim_id="X1", verdict=verdict, key_number=float(n["for"]),
        key_label=(f"tests of X1 in the direction it predicts after Holm's correction, of {len(e)} "
                   f"({n['against']} against, {n['uninformative']} uninformative)"),
        evidence=evidence, numbers=numbers)
