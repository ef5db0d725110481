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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .errors import InvalidQueryError, NoRouteError
from .geo import reverse
from .model import CARGO_CLASSES, Mode, Status
from .route import Leg, Route, Stop

if TYPE_CHECKING:  # pragma: no cover
    from .graph import RoutingGraph
    from .network import Network

__all__ = ["OBJECTIVES", "REQUIREMENT_KINDS", "TIE_BREAK", "Query", "pareto_search", "search"]

OBJECTIVES = ("time", "distance", "cost", "co2")
"""The criteria a route can be optimised for."""

TIE_BREAK = ("time", "cost", "co2", "distance")
"""After the objective, ties go to the better route by these criteria, in this order."""

REQUIREMENT_KINDS = ("hub", "corridor", "chokepoint", "country")
"""What ``require_*`` options can name: a route must use at least one edge of each."""

Objective = str | tuple[tuple[str, float], ...]
"""A single criterion, or (criterion, weight) pairs summed into a generalised cost."""

UNIT = {"time": 1.0 / 24.0, "distance": 1.0, "cost": 1.0, "co2": 1.0}
"""Weights apply to route totals in days, km, USD and kg CO2 (edges carry hours, hence 1/24 for time)."""

_EPS = 1e-9


@dataclass(frozen=True)
class Query:
    """A routing query with resolved hub ids; every field hashable.

    ``optimize`` is a criterion of :data:`OBJECTIVES` or a tuple of
    ``(criterion, weight)`` pairs (a generalised cost: weights per day, km, USD
    and kg CO2). ``within`` is ``None`` (anywhere) or the countries a route may
    enter. ``require`` holds ``(kind, id)`` pairs (kinds in
    :data:`REQUIREMENT_KINDS`): the route must pass each, in any order.
    """

    origin: str
    destination: str
    optimize: Objective = "time"
    via: tuple[tuple[str, str | None], ...] = ()
    avoid_countries: frozenset[str] = frozenset()
    avoid_modes: frozenset[str] = frozenset()
    avoid_hubs: frozenset[str] = frozenset()
    avoid_chokepoints: frozenset[str] = frozenset()
    avoid_corridors: frozenset[str] = frozenset()
    within: frozenset[str] | None = None
    require: tuple[tuple[str, str], ...] = ()
    cargo: str = "container"
    as_of: int = 2026

    @property
    def constraints(self) -> Query:
        """This query without its ends, objective, via and requirements: what decides which edges it may use."""
        return replace(self, origin="", destination="", optimize="time", via=(), require=())

    @property
    def objective_label(self) -> str:
        if isinstance(self.optimize, str):
            return self.optimize
        return " + ".join(f"{w:g}*{c}" for c, w in self.optimize)


def check_criterion(criterion: object, what: str = "optimize") -> None:
    if criterion not in OBJECTIVES:
        raise InvalidQueryError(
            f"{what}={criterion!r} is not a valid criterion, must be one of {', '.join(OBJECTIVES)}"
        )


def check_cargo(cargo: str) -> None:
    if cargo not in CARGO_CLASSES:
        raise InvalidQueryError(
            f"cargo={cargo!r} is not a valid option, must be one of {', '.join(sorted(CARGO_CLASSES))}"
        )


def check_modes(modes: Sequence[str], what: str) -> None:
    valid_modes = [m.value for m in Mode]
    for mode in modes:
        if mode not in valid_modes:
            raise InvalidQueryError(f"{what}: {mode!r} is not a mode, must be among {', '.join(valid_modes)}")


def objective_column(criteria: Mapping[str, npt.NDArray[np.float64]], optimize: Objective) -> npt.NDArray[np.float64]:
    """Per-edge values of an objective: a criterion's own column, or the weighted sum (weights per day, km, USD, kg)."""
    if isinstance(optimize, str):
        return criteria[optimize]
    return np.asarray(sum(w * UNIT[c] * criteria[c] for c, w in optimize), dtype=float)


def tie_order(optimize: Objective) -> tuple[str, ...]:
    """The criteria that break ties after the objective."""
    first = optimize if isinstance(optimize, str) else ""
    return tuple(c for c in TIE_BREAK if c != first)[:3]


def allowed_mask(graph: RoutingGraph, q: Query) -> npt.NDArray[np.bool_]:
    """Edges a query may use: the constraints hide edges, they never copy the graph."""
    allowed = np.ones(graph.n_edges, dtype=bool)
    for names, index in (
        (q.avoid_countries, graph.edges_by_country),
        (q.avoid_modes, graph.edges_by_mode),
        (q.avoid_hubs, graph.edges_by_hub),
        (q.avoid_chokepoints, graph.edges_by_chokepoint),
        (q.avoid_corridors, graph.edges_by_corridor),
    ):
        for name in names:
            edges = index.get(name)
            if edges is not None:
                allowed[edges] = False
    if q.within is not None:
        for code, edges in graph.edges_by_country.items():
            if code not in q.within:
                allowed[edges] = False
    closed = graph.link_opens > q.as_of
    if q.cargo:
        closed |= np.fromiter((q.cargo not in c for c in graph.link_cargo), dtype=bool, count=len(graph.link_cargo))
    allowed[graph.link_edges[closed]] = False
    return allowed


