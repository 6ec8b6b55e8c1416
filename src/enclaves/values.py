"""Plain Python values for glue: one conversion for every chapter.

MyST-NB's ``glue`` shows numpy scalars badly (``np.float64(3.2)``), so every number a chapter glues passes
through :func:`plain` first.
"""

from __future__ import annotations

import numbers

import numpy as np


def plain(value):
    """A numpy or Python scalar as the plain Python value it stands for.

    bool (and ``numpy.bool_``) → bool; integers → int; other reals → float; str and None pass through.
    Anything else (a list, a Series, a date) is a mistake in a glue table and raises :class:`TypeError`.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"plain: cannot glue a {type(value).__name__} ({value!r}); glue numbers and strings")


def plain_dict(d: dict) -> dict:
    """:func:`plain` applied to every value of a dict (keys unchanged)."""
    return {k: plain(v) for k, v in d.items()}


def span(years: tuple[int, int]) -> str:
    """A window of years as prose writes it: ``(2014, 2017)`` → ``2014–2017`` (en dash)."""
    return f"{years[0]}–{years[1]}"
