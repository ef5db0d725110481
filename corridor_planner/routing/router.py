"""The :class:`Router`: owns a network's routing graph and the per-query caches, and answers queries."""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from .assemble import EdgeFigures, EdgePiecesCache, build_route, edge_figures, edge_pieces
from .costs import CostModel
from .diagnose import diagnose
from .emissions import EmissionModel, load_emission_model
from .graph import AFTER_EVERYTHING, RoutingGraph
from .labels import distinguish
from .query import objective_column, tie_order
from .search import Arc, OnceTree, ParetoBound, ShortestPathTree, arcs, new_tree, pareto_search, search, spread

if TYPE_CHECKING:  # pragma: no cover
    from ..errors import NoRouteError
    from ..model.dataset import Dataset
    from ..model.records import Hub, Link
    from ..model.seasons import Season
    from .query import Objective, Query
    from .route import Route, Stop

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A per-instance memo of at most ``size`` entries, least recently used dropped first.

    Unlike ``functools.lru_cache`` on a method, it lives and dies with its owner
    (no class-level cache keeping old routers alive) and is left out of pickles.

    Safe to share between threads (an ``executor=`` thread pool): the memo is changed under a
    lock; two threads missing the same key may both compute it (the values are equal).
    """

    def __init__(self, compute: Callable[[K], V], size: int) -> None:
        self._compute = compute
        self._size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, key: K) -> V:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = self._compute(key)
        with self._lock:
            self._values[key] = value
            if len(self._values) > self._size:
                self._values.popitem(last=False)
        return value

    def __getstate__(self) -> dict[str, Any]:
        return {"compute": self._compute, "size": self._size}  # the memo and the lock stay behind

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["compute"], state["size"])  # type: ignore[misc]


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
    if q.as_of < AFTER_EVERYTHING:  # "in any year" (diagnosis): every link that ever carries traffic
        closed |= graph.link_closes <= q.as_of
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


TREE_NODES = 100_000
"""The plain searches a router keeps to resume (:attr:`Router.tree`, one per set of options and origin) hold
together about this many nodes (at most 256 trees): a tree holds up to about 200 bytes a node (the shipped
network: 108 trees, a few MB)."""


class Router:
    """Owns a dataset's routing graph and the caches queries share; plans, searches and explains.

    Search (:mod:`~corridor_planner.routing.search`), assembly
    (:mod:`~corridor_planner.routing.assemble`) and diagnosis
    (:mod:`~corridor_planner.routing.diagnose`) take a router as their
    argument and use only its public attributes. The graph is built on the
    first query; constraint masks, weight columns and requirement bits are
    memoised per router (bounded), keyed by the part of a query they depend on.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> router = cp.load_network().router
    >>> q = cp.load_network().query("Almaty", "Tashkent", as_of=2025)
    >>> router.plan(q).hubs[0], router.graph.n_edges > 0
    ('almaty', True)
    """

    def __init__(
        self,
        dataset: Dataset,
        emissions: EmissionModel | None = None,
        approximate_links: frozenset[str] = frozenset(),
        *,
        base: Router | None = None,
    ) -> None:
        self.dataset = dataset
        self._base = base
        """A router whose graph this one's derives from when the datasets differ only in quantities (:mod:`.overlay`)."""
        self.approximate_links = approximate_links
        """Links whose legs are flagged ``approximate`` (the first- and last-mile road legs of a point end)."""
        self.emissions = emissions if emissions is not None else load_emission_model()
        """The emission tables (ISO 14083 / GLEC) of the ``co2e`` criterion and of the routes' units (default: the shipped ones)."""
        self.hubs: Mapping[str, Hub] = MappingProxyType({h.id: h for h in dataset.hubs})
        self.links: Mapping[str, Link] = MappingProxyType({k.id: k for k in dataset.links})
        self._season_memo: dict[tuple[str, str], tuple[Season, ...]] = {}
        self.mask = BoundedCache(self._mask, 256)
        """The edges a query's constraints allow (``mask(q.constraints)``), as a list of bools."""
        self.weight_lists = BoundedCache(self._weight_lists, 32)
        """Per-edge columns of the lexicographic label for ``(objective, crew)``: the objective, then its tie-breakers."""
        self.requirement_bits = BoundedCache(self._requirement_bits, 64)
        """Per edge, the bit set of the requirements it satisfies."""
        self.arcs = BoundedCache(self._arcs, 16)
        """Per node, the allowed edges and their label columns for ``(constraints, objective, crew)`` (:func:`~.search.arcs`)."""

    def with_seasons(self, stops: tuple[Stop, ...], mode: str) -> tuple[Stop, ...]:
        """``stops`` (before boarding a leg of ``mode``) with the seasons (``seasons.csv``) of each wait to board.

        Only a dated plan uses them (:meth:`Route.departing <corridor_planner.routing.route.Route.departing>`).
        """
        if not self.dataset.seasons:
            return stops
        return tuple(
            replace(stop, seasons=found)
            if stop.component == "waiting" and (found := self._seasons_at(stop.hub, mode))
            else stop
            for stop in stops
        )

    def _seasons_at(self, hub_id: str, mode: str) -> tuple[Season, ...]:
        key = (hub_id, mode)
        found = self._season_memo.get(key)
        if found is None:
            hub = self.hubs.get(hub_id)
            found = (
                ()
                if hub is None
                else tuple(s for s in self.dataset.seasons if s.applies(hub.id, hub.kind, hub.country, mode))
            )
            self._season_memo[key] = found
        return found

    @cached_property
    def costs(self) -> CostModel:
        """The rules that give each link, transfer and dwell its time, cost and CO2."""
        d = self.dataset
        return CostModel(d.modes, d.services, d.transfers, d.dwells)

    @cached_property
    def graph(self) -> RoutingGraph:
        """The routing graph (virtual network), built on first use.

        With a ``base`` router, derived from its graph when the changes allow (:func:`.overlay.derive_graph`): the
        same graph as a rebuild, for the cost of the edges that changed.
        """
        base, self._base = self._base, None  # derived once; the base router is not kept alive by this one
        if base is not None:
            from .overlay import derive_graph

            derived = derive_graph(
                base.graph, base.dataset, self.dataset, self.costs, self.hubs, self.links, self.emissions
            )
            if derived is not None:
                return derived
        return RoutingGraph(self.hubs, self.links, self.dataset.borders, self.costs, self.emissions)

    def _mask(self, constraints: Query) -> list[bool]:
        return allowed_mask(self.graph, constraints).tolist()  # type: ignore[no-any-return]

    def _weight_lists(self, key: tuple[Objective, int]) -> list[list[float]]:
        optimize, crew = key
        criteria = self.graph.criteria_for(crew)
        return [objective_column(criteria, optimize).tolist()] + [criteria[c].tolist() for c in tie_order(optimize)]

    def _arcs(self, key: tuple[Query, Objective, int]) -> list[list[Arc]]:
        return arcs(self, key)

    def _tree(self, key: tuple[Query, Objective, int, str, tuple[str, ...]]) -> ShortestPathTree | OnceTree:
        return new_tree(self, key)

    @cached_property
    def edge_pieces(self) -> EdgePiecesCache:
        """Per edge, the parts of a route's leg that do not depend on the query (:func:`~.assemble.edge_pieces`)."""
        return edge_pieces(self)

    @cached_property
    def entered_hub(self) -> list[str | None]:
        """Per edge, the hub a link edge enters (``None`` for an edge within a hub): what a path visits."""
        graph = self.graph
        dst = graph.dst.tolist()
        return [graph.node_hub[d] if e.link is not None else None for d, e in zip(dst, graph.info, strict=True)]

    @cached_property
    def edge_figures(self) -> list[EdgeFigures]:
        """Per edge, the figures :func:`~.assemble.path_totals` adds (:func:`~.assemble.edge_figures`)."""
        return edge_figures(self)

    @cached_property
    def tree(self) -> BoundedCache[tuple[Query, Objective, int, str, tuple[str, ...]], ShortestPathTree | OnceTree]:
        """The resumable search of ``(constraints, objective, crew, origin, once)`` (no ``via`` nor requirements):
        a :class:`~.search.ShortestPathTree`, or with hubs marked *once* a :class:`~.search.OnceTree`."""
        return BoundedCache(self._tree, max(4, min(256, TREE_NODES // max(1, len(self.graph.nodes)))))

    def _requirement_bits(self, require: tuple[tuple[str, str], ...]) -> list[int]:
        return requirement_bits(self.graph, require)

    def plan(self, q: Query) -> Route:
        """The optimal route for ``q``; raises :class:`~corridor_planner.errors.NoRouteError` saying why there is none."""
        path = search(self, q)
        if path is None:
            raise self.diagnose(q)
        return build_route(self, q, path)

    def pareto(
        self, q: Query, criteria: Sequence[str], epsilon: float | None = None, max_routes: int | None = None
    ) -> list[Route]:
        """Every non-dominated route for ``criteria`` (sorted by the first); raises when there is none.

        ``epsilon`` and ``max_routes`` bound the front as :meth:`Network.pareto
        <corridor_planner.network.Network.pareto>` says (checked there); a ``UserWarning``
        says when the automatic bound or ``max_routes`` made the front approximate.
        """
        bound = ParetoBound(epsilon)
        paths = pareto_search(self, q, criteria, bound)
        if not paths:
            raise self.diagnose(q)
        where = f"pareto {q.origin} -> {q.destination}"
        if bound.auto and bound.epsilon > 0:
            warnings.warn(
                f"{where}: the exact front passed {bound.budget:,} labels, so it is bounded with "
                f"epsilon={bound.epsilon:g}: every Pareto-optimal route is within a factor {1 + bound.epsilon:g} "
                "on every criterion of a returned one; pass epsilon= to choose the bound (0: exact, however long)",
                UserWarning,
                stacklevel=3,
            )
        if max_routes is not None and len(paths) > max_routes:
            columns = [self.graph.criteria_for(q.crew)[c] for c in criteria]
            vectors = [[float(column[path].sum()) for column in columns] for path in paths]
            chosen, factor = spread(vectors, max_routes)
            warnings.warn(
                f"{where}: max_routes={max_routes} kept {max_routes} of the {len(paths)} routes of the front "
                f"(the best by each criterion, then spread over it); every route left out is within a factor "
                f"{factor:.3g} of a kept one on every criterion",
                UserWarning,
                stacklevel=3,
            )
            paths = [paths[i] for i in chosen]
        routes = [build_route(self, q, path) for path in paths]
        return distinguish(routes, f"the best by {criteria[0]}")

    def diagnose(self, q: Query, find: Callable[[Query], list[int] | None] | None = None) -> NoRouteError:
        """The error explaining why ``q`` has no route (``find``: see :func:`~.diagnose.diagnose`).

        By default the relaxed queries go through a :class:`~.matrix.BatchSearch` of this one pair:
        one scipy reachability pass per relaxation tells which have no route without searching them.
        """
        from .matrix import BatchSearch  # matrix imports this module

        if find is None:
            find = BatchSearch(self, [q.origin], [q.destination])
        return diagnose(self, q, find, find.connected if isinstance(find, BatchSearch) else None)
