"""The sourced table of treated units (militias, lost local governments, police takeovers)."""

from __future__ import annotations

import pandas as pd
import pytest

from enclaves import paths
from enclaves.cases import generic
from enclaves.data import load


def test_every_event_has_a_known_municipality_a_year_and_a_source():
    t = generic.treated_units()
    known = set(load("municipalities").mun_code.astype(str))
    assert set(t.mun_code) <= known
    assert t.source.str.contains("http").all() and t.year.between(2007, 2018).all()
    assert (paths.mappings_dir() / "treated_units.yml").is_file()
    # the comparison pools the issue named: Michoacán towns with militias, donor cities with police takeovers
    assert {"16106", "16064", "16008", "16058"} <= generic.event_codes(2014, generic.MILITIA)
    assert {"30193", "08037", "02004", "28032", "05035"} <= generic.event_codes(2012, generic.TAKEOVER)


def test_a_row_without_a_source_is_refused(tmp_path, monkeypatch):
    src = paths.mappings_dir() / "treated_units.csv"
    d = pd.read_csv(src, dtype=str, keep_default_na=False)
    d.loc[0, "source"] = "a newspaper"
    (tmp_path / "treated_units.csv").write_text(d.to_csv(index=False), encoding="utf-8")
    monkeypatch.setattr(paths, "mappings_dir", lambda: tmp_path)
    with pytest.raises(ValueError, match="row 2: every event needs a year and a source"):
        generic.treated_units()


def test_timelines_are_dated_and_sourced():
    """Every case timeline row has a date the chart can place and a source key defined in a .bib file."""
    for slug in ("tancitaro",):
        t = generic.timeline(slug)
        assert t.x.is_monotonic_increasing and t.source_key.ne("").all()
        assert t.date.str.fullmatch(r"\d{4}-\d{2}(-\d{2})?").all()
    t = generic.timeline("tancitaro").set_index("label")
    assert t.loc["Tancítaro uprising", "date"] == "2013-11-16"
    md = generic.timeline_markdown("tancitaro")
    assert md.count("{cite:p}") == len(t)
