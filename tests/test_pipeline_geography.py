"""Geography (boundary files → neighbours and web TopoJSON): README spot values, neighbours against shapely,
sizes, and bad input of every kind the step refuses."""

from __future__ import annotations

import gzip
import json
import lzma
import math

import numpy as np
import pandas as pd
import pytest
import shapely

from enclaves import paths, pipeline, topology
from enclaves.errors import DataError
from enclaves.pipeline import geography as G

pytestmark = pytest.mark.usefixtures("raw_ready")

TARGETS = ["municipal_neighbours"]
ASSETS = ["geo_municipalities", "geo_municipalities_detail", "geo_states"]


@pytest.fixture(scope="module")
def made(raw_ready):
    return pipeline.compute(TARGETS, acquire=False)


@pytest.fixture(scope="module")
def raw_shapes(raw_ready):
    """The unsimplified 2020 municipalities as shapely polygons, decoded by the topojson package."""
    from enclaves import sources

    topo = G.read_mxmaps(sources.raw(G.MUN_2020))
    codes = [g["properties"]["id"] for g in topo["objects"]["municipios"]["geometries"]]
    return topo, codes, G.shapes(topo, G.MUN_2020, "municipios", codes)


def _web(made, name) -> dict:
    return json.loads(made[name])


# ---------------------------------------------------------------- outputs and spot values


def test_the_step_makes_the_table_and_the_three_files(made):
    assert set(made) >= {"municipal_neighbours", *ASSETS}
    for name in ASSETS:
        a = pipeline.ASSETS[name]
        assert made[name].endswith("\n") and (paths.processed_dir() / a.path).read_text(encoding="utf-8") == made[name]


@pytest.mark.parametrize("name,obj,count", [("geo_municipalities", "municipalities", 2_469),
                                            ("geo_municipalities_detail", "municipalities", 2_469),
                                            ("geo_states", "states", 32)])
def test_every_geometry_is_kept_with_an_area(made, name, obj, count):
    web = _web(made, name)
    ids = topology.ids(web, obj)
    assert len(ids) == len(set(ids)) == count
    shapes = G.shapes(web, name, obj, ids)  # raises on an empty or collapsed geometry
    assert all(s.area > 0 for s in shapes.values())


def test_readme_spot_codes_and_state_outlines(made):
    web = _web(made, "geo_municipalities")
    ids = set(topology.ids(web, "municipalities"))
    assert {"02006", "04012", "16083", "19039", "15058", "16024"} <= ids  # README 7.1 and 7.2
    outlines = web["objects"]["states"]["geometries"]
    assert [g["id"] for g in outlines] == [f"{i:02d}" for i in range(1, 33)]
    assert all(g["type"] == "MultiLineString" and g["arcs"] for g in outlines)


def test_state_outline_is_the_edge_of_its_municipalities(made):
    """Michoacán's outline arcs are exactly the arcs used once by its municipalities, and none of them is
    shared by two of its municipalities."""
    web = _web(made, "geo_municipalities_detail")
    mich = [g for g in web["objects"]["municipalities"]["geometries"] if g["id"].startswith("16")]
    users = topology.arc_users(mich)
    outline = next(g for g in web["objects"]["states"]["geometries"] if g["id"] == "16")
    arcs = [a for (a,) in outline["arcs"]]
    assert arcs == sorted(a for a, u in users.items() if len(u) == 1)
    assert all(len(users[a]) == 1 for a in arcs)


def test_simplified_states_keep_their_area(made, raw_shapes):
    _, _, full = raw_shapes
    web = _web(made, "geo_municipalities")
    simple = G.shapes(web, "web", "municipalities", topology.ids(web, "municipalities"))
    for st, (a, b) in G._state_areas(simple, full).items():
        assert a / b == pytest.approx(1, abs=G.AREA_TOLERANCE), st


