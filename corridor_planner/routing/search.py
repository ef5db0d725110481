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

import bisect
import heapq
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from operator import add
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
    entered = router.entered_hub
    return [origin, *(h for e in edges if (h := entered[e]) is not None)]


def repeated_hubs(router: Router, origin: str, edges: Sequence[int]) -> list[str]:
    """The hubs a path enters more than once, sorted."""
    entered = router.entered_hub
    seen = {origin}
    twice = set()
    for e in edges:
        h = entered[e]
        if h is not None:
            if h in seen:
                twice.add(h)
            seen.add(h)
    return sorted(twice)


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


PARETO_LABELS = 100_000
"""How many labels one :func:`pareto_search` may settle (over all its searches) before an automatic bound.

With ``epsilon=None`` the front is exact up to this many settled labels; past it the search goes
on with the next of :data:`AUTO_EPSILONS` (each for as many labels again; the labels kept so far stay
valid) and :attr:`ParetoBound.epsilon` says which; past the last it raises. The fronts of the shipped
network settle at most a few thousand labels; a random 10,000-link grid needs over a million for
three criteria (``benchmarks/bench_pareto.py``). A count, not a time, so answers do not depend on the machine."""
AUTO_EPSILONS = (0.01, 0.03, 0.1)
"""The epsilons an automatic bound steps through (see :data:`PARETO_LABELS`)."""
PARETO_LABEL_LIMIT = 20 * PARETO_LABELS
"""With a given ``epsilon`` (including 0: exact), past this many settled labels the search raises. The exact
time/cost/co2 front of the 10,000-link grid of ``benchmarks/bench_pareto.py`` settles 1.24 million (about
17 s and 560 MB on the 2-core test machine)."""
MERGE_SHARE = 0.5
"""With ``epsilon > 0``, labels merge when a path is within ``1 + MERGE_SHARE * epsilon`` of their merged apex
(see :func:`_pareto_n`); routes found drop labels within ``1 + epsilon``. Merging all the way to epsilon makes
apexes so low that fewer labels are dropped (on the grids of ``benchmarks/bench_pareto.py``, a larger
epsilon then settled more labels); half of it kept larger epsilons faster there."""

_INF = float("inf")


class ParetoBound:
    """The epsilon of one :func:`pareto_search`, and how many labels it settled.

    ``epsilon=None``: automatic (exact up to :data:`PARETO_LABELS` labels, then the
    :data:`AUTO_EPSILONS` in turn); a number: that epsilon throughout. After the search,
    :attr:`epsilon` is the one the answer is guaranteed within and :attr:`labels` the labels settled.
    """

    def __init__(self, epsilon: float | None = None) -> None:
        self.auto = epsilon is None
        self.epsilon = 0.0 if epsilon is None else float(epsilon)
        self.labels = 0
        self.budget = PARETO_LABELS
        """The labels an automatic bound lets the search settle exactly (and then per epsilon)."""
        self.limit = PARETO_LABELS if self.auto else PARETO_LABEL_LIMIT
        self._step = 0

    def passed(self, q: Query) -> float:
        """Called when :attr:`labels` reaches :attr:`limit`: the larger epsilon to go on with, or raise."""
        if not self.auto or self._step == len(AUTO_EPSILONS):
            raise InvalidQueryError(
                f"pareto {q.origin} -> {q.destination}: the search settled {self.labels:,} labels "
                f"(epsilon={self.epsilon:g}) and the front is not complete; give a larger epsilon= "
                "(e.g. 0.01: every Pareto-optimal route within 1% of a returned one), fewer criteria, "
                "or constraints that narrow the network"
            )
        self.epsilon = max(self.epsilon, AUTO_EPSILONS[self._step])
        self._step += 1
        self.limit += self.budget
        return self.epsilon


