"""Ciudad Nezahualcóyotl: the evaluators of claims N1 and N2 (registered on import).

Every verdict comes from thresholds defined in :mod:`.case` (``FAR_SAFER_RR``, ``THIRD_PARTY_SHARE``).
"""

from __future__ import annotations

import numpy as np

from ... import claims
from ...values import span
from .case import (
    ARTICLE_ELECTION,
    ARTICLE_WINDOW,
    CI_LEVEL,
    CODE,
    EARLY_WINDOW,
    ESTABLISHMENT,
    FAMILY_LABELS,
    FAR_SAFER_RR,
    FIRST_YEAR,
    GROUP_LABELS,
    NAME,
    PEAK_WINDOW,
    THIRD_PARTY_SHARE,
)
from .series import elections, governor_family, sesnsp_n_higher, sesnsp_neighbours, window_rate, window_ratio

#: The verdict rules in plain words, fixed with the evaluators (the chapter and the claims ledger show them).
RULES = {
    "N1": (f"Over {span(ARTICLE_WINDOW)}, 'far safer' means a rate at most {FAR_SAFER_RR:.2f} times the "
           f"comparison's, with the upper end of the {CI_LEVEL}% interval of the ratio below one. Than it was: "
           f"against both {span(EARLY_WINDOW)} and {span(PEAK_WINDOW)}. Than its neighbours: against the eastern "
           "ring of Estado de México and the adjoining Mexico City boroughs. Supported if all four hold; partly "
           "supported if Neza is far safer than it was, or than at least one group of neighbours; not supported "
           "if none holds."),
    "N2": (f"Supported if the government in office when the article appeared (elected in {ARTICLE_ELECTION}) is "
           f"of a third party (neither PRI nor PAN), third parties won at least {THIRD_PARTY_SHARE:.0%} of Neza's "
           f"elections from {FIRST_YEAR} to {ARTICLE_ELECTION}, and at least {THIRD_PARTY_SHARE:.0%} of them went "
           "to a party other than the governor's; partly supported if only the first holds; not supported if "
           "the government at the time of the article was of the PRI or the PAN."),
}


def _far_safer(rr: float, hi: float, threshold: float = FAR_SAFER_RR) -> bool:
    return rr <= threshold and hi < 1


def _n1_tests() -> dict:
    nz, ring, cdmx = NAME, GROUP_LABELS["east_ring"], GROUP_LABELS["cdmx_boroughs"]
    w = ARTICLE_WINDOW
    return {"early": window_ratio(nz, w, nz, EARLY_WINDOW), "peak": window_ratio(nz, w, nz, PEAK_WINDOW),
            "ring": window_ratio(nz, w, ring, w), "cdmx": window_ratio(nz, w, cdmx, w)}


def n1_verdict(threshold: float = FAR_SAFER_RR) -> str:
    """N1's verdict under its rule with ``threshold`` as the largest rate ratio that counts as "far safer"."""
    far = {k: _far_safer(v.rr, v.high, threshold) for k, v in _n1_tests().items()}
    past, neigh = far["early"] and far["peak"], [far["ring"], far["cdmx"]]
    if past and all(neigh):
        return "supported"
    if past or any(neigh):
        return "partly supported"
    return "not supported"


#: The thresholds of the sensitivity table (rate ratios that count as "far safer").
N1_THRESHOLDS = (0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90)


def n1_sensitivity(thresholds=N1_THRESHOLDS) -> list[tuple[float, str]]:
    """How N1's verdict moves with the "far safer" threshold."""
    return [(t, n1_verdict(t)) for t in thresholds]


