"""Each claim's verdict rule is written once, with its evaluator: the chapter testing the claim glues it before
the verdict, and the claims ledger shows the same words."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from enclaves import claims
from enclaves.cases import registry

ROOT = Path(__file__).resolve().parents[1]
TESTED = [cid for cid, c in claims.registry().items() if registry.claim_module(c.case)]


def _chapter_and_numbers(case: str):
    doc = ROOT / f"{registry.claim_doc(case).lstrip('/')}.md"
    mod = importlib.import_module(f"enclaves.cases.{case}")
    return doc.read_text(encoding="utf-8"), mod.numbers()


@pytest.mark.parametrize("cid", TESTED)
def test_every_evaluator_has_a_rule_in_plain_words(cid):
    r = claims.rule(cid)
    assert len(r) > 60 and r.endswith(".") and "``" not in r and "_" not in r
    assert "supported" in r or "cannot be tested" in r


@pytest.mark.parametrize("cid", TESTED)
def test_chapter_glues_the_rule_before_the_verdict_and_the_ledger_shows_it(cid):
    case = claims.registry()[cid].case
    text, numbers = _chapter_and_numbers(case)
    rule_keys = [k for k, v in numbers.items() if k.endswith("_rule") and v == claims.rule(cid)]
    assert len(rule_keys) == 1, f"{cid}: the chapter's numbers carry its rule under one key"
    key = rule_keys[0]
    verdict_key = key.removesuffix("_rule") + "_verdict"
    assert numbers[verdict_key] == claims.evaluate(cid).verdict
    at_rule = text.find(f"{{glue:text}}`{key}`")
    assert at_rule >= 0, f"{cid}: {key} is not glued in the chapter"
    heading = text.rfind("\n#", 0, at_rule)
    verdict = re.compile(r"\{glue:text\}`" + re.escape(verdict_key) + r"[:`]")
    assert not verdict.search(text, heading, at_rule), f"{cid}: the verdict is stated before the rule"
    after = verdict.search(text, at_rule)
    next_heading = text.find("\n#", at_rule)
    assert after and (next_heading < 0 or after.start() < next_heading), \
        f"{cid}: the verdict does not follow the rule in its section"
    led = claims.ledger().set_index("id")
    assert led.loc[cid, "rule"] == claims.rule(cid)
    assert f"| {claims.rule(cid)} |" in claims.ledger_markdown(claims.ledger())


def test_an_evaluator_without_a_rule_is_refused():
    with pytest.raises(ValueError, match="rule"):
        claims.evaluator("T1", rule="  ")
