"""Bad input gets a NetworkValidationError naming file, record and field; user objects are never mutated."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from tinynet import MODES, build, hub, link

import corridor_planner as cp
from corridor_planner.model import default_data_dir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def _edit_links(folder: Path, edit: Any) -> None:
    path = folder / "links.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc["features"])
    path.write_text(json.dumps(doc), encoding="utf-8")


def _problems(folder: Path) -> list[cp.Problem]:
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.load_network(folder)
    return list(err.value.problems)


def test_a_copy_of_the_shipped_data_loads(folder: Path) -> None:
    assert len(cp.load_network(folder).link_ids) == len(cp.load_network().link_ids)


def test_malformed_geojson(folder: Path) -> None:
    (folder / "hubs.geojson").write_text("{not json", encoding="utf-8")
    problems = _problems(folder)
    assert problems[0].file == "hubs.geojson" and "not readable GeoJSON" in problems[0].reason


def test_every_problem_is_listed_with_file_record_and_field(folder: Path) -> None:
    def edit(features: list[dict[str, Any]]) -> None:
        features[0]["properties"]["distance_km"] = -5
        features[1]["properties"]["to"] = "atlantis"
        features[2]["properties"]["colour"] = "red"
        features[3]["properties"]["speed_kmh"] = "fast"

    _edit_links(folder, edit)
    found = {(p.file, p.field) for p in _problems(folder)}
    assert {("links.geojson", "distance_km"), ("links.geojson", "to"), ("links.geojson", "colour"),
            ("links.geojson", "speed_kmh")} <= found  # fmt: skip


def test_hub_with_nan_coordinates(folder: Path) -> None:
    path = folder / "hubs.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["geometry"]["coordinates"] = [float("nan"), 40.0]
    path.write_text(json.dumps(doc), encoding="utf-8")
    problems = _problems(folder)
    assert any(p.file == "hubs.geojson" and p.field == "lon" for p in problems)


def test_negative_or_missing_numbers_in_a_rule_table(folder: Path) -> None:
    path = folder / "borders.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("time_h_typ")] = "-3"
    row[header.index("cost_usd")] = ""
    path.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")
    problems = _problems(folder)
    record = row[0]
    assert any(p.file == "borders.csv" and p.record == record and p.field == "time_h_typ" for p in problems)
    assert any(p.file == "borders.csv" and p.record == record and p.field == "cost_usd" for p in problems)


def test_dangling_source_is_an_error(folder: Path) -> None:
    _edit_links(folder, lambda f: f[0]["properties"].__setitem__("source", "S-DOES-NOT-EXIST"))
    problems = _problems(folder)
    assert any(p.field == "source" and "S-DOES-NOT-EXIST" in p.reason for p in problems)


def test_link_to_missing_hub_in_records() -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        build([hub("a")], [link("ab", "a", "b")])
    assert str(err.value.problems[0]) == "links.geojson: ab: to: hub 'b' does not exist"


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        cp.load_network(tmp_path / "nope")


def test_records_and_queries_are_not_mutated() -> None:
    hubs = [hub("a"), hub("b", lon=1), hub("c", lon=2)]
    links = [link("ab", "a", "b"), link("bc", "b", "c")]
    tables = {"modes": copy.deepcopy(MODES)}
    before = copy.deepcopy((hubs, links, tables))
    net = build(hubs, links, **tables)
    via: list[str] = ["b"]
    avoid: list[str] = []
    net.plan("a", "c", via=via, avoid_hubs=avoid)
    assert (hubs, links, tables) == before
    assert via == ["b"] and avoid == []


def test_planning_never_changes_the_network(net: cp.Network) -> None:
    snapshot = (net.dataset, net.router.graph.time_h.copy(), net.router.graph.cost_usd.copy())
    net.plan("Beijing", "Baku", avoid_countries=["RU"], as_of=2025)
    net.plan("Beijing", "Duisburg", optimize="cost", as_of=2025)
    assert net.dataset == snapshot[0]
    assert (net.router.graph.time_h == snapshot[1]).all() and (net.router.graph.cost_usd == snapshot[2]).all()
