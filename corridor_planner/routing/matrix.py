"""One-to-many search on arrays: many origins at once with :func:`scipy.sparse.csgraph.dijkstra`.

The graph searched is the router's own routing graph (hub layers, transfers, dwells,
waits: :mod:`~corridor_planner.routing.graph`) as a CSR matrix with integer node
numbers and numpy weight arrays, under the query's constraint mask
(:func:`~corridor_planner.routing.router.allowed_mask`). So transfer and dwell stops
are in the weights exactly as :func:`~corridor_planner.routing.search.search` counts them.
Parallel edges between the same two nodes are reduced to the lexicographically least.

:func:`~corridor_planner.routing.search.search` compares labels lexicographically (the
objective, then three tie-breakers). scipy minimises one weight, so the tie-breakers are
applied in stages: after minimising the objective from every origin (one scipy call),
only the edges *tight* for it (``d[u] + w[e] == d[v]``, in the same floating-point
arithmetic) are kept, and the origins whose tight edges still leave a choice minimise the
next criterion over them (one call over the block-diagonal graph of one copy per origin,
``min_only=True``); and so on. The result is the lexicographic optimum the router finds;
only paths equal in all four criteria may differ from the router's (its heap order picks
among them), with the same four totals.

Totals of every criterion and the hubs each path enters come from the trees, one depth at a
time. What the arrays do not capture is flagged for the caller: a path that enters a hub twice
(routes are simple; the router searches again with that hub marked *once*) is flagged in
:attr:`ArrayMatrix.repeated`; ``via`` and ``require`` are not handled here (see :func:`supports`).
:class:`BatchSearch` answers many pairs' searches (diagnosis of pairs without a route) from them.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .query import objective_column, tie_order
from .router import allowed_mask
from .search import MAX_ONCE, repeated_hubs, search

if TYPE_CHECKING:  # pragma: no cover
    from .query import Query
    from .router import Router

CRITERIA_COLUMNS = ("time_h", "distance_km", "cost_usd", "co2_kg", "co2e_kg")
"""The totals of each cell, by the names :class:`~corridor_planner.routing.route.Route` gives them."""

BLOCK_ENTRIES = 4_000_000
"""At most about this many (origin, node) entries are searched in one scipy call; more origins go in batches."""

BITSET_BYTES = 64 * 2**20
"""Hub sets along paths (to find repeated hubs) are bitsets when they fit in this many bytes; else paths are walked."""


def supports(q: Query) -> bool:
    """Whether the array search is exact for ``q``'s options (``via`` and ``require`` need the router's state search)."""
    return not q.via and not q.require


@dataclass
class ArrayMatrix:
    """Totals of the lexicographically optimal path of each (origin, destination) cell.

    Arrays are ``(len(origins), len(destinations))``; cells with no path have NaN totals
    and ``reachable`` False; ``repeated`` marks paths that enter a hub twice (not a
    route the router would return: repair them with :meth:`Router.plan`).
    """

    origins: list[str]
    destinations: list[str]
    totals: dict[str, npt.NDArray[np.float64]]
    reachable: npt.NDArray[np.bool_]
    repeated: npt.NDArray[np.bool_]
    pred_edge: npt.NDArray[np.signedinteger[Any]]
    """Per origin and routing-graph node, the edge the optimal path arrives by (-1: none)."""
    target_nodes: npt.NDArray[np.int64]
    edge_src: npt.NDArray[np.int64]
    """The routing graph's edge sources (to walk ``pred_edge``)."""

    _rows: dict[int, list[int]] = field(default_factory=dict, init=False, repr=False, compare=False)
    """The rows of ``pred_edge`` already walked, as lists (a matrix walks many paths of a row)."""

    def path(self, i: int, j: int) -> list[int]:
        """Edge ids of the path of cell ``(i, j)`` (empty when there is none)."""
        if not self.reachable[i, j]:
            return []
        pred = self._rows.get(i)
        if pred is None:
            pred = self._rows[i] = self.pred_edge[i].tolist()
        src = self._edge_src
        node = int(self.target_nodes[j])
        edges: list[int] = []
        while (e := pred[node]) >= 0:
            edges.append(e)
            node = src[e]
        edges.reverse()
        return edges

    @cached_property
    def _edge_src(self) -> list[int]:
        return self.edge_src.tolist()  # type: ignore[no-any-return]


