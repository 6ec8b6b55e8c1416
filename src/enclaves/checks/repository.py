"""Rules on the repository and the chapters' code.

loader-only        chapters read data only through ``enclaves.data.load``.
no-ipynb           no ``.ipynb`` in git (chapters are MyST Markdown).
no-third-party-js  no ``.js`` in git (the build serves pinned copies it fetches itself).
ruff               ``ruff check src tests`` is clean.

At commit time, pre-commit refuses a staged ``.ipynb`` or ``.js`` by itself (``language: fail`` hooks,
see ``.pre-commit-config.yaml``); the functions here check the whole repository (``git ls-files``) for
the command line, ``make check`` and the tests.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from .. import paths
from .base import Finding
from .chapter import Chapter

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
