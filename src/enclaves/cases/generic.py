"""What any case chapter needs for any municipality, from its INEGI code alone.

A chapter scaffolded by ``python -m enclaves new-case`` (see :mod:`enclaves.scaffold`) starts from
these helpers: the municipality's name and state from the processed catalog, its homicide series
against its state and the nation with exact Poisson intervals, the population-base changes to mark
on charts, a comparison set derived from the data, the numbers its prose glues, and its claim
records. Nothing here is specific to one case; a case that grows its own analysis moves it into
``enclaves.cases.<slug>``.

Conventions are the book's: homicides by year of occurrence from 2000 (``series.OCCURRENCE_FROM``),
rates per 100,000, pooled rates over several years as summed deaths over summed person-years.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from .. import claims, geo, series, sources
from ..data import load, resource
from ..geo import NATIONAL_NAME
from ..values import plain_dict

# altair (charts) and scipy (enclaves.stats) are imported inside the functions that use them, so that
# `python -m enclaves new-case`, which needs only the look-ups, starts in a second or two.
if TYPE_CHECKING:
    import altair as alt


#: Colour of a case that has no fixed colour in the theme yet (distinct from the cases' fixed colours).
NEW_CASE_COLOR = "#d95f02"
#: Colour of a pooled comparison group.
GROUP_COLOR = "#5e3c99"
#: Confidence level of every interval (glued as a percentage, never typed).
LEVEL = 0.95
#: What each CONAPO population series is, for the break markers on homicide charts
#: (``population_source`` in ``homicides_municipal_annual``; see its schema description).
POPULATION_SERIES = {
    "interp2006_2010": "Population interpolated",
    "conapo2012": "Population base 2010",
    "conapo2018": "Population base 2015",
}
#: Comparison set: how many municipalities of the same state, closest in population, and in which year.
COMPARISON_SIZE = 10
COMPARISON_POP_YEAR = 2010
COMPARISON_GROUP = "similar_size"
#: The tables behind the homicide charts (their sources' access dates go into captions).
HOMICIDE_TABLES = ("homicides_municipal_annual", "homicides_state_annual")

_CODE = re.compile(r"\d{5}")


@dataclass(frozen=True)
class Municipality:
    """A municipality as the processed catalog names it (``name``/``state_name`` may be overridden
    for display; the codes always come from the data)."""

    code: str
    name: str
    state_code: str
    state_name: str


@lru_cache(maxsize=1)
def _catalog() -> pd.DataFrame:
    return load("municipalities").set_index("mun_code")


@lru_cache(maxsize=1)
def _annual() -> pd.DataFrame:
    """Every municipality's annual homicides by year of occurrence (floats, for arithmetic)."""
    h = load("homicides_municipal_annual")
    h = h[(h["year_basis"] == "occurrence") & (h["year"] >= series.OCCURRENCE_FROM)]
    h = h[["mun_code", "year", "homicides", "population", "homicide_rate", "population_source"]].copy()
    for c in ("homicides", "population", "homicide_rate"):
        h[c] = h[c].astype(float)
    h["year"] = h["year"].astype(int)
    return h.reset_index(drop=True)


def homicide_codes() -> set[str]:
    """Municipality codes present in the processed municipal homicide table."""
    return set(_annual()["mun_code"])


def municipality(code: str, name: str | None = None, state_name: str | None = None) -> Municipality:
    """Look a municipality up by its 5-digit INEGI code in the ``municipalities`` table.

    Raises ``ValueError`` for a malformed code and ``LookupError`` for a code that is not in the
    catalog or has no homicide series.
    """
    code = str(code)
    if not _CODE.fullmatch(code):
        raise ValueError(f"municipality code must be 5 digits (state + municipality, e.g. 16024), got {code!r}")
    cat = _catalog()
    if code not in cat.index:
        raise LookupError(f"no municipality {code} in the processed table 'municipalities'")
    if code not in homicide_codes():
        raise LookupError(f"municipality {code} has no rows in the processed table 'homicides_municipal_annual'")
    row = cat.loc[code]
    return Municipality(code=code, name=name or str(row["mun_name"]), state_code=str(row["state_code"]),
                        state_name=state_name or str(row["state_name"]))


def pooled(df: pd.DataFrame, y0: int | None = None, y1: int | None = None) -> dict:
    """Summed homicides and person-years over years y0..y1 (all years by default) and the pooled
    rate per 100,000 with its exact Poisson interval (:func:`enclaves.stats.pooled_rate`)."""
    from ..stats import pooled_rate

    return pooled_rate(df, y0, y1, level=LEVEL)


