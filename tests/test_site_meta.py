"""The back matter and what search engines, link previews and lost readers see.

* the exercises page lists exactly the exercises in the chapters, with working links and numbers;
  every exercise is numbered and its solution is folded away and holds code that ran;
* the citation block's BibTeX parses and says what _config.yml says; the licence files exist;
* every page has a description, Open Graph title, URL and image, and is in the sitemap;
* the 404 page loads its styles and scripts when served at any missing address under /book/;
* the search page finds a word from a chapter.

Fast tests need nothing; ``book`` tests share one build of the book (about a minute with the
execution cache); ``browser`` tests add a few seconds each in Chromium.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

import pytest
import sitecheck
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from enclaves import paths
from enclaves.sphinx import listings

ROOT = paths.root()
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
BASEURL = CONFIG["html"]["baseurl"]
PREFIX = urlparse(BASEURL).path  # "/book/": where GitHub Pages serves the site
PAGES = sitecheck.toc_pages(ROOT)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def source_exercises(md: Path) -> list[str]:
    """Labels of the visible exercises in a chapter's source, in order."""
    labels, lines = [], md.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if not re.match(r"^(`{3,}|:{3,})\{exercise(-start)?\}", line):
            continue
        opts = {}
        for opt in lines[i + 1:]:
            m = re.match(r"^:([a-z-]+):\s*(.*)$", opt)
            if not m:
                break
            opts[m.group(1)] = m.group(2).strip()
        if "hidden" not in opts:
            labels.append(opts.get("label", f"<unlabelled exercise at line {i + 1}>"))
    return labels


def chapters_with_exercises() -> dict[str, list[str]]:
    out = {}
    for page in PAGES:
        labels = source_exercises(ROOT / page.replace(".html", ".md"))
        if labels:
            out[page] = labels
    return out


# ------------------------------------------------------------------ fast: sources, files, helpers

def test_source_parser_sees_exercises_and_skips_hidden_ones(tmp_path):
    md = tmp_path / "c.md"
    md.write_text("```{exercise} One\n:label: ex-one\n\nText\n```\n\n"
                  "```{exercise} Two\n:label: ex-two\n:hidden:\n```\n\n"
                  "````{exercise-start}\n:label: ex-three\n````\n", encoding="utf-8")
    assert source_exercises(md) == ["ex-one", "ex-three"]


def test_the_chapters_have_exercises():
    found = chapters_with_exercises()
    assert len(found) >= 4 and sum(map(len, found.values())) >= 10, found


def test_bibtex_entry_round_trips_through_pybtex():
    fields = {"title": "A Book: With a Colon", "author": "The A & B authors", "year": "2031",
              "url": "https://example.org/book/", "repository": "https://example.org/repo"}
    entry = next(iter(parse_string(listings.bibtex(fields), "bibtex").entries.values()))
    assert entry.fields["title"].strip("{}") == fields["title"]
    assert entry.fields["year"] == "2031" and entry.fields["url"] == fields["url"]
    assert str(entry.persons["author"][0]).strip("{}") == fields["author"]
    assert fields["repository"] in entry.fields["note"]


def test_robots_txt_names_the_sitemap():
    class Conf:
        html_baseurl = "https://example.org/site/"
        sitemap_filename = "sitemap.xml"

    assert "Sitemap: https://example.org/site/sitemap.xml" in listings.robots_txt(Conf)
    Conf.html_baseurl = ""
    assert listings.robots_txt(Conf) is None


