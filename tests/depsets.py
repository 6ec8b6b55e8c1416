"""The project's dependency sets, and an environment that sees only one of them.

* :func:`sets` reads pyproject.toml and the lock files: the wheel's dependencies, its ``data`` extra and the
  exact pins of requirements/chapters.txt, requirements/book.txt and requirements.lock.
* :func:`closure` follows installed distributions' ``Requires-Dist`` from a list of requirements;
  :func:`modules_outside` names the top-level modules that only other installed distributions provide.
* :func:`blocker_source` is a ``sitecustomize`` module that makes those modules unimportable, so a process
  sharing this environment's site-packages behaves as if only the allowed distributions were installed
  (tests/test_package_deps.py, tests/test_notebooks.py).
"""

from __future__ import annotations

import importlib.metadata as md
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement

from enclaves import paths

ROOT = paths.root()
LOCKS = {"chapters": ROOT / "requirements" / "chapters.txt", "book": ROOT / "requirements" / "book.txt",
         "all": ROOT / "requirements.lock"}
INPUTS = {"chapters": ROOT / "requirements" / "chapters.in", "book": ROOT / "requirements" / "book.in",
          "all": ROOT / "requirements.in"}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Sets:
    runtime: dict[str, Requirement]          # [project.dependencies]
    data: dict[str, Requirement]             # [project.optional-dependencies] data
    pins: dict[str, dict[str, set[str]]]     # lock → {distribution: versions pinned (one per marker fork)}
    hashed: dict[str, list[str]]             # lock → pins without a --hash


def _pins(text: str) -> tuple[dict[str, set[str]], list[str]]:
    pins: dict[str, set[str]] = {}
    unhashed = []
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    for e in entries:
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9_.-]*)==([^\s;\\]+)", e)
        if not m:
            continue
        pins.setdefault(norm(m.group(1)), set()).add(m.group(2))
        if "--hash=sha256:" not in e:
            unhashed.append(m.group(1))
    return pins, unhashed


@cache
def sets() -> Sets:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = {norm(Requirement(r).name): Requirement(r) for r in meta["dependencies"]}
    data = {norm(Requirement(r).name): Requirement(r) for r in meta["optional-dependencies"]["data"]}
    pins, hashed = {}, {}
    for name, path in LOCKS.items():
        pins[name], hashed[name] = _pins(path.read_text(encoding="utf-8"))
    return Sets(reqs, data, pins, hashed)


def input_pins(name: str) -> dict[str, str]:
    """{distribution: exact version} of the ``==`` lines of one .in file and the files it includes."""
    out: dict[str, str] = {}
    path = INPUTS[name]
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            inc = (path.parent / line[3:].strip()).resolve()
            out.update(input_pins(next(k for k, p in INPUTS.items() if p.resolve() == inc)))
        elif line:
            r = Requirement(line)
            pinned = [s.version for s in r.specifier if s.operator == "=="]
            out[norm(r.name)] = pinned[0] if pinned else ""
    return out


def closure(requirements: list[str]) -> set[str]:
    """Installed distributions reachable from ``requirements`` through ``Requires-Dist`` (markers evaluated
    for this interpreter; a requirement's extras are followed, others' are not). Normalised names."""
    seen: set[str] = set()
    visited: set[tuple[str, frozenset[str]]] = set()
    todo = [(Requirement(r), ()) for r in requirements]
    while todo:
        req, extras = todo.pop()  # extras: those the requiring distribution was installed with
        env = [{"extra": e} for e in extras] or [{"extra": ""}]
        if req.marker is not None and not any(req.marker.evaluate(e) for e in env):
            continue
        key = (norm(req.name), frozenset(req.extras))
        if key in visited:
            continue
        visited.add(key)
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            continue
        seen.add(key[0])
        todo += [(Requirement(r), tuple(req.extras)) for r in dist.requires or []]
    return seen


@cache
def _providers() -> dict[str, set[str]]:
    """{top-level module: normalised names of the installed distributions that provide it}."""
    return {m: {norm(d) for d in ds} for m, ds in md.packages_distributions().items()}


def distributions_of(module: str) -> set[str]:
    return _providers().get(module.split(".")[0], {norm(module.split(".")[0])})


def modules_outside(allowed: set[str]) -> set[str]:
    """Top-level modules of installed distributions outside ``allowed`` (and provided by none inside it)."""
    return {m for m, ds in _providers().items()
            if not ds & allowed and m not in sys.stdlib_module_names and m.isidentifier()}


def blocker_source(blocked: set[str]) -> str:
    """A ``sitecustomize`` module: importing any of ``blocked`` raises ModuleNotFoundError, as if absent."""
    return (
        "import sys\n"
        f"_BLOCKED = frozenset({sorted(blocked)!r})\n\n\n"
        "class _Absent:\n"
        "    @staticmethod\n"
        "    def find_spec(name, path=None, target=None):\n"
        "        if name.partition('.')[0] in _BLOCKED:\n"
        "            raise ModuleNotFoundError(f\"No module named '{name}' (not in the environment under test)\","
        " name=name)\n"
        "        return None\n\n\n"
        "sys.meta_path.insert(0, _Absent)\n"
    )


def wheel_requirements(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` lines of a wheel's METADATA (extras' requirements included, with their markers)."""
    import zipfile

    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        text = z.read(name).decode("utf-8")
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")]
