"""Chokepoints by geometry (corridor_planner/model/chokepoints.py) and the sea network they tag.

* every gate runs from land to land across one stretch of water (Natural Earth 1:110m);
* every shipped sea link's chokepoints are exactly those its lane passes;
* the build refuses a hand-written chokepoint the lane does not pass;
* Piraeus -> Rotterdam sails through Gibraltar, not Suez; closing the Red Sea
  changes no route between sea ports that did not use it.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import shapely
from shapely.geometry import LineString, Point, shape

import corridor_planner as cp
from corridor_planner.model.chokepoints import CHOKEPOINTS, lane_chokepoints

ROOT = Path(__file__).resolve().parents[1]
NM = 1.852
SEA = {"avoid_modes": ["rail", "road", "air"], "as_of": 2025}
RED_SEA = {"suez", "babalmandab"}


@pytest.fixture(scope="module")
def land() -> Any:
    path = ROOT / "data" / "naturalearth" / "countries_110m.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return shapely.union_all([shape(f["geometry"]) for f in features])


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_dataset", ROOT / "scripts" / "build_dataset.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- the definitions


@pytest.mark.parametrize("chokepoint_id", sorted(c.id for c in CHOKEPOINTS.values() if c.kind == "gate"))
def test_gate_runs_from_land_to_land_across_one_stretch_of_water(chokepoint_id: str, land: Any) -> None:
    gate = CHOKEPOINTS[chokepoint_id].geometry
    start, end = gate.coords[0], gate.coords[-1]
    assert land.contains(Point(start)) and land.contains(Point(end)), "a lane could sail round an end of the gate"
    water = gate.difference(land)
    # Suez is a canal that 1:110m Egypt covers: no water at all; every other gate one stretch
    assert len(getattr(water, "geoms", [water])) <= 1 or water.is_empty, water


def test_caspian_area_holds_only_the_caspian(land: Any) -> None:
    water = CHOKEPOINTS["caspian"].geometry.difference(land)
    assert water.geom_type == "Polygon", "the Caspian box must not reach another sea"


def test_existing_chokepoint_ids_are_kept() -> None:
    # the ids used by scenarios, hubs, tests and the CLI's examples
    assert {"suez", "babalmandab", "bosporus", "gibraltar", "malacca", "hormuz", "cape_of_good_hope", "caspian"} <= set(
        CHOKEPOINTS
    )
    assert all(c.id == key for key, c in CHOKEPOINTS.items())


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(23.6, 37.9), (-10.0, 36.0), (4.0, 52.0)], ("gibraltar",)),  # Piraeus - Gibraltar - Rotterdam
        ([(80.0, 6.0), (50.0, 12.5), (43.4, 12.6), (42.0, 15.0), (32.5, 29.0), (32.3, 31.3)], ("babalmandab", "suez")),
        ([(32.31, 31.26), (23.57, 37.95)], ()),  # Port Said -> Piraeus: leaves the canal's mouth, never in it
        ([(25.5, 39.5), (28.69, 40.97), (29.1, 41.4), (41.6, 42.2)], ("bosporus", "dardanelles")),
        ([(56.0, 27.0), (58.5, 24.0)], ("hormuz",)),  # Bandar Abbas out to the Gulf of Oman
        ([(60.0, -30.0), (15.0, -37.0)], ("cape_of_good_hope",)),
        ([(51.2, 43.6), (49.4, 40.0)], ("caspian",)),  # Aktau - Alat
        ([(120.0, 36.0), (121.6, 31.4)], ()),
    ],
)
def test_lane_chokepoints(points: list[tuple[float, float]], expected: tuple[str, ...]) -> None:
    assert lane_chokepoints(LineString(points)) == expected


# --------------------------------------------------------------------------- the shipped data


def test_every_sea_link_has_exactly_the_chokepoints_of_its_geometry(net: cp.Network) -> None:
    sea = net.links[net.links["mode"] == "sea"]
    assert len(sea) >= 30
    wrong = [
        f"{row.id}: {list(row.chokepoints)} != geometry {list(lane_chokepoints(row.geometry))}"
        for row in sea.itertuples()
        if tuple(sorted(row.chokepoints)) != lane_chokepoints(row.geometry)
    ]
    assert not wrong, "\n".join(wrong)


def test_build_refuses_a_chokepoint_the_lane_does_not_pass() -> None:
    pytest.importorskip("searoute")
    module = _build_module()
    hubs = {
        "piraeus": module.Hub("piraeus", 23.57, 37.95, None, {}),
        "rotterdam": module.Hub("rotterdam", 4.05, 51.95, None, {}),
    }
    props: dict[str, Any] = {
        "id": "piraeus_rotterdam_sea", "from": "piraeus", "to": "rotterdam", "mode": "sea", "via": None,
        "chokepoints": ["suez"], "official_distance_km": None,
    }  # fmt: skip
    problems = module.Problems()
    assert module.link_feature(props, "src/links_sea.csv", hubs, {}, problems) is None
    assert len(problems.messages) == 1
    assert "'chokepoints'" in problems.messages[0] and "['suez'] not passed" in problems.messages[0]
    assert "gibraltar" in problems.messages[0]
    # a hand-written chokepoint the lane does pass is accepted, and the geometry adds the others
    props["chokepoints"] = None
    feature = module.link_feature(props, "src/links_sea.csv", hubs, {}, module.Problems())
    assert feature is not None and feature["properties"]["chokepoints"] == ["gibraltar"]


# --------------------------------------------------------------------------- routes


def test_piraeus_rotterdam_sails_through_gibraltar_not_suez(net: cp.Network) -> None:
    route = net.plan("Piraeus", "Rotterdam", **SEA)  # type: ignore[arg-type]
    assert "gibraltar" in route.chokepoints and not RED_SEA & set(route.chokepoints)
    assert route.hubs == ("piraeus", "rotterdam") and "med_north_europe" in route.corridors
    assert 2_700 <= route.distance_km / NM <= 3_100  # about 3,000 nm
    days = route.breakdown()["days"]
    # a liner's port-to-port time: the sailing and the wait for it, without the gateway dwell
    # (3.5 days at each end, dwells.csv) that no carrier schedule quotes
    port_to_port = route.transit_days - days["port_dwell"]
    assert 6.0 <= port_to_port <= 12.0, port_to_port
    assert route.transit_days < 19.0  # via Port Said it was 19.0


def test_black_sea_ports_reach_north_europe_through_gibraltar(net: cp.Network) -> None:
    for origin, destination in [("Constanta", "Hamburg"), ("Poti", "Rotterdam"), ("Constanta", "Rotterdam")]:
        route = net.plan(origin, destination, **SEA)  # type: ignore[arg-type]
        assert {"gibraltar", "bosporus"} <= set(route.chokepoints), (origin, destination, route.chokepoints)
        assert not RED_SEA & set(route.chokepoints), (origin, destination, route.hubs)
    # the Black Sea - North Europe loop exists as a direct service
    direct = net.plan("Constanta", "Hamburg", require_corridors=["med_north_europe"], avoid_hubs=["piraeus"], **SEA)  # type: ignore[arg-type]
    assert direct.hubs == ("constanta", "hamburg")
    assert set(direct.chokepoints) == {"bosporus", "dardanelles", "gibraltar"}


def test_red_sea_closure_changes_only_routes_that_used_the_red_sea(net: cp.Network) -> None:
    closed = net.apply("red_sea_closed")
    ports = sorted(net.hubs[net.hubs["kind"] == "port"]["id"])
    assert len(ports) >= 15
    untouched = changed = 0
    differ = []
    for origin, destination in itertools.permutations(ports, 2):
        try:
            base = net.plan(origin, destination, **SEA)  # type: ignore[arg-type]
        except cp.NoRouteError:
            continue
        if RED_SEA & set(base.chokepoints):
            changed += 1
            continue
        untouched += 1
        after = closed.plan(origin, destination, **SEA)  # type: ignore[arg-type]
        if after != base:
            differ.append(f"{origin} -> {destination}: {base.transit_days:.1f} d -> {after.transit_days:.1f} d")
    assert not differ, "\n".join(differ)
    assert untouched > 100 and changed > 50, (untouched, changed)
    for origin, destination in [("piraeus", "rotterdam"), ("constanta", "hamburg")]:
        assert closed.plan(origin, destination, **SEA) == net.plan(origin, destination, **SEA)  # type: ignore[arg-type]
