"""Geography: municipal and state boundaries for the book's maps, and municipal neighbours.

Three upstream files, all INEGI's Marco Geoestadístico as redistributed by Valle-Jones:

* the 2020 municipal list (2,469 municipalities), a TopoJSON held as an R list in an R data file
  (mxmaps): read with ``rdata`` (pyreadr cannot), every length-1 vector unwrapped to a scalar. It is
  the base of every output: the 2010 file below is simplified so far that dozens of small
  municipalities have collapsed to rings without area;
* the 2010 municipal list (2,457), TopoJSON: read only to check that no 2010 municipality is missing
  from the 2020 list;
* the states (32), TopoJSON with 2010 census attributes: the state maps, and a check that the 2020
  municipalities of each state cover the state's area.

The step checks every geometry (a 5-digit code, unique, a polygon with arcs that exist, an area), that
every municipality of INEGI's catalog and of ``homicides_municipal_annual`` has a shape or a stated
parent (a municipality created after the 2020 list, ``data/mappings/geography_parents.csv``, with the
news report or decree that says where it came from), and the raw README's spot values. It writes:

* ``municipal_neighbours``: pairs of municipalities that share boundary arcs in the 2020 topology
  (rook contiguity), with the shared length in km (great-circle, along the arcs);
* three TopoJSON files for the web (assets; the ``topojson`` package simplifies the shared arcs, so
  neighbours stay joined, and quantizes them): all municipalities for a national map, the same at
  finer detail for state and locator maps (a chart keeps only its states' part), and the states. The
  municipal files also hold each state's outline as lines (the arcs on the state's edge).
"""

from __future__ import annotations

import copy
import json
import re
from collections import defaultdict

import numpy as np
import pandas as pd

from .. import geo, paths, topology
from ..errors import DataError
from . import readers
from .core import MUN_CODE, Column, asset, step, table

FAMILY = "geography"
MUN_2020 = "geo_mun_topojson_2020_mxmaps"
MUN_2010 = "geo_mun_topojson_2010"
STATES = "geo_state_topojson"
PARENTS = "geography_parents.csv"
R_OBJECT = "mxmunicipio.topoJSON"
CODE = r"\d{5}"
EARTH_KM = 6371.0088  # mean Earth radius (IUGG)
#: Simplification (Douglas-Peucker tolerance, degrees) and quantization (grid steps across the map) of
#: the files for the web: about 1.5 km for a map of all Mexico, about 200 m for a state or a locator map.
NATIONAL = {"epsilon": 0.015, "quantize": 10_000}
DETAIL = {"epsilon": 0.002, "quantize": 100_000}
STATE_WEB = {"epsilon": 0.01, "quantize": 10_000}
#: How far a state's simplified area may drift from the unsimplified one, and the 2020 municipalities'
#: area from the state file's (a share).
AREA_TOLERANCE = 0.03

MUN_OBJECTS = {"municipalities": "one polygon per municipality of INEGI's 2020 list; id = mun_code "
                                 "(5-character INEGI code)",
               "states": "each state's outline as lines (the arcs on its edge, from its municipalities); "
                         "id = state_code"}
_MUN_CAVEATS = ["Boundaries of the 2020 municipal list: the municipalities created since (data/mappings/"
                "geography_parents.csv) lie inside the municipality they came from; map their values "
                "with the parent's or leave them out.",
                "Simplified for display: do not measure areas or lengths on it (municipal_neighbours has "
                "lengths measured on the unsimplified boundaries)."]

