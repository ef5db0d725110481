"""Regression corpus of issue 8 (hardening): every reproducer gives the library's error, or a finite result.

Each test is one reproducer of the issue: a hostile or malformed dataset,
record, scenario or query option. None may raise anything but a
``CorridorPlannerError`` subclass naming the problem, none may run code, and
every result must hold finite numbers. Only the public API is used.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import corridor_planner as cp
import corridor_planner.cli

HUB_A = {"id": "a", "name": "A", "country": "KZ", "kind": "city", "lon": 70.0, "lat": 45.0}
HUB_B = {"id": "b", "name": "B", "country": "KZ", "kind": "city", "lon": 71.0, "lat": 45.0}
ROAD = {"id": "ab", "from": "a", "to": "b", "mode": "road"}


def tiny(**hub_a: Any) -> cp.Network:
    return cp.Network.from_records([{**HUB_A, **hub_a}, HUB_B], [ROAD])


def problems(err: pytest.ExceptionInfo[cp.NetworkValidationError]) -> set[tuple[str, str, str]]:
    return {(p.file, p.record, p.field) for p in err.value.problems}


def assert_finite(route: cp.Route) -> None:
    for value in (route.transit_days, route.distance_km, route.cost_usd, route.co2_kg):
        assert math.isfinite(value), route
    for leg in route.legs:
        assert all(math.isfinite(v) for v in (leg.time_h, leg.cost_usd, leg.distance_km, leg.co2_kg))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid dataset folder (written by the library), to corrupt file by file."""
    path = tmp_path_factory.mktemp("tiny")
    tiny().to_geojson(path)
    return path


def corrupted(folder: Path, tmp_path: Path, name: str, text: str | bytes) -> Path:
    out = tmp_path / "data"
    out.mkdir()
    for item in folder.iterdir():
        (out / item.name).write_bytes(item.read_bytes())
    target = out / name
    target.write_bytes(text if isinstance(text, bytes) else text.encode())
    return out


# --------------------------------------------------------------------------- 1. no code runs from a name


@pytest.mark.parametrize("name", ["{{7*7}}", "{% raw %}", "{{ cycler.__init__.__globals__.os.system('id') }}", "{# x"])
def test_template_syntax_in_a_name_is_not_rendered(name: str) -> None:
    pytest.importorskip("folium")
    net = tiny(name=name)
    page = net.explore().get_root().render()
    assert ("<b>49</b>" not in page and "&#123;&#123;" in page) or "&#123;" in page
    route_page = net.plan("a", "b").explore(network=net).get_root().render()
    assert "<b>49</b>" not in route_page
    assert "{{" not in net.plan("a", "b")._repr_html_() or name.startswith("{#")


def test_html_reprs_escape_names() -> None:
    net = tiny(name="<b>{{7*7}}</b>")
    html = net.plan("a", "b")._repr_html_() + net._repr_html_()
    assert "<b>{{" not in html and "49" not in html


# --------------------------------------------------------------------------- 2. non-finite numbers


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"scale": "dwell_time", "factor": math.nan}, "change[0].factor"),
        ({"scale": "dwell_time", "factor": 1e308}, "change[0].factor"),
        ({"scale": "cost", "factor": math.inf}, "change[0].factor"),
        ({"scale": "speed", "factor": math.inf}, "change[0].factor"),
        ({"add": "border_time", "hours": math.nan}, "change[0].hours"),
        ({"set": "speed", "value": 1e-300}, "change[0].value"),
        ({"set": "frequency", "value": 1e-320}, "change[0].value"),
        ({"as_of": 10**19}, "change[0].as_of"),
    ],
)
def test_scenario_numbers_must_be_finite_and_in_range(net: cp.Network, change: dict[str, Any], key: str) -> None:
    with pytest.raises(cp.ScenarioError) as err:
        net.apply({"scenario": {"name": "bad"}, "change": [change]})
    assert err.value.key == key


