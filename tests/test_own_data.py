"""Users' own data: writers that round-trip, GeoDataFrames in, extending a network, route exports."""

from __future__ import annotations

import copy
import csv
import dataclasses
import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, Point
from tinynet import MODES, hub, link, triple

import corridor_planner as cp
from corridor_planner.io import extend_dataset
from corridor_planner.io.validate import TABLES
from corridor_planner.io.writing import DATASET_FILES, table_rows
from corridor_planner.model import Dataset, default_data_dir
from corridor_planner.routing.serialize import route_to_geojson

TRICKY = "<b>x</b>;a|b"
"""A hub name with markup and both list separators."""


# --------------------------------------------------------------------------- helpers


def assert_same_dataset(got: Dataset, want: Dataset) -> None:
    """Every part equal, link geometry coordinates included (Link equality ignores geometry)."""
    assert got.hubs == want.hubs
    assert got.links == want.links
    for a, b in zip(got.links, want.links, strict=True):
        assert list(a.geometry.coords) == list(b.geometry.coords), a.id
    for part in ("modes", "services", "borders", "transfers", "dwells", "corridors", "countries", "sources"):
        assert getattr(got, part) == getattr(want, part), part
    assert dataclasses.replace(got, origin=want.origin) == want


def same_route(a: cp.Route, b: cp.Route) -> None:
    assert a.link_ids == b.link_ids
    assert a.time_h == pytest.approx(b.time_h, rel=1e-12)
    assert a.cost_usd == pytest.approx(b.cost_usd, rel=1e-12)
    assert a.co2_kg == pytest.approx(b.co2_kg, rel=1e-12)
    assert a.stops == b.stops


def small_user_network() -> cp.Network:
    """Two countries, a border, a gauge change, a ferry, a corridor, notes and sources; tricky names."""
    hubs = [
        hub("gorod", "KZ", lon=70.0, lat=45.0, name="Горо́д", aliases="Gorod|Город"),
        hub("tricky", "KZ", lon=71.0, lat=45.2, name=TRICKY, note='a note, with "quotes"\nand a second line'),
        hub("gate", "UZ", "border_station", lon=72.0, lat=45.0, name="Gâte"),
        hub("port_a", "UZ", "port", lon=73.0, lat=44.0, name="Port A"),
        hub("port_b", "AZ", "port", lon=75.0, lat=42.0, name="Port B"),
    ]
    links = [
        link("gorod_tricky", "gorod", "tricky", km=120.0, corridors="demo", source="S-1", note="Ünïcode ✓"),
        link("tricky_gate", "tricky", "gate", border_crossing="kz_uz", speed_kmh=30, speed_source="S-1"),
        link("gate_port_a", "gate", "port_a", gauge_mm=1435, status="under_construction", opens=2031),
        {
            "id": "ferry",
            "from": "port_a",
            "to": "port_b",
            "mode": "sea",
            "service": "ferry_line",
            "corridors": ["demo"],
        },
    ]
    rows = {s: [{**r, "source": "S-1"} for r in rs] for s, rs in {
        "services": [{"id": "ferry_line", "mode": "sea", "name": "Ferry | line; weekly", "frequency_per_week": 1.5, "note": "n"}],
        "borders": [{"id": "kz_uz", "name": "KZ-UZ", "mode": "rail", "hubs": "tricky|gate", **triple(5), "cost_usd": 100, "note": "b, c"}],
        "transfers": [{"at": "gate", "from_layer": "rail1520", "to_layer": "rail1435", **triple(4), "cost_usd": 50},
                      {"at": "kind:port", "from_layer": "rail", "to_layer": "sea", "two_way": "true", **triple(6), "cost_usd": 80}],
        "dwells": [{"at": "kind:port", "event": "port_dwell", **triple(12), "cost_usd": 0}],
        "corridors": [{"id": "demo", "name": "Démo corridor", "description": "über alles"}],
        "countries": [{"iso2": c, "name": n, "sco_status": s} for c, n, s in
                      (("KZ", "Kazakhstan", "member"), ("UZ", "Uzbekistan", "member"), ("AZ", "Azerbaijan", "partner"))],
    }.items()}  # fmt: skip
    rows["modes"] = [{**m, "speed_source": "S-1", "cost_source": "S-1;S-2", "note": "m"} for m in MODES]
    rows["sources"] = [
        {"id": "S-1", "kind": "published", "title": "Одна книга", "quote": "“quoted”, with, commas"},
        {"id": "S-2", "kind": "assumption", "title": "A guess", "note": TRICKY},
    ]
    return cp.Network.from_records(hubs, links, rows)