table("municipal_neighbours", title="Neighbouring municipalities (shared boundaries)",
      description=("Pairs of municipalities that share a stretch of boundary (rook contiguity) in INEGI's "
                   "2020 municipal boundaries, with the length of the shared boundary and its share of the "
                   "municipality's whole boundary. Every pair appears in both directions."),
      columns=[MUN_CODE,
               Column("neighbour_code", "string", "INEGI code of the neighbouring municipality",
                      pattern=r"^\d{5}$"),
               Column("shared_km", "number", "Length of the shared boundary, great-circle along the boundary "
                                             "file's arcs", unit="km", minimum=0, decimals=3),
               Column("border_share", "number", "Shared boundary as a share of the municipality's whole boundary "
                                                "(coast and international border included)", unit="share",
                      minimum=0, maximum=1, decimals=4),
               Column("same_state", "boolean", "Whether both municipalities are in the same state")],
      primary_key=["mun_code", "neighbour_code"], sources=[MUN_2020], family=FAMILY, chapters=["cheran"],
      caveats=["Rook contiguity: municipalities that meet only at a point are not neighbours.",
               "Lengths are measured on the boundary file's generalised lines, so they are shorter than "
               "surveyed boundaries; they suit weights and comparisons.",
               "Municipalities created after the 2020 list (data/mappings/geography_parents.csv) have no "
               "rows; their area lies in the parent's."])

asset("geo_municipalities", path="geo_municipalities.topojson",
      title="Municipal boundaries for maps of all Mexico (TopoJSON)",
      description=(f"INEGI's municipal boundaries (2020 list) simplified for a national map: arcs simplified "
                   f"with a tolerance of {NATIONAL['epsilon']} degrees and quantized to a grid of "
                   f"{NATIONAL['quantize']:,} steps across the country."),
      objects=MUN_OBJECTS, sources=[MUN_2020], family=FAMILY, chapters=["introduction"], caveats=_MUN_CAVEATS)
asset("geo_municipalities_detail", path="geo_municipalities_detail.topojson",
      title="Municipal boundaries for state and locator maps (TopoJSON)",
      description=(f"INEGI's municipal boundaries (2020 list) at finer detail, for maps of a state or a few "
                   f"states (a chart keeps only their part): arcs simplified with a tolerance of "
                   f"{DETAIL['epsilon']} degrees and quantized to a grid of {DETAIL['quantize']:,} steps."),
      objects=MUN_OBJECTS, sources=[MUN_2020], family=FAMILY,
      chapters=["tancitaro", "monterrey", "nezahualcoyotl", "cheran"], caveats=_MUN_CAVEATS)
asset("geo_states", path="geo_states.topojson", title="State boundaries for maps (TopoJSON)",
      description=(f"INEGI's boundaries of the 32 states simplified for a national map: arcs simplified with "
                   f"a tolerance of {STATE_WEB['epsilon']} degrees and quantized to a grid of "
                   f"{STATE_WEB['quantize']:,} steps."),
      objects={"states": "one polygon per state; id = state_code (2-character INEGI code)"},
      sources=[STATES], family=FAMILY, chapters=["cross_case"],
      caveats=["From a different vintage of INEGI's framework than the municipal files: its lines do not "
               "match the municipal files' state outlines exactly; draw one or the other."])


# ------------------------------------------------------------------ reading


def _plain(x):
    """An R object as rdata converts it → plain JSON values (R's length-1 vectors become scalars)."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return x.item() if x.shape == (1,) else [_plain(v) for v in x.tolist()]
    if isinstance(x, np.generic):
        return x.item()
    return x


def read_mxmaps(path) -> dict:
    """The 2020 municipal topology from mxmaps' R data file, as plain TopoJSON."""
    import rdata

    try:
        objs = rdata.read_rda(path)
    except Exception as e:  # any failure of the R reader means an unreadable file
        raise DataError(MUN_2020, "file cannot be read as an R data file", detail=f"{type(e).__name__}: {e}") from None
    if R_OBJECT not in objs:
        raise DataError(MUN_2020, f"R object {R_OBJECT!r} missing", detail=f"objects: {sorted(map(str, objs))}")
    return _plain(objs[R_OBJECT])


