"""Derivations on long cells (``value`` Int64, NA = blank): sums that count blank parts, the book's
vehicle-theft total, national sums of the states, and annual spot values."""

from __future__ import annotations

import pandas as pd

from ... import geo
from ...errors import DataError
from .. import readers
from .contracts import VEHICLE_PARTS


def aggregate(cells: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum ``value`` over cells with the same keys; blank cells are counted in parts_missing, not as zero.

    ``cells`` has ``value`` (Int64, NA = blank) and optionally ``parts_missing`` (default 0 per cell,
    otherwise carried). The sum is NA only when every cell is blank.
    """
    c = cells.copy()
    if "parts_missing" not in c:
        c["parts_missing"] = c["value"].isna().astype(int)
    c["_has"] = c["value"].notna().astype(int)
    out = c.groupby(keys, as_index=False, sort=True).agg(value=("value", "sum"), parts_missing=("parts_missing", "sum"),
                                                         _has=("_has", "sum"))
    out["value"] = out["value"].astype("Int64").where(out["_has"] > 0)
    return out.drop(columns="_has")


def with_vehicle_total(df: pd.DataFrame, keys: list[str], file: str) -> pd.DataFrame:
    """Append 'robo_vehiculo' = with + without violence, per ``keys``; missing if either part is missing."""
    parts = df[df["crime"].isin(VEHICLE_PARTS)]
    g = parts.groupby(keys, as_index=False, sort=True).agg(
        value=("value", "sum"), parts_missing=("parts_missing", "sum"), n=("value", "count"), rows=("crime", "size"))
    if (g["rows"] != 2).any():
        bad = g[g["rows"] != 2].iloc[0]
        raise DataError(file, "vehicle theft needs both parts (with and without violence)",
                        row=", ".join(f"{k}={bad[k]}" for k in keys))
    g["value"] = g["value"].astype("Int64").where(g["n"] == 2)
    total = g.drop(columns=["n", "rows"]).assign(crime="robo_vehiculo")
    return pd.concat([df, total[df.columns]], ignore_index=True)


def national(df: pd.DataFrame, keys: list[str], file: str) -> pd.DataFrame:
    """Sum of the 32 states; missing when any state is missing or absent. One source per national row."""
    st = df[df["state_code"] != geo.NATIONAL]
    g = st.groupby(keys, as_index=False, sort=True).agg(
        value=("value", "sum"), parts_missing=("parts_missing", "sum"), n=("state_code", "nunique"),
        n_rows=("state_code", "size"), n_val=("value", "count"), n_src=("source", "nunique"),
        source=("source", "first"))
    if (g["n_rows"] != g["n"]).any() or (g["n_src"] != 1).any():
        bad = g[(g["n_rows"] != g["n"]) | (g["n_src"] != 1)].iloc[0]
        raise DataError(file, "a state appears twice, or two sources meet, in one national sum",
                        row=", ".join(f"{k}={bad[k]}" for k in keys))
    complete = (g["n"] == 32) & (g["n_val"] == 32)
    g["value"] = g["value"].astype("Int64").where(complete)
    return g.assign(state_code=geo.NATIONAL).drop(columns=["n", "n_rows", "n_val", "n_src"])


def annual_spots(df: pd.DataFrame, spots: dict, file: str, what: str) -> None:
    """spots: {(state_code, crime, year): expected annual sum} on a monthly frame of one series/unit."""
    a = df.groupby(["state_code", "crime", "year"])["value"].sum()
    for (st, crime, year), expected in spots.items():
        got = int(a.get((st, crime, year), -1))
        readers.expect_equal(got, expected, file, f"{what} {crime}, state {st}, {year}")