def test_licence_files():
    year = re.search(r"\d{4}", str(CONFIG["copyright"])).group(0)
    mit = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert mit.startswith("MIT License") and "Permission is hereby granted, free of charge" in mit
    assert f"Copyright (c) {year} {CONFIG['author']}" in mit
    text = (ROOT / "LICENSE-text.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "https://creativecommons.org/licenses/by/4.0/legalcode" in text
    assert f"Copyright (c) {year} {CONFIG['author']}" in text
    licence_page = (ROOT / "book" / "guide" / "licence.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in licence_page and "MIT" in licence_page and "appendix-data" in licence_page


def test_back_matter_pages_are_in_the_toc():
    for name in ("exercises", "status", "troubleshooting", "cite", "licence"):
        assert f"book/guide/{name}.html" in PAGES


# ------------------------------------------------------------------ the built site

@pytest.mark.book
def test_exercise_page_lists_exactly_the_chapters_exercises(built_book):
    page = built_book / "book/guide/exercises.html"
    listed: dict[str, list[tuple[str, str]]] = {}
    for a in soup(page).select("a.enclaves-exercise-link"):
        target = urljoin("book/guide/exercises.html", a["href"])
        file, _, anchor = target.partition("#")
        listed.setdefault(file, []).append((anchor, a.get_text(strip=True)))
    expected = chapters_with_exercises()
    assert {f: [anchor for anchor, _ in items] for f, items in listed.items()} == expected
    for file, items in listed.items():
        target = soup(built_book / file)
        for anchor, text in items:
            box = target.find(id=anchor)
            assert box is not None, f"{file}#{anchor} does not exist"
            number = box.select_one(".caption-number")
            assert number is not None and number.get_text(strip=True) == text, (file, anchor, text)
    total = sum(map(len, expected.values()))
    assert f"{total} exercises in {len(expected)} chapters" in soup(page).get_text()


@pytest.mark.book
def test_every_exercise_is_numbered_with_a_folded_solution_that_ran(built_book):
    for file, labels in chapters_with_exercises().items():
        page = soup(built_book / file)
        chapter_no = None
        for label in labels:
            box = page.find(id=label)
            number = box.select_one(".caption-number").get_text(strip=True)
            m = re.fullmatch(r"Exercise (\d+)\.(\d+)", number)
            assert m, f"{file}#{label}: not numbered ({number!r})"
            chapter_no = chapter_no or m.group(1)
            assert m.group(1) == chapter_no
            solutions = [s for s in page.select("div.solution")
                         if s.select_one(f".admonition-title a[href='#{label}']")]
            assert len(solutions) == 1, f"{file}#{label}: {len(solutions)} solutions"
            sol = solutions[0]
            assert "dropdown" in sol["class"], f"{file}#{label}: solution is not folded away"
            cells = sol.select("div.cell")
            assert cells and sol.select("div.cell_output"), f"{file}#{label}: solution has no code that ran"
            assert not sol.select(".output.error, .output.traceback"), f"{file}#{label}: solution raised"


@pytest.mark.book
def test_cite_block_matches_the_configuration(built_book):
    page = soup(built_book / "book/guide/cite.html")
    bib = page.select_one(".enclaves-cite-bibtex pre").get_text()
    entries = parse_string(bib, "bibtex").entries
    assert len(entries) == 1
    entry = next(iter(entries.values()))
    year = re.search(r"\d{4}", str(CONFIG["copyright"])).group(0)
    assert entry.fields["title"].strip("{}") == CONFIG["title"]
    assert [str(p).strip("{}") for p in entry.persons["author"]] == [CONFIG["author"]]
    assert entry.fields["year"] == year
    assert entry.fields["url"] == BASEURL
    assert CONFIG["repository"]["url"] in entry.fields["note"]
    text = page.select_one(".enclaves-cite-text").get_text(" ", strip=True)
    for value in (CONFIG["title"], CONFIG["author"], year, BASEURL, CONFIG["repository"]["url"]):
        assert value in text


@pytest.mark.book
def test_status_page_lists_every_executed_chapter(built_book):
    table = soup(built_book / "book/guide/status.html").select("article table")[0]
    rows = {tr.select("td")[0].get_text(strip=True): tr.select("td")[-1].get_text(strip=True)
            for tr in table.select("tbody tr")}
    notebooks = [p[:-len(".html")] for p in PAGES
                 if "kernelspec:" in (ROOT / p.replace(".html", ".md")).read_text(encoding="utf-8")]
    assert set(notebooks) <= set(rows), set(notebooks) - set(rows)
    assert all(v == "✅" for v in rows.values()), rows


@pytest.mark.book
@pytest.mark.parametrize("page", PAGES)
def test_page_has_description_and_open_graph_tags(built_book, page):
    html = soup(built_book / page)

    def meta(**attrs):
        tag = html.find("meta", attrs=attrs)
        return tag["content"].strip() if tag else ""

    assert len(meta(name="description")) >= 40, f"{page}: no useful meta description"
    assert meta(property="og:title")
    assert meta(property="og:url") == BASEURL + page
    image = meta(property="og:image")
    assert image.startswith(BASEURL) and (built_book / image[len(BASEURL):]).is_file()
    assert html.find("link", rel="canonical")["href"] == BASEURL + page


@pytest.mark.book
def test_sitemap_lists_every_toc_page_and_robots_names_it(built_book):
    tree = ElementTree.parse(built_book / "sitemap.xml")
    locs = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {BASEURL + p for p in PAGES} <= locs, {BASEURL + p for p in PAGES} - locs
    assert not {u for u in locs if u.endswith(("404.html", "search.html", "genindex.html"))}
    assert all((built_book / u[len(BASEURL):]).is_file() for u in locs)
    robots = (built_book / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASEURL}sitemap.xml" in robots


@pytest.mark.book
def test_404_page_uses_absolute_asset_urls(built_book):
    html = soup(built_book / "404.html")
    assert html.find("html")["data-content_root"] == PREFIX
    urls = [t.get("href") for t in html.find_all("link")] + [t.get("src") for t in html.find_all(["script", "img"])]
    local = [u for u in urls if u and not u.startswith(("http://", "https://", "#", "data:"))]
    assert len(local) >= 10
    wrong = [u for u in local if not u.startswith(PREFIX)]
    assert not wrong, f"relative asset URLs in 404.html: {wrong[:5]}"
    missing = [u for u in local if not (built_book / urlparse(u).path[len(PREFIX):]).exists()]
    assert not missing, missing[:5]


# ------------------------------------------------------------------ in the browser

class PagesServer(sitecheck.Server):
    """Serve the site under ``mount`` the way GitHub Pages does: a missing path gets 404.html."""

    def __init__(self, root: Path, mount: str):
        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path):
                p = urlparse(path).path
                if not p.startswith(mount):
                    return str(root / ".not-under-the-mount")
                return super().translate_path("/" + p[len(mount):])

            def send_error(self, code, message=None, explain=None):
                if code != 404:
                    return super().send_error(code, message, explain)
                body = (root / "404.html").read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)