def test_sizes_for_the_web(made, raw_shapes):
    """The national municipal map is small enough for a page (aim: at most 150 kB compressed), and each file is
    much smaller than the unsimplified topology it comes from."""
    raw = G.topojson_text(raw_shapes[0]).encode()
    sizes = {n: (len(made[n].encode()), len(gzip.compress(made[n].encode(), 9))) for n in ASSETS}
    assert sizes["geo_municipalities"][1] <= 150_000
    assert sizes["geo_municipalities"][0] < 0.6 * len(raw)
    assert sizes["geo_municipalities"][0] < sizes["geo_municipalities_detail"][0] < len(raw)
    assert sizes["geo_states"][1] <= 20_000


# ---------------------------------------------------------------- neighbours


def test_neighbours_are_symmetric_and_consistent(made):
    nb = made["municipal_neighbours"]
    back = nb.rename(columns={"mun_code": "neighbour_code", "neighbour_code": "mun_code"})
    both = nb.merge(back, on=["mun_code", "neighbour_code"], suffixes=("", "_back"))
    assert len(both) == len(nb)
    assert (both["shared_km"] == both["shared_km_back"]).all()
    assert (nb["same_state"] == (nb["mun_code"].str[:2] == nb["neighbour_code"].str[:2])).all()
    assert (nb["mun_code"] != nb["neighbour_code"]).all()
    assert nb.groupby("mun_code")["border_share"].sum().max() <= 1 + 1e-3
    assert nb["mun_code"].nunique() == 2_469


def test_nezahualcoyotl_borders_mexico_city(made):
    nb = made["municipal_neighbours"]
    neza = set(nb.loc[nb["mun_code"] == "15058", "neighbour_code"])
    # Iztapalapa, Gustavo A. Madero, Venustiano Carranza, Iztacalco; Chimalhuacán, Ecatepec, La Paz, Texcoco
    assert neza == {"09007", "09005", "09017", "09006", "15031", "15033", "15070", "15099"}


def _km(shared) -> float:
    """Great-circle length of the lines in a geometry, km, by the haversine formula (independent of the step's
    code); points (corner contacts) count nothing."""
    total = 0.0
    for part in shapely.get_parts(shared):
        if part.geom_type != "LineString":
            continue
        xy = np.radians(np.asarray(part.coords))
        for (x1, y1), (x2, y2) in zip(xy[:-1], xy[1:], strict=True):
            h = math.sin((y2 - y1) / 2) ** 2 + math.cos(y1) * math.cos(y2) * math.sin((x2 - x1) / 2) ** 2
            total += 2 * 6371.0088 * math.asin(math.sqrt(h))
    return total


def test_neighbours_agree_with_shapely(made, raw_shapes):
    """On the states of the cases and a random sample elsewhere: a pair is in the table exactly when shapely finds
    the two boundaries sharing a line (not only a point), every pair intersects, and the shared length is the
    length of shapely's intersection of the two boundaries."""
    _, codes, full = raw_shapes
    nb = made["municipal_neighbours"]
    rng = np.random.default_rng(17)
    sample = {c for c in codes if c[:2] in ("09", "15", "16", "19")} | set(rng.choice(codes, 150, replace=False))
    geoms = np.array([full[c] for c in codes])
    tree = shapely.STRtree(geoms)
    table = {(a, b): km for a, b, km in zip(nb["mun_code"], nb["neighbour_code"], nb["shared_km"], strict=True)}
    points_only = 0
    for c in sorted(sample):
        a = full[c]
        found = set()
        for j in tree.query(a, predicate="intersects"):
            other = codes[j]
            if other == c:
                continue
            line = a.boundary.intersection(geoms[j].boundary)
            if line.length > 0:
                found.add(other)
                assert table[(c, other)] == pytest.approx(_km(line), rel=1e-3, abs=1e-3), (c, other)
            else:
                points_only += 1
                assert (c, other) not in table
        listed = {b for (x, b) in table if x == c}
        assert listed == found, c
        assert all(a.intersects(full[b]) for b in listed)
    assert points_only > 0  # the sample has corner-only contacts, which are not neighbours


