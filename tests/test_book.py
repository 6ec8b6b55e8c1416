"""The book builds with warnings as errors, and every page works in a real browser with no network."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import sitecheck

from enclaves import paths
from enclaves.sphinx import loader as chart_loader

ROOT = paths.root()
HTML = ROOT / "_build" / "html"
JB = Path(sys.executable).parent / "jupyter-book"


PAGES = sitecheck.toc_pages(ROOT)


@pytest.mark.book
def test_toc_pages_were_built(built_book):
    missing = [p for p in PAGES if not (built_book / p).is_file()]
    assert not missing
    assert len(PAGES) >= 10


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page_in_browser(site, context, page):
    rep = sitecheck.inspect(context, f"{site}/{page}")
    assert rep.problems == [], f"{page}: " + "\n".join(rep.problems)
    unlabelled = [i for i, label in enumerate(rep.chart_labels) if len(label) < 20]
    assert len(rep.chart_labels) == rep.charts and not unlabelled, f"{page}: charts without a description"


@pytest.mark.browser
def test_charts_draw_with_labels_and_tooltips(site, context):
    """The introduction's charts draw as SVG, carry their description as an accessible label,
    show a tooltip on hover, and the legend highlights a series when clicked."""
    rep = sitecheck.inspect(context, f"{site}/book/introduction.html", axe=False)
    assert rep.charts >= 2 and rep.charts_drawn == rep.charts
    assert len(rep.chart_labels) == rep.charts
    assert all(len(label) > 40 for label in rep.chart_labels), rep.chart_labels
    page = context.new_page()
    page.goto(f"{site}/book/introduction.html")
    page.locator(sitecheck.CHART).first.scroll_into_view_if_needed()  # charts draw when near the screen
    page.wait_for_selector(f"{sitecheck.CHART} svg .mark-symbol path")
    point = page.locator(sitecheck.CHART).first.locator("svg .mark-symbol path").nth(25)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    assert re.search(r"Rate per 100,000", tip.inner_text())
    # legend click highlights one series: other lines fade
    chart = page.locator(sitecheck.CHART).nth(1)
    chart.scroll_into_view_if_needed()
    chart.locator("svg .mark-line path").first.wait_for()
    before = chart.locator("svg .mark-line path").evaluate_all(
        "els => els.map(e => [e.getAttribute('opacity'), e.getAttribute('stroke-opacity')].join('/'))")
    chart.locator("svg .role-legend-symbol path, svg .role-legend-label text").first.click(force=True)
    page.wait_for_timeout(300)
    after = chart.locator("svg .mark-line path").evaluate_all(
        "els => els.map(e => [e.getAttribute('opacity'), e.getAttribute('stroke-opacity')].join('/'))")
    assert before != after
    page.close()


@pytest.mark.browser
def test_check_catches_missing_chart_javascript(site, context):
    """Control: with the bundled chart script blocked, the same check sees undrawn charts and the
    loader's console error (and no attempt to fetch Vega from elsewhere)."""
    rep = sitecheck.inspect(context, f"{site}/book/introduction.html", block="/_static/vega-",
                            axe=False, timeout_ms=3000)
    assert rep.charts >= 1
    assert rep.charts_drawn == 0
    assert any("not drawn" in m for m in rep.console_errors)
    assert rep.external_requests == []
    assert rep.problems


@pytest.mark.browser
def test_charts_wait_until_near_the_screen(site, context):
    """The chart bundle is not fetched while the reader is at the top of a chapter whose first chart
    is further down; scrolling to a chart fetches it once and draws that chart."""
    page = context.new_page()
    vega = []
    page.on("request", lambda r: vega.append(r.url) if "/_static/vega-" in r.url else None)
    page.goto(f"{site}/book/cases/tancitaro.html", wait_until="load")
    page.wait_for_timeout(500)
    first = page.locator(sitecheck.CHART).first
    assert first.bounding_box()["y"] > 900 + 400, "the first chart is near the top: pick another page"
    assert vega == []
    first.scroll_into_view_if_needed()
    first.locator("svg [class*='mark-']").first.wait_for(timeout=10000)
    assert len(vega) == 1
    page.close()


@pytest.mark.book
def test_chart_script_only_on_chart_pages(built_book):
    for page in PAGES:
        html = (built_book / page).read_text(encoding="utf-8")
        has_chart = 'class="enclaves-chart"' in html
        loader = re.search(r'<script[^>]+data-vega="(vega-[0-9a-f]+\.js)"[^>]*src="[^"]*_static/'
                           r'(enclaves-charts-[0-9a-f]{10}\.js)', html)
        assert has_chart == (loader is not None), page
        assert "vega-embed" not in html.split("</head>")[0], page  # never loaded up front
        assert "enclaves-notebook-embed" not in html, page  # the notebook loader (it names a CDN) is removed
        if loader:
            assert (built_book / "_static" / loader.group(1)).is_file()
            assert loader.group(2) == chart_loader.NAME and (built_book / "_static" / loader.group(2)).is_file()
    bundles = list((built_book / "_static").glob("vega-*.js"))
    assert len(bundles) == 1 and bundles[0].stat().st_size > 500_000


@pytest.mark.book
def test_no_cdn_or_requirejs_in_built_pages(built_book):
    for page in PAGES:
        html = (built_book / page).read_text(encoding="utf-8")
        assert "require.js" not in html and "requirejs.org" not in html, page
        # scripts and links that fetch something (a canonical or alternate link names a URL, fetches nothing)
        tags = [t for t in re.findall(r"<(?:script|link)[^>]*>", html)
                if not re.search(r'rel="(canonical|alternate)"', t)]
        srcs = [u for t in tags for u in re.findall(r'(?:src|href)="(https?://[^"]+)"', t)]
        assert srcs == [], f"{page} loads {srcs}"


@pytest.mark.book
def test_every_chart_has_png_for_other_builders(built_book):
    """Each chart output also carries a PNG (for LaTeX/PDF); checked in the execution cache."""
    import json

    charts = []
    for f in (ROOT / "_build" / ".jupyter_cache" / "executed").glob("*/base.ipynb"):
        nb = json.loads(f.read_text())
        charts += [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
                   if "enclaves-chart" in "".join(o.get("data", {}).get("text/html", ""))]
    assert len(charts) >= 2 and all("image/png" in o["data"] for o in charts)
