"""Guard rails for authors: the book's writing rules, checked on the files themselves.

Each guard is a plain function that takes a path (or its text) and returns a list of
:class:`Finding` — file, line, rule, message — so the tests, the pre-commit hooks and the command
line all run the same code::

    python -m enclaves.checks                       # every guard on the whole repository
    python -m enclaves.checks book/cases/x.md       # the guards that apply to these files
    python -m enclaves.checks --rule typed-number   # one guard

The rules (names as in :data:`RULES` and in ``.pre-commit-config.yaml``):

placeholder        no ``TODO(author)``, ``TODO``, ``FIXME``, ``XXX``, ``TBD``, lorem ipsum or
                   ``[citation needed]`` left in a chapter (prose, captions or code cells).
typed-number       no number typed in prose, figure captions or chart descriptions and titles; it
                   must come from code (``{glue:text}`` in a chapter, an f-string in a chart).
                   Years, dates, year ranges, INEGI codes and the unit "per 100,000" may be typed;
                   exercise statements are exempt (they set parameters for the student).
figure-caption     every figure (a code cell with ``mystnb: figure:``, a ``{figure}`` or
                   ``{glue:figure}`` directive) has a name and a caption that names its source
                   ("Source:", "Sources:", "Same sources" or a ``{cite}`` role) and the access date;
                   a cell that shows a chart is a numbered figure.
chart-description  every chart built in ``src/enclaves/cases/*.py`` (functions ``chart_*``) and in a
                   chapter's code cells carries a non-empty ``description`` (the renderer in
                   :mod:`enclaves.charts.theme` also refuses one without it at run time).
cite-key           every ``{cite}``, ``{cite:p}``, ``{cite:t}`` key is in a .bib file listed in
                   ``_config.yml`` (parsed with pybtex), and no key is defined twice.
glue-key           every ``{glue}``, ``{glue:text}``, ``{glue:md}``, ``{glue:figure}`` key used in a
                   chapter is glued by that chapter's code (see :func:`check_glue_keys`).
loader-only        chapters read data only through ``enclaves.data.load``.
no-ipynb           no ``.ipynb`` in git (chapters are MyST Markdown).
no-third-party-js  no ``.js`` in git (the build serves pinned copies it fetches itself).
ruff               ``ruff check src tests`` is clean.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import re
import subprocess
import sys
import tokenize
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import paths

RULES: dict[str, str] = {
    "placeholder": "no template placeholder (TODO(author), TODO, FIXME, XXX, TBD, lorem ipsum) left in a chapter",
    "typed-number": "numbers in prose, captions and chart descriptions come from code, not typed",
    "figure-caption": "every figure is named and has a caption naming its source and access date",
    "chart-description": "every chart has a description",
    "cite-key": "every citation key is in a .bib file listed in _config.yml",
    "glue-key": "every glue key used in a chapter is glued by its code",
    "loader-only": "chapters read data only through enclaves.data.load",
    "no-ipynb": "no .ipynb files in git",
    "no-third-party-js": "no .js files in git",
    "ruff": "ruff check is clean",
}


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.rule}] {self.message}"


def _rel(path: Path | str) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(paths.root()))
    except (ValueError, RuntimeError):
        return str(p)


# ------------------------------------------------------------------------------------------------
# Reading a MyST Markdown notebook
# ------------------------------------------------------------------------------------------------

CODE_CELL = re.compile(r"^(`{3,}|~{3,})\s*\{code-cell\}")
FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})\s*(\{([^}]*)\})?")
#: Directives whose content is literal code, not prose.
LITERAL_DIRECTIVES = {"code-block", "code", "sourcecode", "literalinclude", "raw", "math", "mermaid"}
#: Directives whose argument (the rest of the fence line) is prose rather than a key or label.
TITLED_DIRECTIVES = {"note", "warning", "tip", "important", "admonition", "caution", "attention", "seealso",
                     "hint", "danger", "error", "epigraph", "margin", "sidebar", "topic", "dropdown", "exercise"}


@dataclass
class Cell:
    """A ``{code-cell}``: its option lines (the leading ``:key: value`` lines), options and code."""

    line: int                                  # 1-based line of the opening fence
    option_lines: list[tuple[int, str]]        # (line, text without the leading ':')
    options: dict
    source: str                                # the code, options removed, stripped
    source_line: int                           # line of the first line of code


@dataclass
class Chapter:
    path: Path
    text: str
    cells: list[Cell] = field(default_factory=list)
    #: the text with every non-prose line blanked (line numbers preserved)
    prose_lines: list[str] = field(default_factory=list)
    #: line numbers (1-based) inside ```{exercise} blocks
    exercise_lines: set[int] = field(default_factory=set)
    #: (line, directive name, argument, body lines) of every directive other than code cells
    directives: list[tuple[int, str, str, list[tuple[int, str]]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return _rel(self.path)

    @property
    def role_text(self) -> str:
        """Where roles ({cite}, {glue:text} …) take effect: the prose and the cells' options (captions),
        without ``double-backtick`` code spans (which show a role instead of using it)."""
        lines = list(self.prose_lines)
        for cell in self.cells:
            for ln, t in cell.option_lines:
                lines[ln - 1] = t
        return "\n".join(_mask_double_code(t) for t in lines)


def _blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def _mask_double_code(line: str) -> str:
    return re.sub(r"``.+?``", _blank, line)


def _mask_inline_code(line: str) -> str:
    return re.sub(r"`[^`]*`", _blank, _mask_double_code(line))


def _cell_options(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], dict, int]:
    """Split a cell body into option lines (``:key:`` or a ``---`` YAML block) and the rest."""
    opts: list[tuple[int, str]] = []
    i = 0
    if lines and lines[0][1].strip() == "---":
        j = 1
        while j < len(lines) and lines[j][1].strip() != "---":
            opts.append((lines[j][0], lines[j][1]))
            j += 1
        i = j + 1
    else:
        while i < len(lines) and lines[i][1].startswith(":"):
            opts.append((lines[i][0], lines[i][1][1:]))
            i += 1
    try:
        parsed = yaml.safe_load("\n".join(t for _, t in opts)) if opts else {}
    except yaml.YAMLError:
        parsed = {}
    return opts, parsed if isinstance(parsed, dict) else {}, i


def read_chapter(path: Path | str, text: str | None = None) -> Chapter:
    path = Path(path)
    text = path.read_text(encoding="utf-8") if text is None else text
    ch = Chapter(path, text)
    lines = text.split("\n")
    prose = list(lines)
    n = len(lines)
    i = 0
    # front matter
    if lines and lines[0].strip() == "---":
        j = 1
        while j < n and lines[j].strip() != "---":
            j += 1
        for k in range(0, min(j + 1, n)):
            prose[k] = ""
        i = j + 1
    stack: list[tuple[str, str, int]] = []  # open prose directives: (fence, name, start line index)
    while i < n:
        line = lines[i]
        if stack and line.strip() == stack[-1][0]:
            fence, name, start = stack.pop()
            prose[i] = ""
            if name == "exercise":
                ch.exercise_lines.update(range(start + 1, i + 2))
            i += 1
            continue
        m = CODE_CELL.match(line)
        if m:
            fence = m.group(1)
            j = i + 1
            while j < n and lines[j].strip() != fence:
                j += 1
            body = [(k + 1, lines[k]) for k in range(i + 1, j)]
            opts, parsed, skip = _cell_options(body)
            rest = body[skip:]
            while rest and not rest[0][1].strip():
                rest = rest[1:]
            ch.cells.append(Cell(i + 1, opts, parsed, "\n".join(t for _, t in rest).strip(),
                                 rest[0][0] if rest else j + 1))
            for k in range(i, min(j + 1, n)):
                prose[k] = ""
            i = j + 1
            continue
        m = FENCE.match(line)
        if m and (m.group(2) is None or m.group(3) in LITERAL_DIRECTIVES):
            if m.group(1).startswith(":"):  # a bare ':::' closes nothing we opened; leave it
                i += 1
                continue
            fence = m.group(1)
            j = i + 1
            while j < n and lines[j].strip() != fence:
                j += 1
            for k in range(i, min(j + 1, n)):
                prose[k] = ""
            i = j + 1
            continue
        if m:
            name = m.group(3).strip()
            arg = line[m.end():].strip()
            body: list[tuple[int, str]] = []
            fence = m.group(1)
            j = i + 1
            depth = 0
            while j < n:
                s = lines[j].strip()
                if s == fence and depth == 0:
                    break
                if FENCE.match(lines[j]) and FENCE.match(lines[j]).group(1) == fence and s != fence:
                    depth += 1
                elif s == fence:
                    depth -= 1
                body.append((j + 1, lines[j]))
                j += 1
            ch.directives.append((i + 1, name, arg, body))
            prose[i] = " " * len(line) if name not in TITLED_DIRECTIVES else " " * m.end() + line[m.end():]
            stack.append((fence, name, i))
            i += 1
            continue
        i += 1
    ch.prose_lines = prose
    return ch


# ------------------------------------------------------------------------------------------------
# Which files the guards look at
# ------------------------------------------------------------------------------------------------

#: Pages written by code (the data appendix is generated from datapackage.json); their numbers come
#: from code by construction.
GENERATED = ("book/appendix/",)


INCLUDE = re.compile(r"^(`{3,}|:{3,})\{include\}\s+(\S+)", re.M)


def book_pages(root: Path | None = None) -> list[Path]:
    """The book's pages, and the Markdown files they ``{include}`` (CONTRIBUTING.md in the guide)."""
    root = root or paths.root()
    pages = sorted((root / "book").rglob("*.md"))
    included = []
    for p in pages:
        for m in INCLUDE.finditer(p.read_text(encoding="utf-8")):
            target = m.group(2)
            f = (root / target.lstrip("/")) if target.startswith("/") else (p.parent / target)
            f = f.resolve()
            if f.suffix == ".md" and f.is_file() and f not in pages and f not in included:
                included.append(f)
    return pages + sorted(included)


