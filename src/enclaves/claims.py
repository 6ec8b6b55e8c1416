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


def evaluator(claim_id: str):
    """Register the function that evaluates ``claim_id``."""

    def deco(fn: Callable[[], Verdict]):
        if claim_id not in registry():
            raise KeyError(f"unknown claim {claim_id}; add it to data/claims/claims.yml")
        _EVALUATORS[claim_id] = fn
        return fn

    return deco


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


def ledger() -> pd.DataFrame:
    """Every claim with its verdict (or 'not yet tested' where no chapter evaluates it yet)."""
    rows = []
    for c in registry().values():
        try:
            v = evaluate(c.id)
            rows.append({"id": c.id, "case": c.case, "claim": c.claim, "verdict": v.verdict,
                         "key_number": v.key_number, "key_label": v.key_label, "evidence": v.evidence,
                         "section": c.section, "doc": case_doc(c.case)})
        except LookupError:
            rows.append({"id": c.id, "case": c.case, "claim": c.claim, "verdict": "not yet tested",
                         "key_number": None, "key_label": "", "evidence": "", "section": c.section,
                         "doc": case_doc(c.case)})
    return pd.DataFrame(rows)


def ledger_markdown(table: pd.DataFrame | None = None) -> str:
    """The ledger as a MyST table whose links point at the section testing each claim."""
    t = ledger() if table is None else table
    lines = ["| claim | what the reporting says | verdict | key number | where it is tested |",
             "|---|---|---|---|---|"]
    for r in t.itertuples():
        num = "" if r.key_number is None or pd.isna(r.key_number) else f"{r.key_number:,.3g} ({r.key_label})"
        where = f"{{ref}}`{r.section}`" if r.verdict != "not yet tested" else f"{{doc}}`{r.doc}`"
        lines.append(f"| {r.id} | {r.claim} | **{r.verdict}** | {num} | {where} |")
    return "\n".join(lines)