def _geometries(topo, file: str, obj: str) -> list[dict]:
    if not isinstance(topo, dict) or topo.get("type") != "Topology":
        raise DataError(file, "not a TopoJSON topology (type must be 'Topology')")
    try:
        geoms = topo["objects"][obj]["geometries"]
    except (KeyError, TypeError):
        raise DataError(file, f"TopoJSON object {obj!r} missing",
                        detail=f"objects: {list(topo.get('objects') or {})}") from None
    tr = topo.get("transform") or {}
    if not all(len(tr.get(k) or ()) == 2 for k in ("scale", "translate")):
        raise DataError(file, "a quantized topology needs a transform with scale and translate")
    for i, arc in enumerate(topo.get("arcs") or []):
        if not isinstance(arc, list) or len(arc) < 2 or any(not isinstance(p, list) or len(p) != 2 for p in arc):
            raise DataError(file, "an arc needs at least two points of two coordinates", row=f"arc {i}")
    return geoms


def check_topology(topo, file: str, obj: str, *, count: int, id_of, pattern: str = CODE) -> list[str]:
    """The codes of a topology's polygons, in order, after checking every geometry: a code matching
    ``pattern``, unique, a Polygon or MultiPolygon, at least one arc, every arc it names present."""
    geoms = _geometries(topo, file, obj)
    readers.expect_equal(len(geoms), count, file, f"number of geometries in object {obj}")
    n_arcs = len(topo["arcs"])
    seen: dict[str, int] = {}
    for k, g in enumerate(geoms, 1):
        code = id_of(g)
        if not isinstance(code, str) or not re.fullmatch(pattern, code):
            raise DataError(file, f"geometry code must match {pattern}", row=f"geometry {k}", detail=repr(code))
        row = f"geometry {k} ({code})"
        if code in seen:
            raise DataError(file, "duplicated code", row=row, detail=f"also geometry {seen[code]}")
        seen[code] = k
        if g.get("type") not in ("Polygon", "MultiPolygon"):
            raise DataError(file, "geometry must be a Polygon or MultiPolygon", row=row, detail=repr(g.get("type")))
        try:
            refs = topology.geometry_refs(g)
        except TypeError:
            raise DataError(file, f"arcs are not nested as a {g['type']} needs", row=row) from None
        if not refs:
            raise DataError(file, "empty geometry (no arcs)", row=row)
        bad = [r for r in refs if not isinstance(r, int) or topology.arc_index(r) >= n_arcs]
        if bad:
            raise DataError(file, f"arc reference out of range (the file has {n_arcs} arcs)", row=row,
                            detail=repr(bad[0]))
    return list(seen)


def _build(topo: dict, obj: str):
    """Each geometry of an object as a shapely geometry, or the error that stopped it (decoded with the
    ``topojson`` package)."""
    from shapely.geometry import shape
    from topojson.ops import arc_coordinates
    from topojson.utils import geometry

    arcs = arc_coordinates(topo["arcs"], topo.get("transform"))
    for g in topo["objects"][obj]["geometries"]:
        try:
            yield shape(geometry(g, arcs))
        except (ValueError, TypeError, IndexError) as e:
            yield e


def shapes(topo: dict, file: str, obj: str, codes: list[str]) -> dict:
    """code → shapely geometry; a geometry that cannot be built or has no area is an error naming it."""
    out = {}
    for k, (s, code) in enumerate(zip(_build(topo, obj), codes, strict=True), 1):
        if isinstance(s, Exception):
            raise DataError(file, "geometry cannot be built from its arcs", row=f"geometry {k} ({code})",
                            detail=str(s))
        if s.is_empty or not s.area > 0:
            raise DataError(file, "empty geometry (no area)", row=f"geometry {k} ({code})")
        out[code] = s
    return out


def arc_lengths_km(topo: dict) -> np.ndarray:
    """Great-circle length of every arc (haversine along its points), km."""
    from topojson.ops import arc_coordinates

    out = np.zeros(len(topo["arcs"]))
    for i, xy in enumerate(arc_coordinates(topo["arcs"], topo.get("transform"))):
        lon, lat = np.radians(np.asarray(xy, dtype=float)).T
        h = np.sin(np.diff(lat) / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
        out[i] = float(np.sum(2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))))
    return out


# ------------------------------------------------------------------ outputs


