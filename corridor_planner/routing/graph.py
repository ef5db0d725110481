"""The routing graph: a multimodal virtual network derived from the physical layer.

Each hub is split into nodes:

- ``(hub, "o")`` where a trip starts and ``(hub, "t")`` where it ends;
- for every *layer* the hub's links use (``rail1435``, ``rail1520``, ``road``,
  ``air``, ``pipeline``, ``sea:<service>``) an arrival node ``(hub, layer, "a")``
  and a departure node ``(hub, layer, "d")``.

Edges, each carrying every criterion (time, distance, cost, CO2, WTW CO2e) and the
*parts* that make up its time:

- link: departure at one end -> arrival at the other (moving, rest, border);
- through: arrival -> departure on the same layer (nothing, a port call, or a
  canal transit);
- transfer: arrival on one layer -> departure on another, where a transfer
  rule allows it (gauge change, mode transfer, transshipment; plus port
  dwell when the box enters or leaves the sea, plus waiting for the service
  boarded: a sailing, or a train departure when a box boards a train off a
  truck or a plane; a box stays on its train through a border or a gauge change);
- start: ``o`` -> departure (port dwell and waiting when the trip starts at sea,
  waiting for a train departure when it starts by rail);
- end: arrival -> ``t`` (port dwell when it ends at sea).

Because ``o`` has no incoming and ``t`` no outgoing edges, every transfer and
dwell is counted exactly once on any path. Constraints never copy the graph:
they are boolean masks over the edge arrays (see :func:`corridor_planner.routing.router.allowed_mask`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..model.layers import layer_mode
from ..model.records import Mode, Status
from .costs import CORRELATED_CHOKEPOINTS, CREWS, Part
from .emissions import load_emission_model

if TYPE_CHECKING:  # pragma: no cover
    from ..model.records import BorderRule, Hub, Link
    from .costs import CostModel
    from .emissions import EmissionItem, EmissionModel


Node = tuple[str, ...]

NEVER = 10**9
"""The opening year of a closed link: later than any year a query can ask for."""
AFTER_EVERYTHING = 10**10
"""A year later than every opening year and than :data:`NEVER`: the network with every link open."""


@dataclass(frozen=True)
class EdgeInfo:
    """What an edge of the routing graph stands for."""

    kind: str  # link | through | transfer | start | end
    hub: str | None
    link: Link | None
    forward: bool
    parts: tuple[Part, ...]
    from_layer: str | None = None
    to_layer: str | None = None


class RoutingGraph:
    """Arrays and adjacency lists of the virtual network of one :class:`~corridor_planner.Network`."""

    def __init__(
        self,
        hubs: Mapping[str, Hub],
        links: Mapping[str, Link],
        borders: Mapping[str, BorderRule],
        costs: CostModel,
        emissions: EmissionModel | None = None,
    ) -> None:
        self.hubs = hubs
        self.emissions = emissions if emissions is not None else load_emission_model()
        """The emission tables the ``co2e`` criterion and the routes' emission items come from."""
        layers: dict[str, set[str]] = defaultdict(set)
        for link in links.values():
            layers[link.from_hub].add(link.layer)
            layers[link.to_hub].add(link.layer)

        correlated: dict[str, str] = {}
        """Hub -> correlation group of the parts at it: ports on a sea link through a correlated chokepoint."""
        for link in links.values():
            if link.mode is Mode.SEA:
                for name in link.chokepoints:
                    if name in CORRELATED_CHOKEPOINTS:
                        correlated.setdefault(link.from_hub, name)
                        correlated.setdefault(link.to_hub, name)

        nodes: list[Node] = []
        for hub_id in sorted(hubs):
            nodes += [(hub_id, "o"), (hub_id, "t")]
            for layer in sorted(layers[hub_id]):
                nodes += [(hub_id, layer, "a"), (hub_id, layer, "d")]
        self.nodes = nodes
        self.index = {node: i for i, node in enumerate(nodes)}
        self.node_hub = [node[0] for node in nodes]

        src: list[int] = []
        dst: list[int] = []
        info: list[EdgeInfo] = []
        link_cost: list[tuple[float, float, float]] = []  # distance, cost, co2 of the moving part

        def add(a: Node, b: Node, edge: EdgeInfo, distance: float = 0.0, cost: float = 0.0, co2: float = 0.0) -> None:
            src.append(self.index[a])
            dst.append(self.index[b])
            info.append(edge)
            link_cost.append(edge_totals(edge, distance, cost, co2))

        for link_id in sorted(links):
            for a, b, edge, distance, cost, co2 in link_edges(links[link_id], hubs, borders, costs):
                add(a, b, edge, distance, cost, co2)

        for hub_id in sorted(hubs):
            for a, b, edge in hub_edges(hubs[hub_id], sorted(layers[hub_id]), costs, correlated):
                add(a, b, edge)

        self.hub_layers = layers
        """Per hub, the layers its links use (its nodes)."""
        self.correlated = correlated
        """Per hub, the correlation group of the parts at it (:data:`~.costs.CORRELATED_CHOKEPOINTS`)."""
        self.info = info
        self.src = np.asarray(src, dtype=np.int64)
        self.dst = np.asarray(dst, dtype=np.int64)
        self.time_h = np.asarray([edge_time_h(e) for e in info], dtype=float)
        """Typical hours of each edge (one driver per truck)."""
        rest_crew = {crew: np.asarray([edge_rest_h(e, costs, crew) for e in info], dtype=float) for crew in CREWS}
        self.rest_h = rest_crew
        """Per crew size (1 or 2 drivers), the typical driver's rest hours of each edge."""
        self.distance_km = np.asarray([c[0] for c in link_cost], dtype=float)
        self.cost_usd = np.asarray([c[1] for c in link_cost], dtype=float)
        self.co2_kg = np.asarray([c[2] for c in link_cost], dtype=float)
        self.emission_items: list[tuple[EmissionItem, ...]] = [self.edge_emissions(e) for e in info]
        """Per edge, its ISO 14083 emission items per TEU (its link's, and its hub activities')."""
        self.co2e_kg = np.asarray([sum(i.wtw_kg for i in items) for items in self.emission_items], dtype=float)
        """Well-to-wheel kg CO2e per TEU of each edge: its link and its hub activities (ISO 14083, :mod:`.emissions`)."""

        adjacency: list[list[tuple[int, int]]] = [[] for _ in nodes]
        for e, (from_node, to_node) in enumerate(zip(src, dst, strict=True)):
            adjacency[from_node].append((to_node, e))
        self.adjacency = adjacency

        # indexes for constraint masks: edges that touch a hub, a country, a mode...
        by_hub: dict[str, list[int]] = defaultdict(list)
        by_country: dict[str, list[int]] = defaultdict(list)
        by_mode: dict[str, list[int]] = defaultdict(list)
        by_chokepoint: dict[str, list[int]] = defaultdict(list)
        by_corridor: dict[str, list[int]] = defaultdict(list)
        by_link: dict[str, list[int]] = defaultdict(list)
        edge_chokepoints: list[frozenset[str]] = []
        for e, edge in enumerate(info):
            touched = {self.node_hub[src[e]], self.node_hub[dst[e]]}
            for hub_id in touched:
                by_hub[hub_id].append(e)
            countries = {hubs[h].country for h in touched}
            chokepoints = {c for h in touched if (c := hubs[h].chokepoint)}
            if edge.link is not None:
                countries.update(edge.link.countries)
                chokepoints.update(edge.link.chokepoints)
                by_mode[edge.link.mode.value].append(e)
                by_link[edge.link.id].append(e)
                for corridor in edge.link.corridors:
                    by_corridor[corridor].append(e)
            for code in countries:
                by_country[code].append(e)
            for name in chokepoints:
                by_chokepoint[name].append(e)
            edge_chokepoints.append(frozenset(chokepoints))
        self.edge_chokepoints = edge_chokepoints
        """The chokepoints each edge passes: its link's and those of the hubs it touches."""
        self.edges_by_hub = _as_array(by_hub)
        self.edges_by_country = _as_array(by_country)
        self.edges_by_mode = _as_array(by_mode)
        self.edges_by_chokepoint = _as_array(by_chokepoint)
        self.edges_by_corridor = _as_array(by_corridor)
        self.edges_by_link = _as_array(by_link)
        self.link_edges = np.asarray([e for e, i in enumerate(info) if i.link is not None], dtype=np.int64)
        self.link_opens = np.asarray([open_year(info[e].link) for e in self.link_edges], dtype=np.int64)
        self.link_closes = np.asarray([close_year(info[e].link) for e in self.link_edges], dtype=np.int64)
        self.link_cargo = [frozenset(info[e].link.cargo) for e in self.link_edges]  # type: ignore[union-attr]
        self.node_mode = [layer_mode(node[1]) if len(node) == 3 else None for node in nodes]

    @property
    def criteria(self) -> dict[str, npt.NDArray[np.float64]]:
        """Each objective of :data:`~corridor_planner.routing.query.OBJECTIVES` and its per-edge array (one driver)."""
        return self.criteria_for(1)

    def time_h_for(self, crew: int) -> npt.NDArray[np.float64]:
        """Typical hours of each edge with ``crew`` drivers per truck (1 or 2)."""
        if crew == 1:
            return self.time_h
        adjusted: npt.NDArray[np.float64] = self.time_h - self.rest_h[1] + self.rest_h[crew]
        return adjusted

    def criteria_for(self, crew: int) -> dict[str, npt.NDArray[np.float64]]:
        """The per-edge arrays of every criterion with ``crew`` drivers per truck (only ``time`` depends on it)."""
        return {
            "time": self.time_h_for(crew), "distance": self.distance_km, "cost": self.cost_usd, "co2": self.co2_kg,
            "co2e": self.co2e_kg,
        }  # fmt: skip

    def edge_emissions(self, edge: EdgeInfo) -> tuple[EmissionItem, ...]:
        """The emission items (per TEU) of one edge: a leg's TTW/WTT, and hub activities'."""
        return self.emissions.edge_items(edge, self.hubs)

    def edges_by(self, kind: str) -> dict[str, npt.NDArray[np.int64]]:
        """The edge index of a kind of thing a query can avoid or require (``hub``, ``corridor``...)."""
        return {
            "hub": self.edges_by_hub, "country": self.edges_by_country, "mode": self.edges_by_mode,
            "chokepoint": self.edges_by_chokepoint, "corridor": self.edges_by_corridor, "link": self.edges_by_link,
        }[kind]  # fmt: skip

    @property
    def n_edges(self) -> int:
        return len(self.info)

    def node(self, hub_id: str, role: str) -> int:
        return self.index[(hub_id, role)]

    def modes_at(self, hub_id: str) -> set[Mode]:
        return set(self._modes_by_hub.get(hub_id, ()))

    @cached_property
    def node_hub_number(self) -> npt.NDArray[np.int64]:
        """Per node, the number of its hub: its rank among the hub ids, sorted (:mod:`.matrix` keeps hub sets as bits)."""
        number = {h: i for i, h in enumerate(sorted(self.hubs))}
        return np.asarray([number[h] for h in self.node_hub], dtype=np.int64)

    @cached_property
    def is_link_edge(self) -> npt.NDArray[np.bool_]:
        """Per edge, whether it moves along a link (into another hub) rather than within a hub."""
        return np.asarray([e.link is not None for e in self.info], dtype=bool)

    @cached_property
    def _modes_by_hub(self) -> dict[str, frozenset[Mode]]:
        """The modes of each hub's layers (diagnosing many pairs asks often)."""
        modes: dict[str, set[Mode]] = defaultdict(set)
        for node in self.nodes:
            if len(node) == 3:
                modes[node[0]].add(Mode(layer_mode(node[1])))
        return {hub: frozenset(found) for hub, found in modes.items()}