@pytest.fixture(scope="module")
def user_net() -> cp.Network:
    return small_user_network()


@pytest.fixture(scope="module")
def shipped_folder(tmp_path_factory: pytest.TempPathFactory, net: cp.Network) -> Path:
    return net.to_geojson(tmp_path_factory.mktemp("geojson") / "data")


@pytest.fixture(scope="module")
def shipped_gpkg(tmp_path_factory: pytest.TempPathFactory, net: cp.Network) -> Path:
    return net.to_geopackage(tmp_path_factory.mktemp("gpkg") / "corridors.gpkg")


# --------------------------------------------------------------------------- writers


def test_shipped_network_round_trips_through_geojson(net: cp.Network, shipped_folder: Path) -> None:
    assert sorted(p.name for p in shipped_folder.iterdir()) == sorted(DATASET_FILES)
    again = cp.load_network(shipped_folder)
    assert_same_dataset(again.dataset, net.dataset)
    assert again.dataset.origin == str(shipped_folder)
    same_route(again.plan("Beijing", "Baku"), net.plan("Beijing", "Baku"))


def test_written_files_match_the_shipped_ones(shipped_folder: Path) -> None:
    """The writer reproduces data/: the same GeoJSON and the same CSV cells (numbers compared as numbers)."""
    for name in ("hubs.geojson", "links.geojson"):
        assert json.loads((shipped_folder / name).read_text("utf-8")) == json.loads(
            (default_data_dir() / name).read_text("utf-8")
        )

    def cells(path: Path) -> list[dict[str, Any]]:
        def norm(v: str) -> Any:
            try:
                return float(v)
            except ValueError:
                return v

        with path.open(newline="", encoding="utf-8") as fh:
            return [{k: norm(v) for k, v in row.items()} for row in csv.DictReader(fh)]

    for name in TABLES:
        assert cells(shipped_folder / name) == cells(default_data_dir() / name), name
        header = (shipped_folder / name).read_text("utf-8").splitlines()[0].split(",")
        assert tuple(header) == TABLES[name][0]


def test_table_rows_use_the_columns_the_reader_reads(net: cp.Network) -> None:
    rows = table_rows(net.dataset)
    assert set(rows) == set(TABLES)
    for name, table in rows.items():
        assert table and all(tuple(r) == TABLES[name][0] for r in table), name


def test_shipped_network_round_trips_through_a_geopackage(net: cp.Network, shipped_gpkg: Path) -> None:
    layers = {str(name): geom for name, geom in pyogrio.list_layers(shipped_gpkg)}
    tables = {name.removesuffix(".csv") for name in TABLES}
    assert layers == {"hubs": "Point", "links": "LineString", **dict.fromkeys(tables)}
    again = cp.load_network(shipped_gpkg)
    assert_same_dataset(again.dataset, net.dataset)
    same_route(again.plan("Beijing", "Baku"), net.plan("Beijing", "Baku"))
    frame = gpd.read_file(shipped_gpkg, layer="links")
    assert frame.crs.to_epsg() == 4326 and len(frame) == len(net.link_ids)