def neighbours(topo: dict, obj: str, codes: list[str], file: str = MUN_2020) -> pd.DataFrame:
    """Pairs of geometries that share arcs, both ways, with the shared length and its share of the
    municipality's boundary."""
    geoms = topo["objects"][obj]["geometries"]
    km = arc_lengths_km(topo)
    perimeter = [sum(km[topology.arc_index(r)] for r in topology.geometry_refs(g)) for g in geoms]
    shared: dict[tuple[int, int], float] = defaultdict(float)
    for arc, users in sorted(topology.arc_users(geoms).items()):
        distinct = sorted(set(users))
        if len(distinct) > 2:
            raise DataError(file, "an arc is shared by more than two municipalities (overlapping shapes)",
                            row=f"arc {arc}", detail=", ".join(codes[u] for u in distinct))
        if len(distinct) == 2:
            shared[(distinct[0], distinct[1])] += km[arc]
    alone = sorted(set(range(len(codes))) - {i for pair in shared for i in pair})
    if alone:  # every municipality of the 2020 list has a land boundary with another
        raise DataError(file, "municipality shares no boundary with any other (misplaced shape?)",
                        row=f"geometry {alone[0] + 1} ({codes[alone[0]]})")
    rows = []
    for (a, b), length in shared.items():
        rows.append((codes[a], codes[b], length, length / perimeter[a]))
        rows.append((codes[b], codes[a], length, length / perimeter[b]))
    out = pd.DataFrame(rows, columns=["mun_code", "neighbour_code", "shared_km", "border_share"])
    out["same_state"] = out["mun_code"].str[:2] == out["neighbour_code"].str[:2]
    return out


def _number(x: float) -> float:
    return float(f"{float(x):.10g}")


def web_topology(topo: dict, obj: str, codes: list[str], *, epsilon: float, quantize: int, name: str,
                 outlines: bool) -> dict:
    """The topology of one object simplified (``epsilon`` degrees, Douglas-Peucker on the shared arcs, so
    neighbours stay joined) and quantized (``quantize`` steps) with the ``topojson`` package; geometries
    keep only their code (``id``). A ring too small for the tolerance can lose its area: its arcs are then
    taken unsimplified (on the same grid). With ``outlines``, an
    object ``states`` holds each state's edge as lines."""
    import topojson

    src = {"type": "Topology", "transform": topo["transform"], "arcs": topo["arcs"],
           "objects": {obj: copy.deepcopy(topo["objects"][obj])}}
    base = topojson.Topology(src, prequantize=False, object_name=obj)
    web = base.toposimplify(epsilon).topoquantize(quantize).to_dict()
    flat = [i for i, s in enumerate(_build(web, obj)) if isinstance(s, Exception) or not s.area > 0]
    if flat:
        whole = base.topoquantize(web["transform"]).to_dict()  # unsimplified, on the same grid
        for i in flat:
            for ref in topology.geometry_refs(web["objects"][obj]["geometries"][i]):
                web["arcs"][topology.arc_index(ref)] = whole["arcs"][topology.arc_index(ref)]
    geoms = [{"type": g["type"], "arcs": g["arcs"], "id": c}
             for g, c in zip(web["objects"][obj]["geometries"], codes, strict=True)]
    objects = {name: {"type": "GeometryCollection", "geometries": geoms}}
    if outlines:
        by_state: dict[str, list[dict]] = defaultdict(list)
        for g in geoms:
            by_state[g["id"][:2]].append(g)
        objects["states"] = {"type": "GeometryCollection", "geometries": [
            {"type": "MultiLineString", "arcs": [[a] for a in topology.perimeter_arcs(gs)], "id": st}
            for st, gs in sorted(by_state.items())]}
    tr = web["transform"]
    return {"type": "Topology", "bbox": [_number(v) for v in web["bbox"]],
            "transform": {"scale": [_number(v) for v in tr["scale"]],
                          "translate": [_number(v) for v in tr["translate"]]},
            "objects": objects, "arcs": [[[int(v) for v in p] for p in arc] for arc in web["arcs"]]}


