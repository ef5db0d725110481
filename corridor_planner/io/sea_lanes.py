"""Geometry for links given without one: the straight geodesic, or a sea lane on searoute's maritime network.

``scripts/build_dataset.py`` (the shipped data) and :meth:`Network.extend`
(users' additions) both draw sea lanes here.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Iterable, Mapping
from typing import Any

from shapely.geometry import LineString

from ..model.chokepoints import lane_chokepoints
from ..model.geo import great_circle
from .geojson import as_feature, as_lonlat, geojson_geometry


def link_features(
    links: Iterable[Mapping[str, Any]], coords: Mapping[Any, Any], *, sea_lanes: bool = False
) -> list[dict[str, Any]]:
    """Link records as new GeoJSON features, those without geometry given one (:func:`fill_link_geometry`)."""
    feats = []
    for raw in links:
        feat = as_feature(raw)
        fill_link_geometry(feat, coords, sea_lanes=sea_lanes)
        feats.append(feat)
    return feats


def fill_link_geometry(feat: dict[str, Any], coords: Mapping[Any, Any], *, sea_lanes: bool = False) -> None:
    """Give a link feature that has no geometry one between its hubs, flagged ``approximate``.

    The geometry is the straight geodesic between the two hubs. With
    ``sea_lanes``, a sea link instead gets a lane on the maritime network of
    the optional ``searoute`` package (``pip install corridor_planner[data]``;
    a ``via`` of ``avoid:suez;babalmandab`` restricts it) and the chokepoints
    its geometry passes (:func:`~corridor_planner.model.chokepoints.lane_chokepoints`:
    the gates it crosses, the Caspian) are added to its ``chokepoints``; without searoute, or when
    it finds no lane, the geodesic is used. A feature whose hubs are unknown is
    left alone: parsing reports them.

    Parameters
    ----------
    feat : dict
        A GeoJSON link feature (as made by ``as_feature``); changed in place.
    coords : mapping
        Hub id -> (lon, lat).
    sea_lanes : bool
        Route sea links on searoute's network when it is installed.

    Examples
    --------
    >>> feat = {"type": "Feature", "properties": {"from": "a", "to": "b", "mode": "rail"}, "geometry": None}
    >>> fill_link_geometry(feat, {"a": (70.0, 45.0), "b": (71.0, 45.0)})
    >>> feat["geometry"]["type"], feat["properties"]["approximate"]
    ('LineString', True)
    """
    if feat.get("geometry") is not None:
        return
    props = feat["properties"]
    a, b = (as_lonlat(coords.get(hub) if isinstance(hub := props.get(end), str) else None) for end in ("from", "to"))
    if a is None or b is None:
        return
    line: LineString | None = None
    mode = props.get("mode")
    if sea_lanes and isinstance(mode, str) and mode.strip() == "sea":
        line = _sea_lane(a, b, sea_avoid(props.get("via")) or [])
        if line is not None:
            known = _as_items(props.get("chokepoints"))
            props["chokepoints"] = known + [c for c in lane_chokepoints(line) if c not in known]
    if line is None:
        line = great_circle(a, b)
    feat["geometry"] = geojson_geometry(line)
    props["approximate"] = True


def _as_items(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return []


LonLat = tuple[float, float]

SEA_DEFAULT_RESTRICTIONS = ("northwest", "bering")
"""Sea passages always closed: the Northwest Passage and the Bering Strait (no Arctic routes between Asia and Europe)."""

SEAROUTE_PASSAGES = {"south_africa": "cape_of_good_hope", "ormuz": "hormuz"}
"""searoute passage names that have another chokepoint id in this library."""

AVOID_PREFIX = "avoid:"
"""A sea link's ``via`` that starts with it lists passages its lane must avoid: ``avoid:suez;babalmandab``."""

SEA_CLOSED_WATERWAYS: dict[str, tuple[float, float, float, float]] = {
    # Corinth Canal: 21-25 m wide and 8 m deep; searoute would send a ship
    # from Gibraltar to Piraeus through it.
    "corinth": (22.90, 37.88, 23.05, 38.00),
}
"""Waterways of searoute's network closed to container ships, as boxes (min lon, min lat, max lon, max lat):
the edges with both ends inside are removed from the private copy of the network."""

