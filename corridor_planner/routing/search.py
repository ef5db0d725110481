"""Shortest and Pareto-optimal paths over the routing graph under a query's constraints.

The search is Dijkstra with lexicographic labels: the objective, then the criteria of
:data:`~corridor_planner.routing.query.TIE_BREAK` other than the objective (time, cost,
CO2, distance; three of them), then the state number; so the same query always gives
the same route, and a single-criterion optimum is Pareto-optimal over all criteria. Ordered ``via``
hubs and ``require_*`` are exact: the search walks (node, via reached, requirements met) states.
Requirements are enforced lazily (only those the answer would otherwise miss, at most
:data:`MAX_ACTIVE_REQUIREMENTS`), so long lists of requirements on the way cost nothing.

Routes are simple paths: no hub appears twice. The routing graph lets a path
enter a hub once per visit (arrival, at most one transfer, one departure), so a
hub repeats only when a path leaves it and comes back. After a search, a path that
does is searched again with its repeated hubs marked *once*: the states then also
carry, per marked hub, whether the path has left it, and an edge re-entering a
hub already left is not taken. This repeats until the path is simple; when the
``via`` entries force a repeat, the route is returned with a ``UserWarning``.
"""

from __future__ import annotations

import heapq
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import InvalidQueryError

if TYPE_CHECKING:  # pragma: no cover
    from .query import Objective, Query
    from .router import Router


_EPS = 1e-9
MAX_ONCE = 8
"""At most this many hubs are marked *once* while repairing a path (each doubles the states)."""
GRAPH_COPIES = 256
"""One search may settle at most this many times the routing graph's nodes (and at least
:data:`MIN_STATE_BUDGET` states): a plain query settles fewer than the graph has, requirements and
*once* marks multiply the states (2 per item), and past this budget :func:`_search` raises
:class:`~corridor_planner.errors.InvalidQueryError` instead of running for minutes
(``benchmarks/bench_routing.py`` times the case)."""
MIN_STATE_BUDGET = 200_000
"""The state budget of a search on a small graph (a fraction of a second), so tiny networks stay exact."""


class _States:
    """The product of the routing graph with the progress along ``via`` and ``require``, and hubs left.

    A state is (node, number of via entries reached, bit set of requirements met,
    bit set of *once* hubs already left), encoded as one int
    ``node + n_nodes * via_reached + stride * req_bits + req_stride * left_bits``;
    both searches below walk it, so via, require and once are exact.
    """

    def __init__(self, router: Router, q: Query, once: Sequence[str] = ()) -> None:
        graph = router.graph
        self.graph = graph
        self.allowed = router.mask(q.constraints)
        self.req_bits = router.requirement_bits(q.require)
        self.via = q.via
        self.n_nodes = len(graph.nodes)
        self.stride = self.n_nodes * (len(q.via) + 1)
        self.req_stride = self.stride * (1 << len(q.require))
        k0 = 0
        while k0 < len(q.via) and q.via[k0][0] == q.origin and q.via[k0][1] is None:
            k0 += 1
        self.start = graph.node(q.origin, "o") + self.n_nodes * k0
        full = (1 << len(q.require)) - 1
        self.goal = graph.node(q.destination, "t") + self.n_nodes * len(q.via) + self.stride * full
        self.simple = not q.via and not q.require and not once
        self.once = {hub: 1 << i for i, hub in enumerate(once)}

    def is_goal(self, state: int) -> bool:
        return state % self.req_stride == self.goal if self.once else state == self.goal

    def successors(self, state: int) -> list[tuple[int, int]]:
        """(next state, edge id) pairs the query allows from ``state``."""
        graph, allowed = self.graph, self.allowed
        if self.simple:
            return [(v, e) for v, e in graph.adjacency[state] if allowed[e]]
        n_nodes, stride, req_stride = self.n_nodes, self.stride, self.req_stride
        left, rest = divmod(state, req_stride)
        bits, rest = divmod(rest, stride)
        k, u = divmod(rest, n_nodes)
        via, n_via = self.via, len(self.via)
        node_hub, node_mode, req_bits, once = graph.node_hub, graph.node_mode, self.req_bits, self.once
        here = node_hub[u]
        out = []
        for v, e in graph.adjacency[u]:
            if not allowed[e]:
                continue
            left2 = left
            if once:
                there = node_hub[v]
                if there != here:
                    if once.get(there, 0) & left:
                        continue  # re-entering a hub the path has left
                    left2 |= once.get(here, 0)
            k2 = k
            while k2 < n_via and node_hub[v] == via[k2][0] and (via[k2][1] is None or via[k2][1] == node_mode[v]):
                k2 += 1
            out.append((v + n_nodes * k2 + stride * (bits | req_bits[e]) + req_stride * left2, e))
        return out


