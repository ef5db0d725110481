"""Base layers (issue 12): large rail/road networks read from GeoParquet, GeoPackage and .osm.pbf, simplified, routed.

Routes are checked against networkx shortest paths on the layer *before* simplification (every
segment a link), so they also check that merging degree-2 chains keeps every distance.
"""

from __future__ import annotations

import gc
import itertools
import math
import sys
import weakref
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

import corridor_planner as cp
from corridor_planner.model.baselayer import MODE_NAMES, BaseLayer, layer_from_vertices
from corridor_planner.routing.baselayer import LayerNetwork

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from layers import grid_hubs, grid_layer_frame

gpd = pytest.importorskip("geopandas")


def nx_graph(layer: BaseLayer, per_km: dict[str, Any], objective: str, modes: set[str] | None = None,
             avoid: set[str] = frozenset()) -> nx.DiGraph:  # fmt: skip
    """The layer as a networkx DiGraph weighted by ``objective`` (parallel links: the best)."""
    graph = nx.DiGraph()
    for e in range(layer.n_links):
        mode = MODE_NAMES[layer.mode[e]]
        country = layer.countries[layer.country[e]] if layer.country[e] >= 0 else ""
        if (modes is not None and mode not in modes) or country in avoid:
            continue
        w = float(layer.length_km[e] * per_km[objective][layer.mode[e]])
        pairs = [(int(layer.src[e]), int(layer.dst[e]))]
        if layer.two_way[e]:
            pairs.append(pairs[0][::-1])
        for a, b in pairs:
            if not graph.has_edge(a, b) or graph[a][b]["w"] > w:
                graph.add_edge(a, b, w=w)
    return graph


@pytest.fixture(scope="module")
def grid_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("layer") / "grid.parquet"
    grid_layer_frame(8).to_parquet(path)
    return path


@pytest.fixture(scope="module")
def grid(grid_file: Path) -> tuple[BaseLayer, LayerNetwork]:
    raw = cp.read_layer(grid_file)
    return raw, LayerNetwork(raw, grid_hubs(8, 12))


# ---------------------------------------------------------------------- loading


def test_geoparquet_layer_has_every_vertex_as_a_node(grid: tuple[BaseLayer, LayerNetwork]) -> None:
    raw, _ = grid
    k = 8
    lines = 2 * k * (k - 1)
    assert raw.n_links == 2 * lines  # two segments a line
    assert raw.n_nodes == k * k + lines  # junctions and middle vertices
    assert set(raw.countries) == {"KZ", "UZ"}
    assert raw.nbytes > 0 and raw.length_km.min() > 0


def test_geopackage_reads_the_same_layer_as_geoparquet(grid_file: Path, tmp_path: Path,
                                                        grid: tuple[BaseLayer, LayerNetwork]) -> None:  # fmt: skip
    frame = gpd.read_parquet(grid_file)
    gpkg = tmp_path / "grid.gpkg"
    frame.to_file(gpkg, layer="lines", driver="GPKG")
    layer = cp.read_layer(gpkg)
    raw, _ = grid
    assert (layer.n_nodes, layer.n_links) == (raw.n_nodes, raw.n_links)
    np.testing.assert_allclose(np.sort(layer.length_km), np.sort(raw.length_km))


def test_native_geoarrow_encoding_reads_the_same_layer_as_wkb(grid_file: Path, tmp_path: Path,
                                                              grid: tuple[BaseLayer, LayerNetwork]) -> None:  # fmt: skip
    path = tmp_path / "geoarrow.parquet"
    gpd.read_parquet(grid_file).to_parquet(path, geometry_encoding="geoarrow")
    layer = cp.read_layer(path)
    raw, _ = grid
    np.testing.assert_array_equal(layer.src, raw.src)
    np.testing.assert_array_equal(layer.country, raw.country)
    np.testing.assert_allclose(layer.length_km, raw.length_km)


