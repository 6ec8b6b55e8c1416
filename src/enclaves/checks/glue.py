"""glue-key: every ``{glue}``, ``{glue:text}``, ``{glue:md}``, ``{glue:figure}`` key a chapter shows is
glued by that chapter's code (see :func:`check_glue_keys`)."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from .base import Finding
from .chapter import Chapter, md_config

GLUE_DIRECTIVES = {"glue", "glue:any", "glue:figure", "glue:md", "glue:math"}


def is_glue(role_name: str) -> bool:
    return role_name == "glue" or bool(re.fullmatch(r"glue:[a-z]+", role_name))


def glue_uses(ch: Chapter) -> list[tuple[int, str]]:
    """(line, key) of every glue key the chapter's text displays."""
    uses = [(r.line, r.content.split(":")[0].strip()) for r in ch.roles if is_glue(r.name)]
    uses += [(d.line, d.arg.split()[0]) for d in ch.directives if d.name in GLUE_DIRECTIVES and d.arg]
    return uses


# ------------------------------------------------------------------------------------------------
# What the code glues, read statically
# ------------------------------------------------------------------------------------------------

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


def _string_literals(paths_: Iterable[Path]) -> frozenset[str]:
    out: set[str] = set()
    for p in paths_:
        try:
            tree = ast.parse(p.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        fragments = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        out |= {n.value for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in fragments}
    return frozenset(out)


@functools.cache
def case_strings(root: Path) -> frozenset[str]:
    """Every string literal (f-string fragments excepted) of the case modules, ``src/enclaves/cases/**``:
    where a case's ``numbers.py`` writes the name of each value its chapter glues."""
    return _string_literals(sorted((root / "src" / "enclaves" / "cases").rglob("*.py")))


# ------------------------------------------------------------------------------------------------
# What the code glued, from the build's execution cache
# ------------------------------------------------------------------------------------------------

def cache_path(root: Path | None = None) -> Path:
    """The build's execution cache (``execute.execute_notebooks: cache`` in ``_config.yml``)."""
    return (root or paths.root()) / "_build" / ".jupyter_cache"


def executed_notebook(ch: Chapter, root: Path | None = None):
    """The executed notebook of the chapter's current code from the build's cache (jupyter-cache), or None.

    The chapter is read into a notebook as MyST-NB reads it, and matched as the build matches it: by
    the hash of its code cells (and their options), so only a notebook with exactly the chapter's
    current code counts.
    """
    where = cache_path(root)
    if not where.is_dir():
        return None  # no build yet (and get_cache would create an empty cache)
    from jupyter_cache import get_cache
    from myst_nb.core.read import MystMetadataParsingError, read_myst_markdown_notebook

    cache = get_cache(where)
    if cache.get_version() is None:
        return None
    try:
        record = cache.match_cache_notebook(read_myst_markdown_notebook(ch.text, md_config()))
        return cache.get_cache_bundle(record.pk).nb
    except (KeyError, MystMetadataParsingError):
        return None


def executed_glue_keys(ch: Chapter, root: Path | None = None) -> set[str] | None:
    """The glue keys of the executed notebook whose code cells equal the chapter's, or None.

    MyST-NB's ``glue`` displays each value with ``metadata.scrapbook.name``, its key; the cache keeps
    those outputs in the notebook.
    """
    nb = executed_notebook(ch, root)
    if nb is None:
        return None
    keys = set()
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            sb = (o.get("metadata") or {}).get("scrapbook")
            if isinstance(sb, dict) and sb.get("name"):
                keys.add(sb["name"])
    return keys


def check_glue_keys(ch: Chapter, root: Path | None = None, notes: list[str] | None = None) -> list[Finding]:
    """Every glue key the chapter displays is glued by the chapter's own code.

    Three sources of truth, the better one first: (1) the executed notebook of the chapter's current
    code, from the build's cache (exact: the keys really glued); (2) otherwise the code itself, read
    statically: ``glue("key", ...)`` literals and ``glue(f"cmp_{slug}_att", ...)`` patterns; (3) for a
    chapter that also glues names its code does not show (``for name, value in ...: glue(name, value)``),
    the names the case modules write as string literals (``cases/<slug>/numbers.py``). A key none of
    them shows is reported in ``notes`` until the book is built (the build itself fails on a missing
    key, with -W).
    """
    uses = glue_uses(ch)
    if not uses:
        return []
    root = root or paths.root()
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
        elif defs.covers(key):
            continue
        elif not defs.dynamic:
            out.append(Finding(ch.name, line, "glue-key", f"glue key '{key}' is glued nowhere in this chapter"))
        elif key not in case_strings(root):
            unverified.append(key)
    if unverified and notes is not None:
        notes.append(f"{ch.name}: {len(set(unverified))} glue keys come from names the code computes and are "
                     "written nowhere in src/enclaves/cases; build the book to check them against the executed "
                     "notebook")
    return out