MAX_ACTIVE_REQUIREMENTS = 6
"""How many ``require_*`` items the search may have to enforce at once (see :func:`lazily`): each doubles the
states searched. On the 153-hub network the error for too many came after about 16 s with 8 (32 s on a
2-core CI machine, about 100 s with 10); with 6 it comes in a few seconds (``benchmarks/bench_routing.py``)."""


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


def visited_hubs(router: Router, origin: str, edges: Sequence[int]) -> list[str]:
    """The hubs a path enters, in order, origin first (a hub twice if the path comes back to it)."""
    graph = router.graph
    node_hub, dst, info = graph.node_hub, graph.dst, graph.info
    return [origin, *(node_hub[dst[e]] for e in edges if info[e].link is not None)]


def repeated_hubs(router: Router, origin: str, edges: Sequence[int]) -> list[str]:
    """The hubs a path enters more than once, sorted."""
    return sorted(h for h, n in Counter(visited_hubs(router, origin, edges)).items() if n > 1)


def _warn_repeat(q: Query, hubs: Sequence[str]) -> None:
    via = ", ".join(h if m is None else f"{h}:{m}" for h, m in q.via) or "none"
    warnings.warn(
        f"route {q.origin} -> {q.destination} passes {', '.join(hubs)} twice: no simple path meets "
        f"the via entries ({via}) and the other constraints, so the route comes back to "
        f"{'that hub' if len(hubs) == 1 else 'those hubs'}",
        UserWarning,
        stacklevel=4,
    )


def search(router: Router, q: Query, once: Sequence[str] = ()) -> list[int] | None:
    """Edge ids of the optimal simple path for ``q``, or ``None`` if there is none.

    Labels are compared lexicographically: the objective, then the criteria of
    :func:`tie_order`; so the optimum is also Pareto-optimal over all criteria.
    Requirements are enforced lazily (:func:`lazily`). A path that enters a hub twice
    is searched again with that hub marked *once* (see the module's docstring); if
    ``via`` forces the repeat, the path is returned with a ``UserWarning``. ``once``:
    hubs to mark from the start (those a first search is already known to repeat).
    """
    paths = lazily(router, q, lambda sub: [p] if (p := _simple_search(router, sub, once)) is not None else [])
    return paths[0] if paths else None


def _simple_search(router: Router, q: Query, first: Sequence[str] = ()) -> list[int] | None:
    """:func:`search` with every requirement of ``q`` enforced, repeated until the path is simple."""
    once: tuple[str, ...] = tuple(first)
    path = _search(router, q, once)
    while path is not None:
        repeated = repeated_hubs(router, q.origin, path)
        if not repeated:
            return path
        more = tuple(dict.fromkeys([*once, *repeated]))
        better = _search(router, q, more) if len(more) <= MAX_ONCE and more != once else None
        if better is None:
            _warn_repeat(q, repeated)
            return path
        once, path = more, better
    return path


def _search(router: Router, q: Query, once: Sequence[str]) -> list[int] | None:
    if not q.via and not q.require:
        tree = router.tree((q.constraints, q.optimize, q.crew, q.origin, tuple(once)))
        return tree.path_to(router.graph.node(q.destination, "t"))
    return _state_search(router, q, once)


def _state_search(router: Router, q: Query, once: Sequence[str]) -> list[int] | None:
    """Dijkstra over :class:`_States` (any ``via``, requirements and *once* marks); the reference search.

    Queries without ``via`` and requirements go to the router's resumable trees instead
    (:class:`ShortestPathTree`, :class:`OnceTree`): the same heap order on the same labels, so the same
    path (``tests/test_search_trees.py`` compares them).
    """
    states = _States(router, q, once)
    c0, c1, c2, c3 = router.weight_lists((q.optimize, q.crew))
    start, is_goal = states.start, states.is_goal
    successors = states.successors
    best: dict[int, tuple[float, float, float, float, int]] = {start: (0.0, 0.0, 0.0, 0.0, start)}
    pred: dict[int, tuple[int, int]] = {}
    done: set[int] = set()
    # flat heap entries (objective, three tie-breakers, state): the order of ((label), state) pairs
    heap: list[tuple[float, float, float, float, int]] = [(0.0, 0.0, 0.0, 0.0, start)]
    budget = max(MIN_STATE_BUDGET, GRAPH_COPIES * states.n_nodes)
    heappop, heappush = heapq.heappop, heapq.heappush
    while heap:
        w0, w1, w2, w3, state = heappop(heap)
        if state in done:
            continue
        done.add(state)
        if len(done) > budget:
            raise InvalidQueryError(
                f"the search for {q.origin} -> {q.destination} passed {budget:,} states (the budget for "
                f"this graph) with {len(q.require)} requirement(s) enforced and {len(once)} hub(s) kept "
                "from repeating; require fewer hubs, corridors, chokepoints or countries off the way, or give "
                "some as via (in order)"
            )
        if is_goal(state):
            edges: list[int] = []
            while state != start:
                state, e = pred[state]
                edges.append(e)
            edges.reverse()
            return edges
        for nxt, e in successors(state):
            if nxt in done:
                continue
            # the state closes both tuples: equal labels compare equal, so ``<`` is the labels' order
            cand = (w0 + c0[e], w1 + c1[e], w2 + c2[e], w3 + c3[e], nxt)
            old = best.get(nxt)
            if old is None or cand < old:
                best[nxt] = cand
                pred[nxt] = (state, e)
                heappush(heap, cand)
    return None


