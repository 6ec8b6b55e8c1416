"""Charts for everyone: each chart's table and CSV hold exactly the data the drawn chart holds; charts fit a
360-px phone screen; they keep a light card in the dark theme; their controls are reachable by keyboard."""

from __future__ import annotations

import csv
import io
import math
import urllib.request

import pytest
import sitecheck

from enclaves import paths
from enclaves.charts.theme import NEUTRAL

ROOT = paths.root()
PAGES = sitecheck.toc_pages(ROOT)
#: pages whose code draws charts (read from the sources, so it is known before the book is built)
CHART_PAGES = [p for p in PAGES if "chart" in (ROOT / p.replace(".html", ".md")).read_text(encoding="utf-8")
               and "kernelspec" in (ROOT / p.replace(".html", ".md")).read_text(encoding="utf-8")]
SCREENSHOTS = ROOT / "_build" / "screenshots"

#: every data set a drawn chart's view holds, as rows (Vega's own tuples, stripped of its bookkeeping)
VIEW_DATA = """fig => { const v = fig.enclavesView; const out = {};
  for (const name of Object.keys(v._runtime.data)) {
    try { out[name] = v.data(name).map(t => Object.fromEntries(Object.entries(t).filter(
      ([k, x]) => x === null || ['string', 'number', 'boolean'].includes(typeof x)))); } catch (e) {} }
  return out; }"""


#: Event and break labels (text drawn in the break colour) that overlap another or leave their chart's SVG,
#: and title lines that run past its right edge.
LABEL_CLASHES = """colour => { const out = [];
  document.querySelectorAll('.enclaves-chart-view svg').forEach((svg, i) => {
    const box = svg.getBoundingClientRect();
    const labels = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim()
      && (t.getAttribute('fill') || '').toLowerCase() === colour).map(t => [t.textContent, t.getBoundingClientRect()]);
    labels.forEach(([a, r]) => {
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(`chart ${i}: '${a}' leaves the chart`); });
    svg.querySelectorAll('.role-title text').forEach(t => { const r = t.getBoundingClientRect();
      if (r.right > box.right + 0.5) out.push(`chart ${i}: title line '${t.textContent}' leaves the chart`); });
    labels.forEach(([a, r], j) => labels.slice(j + 1).forEach(([b, q]) => {
      const w = Math.min(r.right, q.right) - Math.max(r.left, q.left);
      const h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
      if (w > 1 && h > 1) out.push(`chart ${i}: '${a}' overlaps '${b}'`); })); });
  return out; }"""


def _norm(v):
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return str(v)  # the CSV writes True/False
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(f):
        return ""
    return round(f, 6)


def _rows(records, cols):
    return sorted((tuple(_norm(r.get(c)) for c in cols) for r in records), key=repr)


def _open(page, context, url, width=1280, height=900):
    p = context.new_page()
    p.set_viewport_size({"width": width, "height": height})
    p.goto(url, wait_until="load")
    sitecheck.draw_all(p)
    return p


@pytest.mark.browser
@pytest.mark.parametrize("page", CHART_PAGES)
def test_chart_tables_match_plotted_data(site, context, page):
    assert len(CHART_PAGES) >= 5
    p = _open(page, context, f"{site}/{page}")
    figs = p.locator(".enclaves-chart")
    assert figs.count() > 0
    for i in range(figs.count()):
        fig = figs.nth(i)
        held = fig.evaluate(VIEW_DATA)
        links = fig.locator("a.enclaves-chart-csv")
        assert links.count() >= 1, f"{page} chart {i}: no CSV link"
        tables = fig.locator("table.enclaves-chart-table")
        assert tables.count() == links.count()
        fig.locator("details.enclaves-chart-data > summary").click()  # long tables are filled when opened
        p.wait_for_function("f => !f.querySelector('table[data-lazy]')", arg=fig.element_handle(), timeout=10000)
        for k in range(links.count()):
            href = links.nth(k).evaluate("a => a.href")
            text = urllib.request.urlopen(href, timeout=10).read().decode()
            rows = list(csv.DictReader(io.StringIO(text)))
            cols = list(rows[0].keys())
            want = _rows(rows, cols)
            matches = [name for name, data in held.items()
                       if data and all(c in data[0] for c in cols) and _rows(data, cols) == want]
            assert matches, f"{page} chart {i} table {k}: no data set of the drawn chart equals the CSV ({cols})"
            # the HTML table shows the same rows (formatted) as the CSV
            assert tables.nth(k).locator("tbody tr").count() == len(rows)
    p.close()


