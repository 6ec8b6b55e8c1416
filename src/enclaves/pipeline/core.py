"""The pipeline's machinery: table contracts, steps, validation and atomic writes.

A family module (``mortality``, ``crime`` …) declares its tables with :func:`table` and its
steps with :func:`step`. :func:`run` acquires the raw inputs, runs the steps in dependency
order, validates every output against its contract, and only then writes all outputs (and
``datapackage.json``) with atomic renames. Any failure writes nothing, so earlier outputs
stay intact.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths, sources
from ..errors import DataError

TYPES = {"string", "integer", "number", "boolean"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    unit: str | None = None
    required: bool = True
    enum: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    decimals: int = 6

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type}")


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    sources: tuple[str, ...]
    family: str
    chapters: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    publish: bool = True
    #: Only statistics computed from the sources are published, not their values (used where a source's terms
    #: give no right to republish its values: the table then carries none of them).
    derived: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


@dataclass(frozen=True)
class Step:
    name: str
    func: Callable
    sources: tuple[str, ...]
    needs: tuple[str, ...]
    outputs: tuple[str, ...]
    family: str


@dataclass(frozen=True)
class Asset:
    """A published file that is not a table (map geometry, TopoJSON): a step returns its text, which is
    written to ``data/processed/<path>`` and described in the data package beside the tables.
    ``objects``: for a topology, each object's name and what its geometries are."""
    name: str
    path: str
    title: str
    description: str
    sources: tuple[str, ...]
    family: str
    objects: tuple[tuple[str, str], ...] = ()
    format: str = "topojson"
    mediatype: str = "application/json"
    chapters: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()


TABLES: dict[str, Table] = {}
ASSETS: dict[str, Asset] = {}
STEPS: dict[str, Step] = {}

# Reusable column definitions
MUN_CODE = Column("mun_code", "string", "INEGI municipality code (state + municipality, 5 characters)",
                  pattern=r"^\d{5}$")
STATE_CODE = Column("state_code", "string", "INEGI state code, 2 characters; '00' is the nation",
                    pattern=r"^\d{2}$")
YEAR = Column("year", "integer", "Calendar year", minimum=1990, maximum=2030)
MONTH = Column("month", "integer", "Calendar month (1-12)", minimum=1, maximum=12)


def table(name: str, *, title: str, description: str, columns: Iterable[Column],
          primary_key: Iterable[str], sources: Iterable[str], family: str,
          chapters: Iterable[str] = (), caveats: Iterable[str] = (), publish: bool = True,
          derived: bool = False) -> Table:
    t = Table(name, title, description, tuple(columns), tuple(primary_key), tuple(sources), family,
              tuple(chapters), tuple(caveats), publish, derived)
    missing = set(t.primary_key) - set(t.column_names)
    if missing:
        raise ValueError(f"table {name}: primary key columns {missing} not among columns")
    TABLES[name] = t
    return t


def asset(name: str, *, path: str, title: str, description: str, sources: Iterable[str], family: str,
          objects: dict[str, str] | None = None, chapters: Iterable[str] = (), caveats: Iterable[str] = (),
          format: str = "topojson", mediatype: str = "application/json") -> Asset:
    """Declare a published file that is not a table (see :class:`Asset`)."""
    if name in TABLES or not slug_ok(name):
        raise ValueError(f"asset {name}: name taken by a table or not a lowercase slug")
    a = Asset(name, path, title, description, tuple(sources), family, tuple((objects or {}).items()), format,
              mediatype, tuple(chapters), tuple(caveats))
    ASSETS[name] = a
    return a


def check_asset(a: Asset, text) -> str:
    """An asset's text as a step returned it: a non-empty string; a topology has exactly the declared
    objects, and every geometry an id."""
    where = f"asset {a.name}"
    if not isinstance(text, str) or not text.strip():
        raise DataError(where, "a step must return the file's text")
    if a.format == "topojson":
        topo = json.loads(text)
        names = [n for n, _ in a.objects]
        if topo.get("type") != "Topology" or list(topo.get("objects", {})) != names:
            raise DataError(where, "not a topology with the declared objects",
                            detail=f"objects {list(topo.get('objects', {}))}, declared {names}")
        for n in names:
            for i, g in enumerate(topo["objects"][n]["geometries"]):
                if not g.get("id"):
                    raise DataError(where, f"every geometry of object {n} needs an id", row=i + 1)
    return text