SEA_EXTRA_LANES: tuple[tuple[LonLat, LonLat], ...] = (
    ((51.45, 43.05), (50.765625, 41.50613)),  # off Kuryk -> mid Caspian
    ((51.45, 43.05), (51.138611, 43.612217)),  # off Kuryk -> off Aktau
    ((49.65, 39.85), (50.850349, 40.296735)),  # off Alat -> south of Absheron
    ((49.65, 39.85), (50.534478, 39.684297)),  # off Alat -> south Caspian
    # Black Sea: Poti and Batumi (60 km apart) are otherwise joined by a
    # 190 km dog-leg through a node 80 km offshore.
    ((41.5099, 42.2115), (41.55, 41.68)),  # off Poti -> off Batumi
)
"""Lanes added to searoute's network where it is too coarse. The Caspian network has a handful
of nodes; without these, Kuryk snaps to the Aktau node (its lane then crosses the coast between
the two ports) and Alat to a node in the Bay of Baku."""


def sea_avoid(via: Any) -> list[str] | None:
    """The passages a sea link's ``via`` (``avoid:suez;babalmandab``) excludes; ``None`` when it is no avoid list."""
    items = _as_items(via)
    if not items or not items[0].startswith(AVOID_PREFIX):
        return None
    return [p for p in [items[0][len(AVOID_PREFIX) :].strip(), *items[1:]] if p]


@functools.cache
def sea_network() -> Any:
    """A private copy of searoute's maritime network with the corrections applied (closed waterways, extra lanes)."""
    from searoute.data.marnet_dict import edge_list, node_list
    from searoute.searoute import setup_M
    from searoute.utils import from_nodes_edges_set

    template = setup_M()
    # from_nodes_edges_set adopts the dicts it is given: copy them so that
    # searoute's own cached network stays untouched.
    network = from_nodes_edges_set(type(template)(), copy.deepcopy(node_list), copy.deepcopy(edge_list))
    for name, (x0, y0, x1, y1) in SEA_CLOSED_WATERWAYS.items():
        inside = [(u, v) for u, v in network.edges() if all(x0 <= p[0] <= x1 and y0 <= p[1] <= y1 for p in (u, v))]
        if not inside:
            raise RuntimeError(f"closed waterway {name!r}: no searoute edge inside its box")
        # removed, not tagged as a restricted passage: searoute's bidirectional Dijkstra can still return a
        # path through an edge whose weight is infinite (seen: Port Said - Trieste through the Corinth Canal)
        network.remove_edges_from(inside)
    for u, v in SEA_EXTRA_LANES:
        network.add_edge(tuple(u), tuple(v))
    return network


def valid_sea_passages() -> set[str]:
    """The passage names searoute can restrict (plus the closed waterways)."""
    from searoute.classes.passages import Passage

    return set(Passage.valid_passages()) | set(SEA_CLOSED_WATERWAYS)


def searoute_lane(a: LonLat, b: LonLat, avoid: Iterable[str] = ()) -> tuple[list[LonLat], list[str]]:
    """The sea lane a -> b on the corrected network (hub points added at both ends) and the passages searoute reports.

    The passages are searoute's (its ``traversed_passages``), for information: a link's chokepoints are
    computed from the lane's geometry (:func:`~corridor_planner.model.chokepoints.lane_chokepoints`).

    Raises ``ImportError`` without searoute and ``ValueError`` when there is no usable lane.
    """
    import searoute

    to_searoute = {ours: theirs for theirs, ours in SEAROUTE_PASSAGES.items()}
    restrict = sorted(set(SEA_DEFAULT_RESTRICTIONS) | {to_searoute.get(p, p) for p in avoid})
    feature = searoute.searoute(
        list(a), list(b), units="km", restrictions=restrict, return_passages=True, M=sea_network()
    )
    coords = [(float(x), float(y)) for x, y, *_ in feature["geometry"]["coordinates"]]
    if not coords or not math.isfinite(float(feature["properties"].get("length", math.inf))):
        raise ValueError(f"searoute found no lane with restrictions {restrict}")
    if any(not -180.0 <= x <= 180.0 or not -90.0 <= y <= 90.0 for x, y in coords):
        raise ValueError("the searoute lane crosses the antimeridian, which this library does not support")
    passages = sorted(
        {SEAROUTE_PASSAGES.get(str(p), str(p)) for p in feature["properties"].get("traversed_passages") or []}
    )
    line: list[LonLat] = []
    for point in [a, *coords, b]:
        if not line or point != line[-1]:
            line.append(point)
    if len(line) < 2:
        raise ValueError("the searoute lane is a single point")
    return line, passages


def _sea_lane(a: LonLat, b: LonLat, avoid: Iterable[str] = ()) -> LineString | None:
    """:func:`searoute_lane` as a LineString, or ``None`` without searoute or a lane (the caller falls back)."""
    try:
        points, _ = searoute_lane(a, b, avoid)
    except Exception:  # no searoute, or searoute fails in assorted ways for points it cannot connect
        return None
    return LineString(points)