def test_scenarios_that_compound_out_of_range_are_rejected(net: cp.Network) -> None:
    big = {"scenario": {"name": "big"}, "change": [{"scale": "cost", "factor": 1000}]}
    with pytest.raises(cp.ScenarioError, match=r"change\[0\]\.factor.*gives link"):
        net.apply(big, big)  # 1e6 x the cost per TEU-km: out of range, not an infinite route


def test_scenario_toml_with_nan(tmp_path: Path) -> None:
    path = tmp_path / "nan.toml"
    path.write_text('[scenario]\nname = "nan"\n[[change]]\nscale = "dwell_time"\nfactor = nan\n')
    with pytest.raises(cp.ScenarioError, match="finite"):
        cp.load_network().apply(path)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("speed_kmh", 1e308), ("speed_kmh", 1e-300), ("distance_km", 1e308), ("distance_km", math.inf),
        ("cost_usd_per_teu_km", 1e308), ("co2_g_per_tkm", math.nan), ("opens", 10**19), ("opens", 1e19),
        ("distance_km", 10**400), ("speed_kmh", "nan"), ("speed_kmh", True), ("official_distance_km", -5),
    ],
)  # fmt: skip
def test_link_numbers_must_be_finite_and_in_range(field: str, value: Any) -> None:
    link = {**ROAD, field: value}
    if field == "opens":
        link["status"] = "planned"
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.Network.from_records([HUB_A, HUB_B], [link])
    assert ("links.geojson", "ab", field) in problems(err)


@pytest.mark.parametrize(
    ("table", "row", "field"),
    [
        ("services", {"id": "s", "mode": "sea", "name": "S", "frequency_per_week": 1e-320}, "frequency_per_week"),
        ("services", {"id": "s", "mode": "sea", "name": "S", "frequency_per_week": 1e308}, "frequency_per_week"),
        ("borders", {"id": "x", "name": "X", "mode": "rail", "hubs": "a", "time_h_min": 0, "time_h_typ": 1e308,
                     "time_h_max": 1e308, "cost_usd": 0}, "time_h_typ"),
        ("dwells", {"at": "*", "event": "port_call", "time_h_min": 0, "time_h_typ": 1, "time_h_max": 2,
                    "cost_usd": math.inf}, "cost_usd"),
    ],
)  # fmt: skip
def test_rule_numbers_must_be_finite_and_in_range(table: str, row: dict[str, Any], field: str) -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.Network.from_records([HUB_A, HUB_B], [ROAD], {table: [row]})
    assert field in {p.field for p in err.value.problems}


def test_hub_coordinates_too_large_for_a_float() -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        tiny(lon=10**400)
    assert ("hubs.geojson", "a", "lon") in problems(err)


def test_query_numbers_must_be_finite(net: cp.Network) -> None:
    for options in (
        {"optimize": "cost", "value_of_time": math.nan},
        {"optimize": "cost", "value_of_time": 1e308},
        {"optimize": {"cost": math.inf}},
        {"as_of": 10**19},
        {"as_of": 3000},
    ):
        with pytest.raises(cp.InvalidQueryError):
            net.plan("Beijing", "Baku", **options)


def test_extreme_but_valid_values_give_finite_routes(net: cp.Network) -> None:
    fast = net.apply({"scenario": {"name": "fast"}, "change": [{"set": "speed", "value": 1000}]})
    slow = net.apply(
        {"scenario": {"name": "slow"}, "change": [{"scale": "frequency", "factor": 0.002}]}
    )  # 0.5 a week -> 0.001
    for n in (fast, slow):
        assert_finite(n.plan("Beijing", "Baku"))


def test_a_network_after_an_extreme_scenario_round_trips(net: cp.Network, tmp_path: Path) -> None:
    with pytest.raises(cp.ScenarioError, match=r"gives link .* out of range"):  # 29.6 km/h x 1000
        net.apply({"scenario": {"name": "fast"}, "change": [{"scale": "speed", "factor": 1000, "modes": ["sea"]}]})
    # 30 x is in range, and writes files that load back
    fast = net.apply({"scenario": {"name": "fast", "sources": ["S-RODRIGUE"]},
                      "change": [{"scale": "speed", "factor": 30, "modes": ["sea"]}]})  # fmt: skip
    again = cp.load_network(fast.to_geojson(tmp_path / "fast"))
    assert_finite(again.plan("Shanghai", "Rotterdam"))


