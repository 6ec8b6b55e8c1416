"""Rules on the words: no placeholder left behind, and no number typed where code should give it.

placeholder   no ``TODO(author)``, ``TODO``, ``FIXME``, ``XXX``, ``TBD``, lorem ipsum or
              ``[citation needed]`` left in a chapter (prose, captions or code cells).
typed-number  no number typed in prose, figure captions or chart descriptions and titles; it must
              come from code (``{glue:text}`` in a chapter, an f-string in a chart). Years, dates,
              year ranges, INEGI codes and the unit "per 100,000" may be typed; exercise statements
              are exempt (they set parameters for the student).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from .base import Finding, is_generated, rel
from .chapter import Chapter, blank, read_chapter
from .figures import figure_captions

# ------------------------------------------------------------------------------------------------
# placeholder
# ------------------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\bTODO\b(\([^)]*\))?|\bFIXME\b|\bXXX+\b|\bTBD\b|(?i:lorem\s+ipsum)|"
                         r"(?i:\[citation needed\])|\?\?\?")


def check_placeholders(ch: Chapter) -> list[Finding]:
    """Markers a template or a draft leaves behind, in prose (outside inline code), captions and code."""
    out = []
    for lineno, line in enumerate(ch.masked_lines, 1):
        for m in PLACEHOLDER.finditer(line):
            out.append(Finding(ch.name, lineno, "placeholder", f"'{m.group(0)}' left in the text"))
    for cell in ch.cells:
        for lineno, line in [*cell.option_lines,
                             *((cell.source_line + k, t) for k, t in enumerate(cell.source.split("\n")))]:
            for m in PLACEHOLDER.finditer(line):
                out.append(Finding(ch.name, lineno, "placeholder", f"'{m.group(0)}' left in a code cell"))
    return out


# ------------------------------------------------------------------------------------------------
# typed-number: prose and captions
# ------------------------------------------------------------------------------------------------

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
#: Things that may be typed, blanked before numbers are looked for.
ALLOWED = [
    (re.compile(r"``.+?``"), "double-backtick code"),
    (re.compile(r"\{[a-z:-]+\}`[^`]*`"), "roles: glue, cite, numref, ref, doc"),
    (re.compile(r"`[^`]*`"), "inline code"),
    (re.compile(r"\]\([^)]*\)"), "link targets"),
    (re.compile(r"<[^>\n]+>"), "HTML tags"),
    (re.compile(r"^\([^)]*\)=\s*$", re.M), "labels"),
    (re.compile(r"^\s*:[a-z-]+:.*$", re.M), "directive options"),
    (re.compile(r"\bper\s+100,000\b"), "the unit of rates"),
    (re.compile(r"\b(19|20)\d\d\s*=\s*100\b"), "the base of an index (2011 = 100)"),
    (re.compile(r"\b(19|20)\d\d-\d\d(-\d\d)?\b"), "ISO dates"),
    (re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\b|\b(?:{MONTHS})\.?\s+\d{{1,2}}\b(?!,\d)"), "day of a date"),
    (re.compile(r"\b(19|20)\d\d\s*[–—-]\s*((19|20)?\d\d)\b"), "year ranges"),
    (re.compile(r"\b(19|20)\d\d(s|'s)?\b"), "years and decades"),
    (re.compile(r"\b[0-3]\d{4}\b"), "INEGI municipality codes"),
    (re.compile(r"\b\d{8,}\b"), "identifiers (INEGI indicator numbers)"),
    (re.compile(r"\b(?:Python|Attribution|BY(?:-SA|-NC)?|version|Vega(?:-Lite)?|Lighthouse)\s+v?\d+(?:\.\d+)+\b"),
     "versions of software and licences (Python 3.11, CC BY 4.0)"),
    (re.compile(r"\b(90|95|99)%(?=(\s+[\w-]+){0,2}?\s+(confidence\s+)?intervals?\b)"), "the level of an interval"),
]
NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*%?")


def typed_numbers(text: str) -> list[tuple[int, str]]:
    """(line, token) of every number typed in ``text`` (prose) that is not allowed to be typed."""
    for rx, _why in ALLOWED:
        text = rx.sub(blank, text)
    out = []
    for m in NUMBER.finditer(text):
        tok = m.group(0).rstrip(",.")
        if tok:
            out.append((text.count("\n", 0, m.start()) + 1, tok))
    return out


def stray_numbers(text: str) -> list[str]:
    """The typed numbers in a chapter's prose (no line numbers): a convenience for tests."""
    return [f.message.split("'")[1] for f in check_typed_numbers(read_chapter(Path("chapter.md"), text))]