def step(*, sources: Iterable[str] = (), needs: Iterable[str] = (), outputs: Iterable[str], family: str):
    """Register a step. The function receives an :class:`Inputs` and returns {table: DataFrame}."""

    def deco(func):
        s = Step(func.__name__, func, tuple(sources), tuple(needs), tuple(outputs), family)
        STEPS[s.name] = s
        return func

    return deco


class Inputs:
    """What a step may read: verified raw files and tables made by earlier steps."""

    def __init__(self, step: Step, made: dict[str, pd.DataFrame]):
        self._step = step
        self._made = made

    def raw(self, source_id: str) -> Path:
        if source_id not in self._step.sources:
            raise RuntimeError(f"step {self._step.name} did not declare source {source_id}")
        return sources.raw(source_id)

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._step.needs:
            raise RuntimeError(f"step {self._step.name} did not declare table {name}")
        return self._made[name].copy()


# ---------------------------------------------------------------- validation


def _key_label(row: pd.Series, key: Iterable[str]) -> str:
    return ", ".join(f"{k}={row[k]}" for k in key)


def conform(t: Table, df: pd.DataFrame) -> pd.DataFrame:
    """Check ``df`` against the contract of ``t`` and return it typed, rounded and sorted."""
    where = f"table {t.name}"
    cols = list(df.columns)
    if cols != t.column_names:
        missing = [c for c in t.column_names if c not in cols]
        extra = [c for c in cols if c not in t.column_names]
        raise DataError(where, "columns differ from the table contract",
                        detail=f"missing {missing}, unexpected {extra}" if missing or extra
                        else f"order {cols}")
    out = pd.DataFrame(index=df.index)
    for c in t.columns:
        s = df[c.name]
        if c.type == "string":
            s = s.astype("string")
        elif c.type == "integer":
            num = pd.to_numeric(s, errors="coerce")
            bad = num.notna() & (num != np.floor(num))
            if bad.any() or (num.isna() & s.notna()).any():
                i = (bad | (num.isna() & s.notna())).idxmax()
                raise DataError(where, f"column {c.name} must hold whole numbers",
                                row=_key_label(df.loc[i], t.primary_key), detail=repr(s.loc[i]))
            s = num.astype("Int64")
        elif c.type == "number":
            num = pd.to_numeric(s, errors="coerce")
            if (num.isna() & s.notna()).any():
                i = (num.isna() & s.notna()).idxmax()
                raise DataError(where, f"column {c.name} must be numeric",
                                row=_key_label(df.loc[i], t.primary_key), detail=repr(s.loc[i]))
            s = num.astype("float64").round(c.decimals)
        elif c.type == "boolean":
            s = s.astype("boolean")
        if c.required and s.isna().any():
            i = s.isna().idxmax()
            raise DataError(where, f"column {c.name} may not be empty",
                            row=_key_label(df.loc[i], t.primary_key))
        if c.enum is not None:
            bad = s.notna() & ~s.isin(list(c.enum))
            if bad.any():
                i = bad.idxmax()
                raise DataError(where, f"column {c.name} has a value outside {list(c.enum)}",
                                row=_key_label(df.loc[i], t.primary_key), detail=repr(s.loc[i]))
        if c.minimum is not None:
            bad = s.notna() & (s < c.minimum)
            if bad.any():
                i = bad.idxmax()
                raise DataError(where, f"column {c.name} must be at least {c.minimum}",
                                row=_key_label(df.loc[i], t.primary_key), detail=repr(s.loc[i]))
        if c.maximum is not None:
            bad = s.notna() & (s > c.maximum)
            if bad.any():
                i = bad.idxmax()
                raise DataError(where, f"column {c.name} must be at most {c.maximum}",
                                row=_key_label(df.loc[i], t.primary_key), detail=repr(s.loc[i]))
        if c.pattern is not None:
            bad = s.notna() & ~s.fillna("").str.fullmatch(c.pattern)
            if bad.any():
                i = bad.idxmax()
                raise DataError(where, f"column {c.name} must match {c.pattern}",
                                row=_key_label(df.loc[i], t.primary_key), detail=repr(s.loc[i]))
        out[c.name] = s
    dup = out.duplicated(list(t.primary_key), keep=False)
    if dup.any():
        i = dup.idxmax()
        raise DataError(where, f"primary key {list(t.primary_key)} is not unique",
                        row=_key_label(out.loc[i], t.primary_key))
    return out.sort_values(list(t.primary_key), kind="mergesort").reset_index(drop=True)


