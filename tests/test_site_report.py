"""tools/site_report.py: the before/after table reports each page's measures, and pages only one side has."""

from __future__ import annotations

import importlib.util

from enclaves import paths

_spec = importlib.util.spec_from_file_location("site_report", paths.root() / "tools" / "site_report.py")
site_report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_report)


def _m(kb, p, desktop=None):
    return {"bytes": kb * 1024, "mobile": {"performance": p, "accessibility": 1, "best-practices": 1, "seo": 0.9},
            **({"desktop": desktop} if desktop is not None else {})}


def test_table_rows():
    before = {"a.html": _m(980, 0.56, 0.94), "old.html": _m(10, 0.9)}
    after = {"a.html": _m(441, 0.99, 1.0), "new.html": _m(126, 0.98)}
    rows = site_report.table(before, after).splitlines()
    assert len(rows) == 2 + 3
    assert rows[2] == ("| a.html | 980 | 441 | 0.56 / 1.00 / 1.00 / 0.90 | 0.99 / 1.00 / 1.00 / 0.90 | 0.94 | 1.00 |")
    assert rows[3].startswith("| new.html | — | 126 | — |")
    assert rows[4].startswith("| old.html | 10 | — |")