def check_typed_numbers(ch: Chapter) -> list[Finding]:
    """Numbers typed in a chapter's prose, its figure captions and its cells' chart titles and descriptions."""
    if is_generated(ch.path):
        return []
    prose = [("" if i in ch.exercise_lines else t) for i, t in enumerate(ch.prose_lines, 1)]
    out = [Finding(ch.name, ln, "typed-number", f"'{tok}' typed in prose — glue it ({{glue:text}})")
           for ln, tok in typed_numbers("\n".join(prose))]
    for line, caption, _name in figure_captions(ch):
        for k, tok in typed_numbers(caption):
            out.append(Finding(ch.name, line + k - 1, "typed-number",
                               f"'{tok}' typed in a figure caption — compute it or say it in words"))
    for cell in ch.cells:
        out += chart_text_numbers(cell.source, ch.name, cell.source_line - 1)
    return out


# ------------------------------------------------------------------------------------------------
# typed-number: chart titles and descriptions (chapter cells and the case modules)
# ------------------------------------------------------------------------------------------------

def _string_tokens(source: str) -> list[tuple[int, str, bool]]:
    """(line, literal text, is_f_string) of the string literals in Python source."""
    out = []
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return out
    for t in toks:
        if t.type != tokenize.STRING:
            continue
        m = re.match(r"(?i)([rbuf]*)('''|\"\"\"|'|\")", t.string)
        if not m:
            continue
        prefix, q = m.group(1).lower(), m.group(2)
        body = t.string[len(m.group(0)):-len(q)]
        if "f" in prefix:
            body = re.sub(r"\{\{|\}\}", "  ", body)
            body = re.sub(r"\{[^{}]*\}", lambda x: " " * len(x.group(0)), body)
        out.append((t.start[0], body, "f" in prefix))
    return out


CHART_TEXT_KEYWORDS = {"description", "title", "subtitle"}


def _chart_text_nodes(tree: ast.AST) -> list[ast.expr]:
    """Values of description=/title=/subtitle= keywords in any call (and alt.Title's first argument)."""
    nodes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg in CHART_TEXT_KEYWORDS:
                    nodes.append(kw.value)
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr == "Title" and node.args:
                nodes.append(node.args[0])
    return nodes


def chart_text_numbers(source: str, name: str, offset: int = 0) -> list[Finding]:
    """Typed numbers in the string literals of chart titles, subtitles and descriptions."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    spans: list[tuple[int, int]] = []
    for node in _chart_text_nodes(tree):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant | ast.JoinedStr):
                spans.append((sub.lineno, sub.end_lineno or sub.lineno))
    if not spans:
        return []
    out: list[Finding] = []
    seen: set[tuple[int, str]] = set()
    for lineno, text, _f in _string_tokens(source):
        if not any(a <= lineno <= b for a, b in spans):
            continue
        for k, tok in typed_numbers(text):
            key = (lineno + k - 1, tok)
            if key in seen:
                continue
            seen.add(key)
            out.append(Finding(name, offset + lineno + k - 1, "typed-number",
                               f"'{tok}' typed in a chart title or description — compute it (f-string) "
                               "or say it in words"))
    return out


#: Numbers typed in chart titles and descriptions of the case modules, tolerated as debts, as
#: {module: {function: tokens}}. They are debts, not exemptions: each should become an f-string
#: computed from the plotted data (or words, for "twelve-month" and the like), and its entry removed.
#: Every debt found when this guard was written has been paid, so the list is empty: a typed number
#: fails; an entry that no longer matches fails too (tests/test_guards).
KNOWN_CHART_NUMBERS: dict[str, dict[str, set[str]]] = {}


def _enclosing_functions(source: str) -> list[tuple[int, int, str]]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [(n.lineno, n.end_lineno or n.lineno, n.name) for n in tree.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def chart_module_numbers(path: Path) -> list[tuple[str, Finding]]:
    """(enclosing function, finding) for every number typed in a chart title or description of a module."""
    source = path.read_text(encoding="utf-8")
    spans = _enclosing_functions(source)
    out = []
    for f in chart_text_numbers(source, rel(path)):
        fn = next((name for a, b, name in spans if a <= f.line <= b), "<module>")
        out.append((fn, f))
    return out


def check_chart_module_numbers(path: Path, known: dict[str, dict[str, set[str]]] | None = None) -> list[Finding]:
    """Typed numbers in the chart text of a case module, less the debts ``known`` lists."""
    known = KNOWN_CHART_NUMBERS if known is None else known
    debts = known.get(rel(path), {})
    return [f for fn, f in chart_module_numbers(path) if f.message.split("'")[1] not in debts.get(fn, set())]
