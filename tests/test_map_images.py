"""Visual regression of the demo maps, and the rules a published map keeps: labels beside their markers,
border crossings at the border station, one colour per mode.

The demo maps (``examples/maps.py``) are drawn small, with DejaVu Sans (shipped with matplotlib) and fixed
size and dpi, and compared with ``tests/baseline_images/`` by :func:`matplotlib.testing.compare.compare_images`
with a tolerance. After an intended change, regenerate the baselines with
``CP_UPDATE_BASELINES=1 pytest tests/test_map_images.py`` and look at them.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import corridor_planner as cp

pytest.importorskip("matplotlib")

BASELINES = Path(__file__).resolve().parent / "baseline_images"
YEAR = 2025
DPI = 50
TOLERANCE = 6.0  # RMS difference over 0-255; a label moved or a leg recoloured is well above it
NEAR_PT = 12.0  # a label without a leader line is this close to its marker at most


@pytest.fixture(autouse=True)
def _fixed_style() -> Iterator[None]:
    import matplotlib as mpl

    with mpl.rc_context({"font.family": "DejaVu Sans", "svg.hashsalt": "cp", "path.simplify": True}):
        yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(scope="module")
def routes(net: cp.Network) -> dict[str, cp.Route]:
    return {
        "train": net.plan(
            "Beijing", "Baku", optimize="time", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=YEAR
        ),
        "sea": net.plan(
            "Beijing",
            "Baku",
            via=[("Tianjin", "sea"), ("Poti", "sea")],
            avoid_countries=["KZ", "KG", "RU", "MN", "PK"],
            as_of=YEAR,
        ),
        "avoid_russia": net.plan("Beijing", "Duisburg", avoid_countries=["RU", "BY"], as_of=YEAR),
    }


DEMO_MAPS: dict[str, Callable[[cp.Network, dict[str, cp.Route]], Any]] = {
    "beijing_baku_map": lambda net, r: r["train"].plot(figsize=(11, 7)),
    "beijing_baku_compare_map": lambda net, r: cp.plot_routes(
        [r["train"], r["sea"]], labels=["rail-sea-rail train", "by sea via Suez"], figsize=(11, 7.5)
    ),
    "network_map": lambda net, r: net.plot(as_of=YEAR, figsize=(14, 8)),
}


@pytest.mark.parametrize("name", sorted(DEMO_MAPS))
def test_demo_map_matches_its_baseline(name: str, net: cp.Network, routes: dict[str, cp.Route], tmp_path: Path) -> None:
    from matplotlib.testing.compare import compare_images

    ax = DEMO_MAPS[name](net, routes)
    actual = tmp_path / f"{name}.png"
    ax.figure.savefig(actual, dpi=DPI, metadata={"Software": None})
    expected = BASELINES / f"{name}.png"
    if os.environ.get("CP_UPDATE_BASELINES"):
        BASELINES.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
        pytest.skip(f"baseline written: {expected}")
    assert expected.exists(), f"no baseline {expected}: run with CP_UPDATE_BASELINES=1 and look at it"
    diff = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert diff is None, diff


def _labels(ax: Any) -> list[Any]:
    return [t for t in ax.texts if t.get_gid() == "hub-label"]


@pytest.mark.parametrize("name", sorted(DEMO_MAPS))
def test_every_label_sits_beside_its_marker_or_has_a_leader_line(
    name: str, net: cp.Network, routes: dict[str, cp.Route]
) -> None:
    from matplotlib.text import Text

    from corridor_planner.viz.labels import label_distance_pt

    ax = DEMO_MAPS[name](net, routes)
    ax.figure.canvas.draw()
    labels = _labels(ax)
    assert len(labels) >= 10
    renderer = ax.figure.canvas.get_renderer()
    boxes = [Text.get_window_extent(t, renderer) for t in labels]
    for label, box in zip(labels, boxes, strict=True):
        distance = label_distance_pt(ax, label)
        assert distance <= NEAR_PT or label.arrow_patch is not None, (label.get_text(), distance)
        assert distance <= 60.0, (label.get_text(), distance)
        assert ax.get_window_extent().contains(box.x0, box.y0) and ax.get_window_extent().contains(box.x1, box.y1)
    for i, a in enumerate(boxes):  # no two labels overlap
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_a_moved_label_is_caught(routes: dict[str, cp.Route]) -> None:
    """The check above fails for a label drawn far from its marker without a leader line (the old bug)."""
    from corridor_planner.viz.labels import label_distance_pt

    ax = routes["avoid_russia"].plot(figsize=(11, 7))
    ax.figure.canvas.draw()
    beijing = next(t for t in _labels(ax) if t.get_text().startswith("Beijing"))
    assert label_distance_pt(ax, beijing) <= NEAR_PT
    beijing.set_position((-150, 0))  # 150 points west, as "Beijing (Fangshan)" near 100 E was
    ax.figure.canvas.draw()
    assert label_distance_pt(ax, beijing) > NEAR_PT and beijing.arrow_patch is None


def test_border_crossing_is_drawn_at_the_border_station(net: cp.Network) -> None:
    """Batumi -> Istanbul crosses at Sarpi, by Batumi: the cross is there, not in central Turkey."""
    from corridor_planner.viz.maps import route_stops

    route = net.plan("Batumi", "Istanbul", as_of=YEAR)
    (border,) = route_stops(route)[1]
    batumi = net.hub("batumi")
    assert (border[0], border[1]) == (batumi.lon, batumi.lat)
    # Beijing -> Duisburg avoiding Russia: each crossing near its real border post
    posts = {"Khorgos": (80.4, 44.2), "Boyuk Kesik": (45.2, 41.4), "Sarpi": (41.6, 41.6), "Kapikule": (26.6, 41.7)}
    crossings = route_stops(net.plan("Beijing", "Duisburg", avoid_countries=["RU", "BY"], as_of=YEAR))[1]
    for lon, lat, note in crossings:
        for post, (plon, plat) in posts.items():
            if note.startswith(post):
                assert abs(lon - plon) < 0.6 and abs(lat - plat) < 0.6, (note, lon, lat)
    ax = route.plot(figsize=(6, 4))
    (offset,) = next(c for c in ax.collections if c.get_gid() == "border-points").get_offsets()
    hubs = next(c for c in ax.collections if c.get_gid() == "hubs").get_offsets()
    assert any(np.allclose(offset, h) for h in hubs)  # on Batumi's marker


def test_projection_is_chosen_from_the_extent(routes: dict[str, cp.Route], net: cp.Network) -> None:
    from corridor_planner.viz.basemap import bounds_of
    from corridor_planner.viz.maps import route_points
    from corridor_planner.viz.projection import choose_projection

    assert choose_projection(bounds_of(route_points([routes["train"]]), "")).kind == "albers"
    points = [(h.lon, h.lat) for h in net.dataset.hubs] + [(18.5, -34.9)]
    assert choose_projection(bounds_of(points, "")).kind == "equalearth"
    with pytest.raises(cp.InvalidQueryError, match="projection"):
        routes["train"].plot(projection="mercator")
    ax = routes["train"].plot(figsize=(6, 4), projection="lonlat")
    assert ax.xaxis.get_major_formatter()(80.0, 0) == "80°E"