def pareto_search(
    router: Router, q: Query, criteria: Sequence[str], bound: ParetoBound | None = None
) -> list[list[int]]:
    """Edge ids of every non-dominated path for ``criteria`` (multi-criteria label setting), best first by the first.

    Labels are settled in lexicographic order of their cost so far plus a lower bound
    of the cost to the destination (per criterion, one backward Dijkstra over the
    allowed edges): a settled label is never dominated by a later one at its state;
    a label equal to or dominated by one settled at its state is dropped, and so is a label
    that a route already found dominates even with the lower bound added. Exact, up to a
    relative tolerance of 1e-9 that merges floating-point ties.

    ``bound`` (:class:`ParetoBound`): with ``epsilon > 0``, a label is also dropped when a
    route found is within a factor ``1 + epsilon`` of its lower bound on every criterion.
    Only routes found (never labels on the way) drop others, so the errors do not compound:
    every exact Pareto-optimal path is within ``1 + epsilon`` on every criterion of a
    returned one (the returned ones are non-dominated among themselves but the front may be
    thinner). The bound also caps the labels settled (see :data:`PARETO_LABELS`).

    Requirements are enforced lazily (:func:`lazily`). Paths are simple: when one enters
    a hub twice the front is searched again with that hub marked *once*; a path that still
    repeats a hub is dropped unless every path does (``via`` forcing it: then they are
    returned with a ``UserWarning``).
    """
    bound = bound if bound is not None else ParetoBound(0.0)
    return lazily(router, q, lambda sub: _simple_pareto(router, sub, criteria, bound))


def _simple_pareto(router: Router, q: Query, criteria: Sequence[str], bound: ParetoBound) -> list[list[int]]:
    """:func:`pareto_search` with every requirement of ``q`` enforced, hubs entered once."""
    once: tuple[str, ...] = ()
    while True:
        paths = _pareto(router, q, criteria, once, bound)
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


def spread(vectors: Sequence[Sequence[float]], n: int) -> tuple[list[int], float]:
    """``n`` of the ``vectors`` (a front) spread over it, in their order, and the factor they cover the rest within.

    First the best by each criterion, in order; then, one at a time, the vector the
    chosen ones cover worst (the least factor some chosen one is within, on every
    criterion). Returns the chosen indices, sorted, and the factor every vector left out is
    within of a chosen one (1.0 if none is left out).

    Examples
    --------
    >>> spread([(1.0, 9.0), (2.0, 5.0), (2.1, 4.9), (9.0, 1.0)], 3)
    ([0, 2, 3], 1.05)
    """
    if n >= len(vectors):
        return list(range(len(vectors))), 1.0

    def within(v: Sequence[float], by: Sequence[float]) -> float:
        return max(b / a if a > 0 else (1.0 if b <= 0 else _INF) for a, b in zip(v, by, strict=True))

    chosen: list[int] = []
    for c in range(len(vectors[0])):
        best = min(range(len(vectors)), key=lambda i: (vectors[i][c], tuple(vectors[i])))
        if best not in chosen and len(chosen) < n:
            chosen.append(best)
    cover = [min(within(v, vectors[j]) for j in chosen) for v in vectors]
    while len(chosen) < n:
        worst = max((i for i in range(len(vectors)) if i not in chosen), key=lambda i: cover[i])
        chosen.append(worst)
        cover = [min(c, within(v, vectors[worst])) for c, v in zip(cover, vectors, strict=True)]
    return sorted(chosen), max(c for i, c in enumerate(cover) if i not in chosen)


def lower_bounds(router: Router, q: Query, criteria: Sequence[str]) -> list[list[float]]:
    """Per criterion, per node of the routing graph: the least cost from the node to ``q``'s destination.

    One scipy Dijkstra per criterion over the reversed graph of the edges ``q``'s constraints
    allow (``via``, ``require`` and *once* relaxed: the bounds are lower bounds of every
    state's cost to go; ``inf`` where the destination cannot be reached).
    """
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    graph = router.graph
    n = len(graph.nodes)
    edges = np.flatnonzero(np.asarray(router.mask(q.constraints), dtype=bool))
    rows, cols = graph.dst[edges], graph.src[edges]
    arrays = graph.criteria_for(q.crew)
    target = graph.node(q.destination, "t")
    out = []
    for criterion in criteria:
        weights = arrays[criterion][edges]
        order = np.lexsort((weights, cols, rows))  # by row, then column; the least weight of parallel edges first
        r, c, w = rows[order], cols[order], weights[order]
        first = np.ones(len(r), dtype=bool)
        first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
        r, c, w = r[first], c[first], w[first]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
        reverse = csr_matrix((w, c, indptr), shape=(n, n))  # explicit zeros are zero-weight edges
        out.append(np.asarray(dijkstra(reverse, directed=True, indices=target), dtype=float).tolist())
    return out