def chart_modules(root: Path | None = None) -> list[Path]:
    root = root or paths.root()
    return sorted(p for p in (root / "src" / "enclaves" / "cases").glob("*.py") if p.name != "__init__.py")


def _generated(path: Path) -> bool:
    return any(_rel(path).startswith(g) for g in GENERATED)


# ------------------------------------------------------------------------------------------------
# placeholder
# ------------------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\bTODO\b(\([^)]*\))?|\bFIXME\b|\bXXX+\b|\bTBD\b|(?i:lorem\s+ipsum)|"
                         r"(?i:\[citation needed\])|\?\?\?")


def check_placeholders(ch: Chapter) -> list[Finding]:
    """Markers a template or a draft leaves behind, in prose (outside inline code), captions and code."""
    out = []
    for lineno, line in enumerate(ch.prose_lines, 1):
        for m in PLACEHOLDER.finditer(_mask_inline_code(line)):
            out.append(Finding(ch.name, lineno, "placeholder", f"'{m.group(0)}' left in the text"))
    for cell in ch.cells:
        for lineno, line in [*cell.option_lines,
                             *((cell.source_line + k, t) for k, t in enumerate(cell.source.split("\n")))]:
            for m in PLACEHOLDER.finditer(line):
                out.append(Finding(ch.name, lineno, "placeholder", f"'{m.group(0)}' left in a code cell"))
    return out