def annual(m: Municipality) -> pd.DataFrame:
    """The municipality's annual series with exact Poisson intervals and ``area`` = its name."""
    from ..stats import add_rate_ci

    h = _annual()
    d = h[h["mun_code"] == m.code].drop(columns="mun_code").assign(area=m.name)
    return add_rate_ci(d).reset_index(drop=True)


def aggregate(codes: list[str], label: str) -> pd.DataFrame:
    """A set of municipalities pooled by year: summed homicides over summed population, with intervals."""
    from ..stats import add_rate_ci, per_100k

    h = _annual()
    d = h[h["mun_code"].isin(codes)].groupby("year", as_index=False)[["homicides", "population"]].sum()
    d["homicide_rate"] = per_100k(d["homicides"], d["population"])
    return add_rate_ci(d.assign(area=label))


def state_and_nation(m: Municipality) -> pd.DataFrame:
    """The municipality's state and the nation (state table, occurrence basis), same years as the
    municipal series, with intervals."""
    from ..stats import add_rate_ci

    s = series.state_homicide_rates([geo.NATIONAL, m.state_code])
    years = _annual()["year"]
    s = s[s["year"].between(int(years.min()), int(years.max()))].copy()
    s["area"] = s["state_code"].map({geo.NATIONAL: NATIONAL_NAME, m.state_code: m.state_name})
    for c in ("homicides", "population", "homicide_rate"):
        s[c] = s[c].astype(float)
    s["year"] = s["year"].astype(int)
    return add_rate_ci(s[["year", "homicides", "population", "homicide_rate", "area"]])


COLUMNS = ["area", "year", "homicides", "population", "homicide_rate", "rate_low", "rate_high"]


def rates(m: Municipality) -> pd.DataFrame:
    """Long table of annual homicide rates (with intervals) of the municipality, its state and the nation."""
    parts = [annual(m), state_and_nation(m)]
    return pd.concat([p[COLUMNS] for p in parts], ignore_index=True)


def population_breaks(m: Municipality) -> list[tuple[int, str]]:
    """Years where the municipality's population series changes (CONAPO vintage or interpolation),
    as (year, label) for :func:`enclaves.charts.breaks_layer`."""
    d = _annual()
    d = d[d["mun_code"] == m.code].sort_values("year")
    src = d["population_source"].tolist()
    yrs = d["year"].tolist()
    return [(int(y), POPULATION_SERIES.get(s, f"Population series {s}"))
            for y, s, prev in zip(yrs[1:], src[1:], src[:-1], strict=True) if s != prev]


def accessed(tables: tuple[str, ...] = HOMICIDE_TABLES) -> str:
    """The latest access date of the upstream files behind ``tables`` (for figure captions)."""
    ids = {s["id"] for t in tables for s in resource(t).get("sources", [])}
    recs = sources.load_sources()
    dates = [recs[i].date_accessed for i in ids if i in recs]
    if not dates:
        raise LookupError(f"no origin records for the sources of {tables}")
    return max(str(d) for d in dates)


def _scale(m: Municipality, names: list[str]) -> alt.Scale:
    import altair as alt

    from ..charts.theme import CASE_COLORS, NEUTRAL, STATE_COLORS

    fixed = {m.name: CASE_COLORS.get(m.name, NEW_CASE_COLOR),
             m.state_name: STATE_COLORS.get(m.state_name, NEUTRAL["state"]), NATIONAL_NAME: NEUTRAL["national"]}
    dom = list(dict.fromkeys(names))
    return alt.Scale(domain=dom, range=[fixed.get(n, GROUP_COLOR) for n in dom])


def _tips() -> list:
    from .. import charts

    return charts.rate_tips(*charts.interval_tips())