def test_geopackage_tables_are_typed(shipped_gpkg: Path) -> None:
    borders = pyogrio.read_dataframe(shipped_gpkg, layer="borders")
    assert borders["time_h_typ"].dtype == np.float64
    assert all("|" in h for h in borders["hubs"])
    links = pyogrio.read_dataframe(shipped_gpkg, layer="links")
    assert links["two_way"].dtype == bool


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_small_user_network_round_trips(user_net: cp.Network, tmp_path: Path, fmt: str) -> None:
    target = (
        user_net.to_geojson(tmp_path / "mine") if fmt == "geojson" else user_net.to_geopackage(tmp_path / "mine.gpkg")
    )
    again = cp.load_network(target)
    assert_same_dataset(again.dataset, user_net.dataset)
    assert again.find(TRICKY).id == "tricky"
    assert again.hub("tricky").name == TRICKY
    assert again.hub("tricky").note == user_net.hub("tricky").note
    assert again.hub("gorod").aliases == ("Gorod", "Город")
    assert again.services["ferry_line"].name == "Ferry | line; weekly"
    assert again.borders["kz_uz"].note == "b, c"
    assert again.modes[cp.Mode.RAIL].cost_source == ("S-1", "S-2")
    assert again.sources["S-2"].note == TRICKY
    same_route(again.plan("gorod", "port_b", as_of=2032), user_net.plan("gorod", "port_b", as_of=2032))


def test_network_without_sources_round_trips(tmp_path: Path) -> None:
    net = cp.Network.from_records([hub("a", lon=70, lat=45), hub("b", lon=71, lat=45)], [link("ab", "a", "b")])
    assert net.dataset.sources is None
    for target in (net.to_geojson(tmp_path / "f"), net.to_geopackage(tmp_path / "f.gpkg")):
        again = cp.load_network(target)
        assert again.dataset.sources is None
        assert_same_dataset(again.dataset, net.dataset)
    assert not (tmp_path / "f" / "sources.csv").exists()


def test_writing_into_a_non_empty_folder(user_net: cp.Network, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "src").mkdir(parents=True)
    (folder / "README.md").write_text("mine", encoding="utf-8")
    (folder / "src" / "hubs.csv").write_text("id\n", encoding="utf-8")
    (folder / "hubs.geojson").write_text("stale", encoding="utf-8")
    (folder / "sources.csv").write_text(
        "id,kind,title,address,published,quote,note\nS-OLD,published,old,,,,\n", encoding="utf-8"
    )
    user_net.to_geojson(folder)
    assert (folder / "README.md").read_text(encoding="utf-8") == "mine"
    assert (folder / "src" / "hubs.csv").read_text(encoding="utf-8") == "id\n"
    assert "S-OLD" not in (folder / "sources.csv").read_text(encoding="utf-8")
    assert_same_dataset(cp.load_network(folder).dataset, user_net.dataset)
    # a dataset without sources: the stale sources.csv goes, so the folder reads back as that dataset
    plain = cp.Network.from_records([hub("a", lon=70, lat=45), hub("b", lon=71, lat=45)], [link("ab", "a", "b")])
    plain.to_geojson(folder)
    assert not (folder / "sources.csv").exists() and (folder / "README.md").exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files left
    assert_same_dataset(cp.load_network(folder).dataset, plain.dataset)


def test_writing_over_an_existing_geopackage(user_net: cp.Network, net: cp.Network, tmp_path: Path) -> None:
    path = tmp_path / "net.gpkg"
    net.to_geopackage(path)
    user_net.to_geopackage(path)
    assert_same_dataset(cp.load_network(path).dataset, user_net.dataset)
    assert [p.name for p in tmp_path.iterdir()] == ["net.gpkg"]


def test_geopackage_problems_name_file_and_layer(user_net: cp.Network, tmp_path: Path) -> None:
    path = user_net.to_geopackage(tmp_path / "mine.gpkg")
    frame = pyogrio.read_dataframe(path, layer="links")
    frame.loc[frame["id"] == "ferry", "service"] = "no_such_service"
    pyogrio.write_dataframe(frame, path, layer="links", driver="GPKG")
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.load_network(path)
    assert any(
        p.file == "mine.gpkg: links" and p.record == "ferry" and p.field == "service" for p in err.value.problems
    )
    with pytest.raises(FileNotFoundError):
        cp.load_network(tmp_path / "missing.gpkg")
    only_hubs = tmp_path / "only_hubs.gpkg"
    pyogrio.write_dataframe(pyogrio.read_dataframe(path, layer="hubs"), only_hubs, layer="hubs", driver="GPKG")
    with pytest.raises(cp.NetworkValidationError, match="layer is missing"):
        cp.load_network(only_hubs)


