"""``data/processed/datapackage.json`` (Frictionless Data Package) from the table contracts."""

from __future__ import annotations

from .. import sources as srcmod
from .core import ASSETS, TABLES, Asset, Table, dumps

PACKAGE_NAME = "seceding-for-safety"


def _field(c) -> dict:
    f = {"name": c.name, "type": c.type, "description": c.description}
    if c.unit:
        f["unit"] = c.unit
    cons = {}
    if c.required:
        cons["required"] = True
    if c.enum is not None:
        cons["enum"] = list(c.enum)
    if c.minimum is not None:
        cons["minimum"] = int(c.minimum) if c.type == "integer" else c.minimum
    if c.maximum is not None:
        cons["maximum"] = int(c.maximum) if c.type == "integer" else c.maximum
    if c.pattern is not None:
        cons["pattern"] = c.pattern
    if cons:
        f["constraints"] = cons
    return f


def _sources(ids) -> tuple[list[dict], list[dict]]:
    recs = srcmod.load_sources()
    srcs, lics = [], []
    for sid in ids:
        r = recs[sid]
        srcs.append({"title": r.title, "path": r.url_download, "id": r.id,
                     "producer": r.producer, "citation": r.citation})
        lic = {"name": r.license.get("name", ""), "path": r.license.get("url", "")}
        if lic not in lics:
            lics.append(lic)
    return srcs, lics


def resource(t: Table) -> dict:
    srcs, lics = _sources(t.sources)
    return {
        "name": t.name,
        "path": f"{t.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": t.title,
        "description": t.description,
        "family": t.family,
        "chapters": list(t.chapters),
        "caveats": list(t.caveats),
        **({"derived": True} if t.derived else {}),
        "schema": {"fields": [_field(c) for c in t.columns],
                   "primaryKey": list(t.primary_key),
                   "missingValues": [""]},
        "sources": srcs,
        "licenses": lics,
    }


def asset_resource(a: Asset) -> dict:
    """A file that is not a table (map geometry): a plain data resource, with its objects described."""
    srcs, lics = _sources(a.sources)
    return {
        "name": a.name,
        "path": a.path,
        "profile": "data-resource",
        "format": a.format,
        "mediatype": a.mediatype,
        "encoding": "utf-8",
        "title": a.title,
        "description": a.description,
        "family": a.family,
        "chapters": list(a.chapters),
        "caveats": list(a.caveats),
        "objects": [{"name": n, "description": d} for n, d in a.objects],
        "sources": srcs,
        "licenses": lics,
    }


def datapackage() -> dict:
    tables = [resource(t) for t in sorted(TABLES.values(), key=lambda t: t.name) if t.publish]
    assets = [asset_resource(a) for a in sorted(ASSETS.values(), key=lambda a: a.name)]
    return {
        # a tabular package holds tables only: with map geometry it is a plain data package
        "profile": "data-package" if assets else "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Seceding for Safety: processed tables",
        "description": ("Small tidy tables, and map geometry (TopoJSON), derived from pinned public upstream "
                        "files (INEGI, CONAPO, SESNSP, SIAP, Banxico, WJP, Magar) by the enclaves pipeline. "
                        "Every value traces to a source record in data/sources/."),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0 (compilation); each resource keeps "
                               "the terms of its sources"}],
        "resources": tables + assets,
    }


def datapackage_text() -> str:
    return dumps(datapackage())