def summary(m: Municipality) -> dict:
    """The numbers a scaffolded chapter glues, as plain Python numbers."""
    a = annual(m)
    sn = state_and_nation(m)
    case = pooled(a)
    state = pooled(sn[sn["area"] == m.state_name])
    nation = pooled(sn[sn["area"] == NATIONAL_NAME])
    peak = a.loc[a["homicide_rate"].idxmax()]
    last = a.loc[a["year"].idxmax()]
    out = {
        "ci": 100 * LEVEL,
        "first_year": a["year"].min(), "last_year": a["year"].max(), "n_years": len(a),
        "deaths": case["deaths"], "rate": case["rate"], "low": case["low"], "high": case["high"],
        "state_rate": state["rate"], "nation_rate": nation["rate"],
        "ratio_state": case["rate"] / state["rate"] if state["rate"] else math.nan,
        "peak_year": peak["year"], "peak_rate": peak["homicide_rate"], "peak_deaths": peak["homicides"],
        "min_rate": a["homicide_rate"].min(), "zero_years": (a["homicides"] == 0).sum(),
        "pop_last": last["population"], "one_death_pts": 1e5 / float(last["population"]),
    }
    return plain_dict(out)


def chart_rates(m: Municipality) -> alt.LayerChart:
    """The municipality's homicide rate against its state and the nation, with exact Poisson
    intervals and the population-base changes marked; its description is computed from the data."""

    d = rates(m)
    s = summary(m)
    y0, y1 = s["first_year"], s["last_year"]
    return _rate_chart(
        m, d, [m.name, m.state_name, NATIONAL_NAME],
        title=f"{m.name} against {m.state_name} and Mexico, {y0}-{y1}",
        subtitle="Bands: exact Poisson 95% intervals. Click a legend entry to highlight it",
        description=(f"Line chart with shaded 95% intervals of annual homicide rates per 100,000 for {m.name}, "
                     f"{m.state_name} and Mexico, {y0}-{y1}. {m.name}'s rate ranges from {s['min_rate']:.1f} to "
                     f"{s['peak_rate']:.1f} (highest in {s['peak_year']}); pooled over the period it is "
                     f"{s['rate']:.1f}, against {s['state_rate']:.1f} for {m.state_name} and "
                     f"{s['nation_rate']:.1f} for Mexico. Dashed rules mark changes of population base."))


def _rate_chart(m: Municipality, d: pd.DataFrame, areas: list[str], **text) -> alt.LayerChart:
    """Annual rates with intervals of ``areas`` (rows of ``d``), population-base changes marked."""
    from .. import charts

    return charts.rate_with_interval(d, color="area", color_title="Area", color_scale=_scale(m, areas),
                                     y_title="Homicides per 100,000 inhabitants", breaks=population_breaks(m),
                                     tooltip=_tips(), **text)


# ---------------------------------------------------------------------------------------------
# Comparison set
# ---------------------------------------------------------------------------------------------


#: Groups of the cases' comparison files that hold treated places (towns that had their own militia or
#: police takeover): no other case's comparison set or donor pool should contain them.
TREATED_GROUPS = ("self_defence", "militia")


def treated_codes() -> set[str]:
    """Every municipality listed in a treated group (:data:`TREATED_GROUPS`) of any case's comparison file."""
    from .. import paths

    out: set[str] = set()
    for f in sorted(paths.mappings_dir().glob("comparison_*.csv")):
        g = pd.read_csv(f, dtype=str, keep_default_na=False)
        if {"group", "mun_code"} <= set(g.columns):
            out |= set(g.loc[g["group"].isin(TREATED_GROUPS), "mun_code"])
    return out


def comparison_set(m: Municipality, k: int = COMPARISON_SIZE, year: int = COMPARISON_POP_YEAR) -> pd.DataFrame:
    """The ``k`` municipalities of the same state closest to ``m`` in population in ``year``
    (distance in log population), leaving out the book's other cases and the treated towns of their
    comparison files (:func:`treated_codes`); columns group, mun_code, reason as in
    ``data/mappings/comparison_<slug>.csv``."""
    h = _annual()
    pop = h[(h["year"] == year) & h["population"].gt(0)].set_index("mun_code")["population"]
    if m.code not in pop.index:
        raise LookupError(f"{m.name} ({m.code}) has no population for {year}")
    others = set(geo.case_codes().values()) | treated_codes() | {m.code}
    cand = pop[pop.index.str.startswith(m.state_code) & ~pop.index.isin(others)]
    if cand.empty:
        raise LookupError(f"no other municipality of {m.state_name} has a population for {year}")
    dist = (cand.map(math.log) - math.log(pop[m.code])).abs()
    order = pd.DataFrame({"dist": dist, "people": cand}).sort_values(["dist", "people"]).head(k)
    names = _catalog()["mun_name"]
    rows = [{"group": COMPARISON_GROUP, "mun_code": c,
             "reason": (f"{names[c]}: {m.state_name} municipality among the {len(order)} closest to {m.name} "
                        f"in {year} population (CONAPO: {int(r.people):,} against {int(pop[m.code]):,}); "
                        "same-state, similar-size comparison chosen by new-case")}
            for c, r in order.iterrows()]
    return pd.DataFrame(rows, columns=["group", "mun_code", "reason"])


