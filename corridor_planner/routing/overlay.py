"""Scenario overlays: the routing graph of a changed dataset derived from a base graph, without a rebuild.

A scenario that only changes quantities on existing records (speeds, costs, CO2 factors,
border, dwell and transfer rules, service frequencies) or closes and opens links keeps the
graph's nodes and edges; only some edges' parts and weights change. :func:`derive_graph`
finds those edges by comparing the two datasets record by record (scenarios replace the
records they change and keep the others as they are), recomputes them with the same code
the graph is built with (:func:`~.graph.link_edges`, :func:`~.graph.hub_edges`), and shares
everything else with the base graph (nodes, edge ends, adjacency, the indexes of constraint
masks). The result equals a rebuild: same edges in the same order, the same floats.

A change it cannot follow (hubs or links added or removed, a link's ends, layer, countries,
chokepoints or corridors changed, other mode defaults or emission tables, a transfer rule that
adds or removes a transfer edge) gives ``None``: the caller builds the graph anew.
:class:`~.router.Router` does so when it is given a ``base`` router (:meth:`Network.apply
<corridor_planner.Network.apply>` gives one), so :func:`~corridor_planner.compare` and
:func:`~corridor_planner.sweep` use overlays whenever they apply.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .costs import CREWS, CostModel
from .graph import (
    RoutingGraph,
    close_year,
    edge_rest_h,
    edge_time_h,
    edge_totals,
    hub_edges,
    link_edges,
    open_year,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..model.dataset import Dataset
    from ..model.records import Hub, Link, TransferRule
    from .emissions import EmissionModel

SHARED = frozenset({
    "hubs", "emissions", "nodes", "index", "node_hub", "hub_layers", "correlated", "src", "dst", "adjacency",
    "edge_chokepoints", "edges_by_hub", "edges_by_country", "edges_by_mode", "edges_by_chokepoint",
    "edges_by_corridor", "edges_by_link", "link_edges", "node_mode",
    "node_hub_number", "is_link_edge", "_modes_by_hub",  # cached properties of the structure
})  # fmt: skip
"""Attributes of a :class:`~.graph.RoutingGraph` that depend on the structure only: a derived graph shares them."""

RECOMPUTED = frozenset({
    "info", "time_h", "rest_h", "distance_km", "cost_usd", "co2_kg", "emission_items", "co2e_kg",
    "link_opens", "link_closes", "link_cargo",
})  # fmt: skip
"""Per-edge attributes a derived graph copies from the base graph and recomputes at the edges that change."""

STRUCTURAL_LINK_FIELDS = (
    "from_hub",
    "to_hub",
    "mode",
    "gauge_mm",
    "service",
    "two_way",
    "countries",
    "chokepoints",
    "corridors",
)
"""Link fields the graph's structure and constraint indexes depend on: a change to one needs a rebuild."""


_TRANSFERS: weakref.WeakKeyDictionary[RoutingGraph, tuple[tuple[Any, ...], dict[tuple[str, ...], Any]]] = (
    weakref.WeakKeyDictionary()
)
"""Per base graph: its transfer rules, and the transfer rule looked up for each (hub, kind, from layer, to layer)."""
_UNSEEN = object()


class _RememberedTransfers(CostModel):
    """The cost rules of a dataset with the transfer rules of a base graph's: each transfer lookup made once per base.

    The rule in force for a change of layers at a hub depends only on the transfer rules and the hub, so the
    datasets derived from one base that keep its transfer rules share the answers (a sweep of port dwell
    looks them up once, not once per value).
    """

    def __init__(self, dataset: Dataset, memo: dict[tuple[str, ...], Any]) -> None:
        super().__init__(dataset.modes, dataset.services, dataset.transfers, dataset.dwells)
        self.memo = memo

    def transfer(self, hub: Hub, from_layer: str, to_layer: str) -> TransferRule | None:
        key = (hub.id, hub.kind, from_layer, to_layer)
        found = self.memo.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self.memo[key] = super().transfer(hub, from_layer, to_layer)
        return found  # type: ignore[no-any-return]