def test_a_geopackage_made_elsewhere_loads(tmp_path: Path) -> None:
    """Layers written by geopandas in another CRS, nullable booleans and integers, no rule tables."""
    hubs, links = user_frames()
    links = links.set_geometry([LineString([(70, 45), (71, 45)]), LineString([(71, 45), (72, 44)])], crs="EPSG:4326")
    links["two_way"] = pd.array([True, None], dtype="boolean")
    links["gauge_mm"] = pd.array([1520, None], dtype="Int64")
    path = tmp_path / "qgis.gpkg"
    hubs.to_crs(3857).to_file(path, layer="hubs", driver="GPKG")
    links.to_crs(3857).to_file(path, layer="links", driver="GPKG")
    net = cp.load_network(path)
    assert net.hub("c").lon == pytest.approx(72.0, abs=1e-9) and net.hub("c").lat == pytest.approx(44.0, abs=1e-9)
    assert net.link("ab").two_way and net.link("bc").two_way and net.link("bc").gauge_mm is None
    assert net.modes == cp.load_network().modes and net.dataset.sources is None


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_line_breaks_and_separators_survive_or_are_refused(tmp_path: Path, fmt: str) -> None:
    """A lone carriage return survives the CSV tables; a list item holding its separator is refused, not split."""
    net = cp.Network.from_records([hub("a", lon=70, lat=45), hub("b", lon=71, lat=45)], [link("ab", "a", "b")],
                                  {"modes": [{**m, "note": "old\rmac\r\nwindows"} for m in MODES]})  # fmt: skip
    target = net.to_geojson(tmp_path / "f") if fmt == "geojson" else net.to_geopackage(tmp_path / "f.gpkg")
    assert_same_dataset(cp.load_network(target).dataset, net.dataset)
    for hubs, links, where in (([hub("a", aliases=["x|y"])], [], ("a", "aliases")),
                               ([hub("a", lon=70), hub("b", lon=71)], [link("ab", "a", "b", source=["S-1;S-2"])], ("ab", "source"))):  # fmt: skip
        with pytest.raises(cp.NetworkValidationError) as err:
            cp.Network.from_records(hubs, links)
        assert [(p.record, p.field) for p in err.value.problems] == [where]


def test_writers_warn_when_additions_cite_no_source(net: cp.Network, tmp_path: Path) -> None:
    bigger = net.extend(tables={"dwells": [{"at": "baku", "event": "port_call", **triple(2), "cost_usd": 0}]})
    with pytest.warns(UserWarning, match="sources"):
        bigger.to_geojson(tmp_path / "f")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.to_geojson(tmp_path / "g")  # the shipped data cites every source
    with pytest.warns(UserWarning, match="as_of=2030"):  # the format has no place for the network's year
        cp.Network(dataclasses.replace(net.dataset, as_of=2030)).to_geopackage(tmp_path / "h.gpkg")


# --------------------------------------------------------------------------- GeoDataFrames


def test_from_geodataframes_rebuilds_the_shipped_network(net: cp.Network) -> None:
    rules = {name.removesuffix(".csv"): pd.DataFrame(rows) for name, rows in table_rows(net.dataset).items()}
    hubs, links = net.hubs, net.links
    before = (hubs.copy(), links.copy())
    again = cp.Network.from_geodataframes(hubs, links, rules)
    assert_same_dataset(again.dataset, net.dataset)
    assert again.dataset.origin == "GeoDataFrames"
    assert hubs.equals(before[0]) and links.equals(before[1])


def test_from_geodataframes_reprojects(net: cp.Network) -> None:
    rules = table_rows(net.dataset)
    projected = cp.Network.from_geodataframes(net.hubs.to_crs(3857), net.links.to_crs(3857), rules)
    assert projected.hub("baku").lon == pytest.approx(net.hub("baku").lon, abs=1e-9)
    same_route(projected.plan("Beijing", "Baku"), net.plan("Beijing", "Baku"))