@pytest.mark.parametrize("encoding", ["WKB", "geoarrow"])
def test_another_crs_is_reprojected(grid_file: Path, tmp_path: Path, grid: tuple[BaseLayer, LayerNetwork],
                                    encoding: str) -> None:  # fmt: skip
    frame = gpd.read_parquet(grid_file).to_crs(3857)
    path = tmp_path / "mercator.parquet"
    frame.to_parquet(path, geometry_encoding=encoding)
    layer = cp.read_layer(path)
    raw, _ = grid
    np.testing.assert_allclose(np.sort(layer.length_km), np.sort(raw.length_km), rtol=1e-6)


def test_given_lengths_are_used_and_shared_by_segments(tmp_path: Path) -> None:
    import shapely

    frame = gpd.GeoDataFrame({"mode": ["rail"], "length_km": [500.0]},
                             geometry=[shapely.LineString([(70, 45), (70.5, 45), (71, 45)])], crs=4326)  # fmt: skip
    path = tmp_path / "given.parquet"
    frame.to_parquet(path)
    layer = cp.read_layer(path)
    assert layer.n_links == 2
    assert layer.length_km.sum() == pytest.approx(500.0)
    assert layer.length_km[0] == pytest.approx(250.0, rel=1e-3)


def test_a_missing_length_is_the_geodesic_and_parts_share_a_given_one(tmp_path: Path) -> None:
    import shapely

    multi = shapely.MultiLineString([[(70, 45), (71, 45)], [(71, 45), (73, 45)]])
    frame = gpd.GeoDataFrame({"mode": ["rail", "rail"], "length_km": [300.0, np.nan]},
                             geometry=[multi, shapely.LineString([(80, 45), (81, 45)])], crs=4326)  # fmt: skip
    path = tmp_path / "lengths.parquet"
    frame.to_parquet(path)
    layer = cp.read_layer(path)
    by_lon = {round(float(layer.lon[s]), 1): km for s, km in zip(layer.src, layer.length_km, strict=True)}
    assert by_lon[70.0] == pytest.approx(100.0, rel=1e-3) and by_lon[71.0] == pytest.approx(200.0, rel=1e-3)
    assert by_lon[80.0] == pytest.approx(78.85, abs=0.01)  # 1 degree of longitude at 45 N on WGS84


@pytest.mark.parametrize("encoding", ["WKB", "geoarrow"])
def test_multilinestrings_and_mode_given_for_the_whole_file(tmp_path: Path, encoding: str) -> None:
    import shapely

    multi = shapely.MultiLineString([[(70, 45), (71, 45)], [(71, 45), (71, 46)]])
    path = tmp_path / "multi.parquet"
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[multi], crs=4326).to_parquet(path, geometry_encoding=encoding)
    layer = cp.read_layer(path, mode="road", country="KZ")
    assert (layer.n_nodes, layer.n_links) == (3, 2)
    assert set(layer.mode.tolist()) == {MODE_NAMES.index("road")} and layer.countries == ("KZ",)


# ---------------------------------------------------------------------- bad files


def _problems(err: pytest.ExceptionInfo[cp.NetworkValidationError]) -> list[tuple[str, str, str]]:
    return [(p.file, p.record, p.field) for p in err.value.problems]


def test_missing_mode_column_is_named(tmp_path: Path) -> None:
    import shapely

    path = tmp_path / "nomode.parquet"
    frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs=4326)
    frame.to_parquet(path, geometry_encoding="geoarrow")
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.read_layer(path)
    assert _problems(err) == [("nomode.parquet", "", "mode")]
    assert "column is missing" in str(err.value)


