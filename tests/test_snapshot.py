"""Refactors change no number, verdict or chart: every chapter's glued values, the specification of every
chart and the claims ledger equal the snapshot in tests/fixtures/book_snapshot.json (see tests/snapshot.py,
which also rewrites the fixture when a change is meant: ``python tests/snapshot.py write --built``)."""

from __future__ import annotations

import json

import pytest
import snapshot


@pytest.fixture(scope="module")
def fixture() -> dict:
    return json.loads(snapshot.FIXTURE.read_text(encoding="utf-8"))


def test_the_fixture_covers_every_chapter_that_runs_code(fixture):
    assert set(fixture["chapters"]) == set(snapshot.CHAPTERS)
    assert sum(len(c["glue"]) for c in fixture["chapters"].values()) > 1000
    assert sum(len(c["charts"]) for c in fixture["chapters"].values()) >= 40


def test_the_claims_ledger_is_unchanged(fixture):
    assert snapshot.ledger() == fixture["ledger"]


@pytest.mark.parametrize("chapter", snapshot.CHAPTERS)
def test_built_chapter_matches_the_snapshot(built_book, fixture, chapter):
    got = snapshot.built(chapter)
    assert snapshot.diff(fixture["chapters"][chapter], got) == []


def test_the_comparison_catches_a_changed_number_and_a_changed_chart(fixture):
    ch = fixture["chapters"]["book/cases/tancitaro.md"]
    key = sorted(ch["glue"])[0]
    changed = {"glue": {**ch["glue"], key: ch["glue"][key] + "1"}, "charts": ch["charts"][::-1]}
    d = snapshot.diff(ch, changed)
    assert any(line.startswith(f"{key}:") for line in d) and any(line.startswith("charts differ") for line in d)
    missing = {"glue": {k: v for k, v in ch["glue"].items() if k != key}, "charts": ch["charts"]}
    assert snapshot.diff(ch, missing) == [f"missing glue key {key} (was {ch['glue'][key]!r})"]
