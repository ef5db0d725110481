"""Routing on a base layer: a large rail or road network (:class:`~corridor_planner.model.baselayer.BaseLayer`).

:class:`LayerNetwork` snaps hubs onto the layer's nearest nodes, merges degree-2 chains
(:meth:`BaseLayer.simplified`, keeping the hubs' nodes), and answers :meth:`~LayerNetwork.plan`
and :meth:`~LayerNetwork.matrix` like a :class:`~corridor_planner.Network`: a
:class:`~corridor_planner.routing.route.Route` whose legs are the layer's links, and the long
origin-destination table. The routing graph is one CSR matrix per objective and constraint
set (parallel links: the best kept), searched with :func:`scipy.sparse.csgraph.dijkstra`.
A point-to-point search is bidirectional and bounded: from each end it settles only the nodes within a
radius, starting at 1.5 times half the great-circle lower bound of the pair and doubling until the
best path across the two searches is proven shortest, so it is exact and a near pair does not search the whole layer.

Links are priced by the network's per-mode defaults (``modes.csv``): moving hours at the
mode's typical speed (no driver's rest, waits or transfers: a base layer has no rules at
nodes), USD per TEU-km, tank-to-wheel CO2; each leg carries its ISO 14083 well-to-wheel item (the
mode's emission factor, the country's when there is one). Graphs and the node index are cached on the
object (at most :data:`MAX_GRAPHS` graphs) and go with it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import InvalidQueryError, NoRouteError, UnknownLocationError
from ..model.baselayer import MODE_NAMES, BaseLayer, great_circle_km, ramp
from ..model.records import Mode
from ..text import shown
from .costs import TONNES_PER_TEU
from .emissions import EmissionItem, EmissionModel, load_emission_model
from .route import Leg, Route

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model.records import Hub, ModeDefaults

OBJECTIVES = ("time", "distance", "cost", "co2")
"""What a base-layer route can minimise."""
MAX_GRAPHS = 8
"""CSR graphs kept per layer network (one per objective and constraints), least recently used dropped."""
FIRST_LIMIT = 1.5
"""The first bound of a point-to-point search, times the pair's lower bound."""
LOWER_BOUND = 0.99
"""The great-circle distance on the mean sphere times this is below the WGS84 geodesic (within 0.5%)."""
MATRIX_BLOCK = 32
"""Origins searched at once by :meth:`LayerNetwork.matrix` (memory: 12 bytes per node per origin)."""