def test_nan_coordinates_negative_lengths_bad_modes_and_points_name_record_and_field(tmp_path: Path) -> None:
    import shapely

    frame = gpd.GeoDataFrame(
        {"id": ["ok", "nan", "neg", "boat", "pt"], "mode": ["rail", "rail", "road", "ship", "rail"],
         "length_km": [1.0, 2.0, -3.0, 4.0, 5.0]},
        geometry=[shapely.LineString([(0, 0), (1, 0)]), shapely.LineString([(0, 0), (np.nan, 1)]),
                  shapely.LineString([(1, 0), (2, 0)]), shapely.LineString([(2, 0), (3, 0)]), shapely.Point(0, 0)],
        crs=4326,
    )  # fmt: skip
    path = tmp_path / "bad.gpkg"
    frame.to_file(path, driver="GPKG")
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.read_layer(path)
    found = set(_problems(err))
    assert ("bad.gpkg", "nan", "geometry") in found
    assert ("bad.gpkg", "neg", "length_km") in found
    assert ("bad.gpkg", "boat", "mode") in found
    assert ("bad.gpkg", "pt", "geometry") in found
    assert not any(record == "ok" for _, record, _ in found)
    assert "'ship' is not a mode" in str(err.value) and "is negative" in str(err.value)


def test_rows_without_id_are_named_by_position(tmp_path: Path) -> None:
    import shapely

    frame = gpd.GeoDataFrame({"mode": ["rail", "rail"]},
                             geometry=[shapely.LineString([(0, 0), (1, 0)]), shapely.LineString([(0, 0), (np.nan, 1)])],
                             crs=4326)  # fmt: skip
    path = tmp_path / "noid.parquet"
    frame.to_parquet(path, geometry_encoding="geoarrow")
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.read_layer(path)
    assert _problems(err) == [("noid.parquet", "row 1", "geometry")]


def test_missing_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nothere\.parquet"):
        cp.read_layer(tmp_path / "nothere.parquet")
    (tmp_path / "lines.csv").write_text("a,b\n")
    with pytest.raises(cp.NetworkValidationError, match=r"lines\.csv: .*is not a base layer file"):
        cp.read_layer(tmp_path / "lines.csv")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(cp.NetworkValidationError, match=r"broken\.parquet: .*is not a readable GeoParquet"):
        cp.read_layer(tmp_path / "broken.parquet")


# ---------------------------------------------------------------------- OpenStreetMap


def _write_osm(path: Path) -> None:
    osmium = pytest.importorskip("osmium")
    from osmium.osm.mutable import Node, Way

    writer = osmium.SimpleWriter(str(path))
    points = {1: (70.0, 45.0), 2: (70.1, 45.0), 3: (70.2, 45.0), 4: (70.3, 45.0), 5: (70.1, 45.1), 6: (70.1, 45.2),
              7: (70.0, 45.1)}  # fmt: skip
    for node, location in points.items():
        writer.add_node(Node(id=node, location=location))
    writer.add_way(Way(id=100, nodes=[1, 2, 3, 4], tags={"railway": "rail"}))  # node 2 is a junction mid-way
    writer.add_way(Way(id=101, nodes=[2, 5, 6], tags={"highway": "motorway"}))  # one-way: 2 -> 6
    writer.add_way(Way(id=102, nodes=[1, 7], tags={"highway": "residential"}))  # not kept
    writer.add_way(Way(id=103, nodes=[5, 7], tags={"building": "yes"}))  # not kept
    writer.close()


def test_osm_extract_ways_meet_at_shared_nodes(tmp_path: Path) -> None:
    path = tmp_path / "tiny.osm.pbf"
    _write_osm(path)
    raw = cp.read_layer(path, country="KZ")
    assert (raw.n_nodes, raw.n_links) == (6, 5)
    assert sorted(MODE_NAMES[m] for m in raw.mode) == ["rail", "rail", "rail", "road", "road"]
    assert not raw.two_way[raw.mode == MODE_NAMES.index("road")].any()
    hubs = [cp.Hub("west", "West", "KZ", "city", 70.0, 45.0), cp.Hub("east", "East", "KZ", "city", 70.3, 45.0),
            cp.Hub("north", "North", "KZ", "city", 70.1, 45.2)]  # fmt: skip
    lnet = LayerNetwork(raw, hubs)
    assert (lnet.layer.n_nodes, lnet.layer.n_links) == (4, 3)  # junction 2 and the three hubs
    route = lnet.plan("west", "north", optimize="distance")
    assert route.modes == ("rail", "road") and [leg.destination for leg in route.legs][-1] == "north"
    with pytest.raises(cp.NoRouteError, match="one-way"):
        lnet.plan("north", "west")


