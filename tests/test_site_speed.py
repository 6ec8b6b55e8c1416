"""Readers on phones: every page within its weight budget, fast by Lighthouse, and readable at 360 px.

The site is served as GitHub Pages serves it (text compressed with gzip; ``sitecheck.Server(pages=True)``).
Weight is everything a reader's browser receives for a page *after scrolling through it*: every chart
drawn, so the chart bundle and chart data count even though they load late.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sitecheck

from enclaves import paths

ROOT = paths.root()
PAGES = sitecheck.toc_pages(ROOT)
BUDGET = 700 * 1024
LIGHTHOUSE = ROOT / "tools" / "lighthouse"
#: Chapter pages: the narrative pages readers come for (all but the generated appendix and back matter).
CHAPTERS = [p for p in PAGES if p.startswith(("book/index", "book/introduction", "book/cases/", "book/analysis/"))]
THRESHOLDS = {"mobile": 0.90, "desktop": 0.98}


@pytest.fixture(scope="module")
def pages_site(built_book):
    with sitecheck.Server(built_book, pages=True) as server:
        yield server.url


def page_weight(context, url: str) -> tuple[int, list[tuple[str, int]]]:
    """Bytes received (compressed bodies + headers) for ``url`` with every chart drawn."""
    page = context.new_page()
    sizes: dict[str, int] = {}
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="load")
    sitecheck.draw_all(page)
    page.wait_for_load_state("networkidle")
    for r in responses:
        s = r.request.sizes()
        sizes[r.url] = s["responseBodySize"] + s["responseHeadersSize"]
    page.close()
    return sum(sizes.values()), sorted(sizes.items(), key=lambda kv: -kv[1])


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES + ["search.html", "404.html"])
def test_page_weight_within_budget(pages_site, context, page):
    total, items = page_weight(context, f"{pages_site}/{page}")
    top = "\n".join(f"  {n:>9,d}  {u.split('/', 3)[-1][:90]}" for u, n in items[:8])
    assert total <= BUDGET, f"{page}: {total:,} bytes > {BUDGET:,}\n{top}"


@pytest.mark.browser
def test_weight_check_counts_compressed_bytes_and_late_charts(pages_site, context, built_book):
    """Control for the budget: the measure includes the chart bundle fetched after the first screen,
    and counts it compressed (smaller than the file, but not nothing)."""
    total, items = page_weight(context, f"{pages_site}/book/cases/tancitaro.html")
    vega = [n for u, n in items if "/_static/vega-" in u]
    assert len(vega) == 1
    bundle = next((built_book / "_static").glob("vega-*.js")).stat().st_size
    assert bundle * 0.2 < vega[0] < bundle * 0.6
    assert total > 200 * 1024


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js not found: Lighthouse needs it (.ci/run installs it when missing)")
    if not (LIGHTHOUSE / "node_modules" / "lighthouse").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE, check=True, timeout=600)
    return node


#: Lighthouse's performance score varies from run to run; chapter pages are scored by the median of three
#: runs, as Lighthouse's own documentation advises. Accessibility, best practices and SEO must be 1 in every run.
RUNS = 3


def run_lighthouse(mode: str, urls: list[str], out: Path, site: str) -> dict:
    """``{page: result}``; a page run several times gets its median performance and its worst other scores."""
    env = dict(os.environ, CHROME_PATH=sitecheck.chromium_path() or "/usr/bin/chromium")
    proc = subprocess.run([_node(), str(LIGHTHOUSE / "run.mjs"), mode, str(out), *urls], cwd=LIGHTHOUSE,
                          env=env, capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs: dict[str, list[dict]] = {}
    for r in json.loads(out.read_text()):
        runs.setdefault(r["url"].removeprefix(site + "/"), []).append(r)
    merged = {}
    for page, rs in runs.items():
        rs = sorted(rs, key=lambda r: r["scores"]["performance"] or 0)
        mid = dict(rs[len(rs) // 2])
        mid["scores"] = dict(mid["scores"], **{c: min(r["scores"][c] or 0 for r in rs)
                                               for c in ("accessibility", "best-practices", "seo")})
        mid["runs"] = [r["scores"]["performance"] for r in rs]
        mid["failing"] = sorted({f for r in rs for f in r["failing"]})
        merged[page] = mid
    return merged


@pytest.fixture(scope="module")
def lighthouse_mobile(pages_site, tmp_path_factory):
    pages = PAGES + ["search.html", "404.html"] + [p for p in CHAPTERS for _ in range(RUNS - 1)]
    return run_lighthouse("mobile", [f"{pages_site}/{p}" for p in pages],
                          tmp_path_factory.mktemp("lh") / "mobile.json", pages_site)


@pytest.fixture(scope="module")
def lighthouse_desktop(pages_site, tmp_path_factory):
    pages = [p for p in CHAPTERS for _ in range(RUNS)]
    return run_lighthouse("desktop", [f"{pages_site}/{p}" for p in pages],
                          tmp_path_factory.mktemp("lh") / "desktop.json", pages_site)


def _report(results: dict, name: str) -> None:
    out = ROOT / "_build" / f"lighthouse-{name}.json"
    out.write_text(json.dumps(results, indent=1))


@pytest.mark.browser
@pytest.mark.lighthouse
def test_lighthouse_mobile(lighthouse_mobile):
    _report(lighthouse_mobile, "mobile")
    bad = []
    for page, r in lighthouse_mobile.items():
        s = r["scores"]
        for cat in ("accessibility", "best-practices", "seo"):
            if s[cat] != 1:
                bad.append(f"{page}: {cat} {s[cat]}")
        if page in CHAPTERS and (s["performance"] or 0) < THRESHOLDS["mobile"]:
            bad.append(f"{page}: mobile performance {s['performance']} {r['metrics']}")
        bad += [f"  {page}: {f}" for f in r["failing"]]
    assert not [b for b in bad if not b.startswith("  ")], "\n".join(bad)


@pytest.mark.browser
@pytest.mark.lighthouse
def test_lighthouse_desktop(lighthouse_desktop):
    _report(lighthouse_desktop, "desktop")
    bad = [f"{p}: desktop performance {r['scores']['performance']} {r['metrics']}"
           for p, r in lighthouse_desktop.items() if (r["scores"]["performance"] or 0) < THRESHOLDS["desktop"]]
    assert len(lighthouse_desktop) == len(CHAPTERS)
    assert not bad, "\n".join(bad)
