"""The book's "Data and sources" appendix, generated from ``datapackage.json``.

``write_pages()`` writes ``book/appendix/data.md`` (the index) and one page per table (and per map
geometry file) in ``book/appendix/tables/``. The pipeline calls it after every successful run, and a test checks
that the committed pages equal what the data package generates, so the two never disagree.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import data, paths, sources
from .cases import registry

#: Chapters that are not cases; the cases' pages come from the registry (data/mappings/cases.csv).
OTHER_DOCS = {
    "introduction": "/book/introduction",
    "cross_case": "/book/analysis/cross_case",
    "claims_ledger": "/book/analysis/claims_ledger",
}


def chapter_docs() -> dict[str, str]:
    """Chapter name (as a table's ``chapters`` list in the data package names it) → page."""
    return {**OTHER_DOCS, **{c.slug: c.doc for c in registry.cases()}}
SITE_DATA_DIR = "data"  # where the build copies the CSVs (see enclaves.sphinx)


def _coverage(df: pd.DataFrame) -> list[str]:
    out = [f"{len(df):,} rows"]
    if "year" in df.columns and df["year"].notna().any():
        out.append(f"years {int(df['year'].min())}–{int(df['year'].max())}")
    if "edition" in df.columns and df["edition"].notna().any():
        out.append(f"editions {int(df['edition'].min())}–{int(df['edition'].max())}")
    if "mun_code" in df.columns:
        out.append(f"{df['mun_code'].nunique():,} municipalities")
    if "state_code" in df.columns:
        n = df.loc[df["state_code"] != "00", "state_code"].nunique()
        nat = " and the nation" if (df["state_code"] == "00").any() else ""
        out.append(f"{n} states{nat}")
    return out


def _esc(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _constraints(f: dict) -> str:
    c = f.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    if "maximum" in c:
        parts.append(f"≤ {c['maximum']}")
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`")
    return "; ".join(parts)


def _licences(res: dict) -> tuple[list[dict], list]:
    """The distinct licences of a resource's sources (their origin records), and the records whose terms
    grant no right to republish the values (``license.redistribute: false``)."""
    recs = sources.load_sources()
    lics: list[dict] = []
    closed = []
    for s in res["sources"]:
        r = recs[s["id"]]
        if r.license not in lics:
            lics.append(r.license)
        if r.license.get("redistribute") is False and r not in closed:
            closed.append(r)
    return lics, closed


def _licence_link(lic: dict) -> str:
    return f"[{_esc(lic['name'])}]({lic['url']})" if lic.get("url") else _esc(lic["name"])


#: How the index marks a table whose sources' terms do not allow republishing its values.
NOT_FOR_REUSE = "**not licensed for redistribution**"
#: How the index marks a table of statistics derived from such sources (it carries none of their values).
DERIVED_ONLY = "**derived statistics only: the source values are not licensed for redistribution**"


def table_page(res: dict, df: pd.DataFrame) -> str:
    name = res["name"]
    lines = [f"(data-{name.replace('_', '-')})=", f"# `{name}`", "", f"**{res['title']}.** {res['description']}", ""]
    lines += ["```{list-table}", ":stub-columns: 1", ""]
    lines += ["* - Coverage", "  - " + "; ".join(_coverage(df))]
    lines += ["* - Primary key", "  - " + ", ".join(f"`{k}`" for k in res["schema"]["primaryKey"])]
    docs = chapter_docs()
    chapters = [c for c in res.get("chapters", [])]
    ch = ", ".join("every chapter" if c == "all" else f"{{doc}}`{docs[c]}`" if c in docs
                   else c for c in chapters) or "—"
    lines += ["* - Used in", "  - " + ch]
    href = "../../../" + SITE_DATA_DIR + "/" + res["path"]
    lines += ["* - Download", f'  - <a href="{href}">{res["path"]}</a> (CSV, UTF-8)', "```", ""]
    lines += _sources_section(res)
    if res.get("caveats"):
        lines += ["## Caveats", ""] + [f"- {_esc(c)}" for c in res["caveats"]] + [""]
    lines += ["## Columns", "", "| column | type | unit | description | constraints |", "|---|---|---|---|---|"]
    for f in res["schema"]["fields"]:
        lines.append(f"| `{f['name']}` | {f['type']} | {_esc(f.get('unit', ''))} | {_esc(f['description'])} | "
                     f"{_esc(_constraints(f))} |")
    lines += ["", "Load it in a chapter or notebook with:", "", "```python", "from enclaves.data import load",
              f'df = load("{name}")', "```", ""]
    return "\n".join(lines)


def _sources_section(res: dict) -> list[str]:
    recs = sources.load_sources()
    lines = ["## Sources", ""]
    groups: dict[tuple, list] = {}
    for s in res["sources"]:
        r = recs[s["id"]]
        groups.setdefault((r.distributor.get("repository"), r.distributor.get("commit"), r.url_main), []).append(r)
    for rs in groups.values():
        r = rs[0]
        lic = _licence_link(r.license)
        if len(rs) == 1:
            lines += [f"- **{_esc(r.attribution_short.rstrip('.'))}.** {_esc(r.citation)} Licence: {lic}. "
                      f"sha256 `{r.sha256[:16]}…`; origin record `data/sources/{r.id}.yml`."]
        else:
            files = ", ".join(f"`{Path(x.mirror_path).name}`" for x in rs)
            lines += [f"- **{_esc(r.attribution_short)}**, {len(rs)} files ({files}), each like this: "
                      f"{_esc(r.citation)} Licence: {lic}. Each file's sha256 is in its origin record "
                      f"(`data/sources/{rs[0].id}.yml` … `{rs[-1].id}.yml`)."]
    lines += [""]
    _, closed = _licences(res)
    if closed and res.get("derived"):
        lines += ["## Terms of use", "",
                  "The producer's published terms grant no right to republish its values, so this table "
                  "carries none of them: only statistics the book computed from them (correlations, their "
                  "intervals and counts), from which no value can be recovered. The values stay inside the "
                  "pipeline, which reads them from the pinned raw files. What the terms we found say (checked "
                  f"{', '.join(sorted({r.license['checked'] for r in closed}))}):", ""]
        evidence = dict.fromkeys(e for r in closed for e in r.license["evidence"])
        lines += [f"- {_esc(e)}" for e in evidence] + [""]
    elif closed:
        lines += ["## Terms of use", "",
                  "The producer's published terms grant no right to republish these values: do not reuse them "
                  "without the producer's permission. What the terms we found say (checked "
                  f"{', '.join(sorted({r.license['checked'] for r in closed}))}):", ""]
        evidence = dict.fromkeys(e for r in closed for e in r.license["evidence"])
        lines += [f"- {_esc(e)}" for e in evidence] + [""]
    return lines


def is_table(res: dict) -> bool:
    """A resource that is a table (a CSV); the others are map geometry (TopoJSON)."""
    return res.get("profile") == "tabular-data-resource"


def _size(res: dict) -> str:
    import gzip

    raw = (paths.processed_dir() / res["path"]).read_bytes()
    return f"{len(raw) / 1000:,.0f} kB ({len(gzip.compress(raw, 9)) / 1000:,.0f} kB compressed)"


def asset_page(res: dict) -> str:
    """The page of a file that is not a table: what its objects hold, its sources and caveats."""
    name = res["name"]
    lines = [f"(data-{name.replace('_', '-')})=", f"# `{name}`", "", f"**{res['title']}.** {res['description']}", ""]
    lines += ["```{list-table}", ":stub-columns: 1", ""]
    lines += ["* - Objects", "  - " + "; ".join(f"`{o['name']}`: {_esc(o['description'])}" for o in res["objects"])]
    lines += ["* - Size", "  - " + _size(res)]
    docs = chapter_docs()
    ch = ", ".join(f"{{doc}}`{docs[c]}`" if c in docs else c for c in res.get("chapters", [])) or "—"
    lines += ["* - Used in", "  - " + ch]
    href = "../../../" + SITE_DATA_DIR + "/" + res["path"]
    lines += ["* - Download", f'  - <a href="{href}">{res["path"]}</a> (TopoJSON, UTF-8)', "```", ""]
    lines += _sources_section(res)
    if res.get("caveats"):
        lines += ["## Caveats", ""] + [f"- {_esc(c)}" for c in res["caveats"]] + [""]
    lines += ["Draw it in a chapter or notebook with the map builders of `enclaves.charts` (`locator_map`, "
              "`choropleth`), or read it with:", "", "```python", "from enclaves.charts import maps",
              f'topology = maps.topology("{name}")', "```", ""]
    return "\n".join(lines)


def index_page(pkg: dict, frames: dict[str, pd.DataFrame]) -> str:
    lines = ["(appendix-data)=", "# Data and sources", "",
             "Every number in this book is computed from the tables below. Each is produced by the `enclaves` "
             "pipeline from pinned copies of public upstream files, each checked against a recorded checksum "
             "before use; the pipeline validates every input and output and stops, naming the file, the row "
             "and the rule, when anything is out of place. The tables and their descriptor "
             f'(<a href="../../{SITE_DATA_DIR}/datapackage.json">datapackage.json</a>, a Frictionless Data '
             "Package) are published with the book. This appendix is generated from that descriptor.", "",
             "| table | what it holds | coverage | licence of its sources |", "|---|---|---|---|"]
    closed_tables, derived_tables = [], []
    for res in filter(is_table, pkg["resources"]):
        cov = "; ".join(_coverage(frames[res["name"]]))
        lics, closed = _licences(res)
        mark = DERIVED_ONLY if res.get("derived") else NOT_FOR_REUSE
        lic = "; ".join(_licence_link(x) for x in lics) + (f" ({mark})" if closed else "")
        closed_tables += [res["name"]] if closed and not res.get("derived") else []
        derived_tables += [res["name"]] if closed and res.get("derived") else []
        lines.append(f"| {{doc}}`{res['name']} <tables/{res['name']}>` | {_esc(res['title'])} | {cov} | {lic} |")
    maps = [r for r in pkg["resources"] if not is_table(r)]
    if maps:
        lines += ["", "## Map geometry", "", "The maps draw boundaries from these TopoJSON files, made by the same "
                  "pipeline and published beside the tables.", "", "| file | what it holds | size |", "|---|---|---|"]
        for res in maps:
            lines.append(f"| {{doc}}`{res['name']} <tables/{res['name']}>` | {_esc(res['title'])} | {_size(res)} |")
    lines += ["", "## Licences", "",
              "The compilation is offered under CC BY 4.0; each table keeps the terms of its sources, listed "
              "in the table above and on its page. Most are Mexican government open data (INEGI's terms of free "
              "use, Libre Uso MX) redistributed through public repositories whose own licences are also given.", ""]
    if closed_tables:
        names = ", ".join(f"{{doc}}`{n} <tables/{n}>`" for n in closed_tables)
        if len(closed_tables) == 1:
            text = (f"The exception is {names}: its producer reserves all rights, and we found no terms that "
                    "allow republishing its values (what we found is on its page). It is not covered by the "
                    "CC BY 4.0 offer: do not reuse its values without the producer's permission.")
        else:
            text = (f"The exceptions are {names}: their producers reserve all rights, and we found no terms that "
                    "allow republishing their values (what we found is on each table's page). They are not covered "
                    "by the CC BY 4.0 offer: do not reuse their values without the producers' permission.")
        lines += [text, ""]
    for n in derived_tables:
        lines += [f"{{doc}}`{n} <tables/{n}>` holds only statistics the book computed from values whose producer "
                  "reserves all rights (what we found is on its page); the values themselves are not published.", ""]
    return "\n".join(lines)


def render() -> dict[Path, str]:
    """{path: text} for the index and every table page."""
    pkg = data.package()
    book = paths.root() / "book" / "appendix"
    frames = {r["name"]: data.load(r["name"]) for r in pkg["resources"] if is_table(r)}
    out = {book / "data.md": index_page(pkg, frames)}
    for res in pkg["resources"]:
        page = table_page(res, frames[res["name"]]) if is_table(res) else asset_page(res)
        out[book / "tables" / f"{res['name']}.md"] = page
    return out


def write_pages() -> list[Path]:
    data.package.cache_clear()
    pages = render()
    tables_dir = paths.root() / "book" / "appendix" / "tables"
    tables_dir.mkdir(parents=True, exist_ok=True)
    for old in tables_dir.glob("*.md"):
        if old not in pages:
            old.unlink()
    for p, text in pages.items():
        tmp = p.with_suffix(".md.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, p)
    return sorted(pages)