def requirement_bits(graph: RoutingGraph, require: Sequence[tuple[str, str]]) -> list[int]:
    """Per edge, the bit set of the requirements it satisfies (bit i: ``require[i]``)."""
    bits = np.zeros(graph.n_edges, dtype=np.int64)
    for i, (kind, name) in enumerate(require):
        edges = graph.edges_by(kind).get(name)
        if edges is not None:
            bits[edges] |= 1 << i
    return bits.tolist()  # type: ignore[no-any-return]


class _States:
    """The product of the routing graph with the progress along ``via`` and ``require``.

    A state is (node, number of via entries reached, bit set of requirements met),
    encoded as one int ``node + n_nodes * (via_reached + (len(via) + 1) * bits)``;
    both searches below walk it, so via and require are exact.
    """

    def __init__(self, net: Network, q: Query) -> None:
        graph = net._graph
        self.graph = graph
        self.allowed = net._mask(q)
        self.req_bits = net._requirement_bits(q.require)
        self.via = q.via
        self.n_nodes = len(graph.nodes)
        self.stride = self.n_nodes * (len(q.via) + 1)
        k0 = 0
        while k0 < len(q.via) and q.via[k0][0] == q.origin and q.via[k0][1] is None:
            k0 += 1
        self.start = graph.node(q.origin, "o") + self.n_nodes * k0
        full = (1 << len(q.require)) - 1
        self.goal = graph.node(q.destination, "t") + self.n_nodes * len(q.via) + self.stride * full
        self.simple = not q.via and not q.require

    def successors(self, state: int) -> list[tuple[int, int]]:
        """(next state, edge id) pairs the query allows from ``state``."""
        graph, allowed = self.graph, self.allowed
        if self.simple:
            return [(v, e) for v, e in graph.adjacency[state] if allowed[e]]
        n_nodes, stride = self.n_nodes, self.stride
        bits, rest = divmod(state, stride)
        k, u = divmod(rest, n_nodes)
        via, n_via = self.via, len(self.via)
        node_hub, node_mode, req_bits = graph.node_hub, graph.node_mode, self.req_bits
        out = []
        for v, e in graph.adjacency[u]:
            if not allowed[e]:
                continue
            k2 = k
            while k2 < n_via and node_hub[v] == via[k2][0] and (via[k2][1] is None or via[k2][1] == node_mode[v]):
                k2 += 1
            out.append((v + n_nodes * k2 + stride * (bits | req_bits[e]), e))
        return out


def search(net: Network, q: Query) -> list[int] | None:
    """Edge ids of the optimal path for ``q``, or ``None`` if there is none.

    Labels are compared lexicographically: the objective, then the criteria of
    :func:`tie_order`; so the optimum is also Pareto-optimal over all criteria.
    """
    states = _States(net, q)
    c0, c1, c2, c3 = net._weight_lists(q.optimize)
    start, goal = states.start, states.goal
    successors = states.successors
    best: dict[int, tuple[float, float, float, float]] = {start: (0.0, 0.0, 0.0, 0.0)}
    pred: dict[int, tuple[int, int]] = {}
    done: set[int] = set()
    heap: list[tuple[tuple[float, float, float, float], int]] = [((0.0, 0.0, 0.0, 0.0), start)]
    while heap:
        label, state = heapq.heappop(heap)
        if state in done:
            continue
        done.add(state)
        if state == goal:
            edges: list[int] = []
            while state != start:
                state, e = pred[state]
                edges.append(e)
            edges.reverse()
            return edges
        w0, w1, w2, w3 = label
        for nxt, e in successors(state):
            if nxt in done:
                continue
            cand = (w0 + c0[e], w1 + c1[e], w2 + c2[e], w3 + c3[e])
            old = best.get(nxt)
            if old is None or cand < old:
                best[nxt] = cand
                pred[nxt] = (state, e)
                heapq.heappush(heap, (cand, nxt))
    return None


