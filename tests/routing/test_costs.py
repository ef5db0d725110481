"""Unit tests of :class:`corridor_planner.routing.costs.CostModel` on tiny networks: which rule applies, and the link figures."""

from __future__ import annotations

import pytest
from tinynet import build, hub, link, triple

from corridor_planner.model.records import TransferRule


def _net():  # type: ignore[no-untyped-def]
    return build(
        [hub("a", kind="port"), hub("b", kind="city", lon=1.0)],
        [link("ab", "a", "b", km=200.0), link("ab_road", "a", "b", mode="road", km=200.0, speed_kmh=80.0)],
        transfers=[
            {"at": "*", "from_layer": "rail", "to_layer": "road", "two_way": True, "cost_usd": 1, **triple(1)},
            {"at": "kind:port", "from_layer": "rail", "to_layer": "road", "two_way": True, "cost_usd": 2, **triple(2)},
            {"at": "a", "from_layer": "rail1520", "to_layer": "road", "two_way": False, "cost_usd": 3, **triple(3)},
        ],
        dwells=[{"at": "kind:port", "event": "port_dwell", "cost_usd": 5, **triple(4)}],
    )


def test_the_most_specific_transfer_rule_applies() -> None:
    net = _net()
    costs = net.router.costs
    a, b = net.hub("a"), net.hub("b")
    rule = costs.transfer(a, "rail1520", "road")
    assert isinstance(rule, TransferRule) and rule.cost_usd == 3  # the hub's own rule, exact layer
    back = costs.transfer(a, "road", "rail1520")
    assert back is not None and back.cost_usd == 2  # one-way rule skipped: the port kind's two-way rule
    anywhere = costs.transfer(b, "rail1520", "road")
    assert anywhere is not None and anywhere.cost_usd == 1  # only the catch-all fits a city
    assert costs.transfer(b, "rail1520", "sea:x") is None  # no rule: no transfer


def test_dwell_rules_apply_by_hub_kind() -> None:
    net = _net()
    costs = net.router.costs
    dwell = costs.dwell(net.hub("a"), "port_dwell")
    assert dwell is not None and dwell.time_h.typ == 4
    assert costs.dwell(net.hub("b"), "port_dwell") is None


def test_link_figures_follow_the_mode_defaults_unless_the_link_overrides_them() -> None:
    net = _net()
    costs = net.router.costs
    rail, road = net.link("ab"), net.link("ab_road")
    assert costs.speed_kmh(rail) == 50 and costs.speed_kmh(road) == 80  # tinynet's rail default; the road link's own
    assert costs.link_cost_usd(rail) == pytest.approx(200.0 * 1.0)
    assert costs.link_co2_kg(rail) == pytest.approx(200.0 * 10.0 * 20 / 1000.0)  # km * t/TEU * g/tkm
    moving = [p for p in costs.link_parts(road) if p.component == "moving"]
    rest = [p for p in costs.link_parts(road) if p.component == "rest"]
    assert moving[0].time_h.typ == pytest.approx(200.0 / 80.0)
    assert rest[0].time_h.typ == pytest.approx(200.0 / 80.0)  # 12 h a day on the road: as long resting as driving
