"""Origin records for upstream files, and their acquisition into ``data/raw``.

Each upstream file has one YAML record in ``data/sources/<id>.yml`` (schema:
``data/sources/schema.json``). ``acquire(id)`` puts the file in ``data/raw/<id>/``, either
copied from a mirror directory (``ENCLAVES_RAW_MIRROR``, laid out like ``shared/raw``) or
downloaded from its pinned URL, and checks size and sha256 before anything reads it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from . import paths
from .errors import DataError

MIRROR_ENV = "ENCLAVES_RAW_MIRROR"


@dataclass(frozen=True)
class Source:
    id: str
    producer: str
    title: str
    description: str
    citation: str
    attribution_short: str
    url_main: str
    url_download: str
    date_accessed: str
    license: dict
    sha256: str
    bytes: int
    format: str
    mirror_path: str
    distributor: dict = field(default_factory=dict)
    date_published: str | None = None
    notes: str = ""
    family: str = ""
    compiled_by: str = ""

    @property
    def filename(self) -> str:
        return Path(self.mirror_path).name

    @property
    def raw_path(self) -> Path:
        return paths.raw_dir() / self.id / self.filename


def schema() -> dict:
    return json.loads((paths.sources_dir() / "schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_sources() -> dict[str, Source]:
    """All origin records, keyed by id."""
    out: dict[str, Source] = {}
    for p in sorted(paths.sources_dir().glob("*.yml")):
        rec = yaml.safe_load(p.read_text(encoding="utf-8"))
        if rec.get("id") != p.stem:
            raise DataError(p.name, "record id must equal the file name", detail=str(rec.get("id")))
        known = Source.__dataclass_fields__
        out[p.stem] = Source(**{k: v for k, v in rec.items() if k in known})
    return out


def get(source_id: str) -> Source:
    try:
        return load_sources()[source_id]
    except KeyError:
        raise DataError(source_id, "no origin record in data/sources for this id") from None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(src: Source, path: Path) -> None:
    """Fail unless ``path`` has exactly the recorded size and sha256."""
    if not path.is_file():
        raise DataError(str(path), f"raw file for '{src.id}' is missing; run `make data`")
    size = path.stat().st_size
    if size != src.bytes:
        raise DataError(str(path), "size differs from the origin record",
                        detail=f"{size} bytes, expected {src.bytes}; truncated or replaced?")
    digest = sha256_of(path)
    if digest != src.sha256:
        raise DataError(str(path), "sha256 differs from the origin record",
                        detail=f"{digest[:12]}…, expected {src.sha256[:12]}…")


def mirror_dir() -> Path | None:
    env = os.environ.get(MIRROR_ENV)
    return Path(env) if env else None


def acquire(source_id: str, mirror: Path | None = None, force: bool = False) -> Path:
    """Make ``data/raw/<id>/<file>`` present and verified; return its path."""
    src = get(source_id)
    dest = src.raw_path
    if dest.is_file() and not force:
        try:
            verify(src, dest)
            return dest
        except DataError:
            pass  # fetch again below
    dest.parent.mkdir(parents=True, exist_ok=True)
    mirror = mirror or mirror_dir()
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        if mirror is not None:
            origin = mirror / src.mirror_path
            if not origin.is_file():
                raise DataError(str(origin), f"mirror has no file for '{src.id}'")
            shutil.copyfile(origin, tmp_path)
        else:
            with urllib.request.urlopen(src.url_download, timeout=120) as r, open(tmp_path, "wb") as f:
                shutil.copyfileobj(r, f)
        verify(src, tmp_path)
        os.replace(tmp_path, dest)
    finally:
        tmp_path.unlink(missing_ok=True)
    return dest


def raw(source_id: str) -> Path:
    """Path of a verified raw file (it must have been acquired)."""
    src = get(source_id)
    verify(src, src.raw_path)
    return src.raw_path