def pareto_search(net: Network, q: Query, criteria: Sequence[str]) -> list[list[int]]:
    """Edge ids of every non-dominated path for ``criteria`` (multi-criteria label setting).

    Labels are settled in lexicographic order, so a settled label is never
    dominated by a later one; a label equal to or dominated by one already
    settled at its state (or at the goal) is dropped. Exact, up to a relative
    tolerance of 1e-9 that merges floating-point ties.
    """
    states = _States(net, q)
    criteria_arrays = net._graph.criteria
    columns = [criteria_arrays[c].tolist() for c in criteria]
    width = len(columns)
    start, goal = states.start, states.goal
    labels: list[tuple[tuple[float, ...], int, int, int]] = [((0.0,) * width, start, -1, -1)]
    settled: dict[int, list[tuple[float, ...]]] = {}
    heap: list[tuple[tuple[float, ...], int]] = [((0.0,) * width, 0)]
    found: list[int] = []

    def covered(vec: tuple[float, ...], at: int) -> bool:
        return any(all(o <= x + _EPS * max(1.0, abs(x)) for o, x in zip(other, vec)) for other in settled.get(at, ()))

    while heap:
        vec, index = heapq.heappop(heap)
        state = labels[index][1]
        if covered(vec, state) or covered(vec, goal):
            continue
        settled.setdefault(state, []).append(vec)
        if state == goal:
            found.append(index)
            continue
        for nxt, e in states.successors(state):
            cand = tuple(vec[i] + columns[i][e] for i in range(width))
            if covered(cand, nxt) or covered(cand, goal):
                continue
            labels.append((cand, nxt, index, e))
            heapq.heappush(heap, (cand, len(labels) - 1))
    paths = []
    for index in found:
        edges = []
        while labels[index][2] >= 0:
            edges.append(labels[index][3])
            index = labels[index][2]
        edges.reverse()
        paths.append(edges)
    return paths


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
                link_id=link.id,
                mode=link.mode.value,
                origin=a,
                destination=b,
                origin_name=hubs[a].name,
                destination_name=hubs[b].name,
                distance_km=float(graph.distance_km[e]),
                moving_h=moving_h,
                time_h=float(graph.time_h[e]) + sum(s.time_h for s in before),
                cost_usd=float(graph.cost_usd[e]) + sum(s.cost_usd for s in before),
                co2_kg=float(graph.co2_kg[e]),
                corridors=link.corridors,
                countries=countries,
                layer=link.layer,
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
        "avoid_corridors": sorted(q.avoid_corridors), "within": None if q.within is None else sorted(q.within),
        "require": [f"{kind}:{name}" for kind, name in q.require], "cargo": q.cargo, "as_of": q.as_of,
    }  # fmt: skip
    return Route(
        q.origin,
        q.destination,
        tuple(legs),
        q.objective_label,
        query,
        tuple(dict.fromkeys(chokepoints)),
        scenarios=net.dataset.scenarios,
    )


def diagnose(net: Network, q: Query) -> NoRouteError:
    """Explain why ``q`` has no route: which constraint, alone, blocks it, or which links are missing."""
    reasons: list[str] = []
    relaxations = [
        ("avoid_countries", replace(q, avoid_countries=frozenset()), q.avoid_countries),
        ("avoid_modes", replace(q, avoid_modes=frozenset()), q.avoid_modes),
        ("avoid_hubs", replace(q, avoid_hubs=frozenset()), q.avoid_hubs),
        ("avoid_chokepoints", replace(q, avoid_chokepoints=frozenset()), q.avoid_chokepoints),
        ("avoid_corridors", replace(q, avoid_corridors=frozenset()), q.avoid_corridors),
        ("within", replace(q, within=None), q.within or frozenset()),
        ("via", replace(q, via=()), tuple(h if m is None else f"{h} by {m}" for h, m in q.via)),
        ("require", replace(q, require=()), tuple(f"{kind}:{name}" for kind, name in q.require)),
        ("cargo", replace(q, cargo=""), q.cargo),
    ]
    for name, relaxed, active in relaxations:
        if not active:
            continue
        path = search(net, relaxed)
        if path is not None:
            route = build_route(net, relaxed, path)
            value: object = (
                sorted(active)
                if isinstance(active, frozenset)
                else (list(active) if isinstance(active, tuple) else q.cargo)
            )
            if name == "within":
                value = f"{len(active)} countries"
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
    anytime = replace(q, as_of=10**10)  # later than every opening year, and than "closed" (10**9)
    path = search(net, anytime)
    if path is not None:
        route = build_route(net, anytime, path)
        links = net._links
        needed = [links[i] for i in route.link_ids if not links[i].is_open(q.as_of)]
        later = [k for k in needed if k.status is not Status.CLOSED]
        closed = [k for k in needed if k.status is Status.CLOSED]
        if later:
            names = ", ".join(f"{k.id} ({k.status.value}{f', opens {k.opens}' if k.opens else ''})" for k in later)
            reasons.append(f"as_of={q.as_of}: the route would need links not open yet: {names}")
        if closed:
            by = f" (scenarios applied: {', '.join(net.scenarios)})" if net.scenarios else ""
            names = ", ".join(k.id for k in closed[:6]) + (", ..." if len(closed) > 6 else "")
            reasons.append(f"the route would need closed links{by}: {names}")
    for kind, name in q.require:
        if len(net._graph.edges_by(kind).get(name, ())) == 0:
            reasons.append(f"require: no link or hub of this network belongs to {kind} {name!r}")
    if not reasons:
        everything = replace(
            q, avoid_countries=frozenset(), avoid_modes=frozenset(), avoid_hubs=frozenset(),
            avoid_chokepoints=frozenset(), avoid_corridors=frozenset(), within=None, via=(), require=(),
            cargo="", as_of=10**10,
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
