"""cite-key: every ``{cite}``, ``{cite:p}``, ``{cite:t}`` key is in a .bib file listed in ``_config.yml``
(parsed with pybtex), and no key is defined twice."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from .. import paths
from .base import Finding, rel
from .chapter import Chapter

#: A citation role as written in a chapter (the chapter reader finds the roles themselves).
CITE = re.compile(r"(?<!`)\{cite(?::[a-z]+)?\}`([^`]+)`")


def is_cite(role_name: str) -> bool:
    return role_name == "cite" or bool(re.fullmatch(r"cite:[a-z]+", role_name))


def bib_files(root: Path | None = None) -> list[Path]:
    """The .bib files ``_config.yml`` lists (``bibtex_bibfiles``)."""
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
                out.append(Finding(rel(f), line, "cite-key", f"key '{key}' is also defined in {rel(keys[key])}"))
            else:
                keys[key] = f
    return keys, out


def check_cite_keys(ch: Chapter, keys: dict[str, Path]) -> list[Finding]:
    """Every key a chapter cites (in prose or a caption) is defined."""
    out = []
    for role in ch.roles:
        if not is_cite(role.name):
            continue
        # sphinxcontrib-bibtex allows pre- and post-notes: {cite:p}`{see}Key{p. 5}`
        for key in (re.sub(r"\{[^{}]*\}", "", k).strip() for k in role.content.split(",")):
            if key and key not in keys:
                out.append(Finding(ch.name, role.line, "cite-key",
                                   f"citation key '{key}' is in no .bib file of _config.yml"))
    return out
