"""Unit tests of :class:`corridor_planner.routing.graph.RoutingGraph` on tiny networks: nodes, edges and their parts."""

from __future__ import annotations

from collections import Counter

import pytest
from tinynet import build, hub, link, triple


def test_each_hub_has_start_and_end_nodes_and_arrival_departure_per_layer() -> None:
    net = build(
        [hub("a"), hub("b", lon=1.0), hub("c", lon=2.0)],
        [link("ab", "a", "b"), link("bc", "b", "c", mode="road")],
        transfers=[{"at": "*", "from_layer": "rail", "to_layer": "road", "two_way": True, "cost_usd": 7, **triple(2)}],
    )
    graph = net.router.graph
    assert sorted(graph.nodes) == sorted(
        [("a", "o"), ("a", "t"), ("a", "rail1520", "a"), ("a", "rail1520", "d"),
         ("b", "o"), ("b", "t"), ("b", "rail1520", "a"), ("b", "rail1520", "d"),
         ("b", "road", "a"), ("b", "road", "d"),
         ("c", "o"), ("c", "t"), ("c", "road", "a"), ("c", "road", "d")]
    )  # fmt: skip
    kinds = Counter(info.kind for info in graph.info)
    # two two-way links; a through edge per hub and layer; rail<->road at b; start and end per hub and layer
    assert kinds == {"link": 4, "through": 4, "transfer": 2, "start": 4, "end": 4}
    transfer = next(i for i in graph.info if i.kind == "transfer" and i.from_layer == "rail1520")
    assert transfer.hub == "b" and transfer.to_layer == "road"
    assert [p.component for p in transfer.parts] == ["transfer"]


def test_no_transfer_edge_without_a_rule() -> None:
    net = build(
        [hub("a"), hub("b", lon=1.0), hub("c", lon=2.0)], [link("ab", "a", "b"), link("bc", "b", "c", mode="road")]
    )
    graph = net.router.graph
    assert not [i for i in graph.info if i.kind == "transfer"]


def test_a_link_edge_carries_every_criterion_and_its_border() -> None:
    net = build(
        [hub("a", country="KZ"), hub("b", country="UZ", lon=1.0)],
        [link("ab", "a", "b", km=120.0, border_crossing="kz_uz")],
        borders=[{"id": "kz_uz", "name": "KZ-UZ", "mode": "rail", "hubs": "b", "cost_usd": 40, **triple(10)}],
    )
    graph = net.router.graph
    e = next(i for i, info in enumerate(graph.info) if info.kind == "link" and info.forward)
    assert graph.distance_km[e] == pytest.approx(120.0)
    assert graph.time_h[e] == pytest.approx(120.0 / 50.0 + 10.0)  # moving at 50 km/h, then the border
    assert graph.cost_usd[e] == pytest.approx(120.0 * 1.0 + 40.0)
    assert graph.co2_kg[e] == pytest.approx(120.0 * 10.0 * 20 / 1000.0)
    assert [p.component for p in graph.info[e].parts] == ["moving", "border"]
    assert set(graph.edges_by_country) == {"KZ", "UZ"}


def test_a_link_that_opens_later_is_masked_not_removed() -> None:
    net = build(
        [hub("a"), hub("b", lon=1.0)],
        [link("ab", "a", "b", status="under_construction", opens=2030)],
    )
    router = net.router
    edges = router.graph.n_edges
    early, late = net.query("a", "b", as_of=2025), net.query("a", "b", as_of=2030)
    assert not any(router.mask(early.constraints)[e] for e in router.graph.link_edges)
    assert all(router.mask(late.constraints)[e] for e in router.graph.link_edges)
    assert router.graph.n_edges == edges  # the graph is never rebuilt or copied by a query
