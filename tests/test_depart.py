"""Dated plans: ``plan(depart=...)`` waits for the next departure of a timetable; ``arrival`` and its percentiles."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinynet import MODES, build, hub, link, triple

import corridor_planner as cp
from corridor_planner.model.records import Service
from corridor_planner.model.timetable import Timetable

UTC = timezone.utc


def _ferry(**service: Any) -> cp.Network:
    """Two ports joined by a 250 km ferry (10 h at 25 km/h), nothing else: the wait is the only stop."""
    hubs = [hub("p", kind="port", lon=50), hub("q", "AZ", kind="port", lon=51)]
    row = {"id": "ferry", "mode": "sea", "name": "Ferry", "frequency_per_week": 1, **service}
    return build(hubs, [link("pq", "p", "q", mode="sea", km=250, service="ferry")], services=[row])


def _wait_h(route: cp.Route) -> float:
    return sum(s.time_h for s in route.stops if s.component == "waiting")


# ---------------------------------------------------------------------------- the acceptance test
def test_weekly_tuesday_ferry_departing_wednesday_waits_six_days() -> None:
    net = _ferry(weekdays="Tue", departure_hour=10)
    wednesday = datetime(2026, 3, 4, 10, 0)  # a Wednesday, 10:00 UTC
    route = net.plan("p", "q", depart=wednesday)
    assert _wait_h(route) == pytest.approx(6 * 24)
    assert route.legs[0].departs == datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # the next Tuesday
    assert route.arrival == datetime(2026, 3, 10, 20, 0, tzinfo=UTC)  # 10 h crossing


def test_departing_on_the_day_before_the_hour_waits_only_until_the_hour() -> None:
    net = _ferry(weekdays="Tue", departure_hour=10)
    route = net.plan("p", "q", depart="2026-03-03T07:00")  # Tuesday 07:00 UTC
    assert _wait_h(route) == pytest.approx(3)
    assert net.plan("p", "q", depart="2026-03-03T10:00").legs[0].stops_before[0].time_h == 0  # on time: no wait
    assert _wait_h(net.plan("p", "q", depart="2026-03-03T10:01")) == pytest.approx(7 * 24 - 1 / 60)  # just missed


def test_a_headway_service_departs_from_monday_midnight_utc() -> None:
    net = _ferry(frequency_per_week=2)  # every 84 h: Mon 00:00, Thu 12:00
    assert _wait_h(net.plan("p", "q", depart="2026-03-02")) == 0  # a Monday
    assert _wait_h(net.plan("p", "q", depart="2026-03-03")) == pytest.approx(60)  # Tue 00:00 -> Thu 12:00
    assert _wait_h(net.plan("p", "q")) == pytest.approx(42)  # undated: half the headway


def test_an_offset_is_converted_to_utc() -> None:
    net = _ferry(weekdays="Tue", departure_hour=10)
    route = net.plan("p", "q", depart="2026-03-03T12:00+03:00")  # 09:00 UTC
    assert route.departs == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert _wait_h(route) == pytest.approx(1)


# ---------------------------------------------------------------------------- dated legs
def _three_legs() -> cp.Network:
    hubs = [
        hub("a", lon=48),
        hub("p", kind="port", lon=50),
        hub("q", "AZ", kind="port", lon=51),
        hub("z", "AZ", lon=52),
    ]
    links = [link("ap", "a", "p"), link("pq", "p", "q", mode="sea", km=250, service="ferry"), link("qz", "q", "z")]
    tables = {
        "services": [{"id": "ferry", "mode": "sea", "name": "Ferry", "frequency_per_week": 2, "weekdays": "Tue;Fri",
                      "departure_hour": 18}],
        "dwells": [{"at": "kind:port", "event": "port_dwell", "cost_usd": 0, **triple(12)},
                   {"at": "*", "event": "train_departure", "cost_usd": 0, "time_h_min": 0, "time_h_typ": 12,
                    "time_h_max": 24}],
        "transfers": [
            {"at": "kind:port", "from_layer": "rail", "to_layer": "sea", "two_way": True, "cost_usd": 100, **triple(3)}
        ],
    }  # fmt: skip
    return build(hubs, links, **tables)


THREE_LEGS = _three_legs()


def test_dated_legs_are_monotone_and_sum_to_the_route_time() -> None:
    net = _three_legs()
    route = net.plan("a", "z", depart="2026-03-01T15:00")  # a Sunday
    moments = [route.departs]
    for leg in route.legs:
        assert leg.departs is not None and leg.arrives is not None
        moments += [leg.departs, leg.arrives]
    assert route.arrival is not None and route.departs is not None
    moments.append(route.arrival)
    assert moments == sorted(moments)
    assert route.arrival - route.departs == pytest.approx(timedelta(hours=route.time_h), abs=timedelta(seconds=1))
    for leg in route.legs:  # each leg's time: its stops before, its running, its stops after
        assert leg.arrives - leg.departs == pytest.approx(
            timedelta(hours=leg.time_h - leg.dwell_h), abs=timedelta(seconds=1)
        )
    # the train leaves every 24 h from Monday 00:00: 9 h wait; the ferry sails Tue and Fri 18:00
    first = route.legs[0].stops_before[0]
    assert (first.component, first.time_h) == ("waiting", pytest.approx(9))
    assert route.legs[1].departs == datetime(2026, 3, 3, 18, 0, tzinfo=UTC)


def test_only_the_waits_change_and_the_path_is_the_typical_one() -> None:
    net = _three_legs()
    typical = net.plan("a", "z")
    dated = net.plan("a", "z", depart="2026-03-01T15:00")
    assert dated.link_ids == typical.link_ids
    assert dated.typical == typical
    changed = [(a.component, b.component) for a, b in zip(typical.stops, dated.stops, strict=True) if a != b]
    assert changed and all(c == ("waiting", "waiting") for c in changed)
    assert dated.cost_usd == typical.cost_usd and dated.distance_km == typical.distance_km
    assert dated.departing("2026-03-04").departs == dated.typical.departing("2026-03-04").departs  # re-dating


def test_without_depart_nothing_changes(net: cp.Network) -> None:
    route = net.plan("Beijing", "Baku", as_of=2025)
    again = net.plan("Beijing", "Baku", as_of=2025, depart=None)
    assert route == again and route.time_h == again.time_h
    assert route.departs is None and route.arrival is None and route.typical is None
    assert all(leg.departs is None and leg.arrives is None for leg in route.legs)
    assert "departs" not in route.to_dict() and "departs" not in route.to_dataframe().columns
    assert "depart" not in route.query
    with pytest.raises(cp.InvalidQueryError, match="dated route"):
        route.arrival_percentiles()


def test_the_shipped_network_dated(net: cp.Network) -> None:
    typical = net.plan("Beijing", "Baku", as_of=2025)
    route = net.plan("Beijing", "Baku", as_of=2025, depart="2026-03-01")
    assert route.link_ids == typical.link_ids
    assert route.arrival - route.departs == pytest.approx(timedelta(hours=route.time_h), abs=timedelta(seconds=1))
    # every wait is at most its service's headway
    assert all(s.time_h <= s.time_h_max + 1e-9 for s in route.stops)
    d = route.to_dict()
    assert d["departs"] == "2026-03-01T00:00:00+00:00" and d["arrival"].startswith("2026-03-")
    assert d["legs"][0]["departs"] and d["query"]["depart"] == "2026-03-01T00:00:00+00:00"
    assert {"departs", "arrives"} <= set(route.to_dataframe().columns)
    assert "arrives 2026-03-" in route.summary()


def test_alternatives_and_pareto_are_dated(net: cp.Network) -> None:
    routes = net.alternatives("Beijing", "Baku", k=2, as_of=2025, depart="2026-03-01")
    assert routes and all(r.departs == datetime(2026, 3, 1, tzinfo=UTC) for r in routes)
    front = net.pareto("Almaty", "Tashkent", criteria=("time", "cost"), as_of=2025, depart=date(2026, 3, 1))
    assert all(r.arrival is not None for r in front)


# ---------------------------------------------------------------------------- the ETA distribution
def test_arrival_percentiles_are_ordered_datetimes(net: cp.Network) -> None:
    route = net.plan("Beijing", "Baku", as_of=2025, depart="2026-03-01")
    eta = route.arrival_percentiles(n=20_000, seed=1)
    assert list(eta) == ["p10", "p50", "p90"]
    assert route.departs < eta["p10"] <= eta["p50"] <= eta["p90"]
    p = route.percentiles(n=20_000, seed=1)
    assert eta["p50"] - route.departs == pytest.approx(timedelta(days=p.p50), abs=timedelta(seconds=1))


def test_a_known_wait_has_no_spread() -> None:
    route = _ferry(weekdays="Tue", departure_hour=10).plan("p", "q", depart="2026-03-04T10:00")
    eta = route.arrival_percentiles(n=1000)
    assert eta["p10"] == eta["p90"] == pytest.approx(route.arrival, abs=timedelta(seconds=1))


# ---------------------------------------------------------------------------- checking depart
@pytest.mark.parametrize(
    "bad",
    ["2026-13-01", "next tuesday", "", "1900-01-01", "2500-01-01", 20260301, 1.5, True, ["2026-03-01"], "9" * 100],
)
def test_bad_depart_values_raise_invalid_query_error(bad: Any) -> None:
    net = _ferry(weekdays="Tue")
    with pytest.raises(cp.InvalidQueryError, match="depart"):
        net.plan("p", "q", depart=bad)
    with pytest.raises(cp.InvalidQueryError, match="depart"):
        net.query("p", "q", depart=bad)


def test_depart_accepts_dates_and_datetimes_and_does_not_change_them() -> None:
    net = _ferry(weekdays="Tue")
    moscow = timezone(timedelta(hours=3))
    given = datetime(2026, 3, 3, 2, 0, tzinfo=moscow)
    kept = (given.isoformat(), given.tzinfo)
    route = net.plan("p", "q", depart=given)
    assert (given.isoformat(), given.tzinfo) == kept
    assert route.departs == datetime(2026, 3, 2, 23, 0, tzinfo=UTC) and route.departs.tzinfo is UTC
    assert net.plan("p", "q", depart=date(2026, 3, 3)).departs == datetime(2026, 3, 3, tzinfo=UTC)
    assert net.plan("p", "q", depart=datetime(2026, 3, 3, 6)).departs == datetime(2026, 3, 3, 6, tzinfo=UTC)
    assert net.plan("p", "q", depart="2026-03-03T06:00Z").departs == datetime(2026, 3, 3, 6, tzinfo=UTC)


# ---------------------------------------------------------------------------- timetables as data
def test_timetable_waits() -> None:
    weekly = Timetable.weekly(("Tue", "Fri"), 18)
    assert weekly.wait_h(datetime(2026, 3, 3, 18, tzinfo=UTC)) == 0
    assert weekly.wait_h(datetime(2026, 3, 3, 19, tzinfo=UTC)) == pytest.approx(71)  # to Friday 18:00
    assert weekly.wait_h(datetime(2026, 3, 7, 18, tzinfo=UTC)) == pytest.approx(72)  # Saturday -> Tuesday
    assert "Tue 18:00 UTC" in weekly.describe()
    daily = Timetable.headway(24.0)
    assert daily.wait_h(datetime(2026, 3, 3, 23, tzinfo=UTC)) == pytest.approx(1)


def test_the_shipped_services_validate_and_have_timetables(net: cp.Network) -> None:
    for service in net.dataset.services.values():
        table = service.timetable
        assert table.period_h * len(table.offsets_h) == pytest.approx(168 / service.frequency_per_week * (
            len(table.offsets_h) if not service.weekdays else service.frequency_per_week))  # fmt: skip


@pytest.mark.parametrize(
    ("row", "fld", "reason"),
    [
        ({"weekdays": "Tues"}, "weekdays", "not a weekday"),
        ({"weekdays": "Tue;Fri"}, "weekdays", "frequency_per_week is 1"),
        ({"weekdays": "Tue;Tue", "frequency_per_week": 2}, "weekdays", "more than once"),
        ({"weekdays": "Tue", "departure_hour": 24}, "departure_hour", "between 0 and 23"),
        ({"departure_hour": "noon"}, "departure_hour", ""),
        ({"departure_hour": 9.5}, "departure_hour", "whole"),
    ],
)
def test_bad_timetables_are_validation_errors_naming_file_record_field(
    row: dict[str, Any], fld: str, reason: str
) -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        _ferry(**row)
    problems = [p for p in err.value.problems if p.field == fld]
    assert problems, err.value.problems
    assert problems[0].file.endswith("services.csv") and problems[0].record == "ferry"
    assert reason in problems[0].reason


def test_a_scenario_changing_the_frequency_falls_back_to_a_headway() -> None:
    service = Service("s", cp.Mode.SEA, "S", 1, weekdays=("Tue",), departure_hour=10)
    assert service.timetable.sourced
    doubled = replace(service, frequency_per_week=2)
    assert not doubled.timetable.sourced and doubled.timetable.period_h == 84


# ---------------------------------------------------------------------------- the command line
def test_cli_route_with_depart_shows_dated_legs(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    from corridor_planner.cli import main

    assert main(["route", "Beijing", "Baku", "--as-of", "2025", "--depart", "2026-03-01"]) == 0
    out = capsys.readouterr().out
    route = net.plan("Beijing", "Baku", as_of=2025, depart="2026-03-01")
    assert "departs (UTC)" in out and "arrives (UTC)" in out
    assert f"arrives {route.arrival:%Y-%m-%d %H:%M} UTC" in out and "p90" in out
    assert main(["route", "Beijing", "Baku", "--as-of", "2025", "--depart", "2026-03-01", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["departs"] == "2026-03-01T00:00:00+00:00"
    assert main(["alternatives", "Beijing", "Baku", "-k", "2", "--depart", "2026-03-01"]) == 0
    assert "arrives (UTC)" in capsys.readouterr().out


def test_cli_without_depart_shows_no_dates(capsys: pytest.CaptureFixture[str]) -> None:
    from corridor_planner.cli import main

    assert main(["route", "Beijing", "Baku", "--as-of", "2025"]) == 0
    assert "departs" not in capsys.readouterr().out


def test_cli_bad_depart_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    from corridor_planner.cli import main

    assert main(["route", "Beijing", "Baku", "--depart", "2026-02-30"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "depart=" in err and "Traceback" not in err


# ---------------------------------------------------------------------------- the ETA follows the timetable
def _dwell_then_ferry() -> cp.Network:
    """A port dwell of 6-24 h (typical 12) before a weekly ferry on Tuesdays at 10:00 UTC, 10 h crossing."""
    hubs = [hub("p", kind="port", lon=50), hub("q", "AZ", kind="port", lon=51)]
    service = {"id": "ferry", "mode": "sea", "name": "Ferry", "frequency_per_week": 1, "weekdays": "Tue",
               "departure_hour": 10}  # fmt: skip
    dwell = {"at": "p", "event": "port_dwell", "cost_usd": 0, "time_h_min": 6, "time_h_typ": 12, "time_h_max": 24}
    links = [link("pq", "p", "q", mode="sea", km=250, service="ferry")]
    return build(hubs, links, services=[service], dwells=[dwell])


def test_every_sampled_arrival_catches_a_sailing() -> None:
    net = _dwell_then_ferry()
    early = net.plan("p", "q", depart="2026-03-02")  # Monday 00:00: the dwell ends by Tuesday 00:00 at the latest
    eta = early.arrival_percentiles(n=5000)
    assert eta["p10"] == eta["p90"] == pytest.approx(early.arrival, abs=timedelta(seconds=1))
    late = net.plan("p", "q", depart="2026-03-03")  # Tuesday 00:00: a dwell over 10 h misses the sailing
    hours = late.distribution(n=5000) * 24
    assert late.arrival == datetime(2026, 3, 3, 20, tzinfo=UTC) + timedelta(days=7)  # the typical 12 h misses it
    caught = (hours - 20) < 1e-6
    missed = np.abs(hours - 20 - 168) < 1e-6
    assert np.all(caught | missed) and caught.any() and missed.any()


def test_a_dated_route_without_timetabled_waits_draws_as_the_undated_one() -> None:
    modes = [{**m, "speed_kmh_min": 40, "speed_kmh_max": 60, "range_source": "x"} if m["mode"] == "rail" else m
             for m in MODES]  # fmt: skip
    hubs = [hub("a"), hub("b", "UZ", lon=1)]
    border = {"id": "ab", "name": "A-B", "mode": "rail", "hubs": "a|b", "cost_usd": 0, **triple(10)}
    net = build(hubs, [link("ab", "a", "b", km=500, border_crossing="ab")], borders=[border], modes=modes)
    route = net.plan("a", "b")
    dated = route.departing("2026-03-01")
    assert np.array_equal(route.distribution(n=2000, seed=4), dated.distribution(n=2000, seed=4))


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)))
def test_any_departure_boards_on_a_departure_and_adds_up(moment: datetime) -> None:
    route = THREE_LEGS.plan("a", "z", depart=moment)
    assert route.departs == moment.replace(tzinfo=UTC)
    previous = route.departs
    for leg in route.legs:
        assert leg.departs is not None and leg.arrives is not None
        assert previous <= leg.departs <= leg.arrives
        previous = leg.arrives
        waits = [s for s in leg.stops_before if s.component == "waiting" and s.timetable is not None]
        for stop in waits:
            assert stop.timetable is not None
            assert 0 <= stop.time_h < stop.timetable.period_h
        if waits and leg.stops_before[-1] in waits:  # boarding right after the wait: on a departure
            timetable = leg.stops_before[-1].timetable
            assert timetable is not None and timetable.wait_h(leg.departs) == 0
    assert route.arrival is not None
    assert route.arrival - route.departs == pytest.approx(timedelta(hours=route.time_h), abs=timedelta(seconds=1))
