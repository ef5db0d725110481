"""Hand-made networks whose answers are worked out by hand."""

from __future__ import annotations

import pytest
from tinynet import build, hub, link, triple

import corridor_planner as cp


def test_straight_rail_line_time_cost_co2() -> None:
    net = build([hub("a", lon=0), hub("b", lon=1)], [link("ab", "a", "b", km=100)])
    route = net.plan("a", "b")
    assert route.distance_km == pytest.approx(100)
    assert route.time_h == pytest.approx(2.0)  # 100 km at 50 km/h
    assert route.cost_usd == pytest.approx(100.0)  # 1 USD/TEU-km
    assert route.co2_kg == pytest.approx(100 * cp.TONNES_PER_TEU * 20 / 1000)
    assert route.modes == ("rail",)


def test_gauge_break_costs_its_transfer_and_needs_a_rule() -> None:
    hubs = [hub("a", lon=0), hub("b", lon=1), hub("c", lon=2)]
    links = [link("ab", "a", "b", gauge_mm=1435), link("bc", "b", "c", gauge_mm=1520)]
    rule = {
        "at": "b",
        "from_layer": "rail1435",
        "to_layer": "rail1520",
        "two_way": "true",
        "cost_usd": 300,
        **triple(5),
    }
    route = build(hubs, links, transfers=[rule]).plan("a", "c")
    assert route.time_h == pytest.approx(2 + 5 + 2)
    assert route.cost_usd == pytest.approx(200 + 300)
    gauge = route.breakdown().loc["gauge_change"]
    assert gauge["time_h"] == pytest.approx(5)
    assert (gauge["time_h_min"], gauge["time_h_max"]) == pytest.approx((2.5, 10))
    # reverse direction uses the two-way rule too
    assert build(hubs, links, transfers=[rule]).plan("c", "a").time_h == pytest.approx(9)
    # a generic rail->rail rule is not a gauge change facility
    generic = {**rule, "at": "*", "from_layer": "rail", "to_layer": "rail"}
    with pytest.raises(cp.NoRouteError):
        build(hubs, links, transfers=[generic]).plan("a", "c")


def test_border_crossing_dwell_and_cost() -> None:
    hubs = [hub("a", "CN", lon=0), hub("b", "KZ", lon=1)]
    border = {"id": "ab_border", "name": "A/B", "mode": "rail", "hubs": "a|b", "cost_usd": 50, **triple(10)}
    net = build(hubs, [link("ab", "a", "b", border_crossing="ab_border")], borders=[border])
    route = net.plan("a", "b")
    assert route.time_h == pytest.approx(12)
    assert route.cost_usd == pytest.approx(150)
    assert route.breakdown().loc["border", "time_h"] == pytest.approx(10)
    assert route.countries == ("CN", "KZ")


def test_cross_border_link_without_rule_is_a_validation_error() -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        build([hub("a", "CN"), hub("b", "KZ", lon=1)], [link("ab", "a", "b")])
    assert any(p.record == "ab" and p.field == "border_crossing" for p in err.value.problems)


def test_weekly_ferry_waits_half_a_week_and_dwells_in_port() -> None:
    hubs = [hub("p", kind="port", lon=50), hub("q", "AZ", kind="port", lon=51)]
    service = {"id": "ferry", "mode": "sea", "name": "Ferry", "frequency_per_week": 1}
    dwell = {"at": "kind:port", "event": "port_dwell", "cost_usd": 10, **triple(24)}
    net = build(hubs, [link("pq", "p", "q", mode="sea", km=250, service="ferry")], services=[service], dwells=[dwell])
    route = net.plan("p", "q")
    parts = route.breakdown()["time_h"]
    assert parts["waiting"] == pytest.approx(84)  # half of a 168 h headway
    assert parts["port_dwell"] == pytest.approx(48)  # export + import
    assert parts["moving"] == pytest.approx(10)  # 250 km at 25 km/h
    assert route.time_h == pytest.approx(142)
    assert route.cost_usd == pytest.approx(125 + 20)


