"""enclaves.series: homicide counts from several instruments, kept as separate labelled series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from enclaves import series as S
from enclaves.data import load

CASES = ["16083", "19039", "15058"]


# ---------------------------------------------------------------- exact intervals


def test_count_intervals_match_the_poisson_tails():
    """Garwood's interval: P(X >= k | low) = P(X <= k | high) = 2.5% (checked with scipy's Poisson)."""
    df = S.with_count_ci(pd.DataFrame({"count": pd.array([0, 1, 3, 8, 274, pd.NA], dtype="Int64")}))
    ok = df.iloc[1:5]
    assert np.allclose(sps.poisson.sf(ok["count"].astype(int) - 1, ok["count_low"]), 0.025)
    assert np.allclose(sps.poisson.cdf(df["count"].iloc[:5].astype(int), df["count_high"].iloc[:5]), 0.025)
    assert df["count_low"].iloc[0] == 0
    assert np.isnan(df["count_low"].iloc[5]) and np.isnan(df["count_high"].iloc[5])


# ---------------------------------------------------------------- municipal, new instrument 2024-2025


def test_municipal_incidents_readme_spot_values():
    """README 2.7: homicidio doloso, Tancítaro 8 / 3, Monterrey 274 / 96, Nezahualcóyotl 74 / 37."""
    df = S.municipal_incidents(CASES)
    got = {(r.mun_code, r.year): (r.count, r.months) for r in df.itertuples()}
    assert got == {("16083", 2024): (8, 12), ("16083", 2025): (3, 6), ("19039", 2024): (274, 12),
                   ("19039", 2025): (96, 6), ("15058", 2024): (74, 12), ("15058", 2025): (37, 6)}
    assert (df["count_low"] < df["count"]).all() and (df["count_high"] > df["count"]).all()
    assert set(df["unit"]) == {"investigation files"}


def test_municipal_incidents_monthly_pooled_and_crimes():
    m = S.municipal_incidents("16083", by="month")
    assert len(m) == 18 and set(m["months"]) == {1}
    assert m.groupby("year")["count"].sum().to_dict() == {2024: 8, 2025: 3}
    pooled = S.municipal_incidents(CASES, pooled=True)
    assert pooled.set_index("year")["count"].to_dict() == {2024: 8 + 274 + 74, 2025: 3 + 96 + 37}
    both = S.municipal_incidents("19039", crimes=["homicidio_doloso", "feminicidio"])
    raw = load("incidents_municipal_monthly")
    raw = raw[raw.mun_code == "19039"]
    assert both.set_index("year")["count"].to_dict() == \
        (raw["homicidio_doloso"] + raw["feminicidio"]).groupby(raw["year"]).sum().to_dict()


def test_municipal_incidents_refuses_unknown_codes_and_crimes():
    with pytest.raises(KeyError, match="16999"):
        S.municipal_incidents(["16083", "16999"])
    with pytest.raises(ValueError, match="crimes must be among"):
        S.municipal_incidents("16083", crimes="secuestro")
    with pytest.raises(ValueError):
        S.municipal_incidents("16083", by="week")


# ---------------------------------------------------------------- municipal, old instrument 2011-2013


def test_municipal_crime_2011_2013_readme_spot_values():
    """README 2.8: Tancítaro homicide / kidnapping 11 / 2, 6 / 1, 15 / 5; Monterrey and Neza homicide."""
    df = S.municipal_crime_2011_2013(CASES).set_index(["mun_code", "crime", "year"])["count"]
    for code, crime, values in (("16083", "homicidio_doloso", (11, 6, 15)), ("16083", "secuestro", (2, 1, 5)),
                                ("19039", "homicidio_doloso", (700, 551, 266)),
                                ("15058", "homicidio_doloso", (137, 171, 169))):
        assert [int(df[(code, crime, y)]) for y in (2011, 2012, 2013)] == list(values)


def test_municipal_crime_2011_2013_keeps_missing_missing():
    """Tala (14083) has no kidnapping row upstream in 2011: an empty count and interval, not zero."""
    df = S.municipal_crime_2011_2013("14083", ["secuestro", "total"])
    row = df[(df.year == 2011) & (df.crime == "secuestro")].iloc[0]
    assert pd.isna(row["count"]) and np.isnan(row["count_low"]) and np.isnan(row["count_high"])
    # a municipality absent in 2011 (most of Oaxaca) has rows for 2012-2013 only
    assert sorted(S.municipal_crime_2011_2013("20001", "total")["year"]) == [2012, 2013]
    with pytest.raises(ValueError, match="crimes must be among"):
        S.municipal_crime_2011_2013("16083", "extorsion")


# ---------------------------------------------------------------- labelled, never spliced


def test_state_sources_are_separate_labelled_series():
    df = S.state_homicide_sources(["16", "00"])
    assert set(df["series"]) == set(S.HOMICIDE_SERIES)
    assert df.groupby("series")["label"].nunique().eq(1).all() and df["label"].nunique() == len(S.HOMICIDE_SERIES)
    assert not df.duplicated(["state_code", "year", "series"]).any()
    v = df.set_index(["state_code", "series", "year"])["value"]
    # README 2.1 (old incidents) and 2.5 (new victims, with feminicidio added as the old instrument counted it)
    assert v[("16", "sesnsp_old_incidents", 2013)] == 902
    a = load("crime_state_annual")
    fem = a[(a.state_code == "16") & (a.year == 2018) & (a.crime == "feminicidio") & (a.series == "sesnsp_new")]
    assert v[("16", "sesnsp_new_victims", 2018)] == 1_623 + int(fem[fem.unit == "victims"]["value"].iloc[0])
    assert v[("16", "sesnsp_new_incidents", 2018)] == 1_338 + int(fem[fem.unit == "incidents"]["value"].iloc[0])
    h = load("homicides_state_annual")
    assert v[("16", "inegi_deaths", 2018)] == int(h[(h.state_code == "16") & (h.year == 2018)
                                                      & (h.year_basis == "occurrence")]["homicides"].iloc[0])
    # full years only by default: the new series stops at 2024 (2025 = January-June), the old one at 2014
    assert df[df.series == "sesnsp_new_incidents"]["year"].max() == 2024
    part = S.state_homicide_sources(["16"], full_years=False)
    assert part[(part.series == "sesnsp_new_incidents") & (part.year == 2025)]["months"].tolist() == [6]


def test_state_overlap_compares_only_where_both_exist():
    df = S.state_overlap(["16"])
    assert df["inegi_deaths"].notna().all()
    assert (df["year"].min(), df["year"].max()) == (2000, 2022)  # deaths by occurrence end in 2022
    new = df.dropna(subset=["sesnsp_new_incidents"])
    assert (new["year"].min(), new["year"].max()) == (2015, 2022)
    assert np.allclose(new["sesnsp_new_incidents_per_death"], new["sesnsp_new_incidents"] / new["inegi_deaths"])
    assert df[df.year <= 2014]["sesnsp_new_incidents"].isna().all()


def test_municipal_sources_keep_each_instrument_apart():
    df = S.municipal_homicide_sources("16083")
    spans = df.groupby("series")["year"].agg(["min", "max"]).apply(tuple, axis=1).to_dict()
    assert spans == {"inegi_deaths": (2000, 2021), "sesnsp_old_incidents": (2011, 2013),
                     "sesnsp_new_incidents": (2024, 2025)}
    assert set(df["unit"]) == {"deaths", "investigation files"}
    assert not df.duplicated(["year", "series"]).any()
    new = df[df.series == "sesnsp_new_incidents"].set_index("year")
    raw = load("incidents_municipal_monthly")
    raw = raw[raw.mun_code == "16083"]
    assert new["count"].to_dict() == (raw["homicidio_doloso"] + raw["feminicidio"]).groupby(raw["year"]).sum().to_dict()
    assert new.loc[2025, "months"] == 6


def test_since_population_is_the_2020_census_count_and_files_since_divides_by_it():
    """The one denominator of every case's 2024-2025 file rates: the census count of SINCE_POP_YEAR, summed."""
    from enclaves import data, stats

    m = data.load("marginalization_municipal")
    m = m[m.year == S.SINCE_POP_YEAR].set_index("mun_code")["population"]
    codes = ["16083", "16024"]
    assert S.since_population(codes) == int(m[codes].sum())
    assert S.since_population(state="16") == int(m[m.index.str.startswith("16")].sum())
    assert S.since_populations("19").sum() == pytest.approx(m[m.index.str.startswith("19")].sum())
    inc = data.load("incidents_municipal_monthly")
    inc = inc[inc.mun_code.isin(codes)]
    files = float((inc.homicidio_doloso + inc.feminicidio).sum())
    months = int(inc.groupby("year")["month"].nunique().sum())
    f = S.files_since(codes, "two towns")
    py = float(m[codes].sum()) * months / 12
    assert (f["files"], f["months"]) == (files, months)
    assert f["rate"] == pytest.approx(files / py * 1e5)
    assert f["rate_low"] == pytest.approx(float(stats.rate_ci([files], [py]).rate_low.iloc[0]))
    with pytest.raises(KeyError):
        S.since_population(["99999"])
