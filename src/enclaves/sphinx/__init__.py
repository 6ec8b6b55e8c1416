"""Build-time hooks for the book (a Sphinx extension: ``sphinx.extra_extensions: [enclaves.sphinx]``).

* Chart JavaScript without a CDN: Vega, Vega-Lite and Vega-Embed come from vl-convert-python's
  bundle, are written into the site as ``_static/vega-<hash>.js`` and fetched by the book's loader
  (:mod:`.loader`, linked only from pages that hold a chart) when a chart nears the screen.
  The build stops if the bundle's versions differ from the ones Altair expects (:mod:`.charts`).
* Only what pages use is loaded, and scripts never block the text (:mod:`.assets`).
* sphinx-thebe adds its inline script twice (it throws on every page): de-duplicate.
* sphinxcontrib-bibtex's citation list uses ARIA roles axe rejects: give the entries list items.
* Chapters run again when the package or the processed data change, not only their own code (:mod:`.freshness`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from . import assets, charts, freshness, loader, vega

logger = logging.getLogger(__name__)


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    cache = Path(app.doctreedir).parent / ".enclaves-cache"
    js = vega.bundle_js(str(cache))  # checks versions (on first creation); raises on mismatch
    digest = hashlib.sha256(js.encode()).hexdigest()[:10]
    app.env.enclaves_vega_name = f"enclaves/vega-{digest}.js"  # type: ignore[attr-defined]
    app.config._enclaves_vega_js = js  # type: ignore[attr-defined]
    _wrap_render(app)


def _wrap_render(app: Sphinx) -> None:
    """Let :func:`assets.trim_html` see every page as rendered by the theme's templates."""
    templates = app.builder.templates
    if getattr(templates.render, "_enclaves", False):
        return
    original = templates.render

    def render(template: str, context: dict) -> str:
        return assets.trim_html(app, context.get("pagename", ""), original(template, context))

    render._enclaves = True  # type: ignore[attr-defined]
    templates.render = render


def data_processed_date() -> str:
    """When the committed tables were last processed: the date of the last commit that changed
    data/processed (the files' own date outside a git checkout)."""
    import datetime
    import subprocess

    from .. import paths

    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "data/processed"], cwd=paths.root(),
                             capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        out = ""
    if out:
        return out
    stamp = (paths.processed_dir() / "datapackage.json").stat().st_mtime
    return datetime.date.fromtimestamp(stamp).isoformat()


def _provenance(app: Sphinx, pagename: str, context: dict) -> str:
    if not hasattr(app.env, "enclaves_processed"):
        app.env.enclaves_processed = data_processed_date()  # type: ignore[attr-defined]
    link = context["pathto"]("book/appendix/data")
    return (f'<p class="enclaves-provenance">Data last processed on {app.env.enclaves_processed}. '
            f'Every table and its sources: <a href="{link}">the data appendix</a>.</p>')


def _on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    files = context.get("script_files")
    if files is not None:
        seen, out = set(), []
        for f in files:
            key = (str(f.filename or ""), tuple(sorted((f.attributes or {}).items())))
            if key in seen:
                continue
            seen.add(key)
            out.append(f)
        files[:] = out
    assets.trim_scripts(app, pagename, context)
    if "body" in context and pagename not in ("search", "genindex", "404") and "pathto" in context:
        context["body"] += _provenance(app, pagename, context)
    body = context.get("body", "")
    if charts.page_has_charts(body):
        name = getattr(app.env, "enclaves_vega_name", None)
        if name is None:
            raise ExtensionError("chart JavaScript was not prepared")
        app.add_js_file(loader.NAME, priority=800, defer="defer",
                        **{"data-enclaves-charts": "", "data-vega": name.split("/")[-1]})
    if 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _label_summaries(html: str) -> str:
    """pydata-sphinx-theme's collapsible navigation uses a <summary> holding only an icon, which
    has no accessible name (axe: summary-name, serious). Name it after its section."""
    if "<summary" not in html:
        return html
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for summary in soup.find_all("summary"):
        if summary.get("aria-label") or summary.get_text(strip=True):
            continue
        li = summary.find_parent("li")
        link = li.find("a", recursive=False) if li else None
        name = link.get_text(" ", strip=True) if link else "this section"
        summary["aria-label"] = f"Show or hide the pages under {name}"
    return str(soup)


def _on_page_context_late(app: Sphinx, pagename, templatename, context, doctree) -> None:
    fn = context.get("generate_toctree_html")
    if callable(fn) and not getattr(fn, "_enclaves", False):
        def labelled(*args, **kwargs):
            return _label_summaries(str(fn(*args, **kwargs)))

        labelled._enclaves = True  # type: ignore[attr-defined]
        context["generate_toctree_html"] = labelled


def _copy_data(app: Sphinx) -> None:
    """Publish the processed tables, the map geometry and their descriptor at <site>/data/ (stable URLs
    for the appendix's download links and for notebooks run outside the repository)."""
    import shutil

    from .. import paths

    src = paths.processed_dir()
    dest = Path(app.outdir) / "data"
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.glob("*.csv")) + sorted(src.glob("*.topojson")) + [src / "datapackage.json"]:
        shutil.copyfile(f, dest / f.name)


def _on_build_finished(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _copy_data(app)
    loader.write(Path(app.outdir) / "_static")
    name = getattr(app.env, "enclaves_vega_name", None)
    if name:
        # beside the loader, which finds it by its file name
        out = Path(app.outdir) / "_static" / name.split("/")[-1]
        for old in out.parent.glob("vega-*.js"):
            if old != out:
                old.unlink()
        if not out.exists():
            out.write_text(app.config._enclaves_vega_js, encoding="utf-8")  # type: ignore[attr-defined]
    for bundle, size in assets.write_style_bundles(app).items():
        logger.info(f"[enclaves] {bundle}: {size:,} bytes")
    sizes = assets.subset_icon_fonts(Path(app.outdir))
    for font, (before, after) in sizes.items():
        logger.info(f"[enclaves] icon font {font}: {before:,} -> {after:,} bytes")


def _add_static(app: Sphinx) -> None:
    static = str(Path(__file__).parent / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _add_static, priority=100)
    app.add_css_file("enclaves.css")
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context, priority=100)
    app.connect("html-page-context", _on_page_context_late, priority=900)
    app.connect("doctree-resolved", charts.on_doctree_resolved)
    # after the theme's own build-finished work (pydata-sphinx-theme rewrites pygments.css then)
    app.connect("build-finished", _on_build_finished, priority=900)
    freshness.setup(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