@claims.evaluator("N1", rule=RULES["N1"])
def evaluate_n1() -> claims.Verdict:
    """N1 — far safer than it was and than its neighbours.

    Window: the three full years before the article (2015-2017). "Far safer" = rate ratio ≤ 0.75
    with exact upper bound < 1. Than it was: against both 1990-1992 and 2011-2013. Than its
    neighbours: against the eastern ring and the adjoining Mexico City boroughs (pooled).
    supported = all four; partly supported = than it was, or than at least one neighbour group;
    not supported = none.
    """
    nz, ring, cdmx = NAME, GROUP_LABELS["east_ring"], GROUP_LABELS["cdmx_boroughs"]
    w = ARTICLE_WINDOW
    tests = _n1_tests()
    far = {k: _far_safer(v.rr, v.high) for k, v in tests.items()}
    verdict = n1_verdict()
    numbers = {f"n1_rr_{k}": v.rr for k, v in tests.items()}
    numbers.update({f"n1_rr_{k}_high": v.high for k, v in tests.items()})
    numbers.update({f"n1_rr_{k}_low": v.low for k, v in tests.items()})
    numbers.update({f"n1_far_{k}": bool(v) for k, v in far.items()})
    numbers.update({"n1_neza_rate": window_rate(nz, w)[0], "n1_ring_rate": window_rate(ring, w)[0],
                    "n1_cdmx_rate": window_rate(cdmx, w)[0],
                    "n1_sesnsp_higher_homicide": sesnsp_n_higher("homicidio_doloso", 2015),
                    "n1_sesnsp_neighbours": len(sesnsp_neighbours())})
    evidence = (f"In {w[0]}-{w[1]} Neza's homicide rate was {tests['peak'].rr:.2f} times its 2011-2013 rate and "
                f"{tests['early'].rr:.2f} times its 1990-1992 rate; it was {tests['ring'].rr:.2f} times the eastern "
                f"ring's rate but {tests['cdmx'].rr:.2f} times the adjoining Mexico City boroughs' rate.")
    return claims.Verdict("N1", verdict, float(tests["ring"].rr),
                          f"Neza's homicide rate {w[0]}-{w[1]} relative to the eastern-ring municipalities",
                          evidence, numbers)


@claims.evaluator("N2", rule=RULES["N2"])
def evaluate_n2() -> claims.Verdict:
    """N2 — governed by a third party outside the establishment.

    supported = the government in office when the article appeared (elected 2015) is of a third
    party (not PRI, not PAN) AND third parties won at least half of Neza's elections 1990-2015
    AND at least half of them went to a party other than the governor's; partly supported = only
    the first; not supported = the government at the article was PRI or PAN.
    """
    e = elections()
    nz = e[(e["mun_code"] == CODE) & e["year"].between(FIRST_YEAR, ARTICLE_ELECTION)].copy()
    at_article = nz.iloc[-1]
    third_at_article = at_article["winner_family"] not in ESTABLISHMENT
    share = float((~nz["winner_family"].isin(ESTABLISHMENT)).mean())
    differs = float(np.mean([f != governor_family(int(y)) for f, y in zip(nz["winner_family"], nz["year"],
                                                                          strict=True)]))
    if third_at_article and share >= THIRD_PARTY_SHARE and differs >= THIRD_PARTY_SHARE:
        verdict = "supported"
    elif third_at_article:
        verdict = "partly supported"
    else:
        verdict = "not supported"
    later = e[(e["mun_code"] == CODE) & (e["year"] > ARTICLE_ELECTION)]
    numbers = {"n2_at_article_year": int(at_article["year"]),
               "n2_at_article_family": FAMILY_LABELS[at_article["winner_family"]],
               "n2_share_third": share, "n2_share_differs": differs, "n2_elections": len(nz),
               "n2_third": int((~nz["winner_family"].isin(ESTABLISHMENT)).sum()),
               "n2_pri_wins": int((nz["winner_family"] == "pri").sum()),
               "n2_later": "; ".join(f"{int(r.year)}: {r.winner}" for r in later.itertuples())}
    evidence = (f"Third parties (not PRI or PAN) won {numbers['n2_third']} of Neza's {len(nz)} municipal elections "
                f"1990-2015, including the {int(at_article['year'])} election that chose the government in office "
                f"in January 2018; the winner's party differed from the governor's in {differs:.0%} of them.")
    return claims.Verdict("N2", verdict, share,
                          "Share of Neza's municipal elections 1990-2015 won by a party other than PRI or PAN",
                          evidence, numbers)


def n1_table() -> str:
    """N1's four comparisons as a Markdown table: Neza's 2015-2017 rate against each, the ratio, its exact
    interval and whether it passes the rule's "far safer"."""
    n = claims.evaluate("N1").numbers
    w = span(ARTICLE_WINDOW)
    rows = [(f"Neza itself, {span(EARLY_WINDOW)}", "early"), (f"Neza itself, {span(PEAK_WINDOW)}", "peak"),
            (f"Eastern ring, {w}", "ring"), (f"Adjoining Mexico City boroughs, {w}", "cdmx")]
    yes = {True: "yes", False: "no"}
    lines = [f"| Neza {w} against | Rate ratio | {CI_LEVEL}% interval | Far safer by the rule? |",
             "|:--|--:|--:|:--|"]
    lines += [f"| {label} | {n[f'n1_rr_{k}']:.2f} | {n[f'n1_rr_{k}_low']:.2f}–{n[f'n1_rr_{k}_high']:.2f} | "
              f"{yes[bool(n[f'n1_far_{k}'])]} |" for label, k in rows]
    return "\n".join(lines)
