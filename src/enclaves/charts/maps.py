"""Maps: a locator map for a case chapter and choropleths of municipal or state values.

Both return Altair geoshape charts that follow the book's rules: a title and a description computed from
the mapped values, tooltips, keyboard-usable controls (a menu or radio buttons), a legend that highlights a
category, and a table of the mapped values (codes, names, categories or values and classes, never geometry)
with its CSV. The geometry comes from the pipeline's TopoJSON files (:mod:`enclaves.pipeline.geography`)
and is written into the chart itself (no request to another host), cut down to the part the map draws:
a locator map carries only its states' municipalities.

Codes are INEGI's: municipalities ``"16083"``, states ``"16"``. A municipality created after the boundary
files' 2020 list has no shape of its own: :func:`fold_new_municipalities` adds its counts to its parent's
(``data/mappings/geography_parents.csv``) before rates are computed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from .. import data, paths
from .. import topology as topo_ops
from .builders import NARROW_WIDTH, tip
from .words import and_list, ordinal

#: Mexico in an equal-area conic projection, with the standard parallels of INEGI's Lambert projection
#: for the whole country (17.5° N and 29.5° N) and its central meridian (102° W).
PROJECTION = {"type": "conicEqualArea", "parallels": [17.5, 29.5], "rotate": [102, 0]}
#: Fill of areas without a value (and of the rest of the state on a locator map), strokes and outlines.
NO_VALUE = "#e4e4e4"
STROKE = "#ffffff"
OUTLINE = "#4d4d4d"
NO_VALUE_LABEL = "No value"
#: ColorBrewer's YlOrRd, a sequential scheme that colour-blind readers can order, by number of classes.
SEQUENTIAL = {
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
    6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
    7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
}
#: The geometry files (resources of the data package) and the object each level draws.
NATIONAL, DETAIL, STATES = "geo_municipalities", "geo_municipalities_detail", "geo_states"
PARENTS = "geography_parents.csv"
_PARTS = {3: "third", 4: "quarter", 5: "fifth"}


# ------------------------------------------------------------------ geometry and names


@lru_cache(maxsize=4)
def topology(name: str) -> dict:
    """A geometry file of the data package (``geo_municipalities``, ``geo_municipalities_detail``,
    ``geo_states``), read like the tables: from ``data/processed`` or else the published site."""
    return json.loads(data._read_bytes(data.source(), data.resource(name)["path"]).decode("utf-8"))


@lru_cache(maxsize=1)
def parents() -> dict[str, str]:
    """Municipalities created after the boundary files' list → the municipality they came from."""
    df = pd.read_csv(paths.mappings_dir() / PARENTS, dtype=str, keep_default_na=False)
    return dict(zip(df["mun_code"], df["parent_code"], strict=True))


def fold_new_municipalities(df: pd.DataFrame, *, sums: Sequence[str], by: Sequence[str] = (),
                            code: str = "mun_code") -> pd.DataFrame:
    """``df`` with the rows of municipalities that have no shape added into their parent's: the columns
    ``sums`` are summed (all missing stays missing) within ``code`` × ``by``; other columns are dropped."""
    out = df.assign(**{code: df[code].map(lambda c: parents().get(c, c))})
    return out.groupby([code, *by], sort=True, as_index=False)[list(sums)].sum(min_count=1)


@lru_cache(maxsize=1)
def _catalog() -> pd.DataFrame:
    return data.load("municipalities")


def mun_names() -> dict[str, str]:
    """Municipality code → 'Name (State)'."""
    m = _catalog()
    return dict(zip(m["mun_code"], m["mun_name"] + " (" + m["state_name"] + ")", strict=True))


def state_names() -> dict[str, str]:
    m = _catalog().drop_duplicates("state_code")
    return dict(zip(m["state_code"], m["state_name"], strict=True))