def user_frames() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    hubs = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"], "name": ["Ä", TRICKY, "C"], "country": ["KZ"] * 3, "kind": ["city", "city", "port"],
         "aliases": [None, "bee|Би", float("nan")], "note": [np.nan, "", "x"]},
        geometry=[Point(70, 45), Point(71, 45), Point(72, 44)], crs="EPSG:4326",
    )  # fmt: skip
    links = gpd.GeoDataFrame(
        {"id": ["ab", "bc"], "from": ["a", "b"], "to": ["b", "c"], "mode": ["rail", "road"],
         "gauge_mm": [1520, np.nan], "speed_kmh": [np.nan, np.nan], "two_way": [True, np.nan]},
        geometry=[LineString([(70, 45), (70.5, 45.3), (71, 45)]), None], crs="EPSG:4326",
    )  # fmt: skip
    return hubs, links


def test_from_geodataframes_nan_is_missing() -> None:
    hubs, links = user_frames()
    before = (hubs.copy(), links.copy())
    transfers = pd.DataFrame([{"at": "b", "from_layer": "rail", "to_layer": "road", **triple(2), "cost_usd": 10}])
    net = cp.Network.from_geodataframes(hubs, links, {"modes.csv": MODES, "transfers": transfers})
    assert net.link("bc").gauge_mm is None and net.link("bc").approximate and net.link("bc").two_way
    assert net.link("ab").speed_kmh is None and not net.link("ab").approximate
    assert list(net.link("ab").geometry.coords) == [(70, 45), (70.5, 45.3), (71, 45)]
    assert net.hub("b").aliases == ("bee", "Би") and net.hub("a").aliases == () and net.hub("a").note == ""
    assert net.find("Би").name == TRICKY
    assert net.plan("a", "c").link_ids == ("ab", "bc")
    assert hubs.equals(before[0]) and links.equals(before[1])


def test_from_geodataframes_links_without_geometry_column() -> None:
    hubs, links = user_frames()
    net = cp.Network.from_geodataframes(hubs, pd.DataFrame(links.drop(columns="geometry")))
    assert net.link("ab").approximate and len(net.link("ab").geometry.coords) >= 2


def test_from_geodataframes_rejects_non_point_hubs() -> None:
    hubs, links = user_frames()
    hubs = hubs.set_geometry([Point(70, 45).buffer(0.1), Point(71, 45), Point(72, 44)])
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.Network.from_geodataframes(hubs, links)
    problem = err.value.problems[0]
    assert (problem.file, problem.record, problem.field) == ("hubs", "a", "geometry")
    assert "Polygon" in problem.reason
    assert not [p for p in err.value.problems if p.field in ("lon", "lat")]


def test_from_geodataframes_rejects_multilinestrings() -> None:
    hubs, links = user_frames()
    from shapely.geometry import MultiLineString

    links = links.set_geometry([MultiLineString([[(70, 45), (71, 45)]]), None])
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.Network.from_geodataframes(hubs, links)
    assert [(p.file, p.record, p.field) for p in err.value.problems] == [("links", "ab", "geometry")]
    assert "MultiLineString" in err.value.problems[0].reason


# --------------------------------------------------------------------------- extend


GDANSK = dict(id="gdansk", name="Gdańsk", country="PL", kind="port", lon=18.65, lat=54.40, aliases="Danzig")


def test_extend_returns_a_new_network_and_mutates_nothing(net: cp.Network) -> None:
    hubs = [dict(GDANSK)]
    links = [{"id": "gdansk_warsaw_rail", "from": "gdansk", "to": "warsaw", "mode": "rail", "gauge_mm": 1435}]
    before_input = copy.deepcopy((hubs, links))
    parts = (
        "hubs",
        "links",
        "modes",
        "services",
        "borders",
        "transfers",
        "dwells",
        "corridors",
        "countries",
        "sources",
    )
    before_net = ({p: copy.copy(getattr(net.dataset, p)) for p in parts}, net.hub_ids, net.link_ids)
    bigger = net.extend(hubs=hubs, links=links, tables={"corridors": [{"id": "amber", "name": "Amber"}]})
    assert (hubs, links) == before_input
    assert ({p: getattr(net.dataset, p) for p in parts}, net.hub_ids, net.link_ids) == before_net
    assert "amber" in bigger.corridors and "amber" not in net.corridors
    assert "gdansk" not in net.hub_ids and bigger.find("Danzig").id == "gdansk"
    new = bigger.link("gdansk_warsaw_rail")
    assert new.approximate and new.distance_km == pytest.approx(284, abs=10)
    route = bigger.plan("Beijing", "Gdansk", avoid_modes=["road"])
    assert route.link_ids[-1] == "gdansk_warsaw_rail"
    assert bigger.dataset.origin == net.dataset.origin
    assert set(bigger.link_ids) == set(net.link_ids) | {"gdansk_warsaw_rail"}


