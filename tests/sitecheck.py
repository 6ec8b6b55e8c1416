"""Serve the built site on 127.0.0.1 and inspect pages in Chromium (Playwright).

``inspect(page, url)`` loads a page with every request to another host blocked and recorded,
and reports console errors, page errors, charts and whether each drew, and axe-core findings.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
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


class Server:
    """A static file server for ``root`` on a free port of 127.0.0.1."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


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
    axe_serious: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        out = []
        out += [f"console error: {m}" for m in self.console_errors]
        out += [f"page error: {m}" for m in self.page_errors]
        out += [f"request to another host: {u}" for u in self.external_requests]
        out += [f"failed request: {u}" for u in self.failed_requests]
        if self.charts_drawn != self.charts:
            out.append(f"{self.charts - self.charts_drawn} of {self.charts} charts not drawn")
        out += [f"axe: {v}" for v in self.axe_serious]
        return out


def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


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
    rep.charts = page.locator("div[id^='altair-viz']").count()
    if rep.charts:
        try:
            page.wait_for_function(
                """n => document.querySelectorAll("div[id^='altair-viz'] svg .mark-line path, """
                """div[id^='altair-viz'] svg [class*='mark-'] path, div[id^='altair-viz'] svg [class*='mark-'] rect")"""
                """.length > 0 && Array.from(document.querySelectorAll("div[id^='altair-viz']")).every("""
                """d => d.querySelector("svg [class*='mark-']"))""", arg=rep.charts, timeout=timeout_ms)
        except Exception:  # noqa: BLE001 - the counts below tell what went wrong
            pass
        rep.charts_drawn = page.evaluate(
            """() => Array.from(document.querySelectorAll("div[id^='altair-viz']")).filter(d => {
                   const marks = d.querySelectorAll("svg [class*='mark-'] path, svg [class*='mark-'] rect,"
                     + " svg [class*='mark-'] line, svg [class*='mark-'] text");
                   return marks.length > 0; }).length""")
        rep.chart_labels = page.evaluate(
            """() => Array.from(document.querySelectorAll("div[id^='altair-viz']"))
                   .map(e => e.getAttribute('aria-label') || '')""")
    page.wait_for_timeout(200)
    live[0] = False
    if axe:
        page.add_script_tag(content=axe_script())
        res = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for v in res["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = "; ".join(",".join(n["target"]) for n in v["nodes"][:3])
                rep.axe_serious.append(f"{v['id']} ({v['impact']}): {targets}")
    page.close()
    return rep
