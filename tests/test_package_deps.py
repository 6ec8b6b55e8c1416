"""The package declares what it imports: a reader who installs the published wheel (Colab, a fresh venv) gets
every third-party library the chapters reach through ``enclaves``. (The build's own hooks, ``enclaves.sphinx``,
and the authors' checks, ``enclaves.checks``, run only in a checkout, from the lock file.)"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from packaging.requirements import Requirement

from enclaves import paths

SRC = paths.root() / "src" / "enclaves"
#: Sub-packages that run only in a checkout with the lock file's environment: the build's hooks and the
#: authors' guard rails (which read chapters with myst-parser and the build's execution cache).
BUILD_ONLY = ("sphinx", "checks")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules() -> dict[str, str]:
    """{top-level module: first file importing it} for every absolute import in the package outside the
    build's hooks."""
    out: dict[str, str] = {}
    for f in sorted(SRC.rglob("*.py")):
        rel = f.relative_to(SRC)
        if rel.parts[0] in BUILD_ONLY:
            continue
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for n in names:
                out.setdefault(n.split(".")[0], str(rel))
    return out


def declared() -> set[str]:
    meta = tomllib.loads((paths.root() / "pyproject.toml").read_text(encoding="utf-8"))
    return {_norm(Requirement(r).name) for r in meta["project"]["dependencies"]}


def test_every_third_party_import_is_a_declared_dependency():
    dists = importlib.metadata.packages_distributions()
    mods = {m: f for m, f in imported_modules().items() if m not in sys.stdlib_module_names and m != "enclaves"}
    assert {"pandas", "altair", "statsmodels"} <= set(mods)  # the walk sees the package's imports
    missing = {}
    for mod, where in mods.items():
        names = {_norm(d) for d in dists.get(mod, [mod])}
        if not names & declared():
            missing[mod] = where
    assert not missing, f"imported but not in pyproject.toml's dependencies: {missing}"