def test_osm_file_without_wanted_ways(tmp_path: Path) -> None:
    osmium = pytest.importorskip("osmium")
    from osmium.osm.mutable import Node, Way

    path = tmp_path / "houses.osm.pbf"
    writer = osmium.SimpleWriter(str(path))
    writer.add_node(Node(id=1, location=(0.0, 0.0)))
    writer.add_node(Node(id=2, location=(0.1, 0.0)))
    writer.add_way(Way(id=1, nodes=[1, 2], tags={"building": "yes"}))
    writer.close()
    with pytest.raises(cp.NetworkValidationError, match=r"houses\.osm\.pbf: .*holds no way tagged railway=rail"):
        cp.read_layer(path)


# ---------------------------------------------------------------------- simplification and snapping


def _chain(modes: list[int], countries: list[int] | None = None, two_way: list[bool] | None = None) -> BaseLayer:
    """One line per segment, along lat 45 from lon 70, 0.1 degree a segment."""
    n = len(modes)
    line = np.repeat(np.arange(n), 2)
    lon = np.repeat(70.0 + 0.1 * np.arange(n + 1), 2)[1:-1]
    return layer_from_vertices(line, lon, np.full(2 * n, 45.0), mode=np.asarray(modes, dtype=np.int8),
                               country=None if countries is None else np.asarray(countries, dtype=np.int16),
                               two_way=None if two_way is None else np.asarray(two_way), countries=("KZ", "UZ"))  # fmt: skip


def test_a_chain_becomes_one_link_with_the_summed_length() -> None:
    layer = _chain([0] * 5)
    simple = layer.simplified()
    assert (simple.n_nodes, simple.n_links) == (2, 1)
    assert simple.length_km[0] == pytest.approx(layer.length_km.sum())
    coords = simple.link_coords(0)
    assert len(coords) == 6 and np.all(np.diff(coords[:, 0]) > 0 if coords[0, 0] < coords[-1, 0] else True)


def test_mode_country_direction_and_kept_nodes_split_chains() -> None:
    assert _chain([0, 0, 1, 1]).simplified().n_links == 2
    assert _chain([0, 0, 0, 0], countries=[0, 0, 1, 1]).simplified().n_links == 2
    assert _chain([0, 0, 0], two_way=[True, False, False]).simplified().n_links == 2
    keep = np.zeros(5, dtype=bool)
    layer = _chain([0] * 4)
    keep[np.argmin(np.abs(layer.lon - 70.2))] = True
    assert layer.simplified(keep).n_links == 2


def test_a_one_way_chain_keeps_its_direction() -> None:
    simple = _chain([1, 1, 1], two_way=[False, False, False]).simplified()
    assert simple.n_links == 1 and not simple.two_way[0]
    assert simple.lon[simple.src[0]] < simple.lon[simple.dst[0]]


def test_rings_and_loops_are_dropped() -> None:
    ring = np.array([[70.0, 45.0], [70.1, 45.0], [70.1, 45.1], [70.0, 45.0]])
    line = np.zeros(4, dtype=np.int64)
    layer = layer_from_vertices(line, ring[:, 0], ring[:, 1], mode=np.zeros(1, dtype=np.int8))
    assert layer.n_links == 3 and layer.simplified().n_links == 0