def test_rail_to_ferry_transfer_counts_port_dwell_wait_and_handling_once() -> None:
    hubs = [
        hub("a", lon=48),
        hub("p", kind="port", lon=50),
        hub("q", "AZ", kind="port", lon=51),
        hub("z", "AZ", lon=52),
    ]
    links = [
        link("ap", "a", "p"),
        link("pq", "p", "q", mode="sea", km=250, service="ferry"),
        link("qz", "q", "z"),
    ]
    tables = {
        "services": [{"id": "ferry", "mode": "sea", "name": "Ferry", "frequency_per_week": 2}],
        "dwells": [{"at": "kind:port", "event": "port_dwell", "cost_usd": 0, **triple(12)}],
        "transfers": [
            {"at": "kind:port", "from_layer": "rail", "to_layer": "sea", "two_way": True, "cost_usd": 100, **triple(3)}
        ],
    }
    route = build(hubs, links, **tables).plan("a", "z")
    parts = route.breakdown()["time_h"]
    assert parts["transfer"] == pytest.approx(6)  # on and off the ship
    assert parts["port_dwell"] == pytest.approx(24)  # once in each port
    assert parts["waiting"] == pytest.approx(42)  # half of 84 h
    assert route.time_h == pytest.approx(2 + 3 + 12 + 42 + 10 + 12 + 3 + 2)
    assert [leg.mode for leg in route.legs] == ["rail", "sea", "rail"]


def test_link_not_open_yet_is_unused_until_its_year() -> None:
    hubs = [hub("a", lon=0), hub("b", lon=1), hub("c", lon=2)]
    links = [
        link("ab", "a", "b"),
        link("bc", "b", "c"),
        link("ac_new", "a", "c", km=120, status="under_construction", opens=2030),
    ]
    net = build(hubs, links)
    assert net.plan("a", "c", as_of=2025).link_ids == ("ab", "bc")
    assert net.plan("a", "c", as_of=2030).link_ids == ("ac_new",)


def test_closed_link_blocks_and_error_names_it() -> None:
    net = build([hub("a"), hub("b", lon=1)], [link("ab", "a", "b", status="under_construction", opens=2030)])
    with pytest.raises(cp.NoRouteError) as err:
        net.plan("a", "b", as_of=2025)
    assert "ab (under_construction, opens 2030)" in str(err.value)


def test_road_rest_time_follows_hours_per_day() -> None:
    route = build([hub("a"), hub("b", lon=1)], [link("ab", "a", "b", mode="road", km=100)]).plan("a", "b")
    parts = route.breakdown()["time_h"]
    assert parts["moving"] == pytest.approx(2)
    assert parts["rest"] == pytest.approx(2)  # 12 h a day moving: as long again stopped


def test_no_transfer_rule_means_no_mode_change() -> None:
    hubs = [hub("a"), hub("b", lon=1), hub("c", lon=2)]
    net = build(hubs, [link("ab", "a", "b"), link("bc", "b", "c", mode="road")])
    with pytest.raises(cp.NoRouteError):
        net.plan("a", "c")


def test_via_forces_the_detour_without_charging_a_transfer() -> None:
    hubs = [hub("a", lon=0), hub("b", lon=1), hub("c", lon=2), hub("d", lon=1, lat=1)]
    links = [link("ab", "a", "b"), link("bc", "b", "c"), link("ad", "a", "d", km=150), link("dc", "d", "c", km=150)]
    net = build(hubs, links)
    assert net.plan("a", "c").hubs == ("a", "b", "c")
    detour = net.plan("a", "c", via=["d"])
    assert detour.hubs == ("a", "d", "c")
    assert detour.time_h == pytest.approx(6)


def test_avoid_constraints_are_obeyed_and_named_when_they_block() -> None:
    hubs = [hub("a", "CN", lon=0), hub("b", "KZ", lon=1), hub("c", "KZ", lon=2)]
    border = {"id": "cn_kz", "name": "CN/KZ", "mode": "rail", "hubs": "a|b", "cost_usd": 0, **triple(1)}
    net = build(hubs, [link("ab", "a", "b", border_crossing="cn_kz"), link("bc", "b", "c")], borders=[border])
    with pytest.raises(cp.NoRouteError) as err:
        net.plan("a", "c", avoid_hubs=["b"])
    assert "avoid_hubs=['b'] blocks every route" in str(err.value)
    with pytest.raises(cp.NoRouteError, match="avoid_modes"):
        net.plan("a", "c", avoid_modes="rail")


