"""Where things live. The repository root is found from this file (editable install) or
from the ``ENCLAVES_ROOT`` environment variable; a wheel installed elsewhere has none."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path | None:
    env = os.environ.get("ENCLAVES_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data" / "sources").is_dir():
            return parent
    return None


ROOT: Path | None = _find_root()


def root() -> Path:
    if ROOT is None:
        raise RuntimeError(
            "enclaves is not running from a checkout of the book's repository; "
            "set ENCLAVES_ROOT to the repository root"
        )
    return ROOT


def data_dir() -> Path:
    return root() / "data"


def sources_dir() -> Path:
    return data_dir() / "sources"


def processed_dir() -> Path:
    return Path(os.environ.get("ENCLAVES_PROCESSED", data_dir() / "processed"))


def raw_dir() -> Path:
    return Path(os.environ.get("ENCLAVES_RAW", data_dir() / "raw"))


def mappings_dir() -> Path:
    return data_dir() / "mappings"