@dataclass(frozen=True, eq=False)
class LayerGraph:
    """One CSR matrix of a layer under an objective and constraints, with the layer link of each entry."""

    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    weight: npt.NDArray[np.float64]
    link: npt.NDArray[np.int32]
    forward: npt.NDArray[np.bool_]
    component: npt.NDArray[np.int32]
    total: float

    def matrix(self) -> Any:
        from scipy.sparse import csr_matrix

        n = len(self.indptr) - 1
        return csr_matrix((self.weight, self.indices, self.indptr), shape=(n, n))

    @cached_property
    def reverse(self) -> Any:
        """The CSR matrix of the reversed edges (the backward search of :meth:`LayerNetwork.path`)."""
        reverse = self.matrix().transpose().tocsr()
        reverse.sort_indices()
        return reverse

    @cached_property
    def keys(self) -> npt.NDArray[np.int64]:
        """Per entry, ``row * n + column``: sorted, so an edge is found by binary search."""
        n = len(self.indptr) - 1
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(self.indptr))
        keys: npt.NDArray[np.int64] = rows * n + self.indices
        return keys

    def entry(self, u: npt.NDArray[np.int64], v: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The CSR entries of edges ``u -> v`` (arrays; each edge must exist)."""
        n = len(self.indptr) - 1
        found: npt.NDArray[np.int64] = np.searchsorted(self.keys, u * n + v)
        return found

    @property
    def nbytes(self) -> int:
        """Bytes of its arrays, with the reversed matrix and the entry keys once built."""
        arrays: list[Any] = [self.indptr, self.indices, self.weight, self.link, self.forward, self.component]
        if "keys" in self.__dict__:
            arrays.append(self.keys)
        if "reverse" in self.__dict__:
            arrays += [self.reverse.indptr, self.reverse.indices, self.reverse.data]
        return sum(a.nbytes for a in arrays)


class LayerNetwork:
    """Plans routes on a base layer, with hubs snapped onto it.

    Parameters
    ----------
    layer : BaseLayer
        The layer (as read by :func:`~corridor_planner.io.baselayer.read_layer`).
    hubs : iterable of Hub
        Hubs to snap onto the layer's nearest node (waypoints are skipped).
    modes : mapping of Mode to ModeDefaults, optional
        Per-mode speed, cost and CO2 (default: the shipped ``modes.csv``).
    max_snap_km : float
        A hub farther than this from every node is not snapped (:attr:`unsnapped`); a
        ``(lon, lat)`` end farther than this from every node has no route.
    simplify : bool
        Merge degree-2 chains (default); the hubs' nodes are kept.
    resolve : callable, optional
        Turns a place name into a hub (:meth:`Network.find`); default: hub ids only.
    emissions : EmissionModel, optional
        The ISO 14083 tables of the legs' well-to-wheel emissions (default: the shipped ones):
        the mode's factor, or the country's when the link has one (no hub activities).

    Examples
    --------
    >>> import numpy as np, corridor_planner as cp
    >>> from corridor_planner.model.baselayer import layer_from_vertices
    >>> layer = layer_from_vertices(np.array([0, 0, 0]), np.array([70.0, 70.5, 71.0]), np.array([45.0, 45.0, 45.0]),
    ...                             mode=np.array([0], dtype=np.int8))
    >>> hubs = [cp.Hub("a", "A", "KZ", "city", 70.0, 45.0), cp.Hub("b", "B", "KZ", "city", 71.0, 45.01)]
    >>> lnet = LayerNetwork(layer, hubs)
    >>> route = lnet.plan("a", "b", optimize="distance")
    >>> route.hubs[0], route.hubs[-1], round(route.distance_km, 1)
    ('a', 'b', 78.8)
    """

    def __init__(
        self,
        layer: BaseLayer,
        hubs: Iterable[Hub] = (),
        *,
        modes: Mapping[Any, ModeDefaults] | None = None,
        max_snap_km: float = 25.0,
        simplify: bool = True,
        resolve: Callable[[str], Hub] | None = None,
        emissions: EmissionModel | None = None,
    ) -> None:
        if not isinstance(layer, BaseLayer):
            raise InvalidQueryError(f"layer must be a BaseLayer (see read_layer), not {shown(layer)}")
        if not isinstance(max_snap_km, (int, float)) or isinstance(max_snap_km, bool) or not max_snap_km >= 0:
            raise InvalidQueryError(f"max_snap_km must be a number >= 0, not {shown(max_snap_km)}")
        self.hubs: dict[str, Hub] = {h.id: h for h in hubs if h.kind != "waypoint"}
        ids = list(self.hubs)
        lon = np.asarray([self.hubs[h].lon for h in ids], dtype=float)
        lat = np.asarray([self.hubs[h].lat for h in ids], dtype=float)
        snapped, far = layer.snap_hubs(ids, lon, lat, float(max_snap_km)) if ids else (layer, [])
        self.layer: BaseLayer = snapped.simplified() if simplify else snapped
        """The layer routed on: hubs snapped, degree-2 chains merged."""
        self.unsnapped: tuple[str, ...] = tuple(far)
        """Hubs farther than ``max_snap_km`` from the layer (they have no route on it)."""
        self.max_snap_km = float(max_snap_km)
        self.hub_node: dict[str, int] = dict(self.layer.hubs)
        """The node each snapped hub is at."""
        self.node_hub: dict[int, str] = {}
        for hub_id, node in self.layer.hubs:
            self.node_hub.setdefault(node, hub_id)
        if modes is None:
            from ..io.validate import shipped_modes

            modes = {m.mode: m for m in shipped_modes([])}
        per_km: dict[str, list[float]] = {"time": [], "cost": [], "co2": []}
        for name in MODE_NAMES:
            row = modes[Mode(name)]
            per_km["time"].append(1.0 / row.speed_kmh)
            per_km["cost"].append(row.cost_usd_per_teu_km)
            per_km["co2"].append(TONNES_PER_TEU * row.co2_g_per_tkm / 1000.0)
        per_km["distance"] = [1.0] * len(MODE_NAMES)
        self.per_km: dict[str, npt.NDArray[np.float64]] = {k: np.asarray(v) for k, v in per_km.items()}
        """Per objective, its value per km of each mode (hours, km, USD per TEU, kg CO2 per TEU)."""
        self.emissions = emissions if emissions is not None else load_emission_model()
        self._items: dict[tuple[int, int], tuple[float, float, str, str, tuple[str, ...]]] = {}
        self._resolve = resolve
        self._graphs: OrderedDict[tuple[Any, ...], LayerGraph] = OrderedDict()

    def __repr__(self) -> str:
        return f"<LayerNetwork {self.layer!r}, {len(self.hub_node)} hubs snapped, {len(self.unsnapped)} not>"

    # ------------------------------------------------------------------ constraints and graphs
    def _constraints(
        self, optimize: Any, avoid_modes: Any, only_modes: Any, avoid_countries: Any
    ) -> tuple[str, frozenset[int], frozenset[int]]:
        if optimize not in OBJECTIVES:
            raise InvalidQueryError(
                f"optimize must be one of {', '.join(OBJECTIVES)} on a base layer, not {shown(optimize)}"
            )
        modes = set(range(len(MODE_NAMES)))
        for what, given in (("avoid_modes", avoid_modes), ("only_modes", only_modes)):
            if given is None:
                continue
            names = [given] if isinstance(given, str) else list(given)
            for name in names:
                if name not in MODE_NAMES:
                    raise InvalidQueryError(
                        f"{what}: {shown(name)} is not a mode of a base layer ({', '.join(MODE_NAMES)})"
                    )
            codes = {MODE_NAMES.index(n) for n in names}
            modes = modes - codes if what == "avoid_modes" else modes & codes
        if not modes:
            raise InvalidQueryError("avoid_modes and only_modes leave no mode to use")
        avoided = [avoid_countries] if isinstance(avoid_countries, str) else list(avoid_countries or ())
        countries = frozenset(self.layer.countries.index(c) for c in avoided if c in self.layer.countries)
        return str(optimize), frozenset(modes), countries

    def graph(self, optimize: str, modes: frozenset[int], avoid: frozenset[int]) -> LayerGraph:
        """The CSR graph for an objective, the allowed modes and the avoided countries (cached)."""
        key = (optimize, modes, avoid)
        if key in self._graphs:
            self._graphs.move_to_end(key)
            return self._graphs[key]
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components

        layer = self.layer
        n = layer.n_nodes
        allowed = np.isin(layer.mode, list(modes))
        if avoid:
            allowed &= ~np.isin(layer.country, list(avoid))
        links = np.flatnonzero(allowed).astype(np.int32)
        back = links[layer.two_way[links]]
        rows = np.concatenate([layer.src[links], layer.dst[back]]).astype(np.int64)
        cols = np.concatenate([layer.dst[links], layer.src[back]]).astype(np.int32)
        edge_link = np.concatenate([links, back])
        forward = np.concatenate([np.ones(len(links), dtype=bool), np.zeros(len(back), dtype=bool)])
        weight = layer.length_km[edge_link] * self.per_km[optimize][layer.mode[edge_link]]
        weight = np.maximum(weight, 1e-12)  # an explicit zero is no edge to csgraph
        order = np.lexsort((weight, cols, rows))
        rows, cols, edge_link, forward, weight = (
            rows[order],
            cols[order],
            edge_link[order],
            forward[order],
            weight[order],
        )
        first = np.concatenate([[True], (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])])  # the best parallel link
        rows, cols, edge_link, forward, weight = (
            rows[first],
            cols[first],
            edge_link[first],
            forward[first],
            weight[first],
        )
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64)
        _, component = connected_components(csr_matrix((weight, cols, indptr), shape=(n, n)), directed=False)
        graph = LayerGraph(indptr, cols, weight, edge_link, forward, component.astype(np.int32), float(weight.sum()))
        self._graphs[key] = graph
        if len(self._graphs) > MAX_GRAPHS:
            self._graphs.popitem(last=False)
        return graph

    # ------------------------------------------------------------------ ends
    def end(self, place: Any, what: str = "place") -> tuple[str, int]:
        """The label and node of a route end: a snapped hub (id, or name through ``resolve``) or a ``(lon, lat)``."""
        if isinstance(place, (tuple, list)):
            from .ends import check_point

            lon, lat = check_point(place, what)
            node, km = self.layer.nearest(lon, lat)
            if km[0] > self.max_snap_km:
                label = f"({lon:g}, {lat:g})"
                raise NoRouteError(label, label, [f"the {what} {label} is {km[0]:,.1f} km from the nearest node of "
                                                  f"the layer (max_snap_km={self.max_snap_km:g})"])  # fmt: skip
            return self.node_hub.get(int(node[0]), f"node:{int(node[0])}"), int(node[0])
        hub: Any = place
        if isinstance(place, str):
            if place in self.hubs:
                hub = self.hubs[place]
            elif self._resolve is not None:
                hub = self._resolve(place)
            else:
                import difflib

                raise UnknownLocationError(place, difflib.get_close_matches(place, list(self.hubs), n=3))
        hub_id = getattr(hub, "id", None)
        if not isinstance(hub_id, str):
            raise InvalidQueryError(f"{what} must be a hub id or name or a (lon, lat) pair, not {shown(place)}")
        if hub_id not in self.hub_node:
            found = self.hubs.get(hub_id, hub)
            _, km = self.layer.nearest(found.lon, found.lat)
            raise NoRouteError(hub_id, hub_id, [f"the hub {hub_id} is {km[0]:,.1f} km from the nearest node of the "
                                                f"layer (max_snap_km={self.max_snap_km:g}): not snapped onto it"])  # fmt: skip
        return hub_id, self.hub_node[hub_id]

    # ------------------------------------------------------------------ plan
    def path(self, graph: LayerGraph, origin: int, destination: int, optimize: str, modes: frozenset[int]) -> list[int]:
        """The CSR entries of the best path from ``origin`` to ``destination`` (``[-1]``: none).

        Bidirectional and bounded: a forward search from the origin and a backward one from
        the destination each settle the nodes within ``radius``; the best path through an edge
        between the two settled sets is the shortest path as soon as its cost is at most twice
        ``radius`` (every shorter path would cross such an edge). ``radius`` starts at
        :data:`FIRST_LIMIT` times half the pair's lower bound and doubles.
        """
        from scipy.sparse.csgraph import dijkstra

        if origin == destination:
            return []
        layer = self.layer
        gc_km = great_circle_km(layer.lon[origin], layer.lat[origin], layer.lon[destination], layer.lat[destination])
        lower = LOWER_BOUND * float(gc_km[0]) * float(min(self.per_km[optimize][list(modes)]))
        forward, backward = graph.matrix(), graph.reverse
        radius = max(FIRST_LIMIT * lower / 2.0, 1e-9)
        while True:
            everything = 2.0 * radius >= graph.total
            limit = np.inf if everything else radius
            d_f, p_f = dijkstra(forward, indices=origin, return_predecessors=True, limit=limit)
            d_b, p_b = dijkstra(backward, indices=destination, return_predecessors=True, limit=limit)
            settled = np.flatnonzero(np.isfinite(d_f))
            sizes = graph.indptr[settled + 1] - graph.indptr[settled]
            entries = np.repeat(graph.indptr[settled], sizes) + ramp(sizes)
            through = np.repeat(d_f[settled], sizes) + graph.weight[entries] + d_b[graph.indices[entries]]
            best = int(np.argmin(through)) if len(through) else -1
            if best >= 0 and np.isfinite(through[best]) and (through[best] <= 2.0 * radius or everything):
                break
            if everything:
                return [-1]
            radius *= 2.0
        edge = int(entries[best])
        x, y = int(np.searchsorted(graph.indptr, edge, side="right") - 1), int(graph.indices[edge])
        head = [x]
        while head[-1] != origin:
            head.append(int(p_f[head[-1]]))
        tail = [y]
        while tail[-1] != destination:
            tail.append(int(p_b[tail[-1]]))
        ordered = np.asarray(head[::-1] + tail, dtype=np.int64)
        found: list[int] = graph.entry(ordered[:-1], ordered[1:]).tolist()
        return found

    def plan(
        self,
        origin: Any,
        destination: Any,
        optimize: str = "time",
        *,
        avoid_modes: str | Sequence[str] | None = None,
        only_modes: str | Sequence[str] | None = None,
        avoid_countries: str | Sequence[str] | None = None,
    ) -> Route:
        """The best route between two places on the layer; its legs are the layer's links.

        Parameters
        ----------
        origin, destination : str, Hub or (lon, lat)
            A snapped hub (id, or a name when made by :meth:`Network.on_layer`) or a point
            (the nearest node within ``max_snap_km``).
        optimize : {"time", "distance", "cost", "co2"}
        avoid_modes, only_modes : str or list of str, optional
            ``"rail"``, ``"road"``.
        avoid_countries : str or list of str, optional
            Links of these countries are not used.

        Raises
        ------
        NoRouteError
            The ends are not connected under the constraints (or an end is off the layer).
        InvalidQueryError, UnknownLocationError
            A bad option; an unknown place.
        """
        key = self._constraints(optimize, avoid_modes, only_modes, avoid_countries)
        (a_label, a), (b_label, b) = self.end(origin, "origin"), self.end(destination, "destination")
        if a == b and a_label == b_label:
            raise InvalidQueryError(f"origin and destination are the same place ({a_label})")
        graph = self.graph(*key)
        if graph.component[a] != graph.component[b]:
            raise NoRouteError(a_label, b_label, [self._blocked(key, "are on separate parts of the layer")])
        entries = self.path(graph, a, b, key[0], key[1])
        if entries == [-1]:
            raise NoRouteError(a_label, b_label, [self._blocked(key, "are joined only against one-way links")])
        query = {"avoid_modes": sorted(MODE_NAMES[m] for m in set(range(len(MODE_NAMES))) - key[1]),
                 "avoid_countries": sorted(self.layer.countries[c] for c in key[2]), "layer": self.layer.source}  # fmt: skip
        return Route(a_label, b_label, tuple(self._legs(graph, entries, a)), key[0], query, unit="teu")

    def _blocked(self, key: tuple[str, frozenset[int], frozenset[int]], why: str) -> str:
        modes = "/".join(MODE_NAMES[m] for m in sorted(key[1]))
        avoid = f" avoiding {', '.join(self.layer.countries[c] for c in sorted(key[2]))}" if key[2] else ""
        return f"the two places {why} ({modes} links of {self.layer.source}{avoid})"

    def _intensity(self, mode: int, country: int) -> tuple[float, float, str, str, tuple[str, ...]]:
        """TTW and WTT kg CO2e per TEU-km, factor and carrier ids and sources, for a mode in a country (cached)."""
        key = (mode, country)
        if key not in self._items:
            code = self.layer.countries[country] if country >= 0 else None
            fitting = [f for f in self.emissions.factors if f.mode == MODE_NAMES[mode] and f.service is None
                       and f.country in (None, code)]  # fmt: skip
            if not fitting:
                raise InvalidQueryError(f"{self.emissions.origin}: emission_factors.csv has no factor for mode "
                                        f"{MODE_NAMES[mode]!r}")  # fmt: skip
            factor = max(fitting, key=lambda f: f.country is not None)
            ttw_g, wtt_g = self.emissions.intensity(factor)
            carrier = self.emissions.carriers[factor.carrier]
            self._items[key] = (ttw_g * TONNES_PER_TEU / 1000.0, wtt_g * TONNES_PER_TEU / 1000.0, factor.id,
                                carrier.id, tuple(dict.fromkeys(factor.source + carrier.source)))  # fmt: skip
        return self._items[key]

    def _label(self, node: int) -> str:
        return self.node_hub.get(node, f"node:{node}")

    def _legs(self, graph: LayerGraph, entries: list[int], start: int) -> list[Leg]:
        from shapely import linestrings

        layer, legs, here = self.layer, [], start
        links, ahead = graph.link[entries].tolist(), graph.forward[entries].tolist()
        geometries: list[Any] = []
        if entries:
            coords, counts = layer.path_vertices(links, ahead)
            geometries = list(linestrings(coords, indices=np.repeat(np.arange(len(counts)), counts)))
        for link, forward, geometry in zip(links, ahead, geometries, strict=True):
            there = int(layer.dst[link] if forward else layer.src[link])
            mode = int(layer.mode[link])
            km = float(layer.length_km[link])
            hours = km * float(self.per_km["time"][mode])
            country = int(layer.country[link])
            a, b = self._label(here), self._label(there)
            hub_a, hub_b = self.hubs.get(a), self.hubs.get(b)
            legs.append(
                Leg(
                    link_id=f"{layer.source}#{link}",
                    mode=MODE_NAMES[mode],
                    origin=a,
                    destination=b,
                    origin_name=hub_a.name if hub_a else a,
                    destination_name=hub_b.name if hub_b else b,
                    distance_km=km,
                    moving_h=hours,
                    time_h=hours,
                    cost_usd=km * float(self.per_km["cost"][mode]),
                    co2_kg=km * float(self.per_km["co2"][mode]),
                    corridors=(),
                    countries=(layer.countries[country],) if country >= 0 else (),
                    layer=MODE_NAMES[mode],
                    geometry=geometry,
                    emissions=(self._emission(link, mode, country, km),),
                )
            )
            here = there
        return legs

    def _emission(self, link: int, mode: int, country: int, km: float) -> EmissionItem:
        ttw, wtt, factor, carrier, source = self._intensity(mode, country)
        return EmissionItem("leg", "moving", f"{self.layer.source}#{link}", MODE_NAMES[mode], km * TONNES_PER_TEU,
                            km * ttw, km * wtt, factor, carrier, source)  # fmt: skip

    # ------------------------------------------------------------------ matrix
    def matrix(
        self,
        origins: Sequence[Any],
        destinations: Sequence[Any] | None = None,
        optimize: str = "time",
        *,
        avoid_modes: str | Sequence[str] | None = None,
        only_modes: str | Sequence[str] | None = None,
        avoid_countries: str | Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """The best route of every pair, as one long table (the figures :meth:`plan` gives each pair).

        All origins of a block of :data:`MATRIX_BLOCK` are searched at once with
        :func:`scipy.sparse.csgraph.dijkstra`; the totals are summed back along the
        predecessor trees for every destination at once.

        Returns
        -------
        pandas.DataFrame
            ``origin``, ``destination``, ``status`` (``ok``, ``no_route``, ``same``),
            ``transit_days``, ``time_h``, ``distance_km``, ``cost_usd``, ``co2_kg``, ``reason``.
        """
        import pandas as pd
        from scipy.sparse.csgraph import dijkstra

        key = self._constraints(optimize, avoid_modes, only_modes, avoid_countries)
        o_ends = [self.end(p, "origin") for p in origins]
        d_ends = o_ends if destinations is None else [self.end(p, "destination") for p in destinations]
        graph = self.graph(*key)
        matrix = graph.matrix()
        layer = self.layer
        d_nodes = np.asarray([n for _, n in d_ends], dtype=np.int64)
        totals = {c: np.full((len(o_ends), len(d_ends)), np.nan) for c in ("time", "distance", "cost", "co2")}
        entry_values = {c: layer.length_km[graph.link] * self.per_km[c][layer.mode[graph.link]] for c in totals}
        for lo in range(0, len(o_ends), MATRIX_BLOCK):
            block = o_ends[lo : lo + MATRIX_BLOCK]
            o_nodes = np.asarray([n for _, n in block], dtype=np.int64)
            dist, pred = dijkstra(matrix, indices=o_nodes, return_predecessors=True)
            dist = np.atleast_2d(dist)
            pred = np.atleast_2d(pred)
            reach = np.isfinite(dist[:, d_nodes])
            acc = {c: np.zeros((len(block), len(d_nodes))) for c in totals}
            rows = np.repeat(np.arange(len(block)), len(d_nodes)).reshape(len(block), -1)
            cur = np.broadcast_to(d_nodes, (len(block), len(d_nodes))).copy()
            active = reach & (cur != o_nodes[:, None])
            while active.any():
                r, c = np.nonzero(active)
                v = cur[r, c]
                u = pred[rows[r, c], v].astype(np.int64)
                entries = graph.entry(u, v)
                for name in totals:
                    acc[name][r, c] += entry_values[name][entries]
                cur[r, c] = u
                active[r, c] = u != o_nodes[r]
            for name in totals:
                totals[name][lo : lo + len(block)] = np.where(reach, acc[name], np.nan)
        same = np.asarray([[a == b for b, _ in d_ends] for a, _ in o_ends], dtype=bool).reshape(
            len(o_ends), len(d_ends)
        )
        ok = np.isfinite(totals["time"])
        status = np.where(same, "same", np.where(ok, "ok", "no_route"))
        for name in totals:
            totals[name][same] = 0.0
        reason = np.where(status == "no_route", self._blocked(key, "are not connected"), "")
        table: pd.DataFrame = pd.DataFrame(
            {
                "origin": np.repeat([a for a, _ in o_ends], len(d_ends)),
                "destination": np.tile([b for b, _ in d_ends], len(o_ends)),
                "status": status.ravel(),
                "transit_days": totals["time"].ravel() / 24.0,
                "time_h": totals["time"].ravel(),
                "distance_km": totals["distance"].ravel(),
                "cost_usd": totals["cost"].ravel(),
                "co2_kg": totals["co2"].ravel(),
                "reason": reason.ravel(),
            }
        )
        return table
