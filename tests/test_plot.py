"""Maps, charts and the timeline: what a reader sees in the rendered pictures.

Each picture is rendered to a PNG of a requested size and inspected pixel by
pixel: the size, that it is not blank, and which of the fixed colours
(modes, stop components, routes) are there and which are not.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import corridor_planner as cp
from corridor_planner.viz.basemap import bounds_of
from corridor_planner.viz.maps import route_legend, route_points
from corridor_planner.viz.projection import choose_projection
from corridor_planner.viz.style import COMPONENT_COLORS, INSTALL_HINT, MODE_COLORS, ROUTE_COLORS

YEAR = 2025
WIDTH, HEIGHT, DPI = 8.0, 6.0, 100


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(scope="module")
def train(net: cp.Network) -> cp.Route:
    """Beijing -> Baku by rail and the Caspian ferry."""
    return net.plan("Beijing", "Baku", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=YEAR)


@pytest.fixture(scope="module")
def by_sea(net: cp.Network) -> cp.Route:
    """Beijing -> Baku the earlier way: by sea via Suez to Poti."""
    return net.plan(
        "Beijing",
        "Baku",
        via=[("Tianjin", "sea"), ("Poti", "sea")],
        avoid_countries=["KZ", "KG", "RU", "MN", "PK"],
        as_of=YEAR,
    )


# --------------------------------------------------------------------------- pixel helpers


def _rgb(hex_color: str) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=int)


def render(ax: Any, path: Path, dpi: int = DPI) -> np.ndarray:
    """Save the Axes' figure as PNG and read it back as an (h, w, 3) array of 0-255 ints."""
    import matplotlib.image

    ax.figure.savefig(path, dpi=dpi)
    assert path.stat().st_size > 10_000
    image = matplotlib.image.imread(path)
    return np.rint(image[..., :3] * 255).astype(int)


def count(image: np.ndarray, hex_color: str, tol: int = 6) -> int:
    """Pixels within ``tol`` (per channel) of a colour."""
    return int((np.abs(image - _rgb(hex_color)).max(axis=2) <= tol).sum())


def assert_picture(image: np.ndarray, size: tuple[float, float] = (WIDTH, HEIGHT), dpi: int = DPI) -> None:
    """The requested pixel size, and not blank: many colours, much that is not white."""
    assert image.shape[:2] == (round(size[1] * dpi), round(size[0] * dpi))
    colours = len(np.unique(image.reshape(-1, 3), axis=0))
    assert colours > 150, f"only {colours} distinct colours"
    non_white = float((image.min(axis=2) < 245).mean())
    assert non_white > 0.05, f"only {non_white:.1%} of the pixels are not white"


def texts(ax: Any) -> list[str]:
    return [t.get_text() for t in ax.texts]


# --------------------------------------------------------------------------- optional dependencies


def test_import_does_not_import_plotting_libraries() -> None:
    code = (
        "import sys, corridor_planner as cp, corridor_planner.viz; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'folium', 'branca', 'selenium')); "
        "assert not heavy, heavy; assert callable(cp.plot_routes) and callable(cp.timeline); print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


@pytest.mark.parametrize("module", ["matplotlib", "folium"])
def test_missing_library_raises_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch, train: cp.Route, net: cp.Network, module: str
) -> None:
    for name in list(sys.modules):
        if name == module or name.startswith(module + "."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)  # import now raises ImportError
    calls = (
        [lambda: train.plot(), lambda: net.plot(), lambda: train.timeline(), lambda: cp.plot_routes([train]),
         lambda: cp.timeline([train])]
        if module == "matplotlib"
        else [lambda: train.explore(), lambda: net.explore()]
    )  # fmt: skip
    for call in calls:
        with pytest.raises(cp.MissingDependencyError) as info:
            call()
        assert isinstance(info.value, ImportError)
        assert isinstance(info.value, cp.CorridorPlannerError)
        assert 'pip install "corridor_planner[plot]"' in str(info.value)
        assert info.value.name == module
    assert INSTALL_HINT == 'pip install "corridor_planner[plot]"'