SEARCHES_PER_ORIGIN = 1.0
""":class:`BatchSearch` answers a query's pairs one search each until it has been asked this many times the
number of origins, then makes one array search for all pairs. A pair search costs about what an array search
costs per origin (shipped network: 0.4 ms against 0.36 ms), so this switches when the searches made have cost
about one array search: never more than twice the cost of the better choice made in hindsight."""


class BatchSearch:
    """:func:`~corridor_planner.routing.search.search` for many pairs of the same origins and destinations.

    Called with a query, gives the path ``search`` gives. First one reachability pass per set of
    constraints (scipy, unweighted): a pair it does not connect has no path, without a search.
    Connected pairs are searched one by one until a set of constraints, objective and crew has been
    asked :data:`SEARCHES_PER_ORIGIN` times the number of origins; then one :func:`one_to_many`
    answers the rest (the same lexicographic optimum; a path entering a hub twice is repaired by
    ``search`` from the hubs it repeats). A query with ``via`` or ``require``, or ends outside the
    sets, goes to ``search``. :meth:`Router.diagnose` uses it for the relaxed queries of many pairs.
    """

    def __init__(self, router: Router, origins: Sequence[str], destinations: Sequence[str]) -> None:
        graph = router.graph
        self.router = router
        self.origins, self.destinations = list(origins), list(destinations)
        self.row = {h: i for i, h in enumerate(origins)}
        self.col = {h: j for j, h in enumerate(destinations)}
        self.o_nodes = [graph.node(h, "o") for h in origins]
        self.t_nodes = [graph.node(h, "t") for h in destinations]
        self._found: dict[tuple[Query, object, int], ArrayMatrix] = {}
        self._asked: dict[tuple[Query, object, int], int] = {}
        self._reached: dict[Query, npt.NDArray[np.bool_]] = {}

    def add(self, q: Query, found: ArrayMatrix) -> None:
        """Record ``found``, the :func:`one_to_many` of ``q`` over these origins and destinations."""
        self._found[(q.constraints, q.optimize, q.crew)] = found

    def reached(self, constraints: Query) -> npt.NDArray[np.bool_]:
        """``(len(origins), len(destinations))``: the pairs ``constraints`` connect at all."""
        found = self._reached.get(constraints)
        if found is None:
            graph = self.router.graph
            n = len(graph.nodes)
            allowed = np.flatnonzero(allowed_mask(graph, constraints))
            edges = allowed[np.lexsort((graph.dst[allowed], graph.src[allowed]))]
            keys = graph.src[edges] * n + graph.dst[edges]
            first = np.ones(len(edges), dtype=bool)
            first[1:] = keys[1:] != keys[:-1]  # parallel edges once (see _reachable)
            edges = edges[first]
            block = _csr(n, graph.src[edges], graph.dst[edges], np.ones(len(edges)))
            found = _reachable(
                block, np.asarray(self.o_nodes, dtype=np.int64), np.asarray(self.t_nodes, dtype=np.int64)
            )
            self._reached[constraints] = found
        return found

    def connected(self, q: Query) -> bool:
        """Whether ``q``'s constraints leave any path between its ends (``True`` for ends outside the sets)."""
        i, j = self.row.get(q.origin), self.col.get(q.destination)
        if i is None or j is None:
            return True
        return bool(self.reached(q.constraints)[i, j])

    def __call__(self, q: Query) -> list[int] | None:
        i, j = self.row.get(q.origin), self.col.get(q.destination)
        if not supports(q) or i is None or j is None:
            return search(self.router, q)
        return self.find_at(q, i, j)

    def expect(self, q: Query, asked: int) -> None:
        """Be told that ``asked`` more pairs will be searched with ``q``'s constraints, objective and crew.

        When that takes the count past the switch to one array search (:data:`SEARCHES_PER_ORIGIN`), the
        array search is made now rather than after as many pair searches as there are origins.
        """
        key = (q.constraints, q.optimize, q.crew)
        if key in self._found or self._asked.get(key, 0) + asked <= SEARCHES_PER_ORIGIN * len(self.origins):
            return
        self._found[key] = one_to_many(self.router, q, self.origins, self.destinations, totals=False)

    def find_at(self, q: Query, i: int, j: int) -> list[int] | None:
        """The path of ``q``'s search between origin ``i`` and destination ``j`` (``q``'s own ends are ignored).

        What calling with ``q.changed(origin=origins[i], destination=destinations[j])`` gives; that
        query is made only when a search needs it. Requires ``supports(q)``.
        """
        origin, destination = self.origins[i], self.destinations[j]
        key = (q.constraints, q.optimize, q.crew)
        found = self._found.get(key)
        if found is None:
            if not self.reached(q.constraints)[i, j]:
                return None
            self._asked[key] = asked = self._asked.get(key, 0) + 1
            if asked <= SEARCHES_PER_ORIGIN * len(self.origins):
                return search(self.router, q.changed(origin=origin, destination=destination))
            found = one_to_many(self.router, q, self.origins, self.destinations, totals=False)
            self._found[key] = found
        if not found.reachable[i, j]:
            return None
        path = found.path(i, j)
        once = repeated_hubs(self.router, origin, path)  # what ``found.repeated`` flags (not made without totals)
        if once:
            if len(once) <= MAX_ONCE:
                # what ``search(cell, once=once)`` does first: the resumable search of the origin with those hubs
                # marked once; a simple path from it is its answer
                tree = self.router.tree((q.constraints, q.optimize, q.crew, origin, tuple(once)))
                simple = tree.path_to(self.t_nodes[j])
                if simple is not None and not repeated_hubs(self.router, origin, simple):
                    return simple
            cell = q.changed(origin=origin, destination=destination)
            simple = search(self.router, cell, once=once) if len(once) <= MAX_ONCE else None
            # no simple path (or too many hubs to mark): the router's own answer, the repeating path and its warning
            return simple if simple is not None else search(self.router, cell)
        return path