# ------------------------------------------------------------------------------------------------
# typed-number
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
        text = rx.sub(_blank, text)
    out = []
    for m in NUMBER.finditer(text):
        tok = m.group(0).rstrip(",.")
        if tok:
            out.append((text.count("\n", 0, m.start()) + 1, tok))
    return out


def stray_numbers(text: str) -> list[str]:
    """The typed numbers in a chapter's prose (no line numbers): a convenience for tests."""
    return [f.message.split("'")[1] for f in check_typed_numbers(read_chapter(Path("chapter.md"), text))]


def _figure_options(cell: Cell) -> dict | None:
    nb = cell.options.get("mystnb")
    fig = nb.get("figure") if isinstance(nb, dict) else None
    return fig if isinstance(fig, dict) else None


def figure_captions(ch: Chapter) -> list[tuple[int, str, str | None]]:
    """(line, caption text, name) of every figure in a chapter; line is the caption's first line."""
    figs: list[tuple[int, str, str | None]] = []
    for cell in ch.cells:
        fig = _figure_options(cell)
        if fig is None:
            continue
        caption = fig.get("caption")
        cap_line = cell.line
        for ln, t in cell.option_lines:
            m = re.match(r"\s*caption\s*:\s*(.*)$", t)
            if m:
                cap_line = ln + 1 if re.fullmatch(r"[|>][-+]?\s*", m.group(1)) else ln
                break
        figs.append((cap_line, caption if isinstance(caption, str) else "", fig.get("name")))
    for line, name, _arg, body in ch.directives:
        if name in ("figure", "glue:figure"):
            opts = {}
            k = 0
            while k < len(body) and re.match(r"\s*:[a-z-]+:", body[k][1]):
                key, _, val = body[k][1].strip()[1:].partition(":")
                opts[key] = val.strip()
                k += 1
            cap = [(ln, t) for ln, t in body[k:] if t.strip()]
            figs.append((cap[0][0] if cap else line, "\n".join(t for _, t in cap), opts.get("name")))
    return figs


