"""The map builders (enclaves.charts.maps) and the TopoJSON helpers (enclaves.topology): titles and computed
descriptions, geometry inline (no request to another host), tables of the mapped values (not geometry) equal to
the input, charts that Vega draws, and subsets that keep the shapes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc

import enclaves.charts as charts
from enclaves import data, topology
from enclaves.charts import maps, theme
from enclaves.charts.tables import chart_tables

charts.setup()

BELT = {"Case": ["16083"], "Avocado belt": ["16102", "16068", "16058"]}


def _walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def _no_other_host(spec: dict) -> None:
    """No data is fetched: no ``url`` anywhere, and the geometry is inline."""
    assert not [v for k, v in _walk(spec) if k == "url"]


@pytest.fixture(scope="module")
def locator():
    return charts.locator_map(BELT, title="Tancítaro and its neighbours", category_title="Group",
                              colors={"Case": theme.CASE_COLORS["Tancítaro"], "Avocado belt": "#7cb67f"})


@pytest.fixture(scope="module")
def rates():
    """Pooled homicide rates by municipality for two periods (the new municipalities folded into their parents)."""
    h = data.load("homicides_municipal_annual")
    out = []
    for label, (a, b) in {"2006–2011": (2006, 2011), "2016–2021": (2016, 2021)}.items():
        g = maps.fold_new_municipalities(h[h["year"].between(a, b)], sums=["homicides", "population"])
        out.append(g.assign(period=label, rate=(g["homicides"] / g["population"] * 1e5).round(1)))
    return pd.concat(out, ignore_index=True)[["mun_code", "period", "rate", "homicides"]]


@pytest.fixture(scope="module")
def national(rates):
    return charts.choropleth(rates, value="rate", by="period", title="Homicide rates by municipality",
                             what="homicides per 100,000 a year", bins=[5, 10, 20, 40, 80], bin_format=",.0f",
                             extra=[("homicides", "Homicides", ",d")])


# ---------------------------------------------------------------- locator map


def test_locator_has_title_description_and_inline_geometry(locator):
    spec = locator.to_dict()
    assert spec["title"] == "Tancítaro and its neighbours"
    d = spec["description"]
    assert "Michoacán" in d and "Tancítaro" in d and "Uruapan" in d
    mich = [c for c in topology.ids(maps.topology(maps.DETAIL), "municipalities") if c.startswith("16")]
    assert f"{len(mich)} municipalities" in d  # computed, not typed
    _no_other_host(spec)
    geometry = [v for v in spec["datasets"].values() if isinstance(v, dict)]
    assert len(geometry) == 2  # the state's municipalities and its outline, each once
    muns = next(g for g in geometry if "municipalities" in g["objects"])
    assert topology.ids(muns, "municipalities") == mich  # only the state's part


def test_locator_table_is_the_mapped_values(locator):
    (table,) = chart_tables(locator.to_dict())
    names = maps.mun_names()
    expected = pd.DataFrame([(c, names[c], cat) for cat, codes in BELT.items() for c in codes],
                            columns=["mun_code", "municipality", "category"])
    pd.testing.assert_frame_equal(table.reset_index(drop=True), expected)


def test_locator_draws(locator):
    svg = vlc.vegalite_to_svg(locator.to_dict())
    assert svg.count("<path") > 100  # Michoacán's municipalities, the coloured ones and the outline
    assert svg.count(f'fill="{theme.CASE_COLORS["Tancítaro"]}"') >= 2  # the case (and its legend symbol)


def test_locator_refuses_codes_without_shape_and_duplicates():
    with pytest.raises(ValueError, match="02002"):  # San Felipe lies in Mexicali on the 2020 boundaries
        charts.locator_map({"Case": ["02007"]}, title="x")
    with pytest.raises(ValueError, match="no municipal shape for 99999"):
        charts.locator_map({"Case": ["99999"]}, title="x")
    with pytest.raises(ValueError, match="two categories"):
        charts.locator_map({"A": ["16083"], "B": ["16083"]}, title="x")


def test_locator_of_two_states():
    ch = charts.locator_map({"Case": ["15058"]}, states=["09", "15"], title="Nezahualcóyotl")
    spec = ch.to_dict()
    assert "Ciudad de México and Estado de México" in spec["description"]
    muns = next(v for v in spec["datasets"].values() if isinstance(v, dict) and "municipalities" in v["objects"])
    assert {c[:2] for c in topology.ids(muns, "municipalities")} == {"09", "15"}


# ---------------------------------------------------------------- choropleth


def test_choropleth_table_is_the_input_values(national, rates):
    spec = national.to_dict()
    (table,) = chart_tables(spec)
    wide = rates.pivot(index="mun_code", columns="period", values=["rate", "homicides"])
    for (field, period), col in wide.items():
        got = pd.to_numeric(table.set_index("mun_code")[f"{field} {period}"]).astype(float)
        want = pd.to_numeric(col).astype(float).reindex(got.index)
        pd.testing.assert_series_equal(got, want, check_names=False)
    assert set(table["mun_code"]) == set(rates["mun_code"])
    assert table.set_index("mun_code").loc["16083", "municipality"] == "Tancítaro (Michoacán)"
    assert "geo" not in table.columns and "arcs" not in table.columns


def test_choropleth_description_is_computed(national, rates):
    d = national.to_dict()["description"]
    last = rates[rates["period"] == "2016–2021"].dropna(subset=["rate"])
    top = last.loc[last["rate"].idxmax()]
    assert f"the highest value, {top['rate']:,.1f}, is {maps.mun_names()[top['mun_code']]}'s" in d
    assert f"{int((last['rate'] >= 80).sum()):,} municipalities fall in the highest class" in d
    assert "the map opens on 2016–2021" in d and "With 2016–2021 shown" in d
    missing = 2_469 - len(last)
    assert f"{missing:,} municipalities have no value" in d


def test_choropleth_has_a_menu_and_inline_geometry(national):
    spec = national.to_dict()
    _no_other_host(spec)
    menu = next(p for p in spec["params"] if p["name"] == "choice")  # Altair lifts a layer's params to the top
    assert menu["bind"]["input"] == "select" and menu["bind"]["options"] == ["2006–2011", "2016–2021"]
    assert menu["value"] == "2016–2021"
    geometry = [v for v in spec["datasets"].values() if isinstance(v, dict)]
    assert len(geometry) == 2  # municipalities and state outlines, each once
    assert spec["projection"]["type"] == "conicEqualArea"


def test_choropleth_draws_and_compiles_for_the_site(national):
    from enclaves.sphinx.charts import for_the_web

    spec = national.to_dict()
    assert vlc.vegalite_to_svg(spec).count("<path") > 2_000
    vega = json.loads(for_the_web(json.dumps(spec)))
    assert "url" not in {k for k, _ in _walk(vega)}


def test_classes_in_python_and_in_the_browser_agree():
    bins = [5.0, 10.0, 20.0]
    names = maps.labels(bins, ",.0f")
    assert names == ["under 5", "5 to under 10", "10 to under 20", "20 and over"]
    got = maps.classify(pd.Series([0, 4.99, 5, 9.99, 10, 20, 100, np.nan]), bins, names).tolist()
    assert got == [names[0], names[0], names[1], names[1], names[2], names[3], names[3], maps.NO_VALUE_LABEL]
    expr = maps._class_expr("v", bins, names)
    # the expression tests the same thresholds, lowest first, with the same strict "<"
    assert [float(x) for x in __import__("re").findall(r"< ([0-9.]+) \?", expr)] == bins


def test_numbers_read_alike_in_d3_and_python():
    assert maps.number(1234.56, ",.1f") == "1,234.6" and maps.number(1234.0, ",d") == "1,234"
    assert maps.labels([1000, 2000], ",d") == ["under 1,000", "1,000 to under 2,000", "2,000 and over"]


def test_quantile_classes_have_equal_counts():
    v = pd.Series(np.arange(1, 101, dtype=float))
    cut = maps.breaks(v, classes=5)
    counts = maps.classify(v, cut, maps.labels(cut)).value_counts()
    assert sorted(counts.tolist()) == [20] * 5


def test_state_choropleth_with_measures_per_option():
    states = [f"{i:02d}" for i in range(1, 33)]
    rows = [(s, m, float(i * k)) for i, s in enumerate(states, 1) for k, m in ((1, "Capacity"), (100, "Weakness"))]
    df = pd.DataFrame(rows, columns=["state_code", "measure", "score"])
    ch = charts.choropleth(df, value="score", level="state", by="measure", by_label="Measure", per_option=True,
                           title="Two measures", what="score", radio=True)
    spec = ch.to_dict()
    assert "lowest fifth" in spec["description"] and "highest fifth" in spec["description"]
    menu = next(p for p in spec["params"] if p["name"] == "choice")
    assert menu["bind"]["input"] == "radio"
    (table,) = chart_tables(spec)
    assert list(table.columns) == ["state_code", "state", "score Capacity", "score Weakness"]
    assert len(table) == 32
    assert vlc.vegalite_to_svg(spec).count("<path") >= 32


def test_renderer_refuses_a_map_without_description(locator):
    spec = locator.to_dict()
    spec["description"] = ""
    with pytest.raises(ValueError, match="description"):
        theme._renderer(spec)


def test_choropleth_refuses_bad_input(rates):
    with pytest.raises(ValueError, match="one row per"):
        charts.choropleth(pd.concat([rates, rates]), value="rate", by="period", title="x", what="y")
    with pytest.raises(ValueError, match="no municipal shape for 02007"):
        charts.choropleth(pd.DataFrame({"mun_code": ["02007"], "rate": [1.0]}), value="rate", title="x", what="y",
                          bins=[1, 2])
    with pytest.raises(ValueError, match="thresholds must ascend"):
        charts.choropleth(rates, value="rate", by="period", title="x", what="y", bins=[10, 5])


def test_fold_new_municipalities_adds_children_to_parents():
    df = pd.DataFrame({"mun_code": ["02002", "02007", "16083"], "year": [2021] * 3, "homicides": [227, 1, 30],
                       "population": [1_105_279, pd.NA, 30_000]})
    out = maps.fold_new_municipalities(df, sums=["homicides", "population"], by=["year"])
    assert out.set_index("mun_code").loc["02002", "homicides"] == 228
    assert out.set_index("mun_code").loc["02002", "population"] == 1_105_279
    assert list(out["mun_code"]) == ["02002", "16083"]


def test_geometry_is_read_from_the_published_site_outside_a_checkout(monkeypatch):
    """Like the tables: a notebook without the repository reads the geometry from <site>/data/ (here a local
    server of data/processed, which the build publishes there)."""
    import functools
    import http.server
    import threading

    from enclaves import paths

    folder = paths.processed_dir()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(folder)))
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        local = maps.topology(maps.STATES)
        monkeypatch.setattr(data, "source", lambda: f"http://127.0.0.1:{srv.server_address[1]}")
        data.package.cache_clear()
        maps.topology.cache_clear()
        assert maps.topology(maps.STATES) == local
    finally:
        srv.shutdown()
        srv.server_close()
        data.package.cache_clear()
        maps.topology.cache_clear()


# ---------------------------------------------------------------- topology helpers


def test_subset_keeps_only_the_arcs_used_and_the_same_shapes():
    shapely = pytest.importorskip("shapely")  # the pipeline's dependencies
    from enclaves.pipeline.geography import shapes

    topo = maps.topology(maps.NATIONAL)
    codes = ["16083", "16102", "15058"]
    sub = topology.subset(topo, {"municipalities": codes})
    used = {topology.arc_index(r) for g in sub["objects"]["municipalities"]["geometries"]
            for r in topology.geometry_refs(g)}
    assert used == set(range(len(sub["arcs"])))
    full = shapes(topo, "full", "municipalities", topology.ids(topo, "municipalities"))
    part = shapes(sub, "subset", "municipalities", codes)
    for c in codes:
        assert shapely.equals_exact(part[c].normalize(), full[c].normalize(), tolerance=1e-9), c
    with pytest.raises(KeyError, match="99999"):
        topology.subset(topo, {"municipalities": ["99999"]})


def test_perimeter_of_two_squares():
    # two unit squares side by side share arc 1; arcs 0 and 2 are their outer edges
    geoms = [{"type": "Polygon", "arcs": [[0, 1]]}, {"type": "Polygon", "arcs": [[~1, 2]]}]
    assert topology.arc_users(geoms) == {0: [0], 1: [0, 1], 2: [1]}
    assert topology.perimeter_arcs(geoms) == [0, 2]


@pytest.mark.parametrize("slug", ["tancitaro", "monterrey", "nezahualcoyotl", "cheran"])
def test_case_locator_maps_show_the_case_and_its_comparison_sets(slug):
    import importlib

    from enclaves import geo
    from enclaves.cases import registry

    mod = importlib.import_module(f"enclaves.cases.{slug}")
    case = registry.get(slug)
    spec = mod.chart_locator().to_dict()
    rows = [r for d in spec["datasets"].values() if isinstance(d, list) for r in d if "category" in r]
    cats = {}
    for r in rows:
        cats.setdefault(r["category"], set()).add(r["mun_code"])
    assert cats[case.name] == {case.mun_code}
    comp = geo.comparison_groups(slug)
    shown = set().union(*cats.values())
    # Every coloured municipality is the case or a member of the chapter's comparison file; donor pools
    # (spread over the country) are not drawn.
    assert shown - {case.mun_code} <= set(comp["mun_code"])
    assert len(shown) == len(rows)  # each municipality in one category only
    assert spec["description"].startswith("Map of")


def test_decorative_map_layers_are_hidden_from_screen_readers(locator, national):
    """The grey base and the outlines carry no information of their own: aria=False keeps axe's svg-img-alt
    rule satisfied (the chart's description speaks for the map)."""
    for spec in (locator.to_dict(), national.to_dict()):
        marks = [layer["mark"] for layer in spec["layer"]]
        plain = [m for m in marks if isinstance(m, dict) and (m.get("filled") is False or "fill" in m)]
        assert plain and all(m.get("aria") is False for m in plain)
