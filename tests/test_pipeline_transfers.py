"""FASP (Ramo 33): README 4.4 spot values, per-person amounts, and bad input."""

from __future__ import annotations

import pytest

from enclaves import pipeline, sources
from enclaves.errors import DataError
from enclaves.pipeline import transfers

pytestmark = pytest.mark.usefixtures("raw_ready")


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute(["fasp_state_annual"], acquire=False)["fasp_state_annual"]


@pytest.mark.parametrize("code,year,value", [(c, y, v) for (c, y), v in transfers.SPOT.items()])
def test_spot_values(made, code, year, value):
    r = made[(made.state_code == code) & (made.year == year)].iloc[0]
    assert r.fasp_mxn_millions == value
    assert r.fasp_per_person == pytest.approx(value * 1e6 / r.population, abs=5e-4)


def test_years_and_coverage(made):
    assert (made.year.min(), made.year.max()) == transfers.YEARS
    assert made.groupby("year").state_code.nunique().eq(33).all()


def test_a_non_numeric_amount_names_the_row(tmp_path):
    text = sources.raw(transfers.RAMO33).read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(text) if line.startswith("16,") and ",2005," in line)
    cells = text[i].split(",")
    cells[16] = "n/d"
    text[i] = ",".join(cells)
    bad = tmp_path / "r33.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row \d+.*r33_segurid|r33_segurid.*row \d+"):
        transfers.parse_ramo33(bad, transfers.RAMO33)