def check_web(web: dict, name: str, full: dict, file: str) -> None:
    """A web topology keeps every geometry with an area, and each state's area within the tolerance of
    the unsimplified one."""
    codes = topology.ids(web, name)
    readers.expect_equal(codes, list(full), file, f"codes of the simplified object {name}")
    simple = shapes(web, f"{file} (simplified)", name, codes)
    for st, (a, b) in sorted(_state_areas(simple, full).items()):
        if abs(a / b - 1) > AREA_TOLERANCE:
            raise DataError(f"{file} (simplified)", f"simplification moved a state's area by more than "
                            f"{AREA_TOLERANCE:.0%}", row=f"state {st}", detail=f"ratio {a / b:.3f}")


def _state_areas(a: dict, b: dict) -> dict[str, tuple[float, float]]:
    """state → (area in ``a``, area in ``b``): shapes keyed by municipality or state code (planar degrees²,
    for ratios only)."""
    sa: dict[str, float] = defaultdict(float)
    sb: dict[str, float] = defaultdict(float)
    for code, s in a.items():
        sa[code[:2]] += s.area
    for code, s in b.items():
        sb[code[:2]] += s.area
    return {st: (sa[st], sb[st]) for st in sorted(set(sa) | set(sb))}


def topojson_text(topo: dict) -> str:
    return json.dumps(topo, separators=(",", ":"), ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ parents and coverage

PARENT_COLUMNS = ["mun_code", "mun_name", "parent_code", "parent_name", "created", "source", "note"]


def read_parents(catalog: dict[str, str], shaped: set[str]) -> pd.DataFrame:
    """data/mappings/geography_parents.csv, checked: each municipality is in INEGI's catalog under that
    name and has no shape of its own; its parent has one, is in the same state and is named right."""
    f = PARENTS
    df = readers.read_table(paths.mappings_dir() / f, columns=PARENT_COLUMNS)
    df["line"] = range(2, len(df) + 2)
    readers.check_unique(df, ["mun_code"], f)
    created = readers.to_number(df, "created", f)
    readers.check_years(created, 1990, 2030, f)
    for r in df.itertuples():
        for code, name in ((r.mun_code, r.mun_name), (r.parent_code, r.parent_name)):
            if catalog.get(code) != name:
                raise DataError(f, "code and name disagree with INEGI's catalog (municipalities)", row=r.line,
                                detail=f"{code} {name!r}; catalog: {catalog.get(code)!r}")
        if r.mun_code in shaped:
            raise DataError(f, "the municipality has a shape of its own: it needs no parent", row=r.line,
                            detail=r.mun_code)
        if r.parent_code not in shaped:
            raise DataError(f, "the parent has no shape in the 2020 boundaries", row=r.line, detail=r.parent_code)
        if r.parent_code[:2] != r.mun_code[:2]:
            raise DataError(f, "the parent is in another state", row=r.line, detail=f"{r.mun_code} → {r.parent_code}")
        if "http" not in r.source:
            raise DataError(f, "every parent needs a source with its address", row=r.line)
    return df.drop(columns="line")


def check_coverage(codes, shaped: set[str], parents: set[str], file: str) -> None:
    """Every code has a shape or a stated parent."""
    missing = sorted(set(codes) - shaped - parents)
    if missing:
        raise DataError(file, f"municipality has no shape in {MUN_2020} and no stated parent in "
                              f"data/mappings/{PARENTS}", row=f"mun_code={missing[0]}",
                        detail=f"{len(missing)} such: {', '.join(missing[:8])}")


# ------------------------------------------------------------------ the step


def read_states(path) -> tuple[dict, list[str], dict]:
    """The state file: 32 states coded 01-32 in order, each name (NOM_ENT) that of its code, the README's
    2010 population of Michoacán, and every shape with an area."""
    topo = readers.read_json(path, STATES)
    codes = check_topology(topo, STATES, "collection", count=32, pattern=r"\d{2}",
                           id_of=lambda g: (g.get("properties") or {}).get("CVEGEO"))
    readers.expect_equal(codes == [f"{i:02d}" for i in range(1, 33)], True, STATES, "CVEGEO runs 01-32 in order")
    props = [g["properties"] for g in topo["objects"]["collection"]["geometries"]]
    for k, p in enumerate(props, 1):
        got = geo.state_code(p.get("NOM_ENT", ""), STATES, row=f"geometry {k}")
        if got != p["CVEGEO"]:
            raise DataError(STATES, "NOM_ENT names another state than CVEGEO", row=f"geometry {k}",
                            detail=f"{p['NOM_ENT']!r} is {got}, CVEGEO {p['CVEGEO']}")
    readers.expect_equal(props[15].get("POBTOT"), 4_351_037, STATES, "POBTOT of state 16 (2010 census)")
    return topo, codes, shapes(topo, STATES, "collection", codes)


def read_2010(path) -> list[str]:
    """The codes of the 2010 municipal list (README 7.1: 2,457, among them the cases and Cherán)."""
    old = readers.read_json(path, MUN_2010)
    codes = check_topology(old, MUN_2010, "municipios", count=2_457,
                           id_of=lambda g: (g.get("properties") or {}).get("id"))
    for code in ("16083", "19039", "15058", "16024"):
        readers.expect_equal(code in codes, True, MUN_2010, f"a shape for {code}")
    return codes


@step(sources=[MUN_2020, MUN_2010, STATES], needs=["municipalities", "homicides_municipal_annual"],
      outputs=["municipal_neighbours", "geo_municipalities", "geo_municipalities_detail", "geo_states"],
      family=FAMILY)
def geography(inp):
    catalog_df = inp.table("municipalities")
    catalog = dict(zip(catalog_df["mun_code"], catalog_df["mun_name"], strict=True))
    # the two small JSON files first (reading the R data file takes seconds)
    states_topo, state_codes, state_shapes = read_states(inp.raw(STATES))
    old_codes = read_2010(inp.raw(MUN_2010))

    mun = read_mxmaps(inp.raw(MUN_2020))
    codes = check_topology(mun, MUN_2020, "municipios", count=2_469,
                           id_of=lambda g: (g.get("properties") or {}).get("id"))
    unknown = [c for c in codes if c not in catalog]
    if unknown:
        raise DataError(MUN_2020, "code not in INEGI's catalog (municipalities)",
                        row=f"geometry {codes.index(unknown[0]) + 1}", detail=unknown[0])
    for code in ("02006", "04012", "16083", "19039", "15058"):  # README 7.2 and the three cases
        readers.expect_equal(code in codes, True, MUN_2020, f"a shape for {code}")
    gone = [c for c in old_codes if c not in set(codes)]
    if gone:
        raise DataError(MUN_2010, "a municipality of the 2010 list is missing from the 2020 boundaries",
                        row=f"geometry {old_codes.index(gone[0]) + 1} ({gone[0]})")
    full = shapes(mun, MUN_2020, "municipios", codes)
    for st, (a, b) in _state_areas(full, state_shapes).items():
        if abs(a / b - 1) > AREA_TOLERANCE:
            raise DataError(MUN_2020, f"the state's municipalities and its shape in {STATES} differ in area "
                            f"by more than {AREA_TOLERANCE:.0%}", row=f"state {st}", detail=f"ratio {a / b:.3f}")

    shaped = set(codes)
    parents = read_parents(catalog, shaped)
    check_coverage(catalog, shaped, set(parents["mun_code"]), "municipalities")
    check_coverage(inp.table("homicides_municipal_annual")["mun_code"].unique(), shaped,
                   set(parents["mun_code"]), "homicides_municipal_annual")

    out = {"municipal_neighbours": neighbours(mun, "municipios", codes)}
    for name, cfg in (("geo_municipalities", NATIONAL), ("geo_municipalities_detail", DETAIL)):
        web = web_topology(mun, "municipios", codes, name="municipalities", outlines=True, **cfg)
        check_web(web, "municipalities", full, MUN_2020)
        out[name] = topojson_text(web)
    web = web_topology(states_topo, "collection", state_codes, name="states", outlines=False, **STATE_WEB)
    check_web(web, "states", state_shapes, STATES)
    out["geo_states"] = topojson_text(web)
    return out