def test_simplifying_twice_keeps_the_geometry() -> None:
    layer = _chain([0] * 6)
    keep = np.zeros(7, dtype=bool)
    keep[np.argmin(np.abs(layer.lon - 70.3))] = True
    once = layer.simplified(keep)
    twice = once.simplified()
    assert (once.n_links, twice.n_links) == (2, 1)
    coords = twice.link_coords(0)
    assert len(coords) == 7 and {round(x, 1) for x in coords[:, 0]} == {70.0, 70.1, 70.2, 70.3, 70.4, 70.5, 70.6}


def test_hubs_snap_to_the_nearest_node_and_far_hubs_are_reported() -> None:
    layer = _chain([0] * 4)
    hubs = [cp.Hub("near", "Near", "KZ", "city", 70.2, 45.01), cp.Hub("far", "Far", "KZ", "city", 75.0, 50.0)]
    lnet = LayerNetwork(layer, hubs, max_snap_km=5)
    assert lnet.unsnapped == ("far",)
    node = lnet.hub_node["near"]
    assert (lnet.layer.lon[node], lnet.layer.lat[node]) == pytest.approx((70.2, 45.0))
    assert lnet.layer.n_links == 2  # the chain is split at the hub
    with pytest.raises(cp.NoRouteError, match=r"far is [\d,.]+ km from the nearest node"):
        lnet.plan("near", "far")
    with pytest.raises(cp.NoRouteError, match="max_snap_km=5"):
        lnet.plan("near", (80.0, 45.0))
    with pytest.raises(cp.UnknownLocationError, match="nowhere"):
        lnet.plan("near", "nowhere")


# ---------------------------------------------------------------------- routes


@pytest.mark.parametrize("objective", ["distance", "time", "cost"])
def test_routes_match_networkx_on_the_unsimplified_layer(grid: tuple[BaseLayer, LayerNetwork], objective: str) -> None:
    raw, lnet = grid
    graph = nx_graph(raw, lnet.per_km, objective)
    raw_node = {h.id: int(raw.nearest(h.lon, h.lat)[0][0]) for h in lnet.hubs.values()}
    ids = sorted(lnet.hub_node)
    for a, b in zip(ids, ids[3:] + ids[:3], strict=True):
        route = lnet.plan(a, b, optimize=objective)
        expected = nx.shortest_path_length(graph, raw_node[a], raw_node[b], weight="w")
        got = {"distance": route.distance_km, "time": route.time_h, "cost": route.cost_usd}[objective]
        assert got == pytest.approx(expected, rel=1e-9)


def test_constraints_match_networkx_on_the_filtered_layer(grid: tuple[BaseLayer, LayerNetwork]) -> None:
    raw, lnet = grid
    raw_node = {h.id: int(raw.nearest(h.lon, h.lat)[0][0]) for h in lnet.hubs.values()}
    ids = sorted(lnet.hub_node)
    rail = nx_graph(raw, lnet.per_km, "distance", modes={"rail"})
    no_uz = nx_graph(raw, lnet.per_km, "distance", avoid={"UZ"})
    for a, b in itertools.pairwise(ids):
        for graph, options in ((rail, {"only_modes": "rail"}), (no_uz, {"avoid_countries": ["UZ"]})):
            try:
                expected = nx.shortest_path_length(graph, raw_node[a], raw_node[b], weight="w")
            except (nx.NetworkXNoPath, nx.NodeNotFound):
                with pytest.raises(cp.NoRouteError):
                    lnet.plan(a, b, optimize="distance", **options)
                continue
            route = lnet.plan(a, b, optimize="distance", **options)
            assert route.distance_km == pytest.approx(expected, rel=1e-9)
            if "only_modes" in options:
                assert set(route.modes) == {"rail"}
            else:
                assert "UZ" not in route.countries