class _Geometry:
    """The map's geometry data sets. Layers are built on light placeholders (Altair copies a chart, data
    and all, at every step of its construction); :meth:`fill` then puts the geometry in, inline (so the
    chart asks no other host), where Altair keeps one copy of it however many layers use it."""

    def __init__(self):
        self.inline: dict[str, alt.InlineData] = {}

    def __call__(self, topo: dict, feature: str) -> alt.NamedData:
        name = f"enclaves-geometry-{len(self.inline)}"
        fmt = alt.DataFormat(type="topojson", feature=feature)
        self.inline[name] = alt.InlineData(values=topo, format=fmt)
        return alt.NamedData(name=name, format=fmt)

    def fill(self, chart: alt.LayerChart) -> alt.LayerChart:
        for layer in chart.layer:
            if isinstance(layer.data, alt.NamedData) and layer.data.name in self.inline:
                layer.data = self.inline[layer.data.name]
            for t in layer.transform if isinstance(layer.transform, list) else []:
                name = getattr(t["from"].data, "name", None) if isinstance(t, alt.LookupTransform) else None
                if name in self.inline:
                    t["from"].data = self.inline[name]
        return chart


def _check_codes(codes: Iterable[str], known: Iterable[str], what: str) -> None:
    missing = sorted(set(codes) - set(known))
    if missing:
        moved = {c: parents()[c] for c in missing if c in parents()}
        hint = (f"; created after the boundary list, they lie in {moved} (fold_new_municipalities)"
                if moved else "")
        raise ValueError(f"no {what} shape for {', '.join(missing[:8])}{hint}")


def _legend(title: str) -> alt.Legend:
    """A legend below the map in one row, or in two columns where the map is narrow (a phone)."""
    return alt.Legend(title=title, columns=alt.ExprRef(f"width < {NARROW_WIDTH} ? 2 : 0"))


def _layered(geometry: _Geometry, layers: list, *, title, description: str, height: int) -> alt.LayerChart:
    chart = alt.layer(*layers).project(**PROJECTION).properties(title=title, description=description, height=height)
    return geometry.fill(chart)


# ------------------------------------------------------------------ locator map


def locator_map(codes_by_category: Mapping[str, Iterable[str]], *, title: str, states: Iterable[str] | None = None,
                colors: Mapping[str, str] | None = None, category_title: str = "Municipality",
                description: str = "", subtitle: str | None = None, height: int = 340) -> alt.LayerChart:
    """Municipalities coloured by the chapter's own categories (``{"Case": ["16083"], "Avocado belt":
    [...]}``, in legend order), their names on hover, over the rest of their states in a light fill with
    the states' outlines. ``states``: which states to draw (default: those of the codes); ``colors``:
    category → colour (default: the theme's order); ``description``: a sentence added to the computed
    one (no typed numbers). Clicking a legend entry highlights that category."""
    rows = [(c, cat) for cat, codes in codes_by_category.items() for c in dict.fromkeys(codes)]
    if not rows:
        raise ValueError("locator_map needs at least one municipality")
    dup = pd.Series([c for c, _ in rows]).duplicated()
    if dup.any():
        raise ValueError(f"municipality {rows[int(dup.to_numpy().argmax())][0]} is in two categories")
    detail = topology(DETAIL)
    _check_codes([c for c, _ in rows], topo_ops.ids(detail, "municipalities"), "municipal")
    states = sorted(set(states) if states is not None else {c[:2] for c, _ in rows})
    muns = [c for c in topo_ops.ids(detail, "municipalities") if c[:2] in states]
    names, snames = mun_names(), state_names()
    values = pd.DataFrame({"mun_code": [c for c, _ in rows], "municipality": [names[c] for c, _ in rows],
                           "category": [cat for _, cat in rows]})
    cats = list(codes_by_category)
    scale = alt.Scale(domain=cats, range=[colors[c] for c in cats]) if colors else alt.Undefined
    geometry = _Geometry()
    geo = geometry(topo_ops.subset(detail, {"municipalities": muns}), "municipalities")
    outline = geometry(topo_ops.subset(detail, {"states": states}), "states")
    pick = alt.selection_point(fields=["category"], bind="legend")
    rest = alt.Chart(geo).mark_geoshape(fill=NO_VALUE, stroke=STROKE, strokeWidth=0.6, aria=False)
    shown = (alt.Chart(values).transform_lookup(lookup="mun_code", from_=alt.LookupData(data=geo, key="id"),
                                                as_="geo")
             .mark_geoshape(stroke=STROKE, strokeWidth=0.8)
             .encode(shape="geo:G", color=alt.Color("category:N", scale=scale, legend=_legend(category_title)),
                     opacity=alt.condition(pick, alt.value(1.0), alt.value(0.3)),
                     tooltip=[tip("municipality", "Municipality"), tip("category", category_title),
                              tip("mun_code", "INEGI code")])
             .add_params(pick))
    edge = alt.Chart(outline).mark_geoshape(filled=False, stroke=OUTLINE, strokeWidth=1.2, aria=False)
    groups = []
    for cat in cats:
        ns = values.loc[values["category"] == cat, "municipality"].str.replace(r" \(.*\)$", "", regex=True).tolist()
        groups.append(f"{cat}: {and_list(ns)}" if len(ns) <= 6 else
                      f"{cat}: {len(ns)} municipalities, among them {and_list(ns[:3])}")
    where = and_list(snames[s] for s in states)
    text = (f"Map of {where} and {'its' if len(states) == 1 else 'their'} {len(muns)} municipalities, with "
            f"{len(values)} of them coloured by category ({'; '.join(groups)}); the others are light grey. "
            f"Hover over a coloured municipality for its name; click a legend entry to highlight a category.")
    return _layered(geometry, [rest, shown, edge], title=alt.Title(title, subtitle=subtitle) if subtitle else title,
                    description=f"{text} {description}".strip(), height=height)


