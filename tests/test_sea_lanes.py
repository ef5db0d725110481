"""Offline checks of the generated link geometry (data/*.geojson).

* every sea link stays at sea (checked against Natural Earth 1:110m countries);
* every link starts and ends at its hubs;
* data/hubs.geojson and data/links.geojson are in sync with data/src.

The files are read directly with json + shapely, on purpose without importing
the corridor_planner package.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import os
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import box, shape

ROOT = Path(__file__).resolve().parents[1]
#: The dataset under test (override with CORRIDOR_PLANNER_DATA, e.g. for a scratch copy).
DATA = Path(os.environ.get("CORRIDOR_PLANNER_DATA", ROOT / "data"))
GEOD = Geod(ellps="WGS84")

#: Distance between the points sampled along a sea lane.
SAMPLE_STEP_KM = 5.0
#: Country polygons are shrunk by this much (degrees, ~15 km) before testing:
#: 1:110m coastlines are generalised by several km, ports sit on the coast and
#: searoute joins the exact port position to its network with a short straight
#: segment.  A lane through the interior of a country is still caught.
LAND_TOLERANCE_DEG = 0.15
#: Man-made or narrow passages that 1:110m land polygons close, with why:
PASSAGE_BOXES = {
    # The Suez Canal (Port Said to Suez) is a channel through Egyptian land;
    # 1:110m Egypt covers it completely.
    "suez_canal": box(32.15, 29.85, 32.65, 31.40),
    # Dardanelles, Sea of Marmara and Bosporus: the straits are a few hundred
    # metres to a few km wide and are closed in 1:110m Turkey.
    "turkish_straits": box(26.0, 39.9, 29.4, 41.4),
    # Tidal Elbe from Cuxhaven up to Hamburg (about 100 km of river that
    # 1:110m Germany does not draw).
    "elbe": box(8.6, 53.4, 10.1, 54.0),
}
#: Points this close to the link's own end hubs are not tested: ports lie in
#: bays and river mouths that 1:110m land closes (Osaka Bay, Piraeus, Yantian).
PORT_APPROACH_KM = 25.0
RIVER_PORTS_KM = {"astrakhan": 120.0, "st_petersburg": 60.0}
"""River ports whose lane runs up a river that the 1:110m outlines draw as land: Astrakhan lies on the Volga,
reached from the Caspian by the Volga-Caspian Ship Canal (about 180 km); the first 120 km of its lanes are exempt.
St Petersburg lies at the mouth of the Neva, reached through Neva Bay behind Kotlin island (Kronstadt) and the Sea
Canal; the 1:110m outline closes the head of the Gulf of Finland from about 29.3 deg E (53 km out): 60 km exempt."""


def _load(name: str) -> dict[str, Any]:
    path = DATA / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `python scripts/build_dataset.py`")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _links() -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = _load("links.geojson")["features"]
    return features


@lru_cache(maxsize=1)
def _hubs() -> dict[str, tuple[float, float]]:
    return {f["properties"]["id"]: tuple(f["geometry"]["coordinates"]) for f in _load("hubs.geojson")["features"]}


@lru_cache(maxsize=1)
def _land() -> shapely.Geometry:
    """Union of the country polygons shrunk by the tolerance, minus the passages."""
    countries = _load("naturalearth/countries_110m.geojson")["features"]
    land = shapely.union_all([shape(f["geometry"]) for f in countries])
    land = land.buffer(-LAND_TOLERANCE_DEG)
    land = land.difference(shapely.union_all(list(PASSAGE_BOXES.values())))
    shapely.prepare(land)
    return land


def sample_line(coords: Sequence[Sequence[float]], step_km: float = SAMPLE_STEP_KM) -> np.ndarray:
    """Points every ``step_km`` along each segment (linear in lon/lat, as drawn)."""
    points = [coords[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        _, _, metres = GEOD.inv(x0, y0, x1, y1)
        n = max(1, math.ceil(metres / 1000.0 / step_km))
        t = np.linspace(0.0, 1.0, n + 1)[1:]
        points.extend(zip(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, strict=True))
    return np.asarray(points, dtype=float)


def points_on_land(
    coords: Sequence[Sequence[float]], approach_km: float = 0.0, end_approach_km: Sequence[float] = ()
) -> np.ndarray:
    """The sampled points of a line that lie on (shrunk) land.

    Points within ``approach_km`` of the line's first or last point are skipped (``end_approach_km``:
    one distance per end instead).
    """
    pts = sample_line(coords)
    inside = shapely.contains_xy(_land(), pts[:, 0], pts[:, 1])
    approaches = list(end_approach_km) or [approach_km, approach_km]
    for end, km in zip((coords[0], coords[-1]), approaches, strict=True):
        if km > 0:
            _, _, metres = GEOD.inv(np.full(len(pts), end[0]), np.full(len(pts), end[1]), pts[:, 0], pts[:, 1])
            inside &= metres > km * 1000.0
    on_land: np.ndarray = pts[inside]
    return on_land


def _sea_links() -> list[dict[str, Any]]:
    return [f for f in _links() if f["properties"]["mode"] == "sea"]


def test_there_are_sea_links() -> None:
    assert len(_sea_links()) >= 10


def test_land_check_catches_a_lane_over_land() -> None:
    # Straight lines Poti -> Aktau (over the Caucasus) and Shanghai -> Rotterdam
    # (over Eurasia) must be flagged: the check below can fail.
    assert len(points_on_land([(41.65, 42.15), (51.17, 43.61)], approach_km=PORT_APPROACH_KM)) > 50
    assert len(points_on_land([(122.0, 30.6), (4.1, 51.9)])) > 1000
    # ... and a lane in open water must not be.
    assert len(points_on_land([(60.0, 10.0), (70.0, 5.0)])) == 0


def test_caspian_is_water_in_natural_earth() -> None:
    countries = _load("naturalearth/countries_110m.geojson")["features"]
    land = shapely.union_all([shape(f["geometry"]) for f in countries])
    for lon, lat in [(51.0, 42.0), (50.5, 40.9), (50.0, 38.5), (50.5, 46.0)]:
        assert not land.contains(shapely.Point(lon, lat)), (lon, lat)


@pytest.mark.parametrize(
    "link_id", [f["properties"]["id"] for f in _sea_links()] if (DATA / "links.geojson").is_file() else []
)
def test_sea_link_stays_at_sea(link_id: str) -> None:
    feature = next(f for f in _sea_links() if f["properties"]["id"] == link_id)
    props = feature["properties"]
    ends = [RIVER_PORTS_KM.get(props[end], PORT_APPROACH_KM) for end in ("from", "to")]
    on_land = points_on_land(feature["geometry"]["coordinates"], end_approach_km=ends)
    assert len(on_land) == 0, f"{link_id}: {len(on_land)} sampled point(s) on land, e.g. " + ", ".join(
        f"({x:.3f}, {y:.3f})" for x, y in on_land[:5]
    )


def test_links_start_and_end_at_their_hubs() -> None:
    hubs = _hubs()
    bad = []
    for f in _links():
        p = f["properties"]
        coords = f["geometry"]["coordinates"]
        for end, point in (("from", coords[0]), ("to", coords[-1])):
            hub = hubs.get(p[end])
            if hub is None or max(abs(point[0] - hub[0]), abs(point[1] - hub[1])) > 1e-6:
                bad.append(f"{p['id']}: {end} {p[end]} at {hub}, geometry at {point}")
    assert not bad, "\n".join(bad)


def test_geojson_in_sync_with_src() -> None:
    pytest.importorskip("searoute", reason="searoute is needed to rebuild the sea lanes; cannot check sync")
    spec = importlib.util.spec_from_file_location("build_dataset", ROOT / "scripts" / "build_dataset.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    hubs, links = module.build_dataset(DATA)
    for name, built in (("hubs.geojson", hubs), ("links.geojson", links)):
        expected = json.loads(module.render(built))
        actual = _load(name)
        want = {f["properties"]["id"]: f for f in expected["features"]}
        have = {f["properties"]["id"]: f for f in actual["features"]}
        differ = sorted(i for i in set(want) | set(have) if want.get(i) != have.get(i))
        assert not differ, (
            f"data/{name} is out of date for {len(differ)} feature(s) {differ[:10]}: "
            "run `python scripts/build_dataset.py`"
        )
        assert expected == actual, f"data/{name}: same features, different order or header"