def _reachable(block: Any, sources: npt.NDArray[np.int64], targets: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """``(len(sources), len(targets))``: whether a path of the graph ``block`` (CSR) leads from each source to each target.

    A node reaches itself and what its successors reach, and every node of a strongly connected component
    reaches the same nodes: so one breadth-first order (scipy, in C) per component the sources' successors
    lie in, not one per source (shipped network: 18 for 171 origins, most start into one component of 630
    nodes). With as many such components as sources, one breadth-first order per source.

    ``block`` must have no parallel edges: scipy's strongly connected components never end on a CSR
    matrix with duplicate entries (scipy 1.17: a 10-node graph with one edge twice); a matrix not in
    canonical form is summed first.
    """
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    if not block.has_canonical_format:
        block = block.copy()
        block.sum_duplicates()
    n = block.shape[0]
    indptr, indices = block.indptr, block.indices
    reach = np.zeros((len(sources), len(targets)), dtype=bool)
    _, labels = connected_components(block, directed=True, connection="strong")
    counts = indptr[sources + 1] - indptr[sources]
    owner = np.repeat(np.arange(len(sources), dtype=np.int64), counts)
    successors = indices[np.repeat(indptr[sources] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())]
    comps, first = np.unique(labels[successors], return_index=True)
    if len(comps) >= len(sources):
        for k, node in enumerate(sources.tolist()):
            seen = np.zeros(n, dtype=bool)
            seen[breadth_first_order(block, node, directed=True, return_predecessors=False)] = True
            reach[k] = seen[targets]
        return reach
    from_comp = np.zeros((len(comps), len(targets)), dtype=bool)
    for c, node in enumerate(successors[first].tolist()):
        seen = np.zeros(n, dtype=bool)
        seen[breadth_first_order(block, node, directed=True, return_predecessors=False)] = True
        from_comp[c] = seen[targets]
    member = np.zeros((len(sources), len(comps)), dtype=np.float32)
    member[owner, np.searchsorted(comps, labels[successors])] = 1.0
    reach = (member @ from_comp.astype(np.float32)) > 0
    reach |= sources[:, None] == targets[None, :]
    return reach  # type: ignore[no-any-return]


def _csr(n: int, rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], data: npt.NDArray[np.float64]) -> object:
    """A CSR matrix of ``n`` nodes from edges sorted by row (explicit zeros are zero-weight edges)."""
    from scipy.sparse import csr_matrix

    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return csr_matrix((data, cols, indptr), shape=(n, n))


