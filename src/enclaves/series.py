"""Series the chapters share, assembled from processed tables (no arithmetic on raw data here)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import load
from .geo import NATIONAL_NAME
from .stats import poisson_ci

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


# ---------------------------------------------------------------- homicide counts from several instruments
#
# Death records (INEGI) and investigation files (SESNSP, old and new instruments) count different things. The
# functions below return them as separate series, each row labelled with its series, unit and table: a chart
# draws one line per series and never joins two into one.

#: series key → (label, unit). New-instrument counts add feminicidio to homicidio doloso, which the old
#: instrument and INEGI's death records include.
HOMICIDE_SERIES: dict[str, tuple[str, str]] = {
    "inegi_deaths": ("Homicide deaths (INEGI death records)", "deaths"),
    "sesnsp_old_incidents": ("Homicidio doloso investigation files (SESNSP, old instrument)", "investigation files"),
    "sesnsp_old_victims": ("Homicidio doloso victims (SESNSP, old instrument)", "victims"),
    "sesnsp_new_incidents": ("Homicidio doloso and feminicidio investigation files (SESNSP, new instrument)",
                             "investigation files"),
    "sesnsp_new_victims": ("Homicidio doloso and feminicidio victims (SESNSP, new instrument)", "victims"),
}
NEW_HOMICIDE = ("homicidio_doloso", "feminicidio")
INCIDENT_CRIMES = ("homicidio_doloso", "feminicidio", "homicidio_culposo")
CRIMES_2011 = ("homicidio_doloso", "secuestro", "robo", "otros_delitos", "total")
LABELLED = ["series", "label", "unit", "table"]


def _labelled(df: pd.DataFrame, series: str, table: str) -> pd.DataFrame:
    label, unit = HOMICIDE_SERIES[series]
    return df.assign(series=series, label=label, unit=unit, table=table)


def with_count_ci(df: pd.DataFrame, count: str = "count", level: float = 0.95) -> pd.DataFrame:
    """``df`` with ``count_low`` and ``count_high``: the exact Poisson interval of each count (empty where the
    count is missing)."""
    out = df.copy()
    ok = out[count].notna()
    out["count_low"] = np.nan
    out["count_high"] = np.nan
    if ok.any():
        lo, hi = poisson_ci(out.loc[ok, count].astype(float).to_numpy(), level)
        out.loc[ok, "count_low"] = lo
        out.loc[ok, "count_high"] = hi
    return out


def _codes_in(df: pd.DataFrame, codes, table: str) -> pd.DataFrame:
    codes = [codes] if isinstance(codes, str) else list(codes)
    unknown = sorted(set(codes) - set(df["mun_code"]))
    if unknown:
        raise KeyError(f"{table} has no municipality {', '.join(unknown)}")
    return df[df["mun_code"].isin(codes)]


def municipal_incidents(codes, crimes=("homicidio_doloso",), by: str = "year", pooled: bool = False,
                        level: float = 0.95) -> pd.DataFrame:
    """SESNSP investigation files (new instrument, January 2024 - June 2025) for municipalities ``codes``:
    the ``crimes`` of ``incidents_municipal_monthly`` added together, by ``year`` (with ``months``, the number
    of months summed: 2025 has six) or by ``month``, per municipality or, with ``pooled``, summed over them
    (``mun_code`` 'pooled'). ``count_low`` / ``count_high``: exact Poisson interval of the count."""
    crimes = [crimes] if isinstance(crimes, str) else list(crimes)
    if not crimes or set(crimes) - set(INCIDENT_CRIMES) or by not in ("year", "month"):
        raise ValueError(f"crimes must be among {INCIDENT_CRIMES} and by 'year' or 'month'")
    df = _codes_in(load("incidents_municipal_monthly"), codes, "incidents_municipal_monthly")
    df = df.assign(count=df[crimes].sum(axis=1), mun_code="pooled" if pooled else df["mun_code"])
    keys = ["mun_code", "year"] + (["month"] if by == "month" else [])
    out = df.groupby(keys, as_index=False).agg(count=("count", "sum"), months=("month", "nunique"))
    out = with_count_ci(out, level=level)
    return out.assign(crimes="+".join(crimes), unit="investigation files", table="incidents_municipal_monthly")


#: The census whose count of residents is the denominator of the 2024-2025 investigation-file rates: the latest
#: count (CONAPO's projections for 2024 miss some fast-growing municipalities badly, e.g. García, Nuevo León).
SINCE_POP_YEAR = 2020


def since_population(codes=None, state: str | None = None) -> int:
    """Residents counted by the :data:`SINCE_POP_YEAR` census (as published with CONAPO's marginalisation index),
    summed over municipalities ``codes``, over a state's municipalities (``state``) or, with neither, over the
    nation: the denominator of every 2024-2025 rate of investigation files."""
    m = load("marginalization_municipal")
    m = m[m["year"] == SINCE_POP_YEAR]
    if codes is not None:
        codes = [codes] if isinstance(codes, str) else list(codes)
        m = m[m["mun_code"].isin(codes)]
        if m["mun_code"].nunique() != len(set(codes)):
            raise KeyError(f"no {SINCE_POP_YEAR} population for some of {codes}")
    elif state is not None:
        m = m[m["mun_code"].str.startswith(state)]
    if m.empty or m["population"].isna().any():
        raise KeyError(f"no {SINCE_POP_YEAR} population for {codes or state}")
    return int(m["population"].sum())


def since_populations(state: str | None = None) -> pd.Series:
    """Residents counted by the :data:`SINCE_POP_YEAR` census, one value per municipality (of ``state``), by code."""
    m = load("marginalization_municipal")
    m = m[m["year"] == SINCE_POP_YEAR]
    if state is not None:
        m = m[m["mun_code"].str.startswith(state)]
    return m.set_index("mun_code")["population"].astype(float)


#: The periods of the 2024-2025 files: each year, and the two pooled (``year`` 0).
SINCE_PERIODS = {2024: "2024", 2025: "January–June 2025", 0: "January 2024 – June 2025"}


def since_rows(counts: pd.DataFrame, area: str, group: str, population: int, level: float = 0.95) -> pd.DataFrame:
    """One area's investigation files for 2024 and January–June 2025 (``counts``: year, count, months) and the
    two pooled (``year`` 0), per 100,000 a year over ``population``, with exact Poisson intervals."""
    from .stats import per_100k

    c = counts[["year", "count", "months"]].astype("int64").sort_values("year")
    if list(c["year"]) != [2024, 2025]:
        raise ValueError(f"{area}: expected files for 2024 and 2025, found {list(c['year'])}")
    both = pd.DataFrame({"year": [0], "count": [int(c["count"].sum())], "months": [int(c["months"].sum())]})
    d = with_count_ci(pd.concat([c, both], ignore_index=True), level=level)
    py = population * d["months"] / 12
    return d.assign(area=area, group=group, period=d["year"].map(SINCE_PERIODS), population=population,
                    person_years=py, rate=per_100k(d["count"], py),
                    rate_low=per_100k(d["count_low"], py), rate_high=per_100k(d["count_high"], py))


def files_since(codes, label: str, crimes=NEW_HOMICIDE, level: float = 0.95) -> dict:
    """SESNSP investigation files (new instrument; by default homicidio doloso plus feminicidio), January 2024 -
    June 2025, summed over municipalities ``codes``: the count (and per year), the months covered, person-years
    (the :data:`SINCE_POP_YEAR` census population × months / 12) and the rate per 100,000 a year with its exact
    Poisson interval. Files, not deaths."""
    from .stats import rate_ci

    codes = [codes] if isinstance(codes, str) else list(codes)
    f = municipal_incidents(codes, crimes, by="year", pooled=True, level=level)
    count, months = float(f["count"].sum()), int(f["months"].sum())
    py = float(since_population(codes)) * months / 12
    r = rate_ci([count], [py], level=level).iloc[0]
    return {"area": label, "files": count, "files_2024": float(f.loc[f["year"] == 2024, "count"].sum()),
            "files_2025": float(f.loc[f["year"] == 2025, "count"].sum()), "months": months, "person_years": py,
            "rate": float(r["rate"]), "rate_low": float(r["rate_low"]), "rate_high": float(r["rate_high"])}


def municipal_crime_2011_2013(codes, crimes=("homicidio_doloso", "secuestro"), level: float = 0.95) -> pd.DataFrame:
    """Old-instrument averiguaciones previas for municipalities ``codes``, 2011-2013 (``crime_municipal_annual``),
    one row per municipality, year and crime, with the exact Poisson interval of each count. A year in which
    a municipality is absent upstream has no row; a crime with no row upstream has an empty count."""
    crimes = [crimes] if isinstance(crimes, str) else list(crimes)
    if not crimes or set(crimes) - set(CRIMES_2011):
        raise ValueError(f"crimes must be among {CRIMES_2011}")
    df = _codes_in(load("crime_municipal_annual"), codes, "crime_municipal_annual")
    long = df.melt(id_vars=["mun_code", "year"], value_vars=crimes, var_name="crime", value_name="count")
    long = with_count_ci(long, level=level)
    long = long.assign(unit="investigation files (averiguaciones previas)", table="crime_municipal_annual")
    return long.sort_values(["mun_code", "crime", "year"]).reset_index(drop=True)


def state_homicide_sources(state_codes=None, year_basis: str = "occurrence", full_years: bool = True
                           ) -> pd.DataFrame:
    """Homicide counts for states (and '00', the nation) from every instrument, as separate labelled series:
    INEGI deaths (``homicides_state_annual``, by ``year_basis``) and the SESNSP series of ``crime_state_annual``
    (see :data:`HOMICIDE_SERIES`). Columns: state_code, year, value, months (months summed), parts_missing
    (blank upstream cells, see ``crime_state_annual``), series, label, unit, table. ``full_years`` drops years
    with fewer than twelve months (old series 2016, new 2025, states with blank months)."""
    d = load("homicides_state_annual")
    d = d[d["year_basis"] == year_basis]
    deaths = _labelled(d.assign(value=d["homicides"], months=12, parts_missing=0), "inegi_deaths",
                       "homicides_state_annual")
    a = load("crime_state_annual")
    parts = []
    for series, unit, crimes in (("sesnsp_old", "incidents", ("homicidio_doloso",)),
                                 ("sesnsp_old", "victims", ("homicidio_doloso",)),
                                 ("sesnsp_new", "incidents", NEW_HOMICIDE), ("sesnsp_new", "victims", NEW_HOMICIDE)):
        s = a[(a["series"] == series) & (a["unit"] == unit) & a["crime"].isin(crimes)]
        g = s.groupby(["state_code", "year"], as_index=False).agg(
            value=("value", "sum"), n_values=("value", "count"), months=("months_covered", "min"),
            parts_missing=("parts_missing", "sum"), n=("crime", "size"))
        if (g["n"] != len(crimes)).any():
            raise ValueError(f"crime_state_annual: {series} {unit} lacks one of {crimes} in some state-year")
        g["value"] = g["value"].where(g["n_values"] == len(crimes))
        if full_years:
            g = g[g["months"] == 12]
        parts.append(_labelled(g, f"{series}_{unit}", "crime_state_annual"))
    out = pd.concat([deaths, *parts], ignore_index=True)
    if state_codes is not None:
        out = out[out["state_code"].isin(state_codes)]
    out = out.dropna(subset=["value"]).astype({"value": "int64", "months": "int64", "parts_missing": "int64"})
    cols = ["state_code", "year", "value", "months", "parts_missing", *LABELLED]
    return out[cols].sort_values(["series", "state_code", "year"]).reset_index(drop=True)


def state_overlap(state_codes=None, year_basis: str = "occurrence") -> pd.DataFrame:
    """Where INEGI deaths and a SESNSP series both cover a full year: one row per state and year with each
    series in its own column and ``<series>_per_death``, its ratio to the deaths. A comparison table, not
    a series: nothing here continues one count with another."""
    long = state_homicide_sources(state_codes, year_basis, full_years=True)
    wide = long.pivot_table(index=["state_code", "year"], columns="series", values="value", aggfunc="first")
    wide = wide.dropna(subset=["inegi_deaths"])
    sesnsp = [c for c in HOMICIDE_SERIES if c != "inegi_deaths" and c in wide.columns]
    wide = wide[wide[sesnsp].notna().any(axis=1)]
    for c in sesnsp:
        wide[f"{c}_per_death"] = wide[c] / wide["inegi_deaths"]
    wide.columns.name = None
    return wide.reset_index()


def municipal_homicide_sources(codes, level: float = 0.95) -> pd.DataFrame:
    """Homicide counts for municipalities ``codes`` from every table that has them, as separate labelled
    series with exact Poisson intervals: INEGI deaths by year of occurrence (``homicides_municipal_annual``,
    2000-2021), old-instrument homicidio doloso files (``crime_municipal_annual``, 2011-2013) and
    new-instrument homicidio doloso and feminicidio files (``incidents_municipal_monthly``, 2024 and
    January-June 2025, ``months`` 6). Columns: mun_code, year, count, months, count_low, count_high, series,
    label, unit, table."""
    d = _codes_in(load("homicides_municipal_annual"), codes, "homicides_municipal_annual")
    d = d[d["year_basis"] == "occurrence"]
    deaths = _labelled(d.assign(count=d["homicides"], months=12), "inegi_deaths", "homicides_municipal_annual")
    old = municipal_crime_2011_2013(codes, "homicidio_doloso", level).assign(months=12)
    old = _labelled(old, "sesnsp_old_incidents", "crime_municipal_annual")
    new = municipal_incidents(codes, NEW_HOMICIDE, by="year", level=level)
    new = _labelled(new, "sesnsp_new_incidents", "incidents_municipal_monthly")
    out = pd.concat([with_count_ci(deaths, level=level), old, new], ignore_index=True)
    out = out.dropna(subset=["count"]).astype({"count": "int64", "months": "int64"})
    cols = ["mun_code", "year", "count", "months", "count_low", "count_high", *LABELLED]
    return out[cols].sort_values(["mun_code", "series", "year"]).reset_index(drop=True)
