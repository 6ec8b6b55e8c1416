"""Charts in the built pages.

The chart HTML written by :func:`enclaves.charts.theme.chart_html` works on its own in a notebook.
In the book, ``doctree-resolved`` moves each chart's specification and its CSV ``data:`` link into
files under ``<site>/data/charts/`` (content-addressed, so unchanged charts keep their URL; the page
names them in ``data-spec`` and the link's ``href``) and removes the notebook loader (it names a CDN);
pages with charts load the book's chart loader (``enclaves.sphinx.loader``), which fetches the
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
_SPEC = re.compile(r'(<div class="enclaves-chart" id="[^"]+")>(.*?)<script type="application/json" '
                   r'class="enclaves-chart-spec">(.*?)</script>', re.S)


def _publish(outdir: Path, data: bytes, suffix: str) -> str:
    """Write ``data`` once under <site>/data/charts/ by its content hash; return the file name."""
    name = hashlib.sha256(data).hexdigest()[:16] + suffix
    dest = outdir / "data" / "charts" / name
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    return name


def for_the_web(text: str) -> str:
    """A chart's Vega-Lite specification as the site draws it: a single view takes the column's width
    (``width: container``), and the whole is compiled to Vega with vl-convert. Other JSON is returned
    as it is."""
    import json

    spec = json.loads(text)
    if "vega-lite" not in str(spec.get("$schema", "")):
        return text
    if not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        spec["width"] = "container"
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    import vl_convert as vlc

    from .vega import expected_versions

    vl = ".".join(expected_versions()["vegalite_version"].split(".")[:2])
    return json.dumps(vlc.vegalite_to_vega(spec, vl_version=vl), separators=(",", ":"), ensure_ascii=False)


def chart_data_dir(app: Sphinx) -> Path:
    return Path(app.outdir) / "data" / "charts"


def rewrite(html: str, docname: str, outdir: Path) -> tuple[str, int]:
    """Return the chart HTML as the site serves it, and how many CSV files it refers to."""
    html = _NOTEBOOK_EMBED.sub("", html)
    count = 0
    up = [".."] * docname.count("/")

    def link(m: re.Match) -> str:
        nonlocal count
        count += 1
        name = _publish(outdir, base64.b64decode(m.group(1)), ".csv")
        return f'href="{posixpath.join(*up, "data", "charts", name)}"'

    def spec(m: re.Match) -> str:
        # the specification (most of a chart's bytes) is fetched with the chart, not with the text,
        # already compiled to Vega (so the reader's browser skips the Vega-Lite compiler's work)
        text = m.group(3).replace("<\\/", "</")
        name = _publish(outdir, for_the_web(text).encode(), ".json")
        return f'{m.group(1)} data-spec="{posixpath.join(*up, "data", "charts", name)}">{m.group(2)}'

    html = _SPEC.sub(spec, html)
    html = _BODY.sub(_lazy_body, html)
    return _CSV_LINK.sub(link, html), count


#: Tables longer than this are sent without their rows, which the page fills from the chart's CSV file
#: when the reader opens them (a long table costs a phone more to parse than the rest of the page).
LAZY_ROWS = 40
_BODY = re.compile(r'<table class="enclaves-chart-table">(.*?)<tbody>(.*?)</tbody>', re.S)


def _lazy_body(m: re.Match) -> str:
    rows = m.group(2).count("<tr>")
    if rows <= LAZY_ROWS:
        return m.group(0)
    return f'<table class="enclaves-chart-table" data-lazy="{rows}">{m.group(1)}<tbody></tbody>'


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
