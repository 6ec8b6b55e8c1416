"""``load(name)``: a processed table as a typed DataFrame, from any working directory.

Types come from ``datapackage.json``: codes stay strings (``"16083"``), integers are
nullable ``Int64``, numbers ``float64``.

Where the tables are read from:

1. ``data/processed`` of the repository checkout (or ``$ENCLAVES_PROCESSED``), when it holds a
   ``datapackage.json``;
2. otherwise (a wheel, Colab, a downloaded notebook) the published site's copy over HTTP:
   ``$ENCLAVES_DATA_URL`` if set, else :data:`enclaves.paths.DATA_URL`. The types then come
   from the published ``datapackage.json``, so a table loads the same either way.
"""

from __future__ import annotations

import io
import json
import os
from functools import lru_cache
from urllib.error import URLError
from urllib.request import urlopen

import pandas as pd

from . import paths

DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}
URL_ENV = "ENCLAVES_DATA_URL"


def _local() -> str | None:
    try:
        d = paths.processed_dir()
    except RuntimeError:  # no checkout, no packaged data
        return None
    return str(d) if (d / "datapackage.json").is_file() else None


def source() -> str:
    """The folder or URL the tables are read from (see the module's docstring)."""
    return _local() or (os.environ.get(URL_ENV) or paths.DATA_URL).rstrip("/")


def _is_url(base: str) -> bool:
    return base.startswith(("http://", "https://"))


@lru_cache(maxsize=32)
def _fetch(url: str) -> bytes:
    """One download per file and process (a chapter loads some tables several times)."""
    try:
        with urlopen(url, timeout=60) as r:
            return r.read()
    except (URLError, TimeoutError) as e:
        raise RuntimeError(
            f"could not download {url} ({e}); without the repository's data/processed the tables are "
            f"read from the published book; set {URL_ENV} to another copy of its data/ folder"
        ) from e


def _read_bytes(base: str, name: str) -> bytes:
    if _is_url(base):
        return _fetch(f"{base}/{name}")
    with open(os.path.join(base, name), "rb") as f:
        return f.read()


@lru_cache(maxsize=4)
def _package(base: str) -> dict:
    return json.loads(_read_bytes(base, "datapackage.json").decode("utf-8"))


def package() -> dict:
    """The data package descriptor (``datapackage.json``)."""
    return _package(source())


package.cache_clear = _package.cache_clear  # type: ignore[attr-defined]


def tables() -> list[str]:
    return [r["name"] for r in package()["resources"]]


def resource(name: str) -> dict:
    for r in package()["resources"]:
        if r["name"] == name:
            return r
    raise KeyError(f"no table named {name!r}; tables: {', '.join(tables())}")


def load(name: str) -> pd.DataFrame:
    """Load a processed table with the types its schema declares."""
    base = source()
    res = resource(name)
    fields = res["schema"]["fields"]
    dtype = {f["name"]: DTYPES[f["type"]] for f in fields}
    src = io.BytesIO(_fetch(f"{base}/{res['path']}")) if _is_url(base) else os.path.join(base, res["path"])
    df = pd.read_csv(src, dtype=dtype, keep_default_na=False, na_values=[""])
    expected = [f["name"] for f in fields]
    if list(df.columns) != expected:
        raise ValueError(f"{name}: columns {list(df.columns)} differ from the schema {expected}")
    return df