def check_typed_numbers(ch: Chapter) -> list[Finding]:
    if _generated(ch.path):
        return []
    prose = [("" if i in ch.exercise_lines else t) for i, t in enumerate(ch.prose_lines, 1)]
    out = [Finding(ch.name, ln, "typed-number", f"'{tok}' typed in prose — glue it ({{glue:text}})")
           for ln, tok in typed_numbers("\n".join(prose))]
    for line, caption, _name in figure_captions(ch):
        for k, tok in typed_numbers(caption):
            out.append(Finding(ch.name, line + k - 1, "typed-number",
                               f"'{tok}' typed in a figure caption — compute it or say it in words"))
    for cell in ch.cells:
        out += _chart_text_numbers(cell.source, ch.name, cell.source_line - 1)
    return out


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


def _chart_text_numbers(source: str, name: str, offset: int = 0) -> list[Finding]:
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
    for f in _chart_text_numbers(source, _rel(path)):
        fn = next((name for a, b, name in spans if a <= f.line <= b), "<module>")
        out.append((fn, f))
    return out


def _token(f: Finding) -> str:
    return f.message.split("'")[1]


def check_chart_module_numbers(path: Path, known: dict[str, dict[str, set[str]]] | None = None) -> list[Finding]:
    known = KNOWN_CHART_NUMBERS if known is None else known
    debts = known.get(_rel(path), {})
    return [f for fn, f in chart_module_numbers(path) if _token(f) not in debts.get(fn, set())]


# ------------------------------------------------------------------------------------------------
# figure-caption
# ------------------------------------------------------------------------------------------------

SOURCE_NAMED = re.compile(r"\bSources?\b|\{cite(:[a-z]+)?\}`", re.I)
ACCESSED = re.compile(r"\bAccessed\s+(19|20)\d\d-\d\d-\d\d\b")
BUILDERS = ("line_with_breaks", "rate_with_interval", "with_dropdown", "timeline")
CHART_CALL = re.compile(r"(^|\.)(chart_\w*|line_with_breaks|rate_with_interval|with_dropdown|timeline)$")


def _last_expression_is_chart(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return False
    node = tree.body[-1].value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
            "properties", "interactive", "configure_view", "add_params", "resolve_scale"):
        node = node.func.value
    if isinstance(node, ast.Call):
        name = ast.unparse(node.func)
        return bool(CHART_CALL.search(name)) or name.startswith(("alt.", "altair."))
    return False


def access_dates() -> set[str]:
    """Every ``date_accessed`` of the origin records in ``data/sources/`` (the dates a caption may give)."""
    from . import sources

    return {str(s.date_accessed) for s in sources.load_sources().values()}