def one_to_many(
    router: Router, q: Query, origins: Sequence[str], destinations: Sequence[str], totals: bool = True
) -> ArrayMatrix:
    """The optimal path of ``q``'s objective (ties as :func:`~.search.search` breaks them) from each origin to each destination.

    ``q``'s origin and destination are ignored; its constraints, objective and crew apply.
    ``origins`` and ``destinations`` are hub ids (no waypoints). Requires ``supports(q)``.
    ``totals=False`` computes neither the totals (NaN) nor ``repeated`` (all False): paths and reachability
    only (:class:`BatchSearch`, which checks the paths it gives for repeated hubs itself).
    """
    from scipy.sparse.csgraph import dijkstra

    if not supports(q):
        raise ValueError("one_to_many does not handle via or require")
    graph = router.graph
    n = len(graph.nodes)
    criteria = graph.criteria_for(q.crew)
    columns = [objective_column(criteria, q.optimize)] + [criteria[c] for c in tie_order(q.optimize)]
    src, dst = graph.src, graph.dst

    # the allowed edges, one per (from node, to node): the lexicographically least; sorted by (src, dst)
    allowed = np.flatnonzero(allowed_mask(graph, q.constraints))
    order = np.lexsort((allowed, *(c[allowed] for c in reversed(columns)), dst[allowed], src[allowed]))
    edges = allowed[order]
    keys = src[edges] * n + dst[edges]
    first = np.ones(len(edges), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    edges, keys = edges[first], keys[first]
    e_src, e_dst = src[edges], dst[edges]
    weights = [c[edges] for c in columns]

    o_nodes = np.asarray([graph.node(h, "o") for h in origins], dtype=np.int64)
    t_nodes = np.asarray([graph.node(h, "t") for h in destinations], dtype=np.int64)
    n_o, n_d = len(origins), len(destinations)
    small = np.int32 if graph.n_edges < 2**31 else np.int64
    pred_edge: npt.NDArray[np.signedinteger[Any]] = np.full((n_o, n), -1, dtype=small)
    sums_of = {k: np.full((n_o, n_d), np.nan) for k in CRITERIA_COLUMNS}
    repeated = np.zeros((n_o, n_d), dtype=bool)
    batch = max(1, BLOCK_ENTRIES // max(n, 1))
    pairs = _pair_table(graph)
    for lo in range(0, n_o, batch):
        roots = o_nodes[lo : lo + batch]
        part = _lexicographic_tree(dijkstra, n, roots, e_src, e_dst, edges, keys, weights, pairs)
        pred_edge[lo : lo + len(roots)] = part
        if not totals:
            continue
        sums, repeats = _tree_totals(router, q, part, roots, t_nodes)
        for k, v in sums.items():
            sums_of[k][lo : lo + len(roots)] = v
        repeated[lo : lo + len(roots)] = repeats
    reached = pred_edge[:, t_nodes] >= 0
    if totals:
        for v in sums_of.values():
            v[~reached] = np.nan
    return ArrayMatrix(list(origins), list(destinations), sums_of, reached, repeated & reached, pred_edge, t_nodes, src)


def _lexicographic_tree(
    dijkstra: object,
    n: int,
    roots: npt.NDArray[np.int64],
    e_src: npt.NDArray[np.int64],
    e_dst: npt.NDArray[np.int64],
    edges: npt.NDArray[np.int64],
    keys: npt.NDArray[np.int64],
    weights: list[npt.NDArray[np.float64]],
    pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]] | None = None,
) -> npt.NDArray[np.int64]:
    """Per root and node, the edge id of the lexicographic shortest-path tree (-1: root or unreached).

    Stage 0 searches the whole graph from every root at once. A root whose tight edges
    (``d[u] + w[e] == d[v]``) enter no node twice has its tree: no tie to break. The others
    go on to the next criterion over their tight edges only (one block-diagonal graph),
    until no tie is left or the criteria run out (then scipy's predecessors decide).

    A root without ties has one tight edge into each node it reaches (but itself): the edge from
    scipy's predecessor, whose distance came by it. So its tree is read from the predecessors
    (one gather: :func:`_edge_ids`) rather than scattered from the tight edges (7x slower).
    """
    k = len(roots)
    out: npt.NDArray[np.int64] | None = None  # made when some root needs more than stage 0's predecessors
    rows = np.arange(k, dtype=np.int64)  # the roots still with ties
    tight = np.ones((k, len(edges)), dtype=bool)
    edge_ids = _edge_ids(n, keys, edges, pairs)
    for stage, w in enumerate(weights):
        m = len(rows)
        offsets = (np.arange(m, dtype=np.int64) * n)[:, None]
        if stage == 0:
            block = _csr(n, e_src, e_dst, w)
            dist, pred_raw = dijkstra(  # type: ignore[operator]
                block, directed=True, indices=roots, return_predecessors=True
            )
        else:
            rows_e = (offsets + e_src[None, :])[tight]
            cols_e = (offsets + e_dst[None, :])[tight]
            data = np.broadcast_to(w, tight.shape)[tight]
            block = _csr(m * n, rows_e, cols_e, data)
            dist, pred_raw, _ = dijkstra(  # type: ignore[operator]
                block, directed=True, indices=offsets[:, 0] + roots[rows], return_predecessors=True, min_only=True
            )
        d = np.asarray(dist, dtype=float).reshape(m, n)
        for lo in range(0, m, TIE_ROWS):  # a few roots at a time: the temporaries stay in the cache (4x faster)
            part = d[lo : lo + TIE_ROWS]
            du = part[:, e_src]
            here = np.isfinite(du)
            here &= du + w[None, :] == part[:, e_dst]
            tight[lo : lo + TIE_ROWS] &= here
        # a tie: a node entered by two tight edges. Every node reached but the root is entered by one (the edge
        # scipy's distance came by), so a root has ties when its tight edges outnumber the nodes they enter
        at_root = np.flatnonzero(np.isin(e_dst, roots[rows]))  # the edges into some root (none into ``o`` nodes)
        into_root = (tight[:, at_root] & (e_dst[at_root][None, :] == roots[rows][:, None])).any(axis=1)
        tied = np.count_nonzero(tight, axis=1) > np.count_nonzero(np.isfinite(d), axis=1) - 1 + into_root
        last = stage == len(weights) - 1
        # the predecessors give the tree of a root without ties, and at the last stage of one with ties left
        # (scipy's pick among equal paths); a root without ties but a tight edge into itself (a zero cycle
        # through it, which ``o`` nodes never have) takes its tight edges, that one too
        scatter = ~tied & into_root
        by_pred = ~scatter & (~tied | last)
        pred = np.asarray(pred_raw).reshape(m, n)
        if stage == 0 and by_pred.all():
            return _tree_from_pred(pred, pred >= 0, n, edge_ids)  # every root done at once (the shipped network)
        if out is None:
            out = np.full((k, n), -1, dtype=np.int64)
        if by_pred.all():
            out[rows] = _tree_from_pred(pred if stage == 0 else pred - offsets, pred >= 0, n, edge_ids)
        elif by_pred.any():
            sel = pred[by_pred]
            out[rows[by_pred]] = _tree_from_pred(sel if stage == 0 else sel - offsets[by_pred], sel >= 0, n, edge_ids)
        if scatter.any():
            ri, ji = np.nonzero(tight[scatter])
            out.reshape(-1)[rows[scatter][ri] * n + e_dst[ji]] = edges[ji]  # flat: faster than a 2-d scatter
        rows, tight = rows[tied], tight[tied]
        if not len(rows) or last:
            break
    return np.full((k, n), -1, dtype=np.int64) if out is None else out


