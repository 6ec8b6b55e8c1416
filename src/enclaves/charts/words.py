"""Small helpers that turn computed values into words for chart titles and descriptions.

Chart descriptions become aria-labels and sit beside the charts, so their figures are computed from the
plotted data (never typed); these helpers only arrange the computed values into plain English.
"""

from __future__ import annotations

from collections.abc import Iterable


def and_list(items: Iterable[object]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    xs = [str(x) for x in items]
    if len(xs) <= 1:
        return "".join(xs)
    return f"{', '.join(xs[:-1])} and {xs[-1]}"


def year_spans(years: Iterable[int]) -> str:
    """Consecutive years joined into ranges: [1990, 1991, 1992, 1997, 2010, 2011] -> '1990–1992, 1997 and
    2010–2011'."""
    ys = sorted({int(y) for y in years})
    spans: list[list[int]] = []
    for y in ys:
        if spans and y == spans[-1][1] + 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    return and_list(f"{a}–{b}" if b > a else f"{a}" for a, b in spans)


def ordinal(n: int) -> str:
    """1 -> 'first' ... 10 -> 'tenth'; 11 -> '11th', 22 -> '22nd' beyond that."""
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
    if 1 <= n <= len(words):
        return words[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