def check_figure_captions(ch: Chapter, accessed: set[str] | None = None) -> list[Finding]:
    """Each figure is named, and its caption names a source and gives an access date that an origin
    record in ``data/sources/`` holds (``accessed``; default: read from the repository)."""
    accessed = access_dates() if accessed is None else accessed
    out = []
    for line, caption, name in figure_captions(ch):
        if not name:
            out.append(Finding(ch.name, line, "figure-caption", "figure has no name (name: fig-…) to {numref}"))
        if not caption.strip():
            out.append(Finding(ch.name, line, "figure-caption", f"figure {name or '(unnamed)'} has no caption"))
            continue
        if not SOURCE_NAMED.search(caption):
            out.append(Finding(ch.name, line, "figure-caption",
                               f"caption of {name} names no source ('Source: …', 'Sources: …' or {{cite}})"))
        dates = [m.group(0).split()[-1] for m in ACCESSED.finditer(caption)]
        if not dates:
            out.append(Finding(ch.name, line, "figure-caption",
                               f"caption of {name} gives no access date ('Accessed YYYY-MM-DD.')"))
        for d in dates:
            if d not in accessed:
                out.append(Finding(ch.name, line, "figure-caption",
                                   f"caption of {name} gives access date {d}, which no origin record in "
                                   f"data/sources/ has (date_accessed: {', '.join(sorted(accessed)) or 'none'})"))
    for cell in ch.cells:
        fig = _figure_options(cell)
        tags = cell.options.get("tags") or []
        if not fig and "remove-output" not in tags and "remove-cell" not in tags \
                and _last_expression_is_chart(cell.source):
            out.append(Finding(ch.name, cell.line, "figure-caption",
                               "cell shows a chart but is not a numbered figure (add mystnb: figure: name, caption)"))
    return out


# ------------------------------------------------------------------------------------------------
# chart-description
# ------------------------------------------------------------------------------------------------

def _nonempty(node: ast.expr) -> bool:
    return not (isinstance(node, ast.Constant) and not node.value)


def _chart_has_description(node: ast.expr, assigned: dict[str, ast.expr], functions: dict[str, ast.FunctionDef],
                           depth: int = 0) -> bool | None:
    """True if the chart expression carries a description, False if it surely does not, None if unknown."""
    if depth > 20:
        return None
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            if kw.arg == "description":
                return _nonempty(kw.value)
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr.startswith("chart_"):
            return True  # a chart function of enclaves.cases: checked where it is defined
        if isinstance(f, ast.Attribute) and f.attr in BUILDERS:
            return False  # a builder called without description=
        if isinstance(f, ast.Attribute):
            if f.attr in ("layer", "vconcat", "hconcat", "concat", "LayerChart", "VConcatChart", "HConcatChart",
                          "Chart"):
                return False  # a compound or a new chart holds no description unless given one
            return _chart_has_description(f.value, assigned, functions, depth + 1)  # .properties(), .encode() …
        if isinstance(f, ast.Name) and f.id in functions:
            return _function_has_description(functions[f.id], functions, depth + 1)
        return None
    if isinstance(node, ast.Name) and node.id in assigned:
        return _chart_has_description(assigned[node.id], assigned, functions, depth + 1)
    if isinstance(node, ast.BinOp):  # a + b, a | b, a & b: compound charts
        return False
    return None


def _function_has_description(fn: ast.FunctionDef, functions: dict[str, ast.FunctionDef],
                              depth: int = 0) -> bool | None:
    assigned: dict[str, ast.expr] = {}
    results = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = node.value
    for node in ast.walk(fn):
        if isinstance(node, ast.Return) and node.value is not None:
            results.append(_chart_has_description(node.value, assigned, functions, depth))
    if not results:
        return None
    if any(r is False for r in results):
        return False
    return True if all(results) else None