# --------------------------------------------------------------------------- 3. raw exceptions -> the library's errors


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_huge_integer_in_links_geojson(folder: Path, tmp_path: Path, digits: int) -> None:
    text = re.sub(r'"distance_km": [0-9.]+', '"distance_km": ' + "9" * digits, (folder / "links.geojson").read_text())
    assert "9" * digits in text
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.load_network(corrupted(folder, tmp_path, "links.geojson", text))
    assert ("links.geojson", "ab", "distance_km") in problems(err)


def test_deeply_nested_geojson(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(cp.NetworkValidationError, match=r"nested too deeply|not readable"):
        cp.load_network(corrupted(folder, tmp_path, "hubs.geojson", "[" * 100_000))


def test_a_geojson_file_with_a_bom_loads(folder: Path, tmp_path: Path) -> None:
    text = b"\xef\xbb\xbf" + (folder / "hubs.geojson").read_bytes()
    assert cp.load_network(corrupted(folder, tmp_path, "hubs.geojson", text)).hub_ids == ("a", "b")


def test_a_csv_with_a_bom_loads(folder: Path, tmp_path: Path) -> None:
    text = b"\xef\xbb\xbf" + (folder / "modes.csv").read_bytes()
    assert cp.load_network(corrupted(folder, tmp_path, "modes.csv", text)).modes


def test_a_csv_that_is_not_utf8(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(cp.NetworkValidationError, match=r"corridors\.csv"):
        cp.load_network(corrupted(folder, tmp_path, "corridors.csv", b"id,name\n\xff\xfe,x\n"))


@pytest.mark.parametrize(
    ("hubs", "links", "where"),
    [
        ([{**HUB_A, "id": ["a"]}, HUB_B], [ROAD], ("hubs.geojson", "feature 0", "id")),
        ([HUB_A, HUB_B], [{**ROAD, "from": ["a"]}], ("links.geojson", "ab", "from")),
        ([HUB_A, HUB_B], [{**ROAD, "geometry": [None]}], ("links.geojson", "ab", "geometry")),
        ([HUB_A, HUB_B], [{**ROAD, "geometry": pd.NA}], ("links.geojson", "ab", "geometry")),
        ([{**HUB_A, "geometry": pd.NA}, HUB_B], [ROAD], ("hubs.geojson", "a", "geometry")),
        ([HUB_A, HUB_B, "c"], [ROAD], ("hubs.geojson", "row 2", "")),
        ([HUB_A, HUB_B], [ROAD, 5], ("links.geojson", "row 1", "")),
        ([{**HUB_A, "name": "x" * 5000}, HUB_B], [ROAD], ("hubs.geojson", "a", "name")),
        ([{**HUB_A, "aliases": [1, 2]}, HUB_B], [ROAD], ("hubs.geojson", "a", "aliases")),
    ],
)
def test_bad_records(hubs: list[Any], links: list[Any], where: tuple[str, str, str]) -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.Network.from_records(hubs, links)
    assert where in problems(err)


def test_records_that_are_not_lists() -> None:
    with pytest.raises(cp.NetworkValidationError):
        cp.Network.from_records("hubs", "links")  # type: ignore[arg-type]
    with pytest.raises(cp.NetworkValidationError):
        cp.Network.from_geodataframes("hubs", "links")
    with pytest.raises(cp.NetworkValidationError):
        cp.Network.from_records([HUB_A, HUB_B], [ROAD], {"dwells": "abc"})  # type: ignore[dict-item]


def test_extend_with_a_table_that_is_text(net: cp.Network) -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        net.extend(tables={"dwells": "abc"})
    assert "must be" in str(err.value)
    with pytest.raises(cp.NetworkValidationError):
        net.extend(tables={"dwells": ["abc"]})
    with pytest.raises(cp.NetworkValidationError):
        net.extend(hubs=5)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b'[scenario]\nname = "\xff\xfe"\n', "UTF-8"),
        (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "TOML"),
        (b"x = {" * 3000, "TOML"),
    ],
)
def test_bad_scenario_files(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(cp.ScenarioError, match=match):
        cp.load_scenario(path)


def test_a_scenario_file_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b'\xef\xbb\xbf[scenario]\nname = "bom"\n')
    assert cp.load_scenario(path).name == "bom"


