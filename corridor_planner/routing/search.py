"""Shortest and Pareto-optimal paths over the routing graph under a query's constraints.

The search is Dijkstra with lexicographic labels: the objective, then the criteria of
:data:`~corridor_planner.routing.query.TIE_BREAK` other than the objective (time, cost,
CO2, distance; three of them), then the state number; so the same query always gives
the same route, and a single-criterion optimum is Pareto-optimal over all criteria. Ordered ``via``
hubs and ``require_*`` are exact: the search walks (node, via reached, requirements met) states.
Requirements are enforced lazily (only those the answer would otherwise miss, at most
:data:`MAX_ACTIVE_REQUIREMENTS`), so long lists of requirements on the way cost nothing.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import InvalidQueryError

if TYPE_CHECKING:  # pragma: no cover
    from .query import Query
    from .router import Router


_EPS = 1e-9


class _States:
    """The product of the routing graph with the progress along ``via`` and ``require``.

    A state is (node, number of via entries reached, bit set of requirements met),
    encoded as one int ``node + n_nodes * (via_reached + (len(via) + 1) * bits)``;
    both searches below walk it, so via and require are exact.
    """

    def __init__(self, router: Router, q: Query) -> None:
        graph = router.graph
        self.graph = graph
        self.allowed = router.mask(q.constraints)
        self.req_bits = router.requirement_bits(q.require)
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


MAX_ACTIVE_REQUIREMENTS = 10
"""How many ``require_*`` items the search may have to enforce at once (see :func:`lazily`)."""


def lazily(router: Router, q: Query, solve: Callable[[Query], list[list[int]]]) -> list[list[int]]:
    """The paths ``solve`` finds for ``q``, enforcing only the requirements the answer would otherwise miss.

    Enforcing a requirement doubles the states the search walks, so enforcing
    twenty is hopeless (2**20 copies of the graph). But requirements that the
    answer meets anyway cost nothing: solve with none enforced; if every path
    found meets every requirement, it is the answer, exactly (the relaxed
    problem's optimum -- or Pareto front -- is feasible for the full one, and
    nothing feasible beats it). Else enforce the first requirement missed and
    solve again, until nothing is missed. Only requirements off the natural
    way are ever enforced; needing more than :data:`MAX_ACTIVE_REQUIREMENTS`
    of them raises :class:`~corridor_planner.errors.InvalidQueryError` instead of searching for hours.
    """
    if not q.require:
        return solve(q)
    bits = router.requirement_bits(q.require)
    active: list[int] = []
    while True:
        paths = solve(replace(q, require=tuple(q.require[i] for i in active)))
        if not paths:
            return paths  # nothing meets the enforced requirements: nothing meets them all
        missed = []
        for path in paths:
            met = 0
            for e in path:
                met |= bits[e]
            missed += [i for i in range(len(q.require)) if not met >> i & 1 and i not in active]
        if not missed:
            return paths
        active.append(min(missed))
        if len(active) > MAX_ACTIVE_REQUIREMENTS:
            raise InvalidQueryError(
                f"require: more than {MAX_ACTIVE_REQUIREMENTS} of the {len(q.require)} required hubs, corridors, "
                "chokepoints or countries lie off the way the route would take anyway; require fewer, or give "
                "some as via (in order)"
            )


def search(router: Router, q: Query) -> list[int] | None:
    """Edge ids of the optimal path for ``q``, or ``None`` if there is none.

    Labels are compared lexicographically: the objective, then the criteria of
    :func:`tie_order`; so the optimum is also Pareto-optimal over all criteria.
    Requirements are enforced lazily (:func:`lazily`).
    """
    paths = lazily(router, q, lambda sub: [p] if (p := _search(router, sub)) is not None else [])
    return paths[0] if paths else None


def _search(router: Router, q: Query) -> list[int] | None:
    """:func:`search` with every requirement of ``q`` enforced."""
    states = _States(router, q)
    c0, c1, c2, c3 = router.weight_lists((q.optimize, q.crew))
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


def pareto_search(router: Router, q: Query, criteria: Sequence[str]) -> list[list[int]]:
    """Edge ids of every non-dominated path for ``criteria`` (multi-criteria label setting).

    Labels are settled in lexicographic order, so a settled label is never
    dominated by a later one; a label equal to or dominated by one already
    settled at its state (or at the goal) is dropped. Exact, up to a relative
    tolerance of 1e-9 that merges floating-point ties. Requirements are enforced lazily (:func:`lazily`).
    """
    return lazily(router, q, lambda sub: _pareto_search(router, sub, criteria))


def _pareto_search(router: Router, q: Query, criteria: Sequence[str]) -> list[list[int]]:
    """:func:`pareto_search` with every requirement of ``q`` enforced."""
    states = _States(router, q)
    criteria_arrays = router.graph.criteria_for(q.crew)
    columns = [criteria_arrays[c].tolist() for c in criteria]
    width = len(columns)
    start, goal = states.start, states.goal
    labels: list[tuple[tuple[float, ...], int, int, int]] = [((0.0,) * width, start, -1, -1)]
    settled: dict[int, list[tuple[float, ...]]] = {}
    heap: list[tuple[tuple[float, ...], int]] = [((0.0,) * width, 0)]
    found: list[int] = []

    def covered(vec: tuple[float, ...], at: int) -> bool:
        return any(
            all(o <= x + _EPS * max(1.0, abs(x)) for o, x in zip(other, vec, strict=True))
            for other in settled.get(at, ())
        )

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