# ------------------------------------------------------------------ choropleth


def breaks(values: pd.Series, *, bins: Sequence[float] | None = None, classes: int = 5) -> list[float]:
    """Class thresholds: ``bins`` as given (ascending), or the quantiles that cut the values into ``classes``
    classes of equal counts (as far as ties allow)."""
    if bins is None:
        v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
        if not len(v) or classes not in SEQUENTIAL:
            raise ValueError(f"quantile classes need values and a number of classes in {sorted(SEQUENTIAL)}")
        bins = sorted({float(x) for x in np.quantile(v, np.linspace(0, 1, classes + 1)[1:-1])})
    bins = [float(b) for b in bins]
    if bins != sorted(set(bins)) or len(bins) + 1 not in SEQUENTIAL:
        raise ValueError(f"thresholds must ascend and make {min(SEQUENTIAL)}-{max(SEQUENTIAL)} classes: {bins}")
    return bins


def number(x: float, fmt: str) -> str:
    """A number in a format that d3 (the tooltips) and Python read alike: ",.1f", ",.0f", ",d"."""
    return format(int(round(x)) if fmt.endswith("d") else float(x), fmt)


def labels(bins: Sequence[float], fmt: str = ",.1f") -> list[str]:
    """'under b0', 'b0 to under b1' … 'bk and over'."""
    middle = [f"{number(a, fmt)} to under {number(b, fmt)}" for a, b in zip(bins[:-1], bins[1:], strict=True)]
    return [f"under {number(bins[0], fmt)}", *middle, f"{number(bins[-1], fmt)} and over"]


def classify(values: pd.Series, bins: Sequence[float], names: Sequence[str]) -> pd.Series:
    """Each value's class (``names[i]`` for ``bins[i-1] <= value < bins[i]``); missing values are
    :data:`NO_VALUE_LABEL`. :func:`_class_expr` draws the same classes in the browser."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    idx = np.searchsorted(np.asarray(bins, dtype=float), v, side="right")
    named = np.asarray(names, dtype=object)[np.minimum(idx, len(bins))]
    return pd.Series(np.where(np.isnan(v), NO_VALUE_LABEL, named), index=values.index)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _class_expr(field: str, bins: Sequence[float], names: Sequence[str]) -> str:
    """A Vega expression giving a value's class, as :func:`classify` does."""
    expr = _q(names[-1])
    for b, n in zip(reversed(bins), reversed(names[:-1]), strict=True):
        expr = f"datum[{_q(field)}] < {b!r} ? {_q(n)} : {expr}"
    return f"isValid(datum[{_q(field)}]) && isFinite(datum[{_q(field)}]) ? ({expr}) : {_q(NO_VALUE_LABEL)}"