def _hub_costs(base: RoutingGraph, base_dataset: Dataset, dataset: Dataset, costs: CostModel) -> CostModel:
    """The cost rules to rebuild hub edges with: transfer lookups remembered when the transfer rules are the base's."""
    known = _TRANSFERS.get(base)
    if known is None:
        known = _TRANSFERS.setdefault(base, (base_dataset.transfers, {}))
    rules, memo = known
    return _RememberedTransfers(dataset, memo) if dataset.transfers is rules else costs


def _changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str] | None:
    """Keys whose values differ (``None`` when the key sets differ)."""
    if old is new:
        return set()
    if old.keys() != new.keys():
        return None
    return {k for k, v in new.items() if v is not old[k] and v != old[k]}


def _rule_hubs(old: Sequence[Any], new: Sequence[Any], hubs: Mapping[str, Hub]) -> set[str] | None:
    """The hubs where the rule in force may differ between two rule tuples (dwell or transfer rules).

    A rule applies at its hub (``at`` a hub id), at every hub of a kind (``kind:<kind>``) or
    everywhere (``*``); among the rules that apply the most specific wins, then the first
    written. The rules both tuples hold (the same objects) keep their relative order, so only
    hubs some added or removed rule applies at can change. ``None``: the common rules were reordered.
    """
    if old is new:
        return set()
    old_ids, new_ids = {id(r) for r in old}, {id(r) for r in new}
    if len(old_ids) != len(old) or len(new_ids) != len(new):
        return None  # a rule object listed twice: the order argument above does not hold
    if [id(r) for r in old if id(r) in new_ids] != [id(r) for r in new if id(r) in old_ids]:
        return None
    changed = [r for r in old if id(r) not in new_ids] + [r for r in new if id(r) not in old_ids]
    out: set[str] = set()
    for rule in changed:
        at = rule.at
        if at == "*":
            return set(hubs)
        if at.startswith("kind:"):
            out.update(h for h, hub in hubs.items() if f"kind:{hub.kind}" == at)
        elif at in hubs:
            out.add(at)
    return out


