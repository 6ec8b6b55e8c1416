"""The one table of cases (data/mappings/cases.csv) and the one interface every case package answers."""

from __future__ import annotations

import shutil

import pytest

from enclaves import appendix, claims, geo, paths
from enclaves.cases import base, registry


@pytest.fixture
def table(tmp_path, monkeypatch):
    """A copy of data/mappings the registry reads; yields the path of its cases.csv."""
    m = tmp_path / "data" / "mappings"
    shutil.copytree(paths.mappings_dir(), m)
    monkeypatch.setattr(paths, "mappings_dir", lambda: m)
    registry.clear()
    yield m / "cases.csv"
    registry.clear()


def test_every_part_of_the_book_reads_the_cases_from_the_table():
    cases = registry.cases()
    assert [c.slug for c in cases] == ["tancitaro", "monterrey", "nezahualcoyotl", "cheran"]
    assert geo.case_codes() == {c.slug: c.mun_code for c in cases}
    docs = appendix.chapter_docs()
    for c in cases:
        assert docs[c.slug] == claims.case_doc(c.slug) == c.doc == f"/book/cases/{c.slug}"
        assert registry.claim_module(c.slug) == f"enclaves.cases.{c.slug}"
        assert c.break_year is not None
        assert c.origin == (registry.BEYOND if c.slug == "cheran" else registry.SOURCE_REPORTING)
    assert claims.case_doc("cross_case") == "/book/analysis/cross_case"
    assert {c.case for c in claims.registry().values()} <= {*registry.slugs(), *registry.ANALYSES}


@pytest.mark.parametrize("slug", ["tancitaro", "monterrey", "nezahualcoyotl", "cheran"])
def test_each_case_package_answers_the_common_interface(slug):
    mod = registry.module(slug)
    assert base.check_package(mod) == []
    assert mod.CASE == registry.get(slug) and mod.SLUG == slug
    for sub in base.MODULES:
        assert (paths.root() / "src" / "enclaves" / "cases" / slug / f"{sub}.py").is_file()
    cf = mod.counterfactual()
    assert isinstance(cf, base.Counterfactual)
    assert cf.main.treated == mod.CASE.mun_code and cf.start == cf.main.start
    assert set(cf.summary()) == {"first_year", "last_year", "att", "att_pct", "pre_rmspe", "ratio", "p_value",
                                 "donors"}
    n = mod.numbers()
    assert n and all(isinstance(k, str) for k in n)
    assert all(v is None or type(v) in (bool, int, float, str) for v in n.values()), "numbers must be plain"


def test_every_case_package_has_the_same_module_names():
    root = paths.root() / "src" / "enclaves" / "cases"
    names = {p.name: sorted(f.stem for f in p.glob("*.py")) for p in root.iterdir() if (p / "__init__.py").is_file()}
    cases = {k: v for k, v in names.items() if k in registry.slugs()}
    assert cases and all(v == sorted(["__init__", *base.MODULES]) for v in cases.values()), names


@pytest.mark.parametrize("edit,message", [
    (lambda t: t.replace(",origin", ",source"), "columns must be"),
    (lambda t: t.replace("source reporting\n", "hearsay\n", 1), "origin must be one of"),
    (lambda t: t.replace(",16083,16,", ",19083,16,", 1), "is not a municipality of state"),
    (lambda t: t.replace(",2014,", ",late 2013,", 1), "break_year must be a year"),
    (lambda t: t + t.splitlines()[1] + "\n", "a slug appears twice"),
])
def test_a_bad_table_is_refused_with_its_row(table, edit, message):
    table.write_text(edit(table.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        registry.cases()


def test_an_undated_case_is_listed_but_not_placed_in_time(table):
    row = "nahuatzen,Nahuatzen,16056,16,Michoacán,x,y,z,,,beyond the source reporting\n"
    table.write_text(table.read_text(encoding="utf-8") + row, encoding="utf-8")
    assert registry.get("nahuatzen").break_year is None
    assert "nahuatzen" in registry.slugs() and "nahuatzen" not in {c.slug for c in registry.dated()}
    with pytest.raises(KeyError, match="no case 'zamora'"):
        registry.get("zamora")
