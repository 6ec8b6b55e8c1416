"""Serve the built site on 127.0.0.1 and inspect pages in Chromium (Playwright).

``inspect(page, url)`` loads a page with every request to another host blocked and recorded,
and reports console errors, page errors, charts and whether each drew, and every axe-core violation.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chromium_path() -> str | None:
    for cand in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                 "/usr/bin/chromium"):
        if cand and Path(cand).exists():
            return cand
    return None


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


#: What GitHub Pages sends compressed (gzip); fonts, images and archives go as they are.
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".csv", ".map", ".ipynb",
                ".md", ".ttf", ".ico"}


#: Where GitHub Pages serves the book (a project site: https://<owner>.github.io/book/).
PAGES_PREFIX = "/book"


class _PagesHandler(_QuietHandler):
    """Serves like GitHub Pages: under ``/book/``, gzip for text types when asked, ``404.html`` for
    missing files."""

    def send_head(self):
        if not self.path.startswith(PAGES_PREFIX + "/"):
            return self._send_file(Path(self.directory) / "404.html", 404)
        self.path = self.path[len(PAGES_PREFIX):]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            return self._send_file(Path(self.directory) / "404.html", 404)
        return self._send_file(path, 200)

    def _send_file(self, path: Path, status: int):
        import gzip
        import io

        if not path.is_file():
            self.send_error(404)
            return None
        data = path.read_bytes()
        headers = {"Content-Type": self.guess_type(str(path)), "Cache-Control": "max-age=600"}
        if path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data, 6, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


class Server:
    """A static file server for ``root`` on a free port of 127.0.0.1.

    ``pages=True`` serves as GitHub Pages does (compressed text, 404 page) for size and speed tests."""

    def __init__(self, root: Path, pages: bool = False):
        handler = functools.partial(_PagesHandler if pages else _QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}" + (PAGES_PREFIX if pages else "")
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


#: Chapter pages: the narrative pages readers come for (all but the generated appendix and back matter).
CHAPTER_PREFIXES = ("book/index", "book/introduction", "book/cases/", "book/analysis/")


def toc_pages(root: Path) -> list[str]:
    """Every page of ``_toc.yml`` as a path relative to the site root ('book/index.html', …)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                files.append(e["file"])
            if "glob" in e:
                files.extend(str(p.relative_to(root).with_suffix("")) for p in sorted(root.glob(e["glob"] + ".md")))
            walk(e.get("sections"))
            walk(e.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [f"{f}.html" for f in files]


@dataclass
class Report:
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    charts: int = 0
    charts_drawn: int = 0
    chart_labels: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        out = []
        out += [f"console error: {m}" for m in self.console_errors]
        out += [f"page error: {m}" for m in self.page_errors]
        out += [f"request to another host: {u}" for u in self.external_requests]
        out += [f"failed request: {u}" for u in self.failed_requests]
        if self.charts_drawn != self.charts:
            out.append(f"{self.charts - self.charts_drawn} of {self.charts} charts not drawn")
        out += [f"axe: {v}" for v in self.axe]
        return out


def axe_script() -> str:
    """axe-core as Lighthouse runs it: the one copy tools/lighthouse pins (package.json, package-lock.json),
    which Lighthouse's accessibility audit loads from the same file."""
    return (lighthouse_modules() / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


#: A chart's drawing area (see enclaves.charts.theme.chart_html).
CHART = ".enclaves-chart-view"


def draw_all(page, timeout_ms: int = 15000) -> None:
    """Charts draw when they near the screen; draw every one (as a reader scrolling through would)
    and wait until each has marks or has failed."""
    page.evaluate("() => window.enclavesDrawAll && window.enclavesDrawAll()")
    try:
        page.wait_for_function(
            """sel => Array.from(document.querySelectorAll(sel)).every(d => d.querySelector("svg [class*='mark-']")
                   || d.closest('.enclaves-chart').dataset.drawn === 'failed')""",
            arg=CHART, timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - the caller counts what was drawn
        pass


def axe_violations(page, tags: tuple[str, ...] = ()) -> list[str]:
    """Every axe-core violation on the page, of any impact."""
    page.add_script_tag(content=axe_script())
    res = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    out = []
    for v in res["violations"]:
        targets = "; ".join(",".join(n["target"]) for n in v["nodes"][:3])
        out.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {targets}")
    return out


def inspect(context, url: str, *, block: str | None = None, axe: bool = True, timeout_ms: int = 15000) -> Report:
    """Load ``url`` in a new page of ``context`` and report what a reader would meet.

    ``block``: a substring of URLs to abort (to show that a check can fail).
    """
    rep = Report(url)
    page = context.new_page()

    def route(r):
        u = r.request.url
        host = urlparse(u).hostname
        if host not in LOCAL_HOSTS and not u.startswith(("data:", "blob:")):
            rep.external_requests.append(u)
            return r.abort()
        if block and block in u:
            return r.abort()
        return r.continue_()

    # what the reader's page does; axe's own stylesheet fetches (it resolves CSS @import against
    # the document, not the stylesheet) come after `live` is cleared and are not the page's.
    live = [True]
    page.route("**/*", route)
    page.on("console", lambda m: rep.console_errors.append(m.text) if live[0] and m.type == "error" else None)
    page.on("pageerror", lambda e: rep.page_errors.append(str(e)) if live[0] else None)
    page.on("requestfailed", lambda r: rep.failed_requests.append(r.url)
            if live[0] and urlparse(r.url).hostname in LOCAL_HOSTS and not (block and block in r.url) else None)
    page.on("response", lambda r: rep.failed_requests.append(f"{r.status} {r.url}")
            if live[0] and r.status >= 400 else None)
    page.goto(url, wait_until="load")
    rep.charts = page.locator(CHART).count()
    if rep.charts:
        draw_all(page, timeout_ms)
        rep.charts_drawn = page.evaluate(
            """sel => Array.from(document.querySelectorAll(sel)).filter(d => d.querySelectorAll(
                   "svg [class*='mark-'] path, svg [class*='mark-'] rect, svg [class*='mark-'] line,"
                   + " svg [class*='mark-'] text").length > 0).length""", CHART)
        rep.chart_labels = page.evaluate(
            "sel => Array.from(document.querySelectorAll(sel)).map(e => e.getAttribute('aria-label') || '')", CHART)
    page.wait_for_timeout(200)
    live[0] = False
    if axe:
        rep.axe = axe_violations(page)
    page.close()
    return rep


def page_weight(context, url: str) -> tuple[int, list[tuple[str, int]]]:
    """Bytes received (compressed bodies + headers) for ``url`` with every chart drawn, and the
    responses by size, largest first."""
    page = context.new_page()
    sizes: dict[str, int] = {}
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="load")
    draw_all(page)
    page.wait_for_load_state("networkidle")
    for r in responses:
        s = r.request.sizes()
        sizes[r.url] = s["responseBodySize"] + s["responseHeadersSize"]
    page.close()
    return sum(sizes.values()), sorted(sizes.items(), key=lambda kv: -kv[1])


#: The pinned Lighthouse (tools/lighthouse: package.json, package-lock.json, run.mjs).
LIGHTHOUSE = Path(__file__).resolve().parents[1] / "tools" / "lighthouse"


def lighthouse_modules() -> Path:
    """tools/lighthouse/node_modules: the pinned Lighthouse and axe-core, installed (``npm ci``) if not yet."""
    modules = LIGHTHOUSE / "node_modules"
    if not ((modules / "lighthouse").is_dir() and (modules / "axe-core" / "axe.min.js").is_file()):
        if shutil.which("npm") is None:
            raise RuntimeError("npm not found: Lighthouse and axe-core come from tools/lighthouse (`npm ci`); "
                               ".ci/run installs Node.js and npm when missing")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE, check=True, timeout=600)
    return modules


def lighthouse_node() -> str:
    """Node.js, with the pinned Lighthouse installed (``npm ci``) if it is not yet."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js not found: Lighthouse needs it (.ci/run installs it when missing)")
    lighthouse_modules()
    return node


def run_lighthouse(mode: str, pages: list[str], site: str, out: Path) -> list[dict]:
    """Lighthouse on ``site/<page>`` for each page, in ``mode`` (mobile, desktop or audit; see run.mjs):
    one result per run, each with ``page`` (the path under ``site``)."""
    env = dict(os.environ, CHROME_PATH=chromium_path() or "/usr/bin/chromium")
    urls = [f"{site}/{p}" for p in pages]
    proc = subprocess.run([lighthouse_node(), str(LIGHTHOUSE / "run.mjs"), mode, str(out), *urls], cwd=LIGHTHOUSE,
                          env=env, capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"Lighthouse failed (rc={proc.returncode}):\n{proc.stderr[-3000:]}")
    res = json.loads(out.read_text())
    for r in res:
        r["page"] = r["url"].removeprefix(site + "/")
    return res