def load_missing_page(context, url: str) -> dict:
    page = context.new_page()
    bad, errors = [], []
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 and r.url != url else None)
    page.on("requestfailed", lambda r: bad.append(f"failed {r.url}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    response = page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    result = {
        "status": response.status,
        "bad": bad,
        "errors": errors,
        "heading": page.locator("h1", has_text="Page not found").count(),
        "themed": page.evaluate("getComputedStyle(document.documentElement)"
                                ".getPropertyValue('--pst-color-primary').trim()"),
        "nav_links": page.locator("nav a[href^='/book/book/']").count(),
    }
    page.close()
    return result


@pytest.mark.browser
def test_404_page_loads_its_styles_and_scripts_at_any_missing_address(built_book, context):
    with PagesServer(built_book, PREFIX) as server:
        res = load_missing_page(context, f"{server.url}{PREFIX}no/such/deep/page.html")
        assert res["status"] == 404 and res["heading"] == 1
        assert res["bad"] == [] and res["errors"] == [], res
        assert res["themed"], "the theme's stylesheet did not apply"
        assert res["nav_links"] >= len(PAGES) // 2
    # the same check fails when the site is mounted where the 404 page does not expect it
    with PagesServer(built_book, "/elsewhere/") as server:
        res = load_missing_page(context, f"{server.url}/elsewhere/no/such/page.html")
        assert res["bad"] and not res["themed"]


@pytest.mark.browser
def test_search_finds_a_word_from_a_chapter(built_book, context):
    with sitecheck.Server(built_book) as server:
        page = context.new_page()

        def search(word: str):
            page.goto(f"{server.url}/search.html", wait_until="load")
            box = page.locator(".bd-search-container form input[name='q']")
            box.fill(word)
            box.press("Enter")
            page.wait_for_function("document.querySelector('#search-results p.search-summary, "
                                   "#search-results .search-summary')", timeout=15000)
            return [a.get_attribute("href") for a in page.locator("#search-results ul.search li a").all()]

        hits = search("avocado")
        assert any(h.startswith("book/cases/tancitaro.html") for h in hits), hits
        assert search("qwzxvbnmplk") == []
        page.close()


@pytest.mark.browser
def test_solutions_are_folded_until_opened(built_book, context):
    with sitecheck.Server(built_book) as server:
        page = context.new_page()
        page.goto(f"{server.url}/book/introduction.html", wait_until="load")
        solution = page.locator("div.solution").first
        content = solution.locator("#solution-content")
        assert content.count() == 1 and not content.is_visible()
        solution.locator("button.toggle-button").click()
        content.wait_for(state="visible", timeout=5000)
        assert solution.locator(".cell_output").first.is_visible()
        page.close()


def test_the_sitemap_is_completed_with_pages_an_incremental_build_did_not_write(tmp_path):
    from enclaves.sphinx import listings

    p = tmp_path / "sitemap.xml"
    p.write_text('<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 "<url><loc>https://example.org/b/a.html</loc></url></urlset>", encoding="utf-8")
    added = listings.complete_sitemap(p, "https://example.org/b/", {"a", "c/d", "search"}, {"search.html"})
    tree = ElementTree.parse(p)
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert added == 1 and locs == ["https://example.org/b/a.html", "https://example.org/b/c/d.html"]
    assert listings.complete_sitemap(p, "https://example.org/b/", {"a", "c/d"}) == 0