def test_parents_cover_every_code_without_a_shape(made):
    parents = pd.read_csv(paths.mappings_dir() / G.PARENTS, dtype=str)
    shaped = set(topology.ids(_web(made, "geo_municipalities"), "municipalities"))
    assert "02007" in set(parents["mun_code"]) and not set(parents["mun_code"]) & shaped
    assert set(parents["parent_code"]) <= shaped


# ---------------------------------------------------------------- bad input


def _json_tamper(mutate):
    def go(raw: bytes) -> bytes:
        topo = json.loads(raw)
        mutate(topo)
        return json.dumps(topo).encode()
    return go


def _state(topo, k):
    return topo["objects"]["collection"]["geometries"][k - 1]


@pytest.mark.parametrize("mutate,rule,row", [
    (lambda t: _state(t, 16).update(arcs=[]), "empty geometry (no arcs)", "geometry 16 (16)"),
    (lambda t: _state(t, 16)["properties"].update(NOM_ENT="Jalisco"), "NOM_ENT names another state", "geometry 16"),
    (lambda t: _state(t, 5)["properties"].update(CVEGEO="04"), "duplicated code", "geometry 5 (04)"),
    (lambda t: _state(t, 1).update(arcs=[[99999]]), "arc reference out of range", "geometry 1 (01)"),
    (lambda t: _state(t, 3).update(arcs=[[99999]]), "arcs are not nested as a MultiPolygon needs", "geometry 3 (03)"),
    (lambda t: _state(t, 7).update(type="Point"), "must be a Polygon or MultiPolygon", "geometry 7 (07)"),
    (lambda t: t["objects"].update(states=t["objects"].pop("collection")), "object 'collection' missing", None),
])
def test_bad_state_file(tampered, mutate, rule, row):
    path = tampered(G.STATES, _json_tamper(mutate))
    with pytest.raises(DataError) as e:
        G.read_states(path)
    assert e.value.file == G.STATES and rule in e.value.rule and e.value.row == row


def test_state_population_spot_value(tampered):
    path = tampered(G.STATES, _json_tamper(lambda t: _state(t, 16)["properties"].update(POBTOT=4_351_036)))
    with pytest.raises(DataError, match="POBTOT of state 16") as e:
        G.read_states(path)
    assert e.value.file == G.STATES


def test_collapsed_state_has_no_area(tampered):
    """A ring of one arc that goes out along a line and back has arcs but no area."""
    def collapse(t):
        t["arcs"].append([[0, 0], [5, 5], [5, 5], [-10, -10]])  # out along a line and back
        _state(t, 9).update(type="Polygon", arcs=[[len(t["arcs"]) - 1]])
    path = tampered(G.STATES, _json_tamper(collapse))
    with pytest.raises(DataError, match="empty geometry") as e:
        G.read_states(path)
    assert e.value.row == "geometry 9 (09)"


def test_bad_2010_file(tampered):
    path = tampered(G.MUN_2010, _json_tamper(lambda t: t["objects"]["municipios"]["geometries"][3]["properties"]
                                            .update(id="1608")))
    with pytest.raises(DataError, match=r"must match") as e:
        G.read_2010(path)
    assert e.value.file == G.MUN_2010 and e.value.row == "geometry 4"


def test_2010_municipality_missing_from_2020(tampered):
    """A 2010 code that the 2020 list does not have stops the step, naming the 2010 geometry."""
    def rename(t):
        g = next(g for g in t["objects"]["municipios"]["geometries"] if g["properties"]["id"] == "31001")
        g["properties"]["id"] = "31999"
    tampered(G.MUN_2010, _json_tamper(rename))
    with pytest.raises(DataError, match="missing from the 2020 boundaries") as e:
        pipeline.compute(TARGETS, acquire=False)
    assert e.value.file == G.MUN_2010 and "(31999)" in str(e.value.row)


def _rdata_tamper(old: bytes, new: bytes):
    def go(raw: bytes) -> bytes:
        data = lzma.decompress(raw)
        assert data.count(old) == 1 and len(old) == len(new)
        return lzma.compress(data.replace(old, new), format=lzma.FORMAT_XZ)
    return go