def test_extend_keeps_year_and_scenarios() -> None:
    base = cp.Network.from_records([hub("a", lon=70, lat=45)], [])
    dataset = dataclasses.replace(base.dataset, as_of=2030, scenarios=("cku_open",), origin="mine")
    out = extend_dataset(dataset, [hub("b", lon=71, lat=45)], [link("ab", "a", "b")], label="scenario cku_open")
    assert (out.as_of, out.scenarios, out.origin) == (2030, ("cku_open",), "mine")
    assert [h.id for h in out.hubs] == ["a", "b"] and [k.id for k in out.links] == ["ab"]
    assert [h.id for h in dataset.hubs] == ["a"]
    # a countries table added to a network without one must list the network's own countries
    with pytest.raises(cp.NetworkValidationError) as err:
        extend_dataset(dataset, [], [], tables={"countries": [{"iso2": "UZ", "name": "U", "sco_status": "member"}]})
    assert [(p.file, p.record, p.field) for p in err.value.problems] == [("extend: countries.csv", "KZ", "iso2")]


def test_extend_reports_every_problem_at_the_additions(net: cp.Network) -> None:
    hubs = [dict(GDANSK, id="baku"), dict(GDANSK, id="lodz", country="XX"), dict(GDANSK, id="bad", kind="moon")]
    links = [
        {
            "id": "baku_tbilisi_road",
            "from": "warsaw",
            "to": "minsk",
            "mode": "rail",
            "gauge_mm": 1520,
            "border_crossing": "ru_by_rail_smolensk_orsha",
        },
        {"id": "x1", "from": "warsaw", "to": "atlantis", "mode": "rail", "gauge_mm": 1435},
        {"id": "x2", "from": "rotterdam", "to": "hamburg", "mode": "sea", "service": "no_such_service"},
        {"id": "x3", "from": "warsaw", "to": "minsk", "mode": "rail", "gauge_mm": 1435, "corridors": "nope"},
        {"id": "x4", "from": "hamburg", "to": "warsaw", "mode": "road"},
        {
            "id": "x4",
            "from": "hamburg",
            "to": "warsaw",
            "mode": "rail",
            "gauge_mm": 1435,
            "border_crossing": "pl_de_rail_frankfurt_oder",
        },
    ]
    with pytest.raises(cp.NetworkValidationError) as err:
        net.extend(hubs=hubs, links=links, label="my additions")
    found = {(p.file, p.record, p.field) for p in err.value.problems}
    assert {
        ("my additions: hubs", "baku", "id"),
        ("my additions: hubs", "lodz", "country"),
        ("my additions: hubs", "bad", "kind"),
        ("my additions: links", "baku_tbilisi_road", "id"),
        ("my additions: links", "x1", "to"),
        ("my additions: links", "x2", "service"),
        ("my additions: links", "x3", "corridors"),
        ("my additions: links", "x3", "border_crossing"),
        ("my additions: links", "x4", "border_crossing"),
        ("my additions: links", "x4", "id"),
    } <= found
    assert "my additions" in str(err.value)