def derive_graph(
    base: RoutingGraph,
    base_dataset: Dataset,
    dataset: Dataset,
    costs: CostModel,
    hubs: Mapping[str, Hub],
    links: Mapping[str, Link],
    emissions: EmissionModel,
) -> RoutingGraph | None:
    """The routing graph of ``dataset`` derived from ``base`` (the graph of ``base_dataset``), or ``None``.

    Parameters
    ----------
    base : RoutingGraph
        The graph of ``base_dataset``, built or derived (not changed).
    base_dataset, dataset : Dataset
        The datasets before and after the changes (a scenario's :meth:`~corridor_planner.Scenario.apply_to`).
    costs : CostModel
        The cost rules of ``dataset``.
    hubs, links : Mapping
        The hubs and links of ``dataset`` by id.
    emissions : EmissionModel
        The emission tables of the new graph.

    Returns
    -------
    RoutingGraph or None
        A graph equal to ``RoutingGraph(hubs, links, dataset.borders, costs, emissions)``; ``None`` when
        the changes alter the graph's structure (or anything this function does not follow).
    """
    if emissions is not base.emissions or not set(vars(base)) <= SHARED | RECOMPUTED:
        return None  # other emission tables, or attributes this function does not know how to derive
    old, new = base_dataset, dataset
    if len(old.hubs) != len(new.hubs) or any(h is not g and h != g for h, g in zip(old.hubs, new.hubs, strict=True)):
        return None
    if len(old.links) != len(new.links) or dict(old.modes) != dict(new.modes):
        return None
    dirty: dict[str, Link] = {}
    for was, now in zip(old.links, new.links, strict=True):
        if was is now:
            continue
        if was.id != now.id or any(getattr(was, f) != getattr(now, f) for f in STRUCTURAL_LINK_FIELDS):
            return None
        dirty[now.id] = now
    borders = _changed_keys(old.borders, new.borders)
    services = _changed_keys(old.services, new.services)
    dwell_hubs = _rule_hubs(old.dwells, new.dwells, hubs)
    transfer_hubs = _rule_hubs(old.transfers, new.transfers, hubs)
    if borders is None or services is None or dwell_hubs is None or transfer_hubs is None:
        return None
    touched_hubs = dwell_hubs | transfer_hubs
    if borders or services:
        sea_layers = {f"sea:{s}" for s in services}
        for link in links.values():
            if link.border_crossing in borders or link.service in services:
                dirty[link.id] = link
        touched_hubs.update(h for h, layers in base.hub_layers.items() if layers & sea_layers)

    base.node_hub_number, base.is_link_edge  # noqa: B018 - computed once on the base, then shared
    graph = RoutingGraph.__new__(RoutingGraph)
    shared = vars(graph)
    shared.update({k: v for k, v in vars(base).items() if k in SHARED})
    shared["hubs"] = hubs
    if not dirty and not touched_hubs:
        shared.update({k: v for k, v in vars(base).items() if k in RECOMPUTED})
        return graph
    info = list(base.info)
    time_h, distance_km, cost_usd, co2_kg, co2e_kg = (
        base.time_h.copy(), base.distance_km.copy(), base.cost_usd.copy(), base.co2_kg.copy(), base.co2e_kg.copy(),
    )  # fmt: skip
    rest_h = {crew: base.rest_h[crew].copy() for crew in CREWS}
    emission_items = list(base.emission_items)
    link_opens, link_closes, link_cargo = base.link_opens, base.link_closes, base.link_cargo

    def put(e: int, edge: Any, totals: tuple[float, float, float]) -> None:
        info[e] = edge
        time_h[e] = edge_time_h(edge)
        for crew in CREWS:
            rest_h[crew][e] = edge_rest_h(edge, costs, crew)
        distance_km[e], cost_usd[e], co2_kg[e] = totals
        emission_items[e] = items = emissions.edge_items(edge, hubs)
        co2e_kg[e] = sum(i.wtw_kg for i in items)

    if dirty:
        link_opens, link_closes, link_cargo = link_opens.copy(), link_closes.copy(), list(link_cargo)
        for link_id, link in dirty.items():
            edges = base.edges_by_link[link_id].tolist()
            made = link_edges(link, hubs, new.borders, costs)
            if len(made) != len(edges):
                return None
            for e, (a, b, edge, distance, cost, co2) in zip(edges, made, strict=True):
                if base.index[a] != base.src[e] or base.index[b] != base.dst[e]:
                    return None
                put(e, edge, edge_totals(edge, distance, cost, co2))
            at = np.searchsorted(base.link_edges, edges)
            link_opens[at] = open_year(link)
            link_closes[at] = close_year(link)
            for i in at.tolist():
                link_cargo[i] = frozenset(link.cargo)
    hub_costs = _hub_costs(base, old, new, costs) if touched_hubs else costs
    for hub_id in sorted(touched_hubs):
        edges = [
            e for e in base.edges_by_hub.get(hub_id, np.empty(0, dtype=np.int64)).tolist() if base.info[e].link is None
        ]
        made_hub = hub_edges(hubs[hub_id], sorted(base.hub_layers.get(hub_id, ())), hub_costs, base.correlated)
        if len(made_hub) != len(edges):
            return None  # a transfer rule made or removed a transfer edge
        for e, (a, b, edge) in zip(edges, made_hub, strict=True):
            if base.index[a] != base.src[e] or base.index[b] != base.dst[e]:
                return None
            put(e, edge, edge_totals(edge, 0.0, 0.0, 0.0))
    shared.update(
        info=info, time_h=time_h, rest_h=rest_h, distance_km=distance_km, cost_usd=cost_usd, co2_kg=co2_kg,
        emission_items=emission_items, co2e_kg=co2e_kg, link_opens=link_opens, link_closes=link_closes,
        link_cargo=link_cargo,
    )  # fmt: skip
    return graph