TIE_ROWS = 32
"""The roots whose tight edges are found in one step (their distances gathered per edge: 32 x 2,000 edges fit a cache)."""

DENSE_EDGE_TABLE = 2**22
"""Edge ids by ``src * n + dst`` come from a dense table when ``n * n`` is at most this (16 MB of int32), else by bisection."""


_PAIR_TABLES: dict[int, tuple[Any, Any, npt.NDArray[np.int64], npt.NDArray[np.int32]]] = {}
"""Per array of edge sources (by id, while it lives: weak references to it and to the edge targets), the
distinct ``src * n + dst`` keys and the dense table of their positions. Scenario overlays share their base
graph's edge ends (:data:`~.overlay.SHARED`), so a sweep's graphs share one table."""


def _pair_table(graph: Any) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]] | None:
    """The sorted distinct edge keys ``src * n + dst`` of ``graph`` and, per key, its position among them (-1: no edge).

    Made once per graph structure (``n * n`` int32: 4 MB on the shipped network); ``None`` above
    :data:`DENSE_EDGE_TABLE`.
    """
    n = len(graph.nodes)
    if n * n > DENSE_EDGE_TABLE:
        return None
    src, dst = graph.src, graph.dst
    key = id(src)
    found = _PAIR_TABLES.get(key)
    if found is not None and found[0]() is src and found[1]() is dst:
        return found[2], found[3]
    distinct = np.unique(src.astype(np.int64) * n + dst)
    table = np.full(n * n, -1, dtype=np.int32)
    table[distinct] = np.arange(len(distinct), dtype=np.int32)
    _PAIR_TABLES[key] = (weakref.ref(src), weakref.ref(dst), distinct, table)
    weakref.finalize(src, _PAIR_TABLES.pop, key, None)
    return distinct, table


