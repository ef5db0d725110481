"""Transit time as a distribution (issue 11): families, correlation groups, crews, seeds, p90 routing, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tinynet import MODES, build, hub, link

import corridor_planner as cp
from corridor_planner.analysis.validate import plan_options, report, summarise, validate
from corridor_planner.routing.uncertainty import lognormal_params, norm_ppf, triangular_ppf

ROAD_CREWS = {**MODES[1], "hours_per_day": 9, "hours_per_day_max": 9, "crew2_hours_per_day": 14.4,
              "crew2_hours_per_day_max": 14.4, "range_source": "A-TEST"}  # fmt: skip


def _triangular_quantile(p: float, a: float, c: float, b: float) -> float:
    if p < (c - a) / (b - a):
        return a + math.sqrt(p * (b - a) * (c - a))
    return b - math.sqrt((1 - p) * (b - a) * (b - c))


def test_a_single_triangular_component_matches_its_analytic_percentiles() -> None:
    hubs = [hub("a", lon=0), hub("b", lon=1), hub("c", lon=2)]
    links = [link("ab", "a", "b", gauge_mm=1435), link("bc", "b", "c", gauge_mm=1520)]
    rule = {"at": "b", "from_layer": "rail1435", "to_layer": "rail1520", "two_way": "true", "cost_usd": 0,
            "time_h_min": 2, "time_h_typ": 5, "time_h_max": 14}  # fmt: skip
    route = build(hubs, links, transfers=[rule]).plan("a", "c")
    moving_h = 4.0  # 2 x 100 km at 50 km/h, no speed range in the tiny modes table
    p = route.percentiles(n=100_000, seed=0)
    for got, q in ((p.p10, 0.1), (p.p50, 0.5), (p.p90, 0.9)):
        expected = _triangular_quantile(q, 2, 5, 14)
        assert got * 24 - moving_h == pytest.approx(expected, rel=0.01)


def test_seeds_reproduce_and_differ() -> None:
    route = cp.load_network().plan("Beijing", "Baku", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=2025)
    a, b, c = route.distribution(n=1000, seed=7), route.distribution(n=1000, seed=7), route.distribution(n=1000, seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert route.p10_days <= route.p50_days <= route.p90_days
    assert route.percentiles().as_dict() == {"p10": route.p10_days, "p50": route.p50_days, "p90": route.p90_days}
    # plain planning keeps the typical value; the median of right-skewed delays lies above it
    assert route.transit_days < route.p50_days


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "100", 10**9])
def test_sample_count_is_checked(bad: object) -> None:
    route = cp.load_network().plan("Almaty", "Tashkent", as_of=2025)
    with pytest.raises(cp.InvalidQueryError, match="n must be"):
        route.distribution(n=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 1.0, None, False])
def test_seed_is_checked(bad: object) -> None:
    route = cp.load_network().plan("Almaty", "Tashkent", as_of=2025)
    with pytest.raises(cp.InvalidQueryError, match="seed must be"):
        route.percentiles(seed=bad)  # type: ignore[arg-type]


def _ferry_net(chokepoint: str) -> cp.Network:
    hubs = [hub("p", kind="port", lon=50), hub("q", "AZ", kind="port", lon=51)]
    service = {"id": "ferry", "mode": "sea", "name": "Ferry", "frequency_per_week": 1}
    dwell = {"at": "kind:port", "event": "port_dwell", "cost_usd": 0, "time_h_min": 12, "time_h_typ": 24,
             "time_h_max": 48}  # fmt: skip
    ferry = link("pq", "p", "q", mode="sea", km=250, service="ferry", chokepoints=[chokepoint])
    return build(hubs, [ferry], services=[service], dwells=[dwell])


def test_caspian_parts_share_one_draw_per_trip() -> None:
    route = _ferry_net("caspian").plan("p", "q")
    assert {s.group for s in route.stops} == {"caspian"}
    # comonotone: the total is one increasing function of the shared draw, so its p90 is the parts' p90s summed
    mu, sigma = lognormal_params(12, 24, 48)  # type: ignore[misc]
    dwell_p90 = 12 + math.exp(mu + sigma * 1.2815515655446004)
    expected = 10 + 2 * dwell_p90 + 0.9 * 168  # 250 km at 25 km/h, two port dwells, the wait for a weekly ferry
    assert route.percentiles().p90 * 24 == pytest.approx(expected, rel=0.01)
    independent = _ferry_net("bosporus").plan("p", "q")
    assert {s.group for s in independent.stops} == {""}
    assert independent.p90_days < route.p90_days  # independent draws partly cancel
    assert independent.transit_days == pytest.approx(route.transit_days)


def test_border_crossings_of_one_family_share_a_group() -> None:
    hubs = [hub("a", "CN", lon=0), hub("b", "KZ", lon=1)]
    border = {"id": "ab", "name": "A/B", "mode": "rail", "hubs": "a|b", "cost_usd": 0, "time_h_min": 5,
              "time_h_typ": 10, "time_h_max": 40}  # fmt: skip
    route = build(hubs, [link("ab", "a", "b", border_crossing="ab")], borders=[border]).plan("a", "b")
    assert [s.group for s in route.stops] == ["border:rail:CN-KZ"]


def test_rail_borders_share_the_trains_speed_draw() -> None:
    # A-T-EXPRESS-BORDER: a fast train also clears the border fast (comonotonic), so the total's
    # quantiles are the sums of the parts' quantiles; independent draws would pull p10 and p90 together
    rail = {**MODES[0], "speed_kmh_min": 25, "speed_kmh_max": 100, "range_source": "A-TEST"}
    hubs = [hub("a", "CN", lon=0), hub("b", "KZ", lon=1)]
    border = {"id": "ab", "name": "A/B", "mode": "rail", "hubs": "a|b", "cost_usd": 0, "time_h_min": 5,
              "time_h_typ": 10, "time_h_max": 40}  # fmt: skip
    crossing = build(
        hubs, [link("ab", "a", "b", km=1000, border_crossing="ab")], borders=[border], modes=[rail, *MODES[1:]]
    )
    inland = [hub("a", "CN", lon=0), hub("b", "CN", lon=1)]
    plain = build(inland, [link("ab", "a", "b", km=1000)], modes=[rail, *MODES[1:]])
    moving = np.percentile(plain.plan("a", "b").distribution(n=200_000, seed=3) * 24, [10, 90])
    total = np.percentile(crossing.plan("a", "b").distribution(n=200_000, seed=3) * 24, [10, 90])
    mu, sigma = lognormal_params(5, 10, 40)  # type: ignore[misc]
    dwell = 5 + np.exp(mu + sigma * np.array([-1.2815515655446004, 1.2815515655446004]))
    assert total == pytest.approx(moving + dwell, rel=0.01)


def test_a_queue_is_uniform_from_its_min_below_the_median_and_lognormal_above() -> None:
    # A-T-QUEUE-LOW-HALF: the published min (a priority train) is reached; the tail keeps the max at p95
    hubs = [hub("a", "CN", lon=0), hub("b", "KZ", lon=1)]
    border = {"id": "ab", "name": "A/B", "mode": "rail", "hubs": "a|b", "cost_usd": 0, "time_h_min": 4,
              "time_h_typ": 60, "time_h_max": 100}  # fmt: skip
    route = build(hubs, [link("ab", "a", "b", border_crossing="ab")], borders=[border]).plan("a", "b")
    hours = np.percentile(route.distribution(n=200_000, seed=1) * 24 - 2, [5, 10, 50, 95])  # 100 km at 50 km/h
    assert hours[:3] == pytest.approx([4 + 56 * 0.1, 4 + 56 * 0.2, 60], rel=0.01)
    assert hours[3] == pytest.approx(100, rel=0.01)


def test_two_drivers_cover_a_1000_km_road_leg_faster() -> None:
    modes = [MODES[0], ROAD_CREWS, *MODES[2:]]
    net = build([hub("a", lon=0), hub("b", lon=10)], [link("ab", "a", "b", mode="road", km=1000)], modes=modes)
    one, two = net.plan("a", "b"), net.plan("a", "b", crew=2)
    assert one.time_h == pytest.approx(20 * 24 / 9)  # 20 h driving, 9 h a day
    assert two.time_h == pytest.approx(20 * 24 / 14.4)  # two drivers: 14.4 h a day
    assert two.time_h < one.time_h and two.p90_days < one.p50_days
    assert two.query["crew"] == 2
    with pytest.raises(cp.InvalidQueryError, match="crew"):
        net.plan("a", "b", crew=3)  # type: ignore[arg-type]


def test_shipped_crews_and_speed_ranges_are_sourced() -> None:
    net = cp.load_network()
    road = next(m for m in net.modes.values() if m.mode.value == "road")
    assert road.driving_hours(1).typ == 9 and road.driving_hours(2).typ == pytest.approx(14.4)
    for m in net.modes.values():
        assert m.speed_kmh_min is not None and m.speed_kmh_max is not None
        assert m.speed_kmh_min <= m.speed_kmh <= m.speed_kmh_max
        assert m.range_source and all(s in net.sources for s in m.range_source)
    assert (
        net.plan("Kashgar", "Tashkent", avoid_modes=["rail"], crew=2, as_of=2025).transit_days
        < net.plan("Kashgar", "Tashkent", avoid_modes=["rail"], as_of=2025).transit_days
    )


def test_p90_time_picks_the_alternative_with_the_best_90th_percentile() -> None:
    net = cp.load_network()
    alternatives = net.alternatives("Beijing", "Duisburg", k=5, as_of=2025)
    best = net.plan("Beijing", "Duisburg", optimize="p90_time", as_of=2025)
    assert best.optimize == "p90_time"
    assert best.p90_days == pytest.approx(min(r.p90_days for r in alternatives))
    ranked = net.alternatives("Beijing", "Duisburg", k=5, as_of=2025, optimize="p90_time")
    assert [r.p90_days for r in ranked] == sorted(r.p90_days for r in ranked)


def test_quantile_helpers() -> None:
    u = np.array([0.001, 0.1, 0.5, 0.9, 0.999])
    assert norm_ppf(u) == pytest.approx([-3.090232, -1.281552, 0.0, 1.281552, 3.090232], abs=1e-5)
    assert triangular_ppf(np.array([0.0, 1.0]), 1, 2, 4) == pytest.approx([1, 4])
    assert lognormal_params(5, 5, 10) is None


def test_validation_maps_mode_mixes_and_lists_what_it_cannot_model() -> None:
    row = {"mode_mix": "rail-sea-rail", "corridor": "middle_corridor", "trip_date": "2024-01"}
    assert plan_options(row) == {"require_chokepoints": ["caspian"], "as_of": 2024}
    assert plan_options({**row, "mode_mix": "rail-road-rail"}) == {"as_of": 2024}  # the mix is followed by the search
    assert isinstance(plan_options({**row, "mode_mix": "rail-barge"}), str)
    base = {"origin": "X", "destination": "Y", "corridor": "middle_corridor", "mode_mix": "rail-sea-rail",
            "trip_date": "2025", "days": "15", "km": "8000"}  # fmt: skip
    rows = [
        {**base, "id": "T1", "origin_hub": "beijing", "destination_hub": "baku"},
        {**base, "id": "T2", "origin_hub": "", "destination_hub": "baku"},
    ]
    results = validate(cp.load_network(), rows)
    assert results[0].modelled and results[0].inside and not results[1].modelled
    assert "the origin 'X' names no place" in results[1].reason
    summary = summarise(results)
    assert summary.modelled == 1 and summary.total == 2 and summary.n_km == 1
    text = report(results)
    assert "| T1 |" in text and "| T2 |" in text and "inside p10-p90: 100%" in text


def test_headline_medians_stay_in_the_published_ranges() -> None:
    net = cp.load_network()
    train = net.plan("Beijing", "Baku", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=2025)
    sea = net.plan(
        "Beijing",
        "Baku",
        via=[("Tianjin", "sea"), ("Poti", "sea")],
        avoid_countries=["KZ", "KG", "RU", "MN", "PK"],
        as_of=2025,
    )
    # the published figures run from the service's departure; the model's also hold the wait for it at the origin
    train, sea = train.from_departure(), sea.from_departure()
    assert 13 <= train.p50_days <= 17 and 42 <= sea.p50_days <= 58
    assert train.p10_days < 15 < train.p90_days  # published: about 15 days


def test_a_voyage_runs_from_the_ships_departure_to_its_arrival() -> None:
    net = cp.load_network()
    route = net.plan("Shanghai", "Rotterdam", only_modes="sea", as_of=2023)
    first, last = route.legs[0], route.legs[-1]
    assert {s.component for s in first.stops_before} == {"port_dwell", "waiting"}
    assert [s.component for s in last.stops_after] == ["port_dwell"]
    voyage = route.from_departure().to_arrival()
    removed = sum(s.time_h for s in (*first.stops_before, *last.stops_after))
    assert voyage.time_h == pytest.approx(route.time_h - removed)
    assert voyage.distance_km == route.distance_km and voyage.cost_usd == route.cost_usd
    assert voyage.p50_days < route.p50_days - 6  # two port dwells of 3.5 days typical left out
    assert voyage.from_departure() is voyage and voyage.to_arrival() is voyage


def test_a_border_at_the_origin_comes_after_the_departure() -> None:
    net = cp.load_network()
    route = net.plan("Alashankou", "Almaty", only_modes="rail", as_of=2025)
    before = {s.component for s in route.legs[0].stops_before}
    assert "border" in before and "waiting" in before
    trip = route.from_departure()
    assert [s.component for s in trip.legs[0].stops_before] == ["border"]
    assert trip.time_h == pytest.approx(route.time_h - route.origin_wait_h)
