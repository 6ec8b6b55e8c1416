"""Rules on figures and charts.

figure-caption     every figure (a code cell with ``mystnb: figure:``, a ``{figure}`` or
                   ``{glue:figure}`` directive) has a name and a caption that names its source
                   ("Source:", "Sources:", "Same sources" or a ``{cite}`` role) and the access date;
                   a cell that shows a chart is a numbered figure.
chart-description  every chart built in ``src/enclaves/cases/`` (functions ``chart_*``, in a case
                   package's ``charts.py`` or an older single module) and in a chapter's code cells
                   carries a non-empty ``description`` (the renderer in :mod:`enclaves.charts.theme`
                   also refuses one without it at run time).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from myst_parser.parsers.directives import parse_directive_text

from .base import Finding, rel
from .chapter import Cell, Chapter, Directive

# ------------------------------------------------------------------------------------------------
# Where the figures are
# ------------------------------------------------------------------------------------------------

FIGURE_DIRECTIVES = ("figure", "glue:figure")


def _text(value: str | None) -> str:
    return value or ""  # as docutils' directives.unchanged


class _AnyOptions(dict):
    """Every option is accepted as text (the figure directives' own specs are not needed to find the name)."""

    def __missing__(self, key: str):
        return _text

    def __bool__(self) -> bool:
        return True


class _FigureDirective:
    option_spec = _AnyOptions()
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True


def figure_options(cell: Cell) -> dict | None:
    """The ``mystnb: figure:`` options of a code cell, or None."""
    nb = cell.options.get("mystnb")
    fig = nb.get("figure") if isinstance(nb, dict) else None
    return fig if isinstance(fig, dict) else None


def _directive_figure(d: Directive) -> tuple[int, str, str | None]:
    """(caption line, caption, name) of a ``{figure}`` or ``{glue:figure}`` directive, its options read
    as MyST reads them."""
    content = "\n".join(t for _, t in d.body)
    parsed = parse_directive_text(_FigureDirective, d.arg, content)  # type: ignore[arg-type]
    first = d.line + 1 + parsed.body_offset
    cap = [(first + k, t) for k, t in enumerate(parsed.body) if t.strip()]
    name = parsed.options.get("name")
    return cap[0][0] if cap else d.line, "\n".join(t for _, t in cap), name or None


def figure_captions(ch: Chapter) -> list[tuple[int, str, str | None]]:
    """(line, caption text, name) of every figure in a chapter; line is the caption's first line."""
    figs: list[tuple[int, str, str | None]] = []
    for cell in ch.cells:
        fig = figure_options(cell)
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
    figs += [_directive_figure(d) for d in ch.directives if d.name in FIGURE_DIRECTIVES]
    return figs


# ------------------------------------------------------------------------------------------------
# figure-caption
# ------------------------------------------------------------------------------------------------

SOURCE_NAMED = re.compile(r"\bSources?\b|\{cite(:[a-z]+)?\}`", re.I)
ACCESSED = re.compile(r"\bAccessed\s+(19|20)\d\d-\d\d-\d\d\b")
BUILDERS = ("line_with_breaks", "rate_with_interval", "with_dropdown", "timeline")
CHART_CALL = re.compile(r"(^|\.)(chart_\w*|line_with_breaks|rate_with_interval|with_dropdown|timeline)$")


def last_expression_is_chart(source: str) -> bool:
    """Whether a cell's last expression (what it shows) is a chart."""
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
    from .. import sources

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
        tags = cell.options.get("tags") or []
        if not figure_options(cell) and "remove-output" not in tags and "remove-cell" not in tags \
                and last_expression_is_chart(cell.source):
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
    elif tree.body and isinstance(tree.body[-1], ast.Expr) and last_expression_is_chart(source):
        assigned = {n.targets[0].id: n.value for n in tree.body
                    if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)}
        node = tree.body[-1].value
        if _chart_has_description(node, assigned, functions) is not True:
            out.append(Finding(name, offset + node.lineno, "chart-description",
                               "the chart this cell shows has no description (.properties(description=...))"))
    return out


def check_chart_module(path: Path) -> list[Finding]:
    """The ``chart_*`` functions of a case module (``cases/<slug>/charts.py`` or a single-file case)."""
    return check_chart_descriptions_source(path.read_text(encoding="utf-8"), rel(path))


def check_chapter_charts(ch: Chapter) -> list[Finding]:
    """The chart each of a chapter's cells shows."""
    out = []
    for cell in ch.cells:
        out += check_chart_descriptions_source(cell.source, ch.name, cell.source_line - 1, module=False)
    return out
