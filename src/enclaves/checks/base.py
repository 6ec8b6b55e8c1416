"""What every guard shares: the rules' names, a finding, and which files the guards look at."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import paths

#: Every rule, by the name the command line (``--rule``), the findings and ``.pre-commit-config.yaml`` use.
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


def rel(path: Path | str) -> str:
    """``path`` relative to the repository root when it is inside it, else as given."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(paths.root()))
    except (ValueError, RuntimeError):
        return str(p)


#: Pages written by code (the data appendix is generated from datapackage.json); their numbers come
#: from code by construction.
GENERATED = ("book/appendix/",)

INCLUDE = re.compile(r"^(`{3,}|:{3,})\{include\}\s+(\S+)", re.M)


def is_generated(path: Path) -> bool:
    return any(rel(path).startswith(g) for g in GENERATED)


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


def is_case_module(path: Path) -> bool:
    """A module of ``src/enclaves/cases`` (a single file or a module of a case package), where charts live."""
    return path.suffix == ".py" and path.name != "__init__.py" and rel(path).startswith("src/enclaves/cases/")


def chart_modules(root: Path | None = None) -> list[Path]:
    """Every module under ``src/enclaves/cases/`` (``cases/<slug>/charts.py`` and the older single files)."""
    root = root or paths.root()
    return sorted(p for p in (root / "src" / "enclaves" / "cases").rglob("*.py")
                  if p.name != "__init__.py" and "__pycache__" not in p.parts)


def git_files(pattern: str, root: Path | None = None) -> list[str]:
    """Files tracked by git that match ``pattern`` (``git ls-files``)."""
    root = root or paths.root()
    out = subprocess.run(["git", "ls-files", pattern], cwd=root, capture_output=True, text=True, check=True)
    return [ln for ln in out.stdout.splitlines() if ln.strip()]
