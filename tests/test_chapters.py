"""The chapter standard (../shared/notes/chapter-standard.md), checked on the chapter sources.

Only chapters that are written (no "In preparation" admonition, no author prompt left by
``python -m enclaves new-case``) are held to it.
"""

from __future__ import annotations

import re

import pytest

from enclaves import paths
from enclaves.scaffold import is_draft

ROOT = paths.root()
CASES = sorted(p.stem for p in (ROOT / "book" / "cases").glob("*.md"))
SECTIONS = ["overview", "timeline", "before", "break", "after", "counterfactual", "claims", "costs", "limits",
            "exercises"]
CODE = re.compile(r"^(```+|~~~+)\{code-cell\}.*?^\1\s*$", re.S | re.M)
FENCE = re.compile(r"^(```+|:::+)[^\n]*\n.*?^\1\s*$", re.S | re.M)
FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def source(slug: str) -> str:
    return (ROOT / "book" / "cases" / f"{slug}.md").read_text(encoding="utf-8")


def written(slug: str) -> bool:
    return "In preparation" not in source(slug) and not is_draft(source(slug))


def strip_code(text: str) -> str:
    """Drop code cells and other code-like fenced blocks (line by line, matching fence length)."""
    out, fence = [], None
    for line in text.splitlines():
        if fence is None:
            m = re.match(r"^(`{3,}|~{3,})\s*(\{code-cell\}|python)", line)
            if m:
                fence = m.group(1)
                continue
            out.append(line)
        elif line.strip() == fence:
            fence = None
    return "\n".join(out)


def prose(text: str) -> str:
    text = FRONT.sub("", text)
    text = strip_code(text)
    text = re.sub(r"^\([^)]*\)=\s*$", "", text, flags=re.M)          # labels
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", "", text)                     # roles (glue, cite, numref)
    text = re.sub(r"^\s*:[a-z-]+:.*$", "", text, flags=re.M)          # directive options
    return text


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*", prose(text)))


def cited_keys(text: str) -> set[str]:
    keys = set()
    for m in re.finditer(r"\{cite(?::[a-z]+)?\}`([^`]+)`", text):
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


def stray_numbers(source_text: str) -> list[str]:
    """Numbers typed in prose: anything but years, INEGI codes, 'per 100,000' and glued values."""
    text = re.sub(r"^```\{exercise\}.*?^```\s*$", "", source_text, flags=re.S | re.M)  # exercise parameters
    text = prose(text)
    text = re.sub(r"`[^`]*`", "", text)                     # inline code
    text = re.sub(r"\[[^\]]*\]\([^)]*\)", "", text)          # links
    text = re.sub(r"per\s+100,000", "per hundred thousand", text)   # the unit of rates
    text = re.sub(r"(19|20)\d\d[–-]\d\d\b", "YEARS", text)            # 2007–09
    stray = []
    for m in re.finditer(r"(?<![\w.])\d[\d,.]*%?", text):
        tok = m.group(0).rstrip(",.")
        if re.fullmatch(r"(19|20)\d\d", tok) or re.fullmatch(r"(19|20)\d\d[–-](19|20)?\d\d", tok):
            continue  # years may be typed
        if re.fullmatch(r"[0-3]\d{4}", tok):
            continue  # INEGI municipality codes are identifiers, not figures
        stray.append(tok)
    return stray


def test_typed_number_guard_catches_a_planted_number():
    planted = "# T\n\nIn 2013 the rate rose by 42 per cent, to {glue:text}`x:.1f` per 100,000 (code 16083).\n"
    assert stray_numbers(planted) == ["42"]


@pytest.mark.parametrize("slug", CASES)
def test_numbers_in_prose_are_glued(slug):
    if not written(slug):
        pytest.skip(f"{slug} is still in preparation")
    stray = stray_numbers(source(slug))
    assert stray == [], f"typed numbers in prose (glue them): {stray[:15]}"