def _switch(options: Sequence[str], branch) -> str:
    """A Vega expression that takes ``branch(option)`` for the option the menu (signal ``choice``) shows."""
    expr = "null"
    for o in reversed(options):
        expr = f"choice === {_q(o)} ? ({branch(o)}) : {expr}"
    return expr


def choropleth(values: pd.DataFrame, *, value: str, title: str, what: str, level: str = "municipal",
               by: str | None = None, by_label: str = "Period", default: str | None = None,
               bins: Sequence[float] | None = None, classes: int = 5, per_option: bool = False,
               value_format: str = ",.1f", bin_format: str | None = None,
               extra: Sequence[tuple[str, str, str | None]] = (), radio: bool = False,
               description: str = "", subtitle: str | None = None, height: int = 360) -> alt.LayerChart:
    """Municipal (``level="municipal"``, codes in ``mun_code``) or state (``"state"``, ``state_code``) values
    of ``value`` (in the unit ``what`` names, e.g. "homicides per 100,000 a year") in classes of a sequential
    scale, over all Mexico; areas without a row or a value are grey.

    ``by``: a column naming periods or measures, one row per code and option, chosen with a menu (radio
    buttons with ``radio``) that opens on ``default`` (default: the last option). The chart carries one row
    per area with a column per option (``"<value> <option>"``), which is also its table of values. Classes
    come from ``bins`` (thresholds in the value's unit) or are ``classes`` quantile classes of all the rows
    (the same for every option, so periods compare); ``per_option`` computes them within each option and
    names them 'lowest fifth' … 'highest fifth' (for measures in different units). ``value_format`` formats
    values and ``bin_format`` the thresholds in the class names (default: the same), in a format d3 and
    Python read alike (:func:`number`). ``extra``: more tooltip columns, as (column, title, format);
    ``description``: a sentence added to the computed one (no typed numbers). Clicking a legend entry
    highlights a class."""
    if level not in ("municipal", "state"):
        raise ValueError("level is 'municipal' or 'state'")
    code = "mun_code" if level == "municipal" else "state_code"
    obj = "municipalities" if level == "municipal" else "states"
    geo_topo = topology(NATIONAL if level == "municipal" else STATES)
    key = [code, by] if by else [code]
    fields = [value, *(c for c, _, _ in extra)]
    df = values[[*key, *fields]].copy()
    if df.duplicated(key).any():
        raise ValueError(f"one row per {' and '.join(key)}")
    _check_codes(df[code], topo_ops.ids(geo_topo, obj), level)
    names = mun_names() if level == "municipal" else state_names()
    name_col = "municipality" if level == "municipal" else "state"
    options = list(dict.fromkeys(df[by])) if by else [None]
    default = default if default is not None else options[-1]
    if default not in options:
        raise ValueError(f"default {default!r} is not one of {options}")

    if per_option and by:
        class_names = [f"{'lowest' if i == 0 else 'highest' if i == classes - 1 else ordinal(i + 1)} "
                       f"{_PARTS.get(classes, 'class')}" for i in range(classes)]
        cuts = {o: breaks(g[value], classes=classes) for o, g in df.groupby(by, sort=False)}
        if any(len(c) + 1 != classes for c in cuts.values()):
            raise ValueError(f"ties leave fewer than {classes} quantile classes in some option; ask for fewer")
    else:
        cut = breaks(df[value], bins=bins, classes=classes)
        class_names = labels(cut, bin_format or value_format)
        cuts = {o: cut for o in options}
    df["class"] = NO_VALUE_LABEL
    for o in options:
        rows = df[df[by] == o] if by else df
        df.loc[rows.index, "class"] = classify(rows[value], cuts[o], class_names)
    domain, rng = list(class_names), list(SEQUENTIAL[len(class_names)])
    if (df["class"] == NO_VALUE_LABEL).any():
        domain.append(NO_VALUE_LABEL)
        rng.append(NO_VALUE)

    def column(field: str, option) -> str:
        return f"{field} {option}" if by else field

    if by:
        wide = df.pivot(index=code, columns=by, values=fields)
        wide.columns = [column(f, o) for f, o in wide.columns]
        wide = wide[[column(f, o) for f in fields for o in options]].reset_index()
    else:
        wide = df[[code, *fields]]
    wide.insert(1, name_col, wide[code].map(names))
    shown = alt.Chart(wide)
    params = []
    if by:
        bind = (alt.binding_radio(options=options, name=f"{by_label} ") if radio
                else alt.binding_select(options=options, name=f"{by_label} "))
        params.append(alt.param(name="choice", value=default, bind=bind))
        picked = {f"shown_{i}": _switch(options, lambda o, f=f: f"datum[{_q(column(f, o))}]")
                  for i, f in enumerate(fields)}
        shown = shown.transform_calculate(option="choice", **picked)
    else:
        shown = shown.transform_calculate(**{f"shown_{i}": f"datum[{_q(f)}]" for i, f in enumerate(fields)})
    if per_option and by:
        expr = _switch(options, lambda o: _class_expr("shown_0", cuts[o], class_names))
    else:
        expr = _class_expr("shown_0", cuts[options[0]], class_names)
    shown = shown.transform_calculate(**{"class": expr})
    geometry = _Geometry()
    geo = geometry(topo_ops.subset(geo_topo, {obj: None}), obj)
    pick = alt.selection_point(fields=["class"], bind="legend")
    cap = what[:1].upper() + what[1:]
    tips = [tip(f"{name_col}:N", "Municipality" if level == "municipal" else "State"),
            *([tip("option:N", by_label)] if by else []), tip("shown_0:Q", cap, value_format),
            tip("class:N", "Class"), *(tip(f"shown_{i}:Q", t, f) for i, (_, t, f) in enumerate(extra, 1)),
            tip(f"{code}:N", "INEGI code")]
    width = 0.1 if level == "municipal" else 0.8
    layers = [alt.Chart(geo).mark_geoshape(fill=NO_VALUE, stroke=STROKE, strokeWidth=width, aria=False),
              shown.transform_lookup(lookup=code, from_=alt.LookupData(data=geo, key="id"), as_="geo")
              .mark_geoshape(stroke=STROKE, strokeWidth=width)
              .encode(shape="geo:G", color=alt.Color("class:N", scale=alt.Scale(domain=domain, range=rng), sort=domain,
                                                     legend=_legend(cap)),
                      opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)), tooltip=tips)
              .add_params(pick, *params)]
    if level == "municipal":
        lines = geometry(topo_ops.subset(geo_topo, {"states": None}), "states")
        layers.append(alt.Chart(lines).mark_geoshape(filled=False, stroke=OUTLINE, strokeWidth=0.5, aria=False))
    df.insert(1, name_col, df[code].map(names))
    text = _describe(df, value=value, what=what, level=level, by=by, by_label=by_label, options=options,
                     default=default, labels=class_names, name_col=name_col, fmt=value_format,
                     total=len(topo_ops.ids(geo_topo, obj)))
    return _layered(geometry, layers, title=alt.Title(title, subtitle=subtitle) if subtitle else title,
                    description=f"{text} {description}".strip(), height=height)


def _describe(df, *, value, what, level, by, by_label, options, default, labels, name_col, fmt, total) -> str:
    unit = "municipalities" if level == "municipal" else "states"
    shown = df[df[by] == default] if by else df
    has = shown.dropna(subset=[value])
    text = f"Map of Mexico's {total:,} {unit} coloured by {what} in {len(labels)} classes ({and_list(labels)})."
    if by:
        text += (f" A menu chooses the {by_label.lower()} ({and_list(options)}); the map opens on {default}"
                 if len(options) <= 6 else f" A menu chooses one of {len(options)} {by_label.lower()}s; "
                 f"the map opens on {default}") + "."
    if len(has):
        top = has.loc[has[value].idxmax()]
        n_top = int((has["class"] == labels[-1]).sum())
        where = f"With {default} shown, " if by else ""
        text += (f" {where}{n_top:,} {unit if n_top != 1 else unit[:-1]} fall in the highest class; the highest "
                 f"value, {number(top[value], fmt)}, is {top[name_col]}'s.")
    missing = total - len(has)
    if missing:
        text += f" {missing:,} {unit if missing != 1 else unit[:-1]} have no value and are grey."
    return text + " Hover over an area for its value; click a legend entry to highlight a class."
