"""TopoJSON helpers shared by the pipeline (:mod:`enclaves.pipeline.geography`) and the map charts
(:mod:`enclaves.charts.maps`). Pure Python on the TopoJSON dictionary, no geometry library.

In a TopoJSON topology, polygons and lines are lists of references to shared *arcs*: ``i`` is arc ``i``
as stored, ``~i`` (``-i - 1``) the same arc reversed. Two municipalities that share a boundary refer to
the same arc, which is what :func:`arc_users` counts and :func:`subset` keeps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def arc_index(ref: int) -> int:
    """The arc a reference points to (``~i`` is arc ``i`` reversed)."""
    return ref if ref >= 0 else ~ref


def geometry_refs(geom: dict) -> list[int]:
    """Every arc reference of a Polygon, MultiPolygon, LineString or MultiLineString, in order."""
    kind, arcs = geom.get("type"), geom.get("arcs") or []
    if kind == "LineString":
        return list(arcs)
    if kind in ("Polygon", "MultiLineString"):
        return [r for part in arcs for r in part]
    if kind == "MultiPolygon":
        return [r for poly in arcs for ring in poly for r in ring]
    raise ValueError(f"geometry type {kind!r} has no arcs")


def arc_users(geometries: Iterable[dict]) -> dict[int, list[int]]:
    """Arc index → positions of the geometries that use it (a position appears twice when one geometry
    uses the arc twice)."""
    users: dict[int, list[int]] = defaultdict(list)
    for pos, geom in enumerate(geometries):
        for ref in geometry_refs(geom):
            users[arc_index(ref)].append(pos)
    return dict(users)


def perimeter_arcs(geometries: Iterable[dict]) -> list[int]:
    """The arcs on the outer boundary of a set of polygons (used once among them), in arc order: the
    outline of a state drawn from its municipalities, without the boundaries between them."""
    return sorted(a for a, u in arc_users(geometries).items() if len(u) == 1)


def _renumber(arcs, new: dict[int, int]):
    if isinstance(arcs, int):
        i = arc_index(arcs)
        return new[i] if arcs >= 0 else ~new[i]
    return [_renumber(a, new) for a in arcs]


def subset(topology: dict, objects: dict[str, Iterable[str] | None]) -> dict:
    """A topology with only ``objects`` (name → the ids of the geometries to keep, or None for all of
    them), in the order given, and only the arcs those geometries use, renumbered in order of first use.
    The transform (quantization) is kept. Raises KeyError for an unknown object or id."""
    out_objects: dict[str, dict] = {}
    new: dict[int, int] = {}
    for name, ids in objects.items():
        geoms = topology["objects"][name]["geometries"]
        if ids is not None:
            by_id = {g["id"]: g for g in geoms}
            wanted = list(dict.fromkeys(ids))
            missing = [i for i in wanted if i not in by_id]
            if missing:
                raise KeyError(f"object {name!r} has no geometry with id {', '.join(map(str, missing[:5]))}")
            geoms = [by_id[i] for i in wanted]
        for g in geoms:
            for ref in geometry_refs(g):
                new.setdefault(arc_index(ref), len(new))
        out_objects[name] = {"type": "GeometryCollection",
                             "geometries": [{**g, "arcs": _renumber(g["arcs"], new)} for g in geoms]}
    arcs = [None] * len(new)
    for old, i in new.items():
        arcs[i] = topology["arcs"][old]
    out = {"type": "Topology"}
    if "transform" in topology:
        out["transform"] = topology["transform"]
    out.update(objects=out_objects, arcs=arcs)
    return out


def ids(topology: dict, name: str) -> list[str]:
    """The ids of an object's geometries, in order."""
    return [g["id"] for g in topology["objects"][name]["geometries"]]