def test_duplicated_code_in_the_2020_file(tampered):
    path = tampered(G.MUN_2020, _rdata_tamper(b"31002", b"31001"))
    topo = G.read_mxmaps(path)
    with pytest.raises(DataError, match="duplicated code") as e:
        G.check_topology(topo, G.MUN_2020, "municipios", count=2_469, id_of=lambda g: g["properties"]["id"])
    assert e.value.file == G.MUN_2020 and e.value.row == "geometry 2 (31001)"


def test_unknown_code_in_the_2020_file_stops_the_step(tampered):
    tampered(G.MUN_2020, _rdata_tamper(b"16083", b"16999"))
    with pytest.raises(DataError, match="not in INEGI's catalog") as e:
        pipeline.compute(TARGETS, acquire=False)
    assert e.value.file == G.MUN_2020 and e.value.detail == "16999"


def test_unreadable_r_data_file(tampered):
    path = tampered(G.MUN_2020, lambda raw: raw[: len(raw) // 2])
    with pytest.raises(DataError, match="cannot be read as an R data file") as e:
        G.read_mxmaps(path)
    assert e.value.file == G.MUN_2020


# ---------------------------------------------------------------- parents and coverage


@pytest.fixture
def parents_copy(tmp_path, monkeypatch):
    """A copy of data/mappings to edit: ``parents_copy(edit)`` applies ``edit`` to geography_parents.csv."""
    import shutil

    dest = tmp_path / "mappings"
    shutil.copytree(paths.mappings_dir(), dest)
    monkeypatch.setattr(paths, "mappings_dir", lambda: dest)

    def edit(fn):
        p = dest / G.PARENTS
        df = fn(pd.read_csv(p, dtype=str, keep_default_na=False))
        df.to_csv(p, index=False)
    return edit


def _catalog():
    from enclaves import data

    m = data.load("municipalities")
    return dict(zip(m["mun_code"], m["mun_name"], strict=True))


@pytest.fixture(scope="module")
def shaped(made):
    return set(topology.ids(json.loads(made["geo_municipalities"]), "municipalities"))


@pytest.mark.parametrize("edit,rule,line", [
    (lambda d: d.assign(parent_name=d["parent_name"].where(d["mun_code"] != "02007", "Ensenada")),
     "disagree with INEGI's catalog", 2),
    (lambda d: d.assign(parent_code=d["parent_code"].where(d["mun_code"] != "04013", "04013"),
                        parent_name=d["parent_name"].where(d["mun_code"] != "04013", "Dzitbalché")),
     "the parent has no shape", 3),
    (lambda d: pd.concat([d, pd.DataFrame([{**d.iloc[0].to_dict(), "mun_code": "16083", "mun_name": "Tancítaro",
                                            "parent_code": "16102", "parent_name": "Uruapan"}])]),
     "has a shape of its own", 11),
    (lambda d: d.assign(source=d["source"].where(d["mun_code"] != "24059", "a newspaper")), "needs a source", 8),
    (lambda d: d.assign(created=d["created"].where(d["mun_code"] != "25019", "20x1")), "non-numeric", 9),
])
def test_bad_parent_mapping(parents_copy, shaped, edit, rule, line):
    parents_copy(edit)
    with pytest.raises(DataError, match=rule) as e:
        G.read_parents(_catalog(), shaped)
    assert e.value.file == G.PARENTS and e.value.row == line


def test_a_code_without_shape_or_parent_is_refused(shaped):
    with pytest.raises(DataError, match="no shape .* and no stated parent") as e:
        G.check_coverage(["16083", "02007"], shaped, set(), "homicides_municipal_annual")
    assert e.value.file == "homicides_municipal_annual" and e.value.row == "mun_code=02007"
    G.check_coverage(["16083", "02007"], shaped, {"02007"}, "homicides_municipal_annual")


def test_missing_parent_row_stops_the_step(parents_copy):
    parents_copy(lambda d: d[d["mun_code"] != "02007"])
    with pytest.raises(DataError, match="no stated parent") as e:
        pipeline.compute(TARGETS, acquire=False)
    assert e.value.row == "mun_code=02007"