def test_legs_follow_the_layer(grid: tuple[BaseLayer, LayerNetwork]) -> None:
    _, lnet = grid
    ids = sorted(lnet.hub_node)
    route = lnet.plan(ids[0], ids[5], optimize="distance")
    assert route.legs[0].origin == ids[0] and route.legs[-1].destination == ids[5]
    for before, after in zip(route.legs, route.legs[1:], strict=False):
        assert before.destination == after.origin
        assert before.geometry.coords[-1] == pytest.approx(after.geometry.coords[0])
    start = lnet.hub_node[ids[0]]
    assert route.legs[0].geometry.coords[0] == pytest.approx((lnet.layer.lon[start], lnet.layer.lat[start]))
    assert route.distance_km == pytest.approx(sum(leg.distance_km for leg in route.legs))
    from corridor_planner.model.geo import geodesic_length_km

    assert sum(geodesic_length_km(leg.geometry) for leg in route.legs) == pytest.approx(route.distance_km, rel=1e-9)


def test_point_ends_snap_to_the_nearest_node(grid: tuple[BaseLayer, LayerNetwork]) -> None:
    _, lnet = grid
    hub = lnet.hubs[sorted(lnet.hub_node)[0]]
    route = lnet.plan((hub.lon + 0.001, hub.lat), sorted(lnet.hub_node)[1], optimize="distance")
    assert route.origin == hub.id


def test_matrix_cells_equal_plan(grid: tuple[BaseLayer, LayerNetwork]) -> None:
    _, lnet = grid
    ids = sorted(lnet.hub_node)[:6]
    table = lnet.matrix(ids, optimize="cost", avoid_countries="UZ")
    assert len(table) == 36
    for row in table.itertuples():
        if row.status == "same":
            assert row.origin == row.destination and row.time_h == 0
            continue
        try:
            route = lnet.plan(row.origin, row.destination, optimize="cost", avoid_countries="UZ")
        except cp.NoRouteError:
            assert row.status == "no_route" and "not connected" in row.reason
            continue
        assert row.status == "ok"
        for column, value in (("cost_usd", route.cost_usd), ("time_h", route.time_h),
                              ("distance_km", route.distance_km), ("co2_kg", route.co2_kg)):  # fmt: skip
            assert getattr(row, column) == pytest.approx(value, rel=1e-9)


def test_bad_options_raise(grid: tuple[BaseLayer, LayerNetwork]) -> None:
    _, lnet = grid
    a, b = sorted(lnet.hub_node)[:2]
    with pytest.raises(cp.InvalidQueryError, match="optimize"):
        lnet.plan(a, b, optimize="co2e")
    with pytest.raises(cp.InvalidQueryError, match="'sea' is not a mode"):
        lnet.plan(a, b, avoid_modes=["sea"])
    with pytest.raises(cp.InvalidQueryError, match="leave no mode"):
        lnet.plan(a, b, avoid_modes="rail", only_modes="rail")
    with pytest.raises(cp.InvalidQueryError, match="same place"):
        lnet.plan(a, a)
    with pytest.raises(cp.InvalidQueryError, match="BaseLayer"):
        LayerNetwork("layer.parquet")  # type: ignore[arg-type]


def test_network_on_layer_finds_hubs_by_name_and_reads_files(grid_file: Path) -> None:
    net = cp.load_network()
    lnet = net.on_layer(grid_file, max_snap_km=1)
    assert not lnet.hub_node and len(lnet.unsnapped) > 0  # the shipped hubs are far from the synthetic grid
    with pytest.raises(cp.NoRouteError, match="baku is"):
        lnet.plan("Baku", "Almaty")


def test_caches_go_with_the_layer_network(grid_file: Path) -> None:
    raw = cp.read_layer(grid_file)
    lnet = LayerNetwork(raw, grid_hubs(8, 4))
    a, b = sorted(lnet.hub_node)[:2]
    lnet.plan(a, b)
    lnet.plan(a, b, optimize="distance")
    gone = weakref.ref(lnet)
    graph = weakref.ref(lnet.graph("time", frozenset({0, 1}), frozenset()))
    del lnet
    gc.collect()
    assert gone() is None and graph() is None