def _edge_ids(
    n: int,
    keys: npt.NDArray[np.int64],
    edges: npt.NDArray[np.int64],
    pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]] | None,
) -> Any:
    """A function from ``src * n + dst`` keys (of edges that exist) to the edge id of that key (``keys`` sorted, unique).

    With the graph's table of pairs (:func:`_pair_table`): two gathers, made once per search. Else by bisection.
    """
    if pairs is None:
        return lambda wanted: edges[np.searchsorted(keys, wanted)]
    distinct, table = pairs
    chosen = np.full(len(distinct), -1, dtype=np.int64)
    chosen[np.searchsorted(distinct, keys)] = edges
    return lambda wanted: chosen[table[wanted]]


def _tree_from_pred(
    pred: npt.NDArray[np.signedinteger[Any]], has: npt.NDArray[np.bool_], n: int, edge_ids: Any
) -> npt.NDArray[np.int64]:
    """Per row and node, the edge from its predecessor (``pred``, node numbers; where ``has``) to it, else -1."""
    small = np.int32 if n * n < 2**31 else np.int64  # scipy's predecessors are int32
    keys = np.maximum(pred, 0).astype(small, copy=False) * small(n) + np.arange(n, dtype=small)
    out = edge_ids(keys)
    out[~has] = -1
    return out  # type: ignore[no-any-return]


