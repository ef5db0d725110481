"""Seasonal factors (``data/seasons.csv``): dated extra waits to board, in dated plans and their Monte Carlo."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinynet import build, hub, link

import corridor_planner as cp
from corridor_planner.io.folder import read_dataset, write_geojson
from corridor_planner.model import HoursRange
from corridor_planner.model.dataset import default_data_dir
from corridor_planner.model.seasons import Season, parse_day
from corridor_planner.model.timetable import EPOCH, hours_since_epoch

UTC = timezone.utc
DATA = default_data_dir()


def _shipped_rows() -> dict[str, dict[str, str]]:
    with (DATA / "seasons.csv").open(newline="", encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


SHIPPED = _shipped_rows()


def _caspian(**season: Any) -> cp.Network:
    """The four Caspian ports of the shipped storm row; a weekly Aktau - Alat ferry (Tue 10:00 UTC), 500 km."""
    hubs = [
        hub("aktau", kind="port", lon=51),
        hub("kuryk", kind="port", lon=51.5, lat=-0.5),
        hub("alat", "AZ", kind="port", lon=49.4),
        hub("turkmenbashi", "TM", kind="port", lon=53, lat=-1),
    ]
    service = {"id": "ferry", "mode": "sea", "name": "Ferry", "frequency_per_week": 1, "weekdays": "Tue",
               "departure_hour": 10}  # fmt: skip
    tables: dict[str, Any] = {"services": [service]}
    if season:
        tables["seasons"] = [season]
    return build(hubs, [link("aktau_alat", "aktau", "alat", mode="sea", km=500, service="ferry")], **tables)


def _wait_h(route: cp.Route) -> float:
    return sum(s.time_h for s in route.stops if s.component == "waiting")


STORM = SHIPPED["caspian_winter_storms"]
STORM_H = float(STORM["chance"]) * float(STORM["time_h_typ"])


# ---------------------------------------------------------------------------- Caspian winter storms
def test_a_winter_crossing_waits_longer_than_a_summer_one_by_the_sourced_amount() -> None:
    net = _caspian(**STORM)
    winter = net.plan("aktau", "alat", depart="2026-01-13T10:00")  # a Tuesday at the sailing hour
    summer = net.plan("aktau", "alat", depart="2026-07-14T10:00")  # a Tuesday at the sailing hour
    assert _wait_h(summer) == 0 and summer.seasonal == ()
    assert _wait_h(winter) == pytest.approx(STORM_H)
    assert pytest.approx(3.6) == STORM_H  # 0.1 x 36 h (A-SEASON-CASPIAN-WINTER)
    assert winter.seasonal == (("aktau", "caspian_winter_storms", pytest.approx(STORM_H)),)
    assert winter.time_h - summer.time_h == pytest.approx(STORM_H)
    assert winter.arrival == datetime(2026, 1, 13, 10, tzinfo=UTC) + timedelta(hours=winter.time_h)
    assert "caspian_winter_storms" in winter.stops[0].note
    assert winter.to_dict()["seasonal"] == [
        {"hub": "aktau", "season": "caspian_winter_storms", "extra_h": pytest.approx(STORM_H)}
    ]
    assert "seasonal" not in summer.to_dict()


def test_the_winter_window_wraps_the_new_year_and_ends_with_february() -> None:
    net = _caspian(**STORM)
    for day, hit in [("2025-11-30", False), ("2025-12-01", True), ("2025-12-31", True), ("2026-01-01", True),
                     ("2026-02-28", True), ("2026-03-01", False), ("2028-02-29", True)]:  # fmt: skip
        route = net.plan("aktau", "alat", depart=day)
        assert bool(route.seasonal) is hit, day


def test_the_monte_carlo_draws_the_storm_in_winter_only() -> None:
    net = _caspian(**STORM)
    winter = net.plan("aktau", "alat", depart="2026-01-13T10:00").distribution(20_000)
    summer = net.plan("aktau", "alat", depart="2026-07-14T10:00").distribution(20_000)
    late = winter - summer
    assert (late >= -1e-9).all()
    share = float(np.mean(late > 1e-9))
    assert share == pytest.approx(float(STORM["chance"]), abs=0.01)
    hit = late[late > 1e-9] * 24
    assert hit.max() <= float(STORM["time_h_max"]) + 1e-6
    assert hit.mean() == pytest.approx((0 + 36 + 120) / 3, rel=0.05)  # triangular mean


def test_a_delay_that_reaches_the_window_meets_the_storm() -> None:
    """The window is checked at the sampled arrival at the port, not at the departure from the origin."""
    hubs = [hub("a", lon=49), hub("aktau", kind="port", lon=51), hub("alat", "AZ", kind="port", lon=49.4)]
    links = [link("a_aktau", "a", "aktau", km=1200),
             link("aktau_alat", "aktau", "alat", mode="sea", km=500, service="ferry")]  # fmt: skip
    season = {**STORM, "at": "aktau"}
    service = {"id": "ferry", "mode": "sea", "name": "Ferry", "frequency_per_week": 7}
    transfer = {"at": "kind:port", "from_layer": "rail", "to_layer": "sea", "two_way": True, "cost_usd": 0,
                "time_h_min": 1, "time_h_typ": 3, "time_h_max": 6}  # fmt: skip
    net = build(hubs, links, services=[service], seasons=[season], transfers=[transfer])
    route = net.plan("a", "aktau", depart="2026-11-30T00:00")  # 24 h by rail: reaches Aktau on 1 December
    assert route.seasonal == ()  # not boarding a ship at Aktau
    route = net.plan("a", "alat", depart="2026-11-30T00:00")
    assert [s for _, s, _ in route.seasonal] == ["caspian_winter_storms"]
    assert net.plan("a", "alat", depart="2026-11-29T00:00").seasonal == ()  # reaches Aktau on 30 November


# ---------------------------------------------------------------------------- Chinese New Year
def _china(**season: Any) -> cp.Network:
    hubs = [hub("shanghai", "CN", kind="port", lon=121), hub("busan", "KR", kind="port", lon=129),
            hub("xian", "CN", kind="dry_port", lon=109), hub("urumqi", "CN", lon=87)]  # fmt: skip
    links = [link("sha_bus", "shanghai", "busan", mode="sea", km=900, service="loop"),
             link("xian_urumqi", "xian", "urumqi", km=2500, gauge_mm=1435)]  # fmt: skip
    tables: dict[str, Any] = {
        "services": [{"id": "loop", "mode": "sea", "name": "Loop", "frequency_per_week": 3}],
        "dwells": [
            {"at": "*", "event": "train_departure", "time_h_min": 0, "time_h_typ": 12, "time_h_max": 24, "cost_usd": 0}
        ],
    }
    if season:
        tables["seasons"] = [season]
    return build(hubs, links, **tables)


CNY = SHIPPED["cny_2026"]
CNY_H = float(CNY["chance"]) * float(CNY["time_h_typ"])


def test_a_sailing_in_chinese_new_year_week_is_delayed() -> None:
    net = _china(**CNY)
    plain = _china()
    holiday, march = "2026-02-18T00:00", "2026-03-10T00:00"
    assert _wait_h(net.plan("shanghai", "busan", depart=holiday)) == pytest.approx(
        _wait_h(plain.plan("shanghai", "busan", depart=holiday)) + CNY_H
    )
    assert pytest.approx(0.21 * 56) == CNY_H
    assert net.plan("shanghai", "busan", depart=march).time_h == plain.plan("shanghai", "busan", depart=march).time_h
    # the trains keep running through the holiday (S-RAILFREIGHT-CNY-2022): the row names sea only
    assert net.plan("xian", "urumqi", depart=holiday).seasonal == ()


def test_the_shipped_new_year_windows_hold_the_sourced_new_year_dates() -> None:
    quote = read_dataset(DATA).sources["S-CNY-DATES"].quote  # type: ignore[index]
    months = {m: i for i, m in enumerate(["Jan", "Feb"], start=1)}
    new_years = {int(y): date(int(y), months[m], int(d)) for d, m, y in re.findall(r"(\d\d)-(\w{3})-(\d{4})", quote)}
    assert sorted(new_years) == list(range(2024, 2033))
    for year, new_year in new_years.items():
        row = SHIPPED[f"cny_{year}"]
        start, end = date.fromisoformat(row["start"]), date.fromisoformat(row["end"])
        assert start <= new_year and new_year + timedelta(days=6) <= end, year
        assert (end - start).days <= 16, year  # the holiday (8-9 days) and the week after it


# ---------------------------------------------------------------------------- switching them off
@pytest.mark.parametrize("depart", ["2026-01-13T10:00", "2026-02-03T12:00", "2026-07-01"])
def test_seasons_false_matches_a_network_without_seasons(depart: str) -> None:
    net, plain = _caspian(**STORM), _caspian()
    off = net.plan("aktau", "alat", depart=depart, seasons=False)
    old = plain.plan("aktau", "alat", depart=depart)
    assert off == old and off.time_h == old.time_h and off.seasonal == ()
    assert np.array_equal(off.distribution(5_000), old.distribution(5_000))
    assert off.query["seasons"] is False
    assert net.plan("aktau", "alat") == plain.plan("aktau", "alat")  # undated: never a season
    assert net.plan("aktau", "alat").time_h == plain.plan("aktau", "alat").time_h


def test_seasons_change_only_the_waits_they_hit_and_keep_the_other_draws() -> None:
    net = _caspian(**STORM)
    on = net.plan("aktau", "alat", depart="2026-01-13T10:00")
    off = on.departing("2026-01-13T10:00", seasons=False)
    assert on.link_ids == off.link_ids and on.cost_usd == off.cost_usd
    assert on.departing("2026-07-14T10:00").seasonal == ()  # re-dating uses the typical route's seasons
    late = on.distribution(5_000) - off.distribution(5_000)
    assert np.all((late == 0) | (late > 0))


def test_seasons_must_be_a_bool() -> None:
    net = _caspian(**STORM)
    with pytest.raises(cp.InvalidQueryError, match="seasons must be True or False"):
        net.plan("aktau", "alat", depart="2026-01-13", seasons="no")  # type: ignore[typeddict-item]
    with pytest.raises(cp.InvalidQueryError, match="seasons must be True or False"):
        net.plan("aktau", "alat", depart="2026-01-13").departing("2026-01-13", seasons=1)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- bad data
@pytest.mark.parametrize(
    ("change", "fld", "reason"),
    [
        ({"start": "2026-13-01"}, "start", "not a date"),
        ({"end": "Feb 30"}, "end", "not a date"),
        ({"start": "2026-03-01", "end": "2026-02-01"}, "end", "before start"),
        ({"start": "12-01", "end": "2026-02-01"}, "end", "both be dates"),
        ({"time_h_typ": "nan"}, "time_h_typ", ""),
        ({"chance": "nan"}, "chance", ""),
        ({"chance": "1.5"}, "chance", ""),
        ({"at": "aktau;baku_old"}, "at", "hub 'baku_old' does not exist"),
        ({"at": "kind:harbour"}, "at", "not a hub kind"),
        ({"at": "country:CN"}, "at", "no hub lies in country 'CN'"),
        ({"modes": "ship"}, "modes", "not a mode"),
        ({"at": ""}, "at", "missing"),
    ],
)
def test_bad_seasons_data_names_file_record_and_field(change: dict[str, str], fld: str, reason: str) -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        _caspian(**{**STORM, **change})
    problems = [p for p in err.value.problems if p.file.endswith("seasons.csv")]
    assert problems, err.value
    assert problems[0].record == "caspian_winter_storms" and problems[0].field == fld
    assert reason in problems[0].reason
    assert f"seasons.csv: caspian_winter_storms: {fld}" in str(err.value)


def test_a_bad_seasons_file_names_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    write_geojson(read_dataset(DATA), folder)
    text = (folder / "seasons.csv").read_text(encoding="utf-8").replace("12-01", "12/01", 1)
    (folder / "seasons.csv").write_text(text, encoding="utf-8")
    with pytest.raises(cp.NetworkValidationError, match=r"seasons.csv: caspian_winter_storms: start: '12/01'"):
        read_dataset(folder)


def test_a_season_row_needs_a_known_source(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    write_geojson(read_dataset(DATA), folder)
    text = (folder / "seasons.csv").read_text(encoding="utf-8").replace("S-ASCO-STORM-2025", "S-NOWHERE", 1)
    (folder / "seasons.csv").write_text(text, encoding="utf-8")
    with pytest.raises(cp.NetworkValidationError, match=r"seasons.csv: caspian_winter_storms: source: .*S-NOWHERE"):
        read_dataset(folder)


# ---------------------------------------------------------------------------- the table travels
def test_seasons_round_trip_through_a_folder(tmp_path: Path) -> None:
    shipped = read_dataset(DATA)
    assert {s.id for s in shipped.seasons} == set(SHIPPED)
    back = read_dataset(write_geojson(shipped, tmp_path / "out"))
    assert back.seasons == shipped.seasons
    from corridor_planner.io.geopackage import read_geopackage, write_geopackage

    assert read_geopackage(write_geopackage(shipped, tmp_path / "net.gpkg")).seasons == shipped.seasons


def test_extend_adds_seasons_and_checks_their_hubs() -> None:
    net = _caspian()
    more = net.extend(tables={"seasons": [STORM]})
    assert more.plan("aktau", "alat", depart="2026-01-13T10:00").seasonal
    with pytest.raises(cp.NetworkValidationError, match=r"seasons\.csv: caspian_winter_storms: at: hub 'nowhere'"):
        net.extend(tables={"seasons": [{**STORM, "at": "nowhere"}]})
    with pytest.raises(cp.NetworkValidationError, match=r"already in seasons\.csv"):
        more.extend(tables={"seasons": [STORM]})


# ---------------------------------------------------------------------------- windows
def test_parse_day() -> None:
    assert parse_day("2026-02-15") == date(2026, 2, 15)
    assert parse_day("02-29") == (2, 29)
    for bad in ("2026-02-30", "13-01", "2-1", "2026/02/01", ""):
        with pytest.raises(ValueError):
            parse_day(bad)


WINDOWS = [((12, 1), (2, 29)), ((2, 1), (2, 28)), ((3, 15), (3, 15)), (date(2026, 2, 15), date(2026, 3, 2))]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(WINDOWS) - 1), st.floats(0, 24 * 365 * 80, allow_nan=False))
def test_the_vectorised_window_agrees_with_the_scalar_one(which: int, hours: float) -> None:
    start, end = WINDOWS[which]
    season = Season("s", "S", ("*",), start, end, HoursRange(0, 1, 2))
    moments = hours + np.array([0.0, 23.99, 24 * 30, 24 * 182])
    vector = season.active_hours(moments)
    scalar = [season.active(EPOCH + timedelta(hours=float(h))) for h in moments]
    assert vector.tolist() == scalar
    assert hours_since_epoch(EPOCH + timedelta(hours=hours)) == pytest.approx(hours, abs=1e-6)


# ---------------------------------------------------------------------------- the shipped network and the CLI
def test_the_shipped_network_applies_its_seasons_to_dated_plans_only(net: cp.Network) -> None:
    options: dict[str, Any] = {"only_modes": ["rail", "sea"], "within": ["CN", "KZ", "AZ"], "as_of": 2025}
    winter = net.plan("Beijing", "Baku", depart="2026-01-10", **options)
    assert [(h, s) for h, s, _ in winter.seasonal] == [("aktau", "caspian_winter_storms")]
    off = net.plan("Beijing", "Baku", depart="2026-01-10", seasons=False, **options)
    assert winter.time_h - off.time_h == pytest.approx(STORM_H)
    assert net.plan("Beijing", "Baku", depart="2026-07-10", **options).seasonal == ()
    assert net.plan("Beijing", "Baku", **options).seasonal == ()


def test_cli_shows_the_seasons_and_switches_them_off(capsys: pytest.CaptureFixture[str]) -> None:
    from corridor_planner.cli import main

    argv = ["route", "Shanghai", "Rotterdam", "--avoid-mode", "rail,road", "--as-of", "2025", "--depart", "2026-02-16"]
    assert main(argv) == 0
    assert "seasonal: cny_2026 at shanghai +11.8 h" in capsys.readouterr().out
    assert main([*argv, "--no-seasons"]) == 0
    assert "seasonal:" not in capsys.readouterr().out