def group_label(m: Municipality, group: str) -> str:
    return {COMPARISON_GROUP: f"Similar-size {m.state_name} municipalities"}.get(group, group.replace("_", " "))


def comparison_rates(slug: str, m: Municipality) -> pd.DataFrame:
    """The municipality, each group of ``comparison_<slug>.csv`` pooled, and its state."""
    g = geo.comparison_groups(slug)
    parts = [annual(m)]
    for group, rows in g.groupby("group", sort=False):
        parts.append(aggregate(rows["mun_code"].tolist(), group_label(m, group)))
    sn = state_and_nation(m)
    parts.append(sn[sn["area"] == m.state_name])
    return pd.concat([p[COLUMNS] for p in parts], ignore_index=True)


def comparison_numbers(slug: str, m: Municipality) -> dict:
    """Size of the comparison set and its pooled rate over the whole period (first group)."""
    g = geo.comparison_groups(slug)
    first = g["group"].iloc[0]
    p = pooled(aggregate(g.loc[g["group"] == first, "mun_code"].tolist(), first))
    return plain_dict({"n_comparison": len(g), "n_groups": g["group"].nunique(), "comparison_rate": p["rate"],
                   "comparison_low": p["low"], "comparison_high": p["high"]})


def chart_comparison(slug: str, m: Municipality) -> alt.LayerChart:
    """The municipality against each comparison group pooled and its state, with intervals."""

    d = comparison_rates(slug, m)
    areas = list(dict.fromkeys(d["area"]))
    s = summary(m)
    c = comparison_numbers(slug, m)
    y0, y1 = s["first_year"], s["last_year"]
    groups = ", ".join(areas[1:-1])
    return _rate_chart(
        m, d, areas,
        title=f"{m.name} against its comparison municipalities, {y0}-{y1}",
        subtitle="Groups pooled (summed deaths over summed population); bands: exact Poisson 95% intervals",
        description=(f"Line chart with shaded 95% intervals of annual homicide rates per 100,000, {y0}-{y1}, for "
                     f"{m.name}, its comparison set pooled ({groups}; {c['n_comparison']} municipalities) and "
                     f"{m.state_name}. Pooled over the period the rates are {s['rate']:.1f} for {m.name} and "
                     f"{c['comparison_rate']:.1f} for the comparison set."))


def counterfactual(slug: str, m: Municipality, start: int | None, pre_start: int = series.OCCURRENCE_FROM):
    """The default counterfactual of a scaffolded case: a synthetic control of the municipality's annual
    homicide rate built from its comparison set (``comparison_<slug>.csv``) as donors, pre-period from
    ``pre_start``, first treated year ``start`` (the case's ``break_year``), with placebo-in-space
    inference. A case replaces it with its own once it has a reasoned donor pool."""
    from ..models import blas_single_thread, placebo_in_space
    from .base import Counterfactual

    if start is None:
        raise LookupError(f"case {slug!r} has no break year in data/mappings/cases.csv: set one to run its "
                          "counterfactual")
    donors = [c for c in geo.comparison_groups(slug)["mun_code"] if c != m.code]
    h = _annual()
    panel = h[h["mun_code"].isin([m.code, *donors])].pivot(index="year", columns="mun_code", values="homicide_rate")
    with blas_single_thread():
        main = placebo_in_space(panel.sort_index(), m.code, int(start), donors, pre_start=pre_start)
    return Counterfactual(main=main, start=int(start), donors=donors)


def gaps_table(result, name: str) -> pd.DataFrame:
    """A placebo-in-space fit's yearly gaps (actual − synthetic) as one long table for a chart: year, gap,
    unit (municipality name) and kind (the case, ``name``, or a donor treated as a placebo)."""
    nm = geo.mun_names()
    parts = [pd.DataFrame({"year": result.gap.index, "gap": result.gap.values, "unit": name, "kind": name})]
    placebo = "Donor treated as a placebo"
    parts += [pd.DataFrame({"year": g.index, "gap": g.values, "unit": nm.get(d, d), "kind": placebo})
              for d, g in (result.placebo_gaps or {}).items()]
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Published figures: numbers quoted from the literature, with their sources
# ---------------------------------------------------------------------------------------------