def _on_paths(
    flat_edge: npt.NDArray[np.int64],
    has: npt.NDArray[np.bool_],
    src: npt.NDArray[np.int64],
    n: int,
    roots: npt.NDArray[np.int64],
    t_nodes: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """Over the flat ``(root, node)`` entries of the trees, those on the path from a root to a destination it reaches.

    Walked up from the destinations, all at once: a step takes each walk to its parent, and a walk ends at a
    node already marked (or a root), so every node is visited once (duplicates met in the same step merge).
    """
    on = np.zeros(len(flat_edge), dtype=bool)
    ends = ((roots - roots % n)[:, None] + t_nodes[None, :]).reshape(-1)
    on[ends[np.isin(ends, roots)]] = True  # a destination that is its row's root (no edge into it)
    walk = ends[has[ends]]
    on[walk] = True
    stamp = np.empty(len(flat_edge), dtype=np.int64)
    while len(walk):
        up = walk - walk % n + src[flat_edge[walk]]
        up = up[~on[up]]
        stamp[up] = np.arange(len(up))
        up = up[stamp[up] == np.arange(len(up))]  # each node once
        on[up] = True
        walk = up[has[up]]
    return on


def _tree_totals(
    router: Router,
    q: Query,
    pred_edge: npt.NDArray[np.int64],
    o_nodes: npt.NDArray[np.int64],
    t_nodes: npt.NDArray[np.int64],
) -> tuple[dict[str, npt.NDArray[np.float64]], npt.NDArray[np.bool_]]:
    """Totals of every criterion along the tree path of each (root, destination), and whether it enters a hub twice.

    Only the nodes on the tree paths to the destinations take part (:func:`_on_paths`; 79k of the 135k nodes
    the trees reach on the shipped network). They are put in breadth-first order (one scipy call on the
    forest of trees); then the nodes of each depth add their parent's sums, and
    hub sets (bits in 64-bit words), in one step: parents are complete before their children. With
    too many hubs for bitsets (:data:`BITSET_BYTES`), repeats come from walking each destination's path.
    """
    graph = router.graph
    n_o, n = pred_edge.shape
    size = n_o * n
    flat_edge = pred_edge.reshape(-1).astype(np.int64)
    has = flat_edge >= 0
    roots = np.arange(n_o, dtype=np.int64) * n + o_nodes
    in_tree = _on_paths(flat_edge, has, graph.src, n, roots, t_nodes)
    ids = np.flatnonzero(in_tree)
    m = len(ids)  # index m: the sentinel (zero sums, no hubs), the parent of the roots
    comp = np.full(size, m, dtype=np.int64)
    comp[ids] = np.arange(m, dtype=np.int64)
    e = flat_edge[ids]
    tree_edge = e >= 0
    parent = np.full(m + 1, m, dtype=np.int64)
    parent[:m][tree_edge] = comp[ids[tree_edge] - ids[tree_edge] % n + graph.src[e[tree_edge]]]

    criteria = graph.criteria_for(q.crew)
    arrays = {
        "time_h": criteria["time"], "distance_km": criteria["distance"], "cost_usd": criteria["cost"],
        "co2_kg": criteria["co2"], "co2e_kg": criteria["co2e"],
    }  # fmt: skip
    tree_e = e[tree_edge]

    # the nodes by depth: breadth-first from the sentinel (scipy, in C), so each depth is a run and the
    # positions of the parents never decrease along it; a depth ends where the next one's parents do
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import breadth_first_order

    forest = csr_matrix((np.ones(m, dtype=np.int8), (parent[:m], np.arange(m))), shape=(m + 1, m + 1))
    order = np.asarray(breadth_first_order(forest, m, directed=True, return_predecessors=False), dtype=np.int64)[1:]
    if len(order) != m:  # pragma: no cover - shortest-path trees have no cycles
        raise RuntimeError("the predecessors of the array search do not form trees")
    position = np.full(m + 1, -1, dtype=np.int64)
    position[order] = np.arange(m, dtype=np.int64)
    above = position[parent[order]]  # -1 for the roots
    levels = []
    end = int(np.searchsorted(above, 0))  # the roots: nothing to add
    while end < m:
        nxt = int(np.searchsorted(above, end))
        levels.append((end, nxt))
        end = nxt

    node_hub, is_link = graph.node_hub_number, graph.is_link_edge
    targets = comp[(np.arange(n_o, dtype=np.int64) * n)[:, None] + t_nodes[None, :]]  # m where not reached
    n_words = (len(graph.hubs) + 63) // 64
    if (m + 1) * n_words * 8 <= BITSET_BYTES:
        # laid out by depth (the sentinel last), each level is a slice: only the parents are gathered;
        # the sums and hub bits are written in that layout at once (not gathered into it: 10 ms on 135k nodes)
        rank = np.empty(m + 1, dtype=np.int64)
        rank[order] = np.arange(m, dtype=np.int64)
        rank[m] = m
        up = rank[np.append(parent[order], m)]
        # each node's edge in that layout (the roots and the sentinel: none); a level's sums and hub bits are its
        # edges' figures and bits (from small per-edge tables, a criterion a row) plus its parents', in one step
        n_edges = len(graph.src)
        edge_at = np.full(m + 1, n_edges, dtype=np.int64)
        edge_at[rank[:m][tree_edge]] = tree_e
        # a row per edge and per node: the criteria (float64) then the hub bits (uint64), so a level gathers
        # its edges' rows and its parents' rows once (the edges' from a small table; the last row: no edge)
        n_c = len(arrays)
        table = np.zeros((n_edges + 1, n_c + n_words), dtype=np.uint64)
        figures = table[:, :n_c].view(np.float64)
        for c, arr in enumerate(arrays.values()):
            figures[:n_edges, c] = arr
        hub_in = np.where(is_link, node_hub[graph.dst], -1)
        links = np.flatnonzero(hub_in >= 0)
        table[links, n_c + hub_in[links] // 64] = np.left_shift(np.uint64(1), (hub_in[links] % 64).astype(np.uint64))
        first = levels[0][0] if levels else m  # the roots come first, the sentinel last: both add nothing
        state = np.empty((m + 1, n_c + n_words), dtype=np.uint64)
        state[:first] = 0  # zero sums (0.0 is all zero bits) and no hubs
        state[m] = 0
        origin_hub = node_hub[o_nodes]
        at = np.flatnonzero((origin_hub >= 0) & (comp[roots] < m))  # roots without a destination reached: none
        state[rank[comp[roots[at]]], n_c + origin_hub[at] // 64] = np.left_shift(
            np.uint64(1), (origin_hub[at] % 64).astype(np.uint64)
        )
        rep = np.zeros(m + 1, dtype=bool)
        for lo, hi in levels:
            p = up[lo:hi]
            here = table[edge_at[lo:hi]]
            above = state[p]
            common = here[:, n_c] & above[:, n_c]
            for w in range(n_c + 1, n_c + n_words):  # a few words: faster than .any(axis=1) over the short axis
                common |= here[:, w] & above[:, w]
            rep[lo:hi] = rep[p] | (common != 0)
            out = state[lo:hi]
            np.bitwise_or(here[:, n_c:], above[:, n_c:], out=out[:, n_c:])
            np.add(here[:, :n_c].view(np.float64), above[:, :n_c].view(np.float64), out=out[:, :n_c].view(np.float64))
        at_target = rank[targets]
        sums = state[:, :n_c].view(np.float64)
        return {k: sums[at_target, c] for c, k in enumerate(arrays)}, rep[at_target]

    values = np.zeros((m + 1, len(arrays)), dtype=float)
    for col, arr in enumerate(arrays.values()):
        values[:m, col][tree_edge] = arr[tree_e]
    for lo, hi in levels:
        idx = order[lo:hi]
        values[idx] += values[parent[idx]]
    repeated = np.zeros(targets.shape, dtype=bool)
    src, dst_hub, links = graph.src.tolist(), node_hub[graph.dst].tolist(), is_link.tolist()
    for i in range(n_o):
        pred = pred_edge[i].tolist()
        for j, t in enumerate(t_nodes.tolist()):
            seen = {int(node_hub[o_nodes[i]])}
            count = 1
            node = t
            while pred[node] >= 0:
                edge = pred[node]
                if links[edge]:
                    seen.add(dst_hub[edge])
                    count += 1
                node = src[edge]
            repeated[i, j] = len(seen) != count
    return {k: values[targets, c] for c, k in enumerate(arrays)}, repeated
