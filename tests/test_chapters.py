"""The chapter standard (../shared/notes/chapter-standard.md), checked on the chapter sources.

Only chapters that are written (no "In preparation" admonition, no author prompt left by
``python -m enclaves new-case``) are held to it. The writing rules that apply to every page (numbers
glued, figures captioned, keys resolved …) are in enclaves.checks and tests/test_guards.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from enclaves import checks, paths
from enclaves.scaffold import is_draft

ROOT = paths.root()
CASES = sorted(p.stem for p in (ROOT / "book" / "cases").glob("*.md"))
SECTIONS = ["overview", "timeline", "before", "break", "after", "counterfactual", "claims", "costs", "limits",
            "exercises"]


def source(slug: str) -> str:
    return (ROOT / "book" / "cases" / f"{slug}.md").read_text(encoding="utf-8")


def written(slug: str) -> bool:
    return "In preparation" not in source(slug) and not is_draft(source(slug))


def prose(text: str) -> str:
    """The prose of a chapter (enclaves.checks reads it: no front matter, code cells or code blocks),
    without labels, roles and directive options."""
    text = "\n".join(checks.read_chapter(Path("chapter.md"), text).prose_lines)
    text = re.sub(r"^\([^)]*\)=\s*$", "", text, flags=re.M)          # labels
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", "", text)                     # roles (glue, cite, numref)
    text = re.sub(r"^\s*:[a-z-]+:.*$", "", text, flags=re.M)          # directive options
    return text


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*", prose(text)))


def cited_keys(text: str) -> set[str]:
    keys = set()
    for m in checks.CITE.finditer(text):
        keys |= {k.strip() for k in m.group(1).split(",")}
    return keys


def test_word_counter_ignores_code():
    t = ("---\na: b\n---\n# Title\n\n```{code-cell} ipython3\nx = 1 + 2\nprint('many words here')\n```\n\n"
         "One two three.\n")
    assert words(t) == 4


@pytest.mark.parametrize("slug", CASES)
def test_case_chapter_meets_the_standard(slug):
    text = source(slug)
    if not written(slug):
        pytest.skip(f"{slug} is still in preparation")
    missing = [s for s in SECTIONS if f"(case-{slug}-{s})=" not in text]
    assert not missing, f"missing section labels: {missing}"
    assert words(text) >= 3000, f"{words(text)} words of prose"
    figures = re.findall(r"name:\s*(fig-[a-z0-9-]+)", text)
    assert len(set(figures)) >= 5, figures
    assert len(cited_keys(text)) >= 8, sorted(cited_keys(text))
    assert len(re.findall(r"^```\{exercise\}", text, re.M)) >= 3
    assert len(re.findall(r"^```\{solution-start\}", text, re.M)) >= 3
    assert "enclaves.cases." in text or f"cases import {slug}" in text