@pytest.mark.browser
@pytest.mark.parametrize("page", CHART_PAGES)
def test_charts_fit_a_360px_screen(site, context, page):
    p = _open(page, context, f"{site}/{page}", width=360, height=740)
    over = p.evaluate("""() => Array.from(document.querySelectorAll('.enclaves-chart-view')).map((d, i) => {
        const s = d.querySelector('svg'); if (!s) return 'chart ' + i + ' not drawn';
        const r = s.getBoundingClientRect();
        const out = r.left < 0 || r.right > window.innerWidth + 0.5;
        return out ? 'chart ' + i + ' spans ' + r.left + '..' + r.right : '';
      }).filter(Boolean)""")
    wide = p.evaluate("() => document.documentElement.scrollWidth")
    clash = p.evaluate(LABEL_CLASHES, NEUTRAL["break"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first = p.locator(".enclaves-chart").first
    first.scroll_into_view_if_needed()
    p.screenshot(path=str(SCREENSHOTS / (page.replace("/", "_") + "-360.png")))
    p.close()
    assert not over, f"{page}: {over}"
    assert wide <= 360, f"{page}: the page scrolls sideways ({wide} px)"
    assert not clash, f"{page}: labels or titles overlap or leave their chart at 360 px: {clash}"


@pytest.mark.browser
def test_charts_keep_a_light_card_in_the_dark_theme(site, context):
    p = context.new_page()
    p.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    p.goto(f"{site}/book/introduction.html", wait_until="load")
    sitecheck.draw_all(p)
    assert p.evaluate("() => document.documentElement.dataset.theme") == "dark"
    page_bg = p.evaluate("() => getComputedStyle(document.body).backgroundColor")
    card = p.locator(sitecheck.CHART).first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert card == "rgb(255, 255, 255)" and page_bg != card
    assert sitecheck.axe_violations(p) == []
    p.close()


@pytest.mark.browser
def test_chart_controls_work_from_the_keyboard(site, context):
    """Every chart control can take focus and has a name; on one chart, Tab reaches the dropdown and the
    arrow keys change what the chart draws."""
    page = "book/cases/monterrey.html"
    p = _open(page, context, f"{site}/{page}")
    controls = p.evaluate("""() => Array.from(
        document.querySelectorAll('.enclaves-chart select, .enclaves-chart input')).map(e => ({
          tab: e.tabIndex, disabled: e.disabled, name: (e.closest('label') || {}).textContent || ''}))""")
    assert controls and all(c["tab"] >= 0 and not c["disabled"] and c["name"].strip() for c in controls), controls
    fig = p.locator(".enclaves-chart", has=p.locator("select")).first
    select = fig.locator("select").first
    select.scroll_into_view_if_needed()
    fig.locator("summary").first.focus()  # the element after the chart; Shift+Tab walks back to the control
    for _ in range(5):
        if p.evaluate("() => document.activeElement.tagName") == "SELECT":
            break
        p.keyboard.press("Shift+Tab")
    assert p.evaluate("() => document.activeElement.tagName") == "SELECT"
    before = fig.locator("svg .mark-line path").evaluate_all("els => els.map(e => e.getAttribute('d')).join()")
    value = select.input_value()
    p.keyboard.press("ArrowDown")
    p.wait_for_timeout(400)
    assert select.input_value() != value
    after = fig.locator("svg .mark-line path").evaluate_all("els => els.map(e => e.getAttribute('d')).join()")
    assert before != after
    p.close()
