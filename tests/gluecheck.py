"""One check for every case: each glue key of a case's ``numbers()`` is written literally (``"key":``) exactly
once in the case's modules that make glue values, or is a published figure of its records file
(``data/mappings/published_figures_<slug>.csv``), so a search for a key finds where its value is made."""

from __future__ import annotations

import importlib
from pathlib import Path

from enclaves.cases import generic


def unmade_keys(slug: str, numbers: dict, modules=("numbers", "research")) -> list[str]:
    """Keys of ``numbers`` that are neither written once in the named modules of ``enclaves.cases.<slug>`` nor a
    published figure of the case (an empty list is the pass)."""
    source = ""
    for m in modules:
        try:
            mod = importlib.import_module(f"enclaves.cases.{slug}.{m}")
        except ModuleNotFoundError:
            continue
        source += Path(mod.__file__).read_text(encoding="utf-8")
    try:
        published = set(generic.published_figures(slug)["key"])
    except FileNotFoundError:
        published = set()
    missing = set(published) - set(numbers)
    return sorted(missing | {k for k in numbers if k not in published and source.count(f'"{k}":') != 1})
