"""The one list of the book's cases: ``data/mappings/cases.csv``.

Every part of the book that needs to know which cases exist reads them here: the claims ledger (which
module evaluates a case's claims, which page tests them), the data appendix (which chapter uses a
table), the cross-case comparison, geography (``geo.case_code``) and the scaffold, which adds a row for a
new case (``python -m enclaves new-case``). A case's analysis lives in the package
``enclaves.cases.<slug>``; a case scaffolded but not yet given its own package falls back on
``enclaves.cases.generic``.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from .. import paths

#: Columns of ``data/mappings/cases.csv``, in order.
COLUMNS = ("slug", "name", "mun_code", "state_code", "state_name", "instrument", "who_holds_power",
           "institutions", "break_year", "break_label", "origin")
#: ``origin`` of the cases the source reporting describes, and of cases the book adds beyond it.
SOURCE_REPORTING = "source reporting"
BEYOND = "beyond the source reporting"
ORIGINS = (SOURCE_REPORTING, BEYOND)
#: The analysis chapters that evaluate claims but are not cases: slug → (module, page).
ANALYSES = {"cross_case": ("enclaves.cases.cross_case", "/book/analysis/cross_case")}


@dataclass(frozen=True)
class Case:
    """One case of the book: who, where, when it broke away, and how the book describes it."""

    slug: str
    name: str
    mun_code: str
    state_code: str
    state_name: str
    instrument: str
    who_holds_power: str
    institutions: str
    break_year: int | None   # first year after the break; empty in the table while a new case is undated
    break_label: str
    origin: str

    @property
    def doc(self) -> str:
        """The chapter's page (for ``{doc}`` links)."""
        return f"/book/cases/{self.slug}"

    @property
    def module_name(self) -> str:
        return f"enclaves.cases.{self.slug}"


def _path():
    return paths.mappings_dir() / "cases.csv"


@lru_cache(maxsize=1)
def _read() -> tuple[Case, ...]:
    p = _path()
    with p.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{p.name}: columns must be {', '.join(COLUMNS)}; found {reader.fieldnames}")
        out = []
        for i, r in enumerate(reader, start=2):
            if r["origin"] not in ORIGINS:
                raise ValueError(f"{p.name} row {i}: origin must be one of {ORIGINS}, got {r['origin']!r}")
            if len(r["mun_code"]) != 5 or not r["mun_code"].isdigit() or r["mun_code"][:2] != r["state_code"]:
                raise ValueError(f"{p.name} row {i}: mun_code {r['mun_code']!r} is not a municipality of "
                                 f"state {r['state_code']!r}")
            year = r["break_year"].strip()
            if year and not year.isdigit():
                raise ValueError(f"{p.name} row {i}: break_year must be a year or empty, got {year!r}")
            out.append(Case(**{**r, "break_year": int(year) if year else None}))
    slugs = [c.slug for c in out]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"{p.name}: a slug appears twice")
    return tuple(out)


def cases() -> tuple[Case, ...]:
    """Every case, in the table's order (the book's order)."""
    return _read()


def dated() -> tuple[Case, ...]:
    """The cases with a break year: those the cross-case comparison can place in time."""
    return tuple(c for c in cases() if c.break_year is not None)


def slugs() -> list[str]:
    return [c.slug for c in cases()]


def get(slug: str) -> Case:
    for c in cases():
        if c.slug == slug:
            return c
    raise KeyError(f"no case {slug!r} in data/mappings/cases.csv (known: {', '.join(slugs())})")


def by_name(name: str) -> Case:
    for c in cases():
        if c.name == name:
            return c
    raise KeyError(f"no case named {name!r} in data/mappings/cases.csv")


def module(slug: str) -> ModuleType:
    """The case's analysis package (``enclaves.cases.<slug>``), imported (which registers its claims)."""
    return importlib.import_module(get(slug).module_name)


def has_module(slug: str) -> bool:
    """True if the case has its own package yet (a freshly scaffolded case may not)."""
    return importlib.util.find_spec(get(slug).module_name) is not None


def claim_module(case: str) -> str | None:
    """The module that evaluates the claims of ``case`` (a case slug or an analysis such as cross_case)."""
    if case in ANALYSES:
        return ANALYSES[case][0]
    try:
        return get(case).module_name
    except KeyError:
        return None


def claim_doc(case: str) -> str:
    """The page that tests the claims of ``case``."""
    if case in ANALYSES:
        return ANALYSES[case][1]
    return get(case).doc


def row(case: Case) -> dict[str, str]:
    """A case as a row of the table (for the scaffold, which appends one)."""
    return {c: "" if getattr(case, c) is None else str(getattr(case, c)) for c in COLUMNS}


def clear() -> None:
    """Forget the cached table (after ``new-case`` adds a row in this process)."""
    _read.cache_clear()
