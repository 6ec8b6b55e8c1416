"""The front page's findings come from the claims ledger, unchanged."""

from __future__ import annotations

import pytest

from enclaves import claims, front


def test_verdict_counts_are_the_ledgers():
    t = claims.ledger()
    counts = front.verdict_counts()
    assert sum(counts.values()) == len(t)
    for v, n in counts.items():
        assert n == int((t["verdict"] == v).sum())


def test_x1_is_the_ledgers_central_claim():
    row = front.x1()
    t = claims.ledger().set_index("id")
    assert row["verdict"] == t.loc["X1", "verdict"]
    assert row["place"] == front.ACROSS


def test_verdict_chart_has_one_tile_per_claim_and_every_case():
    spec = front.chart_verdicts().to_dict()
    rows = next(d for d in spec["datasets"].values() if isinstance(d, list))
    assert sorted(r["id"] for r in rows) == sorted(claims.ledger()["id"])
    from enclaves.cases import registry

    assert {c.name for c in registry.cases()} <= {r["place"] for r in rows}
    assert spec["description"].startswith(f"Tile chart of the {len(rows)} claims")


def test_national_map_rates_are_pooled_deaths_over_pooled_population():
    from enclaves import data

    d = front.municipal_period_rates()
    h = data.load("homicides_municipal_annual")
    t = h[(h.mun_code == "16083") & (h.year_basis == "occurrence") & h.year.between(2006, 2011)]
    want = round(t.homicides.sum() / t.population.sum() * 1e5, 1)
    got = d[(d.mun_code == "16083") & (d.period == "2006–2011")]
    assert got.rate.iloc[0] == want and int(got.homicides.iloc[0]) == t.homicides.sum()
    assert set(d.period) == set(front.MAP_PERIODS)
    assert not d.duplicated(["mun_code", "period"]).any()


def test_files_per_death_divide_sesnsp_counts_by_inegi_deaths_of_the_same_year():
    """The introduction's ratios: national SESNSP files (homicidio doloso + feminicidio, new instrument) over
    INEGI deaths by year of occurrence, computed here from the two tables directly; old and new instruments are
    separate series that never share a year in one line."""
    from enclaves import data

    d = front.incidents_per_death("00")
    h = data.load("homicides_state_annual")
    h = h[(h.state_code == "00") & (h.year_basis == "occurrence")].set_index("year")["homicides"]
    c = data.load("crime_state_annual")
    c = c[(c.state_code == "00") & (c.series == "sesnsp_new") & (c.unit == "incidents")
          & c.crime.isin(["homicidio_doloso", "feminicidio"]) & (c.months_covered == 12)]
    files = c.groupby("year")["value"].sum()
    got = d[d.series == front.PER_DEATH["sesnsp_new_incidents"]].set_index("year")
    assert len(got) >= 5
    for y, row in got.iterrows():
        assert row["count"] == files[y] and row["inegi_deaths"] == h[y]
        assert row["per_death"] == pytest.approx(files[y] / h[y])
    assert not d.duplicated(["series", "year"]).any()
    n = front.incidents_per_death_numbers()
    assert n["ipd_files"] == pytest.approx(files[n["ipd_last_year"]] / h[n["ipd_last_year"]])
    assert n["ipd_state_min"] <= n["ipd_files"] <= n["ipd_state_max"]
