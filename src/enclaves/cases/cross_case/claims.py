"""Cross-case analysis: the verdict rule and the evaluator of claim X1 (is violence rooted in the weakness of
the state?)."""

from __future__ import annotations

from ... import claims
from .case import MAIN_SCALE, SCALES, WEAKNESS
from .series import between_correlations, model_row, within_signal, x1_evidence


def verdict_from(ev: dict) -> str:
    """Supported: a weakness measure precedes violence within states (robust to first differences
    and to dropping the most violent states, with no significant reverse link), a between-state
    association too, and nothing against. Partly supported: some association in the predicted
    direction. Not supported: none, and at least one interval rules out an effect of the size the
    thesis implies. Cannot be tested: none either way."""
    between_for = [e for e in ev["for"] if e.startswith("between:")]
    if ev["precedence"] and between_for and not ev["against"]:
        return "supported"
    if ev["for"]:
        return "partly supported"
    if ev["against"]:
        return "not supported"
    return "cannot be tested with these data"


@claims.evaluator("X1")
def evaluate_x1() -> claims.Verdict:
    ev = x1_evidence(MAIN_SCALE)
    verdict = verdict_from(ev)
    b = between_correlations(MAIN_SCALE).set_index("measure")
    wjp = b.loc["wjp_2019"]
    by_scale = {s: verdict_from(x1_evidence(s)) for s in SCALES}
    numbers = {
        "r_wjp": float(wjp.r), "r_wjp_low": float(wjp.r_low), "r_wjp_high": float(wjp.r_high),
        "r_dark": float(b.loc["cifra_negra_pct", "r"]), "r_dark_low": float(b.loc["cifra_negra_pct", "r_low"]),
        "r_dark_high": float(b.loc["cifra_negra_pct", "r_high"]),
        "r_auth": float(b.loc["authority_causes_pct", "r"]),
        "r_auth_low": float(b.loc["authority_causes_pct", "r_low"]),
        "r_auth_high": float(b.loc["authority_causes_pct", "r_high"]),
        "signal_dark": within_signal("cifra_negra_pct"), "signal_auth": within_signal("authority_causes_pct"),
        "n_for": len(ev["for"]), "n_against": len(ev["against"]), "n_untestable": len(ev["untestable"]),
        "verdict_log": by_scale["log"], "verdict_rate": by_scale["rate"], "verdict_rank": by_scale["rank"],
    }
    for m in WEAKNESS:
        r = model_row(m)
        numbers[f"within_{m}"] = float(r.per_step)
        numbers[f"within_{m}_low"] = float(r.per_step_low)
        numbers[f"within_{m}_high"] = float(r.per_step_high)
    evidence = (
        f"Across the 32 states, the share of crimes never reported or investigated and the share left "
        f"unreported because of the authorities are not correlated with later homicide rates "
        f"(r = {numbers['r_dark']:.2f} and {numbers['r_auth']:.2f}); the rule-of-law score leans the way the "
        f"thesis predicts (r = {wjp.r:.2f}, 95% interval {wjp.r_low:.2f} to {wjp.r_high:.2f}) without "
        f"clearing zero. Within states the survey measures move mostly with sampling noise, so they cannot "
        f"show whether weakness comes before violence.")
    return claims.Verdict(
        claim_id="X1", verdict=verdict, key_number=float(wjp.r),
        key_label=(f"correlation across the 32 states between the WJP rule-of-law score (2019-20) and the log "
                   f"homicide rate 2020-2022 (95% interval {wjp.r_low:.2f} to {wjp.r_high:.2f})"),
        evidence=evidence, numbers=numbers)
