"""Shortest paths over the routing graph under constraints.

A query is a :class:`Query` (frozen, hashable). Constraints become a boolean
mask over the graph's edges; the objective becomes a weight array. The search
is Dijkstra with lexicographic tie-breaking (objective, then time or cost,
then node order), so the same query always gives the same route. Ordered
``via`` hubs are handled exactly by searching over (node, number of via hubs
reached) states.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .errors import InvalidQueryError, NoRouteError
from .geo import reverse
from .model import CARGO_CLASSES, Mode
from .route import Leg, Route, Stop

if TYPE_CHECKING:  # pragma: no cover
    from .graph import RoutingGraph
    from .network import Network

__all__ = ["OBJECTIVES", "Query", "search"]

OBJECTIVES = ("time", "distance", "cost", "co2")
"""The criteria a route can be optimised for."""


@dataclass(frozen=True)
class Query:
    """A routing query with resolved hub ids; every field hashable."""

    origin: str
    destination: str
    optimize: str = "time"
    via: tuple[tuple[str, str | None], ...] = ()
    avoid_countries: frozenset[str] = frozenset()
    avoid_modes: frozenset[str] = frozenset()
    avoid_hubs: frozenset[str] = frozenset()
    avoid_chokepoints: frozenset[str] = frozenset()
    cargo: str = "container"
    as_of: int = 2026


def check_options(optimize: str, cargo: str) -> None:
    if optimize not in OBJECTIVES:
        raise InvalidQueryError(f"optimize={optimize!r} is not a valid option, must be one of {', '.join(OBJECTIVES)}")
    if cargo not in CARGO_CLASSES:
        raise InvalidQueryError(f"cargo={cargo!r} is not a valid option, must be one of {', '.join(sorted(CARGO_CLASSES))}")


def check_modes(modes: Sequence[str], what: str) -> None:
    valid_modes = [m.value for m in Mode]
    for mode in modes:
        if mode not in valid_modes:
            raise InvalidQueryError(f"{what}: {mode!r} is not a mode, must be among {', '.join(valid_modes)}")


def allowed_mask(graph: RoutingGraph, q: Query) -> npt.NDArray[np.bool_]:
    """Edges a query may use: the constraints hide edges, they never copy the graph."""
    allowed = np.ones(graph.n_edges, dtype=bool)
    for names, index in (
        (q.avoid_countries, graph.edges_by_country),
        (q.avoid_modes, graph.edges_by_mode),
        (q.avoid_hubs, graph.edges_by_hub),
        (q.avoid_chokepoints, graph.edges_by_chokepoint),
    ):
        for name in names:
            edges = index.get(name)
            if edges is not None:
                allowed[edges] = False
    closed = graph.link_opens > q.as_of
    if q.cargo:
        closed |= np.fromiter((q.cargo not in c for c in graph.link_cargo), dtype=bool, count=len(graph.link_cargo))
    allowed[graph.link_edges[closed]] = False
    return allowed


def search(net: Network, q: Query) -> list[int] | None:
    """Edge ids of the optimal path for ``q``, or ``None`` if there is none."""
    graph = net._graph
    allowed = net._mask(q)
    weight, second = net._weight_lists(q.optimize)
    adjacency = graph.adjacency
    node_hub = graph.node_hub
    node_mode = graph.node_mode
    start = graph.node(q.origin, "o")
    target = graph.node(q.destination, "t")
    via = q.via
    n_via = len(via)
    k0 = 0
    while k0 < n_via and via[k0][0] == q.origin and via[k0][1] is None:
        k0 += 1
    best: dict[tuple[int, int], tuple[float, float]] = {(start, k0): (0.0, 0.0)}
    pred: dict[tuple[int, int], tuple[int, int, int]] = {}
    done: set[tuple[int, int]] = set()
    heap: list[tuple[float, float, int, int]] = [(0.0, 0.0, start, k0)]
    goal = (target, n_via)
    while heap:
        w, s, u, k = heapq.heappop(heap)
        state = (u, k)
        if state in done:
            continue
        done.add(state)
        if state == goal:
            break
        for v, e in adjacency[u]:
            if not allowed[e]:
                continue
            k2 = k
            while k2 < n_via and node_hub[v] == via[k2][0] and (via[k2][1] is None or via[k2][1] == node_mode[v]):
                k2 += 1
            nxt = (v, k2)
            if nxt in done:
                continue
            cand = (w + weight[e], s + second[e])
            old = best.get(nxt)
            if old is None or cand < old:
                best[nxt] = cand
                pred[nxt] = (u, k, e)
                heapq.heappush(heap, (cand[0], cand[1], v, k2))
    if goal not in done:
        return None
    edges: list[int] = []
    state = goal
    while state != (start, k0):
        u, k, e = pred[state]
        edges.append(e)
        state = (u, k)
    edges.reverse()
    return edges


def build_route(net: Network, q: Query, edges: Sequence[int]) -> Route:
    """Turn a path of edge ids into a :class:`Route` with legs and stops."""
    graph = net._graph
    hubs = net._hubs
    legs: list[Leg] = []
    pending: list[Stop] = []
    chokepoints: list[str] = []
    for e in edges:
        info = graph.info[e]
        chokepoints.extend(sorted(graph.edge_chokepoints[e]))
        stops = [
            Stop(p.hub, p.component, p.time_h.typ, p.time_h.min, p.time_h.max, p.cost_usd, p.note)
            for p in info.parts
            if p.component not in ("moving", "rest")
        ]
        if info.link is None:
            pending.extend(stops)
            continue
        link = info.link
        a, b = (link.from_hub, link.to_hub) if info.forward else (link.to_hub, link.from_hub)
        moving_h = sum(p.time_h.typ for p in info.parts if p.component == "moving")
        before = tuple(pending)
        pending = []
        countries = tuple(dict.fromkeys([hubs[a].country, *link.countries, hubs[b].country]))
        legs.append(
            Leg(
                link_id=link.id, mode=link.mode.value, origin=a, destination=b, origin_name=hubs[a].name,
                destination_name=hubs[b].name, distance_km=float(graph.distance_km[e]), moving_h=moving_h,
                time_h=float(graph.time_h[e]) + sum(s.time_h for s in before),
                cost_usd=float(graph.cost_usd[e]) + sum(s.cost_usd for s in before),
                co2_kg=float(graph.co2_kg[e]), corridors=link.corridors, countries=countries, layer=link.layer,
                geometry=link.geometry if info.forward else reverse(link.geometry),
                stops_before=before + tuple(stops),
            )
        )
    if pending and legs:
        last = legs[-1]
        legs[-1] = replace(
            last,
            time_h=last.time_h + sum(s.time_h for s in pending),
            cost_usd=last.cost_usd + sum(s.cost_usd for s in pending),
            stops_after=tuple(pending),
        )
    query = {
        "via": [h if m is None else (h, m) for h, m in q.via], "avoid_countries": sorted(q.avoid_countries), "avoid_modes": sorted(q.avoid_modes),
        "avoid_hubs": sorted(q.avoid_hubs), "avoid_chokepoints": sorted(q.avoid_chokepoints),
        "cargo": q.cargo, "as_of": q.as_of,
    }  # fmt: skip
    return Route(q.origin, q.destination, tuple(legs), q.optimize, query, tuple(dict.fromkeys(chokepoints)))


def diagnose(net: Network, q: Query) -> NoRouteError:
    """Explain why ``q`` has no route: which constraint, alone, blocks it, or which links are missing."""
    reasons: list[str] = []
    relaxations = [
        ("avoid_countries", replace(q, avoid_countries=frozenset()), q.avoid_countries),
        ("avoid_modes", replace(q, avoid_modes=frozenset()), q.avoid_modes),
        ("avoid_hubs", replace(q, avoid_hubs=frozenset()), q.avoid_hubs),
        ("avoid_chokepoints", replace(q, avoid_chokepoints=frozenset()), q.avoid_chokepoints),
        ("via", replace(q, via=()), tuple(h if m is None else f"{h} by {m}" for h, m in q.via)),
        ("cargo", replace(q, cargo=""), q.cargo),
    ]
    for name, relaxed, active in relaxations:
        if not active:
            continue
        path = search(net, relaxed)
        if path is not None:
            route = build_route(net, relaxed, path)
            value = sorted(active) if isinstance(active, frozenset) else (list(active) if isinstance(active, tuple) else q.cargo)
            if name == "cargo":
                carried = sorted({c for leg in route.legs for c in net._links[leg.link_id].cargo})
                reasons.append(
                    f"cargo={q.cargo!r} is not carried by the links that connect them (they carry {', '.join(carried)})"
                )
                continue
            reasons.append(
                f"{name}={value!r} blocks every route (without it: {route.transit_days:.1f} days via "
                f"{', '.join(route.hubs[1:-1][:5]) or 'a direct link'})"
            )
    future = replace(q, as_of=10**8)
    path = search(net, future)
    if path is not None:
        route = build_route(net, future, path)
        links = {link.id: link for link in net._links.values()}
        closed = [links[i] for i in route.link_ids if not links[i].is_open(q.as_of)]
        if closed:
            names = ", ".join(f"{k.id} ({k.status.value}{f', opens {k.opens}' if k.opens else ''})" for k in closed)
            reasons.append(f"as_of={q.as_of}: the route would need links not open yet: {names}")
    if not reasons:
        everything = replace(
            q, avoid_countries=frozenset(), avoid_modes=frozenset(), avoid_hubs=frozenset(),
            avoid_chokepoints=frozenset(), via=(), cargo="", as_of=10**8,
        )  # fmt: skip
        if search(net, everything) is not None:
            reasons.append("the constraints together block every route, though none does alone")
        else:
            reasons.append(
                f"no links connect them at all (modes at {q.origin}: "
                f"{', '.join(sorted(m.value for m in net._graph.modes_at(q.origin))) or 'none'}; "
                f"at {q.destination}: {', '.join(sorted(m.value for m in net._graph.modes_at(q.destination))) or 'none'})"
            )
    return NoRouteError(q.origin, q.destination, reasons)