def test_extend_with_rule_tables_and_geojson_features(net: cp.Network) -> None:
    feature = {"type": "Feature", "properties": {k: v for k, v in GDANSK.items() if k not in ("lon", "lat")},
               "geometry": {"type": "Point", "coordinates": [18.65, 54.40]}}  # fmt: skip
    hubs = [feature, dict(id="kaliningrad", name="Kaliningrad", country="RU", kind="city", lon=20.51, lat=54.71)]
    links = [{"id": "gdansk_kaliningrad_rail", "from": "gdansk", "to": "kaliningrad", "mode": "rail", "gauge_mm": 1435,
              "border_crossing": "pl_ru_braniewo", "corridors": ["baltic_link"]}]  # fmt: skip
    tables = {
        "borders": pd.DataFrame(
            [
                {
                    "id": "pl_ru_braniewo",
                    "name": "Braniewo",
                    "mode": "rail",
                    "hubs": "gdansk|kaliningrad",
                    **triple(8),
                    "cost_usd": 200,
                }
            ]
        ),
        "corridors.csv": [{"id": "baltic_link", "name": "Baltic link"}],
    }
    before = copy.deepcopy((feature, links))
    bigger = net.extend(hubs, links, tables)
    assert (feature, links) == before
    assert bigger.borders["pl_ru_braniewo"].time_h.typ == 8 and "baltic_link" in bigger.corridors
    assert "pl_ru_braniewo" not in net.borders
    route = bigger.plan("Gdansk", "Kaliningrad")
    assert [s.component for s in route.stops].count("border") == 1
    with pytest.raises(cp.NetworkValidationError) as err:
        net.extend(tables={"borders": [{**tables["borders"].iloc[0].to_dict(), "id": "ru_by_rail_smolensk_orsha"}],
                           "transfers": [{"at": "dostyk", "from_layer": "rail1435", "to_layer": "rail1520", **triple(1), "cost_usd": 1}],
                           "transfers.csv": [{"at": "nowhere", "from_layer": "rail", "to_layer": "moon", **triple(1), "cost_usd": 1}],
                           "nonsense": []})  # fmt: skip
    found = {(p.file, p.record, p.field) for p in err.value.problems}
    assert {("extend: borders.csv", "ru_by_rail_smolensk_orsha", "id"), ("extend: borders.csv", "ru_by_rail_smolensk_orsha", "hubs"),
            ("extend: transfers.csv", "dostyk", "at"), ("extend: transfers.csv", "row 2", "to_layer"),
            ("extend: nonsense", "", "")} <= found  # fmt: skip


def test_extended_network_round_trips(net: cp.Network, tmp_path: Path) -> None:
    bigger = net.extend(
        [GDANSK], [{"id": "gdansk_warsaw_rail", "from": "gdansk", "to": "warsaw", "mode": "rail", "gauge_mm": 1435}]
    )
    again = cp.load_network(bigger.to_geojson(tmp_path / "bigger"))
    assert_same_dataset(again.dataset, bigger.dataset)
    same_route(again.plan("Beijing", "Gdansk"), bigger.plan("Beijing", "Gdansk"))


