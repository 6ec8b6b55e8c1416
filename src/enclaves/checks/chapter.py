"""Reading a chapter (MyST Markdown) with myst-parser, the parser the build uses.

:func:`read_chapter` turns a chapter into what the rules read: its prose lines (the text with every
non-prose line blanked, so line numbers stay those of the file), its code cells with their options,
the directives with their bodies, and the roles ({cite}, {glue:text} …) with their lines. The block
structure comes from myst-parser's tokens (``token.map`` gives the lines): a ``fence`` token whose
info is ``{code-cell}`` is a code cell, read as MyST-NB reads it; other fences are code blocks or
directives; the roles are ``myst_role`` tokens of the inline tokens. Directive bodies are parsed the
same way, recursively, since MyST parses them as Markdown too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.directives import parse_directive_text
from myst_parser.parsers.mdit import create_md_parser

from .. import paths
from .base import rel

#: Directives whose content is literal code, not prose.
LITERAL_DIRECTIVES = {"code-block", "code", "sourcecode", "literalinclude", "raw", "math", "mermaid"}
#: Directives whose argument (the rest of the fence line) is prose rather than a key or label.
TITLED_DIRECTIVES = {"note", "warning", "tip", "important", "admonition", "caution", "attention", "seealso",
                     "hint", "danger", "error", "epigraph", "margin", "sidebar", "topic", "dropdown", "exercise"}
#: The MyST extensions of ``_config.yml`` when it cannot be read.
DEFAULT_EXTENSIONS = ("colon_fence", "dollarmath", "deflist", "substitution")


@dataclass
class Cell:
    """A ``{code-cell}``: its option lines (the leading ``:key: value`` lines), options and code."""

    line: int                                  # 1-based line of the opening fence
    option_lines: list[tuple[int, str]]        # (line, text without the leading ':')
    options: dict
    source: str                                # the code, options removed, stripped
    source_line: int                           # line of the first line of code


class Directive(NamedTuple):
    """A directive other than a code cell: its fence line, name, argument and body lines."""

    line: int
    name: str
    arg: str
    body: list[tuple[int, str]]


class Role(NamedTuple):
    """A role ({cite:p}`key`, {glue:text}`key:.1f` …) where it takes effect: prose, or a cell's options."""

    line: int
    name: str
    content: str


@dataclass
class Chapter:
    path: Path
    text: str
    cells: list[Cell] = field(default_factory=list)
    #: the text with every non-prose line blanked (line numbers preserved)
    prose_lines: list[str] = field(default_factory=list)
    #: line numbers (1-based) inside ```{exercise} blocks
    exercise_lines: set[int] = field(default_factory=set)
    #: every directive other than code cells
    directives: list[Directive] = field(default_factory=list)
    #: every role in the prose and in the cells' options (captions), in order of lines
    roles: list[Role] = field(default_factory=list)

    @property
    def name(self) -> str:
        return rel(self.path)

    @property
    def masked_lines(self) -> list[str]:
        """The prose lines with inline code blanked (it may name a marker or a number without using it)."""
        return [mask_inline_code(t) for t in self.prose_lines]


def blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def mask_double_code(line: str) -> str:
    return re.sub(r"``.+?``", blank, line)


def mask_inline_code(line: str) -> str:
    return re.sub(r"`[^`]*`", blank, mask_double_code(line))


# ------------------------------------------------------------------------------------------------
# The parser
# ------------------------------------------------------------------------------------------------

@functools.cache
def _extensions(root: Path | None) -> tuple[str, ...]:
    try:
        cfg = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) if root else None
        ext = cfg["parse"]["myst_enable_extensions"]
        return tuple(ext) if isinstance(ext, list) else DEFAULT_EXTENSIONS
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        return DEFAULT_EXTENSIONS


def md_config() -> MdParserConfig:
    """The MyST configuration of the build (the extensions ``_config.yml`` enables)."""
    return MdParserConfig(enable_extensions=set(_extensions(paths.ROOT)))


@functools.cache
def _parser() -> MarkdownIt:
    return create_md_parser(md_config(), RendererHTML)


@functools.lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[Token, ...]:
    """The block tokens of ``text`` (kept: every rule reads the same chapters again; nothing alters them)."""
    return tuple(_parser().parse(text))


class _CellDirective:
    """Reads a code cell's options as MyST-NB does (a YAML block or ``:key:`` lines, as YAML)."""

    option_spec = {"options": True}
    required_arguments = 0
    optional_arguments = 1
    has_content = True


def _split_options(body: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], int]:
    """The option lines of a directive body (a ``---`` YAML block or leading ``:key:`` lines, the ':'
    removed) and how many body lines they take."""
    if body and body[0][1].startswith("---"):
        j = next((k for k in range(1, len(body)) if re.match(r"-{3,}", body[k][1])), len(body))
        return body[1:j], min(j + 1, len(body))
    i = 0
    while i < len(body) and body[i][1].lstrip().startswith(":"):
        i += 1
    return [(ln, t.lstrip()[1:]) for ln, t in body[:i]], i


