"""``load(name)``: a processed table as a typed DataFrame, from any working directory.

Types come from ``datapackage.json``: codes stay strings (``"16083"``), integers are
nullable ``Int64``, numbers ``float64``. When the package runs outside a checkout (a wheel,
Colab), the CSV is read from ``ENCLAVES_DATA_URL`` (the published site's data folder).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

import pandas as pd

from . import paths

DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}
DEFAULT_DATA_URL = os.environ.get("ENCLAVES_DATA_URL", "")


def _base() -> str:
    if paths.ROOT is not None and (paths.processed_dir() / "datapackage.json").is_file():
        return str(paths.processed_dir())
    url = os.environ.get("ENCLAVES_DATA_URL", DEFAULT_DATA_URL)
    if not url:
        raise RuntimeError("no processed data: run inside the book's repository or set ENCLAVES_DATA_URL")
    return url.rstrip("/")


def _read(base: str, name: str):
    if base.startswith(("http://", "https://")):
        from urllib.request import urlopen

        with urlopen(f"{base}/{name}", timeout=60) as r:
            return r.read().decode("utf-8")
    with open(os.path.join(base, name), encoding="utf-8") as f:
        return f.read()


@lru_cache(maxsize=1)
def package() -> dict:
    """The data package descriptor (``datapackage.json``)."""
    return json.loads(_read(_base(), "datapackage.json"))


def tables() -> list[str]:
    return [r["name"] for r in package()["resources"]]


def resource(name: str) -> dict:
    for r in package()["resources"]:
        if r["name"] == name:
            return r
    raise KeyError(f"no table named {name!r}; tables: {', '.join(tables())}")


def load(name: str) -> pd.DataFrame:
    """Load a processed table with the types its schema declares."""
    res = resource(name)
    fields = res["schema"]["fields"]
    dtype = {f["name"]: DTYPES[f["type"]] for f in fields}
    base = _base()
    src = f"{base}/{res['path']}" if base.startswith("http") else os.path.join(base, res["path"])
    df = pd.read_csv(src, dtype=dtype, keep_default_na=False, na_values=[""])
    expected = [f["name"] for f in fields]
    if list(df.columns) != expected:
        raise ValueError(f"{name}: columns {list(df.columns)} differ from the schema {expected}")
    return df