def _tol(x: float) -> float:
    return _EPS * (x if x > 1.0 else 1.0)


def _pareto(
    router: Router, q: Query, criteria: Sequence[str], once: Sequence[str], bound: ParetoBound
) -> list[list[int]]:
    """The label search of :func:`pareto_search` over one :class:`_States` (fast paths for two and three criteria)."""
    states = _States(router, q, once)
    lower = lower_bounds(router, q, criteria)
    if lower[0][states.start % states.n_nodes] == _INF:
        return []
    arrays = router.graph.criteria_for(q.crew)
    columns = [arrays[c].tolist() for c in criteria]
    search = {2: _pareto2, 3: _pareto3}.get(len(criteria), _pareto_n)
    parent, edge, found = search(q, states, columns, lower, bound)
    paths = []
    for index in found:
        edges = []
        while parent[index] >= 0:
            edges.append(edge[index])
            index = parent[index]
        edges.reverse()
        paths.append(edges)
    if bound.epsilon == 0.0:
        return paths  # found in lexicographic order, none dominated
    # merged labels are settled in order of their first criterion only, and their paths are not their
    # apexes: keep the paths no other one dominates, sorted
    vectors = [tuple(sum(c[e] for e in p) for c in columns) for p in paths]
    order = sorted(range(len(paths)), key=lambda n: vectors[n])
    kept: list[int] = []
    for n in order:
        v = vectors[n]
        if not any(all(o <= x + _tol(x) for o, x in zip(vectors[m], v, strict=True)) for m in kept):
            kept.append(n)
    return [paths[n] for n in kept]


Labels = tuple[list[int], list[int], list[int]]
"""What a label search returns: per label its parent label and edge (-1 for the first), and the labels of the routes found."""


