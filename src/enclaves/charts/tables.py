"""The values a chart draws, as tables: shown beside every chart and offered as CSV.

A Vega-Lite specification carries its data in ``datasets`` (Altair's default) or inline
``values``. :func:`chart_tables` returns, for each data set the chart's layers use, its rows with
only the columns the specification refers to (in an encoding, a tooltip, a filter or any other
expression): the numbers behind the marks, without the bookkeeping columns a data frame may carry.
Rows are kept as given, so a chart with a dropdown lists every option's values, not only the one
on show.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pandas as pd


def _walk(node, skip_datasets: bool = True) -> Iterator[tuple[str | None, object]]:
    stack = [(None, node)]
    while stack:
        key, cur = stack.pop()
        if isinstance(cur, dict):
            for k, v in cur.items():
                if skip_datasets and k in ("datasets", "values"):
                    continue
                stack.append((k, v))
        elif isinstance(cur, list):
            stack.extend((key, v) for v in cur)
        else:
            yield key, cur


def _nodes(spec: dict) -> Iterator[dict]:
    """Every mapping of the specification in document order, without descending into data."""
    stack: list = [spec]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            yield cur
            stack.extend(reversed([v for k, v in cur.items() if k not in ("datasets", "data")]))
        elif isinstance(cur, list):
            stack.extend(reversed(cur))


def _data_refs(spec: dict) -> list[tuple[str, list[dict]]]:
    """Every data set used, in order of first use: (name, rows). Data sets that are not rows (a map's
    geometry, TopoJSON) are left out: their values are shown through the rows that refer to them."""
    datasets = spec.get("datasets", {}) or {}
    out: dict[str, list[dict]] = {}
    for node in _nodes(spec):
        data = node.get("data")
        if isinstance(data, dict):
            if "name" in data and isinstance(datasets.get(data["name"]), list):
                out.setdefault(data["name"], datasets[data["name"]])
            elif isinstance(data.get("values"), list):
                out.setdefault(f"inline-{len(out) + 1}", data["values"])
    return list(out.items())


def _referenced(spec: dict) -> tuple[set[str], str]:
    strings = {v for _, v in _walk(spec) if isinstance(v, str)}
    exprs = " ".join(s for s in strings if "datum" in s)
    return strings, exprs


def field_titles(spec: dict) -> dict[str, str]:
    """``{field: title}`` from the encodings (and tooltips) that give a title."""
    out: dict[str, str] = {}
    for node in _nodes(spec):
        f, t = node.get("field"), node.get("title")
        if isinstance(f, str) and isinstance(t, str) and t:
            out.setdefault(f, t)
    return out


def chart_tables(spec: dict) -> list[pd.DataFrame]:
    """One data frame per data set the chart draws from, restricted to the columns it uses."""
    strings, exprs = _referenced(spec)
    tables = []
    for _, rows in _data_refs(spec):
        df = pd.DataFrame.from_records(rows)
        keep = [c for c in df.columns
                if c in strings or re.search(rf"datum\.{re.escape(c)}\b|datum\[['\"]{re.escape(c)}['\"]\]", exprs)]
        if not keep:
            continue
        tables.append(df[keep].drop_duplicates(ignore_index=True))
    return tables


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return f"{int(v)}"
        return f"{v:.3f}".rstrip("0").rstrip(".")
    return str(v)


def table_html(df: pd.DataFrame, caption: str, titles: dict[str, str] | None = None) -> str:
    titles = titles or {}
    head = "".join(f'<th scope="col">{html.escape(titles.get(str(c), str(c)))}</th>' for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in df.astype(object).itertuples(index=False, name=None))
    return (f'<table class="enclaves-chart-table"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def csv_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n")
