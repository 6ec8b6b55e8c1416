"""Claims of the source reporting, their evidence and verdicts — one record feeds both the chapter
that tests a claim and the book's claims ledger.

Claim texts live in ``data/claims/claims.yml``. Each case package (``enclaves.cases.<slug>``, listed in
``data/mappings/cases.csv``, see :mod:`enclaves.cases.registry`) registers an evaluator per claim with
:func:`evaluator`; the evaluator computes the verdict from
processed data and returns a :class:`Verdict`. Nothing here types a number or a verdict by hand.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

import pandas as pd
import yaml

from . import paths
from .cases import registry as cases

VERDICTS = ("supported", "partly supported", "not supported", "cannot be tested with these data")


@dataclass(frozen=True)
class Claim:
    id: str
    case: str
    claim: str
    data: str
    section: str
    #: Who makes the claim, in words (for claims from outside the source reporting; empty for the source's own).
    attribution: str = ""


@dataclass(frozen=True)
class Verdict:
    """What the data say about one claim.

    ``key_number`` is the single most telling number (a plain float) and ``key_label`` says
    what it is; ``evidence`` is one or two sentences in plain words; ``numbers`` holds any other
    values the chapter glues.
    """

    claim_id: str
    verdict: str
    key_number: float | None
    key_label: str
    evidence: str
    numbers: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.claim_id}: verdict must be one of {VERDICTS}, got {self.verdict!r}")


_EVALUATORS: dict[str, Callable[[], Verdict]] = {}


@lru_cache(maxsize=1)
def registry() -> dict[str, Claim]:
    recs = yaml.safe_load((paths.data_dir() / "claims" / "claims.yml").read_text(encoding="utf-8"))
    return {r["id"]: Claim(**r) for r in recs}


_RULES: dict[str, str] = {}


def evaluator(claim_id: str, rule: str):
    """Register the function that evaluates ``claim_id`` and its ``rule``: the verdict rule in plain words,
    fixed with the evaluator before any result is read. The chapter and the claims ledger both show this text
    (the chapter glues :func:`rule` under its own key), so the two cannot word the rule differently."""
    if not rule or not rule.strip():
        raise ValueError(f"{claim_id}: an evaluator needs its rule in plain words")

    def deco(fn: Callable[[], Verdict]):
        if claim_id not in registry():
            raise KeyError(f"unknown claim {claim_id}; add it to data/claims/claims.yml")
        _EVALUATORS[claim_id] = fn
        _RULES[claim_id] = " ".join(rule.split())
        return fn

    return deco


def rule(claim_id: str) -> str:
    """The verdict rule of ``claim_id`` as registered with its evaluator."""
    claim = registry()[claim_id]
    _load_case(claim.case)
    if claim_id not in _RULES:
        raise LookupError(f"claim {claim_id} has no evaluator yet (enclaves.cases.{claim.case})")
    return _RULES[claim_id]


def _load_case(case: str) -> None:
    """Import the module that registers the evaluators of ``case`` (see :mod:`enclaves.cases.registry`);
    a case scaffolded but without its own package yet has none, and its claims stay untested."""
    mod = cases.claim_module(case)
    if mod:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise


@cache
def evaluate(claim_id: str) -> Verdict:
    claim = registry()[claim_id]
    _load_case(claim.case)
    if claim_id not in _EVALUATORS:
        raise LookupError(f"claim {claim_id} has no evaluator yet (enclaves.cases.{claim.case})")
    v = _EVALUATORS[claim_id]()
    if v.claim_id != claim_id:
        raise ValueError(f"evaluator for {claim_id} returned a verdict for {v.claim_id}")
    return v


def case_doc(case: str) -> str:
    """The page testing a case's claims (from the registry of cases)."""
    return cases.claim_doc(case)


def origin(case: str) -> str:
    """Where a case's claims come from: the registry's ``origin`` of the case (the analysis chapters test the
    source reporting's own claims)."""
    try:
        return cases.get(case).origin
    except KeyError:
        return cases.SOURCE_REPORTING


def ledger() -> pd.DataFrame:
    """Every claim with its verdict (or 'not yet tested' where no chapter evaluates it yet), its case's
    ``origin`` (source reporting or beyond it) and, for claims from beyond it, who makes the claim."""
    rows = []
    for c in registry().values():
        base = {"id": c.id, "case": c.case, "claim": c.claim, "section": c.section, "doc": case_doc(c.case),
                "origin": origin(c.case), "attribution": c.attribution}
        try:
            v = evaluate(c.id)
            rows.append({**base, "rule": rule(c.id), "verdict": v.verdict, "key_number": v.key_number,
                         "key_label": v.key_label, "evidence": v.evidence})
        except LookupError:
            rows.append({**base, "rule": "", "verdict": "not yet tested", "key_number": None, "key_label": "",
                         "evidence": ""})
    cols = ["id", "case", "claim", "rule", "verdict", "key_number", "key_label", "evidence", "section", "doc",
            "origin", "attribution"]
    return pd.DataFrame(rows, columns=cols)


def _rows(t: pd.DataFrame, who: bool) -> list[str]:
    out = []
    for r in t.itertuples():
        num = "" if r.key_number is None or pd.isna(r.key_number) else f"{r.key_number:,.3g} ({r.key_label})"
        where = f"{{ref}}`{r.section}`" if r.verdict != "not yet tested" else f"{{doc}}`{r.doc}`"
        middle = f" {r.attribution} |" if who else ""
        rule_text = getattr(r, "rule", "") or ""
        out.append(f"| {r.id} | {r.claim} |{middle} {rule_text} | **{r.verdict}** | {num} | {where} |")
    return out


#: The heading of the ledger's second group: claims about cases the book adds beyond the source reporting.
BEYOND_HEADING = "Claims from outside the source reporting"


def ledger_markdown(table: pd.DataFrame | None = None) -> str:
    """The ledger as MyST tables whose links point at the section testing each claim: first the claims of the
    source reporting, then, under :data:`BEYOND_HEADING`, those about cases beyond it, with who makes each."""
    t = ledger() if table is None else table
    if "origin" not in t.columns:
        t = t.assign(origin=cases.SOURCE_REPORTING, attribution="")
    src, beyond = t[t["origin"] != cases.BEYOND], t[t["origin"] == cases.BEYOND]
    lines = ["| claim | what the reporting says | the rule, fixed before the data were read | verdict | key number "
             "| where it is tested |",
             "|---|---|---|---|---|---|", *_rows(src, who=False)]
    if len(beyond):
        lines += ["", f"**{BEYOND_HEADING}** (cases the book adds; each claim is attributed to the work that "
                  "makes it)", "",
                  "| claim | what is claimed | who says it | the rule, fixed before the data were read | verdict "
                  "| key number | where it is tested |",
                  "|---|---|---|---|---|---|---|", *_rows(beyond, who=True)]
    return "\n".join(lines)
