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
from collections.abc import Callable
from pathlib import Path

import pytest

from enclaves import paths, sources

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