def _read_cell(line: int, content: str, body: list[tuple[int, str]]) -> Cell:
    opts, n = _split_options(body)
    parsed = parse_directive_text(_CellDirective, "", content, validate_options=False)  # type: ignore[arg-type]
    rest = body[n:]
    while rest and not rest[0][1].strip():
        rest = rest[1:]
    end = body[-1][0] + 1 if body else line + 1
    return Cell(line, opts, parsed.options if isinstance(parsed.options, dict) else {},
                "\n".join(t for _, t in rest).strip(), rest[0][0] if rest else end)


def _fence_parts(tok: Token) -> tuple[str | None, str]:
    """(directive name or None for a code block, argument) of a fence token."""
    m = re.match(r"\{([^}]*)\}\s*(.*)$", tok.info.strip())
    return (m.group(1).strip(), m.group(2).strip()) if m else (None, tok.info.strip())


def _closed(tok: Token, lines: list[str], start: int, end: int) -> bool:
    """Whether the fence ends with a closing fence line (else it runs to the end of its container)."""
    marker = tok.markup[:1] or "`"
    return end - 1 > start and bool(re.fullmatch(rf"\s*{re.escape(marker)}{{{len(tok.markup)},}}\s*", lines[end - 1]))


def _inline_roles(tok: Token, lines: list[str], a: int, b: int) -> list[Role]:
    """The roles among an inline token's children, each with its line: found in order in the token's
    lines ``[a, b)`` (0-based), since a code span or a role may run over a line break."""
    raw = mask_double_code("\n".join(lines[a:b]))
    out, pos, line = [], 0, a + 1
    for child in tok.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        if child.type != "myst_role":
            continue
        name = child.meta.get("name", "")
        m = re.compile(rf"(?<!`)\{{{re.escape(name)}\}}`").search(raw, pos)
        if m:
            pos, line = m.end(), a + 1 + raw.count("\n", 0, m.start())
        out.append(Role(line, name, child.content))
    return out


def _scan(ch: Chapter, lines: list[str], prose: list[str], text: str, offset: int, top: bool) -> None:
    """Read the blocks of ``text`` (the chapter, or a directive's body starting at line ``offset``)."""
    level = 0
    for tok in _tokens(text):
        level += tok.nesting
        if tok.map is None:
            continue
        a, b = tok.map[0] + offset, tok.map[1] + offset  # 0-based lines [a, b) of the file
        if tok.type == "front_matter":
            prose[a:b] = [""] * (b - a)
        elif tok.type == "inline":
            ch.roles += _inline_roles(tok, lines, a, b)
        elif tok.type == "code_block":
            prose[a:b] = [""] * (b - a)
        elif tok.type in ("fence", "colon_fence"):
            name, arg = _fence_parts(tok)
            closed = _closed(tok, lines, a, b)
            end = b - 1 if closed else b                   # 0-based line after the body
            body = [(k + 1, lines[k]) for k in range(a + 1, end)]
            if name == "code-cell" and tok.type == "fence" and top and level == 0:
                ch.cells.append(_read_cell(a + 1, tok.content, body))
                prose[a:b] = [""] * (b - a)
            elif name is None or name in LITERAL_DIRECTIVES or name == "code-cell":
                prose[a:b] = [""] * (b - a)
            else:
                ch.directives.append(Directive(a + 1, name, arg, body))
                fence_line = lines[a]
                if name in TITLED_DIRECTIVES:
                    m = re.match(r"\s*[`~:]{3,}\s*\{[^}]*\}", fence_line)
                    col = m.end() if m else len(fence_line)
                    prose[a] = " " * col + fence_line[col:]
                    ch.roles += [r for t in _parser().parseInline(arg) for r in _inline_roles(t, lines, a, a + 1)]
                else:
                    prose[a] = " " * len(fence_line)
                if closed:
                    prose[b - 1] = ""
                if name == "exercise":
                    ch.exercise_lines.update(range(a + 1, b + 1))
                _scan(ch, lines, prose, tok.content, a + 1, top=False)


ROLE = re.compile(r"(?<!`)\{([a-z][\w:+-]*)\}`([^`]+)`")


def read_chapter(path: Path | str, text: str | None = None) -> Chapter:
    """Read a chapter (from ``text`` if given, else from ``path``)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if text is None else text
    ch = Chapter(path, text)
    lines = text.split("\n")
    prose = list(lines)
    _scan(ch, lines, prose, text, 0, top=True)
    # roles in the cells' options (figure captions): YAML strings that MyST-NB parses as Markdown later
    for cell in ch.cells:
        for ln, t in cell.option_lines:
            ch.roles += [Role(ln, m.group(1), m.group(2)) for m in ROLE.finditer(mask_double_code(t))]
    ch.roles.sort(key=lambda r: r.line)
    ch.prose_lines = prose
    return ch
