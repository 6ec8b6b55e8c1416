"""Old instrument, 2011-2016: the Valle-Jones JSON files, states.json (README 2.2) and municipios.json (2.3)."""

from __future__ import annotations

import re

import pandas as pd

from ...errors import DataError
from .. import readers
from .catalog import json_keys, norm_label
from .contracts import ST_JSON_SPAN, months_in


def read_json_records(path, file: str, where: str, area: str, span) -> pd.DataFrame:
    """Records of a {key: [record …]} JSON file as (key, area, year, month, crime, unit, value)."""
    data = readers.read_json(path, file, rule="file is not valid JSON (truncated?)")
    keys = json_keys(where)
    if not isinstance(data, dict):
        raise DataError(file, "top level must be an object of crime keys")
    unknown = [k for k in data if k not in keys]
    if unknown:
        raise DataError(file, "unknown crime key (not in data/mappings/crime_sesnsp_json_keys.csv)",
                        row=unknown[0])
    missing = [k for k in keys if k not in data]
    if missing:
        raise DataError(file, "crime key missing", row=missing[0])
    lo, hi = span
    recs = []
    for key, items in data.items():
        tipo, crime, unit = keys[key]
        if not isinstance(items, list):
            raise DataError(file, "crime key must hold a list of records", row=key)
        for i, rec in enumerate(items):
            row = f"{key}[{i}]"
            if not isinstance(rec, dict):
                raise DataError(file, "record is not an object", row=row)
            for fld in ("date", "tipo", area):
                if fld not in rec:
                    raise DataError(file, f"record lacks field '{fld}'", row=row)
            if norm_label(rec["tipo"]) != tipo:
                raise DataError(file, "record label differs from the label expected for its key "
                                "(data/mappings/crime_sesnsp_json_keys.csv)", row=row,
                                detail=f"{rec['tipo']!r}, expected {tipo!r}")
            m = re.fullmatch(r"(\d{4})-(\d{2})-01", str(rec["date"]))
            if not m or not lo <= (int(m.group(1)), int(m.group(2))) <= hi:
                raise DataError(file, f"date must be YYYY-MM-01 within {lo[0]}-{lo[1]:02d}..{hi[0]}-{hi[1]:02d}",
                                row=row, detail=repr(rec["date"]))
            count = rec.get("count")
            if count is not None and (isinstance(count, bool) or not isinstance(count, int | float)
                                      or count != int(count) or count < 0):
                raise DataError(file, "count must be a whole non-negative number or null", row=row,
                                detail=repr(count))
            recs.append((key, rec[area], int(m.group(1)), int(m.group(2)), crime, unit,
                         pd.NA if count is None else int(count), row))
    df = pd.DataFrame(recs, columns=["key", "area", "year", "month", "crime", "unit", "value", "row"])
    df["value"] = df["value"].astype("Int64")
    return df


def parse_states_json(path, file: str) -> pd.DataFrame:
    df = read_json_records(path, file, "states.json", "state_code", ST_JSON_SPAN)
    bad = ~df["area"].map(lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 32)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, "state_code must be an integer 1-32", row=df["row"].iloc[i],
                        detail=repr(df["area"].iloc[i]))
    df["state_code"] = df["area"].map(lambda v: f"{v:02d}")
    dup = df.duplicated(["key", "state_code", "year", "month"])
    if dup.any():
        raise DataError(file, "duplicated key [crime key, state_code, date]", row=df["row"][dup].iloc[0])
    n = 32 * len(months_in(ST_JSON_SPAN))
    per = df.groupby("key").size()
    if (per != n).any():
        k = per[per != n].index[0]
        raise DataError(file, f"every crime key must have {n} records (32 states x 27 months)", row=k,
                        detail=str(per[k]))
    return df
