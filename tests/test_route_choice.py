"""Issue 10 items 1 and 3: route choice that matches how freight moves; routes a reader can tell apart.

Every expectation is computed from the shipped network, not typed in.
"""

from __future__ import annotations

import itertools
import warnings

import pytest

import corridor_planner as cp
from corridor_planner.routing.labels import has_detour

NET = cp.load_network()
YEAR = 2026
SEA_AVOID = ["KZ", "KG", "RU", "MN", "PK"]
"""The countries the earlier sea route keeps out of (else overland lines replace Suez; README, examples)."""

CHINA = ["Xi'an", "Chongqing", "Zhengzhou", "Beijing", "Qingdao", "Lianyungang", "Urumqi"]
MOST_ASKED = [
    ("Xi'an", "Duisburg"), ("Xi'an", "Hamburg"), ("Xi'an", "Baku"), ("Xi'an", "Istanbul"), ("Xi'an", "Tashkent"),
    ("Chongqing", "Duisburg"), ("Chongqing", "Warsaw"), ("Chongqing", "Almaty"), ("Zhengzhou", "Hamburg"),
    ("Zhengzhou", "Malaszewicze"), ("Beijing", "Baku"), ("Beijing", "Duisburg"), ("Beijing", "Tbilisi"),
    ("Qingdao", "Baku"), ("Qingdao", "Tashkent"), ("Lianyungang", "Almaty"), ("Lianyungang", "Istanbul"),
    ("Urumqi", "Tashkent"), ("Urumqi", "Poti"), ("Chongqing", "Tbilisi"),
]  # fmt: skip
TRAIN_GATEWAYS = {"alashankou|dostyk", "khorgos|altynkol", "erenhot|zamyn_uud", "manzhouli|zabaykalsk"}
"""China's rail exits that China-Europe/Central Asia block trains use (Alashankou/Dostyk, Khorgos/Altynkol, Erenhot, Manzhouli)."""


def rail_road_rail(route: cp.Route) -> list[str]:
    """The hubs where a rail -> road -> rail switch starts (the truck legs between two trains)."""
    modes = [leg.mode for leg in route.legs]
    found = []
    for i, mode in enumerate(modes):
        if mode != "road" or i == 0 or modes[i - 1] != "rail":
            continue
        j = i
        while j < len(modes) and modes[j] == "road":
            j += 1
        if j < len(modes) and modes[j] == "rail":
            found.append(route.legs[i].origin)
    return found


def is_simple(route: cp.Route) -> bool:
    return len(route.hubs) == len(set(route.hubs))


@pytest.mark.parametrize(("origin", "destination"), MOST_ASKED)
def test_most_asked_pairs_ride_trains_through_train_gateways(origin: str, destination: str) -> None:
    route = NET.plan(origin, destination, as_of=YEAR)
    assert is_simple(route), route.hubs
    for hub in rail_road_rail(route):
        # a truck between two trains only if it beats the same route without trucks by more than it costs
        without = NET.plan(origin, destination, as_of=YEAR, avoid_modes="road")
        assert without.transit_days > route.transit_days, hub
    rail_exits = [
        s.hub
        for leg in route.legs
        if leg.mode == "rail"
        for s in leg.stops_before
        if s.component == "border" and "CN" in {NET.hub(h).country for h in s.hub.split("|")}
    ]
    assert set(rail_exits) <= TRAIN_GATEWAYS, (route.hubs, rail_exits)


def test_no_truck_between_trains_china_europe() -> None:
    """The issue's matrix: every China -> Europe fastest route stays on the train."""
    europe = ["Duisburg", "Hamburg", "Warsaw", "Rotterdam", "Budapest", "Malaszewicze", "Minsk", "Moscow"]
    for origin, destination in itertools.product(CHINA, europe):
        route = NET.plan(origin, destination, as_of=YEAR)
        assert not rail_road_rail(route), (origin, destination, route.hubs)


def test_xian_duisburg_stays_on_the_train() -> None:
    route = NET.plan("Xi'an", "Duisburg", as_of=YEAR)
    assert route.modes == ("rail",)
    assert not {"khorgos_almaty_road"} & set(route.link_ids)


def test_boarding_a_train_waits_for_a_departure_staying_aboard_does_not() -> None:
    route = NET.plan("Xi'an", "Duisburg", as_of=YEAR)
    waits = [s for s in route.stops if s.component == "waiting"]
    assert [s.hub for s in waits] == ["xian"]  # at the start only: not at the gauge changes or borders
    assert waits[0].time_h == NET.router.costs.dwell(NET.hub("xian"), "train_departure").time_h.typ  # type: ignore[union-attr]
    assert any(s.component == "gauge_change" for s in route.stops)