LinkEdge = tuple[Node, Node, "EdgeInfo", float, float, float]
"""A link edge as built: from node, to node, what it stands for, and its distance, cost and CO2 of moving."""


def link_edges(
    link: Link, hubs: Mapping[str, Hub], borders: Mapping[str, BorderRule], costs: CostModel
) -> list[LinkEdge]:
    """The edges of ``link`` (forward, then backward when it is two-way): its moving, rest and border parts."""
    out: list[LinkEdge] = []
    parts = costs.link_parts(link)
    if link.border_crossing is not None and link.border_crossing in borders:
        rule = borders[link.border_crossing]
        family = "-".join(sorted({hubs[h].country for h in rule.hubs if h in hubs}))
        parts += (
            Part(
                "border", "|".join(rule.hubs) or link.to_hub, rule.time_h, rule.cost_usd, rule.name,
                group=f"border:{rule.mode.value}:{family or rule.id}",
            ),
        )  # fmt: skip
    distance, cost, co2 = link.distance_km, costs.link_cost_usd(link), costs.link_co2_kg(link)
    layer = link.layer
    directions = [(link.from_hub, link.to_hub, True)]
    if link.two_way:
        directions.append((link.to_hub, link.from_hub, False))
    for a, b, forward in directions:
        oriented = (
            parts
            if forward
            else tuple(replace(p, hub=b if p.component in ("moving", "rest") else p.hub) for p in parts)
        )
        out.append(
            ((a, layer, "d"), (b, layer, "a"), EdgeInfo("link", None, link, forward, oriented), distance, cost, co2)
        )
    return out