#: Columns of ``data/mappings/published_figures_<slug>.csv``: a key the chapter glues (``pub_<what>``), the
#: cite key of the work, where in it (page or section), the value, its unit and what exactly it counts.
PUBLISHED_COLUMNS = ("key", "source_key", "locator", "value", "unit", "definition")


#: Columns of the sourced table of treated units (``data/mappings/treated_units.csv``; origin record beside it).
TREATED_COLUMNS = ("mun_code", "name", "state", "kind", "event", "date", "source")
MILITIA = "self-defence militia or loss of local government"
TAKEOVER = "police takeover or military replacement of local police"


def treated_units() -> pd.DataFrame:
    """Municipalities with a self-defence militia, the loss of their local government or a takeover of their
    police, one row per dated event, each with its source (``data/mappings/treated_units.csv``); ``year`` is the
    year of the event (the first four-digit year in ``date``)."""
    from .. import paths

    p = paths.mappings_dir() / "treated_units.csv"
    d = pd.read_csv(p, dtype=str, keep_default_na=False)
    if tuple(d.columns) != TREATED_COLUMNS:
        raise ValueError(f"{p.name}: columns must be {', '.join(TREATED_COLUMNS)}; found {list(d.columns)}")
    for i, r in enumerate(d.itertuples(), start=2):
        if not re.fullmatch(r"\d{5}", r.mun_code) or r.kind not in (MILITIA, TAKEOVER):
            raise ValueError(f"{p.name} row {i}: a five-digit INEGI code and a known kind are required")
        if not re.search(r"\d{4}", r.date) or "http" not in r.source:
            raise ValueError(f"{p.name} row {i}: every event needs a year and a source with its address")
    return d.assign(year=d["date"].str.extract(r"(\d{4})", expand=False).astype(int))


def event_codes(until: int, kind: str | None = None) -> set[str]:
    """INEGI codes of the municipalities with a treated-unit event (of ``kind``) in or before year ``until``."""
    t = treated_units()
    if kind is not None:
        t = t[t["kind"] == kind]
    return set(t.loc[t["year"] <= until, "mun_code"])


TIMELINE_COLUMNS = ("date", "label", "detail", "source_key", "locator")


def _sourced_records(name: str, columns: tuple[str, ...]) -> tuple[pd.DataFrame, str | None]:
    """Read ``data/mappings/<name>``, check its columns, and return it with the text of the book's ``.bib``
    files (None outside a checkout: a chapter run from the wheel skips the source check, which the tests and
    the build make on every change)."""
    from .. import paths

    p = paths.mappings_dir() / name
    d = pd.read_csv(p, dtype=str, keep_default_na=False)
    if tuple(d.columns) != columns:
        raise ValueError(f"{p.name}: columns must be {', '.join(columns)}; found {list(d.columns)}")
    bib = ("".join(f.read_text(encoding="utf-8") for f in (paths.ROOT / "book").rglob("*.bib"))
           if paths.ROOT is not None else None)
    return d, bib


def _check_source(name: str, row: int, key: str, bib: str | None) -> None:
    if bib is not None and f"{{{key}," not in bib:
        raise ValueError(f"{name} row {row}: source_key {key!r} is in no .bib file under book/")