def test_no_transload_at_border_stations() -> None:
    costs = NET.router.costs
    assert costs.transfer(NET.hub("khorgos"), "rail1435", "road") is None
    assert costs.transfer(NET.hub("almaty"), "rail1520", "road") is not None


def test_headline_default_is_one_train_and_the_caspian_train_within_its_countries() -> None:
    fastest = NET.plan("Beijing", "Baku", as_of=YEAR)
    assert fastest.modes == ("rail",)  # no truck spliced between trains, no ferry wait
    train = NET.plan("Beijing", "Baku", within=["CN", "KZ", "AZ"], as_of=YEAR)
    assert train.modes == ("rail", "sea")
    assert 13 <= train.transit_days <= 17
    assert "caspian" in train.chokepoints


def test_only_modes() -> None:
    route = NET.plan("Istanbul", "Xi'an", only_modes=["rail", "sea"], as_of=YEAR)
    assert set(route.modes) <= {"rail", "sea"}
    assert NET.plan("Almaty", "Tashkent", only_modes="rail", as_of=YEAR).modes == ("rail",)
    combined = NET.plan("Beijing", "Baku", only_modes=["rail", "sea", "road"], avoid_modes="road", as_of=YEAR)
    assert "road" not in combined.modes
    with pytest.raises(cp.InvalidQueryError, match="no mode"):
        NET.plan("Beijing", "Baku", only_modes="rail", avoid_modes="rail")
    with pytest.raises(cp.InvalidQueryError, match="only_modes"):
        NET.plan("Beijing", "Baku", only_modes="boat")


def test_via_route_is_simple() -> None:
    """Issue 10: `route Beijing Baku --via Tianjin:sea --via Poti:sea` visited Alat and Tbilisi twice."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        route = NET.plan(
            "Beijing", "Baku", via=[("Tianjin", "sea"), ("Poti", "sea")], avoid_countries=SEA_AVOID, as_of=YEAR
        )
    assert is_simple(route), route.hubs
    assert "poti_batumi_sea" not in route.link_ids
    # one sea run from Tianjin to Poti (by Suez), not hops that touch each port by sea
    sea = [leg for leg in route.legs if leg.mode == "sea"]
    assert sea[0].origin == "tianjin" and sea[-1].destination == "poti"
    assert route.legs.index(sea[-1]) - route.legs.index(sea[0]) == len(sea) - 1
    assert "suez" in route.chokepoints


def test_via_forcing_a_repeat_warns() -> None:
    with pytest.warns(UserWarning, match="twice"):
        route = NET.plan("Almaty", "Tashkent", via=["Shymkent", "Almaty", "Shymkent"], as_of=YEAR)
    assert route.hubs.count("shymkent") == 2


def test_alternatives_are_distinct_simple_and_without_detours() -> None:
    """Issue 10: Poti -> Piraeus then round the Cape; two labels `maritime_cape`."""
    routes = NET.alternatives("Beijing", "Duisburg", k=50, as_of=YEAR)
    labels = [r.label for r in routes]
    assert len(set(labels)) == len(labels), labels
    assert all(r.reason for r in routes)
    for route in routes:
        assert is_simple(route), route.hubs
        assert not has_detour(route), route.hubs
        assert not {"piraeus", "cape_of_good_hope"} <= set(route.hubs) or "poti" not in route.hubs


def test_pareto_front_labels_are_distinct() -> None:
    """Issue 10: the notebook's Pareto front was six rows all labelled maritime_suez."""
    front = NET.pareto("Beijing", "Duisburg", criteria=("time", "cost", "co2"), as_of=YEAR)
    labels = [r.label for r in front]
    assert len(set(labels)) == len(labels), labels
    assert all(is_simple(r) for r in front)
    assert all(r.reason for r in front)


def test_every_route_over_all_hub_pairs_is_simple() -> None:
    hubs = [h for h in NET.hub_ids if NET.hub(h).kind != "waypoint"]
    for a, b in itertools.permutations(hubs, 2):
        for optimize in ("time", "cost"):
            try:
                route = NET.plan(a, b, optimize=optimize, as_of=YEAR)
            except cp.NoRouteError:
                break
            assert is_simple(route), (a, b, optimize, route.hubs)


@pytest.mark.parametrize(("origin", "destination"), [*MOST_ASKED[:6], ("Beijing", "Piraeus"), ("Tashkent", "Hamburg")])
def test_alternatives_and_pareto_simple(origin: str, destination: str) -> None:
    for route in NET.alternatives(origin, destination, k=6, as_of=YEAR):
        assert is_simple(route), route.hubs
    for route in NET.pareto(origin, destination, criteria=("time", "cost"), as_of=YEAR):
        assert is_simple(route), route.hubs