@pytest.mark.parametrize("name", ["a\x00.toml", "a\x00b", "x" * 5000, "x" * 5000 + ".toml", "/dev/zero", "/dev", "/"])
def test_scenario_paths_that_cannot_be_read(name: str) -> None:
    with pytest.raises(cp.ScenarioError):
        cp.load_scenario(name)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_scenario_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(cp.ScenarioError, match="regular file"):
        cp.load_scenario(fifo)


def test_a_huge_scenario_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text("# " + "x" * (2 << 20) + "\n")
    with pytest.raises(cp.ScenarioError, match="larger than"):
        cp.load_scenario(path)


@pytest.mark.parametrize(
    "data",
    [
        {"scale": {"a": 1}},
        {"change": [{"scale": {"a": 1}, "factor": 2}]},
        {"change": [{"close": ["links"], "ids": ["x"]}]},
        {"change": [{"add": {"a": 1}, "hours": 1}]},
        {"scenario": {"name": "x" * 5000}, "change": [{"close": "links", "ids": ["x" * 5000]}]},
    ],
)
def test_bad_scenario_structures(net: cp.Network, data: dict[str, Any]) -> None:
    with pytest.raises(cp.ScenarioError):
        net.apply(data)


@pytest.mark.parametrize(
    "options",
    [
        {"via": 5}, {"require_hubs": 5}, {"avoid_modes": 5}, {"within": 5}, {"cargo": ["container"]},
        {"avoid_countries": [["RU"]]}, {"avoid_hubs": [None]}, {"require_countries": {"KZ": 1}},
        {"avoid_chokepoints": [["suez"]]}, {"require_corridors": 5}, {"via": [5]}, {"optimize": None},
        {"optimize": {"cost": "1"}}, {"as_of": "2025"}, {"value_of_time": "150", "optimize": "cost"},
    ],
)  # fmt: skip
def test_option_types(net: cp.Network, options: dict[str, Any]) -> None:
    with pytest.raises(cp.InvalidQueryError) as err:
        net.plan("Beijing", "Baku", **options)
    assert next(iter(options)) in str(err.value)


def test_other_wrong_types(net: cp.Network) -> None:
    with pytest.raises(cp.InvalidQueryError, match="criteria"):
        net.pareto("Beijing", "Baku", criteria=None)  # type: ignore[arg-type]
    with pytest.raises(cp.InvalidQueryError):
        net.hub(None)  # type: ignore[arg-type]
    with pytest.raises(cp.InvalidQueryError):
        net.link(5)  # type: ignore[arg-type]
    with pytest.raises(cp.InvalidQueryError):
        net.find(["Beijing"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- 5. bad data rejected


def test_duplicate_modes_rows() -> None:
    rows = [{"mode": "road", "speed_kmh": 40, "hours_per_day": 9, "cost_usd_per_teu_km": 1, "co2_g_per_tkm": 100}] * 2
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.Network.from_records([HUB_A, HUB_B], [ROAD], {"modes": rows})
    assert ("modes.csv", "road", "mode") in problems(err)


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("dwells", {"at": "*", "event": "port_call", "time_h_min": 1, "time_h_typ": 2, "time_h_max": 3, "cost_usd": 0}),
        ("transfers", {"at": "a", "from_layer": "rail", "to_layer": "road", "time_h_min": 1, "time_h_typ": 2,
                       "time_h_max": 3, "cost_usd": 0}),
    ],
)  # fmt: skip
def test_duplicate_rules(table: str, row: dict[str, Any]) -> None:
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.Network.from_records([HUB_A, HUB_B], [ROAD], {table: [row, dict(row)]})
    assert (f"{table}.csv", row["at"], "at") in problems(err)


