"""Running the guards: on given files or the whole repository, from code or the command line::

    python -m enclaves.checks                       # every guard on the whole repository
    python -m enclaves.checks book/cases/x.md       # the guards that apply to these files
    python -m enclaves.checks --rule typed-number   # one guard (repeatable); --list names them
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import paths
from .base import RULES, Finding, book_pages, chart_modules, git_files, is_case_module, rel
from .chapter import read_chapter
from .citations import bib_files, bib_keys, check_cite_keys
from .figures import check_chapter_charts, check_chart_module, check_figure_captions
from .glue import check_glue_keys
from .prose import check_chart_module_numbers, check_placeholders, check_typed_numbers
from .repository import check_loader_only, check_no_ipynb, check_no_js, check_ruff

#: The guards that read one chapter at a time.
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
        modules = [p for p in given if is_case_module(p) and p.is_file()]
        tracked = [rel(p) for p in given]
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
        if whole or any(rel(b) in {rel(p) for p in (files or [])} for b in bibs):
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
    about = "Guard rails for authors: the book's writing rules, checked on the files themselves."
    p = argparse.ArgumentParser(prog="python -m enclaves.checks", description=about)
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