def new_tree(router: Router, key: tuple[Query, Objective, int, str, tuple[str, ...]]) -> ShortestPathTree | OnceTree:
    """The resumable search of ``(constraints, objective, crew, origin, once)`` (:attr:`Router.tree` keeps them)."""
    constraints, optimize, crew, origin, once = key
    if not once:
        return ShortestPathTree(router.arcs((constraints, optimize, crew)), router.graph.node(origin, "o"))
    # the destination only places the goal state, which the tree does not use
    q = replace(constraints, origin=origin, destination=origin, optimize=optimize)
    return OnceTree(_States(router, q, once), router.weight_lists((optimize, crew)))


class OnceTree:
    """:class:`ShortestPathTree` for a search with hubs marked *once* (over :class:`_States`), resumable.

    A destination's path is that of the first state at its ``t`` node settled (whatever hubs were
    left on the way), as in :func:`_state_search`. Without ``via`` and requirements the states are at
    most :data:`MAX_ONCE` doublings of the graph, within the state budget.
    """

    def __init__(self, states: _States, weights: list[list[float]]) -> None:
        self._states = states
        self._weights = weights
        start = states.start
        self._start = start
        self._best: dict[int, tuple[float, float, float, float, int]] = {start: (0.0, 0.0, 0.0, 0.0, start)}
        self._pred: dict[int, tuple[int, int]] = {}
        self._done: set[int] = set()
        self._reached: dict[int, int] = {}
        """Per routing-graph node, the first state at it settled."""
        self._heap: list[tuple[float, float, float, float, int]] = [(0.0, 0.0, 0.0, 0.0, start)]
        self._lock = threading.Lock()

    def path_to(self, goal: int) -> list[int] | None:
        """Edge ids of the optimal path (no *once* hub re-entered) to routing-graph node ``goal``, or ``None``."""
        with self._lock:
            if goal not in self._reached and self._heap:
                self._settle(goal)
            state = self._reached.get(goal)
            if state is None or state == self._start:
                return None
            pred = self._pred
            edges: list[int] = []
            while state != self._start:
                state, e = pred[state]
                edges.append(e)
            edges.reverse()
            return edges

    def _settle(self, goal: int) -> None:
        c0, c1, c2, c3 = self._weights
        best, pred, done, reached, heap = self._best, self._pred, self._done, self._reached, self._heap
        successors, n_nodes = self._states.successors, self._states.n_nodes
        heappop, heappush = heapq.heappop, heapq.heappush
        while heap:
            w0, w1, w2, w3, state = heappop(heap)
            if state in done:
                continue
            done.add(state)
            for nxt, e in successors(state):
                if nxt in done:
                    continue
                cand = (w0 + c0[e], w1 + c1[e], w2 + c2[e], w3 + c3[e], nxt)
                old = best.get(nxt)
                if old is None or cand < old:
                    best[nxt] = cand
                    pred[nxt] = (state, e)
                    heappush(heap, cand)
            node = state % n_nodes
            if node not in reached:
                reached[node] = state
                if node == goal:
                    return


Arc = tuple[int, int, float, float, float, float]
"""An allowed edge out of a node: (next node, edge id, its objective and three tie-breakers)."""


def arcs(router: Router, key: tuple[Query, Objective, int]) -> list[list[Arc]]:
    """Per node, its allowed edges with their label columns, for ``(constraints, objective, crew)``.

    What :class:`_States` and :meth:`Router.weight_lists` give a plain query, joined once per set of
    options so that the search loop reads one tuple per edge.
    """
    constraints, optimize, crew = key
    graph = router.graph
    allowed = router.mask(constraints)
    c0, c1, c2, c3 = router.weight_lists((optimize, crew))
    return [[(v, e, c0[e], c1[e], c2[e], c3[e]) for v, e in out if allowed[e]] for out in graph.adjacency]


