"""Origin records, the data package, the committed tables and the loader."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from enclaves import data, paths, pipeline, sources
from enclaves.pipeline import package

ROOT = paths.root()
PROCESSED = ROOT / "data" / "processed"


# ---------------------------------------------------------------- origin records


def test_every_origin_record_is_valid():
    schema = sources.schema()
    records = sorted(paths.sources_dir().glob("*.yml"))
    assert len(records) >= 70
    for p in records:
        rec = yaml.safe_load(p.read_text(encoding="utf-8"))
        jsonschema.validate(rec, schema)
        assert rec["id"] == p.stem


def test_schema_rejects_a_bad_record():
    rec = yaml.safe_load((paths.sources_dir() / "gargiulo_state_month_homicides_2000_2022.yml").read_text())
    for mutate in (lambda r: r.pop("sha256"), lambda r: r.update(sha256="abc"),
                   lambda r: r.update(url_download="https://example.org/unpinned.csv"),
                   lambda r: r.update(license={"name": "x"})):
        bad = json.loads(json.dumps(rec))
        mutate(bad)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, sources.schema())


def test_records_agree_with_the_mirror_manifest(mirror):
    rows = {r["id"]: r for r in csv.DictReader(open(mirror / "MANIFEST.csv", encoding="utf-8"))}
    recs = sources.load_sources()
    assert set(rows) == set(recs)
    for sid, r in rows.items():
        s = recs[sid]
        assert (s.sha256, s.bytes, s.mirror_path, s.url_download) == (
            r["sha256"], int(r["bytes"]), r["local_path"], r["raw_url"]), sid


def test_every_pipeline_source_has_a_record():
    recs = sources.load_sources()
    used = {sid for t in pipeline.TABLES.values() for sid in t.sources}
    used |= {sid for s in pipeline.STEPS.values() for sid in s.sources}
    assert used <= set(recs)


# ---------------------------------------------------------------- data package


def test_datapackage_is_current():
    """The committed descriptor is exactly what the table contracts generate."""
    assert (PROCESSED / "datapackage.json").read_text(encoding="utf-8") == package.datapackage_text()


def test_frictionless_validate_passes():
    from frictionless import validate

    report = validate(str(PROCESSED / "datapackage.json"))
    errors = [e for task in report.tasks for e in task.errors][:10] if not report.valid else []
    assert report.valid, errors


def test_every_published_table_is_committed_and_nothing_else():
    published = {t.name for t in pipeline.TABLES.values() if t.publish}
    on_disk = {p.stem for p in PROCESSED.glob("*.csv")}
    assert published == on_disk


@pytest.mark.parametrize("name", sorted(t.name for t in pipeline.TABLES.values() if t.publish))
def test_dictionary_and_csv_agree(name):
    """Both ways: every CSV column is described, every described column is in the CSV."""
    res = data.resource(name)
    with open(PROCESSED / res["path"], encoding="utf-8") as f:
        header = next(csv.reader(f))
    fields = res["schema"]["fields"]
    assert header == [f["name"] for f in fields]
    assert all(len(f.get("description", "")) >= 10 for f in fields)
    assert res["sources"] and res["licenses"]


def test_committed_tables_satisfy_their_contracts():
    for t in pipeline.TABLES.values():
        if not t.publish:
            continue
        df = data.load(t.name)
        back = pipeline.conform(t, df)
        assert len(back) == len(df) > 0


def test_tables_are_small():
    for p in PROCESSED.glob("*.csv"):
        assert p.stat().st_size < 4_500_000, p.name


def test_appendix_pages_are_generated_from_the_package():
    from enclaves import appendix

    pages = appendix.render()
    committed = sorted((ROOT / "book" / "appendix" / "tables").glob("*.md")) + [ROOT / "book/appendix/data.md"]
    assert sorted(pages) == sorted(committed)
    for path, text in pages.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run `make data`"
    tables = [t.name for t in pipeline.TABLES.values() if t.publish]
    index = pages[ROOT / "book/appendix/data.md"]
    assert all(f"tables/{t}>" in index for t in tables)


def test_appendix_index_gives_every_tables_licences():
    """The index's licence column names each source licence of every table, and marks a table whose
    sources' terms grant no right to republish the values (license.redistribute: false), whose page then
    quotes what the terms say."""
    from enclaves import appendix

    pages = appendix.render()
    rows = {line.split("`")[1].split(" <")[0]: line for line in pages[ROOT / "book/appendix/data.md"].splitlines()
            if line.startswith("| {doc}`")}
    closed_tables, derived_tables = set(), set()
    for res in filter(appendix.is_table, data.package()["resources"]):
        lics, closed = appendix._licences(res)
        row = rows[res["name"]]
        assert lics and all(f"[{lic['name']}]({lic['url']})" in row for lic in lics), res["name"]
        mark = appendix.DERIVED_ONLY if res.get("derived") else appendix.NOT_FOR_REUSE
        assert (mark in row) == bool(closed), res["name"]
        page = pages[ROOT / "book" / "appendix" / "tables" / f"{res['name']}.md"]
        assert ("## Terms of use" in page) == bool(closed)
        if closed:
            (derived_tables if res.get("derived") else closed_tables).add(res["name"])
            assert all(e in page for r in closed for e in r.license["evidence"])
    # WJP's scores may not be republished: only statistics derived from them are
    assert closed_tables == set() and derived_tables == {"wjp_state_associations"}
    assert not (PROCESSED / "wjp_state.csv").exists()


def test_no_published_table_republishes_closed_values():
    """A published table whose sources' terms forbid republishing must be marked derived and must not carry
    any column of the closed source's own table (scores, ranks)."""
    from enclaves import appendix
    from enclaves.pipeline.core import TABLES

    for res in filter(appendix.is_table, data.package()["resources"]):
        _, closed = appendix._licences(res)
        if closed:
            assert res.get("derived") is True, res["name"]
            assert not {"score", "rank", "rank_change"} & set(TABLES[res["name"]].column_names), res["name"]


# ---------------------------------------------------------------- reproducibility


def test_rebuild_from_mirror_reproduces_committed_tables(raw_ready, tmp_path):
    """`make data` from the mirror gives byte-identical processed files."""
    pipeline.run(out_dir=tmp_path)
    for p in sorted(tmp_path.iterdir()):
        committed = PROCESSED / p.name
        assert committed.is_file(), p.name
        assert p.read_bytes() == committed.read_bytes(), f"{p.name} differs from the committed file"


# ---------------------------------------------------------------- the loader


def test_load_types_and_codes():
    df = data.load("homicides_municipal_annual")
    assert str(df["mun_code"].dtype) == "string" and df["mun_code"].str.len().eq(5).all()
    assert str(df["homicides"].dtype) == "Int64" and str(df["homicide_rate"].dtype) == "float64"
    row = df[(df.mun_code == "16083") & (df.year == 2015) & (df.year_basis == "occurrence")]
    assert row["homicides"].tolist() == [2]


def test_load_works_from_any_directory(tmp_path):
    code = ("import enclaves.data as d; df = d.load('municipalities'); "
            "print(df.loc[df.mun_code == '16083', 'mun_name'].iloc[0])")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Tancítaro"


def test_load_unknown_table_names_the_choices():
    with pytest.raises(KeyError, match="municipalities"):
        data.load("no_such_table")
