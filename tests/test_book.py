"""The book builds with warnings as errors, and every page works in a real browser with no network."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import sitecheck

from enclaves import paths

ROOT = paths.root()
HTML = ROOT / "_build" / "html"
JB = Path(sys.executable).parent / "jupyter-book"


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the whole book once per session, re-reading every page (-W only sees pages it reads)."""
    proc = subprocess.run([str(JB), "build", str(ROOT), "--builder", "html", "-W", "--keep-going", "--all"],
                          capture_output=True, text=True, cwd=ROOT, timeout=1800)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
        pytest.fail(f"book build failed (rc={proc.returncode}):\n{tail}")
    return HTML


@pytest.fixture(scope="session")
def site(built_book):
    with sitecheck.Server(built_book) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    exe = sitecheck.chromium_path()
    if exe is None:
        pytest.fail("Chromium not found: install Debian's chromium (.ci/run does) or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=sitecheck.CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


PAGES = sitecheck.toc_pages(ROOT)


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
    page.wait_for_selector("div[id^='altair-viz'] svg .mark-symbol path")
    point = page.locator("div[id^='altair-viz']").first.locator("svg .mark-symbol path").nth(25)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    assert re.search(r"Rate per 100,000", tip.inner_text())
    # legend click highlights one series: other lines fade
    chart = page.locator("div[id^='altair-viz']").nth(1)
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
    fallback request to the CDN."""
    rep = sitecheck.inspect(context, f"{site}/book/introduction.html", block="/_static/enclaves/vega-",
                            axe=False, timeout_ms=3000)
    assert rep.charts >= 1
    assert rep.charts_drawn == 0
    assert any("cdn.jsdelivr.net" in u for u in rep.external_requests)
    assert rep.problems


def test_chart_script_only_on_chart_pages(built_book):
    for page in PAGES:
        html = (built_book / page).read_text(encoding="utf-8")
        has_chart = "altair-viz" in html
        has_script = re.search(r'src="[^"]*_static/enclaves/vega-[0-9a-f]+\.js[?"]', html) is not None
        assert has_chart == has_script, page
    bundles = list((built_book / "_static" / "enclaves").glob("vega-*.js"))
    assert len(bundles) == 1 and bundles[0].stat().st_size > 500_000


def test_no_cdn_or_requirejs_in_built_pages(built_book):
    for page in PAGES:
        html = (built_book / page).read_text(encoding="utf-8")
        assert "require.js" not in html and "requirejs.org" not in html, page
        srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        assert srcs == [], f"{page} loads {srcs}"


def test_every_chart_has_png_for_other_builders(built_book):
    """Each chart output also carries a PNG (for LaTeX/PDF); checked in the execution cache."""
    import json

    charts = []
    for f in (ROOT / "_build" / ".jupyter_cache" / "executed").glob("*/base.ipynb"):
        nb = json.loads(f.read_text())
        charts += [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
                   if "altair-viz" in "".join(o.get("data", {}).get("text/html", ""))]
    assert len(charts) >= 2 and all("image/png" in o["data"] for o in charts)
