"""Where things live. The repository root is found from this file (editable install) or
from the ``ENCLAVES_ROOT`` environment variable; a wheel installed elsewhere has none, and reads
the processed tables from the published site instead (:data:`DATA_URL`)."""

from __future__ import annotations

import os
from pathlib import Path

#: The published book (GitHub Pages of the repository in ``_config.yml``). The one place this URL is
#: written: the data fallback and the notebooks' set-up cell are derived from it.
SITE_URL = "https://seceding-for-safety.github.io/book"
#: Where the site publishes ``data/processed`` (``<site>/data/<table>.csv`` and ``datapackage.json``).
DATA_URL = f"{SITE_URL}/data"
#: In a wheel built for the book (``enclaves.sphinx.notebooks.build_wheel``): copies of the small
#: hand-kept folders the chapters read (``data/mappings``, ``data/claims``). It has no ``processed``
#: folder, so :func:`enclaves.data.load` reads the tables from :data:`DATA_URL`.
PACKAGED_DATA = Path(__file__).resolve().parent / "_data"


def checkout_of(start: Path | str) -> Path | None:
    """The checkout of the book's repository that contains ``start`` (a folder with ``pyproject.toml``
    and ``data/sources``), or None."""
    start = Path(start).resolve()
    for parent in (start, *start.parents):
        if (parent / "pyproject.toml").is_file() and (parent / "data" / "sources").is_dir():
            return parent
    return None


def _find_root() -> Path | None:
    env = os.environ.get("ENCLAVES_ROOT")
    if env:
        return Path(env).resolve()
    return checkout_of(Path(__file__).parent)


ROOT: Path | None = _find_root()


def use_root(path: Path | str) -> None:
    """Work on the checkout at ``path`` from now on in this process (``new-case`` uses the checkout of the
    current directory, which need not be the one the package was installed from)."""
    global ROOT
    ROOT = Path(path).resolve()


def root() -> Path:
    if ROOT is None:
        raise RuntimeError(
            "enclaves is not running from a checkout of the book's repository; "
            "set ENCLAVES_ROOT to the repository root"
        )
    return ROOT


def data_dir() -> Path:
    if ROOT is None and PACKAGED_DATA.is_dir():
        return PACKAGED_DATA
    return root() / "data"


def sources_dir() -> Path:
    return data_dir() / "sources"


def processed_dir() -> Path:
    env = os.environ.get("ENCLAVES_PROCESSED")
    return Path(env) if env else data_dir() / "processed"


def raw_dir() -> Path:
    env = os.environ.get("ENCLAVES_RAW")
    return Path(env) if env else data_dir() / "raw"


def mappings_dir() -> Path:
    return data_dir() / "mappings"