def test_a_distance_absurdly_short_for_its_geometry() -> None:
    far = {**HUB_B, "lon": 77.0}  # 550 km from a
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.Network.from_records([HUB_A, far], [{**ROAD, "distance_km": 1e-300}])
    assert ("links.geojson", "ab", "distance_km") in problems(err)
    with pytest.raises(cp.NetworkValidationError):
        cp.Network.from_records([HUB_A, far], [{**ROAD, "distance_km": 1.0}])


def test_an_official_distance_far_from_the_geometry() -> None:
    line = [(70.0, 45.0), (71.0, 45.0)]  # 78.8 km, drawn (not approximate)
    with pytest.raises(cp.NetworkValidationError) as err:
        cp.Network.from_records([HUB_A, HUB_B], [{**ROAD, "geometry": line, "official_distance_km": 788}])
    assert ("links.geojson", "ab", "official_distance_km") in problems(err)
    ok = cp.Network.from_records([HUB_A, HUB_B], [{**ROAD, "geometry": line, "official_distance_km": 82}])
    assert ok.link("ab").official_distance_km == 82
    # a straight (approximate) line is only a lower bound: a longer official distance is fine, a shorter one is not
    assert cp.Network.from_records([HUB_A, HUB_B], [{**ROAD, "official_distance_km": 120}]).link("ab").approximate
    with pytest.raises(cp.NetworkValidationError):
        cp.Network.from_records([HUB_A, HUB_B], [{**ROAD, "official_distance_km": 40}])


def test_the_shipped_data_passes_the_distance_checks(net: cp.Network) -> None:
    assert any(k.official_distance_km for k in net.dataset.links)  # the check above ran on real rows


# --------------------------------------------------------------------------- 4. require_* is not exponential


def test_twenty_required_hubs_finish_in_seconds(net: cp.Network) -> None:
    base = net.plan("Beijing", "Duisburg")
    off_the_way = ["shanghai", "altynkol", "tianjin", "tashkent"]
    on_the_way = [h for h in base.hubs[1:-1] if h not in off_the_way]
    required = [*on_the_way[: 20 - len(off_the_way)], *off_the_way]
    assert len(set(required)) == 20, required
    route = net.plan("Beijing", "Duisburg", require_hubs=required)  # timed in benchmarks/bench_routing.py
    assert set(required) <= set(route.hubs)
    assert route.transit_days >= base.transit_days
    assert_finite(route)


def test_too_many_requirements_off_the_way_give_a_clear_error_quickly(net: cp.Network) -> None:
    far = ["shanghai", "altynkol", "tianjin", "tashkent", "baku", "aktau", "tbilisi", "istanbul", "kashgar", "almaty",
           "poti", "constanta", "mersin", "bandar_abbas", "karachi", "mumbai", "riga", "helsinki", "moscow", "piraeus"]  # fmt: skip
    far = [h for h in far if h in net.hub_ids]
    # how long the error takes is measured by benchmarks/bench_routing.py, not asserted here
    # either more requirements off the way than are enforced, or the search's state budget runs out first
    with pytest.raises(cp.InvalidQueryError, match=r"require(: more than 6 of the| fewer hubs)"):
        net.plan("Beijing", "Duisburg", require_hubs=far)


def test_a_search_past_its_state_budget_is_a_clear_error(net: cp.Network, monkeypatch: pytest.MonkeyPatch) -> None:
    """The budget bounds one search (requirements and repeat marks multiply its states); past it, a clear error."""
    from corridor_planner.routing import search

    route = net.plan("Beijing", "Baku", require_hubs=["tashkent"])  # within the real budget
    assert "tashkent" in route.hubs
    monkeypatch.setattr(search, "MIN_STATE_BUDGET", 10)
    monkeypatch.setattr(search, "GRAPH_COPIES", 0)
    with pytest.raises(cp.InvalidQueryError, match=r"beijing -> baku passed 10 states .* require fewer hubs"):
        net.plan("Beijing", "Baku", require_hubs=["tashkent"])