def _pareto2(
    q: Query, states: _States, columns: list[list[float]], lower: list[list[float]], bound: ParetoBound
) -> Labels:
    """The label search for two criteria (:func:`_pareto_n` for any number, commented there).

    The labels settled at a state come in increasing order of the first criterion, so a
    label is dominated there exactly when its second is no less than the last settled one's.
    """
    c1, c2 = columns
    l1, l2 = lower
    n_nodes, goal, start = states.n_nodes, states.goal, states.start
    successors, is_goal = states.successors, states.is_goal
    expanded: dict[int, list[tuple[int, int, float, float, float, float]]] = {}

    def expand(state: int) -> list[tuple[int, int, float, float, float, float]]:
        out = []
        for nxt, e in successors(state):
            node = nxt % n_nodes
            if l1[node] == _INF:
                continue  # the destination cannot be reached from there
            out.append((goal if is_goal(nxt) else nxt, e, c1[e], c2[e], l1[node], l2[node]))
        return out

    parent, edge, at = [-1], [-1], [start]
    xs1, xs2 = [0.0], [0.0]  # apexes
    ps1, ps2 = [0.0], [0.0]  # their paths' costs
    live = bytearray(b"\x01")
    heap = [(l1[start % n_nodes], l2[start % n_nodes], 0)]
    last: dict[int, float] = {}  # per state, the second criterion of the apex settled last (the least)
    best2 = _INF  # the least second criterion of the routes found
    k = 1.0 + bound.epsilon
    km = 1.0 + MERGE_SHARE * bound.epsilon  # the bound of a merged label's path
    opened: dict[int, list[int]] | None = None if k == 1.0 else {start: [0]}
    settled, limit = bound.labels, bound.limit
    first_open = 0  # the first label that may merge
    found: list[int] = []
    pop, push, get = heapq.heappop, heapq.heappush, last.get
    while heap:
        _, f2, i = pop(heap)
        if not live[i]:
            continue  # merged into a label popped already
        live[i] = 0
        state = at[i]
        if opened is not None and i >= first_open:
            opened[state].remove(i)
        if best2 <= k * f2 + _EPS * (f2 if f2 > 1.0 else 1.0):
            continue
        if state == goal:
            best2 = min(best2, ps2[i])
            found.append(i)
            continue
        x2 = xs2[i]
        if get(state, _INF) <= x2 + _EPS * (x2 if x2 > 1.0 else 1.0):
            continue
        last[state] = x2
        settled += 1
        if settled >= limit:
            bound.labels = settled
            k = 1.0 + bound.passed(q)
            km = 1.0 + MERGE_SHARE * bound.epsilon
            limit = bound.limit
            if opened is None:
                opened, first_open = {}, len(at)  # the labels waiting already do not merge
        succ = expanded.get(state)
        if succ is None:
            succ = expanded[state] = expand(state)
        x1, p1, p2 = xs1[i], ps1[i], ps2[i]
        for nxt, e, w1, w2, h1, h2 in succ:
            y2 = x2 + w2
            if get(nxt, _INF) <= y2 + _EPS * (y2 if y2 > 1.0 else 1.0):
                continue
            g2 = y2 + h2
            if best2 <= k * g2 + _EPS * (g2 if g2 > 1.0 else 1.0):
                continue
            y1 = x1 + w1
            if opened is not None:
                merged = False
                waiting = opened.setdefault(nxt, [])
                for j in waiting:
                    m1 = y1 if y1 < xs1[j] else xs1[j]
                    m2 = y2 if y2 < xs2[j] else xs2[j]
                    b1 = km * (m1 + h1) + _EPS * (m1 + h1 + 1.0) - h1
                    b2 = km * (m2 + h2) + _EPS * (m2 + h2 + 1.0) - h2
                    if ps1[j] <= b1 and ps2[j] <= b2:
                        merged = True  # j's path stands for the merged apex
                    elif p1 + w1 <= b1 and p2 + w2 <= b2:
                        merged = True  # the new path does
                        ps1[j], ps2[j], parent[j], edge[j] = p1 + w1, p2 + w2, i, e
                    if merged:
                        if m1 != xs1[j] or m2 != xs2[j]:
                            xs1[j], xs2[j] = m1, m2
                            push(heap, (m1 + h1, m2 + h2, j))
                        break
                if merged:
                    continue
                waiting.append(len(at))
            parent.append(i)
            edge.append(e)
            at.append(nxt)
            xs1.append(y1)
            xs2.append(y2)
            ps1.append(p1 + w1)
            ps2.append(p2 + w2)
            live.append(1)
            push(heap, (y1 + h1, g2, len(at) - 1))
    bound.labels = settled
    return parent, edge, found


def _stair_add(a: list[float], b: list[float], x: float, y: float) -> None:
    """Add (x, y) to the staircase ``a``, ``b`` (``a`` increasing, ``b`` decreasing) unless a pair there dominates it."""
    i = bisect.bisect_right(a, x)
    if i and b[i - 1] <= y:
        return
    i = bisect.bisect_left(a, x)
    j = i
    while j < len(b) and b[j] >= y:
        j += 1  # pairs the new one dominates
    a[i:j] = [x]
    b[i:j] = [y]


