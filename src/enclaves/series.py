"""Series the chapters share, assembled from processed tables (no arithmetic on raw data here)."""

from __future__ import annotations

import pandas as pd

from .data import load
from .geo import NATIONAL_NAME

#: The first year counted by year of occurrence; earlier years are by year of registration.
OCCURRENCE_FROM = 2000


def state_names() -> dict[str, str]:
    m = load("municipalities")
    names = dict(m[["state_code", "state_name"]].drop_duplicates().itertuples(index=False, name=None))
    names["00"] = NATIONAL_NAME
    return names


def splice_basis(df: pd.DataFrame, start: int = OCCURRENCE_FROM) -> pd.DataFrame:
    """Registration counts before ``start``, occurrence counts from ``start`` on (the basis is kept
    in ``year_basis`` so charts can mark the change)."""
    keep = ((df["year"] < start) & (df["year_basis"] == "registration")) | (
        (df["year"] >= start) & (df["year_basis"] == "occurrence"))
    return df[keep].reset_index(drop=True)


def state_homicide_rates(state_codes: list[str] | None = None, spliced: bool = True) -> pd.DataFrame:
    """Annual homicides and rates per 100,000 for states (and '00', the nation), with names."""
    df = load("homicides_state_annual")
    if state_codes is not None:
        df = df[df["state_code"].isin(state_codes)]
    if spliced:
        df = splice_basis(df)
    df = df.assign(state_name=df["state_code"].map(state_names()))
    return df.sort_values(["state_code", "year"]).reset_index(drop=True)


def peak(df: pd.DataFrame, value: str = "homicide_rate", by: str = "year") -> tuple[int, float]:
    """(year, value) of the maximum of a single series, as plain Python numbers for glue."""
    row = df.loc[df[value].idxmax()]
    return int(row[by]), float(row[value])


def value_in(df: pd.DataFrame, year: int, value: str = "homicide_rate") -> float:
    """The value of a single series in one year, as a plain float."""
    v = df.loc[df["year"] == year, value]
    if len(v) != 1:
        raise KeyError(f"expected one row for {year}, found {len(v)}")
    return float(v.iloc[0])
