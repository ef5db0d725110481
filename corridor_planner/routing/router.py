"""The :class:`Router`: owns a network's routing graph and the per-query caches, and answers queries."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from .assemble import build_route
from .costs import CostModel
from .diagnose import diagnose
from .emissions import EmissionModel, load_emission_model
from .graph import RoutingGraph
from .labels import distinguish
from .query import objective_column, tie_order
from .search import pareto_search, search

if TYPE_CHECKING:  # pragma: no cover
    from ..errors import NoRouteError
    from ..model.dataset import Dataset
    from ..model.records import Hub, Link
    from .query import Objective, Query
    from .route import Route

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
        self.mask = BoundedCache(self._mask, 256)
        """The edges a query's constraints allow (``mask(q.constraints)``), as a list of bools."""
        self.weight_lists = BoundedCache(self._weight_lists, 32)
        """Per-edge columns of the lexicographic label for ``(objective, crew)``: the objective, then its tie-breakers."""
        self.requirement_bits = BoundedCache(self._requirement_bits, 64)
        """Per edge, the bit set of the requirements it satisfies."""

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

    def _requirement_bits(self, require: tuple[tuple[str, str], ...]) -> list[int]:
        return requirement_bits(self.graph, require)

    def plan(self, q: Query) -> Route:
        """The optimal route for ``q``; raises :class:`~corridor_planner.errors.NoRouteError` saying why there is none."""
        path = search(self, q)
        if path is None:
            raise self.diagnose(q)
        return build_route(self, q, path)

    def pareto(self, q: Query, criteria: Sequence[str]) -> list[Route]:
        """Every non-dominated route for ``criteria`` (sorted by the first); raises when there is none."""
        paths = pareto_search(self, q, criteria)
        if not paths:
            raise self.diagnose(q)
        routes = [build_route(self, q, path) for path in paths]
        return distinguish(routes, f"the best by {criteria[0]}")

    def diagnose(self, q: Query, find: Callable[[Query], list[int] | None] | None = None) -> NoRouteError:
        """The error explaining why ``q`` has no route (``find``: see :func:`~.diagnose.diagnose`).

        By default the relaxed queries go through a :class:`~.matrix.BatchSearch` of this one pair:
        one scipy reachability pass per relaxation tells which have no route without searching them.
        """
        if find is None:
            from .matrix import BatchSearch  # matrix imports this module

            find = BatchSearch(self, [q.origin], [q.destination])
        return diagnose(self, q, find)