def _pareto3(
    q: Query, states: _States, columns: list[list[float]], lower: list[list[float]], bound: ParetoBound
) -> Labels:
    """The label search for three criteria (:func:`_pareto_n` for any number, commented there).

    The labels settled at a state come in increasing order of the first criterion; the
    other two are kept as a staircase (:class:`_Staircase`, inlined), where one bisection
    tells whether a label is dominated.
    """
    c1, c2, c3 = columns
    l1, l2, l3 = lower
    n_nodes, goal, start = states.n_nodes, states.goal, states.start
    successors, is_goal = states.successors, states.is_goal
    expanded: dict[int, list[tuple[int, int, float, float, float, float, float, float]]] = {}

    def expand(state: int) -> list[tuple[int, int, float, float, float, float, float, float]]:
        out = []
        for nxt, e in successors(state):
            node = nxt % n_nodes
            if l1[node] == _INF:
                continue  # the destination cannot be reached from there
            out.append((goal if is_goal(nxt) else nxt, e, c1[e], c2[e], c3[e], l1[node], l2[node], l3[node]))
        return out

    s0 = start % n_nodes
    parent, edge, at = [-1], [-1], [start]
    xs1, xs2, xs3 = [0.0], [0.0], [0.0]  # apexes
    ps1, ps2, ps3 = [0.0], [0.0], [0.0]  # their paths' costs
    live = bytearray(b"\x01")
    heap = [(l1[s0], l2[s0], l3[s0], 0)]
    stairs: dict[int, tuple[list[float], list[float]]] = {}  # per state, the apexes settled there (2nd, 3rd)
    route2: list[float] = []  # the routes found (2nd, 3rd), a staircase
    route3: list[float] = []
    k = 1.0 + bound.epsilon
    km = 1.0 + MERGE_SHARE * bound.epsilon  # the bound of a merged label's path
    opened: dict[int, list[int]] | None = None if k == 1.0 else {start: [0]}
    settled, limit = bound.labels, bound.limit
    first_open = 0  # the first label that may merge
    found: list[int] = []
    pop, push, get, right = heapq.heappop, heapq.heappush, stairs.get, bisect.bisect_right
    while heap:
        _, f2, f3, i = pop(heap)
        if not live[i]:
            continue  # merged into a label popped already
        live[i] = 0
        state = at[i]
        if opened is not None and i >= first_open:
            opened[state].remove(i)
        if route2:
            r = right(route2, k * f2 + _EPS * (f2 if f2 > 1.0 else 1.0)) - 1
            if r >= 0 and route3[r] <= k * f3 + _EPS * (f3 if f3 > 1.0 else 1.0):
                continue
        if state == goal:
            _stair_add(route2, route3, ps2[i], ps3[i])
            found.append(i)
            continue
        x2, x3 = xs2[i], xs3[i]
        stair = get(state)
        if stair is None:
            stair = stairs[state] = ([], [])
        else:
            r = right(stair[0], x2 + _EPS * (x2 if x2 > 1.0 else 1.0)) - 1
            if r >= 0 and stair[1][r] <= x3 + _EPS * (x3 if x3 > 1.0 else 1.0):
                continue
        _stair_add(stair[0], stair[1], x2, x3)
        settled += 1
        if settled >= limit:
            bound.labels = settled
            k = 1.0 + bound.passed(q)
            km = 1.0 + MERGE_SHARE * bound.epsilon
            limit = bound.limit
            if opened is None:
                opened, first_open = {}, len(at)  # the labels waiting already do not merge
        succ = expanded.get(state)
        if succ is None:
            succ = expanded[state] = expand(state)
        x1, p1, p2, p3 = xs1[i], ps1[i], ps2[i], ps3[i]
        for nxt, e, w1, w2, w3, h1, h2, h3 in succ:
            y2, y3 = x2 + w2, x3 + w3
            other = get(nxt)
            if other is not None:
                r = right(other[0], y2 + _EPS * (y2 if y2 > 1.0 else 1.0)) - 1
                if r >= 0 and other[1][r] <= y3 + _EPS * (y3 if y3 > 1.0 else 1.0):
                    continue
            g2, g3 = y2 + h2, y3 + h3
            if route2:
                r = right(route2, k * g2 + _EPS * (g2 if g2 > 1.0 else 1.0)) - 1
                if r >= 0 and route3[r] <= k * g3 + _EPS * (g3 if g3 > 1.0 else 1.0):
                    continue
            y1 = x1 + w1
            if opened is not None:
                merged = False
                waiting = opened.setdefault(nxt, [])
                for j in waiting:
                    m1 = y1 if y1 < xs1[j] else xs1[j]
                    m2 = y2 if y2 < xs2[j] else xs2[j]
                    m3 = y3 if y3 < xs3[j] else xs3[j]
                    b1 = km * (m1 + h1) + _EPS * (m1 + h1 + 1.0) - h1
                    b2 = km * (m2 + h2) + _EPS * (m2 + h2 + 1.0) - h2
                    b3 = km * (m3 + h3) + _EPS * (m3 + h3 + 1.0) - h3
                    if ps1[j] <= b1 and ps2[j] <= b2 and ps3[j] <= b3:
                        merged = True  # j's path stands for the merged apex
                    elif p1 + w1 <= b1 and p2 + w2 <= b2 and p3 + w3 <= b3:
                        merged = True  # the new path does
                        ps1[j], ps2[j], ps3[j], parent[j], edge[j] = p1 + w1, p2 + w2, p3 + w3, i, e
                    if merged:
                        if m1 != xs1[j] or m2 != xs2[j] or m3 != xs3[j]:
                            xs1[j], xs2[j], xs3[j] = m1, m2, m3
                            push(heap, (m1 + h1, m2 + h2, m3 + h3, j))
                        break
                if merged:
                    continue
                waiting.append(len(at))
            parent.append(i)
            edge.append(e)
            at.append(nxt)
            xs1.append(y1)
            xs2.append(y2)
            xs3.append(y3)
            ps1.append(p1 + w1)
            ps2.append(p2 + w2)
            ps3.append(p3 + w3)
            live.append(1)
            push(heap, (y1 + h1, g2, g3, len(at) - 1))
    bound.labels = settled
    return parent, edge, found