@pytest.fixture
def no_searoute(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(sys.modules, "searoute", None)  # import searoute raises ImportError
    yield


SEA_LINK = {
    "id": "rotterdam_gdansk_sea",
    "from": "rotterdam",
    "to": "gdansk",
    "mode": "sea",
    "service": "black_sea_feeder",
}


def test_extend_sea_link_follows_a_sea_lane(net: cp.Network) -> None:
    pytest.importorskip("searoute")
    bigger = net.extend([GDANSK], [SEA_LINK])
    lane = bigger.link("rotterdam_gdansk_sea")
    straight = cp.Network.from_records([GDANSK, {"id": "rotterdam", "name": "R", "country": "NL", "kind": "port",
                                                 "lon": net.hub("rotterdam").lon, "lat": net.hub("rotterdam").lat}],
                                       [{**SEA_LINK, "service": None}]).link("rotterdam_gdansk_sea")  # fmt: skip
    assert lane.approximate and len(lane.geometry.coords) > 3
    assert lane.distance_km > straight.distance_km * 1.1  # round Denmark, not over it
    assert lane.geometry.coords[0] == (net.hub("rotterdam").lon, net.hub("rotterdam").lat)
    assert lane.geometry.coords[-1] == (GDANSK["lon"], GDANSK["lat"])


def test_extend_sea_link_passages_become_chokepoints(net: cp.Network) -> None:
    pytest.importorskip("searoute")
    link = {
        "id": "piraeus_singapore_sea",
        "from": "piraeus",
        "to": "singapore",
        "mode": "sea",
        "service": "asia_europe_mainline",
    }
    bigger = net.extend(links=[link])
    assert {"suez", "babalmandab"} <= set(bigger.link("piraeus_singapore_sea").chokepoints)
    round_cape = net.extend(links=[{**link, "via": "avoid:suez"}]).link("piraeus_singapore_sea")
    assert "suez" not in round_cape.chokepoints and "cape_of_good_hope" in round_cape.chokepoints


def test_extend_sea_link_without_searoute_is_a_great_circle(net: cp.Network, no_searoute: None) -> None:
    lane = net.extend([GDANSK], [SEA_LINK]).link("rotterdam_gdansk_sea")
    assert lane.approximate and lane.chokepoints == ()
    assert lane.distance_km == pytest.approx(1040, abs=30)


# --------------------------------------------------------------------------- route exports


@pytest.fixture(scope="module")
def route(net: cp.Network) -> cp.Route:
    return net.plan("Beijing", "Baku", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=2025)


def test_route_to_dict_is_json(route: cp.Route) -> None:
    d = route.to_dict()
    back = json.loads(json.dumps(d, allow_nan=False))
    assert back == d
    assert back["totals"]["distance_km"] == pytest.approx(route.distance_km)
    assert back["totals"]["time_h"] == pytest.approx(route.time_h)
    assert back["totals"]["cost_usd"] == pytest.approx(route.cost_usd)
    assert back["query"]["as_of"] == 2025 and back["query"]["avoid_modes"] == ["air", "pipeline", "road"]
    assert back["query"]["within"] == ["AZ", "CN", "KZ"]
    assert [leg["link_id"] for leg in back["legs"]] == list(route.link_ids)
    assert [leg["seq"] for leg in back["legs"]] == list(range(1, len(route.legs) + 1))
    assert sum(len(leg["stops_before"]) + len(leg["stops_after"]) for leg in back["legs"]) == len(route.stops)
    assert list(back["breakdown"]) == list(cp.COMPONENTS)
    assert sum(row["time_h"] for row in back["breakdown"].values()) == pytest.approx(route.time_h)
    assert back["corridors"] == list(route.corridors) and back["origin_name"] == route.legs[0].origin_name


def test_route_to_geojson_opens_in_geopandas(route: cp.Route, net: cp.Network) -> None:
    doc = route.to_geojson()
    assert json.loads(json.dumps(doc, allow_nan=False)) == doc
    assert doc["type"] == "FeatureCollection"
    assert doc["properties"]["totals"]["transit_days"] == pytest.approx(route.transit_days)
    assert doc["properties"]["query"]["as_of"] == 2025
    frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    legs, stops = frame[frame["feature"] == "leg"], frame[frame["feature"] == "stop"]
    assert list(legs["link_id"]) == list(route.link_ids) and set(legs.geom_type) == {"LineString"}
    assert len(stops) == len(route.stops) and set(stops.geom_type) == {"Point"}
    assert legs["distance_km"].sum() == pytest.approx(route.distance_km)
    assert legs["time_h"].sum() == pytest.approx(route.time_h)
    first = legs.iloc[0]
    assert (first["from"], first["to_name"]) == (route.origin, route.legs[0].destination_name)
    assert first.geometry.coords[0] == (net.hub(route.origin).lon, net.hub(route.origin).lat)
    assert {"seq", "link_id", "mode", "from", "to", "from_name", "to_name", "distance_km", "time_h", "cost_usd",
            "co2_kg", "corridors", "countries"} <= set(doc["features"][0]["properties"])  # fmt: skip
    gauge = stops[stops["component"] == "gauge_change"]
    assert len(gauge) >= 1 and gauge.iloc[0].geometry.coords[0] == (
        net.hub(gauge.iloc[0]["hub"]).lon,
        net.hub(gauge.iloc[0]["hub"]).lat,
    )


def test_route_exports_of_a_tricky_user_network(user_net: cp.Network, tmp_path: Path) -> None:
    route = user_net.plan("gorod", "port_b", as_of=2032)
    doc = route_to_geojson(route)
    path = tmp_path / "route.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    frame = gpd.read_file(path)
    assert TRICKY in set(frame["to_name"]) and len(frame) == len(route.legs) + len(route.stops)
    border = frame[frame["component"] == "border"].iloc[0]
    assert border["hub"] == "tricky|gate" and 71.0 < border.geometry.x < 72.0  # mid-crossing
    assert json.loads(json.dumps(route.to_dict()))["legs"][0]["from_name"] == "Горо́д"