def to_csv_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n")


# ---------------------------------------------------------------- running


def _order(targets: Iterable[str] | None) -> list[Step]:
    producer = {}
    for s in STEPS.values():
        for o in s.outputs:
            if o in producer:
                raise RuntimeError(f"table {o} is produced by two steps")
            producer[o] = s
    wanted = list(targets) if targets else [t for t in (*TABLES, *ASSETS) if t in producer]
    order: list[Step] = []
    seen: set[str] = set()

    def visit(tname: str, stack: tuple[str, ...] = ()):
        if tname not in producer:
            raise RuntimeError(f"no step produces table {tname}")
        s = producer[tname]
        if s.name in seen:
            return
        if s.name in stack:
            raise RuntimeError(f"cycle through step {s.name}")
        for n in s.needs:
            visit(n, stack + (s.name,))
        seen.add(s.name)
        order.append(s)

    for t in wanted:
        visit(t)
    return order


def compute(targets: Iterable[str] | None = None, mirror: Path | None = None,
            acquire: bool = True) -> dict[str, pd.DataFrame | str]:
    """Run the steps needed for ``targets`` (default: every table and asset) and return validated tables
    (and the text of assets)."""
    steps = _order(targets)
    if acquire:
        for sid in sorted({sid for s in steps for sid in s.sources}):
            sources.acquire(sid, mirror=mirror)
    made: dict[str, pd.DataFrame] = {}
    for s in steps:
        result = s.func(Inputs(s, made))
        if set(result) != set(s.outputs):
            raise RuntimeError(f"step {s.name} returned {sorted(result)}, declared {sorted(s.outputs)}")
        for name, df in result.items():
            made[name] = check_asset(ASSETS[name], df) if name in ASSETS else conform(TABLES[name], df)
    return made


def _atomic_write_many(files: dict[Path, str]) -> None:
    """Write every file to a temporary sibling, then rename all; on error remove the temporaries."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            temps.append((Path(tmp), path))
        for tmp, path in temps:
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def run(targets: Iterable[str] | None = None, mirror: Path | None = None,
        out_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Compute tables and write the published ones with the data package. All or nothing."""
    from .package import datapackage_text

    made = compute(targets, mirror=mirror)
    out_dir = out_dir or paths.processed_dir()
    files = {out_dir / f"{name}.csv": to_csv_text(df)
             for name, df in made.items() if name in TABLES and TABLES[name].publish}
    files.update({out_dir / ASSETS[name].path: text for name, text in made.items() if name in ASSETS})
    files[out_dir / "datapackage.json"] = datapackage_text()
    _atomic_write_many(files)
    return made


def slug_ok(name: str) -> bool:
    return re.fullmatch(r"[a-z][a-z0-9_]*", name) is not None


def describe() -> list[dict]:
    """A short listing of tables for the CLI."""
    return [{"name": t.name, "family": t.family, "publish": t.publish, "sources": list(t.sources)}
            for t in TABLES.values()]


def dumps(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


__all__ = ["Column", "Table", "Asset", "Step", "TABLES", "ASSETS", "STEPS", "table", "asset", "step", "Inputs",
           "conform", "check_asset", "compute", "run", "MUN_CODE", "STATE_CODE", "YEAR", "MONTH"]
