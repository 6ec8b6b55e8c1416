"""``data/processed/datapackage.json`` (Frictionless Data Package) from the table contracts."""

from __future__ import annotations

from .. import sources as srcmod
from .core import TABLES, Table, dumps

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


def resource(t: Table) -> dict:
    recs = srcmod.load_sources()
    srcs, lics = [], []
    for sid in t.sources:
        r = recs[sid]
        srcs.append({"title": r.title, "path": r.url_download, "id": r.id,
                     "producer": r.producer, "citation": r.citation})
        lic = {"name": r.license.get("name", ""), "path": r.license.get("url", "")}
        if lic not in lics:
            lics.append(lic)
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
        "schema": {"fields": [_field(c) for c in t.columns],
                   "primaryKey": list(t.primary_key),
                   "missingValues": [""]},
        "sources": srcs,
        "licenses": lics,
    }


def datapackage() -> dict:
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Seceding for Safety: processed tables",
        "description": ("Small tidy tables derived from pinned public upstream files (INEGI, CONAPO, "
                        "SESNSP, SIAP, Banxico, WJP, Magar) by the enclaves pipeline. "
                        "Every value traces to a source record in data/sources/."),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0 (compilation); each resource keeps "
                               "the terms of its sources"}],
        "resources": [resource(t) for t in sorted(TABLES.values(), key=lambda t: t.name) if t.publish],
    }


def datapackage_text() -> str:
    return dumps(datapackage())