def test_bad_queries_raise_clear_errors() -> None:
    net = build([hub("a"), hub("b", lon=1)], [link("ab", "a", "b")])
    with pytest.raises(cp.UnknownLocationError, match="did you mean 'A'"):
        net.plan("aa", "b")
    with pytest.raises(cp.InvalidQueryError, match="must be one of time, distance, cost, co2"):
        net.plan("a", "b", optimize="speed")
    with pytest.raises(cp.InvalidQueryError, match="same hub"):
        net.plan("a", "A")
    with pytest.raises(cp.InvalidQueryError, match="avoid_modes"):
        net.plan("a", "b", avoid_modes=["boat"])
    with pytest.raises(cp.InvalidQueryError, match="avoid_countries"):
        net.plan("a", "b", avoid_countries=["Russia"])


def test_pipeline_only_for_liquids() -> None:
    hubs = [hub("a"), hub("b", lon=1)]
    net = build(hubs, [link("ab", "a", "b", mode="pipeline", cargo="liquid_bulk", two_way=False)])
    assert net.plan("a", "b", cargo="liquid_bulk").modes == ("pipeline",)
    with pytest.raises(cp.NoRouteError, match="cargo"):
        net.plan("a", "b")
    with pytest.raises(cp.NoRouteError):
        net.plan("b", "a", cargo="liquid_bulk")  # one-way


def test_via_with_a_mode_requires_passing_the_hub_on_that_mode() -> None:
    hubs = [hub("a", kind="port", lon=0), hub("b", kind="port", lon=1)]
    links = [link("ab_rail", "a", "b"), link("ab_sea", "a", "b", mode="sea", km=100)]
    transfers = [
        {"at": "kind:port", "from_layer": "rail", "to_layer": "sea", "two_way": True, "cost_usd": 0, **triple(1)}
    ]
    net = build(hubs, links, transfers=transfers)
    assert net.plan("a", "b").modes == ("rail",)
    assert net.plan("a", "b", via=[("a", "sea")]).modes == ("sea",)
    with pytest.raises(cp.InvalidQueryError, match="via: 'boat' is not a mode"):
        net.plan("a", "b", via=[("a", "boat")])


def test_a_link_closed_since_a_year_carries_traffic_before_it() -> None:
    hubs = [hub("a", lon=0.0), hub("b", lon=1.0), hub("c", lon=0.5, lat=1.0)]
    links = [
        link("ab", "a", "b", km=100.0, status="closed", closes=2022),
        link("ac", "a", "c", km=150.0),
        link("cb", "c", "b", km=150.0),
    ]
    net = build(hubs, links)
    assert net.plan("a", "b", as_of=2021).link_ids == ("ab",)
    assert net.plan("a", "b", as_of=2022).link_ids == ("ac", "cb")
    closed_for_good = build(hubs, [{**links[0], "closes": None}, *links[1:]])
    assert closed_for_good.plan("a", "b", as_of=1995).link_ids == ("ac", "cb")
    # a scenario that opens the link clears its closing year
    reopened = net.apply(
        cp.Scenario.from_dict({"scenario": {"name": "x"}, "change": [{"open": "links", "ids": ["ab"]}]})
    )
    assert reopened.plan("a", "b", as_of=2030).link_ids == ("ab",) and reopened.link("ab").closes is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"closes": 2022}, "only a closed link has the year it closed"),
        ({"status": "closed", "opens": 2022, "closes": 2020}, "2020 is not after the year it opens"),
        ({"status": "closed", "closes": 10**19}, "closes"),
        ({"status": "closed", "closes": "soon"}, "closes"),
    ],
)
def test_a_bad_closing_year_is_an_error_naming_the_link_and_field(fields: dict[str, object], message: str) -> None:
    with pytest.raises(cp.NetworkValidationError, match=message) as err:
        build([hub("a"), hub("b", lon=1.0)], [link("ab", "a", "b", **fields)])
    assert "ab" in str(err.value) and "closes" in str(err.value)