def test_network_matrix_figures_are_finite(grid: tuple[BaseLayer, LayerNetwork]) -> None:
    _, lnet = grid
    table = lnet.matrix(sorted(lnet.hub_node))
    ok = table[table.status == "ok"]
    assert len(ok) > 0 and all(math.isfinite(v) for v in ok["transit_days"])


def test_missing_optional_libraries_say_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tiny.osm.pbf"
    _write_osm(path)
    monkeypatch.setitem(sys.modules, "osmium", None)  # import osmium now raises ImportError
    with pytest.raises(cp.MissingDependencyError, match=r"corridor_planner\[large\]") as err:
        cp.read_layer(path)
    assert err.value.name == "osmium"


def test_importing_the_package_loads_no_base_layer_library() -> None:
    import subprocess

    code = ("import sys, corridor_planner; "
            "print(sorted(m for m in ('pyarrow', 'osmium', 'scipy.spatial', 'pyogrio') if m in sys.modules))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_node_missing_from_the_extract_breaks_its_way(tmp_path: Path) -> None:
    osmium = pytest.importorskip("osmium")
    from osmium.osm.mutable import Node, Way

    path = tmp_path / "cut.osm.pbf"
    writer = osmium.SimpleWriter(str(path))
    for node, lon in ((1, 70.0), (2, 70.1), (4, 70.3), (5, 70.4)):
        writer.add_node(Node(id=node, location=(lon, 45.0)))
    writer.add_way(Way(id=1, nodes=[1, 2, 3, 4, 5], tags={"railway": "rail"}))  # node 3 is outside the extract
    writer.close()
    layer = cp.read_layer(path)
    assert (layer.n_nodes, layer.n_links) == (4, 2)  # 1-2 and 4-5: nothing joins 2 to 4 across the gap
    assert layer.length_km.max() < 10


def test_one_way_links_match_networkx_both_searches(tmp_path: Path) -> None:
    """A third of the lines one-way: the backward search runs on the reversed links, so it is checked too."""
    frame = grid_layer_frame(7, seed=3)
    frame["two_way"] = np.random.default_rng(3).random(len(frame)) > 0.33
    path = tmp_path / "oneway.parquet"
    frame.to_parquet(path)
    raw = cp.read_layer(path)
    lnet = LayerNetwork(raw, grid_hubs(7, 10, seed=4))
    graph = nx_graph(raw, lnet.per_km, "distance")
    raw_node = {h.id: int(raw.nearest(h.lon, h.lat)[0][0]) for h in lnet.hubs.values()}
    ids = sorted(lnet.hub_node)
    checked = 0
    for a, b in itertools.permutations(ids, 2):
        try:
            expected = nx.shortest_path_length(graph, raw_node[a], raw_node[b], weight="w")
        except nx.NetworkXNoPath:
            with pytest.raises(cp.NoRouteError):
                lnet.plan(a, b, optimize="distance")
            continue
        assert lnet.plan(a, b, optimize="distance").distance_km == pytest.approx(expected, rel=1e-9)
        checked += 1
    assert checked > 20


def test_legs_carry_well_to_wheel_emissions_of_their_mode(grid: tuple[BaseLayer, LayerNetwork]) -> None:
    _, lnet = grid
    a, b = sorted(lnet.hub_node)[:2]
    route = lnet.plan(a, b, optimize="distance")
    model = lnet.emissions
    for leg in route.legs:
        (item,) = leg.emissions
        factor = next(f for f in model.factors if f.id == item.factor)
        assert factor.mode == leg.mode and factor.service is None
        ttw_g, wtt_g = model.intensity(factor)
        assert item.wtw_kg == pytest.approx(leg.distance_km * cp.TONNES_PER_TEU * (ttw_g + wtt_g) / 1000.0)
    assert route.co2e_kg > 0