class _Front:
    """The tails (criteria after the first) of the labels settled at one state: does one cover a threshold?

    Labels are settled in increasing order of the first criterion, so only the tails are compared.
    One criterion: any label covers; two: :class:`_Staircase`; more: a scan.
    """

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[float, ...]] = []

    def covers(self, v: tuple[float, ...], k: float = 1.0) -> bool:
        """Whether a tail settled here is at most ``k`` times the tail of ``v`` (up to the tie tolerance)."""
        t = [k * x + _EPS * (x if x > 1.0 else 1.0) for x in v[1:]]
        return any(all(o <= x for o, x in zip(item, t, strict=True)) for item in self.items)

    def add(self, v: tuple[float, ...]) -> None:
        self.items.append(v)


class _Staircase(_Front):
    """Pairs none of which dominates another, in increasing order of the first (so decreasing second)."""

    __slots__ = ("a", "b")

    def __init__(self) -> None:
        self.a: list[float] = []
        self.b: list[float] = []

    def covers(self, v: tuple[float, ...], k: float = 1.0) -> bool:
        a, b = v[1], v[2]
        i = bisect.bisect_right(self.a, k * a + _EPS * (a if a > 1.0 else 1.0)) - 1
        return i >= 0 and self.b[i] <= k * b + _EPS * (b if b > 1.0 else 1.0)

    def add(self, v: tuple[float, ...]) -> None:
        a, b = v
        i = bisect.bisect_right(self.a, a)
        if i and self.b[i - 1] <= b:
            return  # dominated by a pair there already
        i = bisect.bisect_left(self.a, a)
        j = i
        while j < len(self.b) and self.b[j] >= b:
            j += 1  # pairs the new one dominates
        self.a[i:j] = [a]
        self.b[i:j] = [b]


