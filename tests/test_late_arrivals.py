"""Late arrivals of liner voyages (``services.csv`` ``on_time_share``, ``late_delay_days_mean``; ``A-T-LINER-LATE``)."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pytest
from tinynet import build, hub, link

import corridor_planner as cp
from corridor_planner.model.records import ON_TIME_WINDOW_DAYS
from corridor_planner.routing.uncertainty import voyages

N = 200_000
LINER = {"id": "liner", "mode": "sea", "name": "Liner", "frequency_per_week": 7}
LATE = {"on_time_share": 0.6, "late_delay_days_mean": 5.0, "late_source": "A-TEST"}
PORTS = [hub("p", kind="port", lon=100), hub("q", kind="port", lon=110), hub("r", kind="port", lon=120)]
CALL = {"at": "kind:port", "event": "port_call", "cost_usd": 0, "time_h_min": 6, "time_h_typ": 12, "time_h_max": 24}


def _net(late: dict[str, Any] | None = None, second: dict[str, Any] | None = None, **tables: Any) -> cp.Network:
    """p -> q -> r on one liner (``second``: q -> r on another service instead)."""
    services = [{**LINER, **(late or {})}]
    legs = [link("pq", "p", "q", mode="sea", km=2500, service="liner")]
    if second is None:
        legs.append(link("qr", "q", "r", mode="sea", km=2500, service="liner"))
    else:
        services.append(second)
        legs.append(link("qr", "q", "r", mode="sea", km=2500, service=second["id"]))
    return build(PORTS, legs, services=services, dwells=[CALL], **tables)


def _extra_h(late: dict[str, Any], **kw: Any) -> np.ndarray:
    """Per sample, the hours the late arrivals add to p -> r (the other draws are the same with and without)."""
    with_late = _net(late, **kw).plan("p", "r").distribution(n=N, seed=5)
    without = _net(None, **kw).plan("p", "r").distribution(n=N, seed=5)
    out: np.ndarray = (with_late - without) * 24
    return out


def test_the_mixture_has_the_published_share_late_and_mean_delay() -> None:
    extra = _extra_h(LATE)
    late = extra > 1e-9
    assert late.mean() == pytest.approx(0.4, abs=0.01)  # 1 - on_time_share
    assert extra[late].mean() / 24 == pytest.approx(5.0, rel=0.02)  # the published mean delay of a late arrival
    assert extra[late].min() / 24 >= ON_TIME_WINDOW_DAYS - 1e-9  # late = more than a day after the schedule
    # exponential above the one-day floor: its median is floor + mean excess x ln 2
    assert np.median(extra[late]) / 24 == pytest.approx(1 + 4 * math.log(2), rel=0.03)


def test_the_typical_time_is_the_schedules() -> None:
    with_late, without = _net(LATE).plan("p", "r"), _net().plan("p", "r")
    assert with_late.time_h == without.time_h and with_late.transit_days == without.transit_days
    assert with_late.p90_days > without.p90_days
    assert [leg.late_arrival is not None for leg in with_late.legs] == [True, True]
    assert all(leg.late_arrival is None for leg in without.legs)


def test_one_draw_per_voyage_and_one_per_ship() -> None:
    # p -> q -> r aboard one liner: one voyage, one draw (not 1 - 0.6^2 late)
    route = _net(LATE).plan("p", "r")
    assert voyages(route.legs) == [(0, 1)]
    assert (_extra_h(LATE) > 0).mean() == pytest.approx(0.4, abs=0.01)
    # another liner from q: the box changes ship, two voyages, two independent draws
    other = {**LINER, **LATE, "id": "other", "name": "Other"}
    shift = {"at": "q", "from_layer": "sea", "to_layer": "sea", "two_way": "true", "cost_usd": 0,
             "time_h_min": 6, "time_h_typ": 12, "time_h_max": 24}  # fmt: skip
    two = _net(LATE, second=other, transfers=[shift]).plan("p", "r")
    assert voyages(two.legs) == [(0, 0), (1, 1)]
    with_late = two.distribution(n=N, seed=5)
    plain = {**other, "on_time_share": None, "late_delay_days_mean": None, "late_source": None}
    without = _net(None, second=plain, transfers=[shift]).plan("p", "r").distribution(n=N, seed=5)
    assert ((with_late - without) > 1e-9).mean() == pytest.approx(1 - 0.6**2, abs=0.01)


def test_a_route_without_liner_legs_is_unchanged() -> None:
    rail = [link("pq", "p", "q", km=800), link("qr", "q", "r", km=800)]
    sea = link("pr", "p", "r", mode="sea", km=9000, service="liner")
    liner = {**LINER, **LATE}
    net = build(PORTS, [*rail, sea], services=[liner], dwells=[CALL])
    plain = build(PORTS, [*rail, sea], services=[LINER], dwells=[CALL])
    route = net.plan("p", "r", only_modes="rail")
    assert voyages(route.legs) == []
    assert np.array_equal(
        route.distribution(n=10_000, seed=1), plain.plan("p", "r", only_modes="rail").distribution(n=10_000, seed=1)
    )
    # a service without the columns (a feeder, a Caspian ferry) draws no late arrival either
    feeder = _net().plan("p", "r")
    assert voyages(feeder.legs) == []


def test_a_late_vessel_arrives_late_on_a_dated_route() -> None:
    depart = datetime(2025, 3, 3, tzinfo=timezone.utc)  # a Monday: the daily liner leaves at once
    always = {**LATE, "on_time_share": 0.0, "late_delay_days_mean": ON_TIME_WINDOW_DAYS}  # every voyage 1 day late
    never = {**LATE, "on_time_share": 1.0}
    late = _net(always).plan("p", "r", depart=depart)
    on_time = _net(never).plan("p", "r", depart=depart)
    assert late.arrival == on_time.arrival  # the dated plan keeps the schedule
    assert late.distribution(n=10_000, seed=2) - on_time.distribution(n=10_000, seed=2) == pytest.approx(
        np.full(10_000, 1.0)
    )


def test_a_late_vessel_can_miss_its_connection() -> None:
    # p -> q by the liner, 140 h; then a transshipment (6-24 h) onto a weekly feeder leaving Mondays 00:00 UTC
    # (168 h after the Monday departure): on time the box makes it, a day late it waits a week
    feeder = {"id": "feeder", "mode": "sea", "name": "Feeder", "frequency_per_week": 1}
    shift = {"at": "q", "from_layer": "sea", "to_layer": "sea", "two_way": "true", "cost_usd": 0,
             "time_h_min": 6, "time_h_typ": 12, "time_h_max": 24}  # fmt: skip

    def net(late: dict[str, Any]) -> cp.Network:
        legs = [link("pq", "p", "q", mode="sea", km=3500, service="liner"),
                link("qr", "q", "r", mode="sea", km=250, service="feeder")]  # fmt: skip
        return build(PORTS, legs, services=[{**LINER, **late}, feeder], transfers=[shift])

    depart = datetime(2025, 3, 3, tzinfo=timezone.utc)
    always = {**LATE, "on_time_share": 0.0, "late_delay_days_mean": ON_TIME_WINDOW_DAYS}
    late = net(always).plan("p", "r", depart=depart).distribution(n=10_000, seed=2)
    on_time = net({**LATE, "on_time_share": 1.0}).plan("p", "r", depart=depart).distribution(n=10_000, seed=2)
    assert late - on_time == pytest.approx(np.full(10_000, 7.0))  # a day late, a week later


def test_seeds_reproduce() -> None:
    route = _net(LATE).plan("p", "r")
    assert np.array_equal(route.distribution(n=1000, seed=3), route.distribution(n=1000, seed=3))
    assert not np.array_equal(route.distribution(n=1000, seed=3), route.distribution(n=1000, seed=4))


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"on_time_share": 1.5}, "on_time_share"),
        ({"on_time_share": -0.1}, "on_time_share"),
        ({"on_time_share": math.nan}, "on_time_share"),
        ({"on_time_share": "often"}, "on_time_share"),
        ({"late_delay_days_mean": 0.5}, "late_delay_days_mean"),  # late means over a day late
        ({"late_delay_days_mean": math.inf}, "late_delay_days_mean"),
        ({"late_delay_days_mean": 1e9}, "late_delay_days_mean"),
        ({"late_delay_days_mean": None}, "late_delay_days_mean"),  # one without the other
        ({"on_time_share": ""}, "on_time_share"),
    ],
)
def test_bad_late_arrival_values_are_problems(row: dict[str, Any], field: str) -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        _net({**LATE, **row})
    assert ("services.csv", "liner", field) in {(p.file, p.record, p.field) for p in err.value.problems}


def test_late_arrivals_need_a_source_when_sources_are_checked() -> None:
    source = {"id": "A-TEST", "kind": "assumption", "title": "Test"}
    with pytest.raises(cp.NetworkValidationError) as err:
        _net({**LATE, "late_source": None}, sources=[source])
    assert ("services.csv", "liner", "late_source") in {(p.file, p.record, p.field) for p in err.value.problems}
    with pytest.raises(cp.NetworkValidationError) as err:
        _net({**LATE, "late_source": "S-NOWHERE"}, sources=[source])
    assert ("services.csv", "liner", "late_source") in {(p.file, p.record, p.field) for p in err.value.problems}


def test_shipped_liner_loops_have_sourced_late_arrivals_and_ferries_none() -> None:
    dataset = cp.load_network().dataset
    late = {s.id for s in dataset.services.values() if s.late_arrival is not None}
    assert {"asia_europe_mainline", "black_sea_north_europe", "gulf_india_loop"} <= late
    assert not any(sid.startswith("caspian_") or sid.endswith("_feeder") for sid in late)
    for sid in late:
        service = dataset.services[sid]
        assert service.late_source and 0 < service.on_time_share < 1  # type: ignore[operator]
        assert service.late_delay_days_mean > ON_TIME_WINDOW_DAYS  # type: ignore[operator]


def test_a_liner_voyage_is_wider_than_its_schedule() -> None:
    net = cp.load_network()
    voyage = net.plan("Shanghai", "Rotterdam", only_modes="sea", as_of=2025).from_departure().to_arrival()
    p = voyage.percentiles()
    # about half the voyages are late, ~5 days on average: the p90 is several days past the median
    assert p.p90 - p.p50 > 4 and p.p50 > voyage.transit_days