def hub_edges(
    hub: Hub, hub_layers: list[str], costs: CostModel, correlated: Mapping[str, str]
) -> list[tuple[Node, Node, EdgeInfo]]:
    """The edges within ``hub`` (through, start, end, transfers) over its sorted layers, in the graph's order."""
    out: list[tuple[Node, Node, EdgeInfo]] = []
    hub_id = hub.id

    def grouped(parts: list[Part], hub_id: str) -> tuple[Part, ...]:
        group = correlated.get(hub_id)
        return tuple(replace(p, group=group) if group and not p.group else p for p in parts)

    is_port = hub.kind == "port"
    is_waypoint = hub.kind == "waypoint"
    for layer in hub_layers:
        sea = layer.startswith("sea:")
        # through the hub on the same layer
        through: tuple[Part, ...] = ()
        if sea:
            event = "canal_transit" if is_waypoint else "port_call"
            part = costs.dwell_part(hub, event)
            through = (part,) if part else ()
        out.append(
            (
                (hub_id, layer, "a"),
                (hub_id, layer, "d"),
                EdgeInfo("through", hub_id, None, True, grouped(list(through), hub_id), layer, layer),
            )
        )
        if is_waypoint:
            continue  # a sea waypoint is no place to start, end or change
        # start and end of a trip
        start: list[Part] = []
        end: list[Part] = []
        if sea and is_port:
            for bucket, note in ((start, "export"), (end, "import")):
                part = costs.dwell_part(hub, "port_dwell", note)
                if part:
                    bucket.append(part)
        wait = costs.wait_part(hub, layer)
        if wait:
            start.append(wait)
        out.append(
            (
                (hub_id, "o"),
                (hub_id, layer, "d"),
                EdgeInfo("start", hub_id, None, True, grouped(start, hub_id), None, layer),
            )
        )
        out.append(
            (
                (hub_id, layer, "a"),
                (hub_id, "t"),
                EdgeInfo("end", hub_id, None, True, grouped(end, hub_id), layer, None),
            )
        )
    if is_waypoint:
        return out
    # transfers between layers
    for a_layer in hub_layers:
        for b_layer in hub_layers:
            if a_layer == b_layer:
                continue
            transfer = costs.transfer(hub, a_layer, b_layer)
            if transfer is None:
                continue
            a_sea, b_sea = a_layer.startswith("sea:"), b_layer.startswith("sea:")
            if a_sea and b_sea:
                component = "transshipment"
            elif a_layer.startswith("rail") and b_layer.startswith("rail"):
                component = "gauge_change"
            else:
                component = "transfer"
            note = f"{a_layer} -> {b_layer}"
            tparts = [Part(component, hub_id, transfer.time_h, transfer.cost_usd, note)]
            if is_port and a_sea != b_sea:
                part = costs.dwell_part(hub, "port_dwell", "import" if a_sea else "export")
                if part:
                    tparts.append(part)
            wait = costs.wait_part(hub, b_layer, a_layer)
            if wait:
                tparts.append(wait)
            edge = EdgeInfo("transfer", hub_id, None, True, grouped(tparts, hub_id), a_layer, b_layer)
            out.append(((hub_id, a_layer, "a"), (hub_id, b_layer, "d"), edge))
    return out


