"""Guard rails for authors: the book's writing rules, checked on the files themselves.

Each guard is a plain function that takes a chapter (or a path) and returns a list of
:class:`Finding` — file, line, rule, message — so the tests, the pre-commit hooks and the command
line all run the same code::

    python -m enclaves.checks                       # every guard on the whole repository
    python -m enclaves.checks book/cases/x.md       # the guards that apply to these files
    python -m enclaves.checks --rule typed-number   # one guard

One module per family of rules (names as in :data:`RULES` and in ``.pre-commit-config.yaml``):

:mod:`.chapter`     reading a chapter with myst-parser (prose lines, code cells, directives, roles)
:mod:`.prose`       placeholder, typed-number (prose, captions, chart titles and descriptions)
:mod:`.figures`     figure-caption, chart-description
:mod:`.citations`   cite-key
:mod:`.glue`        glue-key (the build's execution cache, else the code read statically)
:mod:`.repository`  loader-only, no-ipynb, no-third-party-js, ruff
:mod:`.cli`         :func:`run` and the command line; :mod:`.base` the rules' names, :class:`Finding`
                    and which files the guards look at
"""

from .base import RULES, Finding, book_pages, chart_modules, git_files
from .chapter import Cell, Chapter, Directive, Role, read_chapter
from .citations import CITE, bib_files, bib_keys, check_cite_keys
from .cli import CHAPTER_GUARDS, main, run
from .figures import (
    access_dates,
    check_chapter_charts,
    check_chart_descriptions_source,
    check_chart_module,
    check_figure_captions,
    figure_captions,
)
from .glue import check_glue_keys, executed_glue_keys, glue_definitions, glue_uses
from .prose import (
    KNOWN_CHART_NUMBERS,
    chart_module_numbers,
    check_chart_module_numbers,
    check_placeholders,
    check_typed_numbers,
    stray_numbers,
    typed_numbers,
)
from .repository import check_loader_only, check_no_ipynb, check_no_js, check_ruff

__all__ = [
    "CHAPTER_GUARDS", "CITE", "KNOWN_CHART_NUMBERS", "RULES",
    "Cell", "Chapter", "Directive", "Finding", "Role",
    "access_dates", "bib_files", "bib_keys", "book_pages", "chart_module_numbers", "chart_modules",
    "check_chapter_charts", "check_chart_descriptions_source", "check_chart_module", "check_chart_module_numbers",
    "check_cite_keys", "check_figure_captions", "check_glue_keys", "check_loader_only", "check_no_ipynb",
    "check_no_js", "check_placeholders", "check_ruff", "check_typed_numbers", "executed_glue_keys",
    "figure_captions", "git_files", "glue_definitions", "glue_uses", "main", "read_chapter", "run",
    "stray_numbers", "typed_numbers",
]