def check_chart_descriptions_source(source: str, name: str, offset: int = 0, module: bool = True) -> list[Finding]:
    """``chart_*`` functions of a module (``module=True``) or the displayed chart of a chapter cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        return [Finding(name, offset + (e.lineno or 1), "chart-description", f"cannot parse: {e.msg}")]
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    out = []
    if module:
        for fname, fn in functions.items():
            if not fname.startswith("chart_"):
                continue
            ok = _function_has_description(fn, functions)
            if ok is not True:
                why = "returns a chart without" if ok is False else "does not visibly give its chart"
                out.append(Finding(name, offset + fn.lineno, "chart-description",
                                   f"{fname}() {why} a description (.properties(title=..., description=...))"))
    elif tree.body and isinstance(tree.body[-1], ast.Expr) and _last_expression_is_chart(source):
        assigned = {n.targets[0].id: n.value for n in tree.body
                    if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)}
        node = tree.body[-1].value
        if _chart_has_description(node, assigned, functions) is not True:
            out.append(Finding(name, offset + node.lineno, "chart-description",
                               "the chart this cell shows has no description (.properties(description=...))"))
    return out


def check_chart_module(path: Path) -> list[Finding]:
    return check_chart_descriptions_source(path.read_text(encoding="utf-8"), _rel(path))


def check_chapter_charts(ch: Chapter) -> list[Finding]:
    out = []
    for cell in ch.cells:
        out += check_chart_descriptions_source(cell.source, ch.name, cell.source_line - 1, module=False)
    return out


# ------------------------------------------------------------------------------------------------
# cite-key
# ------------------------------------------------------------------------------------------------

CITE = re.compile(r"(?<!`)\{cite(?::[a-z]+)?\}`([^`]+)`")


def bib_files(root: Path | None = None) -> list[Path]:
    root = root or paths.root()
    cfg = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return [root / f for f in cfg.get("bibtex_bibfiles", [])]


def bib_keys(files: Iterable[Path]) -> tuple[dict[str, Path], list[Finding]]:
    """Every key defined in the .bib files (parsed with pybtex), and findings for keys defined twice."""
    from pybtex.database import parse_file

    keys: dict[str, Path] = {}
    out = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        for key in parse_file(str(f), bib_format="bibtex").entries.keys():
            if key in keys:
                m = re.search(r"@\w+\s*\{\s*" + re.escape(key) + r"\s*,", text)
                line = text.count("\n", 0, m.start()) + 1 if m else 1
                out.append(Finding(_rel(f), line, "cite-key", f"key '{key}' is also defined in {_rel(keys[key])}"))
            else:
                keys[key] = f
    return keys, out


def check_cite_keys(ch: Chapter, keys: dict[str, Path]) -> list[Finding]:
    out = []
    text = ch.role_text
    for m in CITE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        # sphinxcontrib-bibtex allows pre- and post-notes: {cite:p}`{see}Key{p. 5}`
        for key in (re.sub(r"\{[^{}]*\}", "", k).strip() for k in m.group(1).split(",")):
            if key and key not in keys:
                out.append(Finding(ch.name, line, "cite-key",
                                   f"citation key '{key}' is in no .bib file of _config.yml"))
    return out


# ------------------------------------------------------------------------------------------------
# glue-key
# ------------------------------------------------------------------------------------------------

GLUE_ROLE = re.compile(r"(?<!`)\{glue(?::[a-z]+)?\}`([^`]+)`")
GLUE_DIRECTIVES = {"glue", "glue:any", "glue:figure", "glue:md", "glue:math"}


def glue_uses(ch: Chapter) -> list[tuple[int, str]]:
    """(line, key) of every glue key the chapter's text displays."""
    uses = []
    text = ch.role_text
    for m in GLUE_ROLE.finditer(text):
        uses.append((text.count("\n", 0, m.start()) + 1, m.group(1).split(":")[0].strip()))
    for line, name, arg, _body in ch.directives:
        if name in GLUE_DIRECTIVES and arg:
            uses.append((line, arg.split()[0]))
    return uses


@dataclass
class GlueDefs:
    literal: set[str] = field(default_factory=set)
    patterns: list[re.Pattern] = field(default_factory=list)
    dynamic: bool = False     # a glue(name, ...) whose name the source does not show

    def covers(self, key: str) -> bool:
        return key in self.literal or any(p.fullmatch(key) for p in self.patterns)


def glue_definitions(ch: Chapter) -> GlueDefs:
    """Glue names the chapter's code shows: literals, f-string patterns, and whether any is dynamic."""
    d = GlueDefs()
    for cell in ch.cells:
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == "glue" and node.args):
                continue
            a = node.args[0]
            if isinstance(a, ast.Constant) and isinstance(a.value, str):
                d.literal.add(a.value)
            elif isinstance(a, ast.JoinedStr):
                d.patterns.append(re.compile("".join(re.escape(v.value) if isinstance(v, ast.Constant) else ".+"
                                                     for v in a.values)))
            else:
                d.dynamic = True
    return d


def _code_signature(sources: Iterable[str]) -> tuple[str, ...]:
    return tuple(s.strip() for s in sources)