def timeline(slug: str) -> pd.DataFrame:
    """A case's dated events (``data/mappings/timeline_<slug>.csv``): each with a date (YYYY, YYYY-MM or YYYY-MM-DD), a
    short label, a sentence, and the source it is dated from (a key of a ``.bib`` file of the book) with a
    locator; ``x`` is the date on a year axis (mid-month where the day is not given)."""
    name = f"timeline_{slug}.csv"
    d, bib = _sourced_records(name, TIMELINE_COLUMNS)
    xs = []
    for i, r in enumerate(d.itertuples(), start=2):
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", r.date)
        if not m:
            raise ValueError(f"{name} row {i}: date {r.date!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
        _check_source(name, i, r.source_key, bib)
        # a source that gives only the year is placed at mid-year, one that gives only the month at mid-month
        y, mo, day = int(m.group(1)), int(m.group(2) or 7), int(m.group(3) or (1 if m.group(2) is None else 15))
        xs.append(y + (mo - 1) / 12 + (day - 1) / 365)
    return d.assign(x=xs)


def timeline_markdown(slug: str) -> str:
    """The dated events as a MyST table (date, event, source as a citation), for a chapter to glue."""
    t = timeline(slug)
    lines = ["| Date | Event | Source |", "|:--|:--|:--|"]
    lines += [f"| {r.date} | {r.detail} | {{cite:p}}`{r.source_key}` ({r.locator}) |" for r in t.itertuples()]
    return "\n".join(lines)


def published_figures(slug: str) -> pd.DataFrame:
    """A case's published figures (``data/mappings/published_figures_<slug>.csv``): every row has a
    ``pub_`` key, a source key defined in a ``.bib`` file of the book, and a numeric value."""
    name = f"published_figures_{slug}.csv"
    d, bib = _sourced_records(name, PUBLISHED_COLUMNS)
    for i, r in enumerate(d.itertuples(), start=2):
        if not r.key.startswith("pub_") or not re.fullmatch(r"[a-z0-9_]+", r.key):
            raise ValueError(f"{name} row {i}: key {r.key!r} must be lowercase and start with 'pub_'")
        _check_source(name, i, r.source_key, bib)
        try:
            float(r.value)
        except ValueError:
            raise ValueError(f"{name} row {i}: value {r.value!r} is not a number") from None
    if d["key"].duplicated().any():
        raise ValueError(f"{name}: a key appears twice")
    return d.assign(value=d["value"].astype(float))


def published_numbers(slug: str) -> dict:
    """The published figures as glue values: ``{key: value}`` (whole numbers as ints)."""
    d = published_figures(slug)
    return plain_dict({r.key: int(r.value) if float(r.value).is_integer() else r.value for r in d.itertuples()})


# ---------------------------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------------------------


def claims_status(case: str) -> pd.DataFrame:
    """The case's claim records with their verdict, or 'not yet tested' where no evaluator exists
    (only this case's evaluators run)."""
    rows = []
    for c in claims.registry().values():
        if c.case != case:
            continue
        try:
            verdict = claims.evaluate(c.id).verdict
        except LookupError:
            verdict = "not yet tested"
        rows.append({"id": c.id, "claim": c.claim, "data": c.data, "verdict": verdict, "attribution": c.attribution})
    return pd.DataFrame(rows, columns=["id", "claim", "data", "verdict", "attribution"])


def claims_markdown(case: str) -> str:
    """The case's claims as a Markdown table; a column says who makes each claim when the records name them
    (claims from outside the source reporting)."""
    t = claims_status(case)
    if t["attribution"].astype(bool).any():
        lines = ["| claim | what is claimed | who says it | data to test it | verdict |", "|---|---|---|---|---|"]
        lines += [f"| {r.id} | {r.claim} | {r.attribution} | {r.data} | **{r.verdict}** |" for r in t.itertuples()]
        return "\n".join(lines)
    lines = ["| claim | what the reporting says | data to test it | verdict |", "|---|---|---|---|"]
    lines += [f"| {r.id} | {r.claim} | {r.data} | **{r.verdict}** |" for r in t.itertuples()]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Locator map
# ---------------------------------------------------------------------------------------------


def locator_groups(slug: str, groups: dict[str, str], name: str, code: str) -> dict[str, list[str]]:
    """``{label: [codes]}`` for a locator map: the case first (under its name), then each group of
    ``data/mappings/comparison_<slug>.csv`` named in ``groups`` (group → label), in that order; a
    municipality in two groups is shown in the first."""
    g = geo.comparison_groups(slug)
    out: dict[str, list[str]] = {name: [code]}
    seen = {code}
    for group, label in groups.items():
        codes = [c for c in g.loc[g["group"] == group, "mun_code"] if c not in seen]
        if not codes:
            raise ValueError(f"comparison_{slug}.csv has no municipality in group {group!r}")
        out[label] = codes
        seen.update(codes)
    return out


def locator_map(slug: str, groups: dict[str, str], *, name: str, code: str, title: str,
                states: list[str] | None = None, description: str = "") -> alt.LayerChart:
    """The chapter's locator map: the case and its comparison sets (:func:`locator_groups`) coloured over
    their state(s), the case in its book colour."""
    from ..charts import maps
    from ..charts.theme import CASE_COLORS

    cats = locator_groups(slug, groups, name, code)
    others = iter(["#7570b3", "#d95f02", "#e7a602", "#e7298a", "#666666"])
    colors = {label: CASE_COLORS[label] if label in CASE_COLORS else next(others) for label in cats}
    return maps.locator_map(cats, title=title, states=states, colors=colors, category_title="Shown as",
                            description=description)
