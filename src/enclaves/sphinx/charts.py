"""Charts in the built pages.

The chart HTML written by :func:`enclaves.charts.theme.chart_html` works on its own in a notebook.
In the book, ``doctree-resolved`` turns each chart's CSV ``data:`` link into a file under
``<site>/data/charts/`` (content-addressed, so unchanged charts keep their URL) and removes the
notebook loader (it names a CDN); pages with charts load ``enclaves-charts.js``, which fetches the
local Vega bundle only when a chart comes near the screen.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

CHART_CLASS = 'class="enclaves-chart"'
_NOTEBOOK_EMBED = re.compile(r'<script class="enclaves-notebook-embed">.*?</script>', re.S)
_CSV_LINK = re.compile(r'href="data:text/csv;base64,([A-Za-z0-9+/=]+)"')


def chart_data_dir(app: Sphinx) -> Path:
    return Path(app.outdir) / "data" / "charts"


def rewrite(html: str, docname: str, outdir: Path) -> tuple[str, int]:
    """Return the chart HTML as the site serves it, and how many CSV files it refers to."""
    html = _NOTEBOOK_EMBED.sub("", html)
    count = 0
    depth = docname.count("/")

    def link(m: re.Match) -> str:
        nonlocal count
        data = base64.b64decode(m.group(1))
        name = hashlib.sha256(data).hexdigest()[:16] + ".csv"
        dest = outdir / "data" / "charts" / name
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        count += 1
        return f'href="{posixpath.join(*([".."] * depth), "data", "charts", name)}"'

    return _CSV_LINK.sub(link, html), count


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if CHART_CLASS not in text or "html" not in raw.get("format", ""):
            continue
        new, _ = rewrite(text, docname, Path(app.outdir))
        raw.replace_self(nodes.raw(new, new, format=raw["format"]))


def page_has_charts(body: str) -> bool:
    return CHART_CLASS in body