def executed_glue_keys(ch: Chapter, root: Path | None = None) -> set[str] | None:
    """The glue keys of the executed notebook whose code cells equal the chapter's, or None.

    The build caches every executed notebook (``_build/.jupyter_cache/executed/*/base.ipynb``), where
    a glued output carries its key in ``metadata.scrapbook.name``; it also writes the latest ones to
    ``_build/jupyter_execute/<path>.ipynb`` with the glued outputs moved to ``<path>.glue.json``.
    Only a notebook with exactly the chapter's current code counts.
    """
    root = root or paths.root()
    want = _code_signature(c.source for c in ch.cells)
    candidates = sorted((root / "_build" / ".jupyter_cache" / "executed").glob("*/base.ipynb"))
    candidates += sorted((root / "_build" / "jupyter_execute").rglob(f"{ch.path.stem}.ipynb"))
    for nb_path in candidates:
        try:
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
        src = _code_signature("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in code)
        if src != want:
            continue
        keys = set()
        for c in code:
            for o in c.get("outputs", []):
                sb = (o.get("metadata") or {}).get("scrapbook")
                if isinstance(sb, dict) and sb.get("name"):
                    keys.add(sb["name"])
        side = nb_path.with_suffix(".glue.json")
        if side.is_file():
            try:
                keys |= set(json.loads(side.read_text(encoding="utf-8")))
            except ValueError:
                continue
        return keys
    return None


def check_glue_keys(ch: Chapter, root: Path | None = None, notes: list[str] | None = None) -> list[Finding]:
    """Every glue key the chapter displays is glued by the chapter's own code.

    Two sources of truth, the better one first: (1) the executed notebook of the chapter's current
    code, from the build's cache (exact: the keys really glued); (2) otherwise the code itself, read
    statically: ``glue("key", ...)`` literals and ``glue(f"cmp_{slug}_att", ...)`` patterns. A chapter
    that also glues names the code does not show (``for name, value in ...: glue(name, value)``)
    cannot be checked statically; its unmatched keys are reported in ``notes`` until the book is
    built (the build itself fails on a missing key, with -W).
    """
    uses = glue_uses(ch)
    if not uses:
        return []
    executed = executed_glue_keys(ch, root)
    defs = glue_definitions(ch)
    out = []
    unverified = []
    for line, key in uses:
        if "::" in key:
            continue  # a key glued in another document: the build checks it
        if executed is not None:
            if key not in executed:
                out.append(Finding(ch.name, line, "glue-key", f"glue key '{key}' is not glued by the executed chapter"))
        elif not defs.covers(key):
            if defs.dynamic:
                unverified.append(key)
            else:
                out.append(Finding(ch.name, line, "glue-key", f"glue key '{key}' is glued nowhere in this chapter"))
    if unverified and notes is not None:
        notes.append(f"{ch.name}: {len(set(unverified))} glue keys come from names the code computes; build the "
                     "book to check them against the executed notebook")
    return out


# ------------------------------------------------------------------------------------------------
# loader-only, no-ipynb, no-third-party-js, ruff
# ------------------------------------------------------------------------------------------------

FORBIDDEN_IO = re.compile(r"read_csv|read_excel|read_parquet|read_json|urlopen|requests\.|\bopen\(|"
                          r"data/processed|data/raw|shared/raw|https?://[^\s`'\"]+\.(csv|json|xlsx)")


def check_loader_only(ch: Chapter) -> list[Finding]:
    out = []
    for cell in ch.cells:
        for k, line in enumerate(cell.source.split("\n")):
            m = FORBIDDEN_IO.search(line)
            if m:
                out.append(Finding(ch.name, cell.source_line + k, "loader-only",
                                   f"'{m.group(0)}' — read data with enclaves.data.load(name)"))
    return out


def git_files(pattern: str, root: Path | None = None) -> list[str]:
    root = root or paths.root()
    out = subprocess.run(["git", "ls-files", pattern], cwd=root, capture_output=True, text=True, check=True)
    return [ln for ln in out.stdout.splitlines() if ln.strip()]


def check_no_ipynb(files: Iterable[str]) -> list[Finding]:
    return [Finding(f, 1, "no-ipynb", "notebook file in git: keep the chapter as MyST Markdown (jupytext)")
            for f in files if f.endswith(".ipynb")]


def check_no_js(files: Iterable[str]) -> list[Finding]:
    return [Finding(f, 1, "no-third-party-js", "JavaScript file in git: the build fetches pinned copies itself")
            for f in files if f.endswith(".js")]


def check_ruff(targets: Iterable[str] = ("src", "tests"), root: Path | None = None) -> list[Finding]:
    root = root or paths.root()
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", "--quiet",
                           *targets], cwd=root, capture_output=True, text=True)
    out = []
    for line in proc.stdout.splitlines():
        m = re.match(r"(.+?):(\d+):\d+: (.*)", line)
        if m:
            out.append(Finding(m.group(1), int(m.group(2)), "ruff", m.group(3)))
    if proc.returncode != 0 and not out:
        out.append(Finding(".", 1, "ruff", (proc.stderr or proc.stdout).strip()[-500:] or "ruff failed"))
    return out