class ShortestPathTree:
    """The plain search (no ``via``, requirements nor *once* marks) from one origin, resumable.

    Dijkstra with the labels of :func:`_state_search`, popped in the same order: settling stops as
    soon as the node asked for is settled, and the next question goes on from there. A settled
    node's path never changes, so every destination gets the path a search stopping at it gets.
    The router keeps one tree per (constraints, objective, crew, origin) (:attr:`Router.tree`):
    planning many pairs from one origin settles each node once. Safe to share between threads.
    """

    def __init__(self, arcs: list[list[Arc]], start: int) -> None:
        n = len(arcs)
        self._arcs = arcs
        self._start = start
        self._best: list[tuple[float, float, float, float, int] | None] = [None] * n
        self._best[start] = (0.0, 0.0, 0.0, 0.0, start)
        self._pred = [-1] * n
        self._pred_edge = [-1] * n
        self._done = bytearray(n)
        self._heap: list[tuple[float, float, float, float, int]] = [(0.0, 0.0, 0.0, 0.0, start)]
        self._lock = threading.Lock()

    def path_to(self, goal: int) -> list[int] | None:
        """Edge ids of the optimal path from the origin to node ``goal``, or ``None`` if it is not reached."""
        with self._lock:
            done = self._done
            if not done[goal] and self._heap:
                self._settle(goal)
            if not done[goal] or goal == self._start:
                return None
            pred, pred_edge = self._pred, self._pred_edge
            edges: list[int] = []
            node = goal
            while node != self._start:
                edges.append(pred_edge[node])
                node = pred[node]
            edges.reverse()
            return edges

    def _settle(self, goal: int) -> None:
        arcs, best, pred, pred_edge, done, heap = (
            self._arcs,
            self._best,
            self._pred,
            self._pred_edge,
            self._done,
            self._heap,
        )
        heappop, heappush = heapq.heappop, heapq.heappush
        while heap:
            w0, w1, w2, w3, u = heappop(heap)
            if done[u]:
                continue
            done[u] = 1
            for v, e, a0, a1, a2, a3 in arcs[u]:
                if done[v]:
                    continue
                cand = (w0 + a0, w1 + a1, w2 + a2, w3 + a3, v)
                old = best[v]
                if old is None or cand < old:
                    best[v] = cand
                    pred[v] = u
                    pred_edge[v] = e
                    heappush(heap, cand)
            if u == goal:
                return
        self._best = []  # every reachable node settled: the labels are no longer needed


def pareto_search(router: Router, q: Query, criteria: Sequence[str]) -> list[list[int]]:
    """Edge ids of every non-dominated path for ``criteria`` (multi-criteria label setting).

    Labels are settled in lexicographic order, so a settled label is never
    dominated by a later one; a label equal to or dominated by one already
    settled at its state (or at the goal) is dropped. Exact, up to a relative
    tolerance of 1e-9 that merges floating-point ties. Requirements are enforced lazily
    (:func:`lazily`). Paths are simple: when one enters a hub twice the front is
    searched again with that hub marked *once*; a path that still repeats a hub is
    dropped unless every path does (``via`` forcing it: then they are returned with a
    ``UserWarning``).
    """
    return lazily(router, q, lambda sub: _simple_pareto(router, sub, criteria))


def _simple_pareto(router: Router, q: Query, criteria: Sequence[str]) -> list[list[int]]:
    """:func:`pareto_search` with every requirement of ``q`` enforced, hubs entered once."""
    once: tuple[str, ...] = ()
    while True:
        paths = _pareto(router, q, criteria, once)
        repeated = sorted({h for p in paths for h in repeated_hubs(router, q.origin, p)})
        more = tuple(dict.fromkeys([*once, *repeated]))
        if not repeated or more == once or len(more) > MAX_ONCE:
            break
        once = more
    simple = [p for p in paths if not repeated_hubs(router, q.origin, p)]
    if paths and not simple:
        _warn_repeat(q, repeated_hubs(router, q.origin, paths[0]))
        return paths
    return simple


def _pareto(router: Router, q: Query, criteria: Sequence[str], once: Sequence[str]) -> list[list[int]]:
    states = _States(router, q, once)
    criteria_arrays = router.graph.criteria_for(q.crew)
    columns = [criteria_arrays[c].tolist() for c in criteria]
    width = len(columns)
    start, goal, is_goal = states.start, states.goal, states.is_goal
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
        if is_goal(state):
            state = goal  # every goal state (whatever hubs it left) is one goal
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