def test_agg_backend_without_a_screen(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    code = (
        "import corridor_planner as cp, matplotlib; "
        "r = cp.load_network().plan('Almaty', 'Tashkent', as_of=2025); "
        f"r.timeline().figure.savefig({str(tmp_path / 't.png')!r}); print(matplotlib.get_backend())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip().lower() == "agg"
    assert (tmp_path / "t.png").stat().st_size > 1000


# --------------------------------------------------------------------------- static maps


def test_route_map_shows_the_modes_used_and_only_those(train: cp.Route, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    assert set(train.modes) == {"rail", "sea"}
    ax = train.plot(figsize=(WIDTH, HEIGHT))
    image = render(ax, tmp_path / "route.png")
    assert_picture(image)
    assert count(image, MODE_COLORS["rail"]) > 500
    assert count(image, MODE_COLORS["sea"]) > 60
    for absent in ("air", "road", "pipeline"):
        assert count(image, MODE_COLORS[absent]) == 0, absent
    # the legend names the modes and the markers, and nothing else
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["rail", "sea", "hub", "transfer point", "border crossing"]
    # hubs labelled: at least the ends and the transfer points
    labels = texts(ax)
    for name in ("Beijing (Fangshan)", "Baku", "Aktau", "Dostyk"):
        assert name in labels
    # transfer points (gauge change at Dostyk, rail-sea at Aktau and Alat) and the border point are marked
    gids = {c.get_gid(): c for c in ax.collections}
    assert len(gids["transfer-points"].get_offsets()) == 3
    assert len(gids["border-points"].get_offsets()) == 1
    # the extent holds the whole route (projected) with a margin
    xs = np.concatenate([line.get_xdata() for line in ax.get_lines() if (line.get_gid() or "").startswith("leg-")])
    ys = np.concatenate([line.get_ydata() for line in ax.get_lines() if (line.get_gid() or "").startswith("leg-")])
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < xs.min() < xs.max() < x1 and y0 < ys.min() < ys.max() < y1
    assert x1 - x0 < 1.6 * (xs.max() - xs.min())
    assert any(t.get_gid() == "credit" and "Natural Earth" in t.get_text() for t in ax.texts)


def test_route_map_draws_the_legs_themselves(train: cp.Route, tmp_path: Path) -> None:
    """Without legend and labels the mode colours still come from the legs."""
    pytest.importorskip("matplotlib")
    ax = train.plot(figsize=(WIDTH, HEIGHT), legend=False, labels=False, title="")
    image = render(ax, tmp_path / "legs.png")
    assert count(image, MODE_COLORS["rail"]) > 500
    assert count(image, MODE_COLORS["sea"]) > 40
    assert ax.get_legend() is None


def test_scale_bar_reads_true_km_at_the_map_centre(train: cp.Route, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from pyproj import Geod

    ax = train.plot(figsize=(WIDTH, HEIGHT))
    render(ax, tmp_path / "scale.png")
    bars = [p for p in ax.patches if p.get_gid() == "scale-bar"]
    assert len(bars) == 2
    x0_bar = min(b.get_x() for b in bars)
    x1_bar = max(b.get_x() + b.get_width() for b in bars)
    label = next(t.get_text() for t in ax.texts if t.get_gid() == "scale-bar-label")
    assert label.endswith(" km")
    km = float(label.removesuffix(" km").replace(",", ""))
    assert km in {1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000}
    # the bar's length in map units, laid along x through the map's centre, is km on the ground
    proj = choose_projection(bounds_of(route_points([train]), ""))
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    cx, cy, half = (x0 + x1) / 2, (y0 + y1) / 2, (x1_bar - x0_bar) / 2
    lon, lat = proj.inverse([cx - half, cx + half], [cy, cy])
    geodesic_km = Geod(ellps="WGS84").inv(lon[0], lat[0], lon[1], lat[1])[2] / 1000
    assert geodesic_km == pytest.approx(km, rel=0.01)
    assert x0 < x0_bar < x1_bar < x1
    assert 0.08 < (x1_bar - x0_bar) / (x1 - x0) < 0.3


def test_no_scale_bar_where_one_would_not_be_true(net: cp.Network) -> None:
    """The network spans 35 S to 60 N: the scale varies too much for one bar; the source line says so."""
    pytest.importorskip("matplotlib")
    ax = net.plot(as_of=YEAR, figsize=(WIDTH, HEIGHT), labels=False)
    assert not [p for p in ax.patches if (p.get_gid() or "").startswith("scale-bar")]
    credit = next(t.get_text() for t in ax.texts if t.get_gid() == "credit")
    assert credit.startswith("No scale bar: the scale varies") and credit.endswith("Natural Earth")
    ax = net.plot(as_of=YEAR, figsize=(WIDTH, HEIGHT), labels=False, credit="Source: us")
    assert next(t.get_text() for t in ax.texts if t.get_gid() == "credit").endswith("Source: us")


def test_network_map_all_modes_and_dashed_future_links(net: cp.Network, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    size = (10.0, 6.0)
    ax = net.plot(as_of=YEAR, figsize=size)
    image = render(ax, tmp_path / "network.png")
    assert_picture(image, size)
    for mode in ("rail", "road", "sea", "air", "pipeline"):
        assert count(image, MODE_COLORS[mode]) > 100, mode
    collections = {c.get_gid(): c for c in ax.collections if (c.get_gid() or "").startswith("links-")}
    future = collections["links-rail-not-open"]
    # the China-Kyrgyzstan-Uzbekistan railway and Rasht - Astara, open in 2030
    not_open = [k for k in net.dataset.links if k.mode == "rail" and k.opens is not None and k.opens > YEAR]
    assert {k.id for k in not_open} >= {"kashgar_torugart_rail", "torugart_makmal_rail", "astara_ir_rasht_rail"}
    assert len(future.get_segments()) == len(not_open)
    assert future.get_linestyle()[0][1] is not None  # dashed
    assert collections["links-rail-open"].get_linestyle()[0][1] is None  # solid
    assert f"not open in {YEAR}" in [t.get_text() for t in ax.get_legend().get_texts()]
    ax2030 = net.plot(as_of=2030, labels=False)
    # by 2030 every planned link is open; only the closed ones (Ukraine's roads from Russia and Belarus, the
    # Ust-Luga - Mukran line) are still dashed
    closed_modes = {k.mode.value for k in net.dataset.links if k.status is cp.Status.CLOSED}
    dashed2030 = {c.get_gid() for c in ax2030.collections if (c.get_gid() or "").endswith("not-open")}
    assert dashed2030 == {f"links-{mode}-not-open" for mode in closed_modes}


def test_plot_routes_compares_routes(train: cp.Route, by_sea: cp.Route, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    ax = cp.plot_routes([train, by_sea], labels=["rail-sea-rail", "by sea"], figsize=(WIDTH, HEIGHT))
    image = render(ax, tmp_path / "routes.png")
    assert_picture(image)
    # one colour per mode, as on every map: the train is rail red and sea blue, never a route colour
    assert count(image, MODE_COLORS["rail"]) > 400
    assert count(image, MODE_COLORS["sea"]) > 400
    for colour in ROUTE_COLORS[:3]:
        assert count(image, colour) == 0, colour
    assert [t.get_text() for t in route_legend(ax).get_texts()] == ["rail-sea-rail", "by sea"]
    modes = [t.get_text() for t in ax.get_legend().get_texts()]
    assert modes[0] == "rail" and "sea" in modes  # plus "road": the sea route may start by truck to Tianjin
    styles = {line.get_gid(): line.get_linestyle() for line in ax.get_lines()}
    assert styles["route-0"] != styles["route-1"]
    # the map reaches from the Suez Canal to Beijing
    proj = choose_projection(bounds_of(route_points([train, by_sea]), ""))
    (x0, x1), (y0, _) = ax.get_xlim(), ax.get_ylim()
    (sx, bx), (sy, by) = proj.forward([32.5, 116.4], [30.0, 39.9])
    assert x0 < sx and bx < x1 and y0 < min(sy, by)
    # default labels name ends, modes and days
    ax = cp.plot_routes([train, by_sea])
    assert [t.get_text() for t in route_legend(ax).get_texts()][:2] == [
        f"Beijing (Fangshan) → Baku by rail+sea, {train.transit_days:.1f} days",
        f"Beijing (Fangshan) → Baku by {'+'.join(by_sea.modes)}, {by_sea.transit_days:.1f} days",
    ]


def test_plot_routes_rejects_bad_input(train: cp.Route) -> None:
    pytest.importorskip("matplotlib")
    with pytest.raises(cp.InvalidQueryError, match="2 label"):
        cp.plot_routes([train], labels=["a", "b"])
    with pytest.raises(cp.InvalidQueryError, match="at least one"):
        cp.plot_routes([])
    with pytest.raises(cp.InvalidQueryError, match="Route"):
        cp.timeline(["beijing"])  # type: ignore[list-item]


def test_names_with_dollars_are_drawn_literally(tmp_path: Path) -> None:
    """matplotlib would read ``$...$`` in a hub name as a formula; names are drawn as given."""
    pytest.importorskip("matplotlib")
    hubs = [
        {"id": "a", "name": "Port $1 and $2", "country": "KZ", "kind": "port", "lon": 50.0, "lat": 44.0},
        {"id": "b", "name": r"Yard_\alpha", "country": "KZ", "kind": "city", "lon": 52.0, "lat": 45.0},
    ]
    net = cp.Network.from_records(hubs, [{"id": "ab", "from": "a", "to": "b", "mode": "rail", "gauge_mm": 1520}])
    route = net.plan("a", "b")
    ax = route.plot(figsize=(5, 4))
    image = render(ax, tmp_path / "dollars.png")
    assert_picture(image, (5, 4))
    assert r"Port \$1 and \$2" in texts(ax)  # escaped for mathtext: shows "Port $1 and $2"
    ax = route.timeline(labels=["$x$"])
    render(ax, tmp_path / "dollars_timeline.png")
    ax = net.plot(figsize=(5, 4))
    render(ax, tmp_path / "dollars_network.png")


def test_a_route_across_the_antimeridian_stays_in_one_piece(tmp_path: Path) -> None:
    """Yokohama -> Oakland crosses 180°: one short arc on a Pacific map, not a line round the world."""
    pytest.importorskip("matplotlib")
    folium = pytest.importorskip("folium")
    hubs = [
        {"id": "a", "name": "Yokohama", "country": "JP", "kind": "port", "lon": 139.6, "lat": 35.4},
        {"id": "b", "name": "Oakland", "country": "US", "kind": "port", "lon": -122.3, "lat": 37.8},
    ]
    net = cp.Network.from_records(hubs, [{"id": "ab", "from": "a", "to": "b", "mode": "sea", "distance_km": 8300}])
    route = net.plan("a", "b")
    ax = route.plot(figsize=(WIDTH, HEIGHT))  # projected, centred on the Pacific: one short arc
    assert_picture(render(ax, tmp_path / "pacific_projected.png"))
    (xs, _) = ax.get_lines()[0].get_data()
    assert max(abs(np.diff(xs))) < 0.2 * (max(xs) - min(xs))
    assert any(t.get_text() == "Oakland" for t in ax.texts)
    ax = route.plot(figsize=(WIDTH, HEIGHT), projection="lonlat")  # the scale bar's latitude stays on the globe
    assert_picture(render(ax, tmp_path / "pacific.png"))
    (xs, _), (x0, x1) = ax.get_lines()[0].get_data(), ax.get_xlim()
    assert max(abs(np.diff(xs))) < 10
    assert x0 > 120 and x1 < 260 and x0 <= min(xs) and max(xs) <= x1
    assert any(t.get_text() == "Oakland" for t in ax.texts)
    assert ax.xaxis.get_major_formatter()(200.0, 0) == "160°W"
    for fmap in (route.explore(), net.explore()):
        groups = [fmap, *(c for c in fmap._children.values() if isinstance(c, folium.FeatureGroup))]
        (line,) = [c for g in groups for c in g._children.values() if isinstance(c, folium.PolyLine)]
        assert max(abs(np.diff([lon for _, lon in line.locations]))) < 10
    ax = net.plot(figsize=(WIDTH, HEIGHT), projection="lonlat")
    render(ax, tmp_path / "pacific_network.png")
    (segment,) = next(c for c in ax.collections if c.get_gid() == "links-sea-open").get_segments()
    assert max(abs(np.diff(segment[:, 0]))) < 10


# --------------------------------------------------------------------------- timelines


def test_timeline_segments_tile_the_route(train: cp.Route, by_sea: cp.Route) -> None:
    for route in (train, by_sea):
        segments = cp.viz.timeline_segments(route)
        clock = 0.0
        for seg in segments:
            assert seg["start_h"] == pytest.approx(clock)
            assert seg["time_h"] > 0
            clock += seg["time_h"]
        assert clock == pytest.approx(route.time_h)
        by_component = route.breakdown()["time_h"]
        for component in cp.COMPONENTS:
            total = sum(s["time_h"] for s in segments if s["component"] == component)
            assert total == pytest.approx(by_component[component], abs=1e-6), component
        for seg in segments:
            expected = MODE_COLORS[seg["mode"]] if seg["component"] == "moving" else COMPONENT_COLORS[seg["component"]]
            assert seg["color"] == expected


def test_timeline_of_one_route(train: cp.Route, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    size = (10.0, 3.5)
    ax = train.timeline(figsize=size)
    image = render(ax, tmp_path / "timeline.png")
    assert_picture(image, size)
    for color in (MODE_COLORS["rail"], MODE_COLORS["sea"], COMPONENT_COLORS["border"], COMPONENT_COLORS["waiting"],
                  COMPONENT_COLORS["gauge_change"], COMPONENT_COLORS["port_dwell"], COMPONENT_COLORS["transfer"]):  # fmt: skip
        assert count(image, color) > 50, color
    for absent in (MODE_COLORS["air"], MODE_COLORS["road"], COMPONENT_COLORS["canal_transit"]):
        assert count(image, absent) == 0, absent
    # the day axis spans the trip; the total and the long stops are written out
    assert ax.get_xlim()[1] == pytest.approx(train.transit_days * 1.08)
    assert ax.get_xlabel() == "days from departure"
    assert f"{train.transit_days:.1f} d" in texts(ax)
    assert any(t.startswith("Alashankou / Dostyk") for t in texts(ax))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["rail (moving)", "sea (moving)"]
    assert "border" in legend and "canal transit" not in legend


def test_timeline_of_several_routes(train: cp.Route, by_sea: cp.Route, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    size = (10.0, 4.0)
    ax = cp.timeline([train, by_sea], labels=["rail-sea-rail", "by sea"], figsize=size)
    image = render(ax, tmp_path / "timelines.png")
    assert_picture(image, size)
    for color in (
        MODE_COLORS["rail"],
        MODE_COLORS["sea"],
        COMPONENT_COLORS["canal_transit"],
        COMPONENT_COLORS["port_call"],
    ):
        assert count(image, color) > 30, color
    assert count(image, MODE_COLORS["air"]) == 0
    rows = [t for t in ax.texts if t.get_gid() == "row-label"]
    assert [t.get_text() for t in rows] == ["rail-sea-rail", "by sea"]
    assert rows[0].get_position()[1] < rows[1].get_position()[1]  # one row per route, first on top (y inverted)
    assert ax.get_xlim()[1] == pytest.approx(by_sea.transit_days * 1.08)
    assert {f"{train.transit_days:.1f} d", f"{by_sea.transit_days:.1f} d"} <= set(texts(ax))


def test_drawing_into_a_given_axes(train: cp.Route, net: cp.Network, tmp_path: Path) -> None:
    plt = pytest.importorskip("matplotlib.pyplot")
    _, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    assert train.plot(ax=left, labels=False) is left
    assert train.timeline(ax=right) is right
    image = render(left, tmp_path / "both.png")
    assert_picture(image, (12, 5))


# --------------------------------------------------------------------------- web maps


def test_route_explore_popups_and_markers(train: cp.Route, net: cp.Network) -> None:
    folium = pytest.importorskip("folium")
    fmap = train.explore(network=net)
    assert isinstance(fmap, folium.Map)
    lines = [c for c in fmap._children.values() if isinstance(c, folium.PolyLine)]
    markers = [c for c in fmap._children.values() if isinstance(c, folium.CircleMarker)]
    assert len(lines) == len(train.legs)
    assert len(markers) == len(train.hubs) + 1  # every hub, and the border crossing
    assert {line.options["color"] for line in lines} == {MODE_COLORS["rail"], MODE_COLORS["sea"]}
    page = fmap.get_root().render()
    for text in (
        "mode",
        "km",
        "hours",
        "corridor",
        "titr",
        "Aktau",
        "country",
        "kind",
        "border_station",
        "gauge change",
    ):
        assert text in page, text
    # without the network: names and countries (from the legs), no kinds
    page = train.explore().get_root().render()
    assert "Aktau" in page and ">KZ<" in page and ">AZ<" in page
    assert "border_station" not in page


def test_network_explore_layers_and_dashes(net: cp.Network) -> None:
    folium = pytest.importorskip("folium")
    fmap = net.explore(as_of=YEAR)
    groups = [c for c in fmap._children.values() if isinstance(c, folium.FeatureGroup)]
    lines = [c for g in groups for c in g._children.values() if isinstance(c, folium.PolyLine)]
    assert len(lines) == len(net.link_ids)
    dashed = [line for line in lines if line.options.get("dashArray")]
    assert len(dashed) == sum(1 for k in net.dataset.links if not k.is_open(YEAR))
    assert sum(1 for k in net.dataset.links if k.opens is not None and k.opens > YEAR) >= 3
    hubs = [c for g in groups for c in g._children.values() if isinstance(c, folium.CircleMarker)]
    assert len(hubs) == len(net.hub_ids)


def test_web_map_escapes_names_from_data() -> None:
    pytest.importorskip("folium")
    name = "<script>alert(1)</script> `${x}` \\"
    hubs = [
        {"id": "a", "name": name, "country": "KZ", "kind": "city", "lon": 70.0, "lat": 45.0},
        {"id": "b", "name": "B", "country": "KZ", "kind": "city", "lon": 71.0, "lat": 45.0},
    ]
    net = cp.Network.from_records(hubs, [{"id": "ab", "from": "a", "to": "b", "mode": "rail", "gauge_mm": 1520}])
    for fmap in (net.explore(), net.plan("a", "b").explore(network=net)):
        page = fmap.get_root().render()
        assert "<script>alert(1)</script>" not in page
        assert "${x}" not in page
        assert html.escape("<script>alert(1)</script>") in page