# ------------------------------------------------------------------------------------------------
# Running them
# ------------------------------------------------------------------------------------------------

CHAPTER_GUARDS: dict[str, Callable[..., list[Finding]]] = {
    "placeholder": check_placeholders,
    "typed-number": check_typed_numbers,
    "figure-caption": check_figure_captions,
    "chart-description": check_chapter_charts,
    "loader-only": check_loader_only,
}


def run(files: Iterable[str | Path] | None = None, rules: Iterable[str] | None = None,
        root: Path | None = None, notes: list[str] | None = None) -> list[Finding]:
    """Run the guards (default: all) on ``files`` (default: the whole repository)."""
    root = root or paths.root()
    rules = list(rules or RULES)
    unknown = set(rules) - set(RULES)
    if unknown:
        raise ValueError(f"unknown rules {sorted(unknown)}; known: {sorted(RULES)}")
    whole = files is None
    if whole:
        pages = book_pages(root)
        modules = chart_modules(root)
        tracked = git_files("*.ipynb", root) + git_files("*.js", root)
    else:
        given = [Path(f) if Path(f).is_absolute() else root / f for f in files]
        pages = [p for p in given if p.suffix == ".md" and p.is_file()]
        modules = [p for p in given if p.suffix == ".py" and _rel(p).startswith("src/enclaves/cases/")
                   and p.name != "__init__.py" and p.is_file()]
        tracked = [_rel(p) for p in given]
    out: list[Finding] = []
    chapters = [read_chapter(p) for p in pages]
    for ch in chapters:
        for rule, fn in CHAPTER_GUARDS.items():
            if rule in rules:
                out += fn(ch)
    if "typed-number" in rules:
        for p in modules:
            out += check_chart_module_numbers(p)
    if "chart-description" in rules:
        for p in modules:
            out += check_chart_module(p)
    if "cite-key" in rules:
        bibs = bib_files(root)
        keys, dups = bib_keys(bibs)
        if whole or any(_rel(b) in {_rel(p) for p in (files or [])} for b in bibs):
            out += dups
        for ch in chapters:
            out += check_cite_keys(ch, keys)
    if "glue-key" in rules:
        for ch in chapters:
            out += check_glue_keys(ch, root, notes)
    if "no-ipynb" in rules:
        out += check_no_ipynb(tracked)
    if "no-third-party-js" in rules:
        out += check_no_js(tracked)
    if "ruff" in rules:
        py = [str(p) for p in (files or []) if str(p).endswith(".py")]
        if whole or py:
            out += check_ruff(("src", "tests") if whole else py, root)
    return sorted(set(out))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m enclaves.checks", description=__doc__.split("\n\n")[0])
    p.add_argument("files", nargs="*", help="files to check (default: the whole repository)")
    p.add_argument("--rule", action="append", choices=sorted(RULES), help="run only this guard (repeatable)")
    p.add_argument("--list", action="store_true", help="list the guards and exit")
    args = p.parse_args(argv)
    if args.list:
        for rule, what in RULES.items():
            print(f"{rule:18s} {what}")
        return 0
    notes: list[str] = []
    findings = run(args.files or None, args.rule, notes=notes)
    for f in findings:
        print(f)
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    if findings:
        print(f"{len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