def edge_totals(edge: EdgeInfo, distance: float, cost: float, co2: float) -> tuple[float, float, float]:
    """Distance, cost (moving plus every part) and CO2 of an edge."""
    return distance, cost + sum(p.cost_usd for p in edge.parts), co2


def edge_time_h(edge: EdgeInfo) -> float:
    """Typical hours of an edge (one driver per truck)."""
    return sum(p.time_h.typ for p in edge.parts)


def edge_rest_h(edge: EdgeInfo, costs: CostModel, crew: int) -> float:
    """Typical driver's rest hours of an edge with ``crew`` drivers."""
    if edge.link is not None and any(p.component == "rest" for p in edge.parts):
        return costs.rest_h(edge.link, crew)
    return 0.0


def open_year(link: Link | None) -> int:
    """The first year ``link`` carries traffic (never, for a closed link)."""
    assert link is not None
    if link.status is Status.CLOSED and link.closes is None:
        return NEVER
    return -1 if link.opens is None else link.opens


def close_year(link: Link | None) -> int:
    """The first year ``link`` carries no traffic again (:data:`NEVER`: it does not close; a closed link
    without a year never opens, :func:`open_year`)."""
    assert link is not None
    return NEVER if link.closes is None or link.status is not Status.CLOSED else link.closes


def _as_array(index: Mapping[str, list[int]]) -> dict[str, npt.NDArray[np.int64]]:
    return {k: np.asarray(v, dtype=np.int64) for k, v in index.items()}
