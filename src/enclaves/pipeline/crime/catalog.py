"""Crime labels → the book's crime slugs, and SESNSP municipality names → INEGI codes, through the
committed tables in ``data/mappings`` (every upstream label must be listed there)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import geo, paths
from ...errors import DataError
from .. import readers
from .contracts import CRIMES

# ------------------------------------------------------------------ crime labels (README 2.1-2.6)


def norm_label(s: str) -> str:
    return " ".join(str(s).split())


def _mapping(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    path = paths.mappings_dir() / name
    df = readers.read_table(path, columns=columns, strict_columns=True)
    return df.map(norm_label)


def _catalog(name: str, label_cols: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    df = _mapping(name, (*label_cols, "crime"))
    readers.check_unique(df, list(label_cols), name)
    bad = df["crime"].ne("") & ~df["crime"].isin(CRIMES)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(name, "crime must be a book slug or empty", row=i + 2, detail=repr(df["crime"].iloc[i]))
    return {tuple(r[:-1]): r[-1] for r in df[[*label_cols, "crime"]].itertuples(index=False)}


def old_catalog() -> dict[tuple[str, ...], str]:
    return _catalog("crime_sesnsp_old_catalog.csv", ("modalidad", "tipo", "subtipo"))


def new_catalog() -> dict[tuple[str, ...], str]:
    return _catalog("crime_sesnsp_new_catalog.csv", ("bien_juridico", "tipo", "subtipo", "modalidad"))


def json_keys(file: str) -> dict[str, tuple[str, str, str]]:
    """{key: (tipo label, crime, unit)} for one of the Valle-Jones JSON files."""
    df = _mapping("crime_sesnsp_json_keys.csv", ("file", "key", "tipo", "crime", "unit", "note"))
    readers.check_unique(df, ["file", "key"], "crime_sesnsp_json_keys.csv")
    df = df[df["file"] == file]
    return {k: (t, c, u) for k, t, c, u in zip(df["key"], df["tipo"], df["crime"], df["unit"], strict=True)}


def crime_of_labels(labels: pd.DataFrame, catalog: dict, file: str, mapping: str, rows=None,
                    ids: dict | None = None) -> tuple[pd.Series, np.ndarray]:
    """Crime slug ('' = known but unused) and a label-combination id for every row.

    Every distinct label combination (after collapsing blanks) must be listed in the catalogue
    ``data/mappings/<mapping>``; otherwise a DataError names the first row that has it. ``rows``
    gives row numbers by position (default: position + 2, i.e. the line of a CSV with a header).
    """
    cols = list(labels.columns)
    group = labels.groupby(cols, sort=False, observed=True, dropna=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(labels))).groupby(group).first().to_numpy()
    combos = labels.iloc[first]
    keys = [tuple(norm_label(v) for v in t) for t in combos.itertuples(index=False, name=None)]
    for k, pos in zip(keys, first, strict=True):
        if k not in catalog:
            row = int(rows[pos]) if rows is not None else int(pos) + 2
            raise DataError(file, f"unknown crime label (not in data/mappings/{mapping})", row=row,
                            detail=" / ".join(k))
    ids = {} if ids is None else ids
    crimes = np.array([catalog[k] for k in keys], dtype=object)
    label_id = np.array([ids.setdefault(k, len(ids)) for k in keys])
    return pd.Series(crimes[group], index=labels.index), label_id[group]


# ------------------------------------------------------------------ municipalities (2.3)


def municipal_map(known: set[str], names_path, cities_path) -> dict[str, str]:
    """name → mun_code from data/mappings/crime_sesnsp_municipalities.csv, cross-checked against the lookup aids."""
    mapfile = "crime_sesnsp_municipalities.csv"
    mp = readers.read_table(paths.mappings_dir() / mapfile, columns=["name", "mun_code", "note"])
    readers.check_unique(mp, ["name"], mapfile)
    bad = ~mp["mun_code"].str.fullmatch(r"\d{5}")
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(mapfile, "mun_code must be 5 digits", row=i + 2, detail=repr(mp["mun_code"].iloc[i]))
    readers.check_known_codes(mp["mun_code"], known, mapfile)
    fn = names_path.name
    mn = readers.read_table(names_path, encoding="latin-1", columns=["state_code", "mun_code", "MUNICIPIO"])
    sc = readers.to_number(mn, "state_code", fn)
    mc = readers.to_number(mn, "mun_code", fn)
    names = dict(zip([geo.mun_code(s, m) for s, m in zip(sc, mc, strict=True)], mn["MUNICIPIO"].map(geo.normalize),
                     strict=True))
    for i, (name, code, note) in enumerate(zip(mp["name"], mp["mun_code"], mp["note"], strict=True), start=2):
        mun, _, abbr = name.rpartition(", ")
        if geo.state_code(abbr, mapfile, i) != code[:2]:
            raise DataError(mapfile, "state abbreviation in the name disagrees with the code", row=i,
                            detail=f"{name!r} → {code}")
        ref = names.get(code)
        want = geo.normalize(mun)
        ok = ref == want or (note.startswith("truncated") and ref is not None and ref.startswith(want))
        if not ok:
            raise DataError(mapfile, f"name does not match {fn} for this code", row=i, detail=f"{name!r} vs {ref!r}")
    fc = cities_path.name
    cities = readers.read_json(cities_path, fc)
    mapping = dict(zip(mp["name"], mp["mun_code"], strict=True))
    for key, items in cities.items():
        for j, rec in enumerate(items):
            n = rec.get("name")
            if n in mapping:
                code = geo.mun_code(rec["state_code"], rec["mun_code"])
                if code != mapping[n]:
                    raise DataError(mapfile, f"code disagrees with {fc}", row=f"{n} ({key}[{j}])",
                                    detail=f"{mapping[n]} vs {code}")
    return mapping
