"""Shared fixtures.

* ``mirror``: the read-only upstream mirror (``../shared/raw`` or ``$ENCLAVES_RAW_MIRROR``); tests
  that need raw files are skipped when it is absent.
* ``raw_ready``: every raw file acquired (copied from the mirror) and verified in ``data/raw``.
* ``tampered``: make a modified copy of one raw file and point its origin record at it, so a
  parser's own rules (not the checksum) meet the bad input.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sitecheck

from enclaves import paths, sources

_JB = Path(sys.executable).parent / "jupyter-book"

MIRROR = Path(os.environ.get(sources.MIRROR_ENV) or (paths.root().parent / "shared" / "raw"))


@pytest.fixture(scope="session")
def mirror() -> Path:
    if not (MIRROR / "MANIFEST.csv").is_file():
        pytest.skip(f"upstream mirror not found at {MIRROR}")
    return MIRROR


@pytest.fixture(scope="session")
def raw_ready(mirror) -> Path:
    for sid in sources.load_sources():
        sources.acquire(sid, mirror=mirror)
    return paths.raw_dir()


@pytest.fixture
def tampered(raw_ready, tmp_path, monkeypatch) -> Callable[[str, Callable[[bytes], bytes]], Path]:
    """``tampered(source_id, mutate)`` → path of a mutated copy that the pipeline will accept as
    that source (its record's size and sha256 are patched for this test only)."""
    recs = dict(sources.load_sources())

    def make(source_id: str, mutate: Callable[[bytes], bytes]) -> Path:
        src = recs[source_id]
        data = mutate(src.raw_path.read_bytes())
        raw = tmp_path / "raw"
        dest = raw / src.id / src.filename
        dest.parent.mkdir(parents=True, exist_ok=True)
        # the other sources stay reachable: link them into the temporary raw dir
        for other in recs.values():
            if other.id == source_id:
                continue
            link = raw / other.id / other.filename
            if not link.exists():
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(other.raw_path)
        dest.write_bytes(data)
        recs[source_id] = dataclasses.replace(src, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
        monkeypatch.setenv("ENCLAVES_RAW", str(raw))
        monkeypatch.setattr(sources, "load_sources", lambda: recs)
        return dest

    return make


# --- the built site and a browser (tests/test_book.py, test_site_*.py) ---

BOOK_FIXTURES = {"built_book", "site"}


def pytest_collection_modifyitems(config, items):
    """A test that uses the built book is a ``book`` test, marked or not, so that ``make test-fast``
    (``-m "not book and not browser"``) never builds the book."""
    for item in items:
        if BOOK_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("book"):
            item.add_marker(pytest.mark.book)


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the whole book once per session, re-reading every page (-W only sees pages it reads).
    ``ENCLAVES_REUSE_BUILD=1`` uses the site already in _build/html (while iterating on tests)."""
    html = paths.root() / "_build" / "html"
    if os.environ.get("ENCLAVES_REUSE_BUILD") == "1" and (html / "index.html").is_file():
        return html
    proc = subprocess.run([str(_JB), "build", str(paths.root()), "--builder", "html", "-W", "--keep-going", "--all"],
                          capture_output=True, text=True, cwd=paths.root(), timeout=1800)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
        pytest.fail(f"book build failed (rc={proc.returncode}):\n{tail}")
    return paths.root() / "_build" / "html"


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
