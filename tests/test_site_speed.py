"""Readers on phones: every page within its weight budget, fast by Lighthouse, and readable at 360 px.

The site is served as GitHub Pages serves it (text compressed with gzip; ``sitecheck.Server(pages=True)``).
Weight is everything a reader's browser receives for a page *after scrolling through it*: every chart
drawn, so the chart bundle and chart data count even though they load late.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sitecheck

from enclaves import paths

ROOT = paths.root()
PAGES = sitecheck.toc_pages(ROOT)
BUDGET = 700 * 1024
CHAPTERS = [p for p in PAGES if p.startswith(sitecheck.CHAPTER_PREFIXES)]
THRESHOLDS = {"mobile": 0.90, "desktop": 0.98}


@pytest.fixture(scope="module")
def pages_site(built_book):
    with sitecheck.Server(built_book, pages=True) as server:
        yield server.url


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES + ["search.html", "404.html"])
def test_page_weight_within_budget(pages_site, context, page):
    total, items = sitecheck.page_weight(context, f"{pages_site}/{page}")
    top = "\n".join(f"  {n:>9,d}  {u.split('/', 3)[-1][:90]}" for u, n in items[:8])
    assert total <= BUDGET, f"{page}: {total:,} bytes > {BUDGET:,}\n{top}"


@pytest.mark.browser
def test_weight_check_counts_compressed_bytes_and_late_charts(pages_site, context, built_book):
    """Control for the budget: the measure includes the chart bundle fetched after the first screen,
    and counts it compressed (smaller than the file, but not nothing)."""
    total, items = sitecheck.page_weight(context, f"{pages_site}/book/cases/tancitaro.html")
    vega = [n for u, n in items if "/_static/vega-" in u]
    assert len(vega) == 1
    bundle = next((built_book / "_static").glob("vega-*.js")).stat().st_size
    assert bundle * 0.2 < vega[0] < bundle * 0.6
    assert total > 200 * 1024


#: Lighthouse's performance score varies from run to run: a chapter page scoring below SURE in its first run
#: is run twice more and scored by the median of the three, as Lighthouse's documentation advises.
#: Accessibility, best practices and SEO must be 1 in every run.
SURE = 0.95


def run_lighthouse(mode: str, pages: list[str], site: str, out: Path) -> list[dict]:
    try:
        return sitecheck.run_lighthouse(mode, pages, site, out)
    except RuntimeError as e:
        pytest.fail(str(e))


def merge_runs(results: list[dict]) -> dict[str, dict]:
    """``{page: result}``: the median performance of a page's runs, the worst of its other scores."""
    runs: dict[str, list[dict]] = {}
    for r in results:
        runs.setdefault(r["page"], []).append(r)
    merged = {}
    for page, rs in runs.items():
        rs = sorted(rs, key=lambda r: r["scores"].get("performance") or 0)
        mid = dict(rs[len(rs) // 2])
        mid["scores"] = dict(mid["scores"], **{c: min(r["scores"][c] or 0 for r in rs)
                                               for c in ("accessibility", "best-practices", "seo")})
        mid["runs"] = [r["scores"].get("performance") for r in rs]
        mid["failing"] = sorted({f for r in rs for f in r["failing"]})
        merged[page] = mid
    return merged


def test_median_of_runs_and_worst_audits():
    runs = [{"page": "a", "scores": {"performance": p, "accessibility": a, "best-practices": 1, "seo": 1},
             "failing": [f] if f else []} for p, a, f in [(0.8, 1, ""), (0.97, 0.9, "x"), (0.92, 1, "")]]
    m = merge_runs(runs)["a"]
    assert m["scores"]["performance"] == 0.92 and m["scores"]["accessibility"] == 0.9 and m["failing"] == ["x"]


@pytest.fixture(scope="module")
def lighthouse_mobile(pages_site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lh")
    first = run_lighthouse("mobile", CHAPTERS, pages_site, tmp / "mobile-1.json")
    again = [r["page"] for r in first if (r["scores"]["performance"] or 0) < SURE]
    more = run_lighthouse("mobile", again * 2, pages_site, tmp / "mobile-2.json") if again else []
    return merge_runs(first + more)


@pytest.fixture(scope="module")
def lighthouse_audit(pages_site, tmp_path_factory):
    others = [p for p in PAGES if p not in CHAPTERS] + ["search.html", "404.html"]
    return merge_runs(run_lighthouse("audit", others, pages_site, tmp_path_factory.mktemp("lh") / "audit.json"))


@pytest.fixture(scope="module")
def lighthouse_desktop(pages_site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lh")
    first = run_lighthouse("desktop", CHAPTERS, pages_site, tmp / "desktop-1.json")
    again = [r["page"] for r in first if (r["scores"]["performance"] or 0) < 0.99]
    more = run_lighthouse("desktop", again * 2, pages_site, tmp / "desktop-2.json") if again else []
    return merge_runs(first + more)


def _report(results: dict, name: str) -> None:
    out = ROOT / "_build" / f"lighthouse-{name}.json"
    out.write_text(json.dumps(results, indent=1))


def _audits_perfect(results: dict) -> list[str]:
    bad = []
    for page, r in results.items():
        for cat in ("accessibility", "best-practices", "seo"):
            if r["scores"][cat] != 1:
                bad.append(f"{page}: {cat} {r['scores'][cat]}: " + "; ".join(r["failing"]))
    return bad


@pytest.mark.browser
@pytest.mark.lighthouse
def test_lighthouse_mobile_chapters(lighthouse_mobile):
    _report(lighthouse_mobile, "mobile")
    assert set(lighthouse_mobile) == set(CHAPTERS)
    bad = _audits_perfect(lighthouse_mobile)
    bad += [f"{p}: mobile performance {r['scores']['performance']} (runs {r['runs']}) {r['metrics']}"
            for p, r in lighthouse_mobile.items() if (r["scores"]["performance"] or 0) < THRESHOLDS["mobile"]]
    assert not bad, "\n".join(bad)


@pytest.mark.browser
@pytest.mark.lighthouse
def test_lighthouse_every_other_page(lighthouse_audit):
    _report(lighthouse_audit, "audit")
    assert len(lighthouse_audit) == len(PAGES) - len(CHAPTERS) + 2
    bad = _audits_perfect(lighthouse_audit)
    assert not bad, "\n".join(bad)


@pytest.mark.browser
@pytest.mark.lighthouse
def test_lighthouse_desktop(lighthouse_desktop):
    _report(lighthouse_desktop, "desktop")
    bad = [f"{p}: desktop performance {r['scores']['performance']} (runs {r['runs']}) {r['metrics']}"
           for p, r in lighthouse_desktop.items() if (r["scores"]["performance"] or 0) < THRESHOLDS["desktop"]]
    assert len(lighthouse_desktop) == len(CHAPTERS)
    assert not bad, "\n".join(bad)