def _pareto_n(
    q: Query, states: _States, columns: list[list[float]], lower: list[list[float]], bound: ParetoBound
) -> Labels:
    """The label search for any number of criteria (:func:`_pareto2` is a faster one for two).

    A label is an *apex* (a cost vector, the key it is settled by with the lower bounds
    added) and a path; exact, they are equal. Dominance at a state compares apexes.
    With ``epsilon > 0`` a new label may merge into one waiting at its state, as in A*pex
    (Zhang, Salzman, Kumar, Felner, Hernandez and Koenig, ICAPS 2022): the apex becomes the
    least of both on every criterion and the path is one of the two whose cost (plus lower
    bound) is within ``1 + epsilon`` of it; extending keeps that, so at the destination every
    path is within ``1 + epsilon`` of its apex, and every path merged away costs at least the apex.
    """
    width = len(columns)
    n_nodes, goal, start = states.n_nodes, states.goal, states.start
    successors, is_goal = states.successors, states.is_goal
    make = _Staircase if width == 3 else _Front
    expanded: dict[int, list[tuple[int, int, tuple[float, ...], tuple[float, ...]]]] = {}

    def expand(state: int) -> list[tuple[int, int, tuple[float, ...], tuple[float, ...]]]:
        out = []
        for nxt, e in successors(state):
            node = nxt % n_nodes
            if lower[0][node] == _INF:
                continue  # the destination cannot be reached from there
            w = tuple(c[e] for c in columns)
            out.append((goal if is_goal(nxt) else nxt, e, w, tuple(h[node] for h in lower)))
        return out

    zero = (0.0,) * width
    parent, edge, at = [-1], [-1], [start]
    xs: list[tuple[float, ...]] = [zero]  # apexes
    ps: list[tuple[float, ...]] = [zero]  # their paths' costs
    live = bytearray(b"\x01")
    heap = [(tuple(h[start % n_nodes] for h in lower), 0)]
    fronts: dict[int, _Front] = {}  # per state, the apexes settled there
    routes = make()  # the costs of the routes found
    k = 1.0 + bound.epsilon
    km = 1.0 + MERGE_SHARE * bound.epsilon  # the bound of a merged label's path
    opened: dict[int, list[int]] | None = None if k == 1.0 else {start: [0]}  # per state, the labels waiting
    settled, limit = bound.labels, bound.limit
    first_open = 0  # the first label that may merge
    found: list[int] = []
    while heap:
        f, i = heapq.heappop(heap)
        if not live[i]:
            continue  # merged into a label popped already
        live[i] = 0
        state = at[i]
        if opened is not None and i >= first_open:
            opened[state].remove(i)
        if found and routes.covers(f, k):
            continue  # a route found is within 1 + epsilon of every way on
        if state == goal:
            routes.add(ps[i][1:])
            found.append(i)
            continue
        x = xs[i]
        front = fronts.get(state)
        if front is None:
            front = fronts[state] = make()
        elif front.covers(x):
            continue
        front.add(x[1:])
        settled += 1
        if settled >= limit:
            bound.labels = settled
            k = 1.0 + bound.passed(q)
            km = 1.0 + MERGE_SHARE * bound.epsilon
            limit = bound.limit
            if opened is None:
                opened, first_open = {}, len(at)  # the labels waiting already do not merge
        succ = expanded.get(state)
        if succ is None:
            succ = expanded[state] = expand(state)
        p = ps[i]
        for nxt, e, w, h in succ:
            y = tuple(map(add, x, w))
            other = fronts.get(nxt)
            if other is not None and other.covers(y):
                continue
            g = tuple(map(add, y, h))
            if found and routes.covers(g, k):
                continue
            r = tuple(map(add, p, w))
            if opened is not None:
                merged = False
                waiting = opened.setdefault(nxt, [])
                for j in waiting:
                    m = tuple(a if a < b else b for a, b in zip(y, xs[j], strict=True))
                    top = tuple(km * (a + b) + _EPS * (a + b + 1.0) - b for a, b in zip(m, h, strict=True))
                    if all(a <= b for a, b in zip(ps[j], top, strict=True)):
                        merged = True  # j's path stands for the merged apex
                    elif all(a <= b for a, b in zip(r, top, strict=True)):
                        merged = True  # the new path does
                        ps[j], parent[j], edge[j] = r, i, e
                    if merged:
                        if m != xs[j]:
                            xs[j] = m
                            heapq.heappush(heap, (tuple(a + b for a, b in zip(m, h, strict=True)), j))
                        break
                if merged:
                    continue
                waiting.append(len(at))
            parent.append(i)
            edge.append(e)
            at.append(nxt)
            xs.append(y)
            ps.append(r)
            live.append(1)
            heapq.heappush(heap, (g, len(at) - 1))
    bound.labels = settled
    return parent, edge, found
