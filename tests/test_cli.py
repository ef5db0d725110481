"""The ``corridor-planner`` command line: in-process through ``main()``, and a few real subprocesses."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import corridor_planner as cp
from corridor_planner.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("corridor-planner")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("corridor-planner: error: ")
    assert "Traceback" not in err
    return lines[0]


def totals(data: dict[str, Any]) -> dict[str, float]:
    return {k: data["totals"][k] for k in ("distance_km", "transit_days", "cost_usd", "co2_kg")}


def expected_totals(route: cp.Route) -> dict[str, float]:
    return {
        "distance_km": route.distance_km, "transit_days": route.transit_days,
        "cost_usd": route.cost_usd, "co2_kg": route.co2_kg,
    }  # fmt: skip


# ---------------------------------------------------------------------------- route
def test_route_table_shows_totals_and_one_line_per_leg(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    route = net.plan("Beijing", "Baku", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=2025)
    code, out, err = run(
        capsys, "route", "Beijing", "Baku", "--only-mode", "rail,sea", "--within", "CN,KZ,AZ", "--as-of", "2025"
    )
    assert code == 0 and err == ""
    assert f"{route.transit_days:.1f} days" in out
    assert f"{route.distance_km:,.0f} km" in out
    assert f"USD {route.cost_usd:,.0f}/TEU" in out
    assert f"{route.co2_kg / 1000:.2f} t CO2/TEU" in out
    legs = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines() if line.lstrip().split(" ")[0].isdigit()]
    assert len(legs) == len(route.legs)
    for cells, leg in zip(legs, route.legs, strict=True):
        assert leg.origin_name in cells and leg.destination_name in cells and leg.mode in cells
    assert "days by component: moving" in out


def test_route_json_matches_plan(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    argv = [
        "route",
        "Beijing",
        "Baku",
        "--via",
        "Tianjin:sea",
        "--via",
        "Poti:sea",
        "--avoid-country",
        "kz,KG",
        "--avoid-country",
        "RU,mn",
    ]
    code, out, _ = run(capsys, *argv, "--as-of", "2025", "--format", "json")
    assert code == 0
    data = json.loads(out)
    route = net.plan(
        "Beijing",
        "Baku",
        via=[("Tianjin", "sea"), ("Poti", "sea")],
        avoid_countries=["KZ", "KG", "RU", "MN"],
        as_of=2025,
    )
    assert totals(data) == pytest.approx(expected_totals(route))
    assert data["hubs"] == list(route.hubs)
    assert data == json.loads(json.dumps(route.to_dict()))


@pytest.mark.parametrize("optimize", cp.OBJECTIVES)
def test_route_options_reach_plan(capsys: pytest.CaptureFixture[str], net: cp.Network, optimize: str) -> None:
    argv = ["Shanghai", "Rotterdam", "--optimize", optimize, "--avoid-chokepoint", "suez", "--avoid-hub", "Singapore"]
    code, out, _ = run(capsys, "route", *argv, "--cargo", "general", "--format", "json")
    assert code == 0
    route = net.plan(
        "Shanghai", "Rotterdam", optimize=optimize, avoid_chokepoints="suez", avoid_hubs="Singapore", cargo="general"
    )
    assert totals(json.loads(out)) == pytest.approx(expected_totals(route))


def test_route_geojson_is_a_feature_collection(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    code, out, _ = run(capsys, "route", "Beijing", "Baku", "--format", "geojson")
    assert code == 0
    data = json.loads(out)
    assert data["type"] == "FeatureCollection"
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert len(lines) == len(net.plan("Beijing", "Baku").legs)


def test_unknown_place_is_one_line_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "route", "Bejing", "Baku")
    assert code == 1 and out == ""
    line = one_error_line(err)
    assert "'Bejing'" in line and "Beijing" in line


def test_no_route_names_the_constraint(capsys: pytest.CaptureFixture[str]) -> None:
    modes = [arg for mode in ("rail", "road", "sea", "air") for arg in ("--avoid-mode", mode)]
    code, out, err = run(capsys, "route", "Almaty", "Tashkent", *modes)
    assert code == 1 and out == ""
    line = one_error_line(err)
    assert "no route" in line and "avoid_modes" in line


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["route", "Beijing", "Baku", "--optimize", "speed"], ["--optimize", "speed"]),
        (["route", "Beijing", "Baku", "--avoid-mode", "boat"], ["--avoid-mode", "boat", "rail"]),
        (["route", "Beijing", "Baku", "--via", "Tianjin:boat"], ["--via", "PLACE:MODE"]),
        (["route", "Beijing", "Baku", "--as-of", "soon"], ["--as-of", "soon"]),
        (["route", "Beijing", "Baku", "--value-of-time", "inf"], ["--value-of-time", "'inf'"]),
        (["route", "Beijing", "Baku", "--optimize", "distance", "--value-of-time", "150"], ["value_of_time", "cost"]),
        (["route", "Beijing", "Baku", "--avoid-country", "XX"], ["'XX'", "ISO 3166"]),
        (["route", "Beijing", "Baku", "--avoid-chokepoint", "panama"], ["'panama'", "suez"]),
        (["route", "Beijing", "Beijing"], ["same hub"]),
        (["route", "Beijing"], ["DESTINATION"]),
        (["alternatives", "Beijing", "Baku", "-k", "0"], ["-k"]),
        (["hubs", "--kind", "harbour"], ["--kind", "port"]),
        (["hubs", "--country", "QQ"], ["'QQ'"]),
        (["map", "Beijing", "Baku", "-o", "route.txt"], [".html", ".png"]),
        (["route", "Beijing", "Baku", "--data", "/no/such/folder"], ["/no/such/folder"]),
        (["routes", "Beijing", "Baku"], ["routes"]),
        ([], ["route", "hubs"]),
    ],
)
def test_invalid_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    line = one_error_line(err)
    for word in words:
        assert word in line


# ---------------------------------------------------------------------------- hubs
def test_hubs_filter_by_country_and_kind(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    code, out, _ = run(capsys, "hubs", "--country", "kz", "--kind", "port", "--format", "json")
    assert code == 0
    hubs = json.loads(out)
    expected = net.hubs[(net.hubs["country"] == "KZ") & (net.hubs["kind"] == "port")]
    assert sorted(h["id"] for h in hubs) == sorted(expected["id"])
    assert {"aktau", "kuryk"} <= {h["id"] for h in hubs}
    assert all(h["country"] == "KZ" and h["kind"] == "port" and "sea" in h["modes"].split(",") for h in hubs)


def test_hubs_table_and_csv(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    code, out, _ = run(capsys, "hubs", "--country", "AZ,GE", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["id", "name", "country", "kind", "modes"]
    assert {r["country"] for r in rows} == {"AZ", "GE"}
    assert len(rows) == int(net.hubs["country"].isin(["AZ", "GE"]).sum())
    code, out, _ = run(capsys, "hubs", "--country", "AZ")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["id", "name", "country", "kind", "modes"]
    assert any(line.startswith("baku ") for line in lines)


# ---------------------------------------------------------------------------- help and version
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_shows_examples(capsys: pytest.CaptureFixture[str], command: str | None) -> None:
    code, out, _ = run(capsys, *([command] if command else []), "--help")
    assert code == 0
    assert "xamples:" in out
    assert f"corridor-planner {command or 'route'} " in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"corridor-planner {cp.__version__}"


# ---------------------------------------------------------------------------- alternatives
def test_alternatives_table_json_and_csv(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    routes = net.alternatives("Beijing", "Duisburg", k=3, as_of=2025)
    code, out, _ = run(capsys, "alternatives", "Beijing", "Duisburg", "-k", "3", "--as-of", "2025")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["rank", "label"]
    assert len(lines) == 1 + len(routes) + 2 + len(
        routes
    )  # the table, a blank line, "why each differs:", one per route
    assert lines[1 + len(routes) + 1] == "why each differs:"
    for route, why in zip(routes, lines[-len(routes) :], strict=True):
        assert route.reason in why and route.label in why
    for rank, (line, route) in enumerate(zip(lines[1 : 1 + len(routes)], routes, strict=True), start=1):
        assert line.split()[0] == str(rank)
        assert route.label in line and f"{route.transit_days:.1f}" in line

    code, out, _ = run(capsys, "alternatives", "Beijing", "Duisburg", "-k", "3", "--as-of", "2025", "--format", "json")
    data = json.loads(out)
    assert [d["rank"] for d in data] == list(range(1, len(routes) + 1))
    assert [totals(d) for d in data] == [pytest.approx(expected_totals(r)) for r in routes]

    code, out, _ = run(capsys, "alternatives", "Beijing", "Duisburg", "-k", "3", "--as-of", "2025", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [float(r["km"]) for r in rows] == pytest.approx([r.distance_km for r in routes])
    assert rows[0]["label"] == routes[0].label


# ---------------------------------------------------------------------------- scenarios and compare


def test_scenarios_lists_the_shipped_ones(capsys: pytest.CaptureFixture[str]) -> None:
    names = cp.list_scenarios()
    code, out, _ = run(capsys, "scenarios", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [d["name"] for d in data] == list(names)
    assert all(d["title"] for d in data)
    code, out, _ = run(capsys, "scenarios")
    assert code == 0 and all(name in out for name in names)


def test_route_with_a_scenario_matches_apply(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    code, out, _ = run(capsys, "route", "Shanghai", "Rotterdam", "--scenario", "red_sea_closed", "--format", "json")
    assert code == 0
    route = net.apply("red_sea_closed").plan("Shanghai", "Rotterdam")
    assert totals(json.loads(out)) == pytest.approx(expected_totals(route))
    code, out, _ = run(capsys, "route", "Shanghai", "Rotterdam", "--scenario", "red_sea_closed")
    assert code == 0 and "scenario red_sea_closed" in out.splitlines()[0]


def test_compare_csv_json_and_table(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    pairs = [("Beijing", "Baku"), ("Shanghai", "Rotterdam")]
    argv = ["compare", "--scenario", "red_sea_closed", "--pair", "Beijing:Baku", "--pair", "Shanghai:Rotterdam"]
    frame = cp.compare(net, ["red_sea_closed"], pairs, avoid_modes=["rail", "road"], progress=False)
    code, out, _ = run(capsys, *argv, "--avoid-mode", "rail,road", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["scenario"] for r in rows] == ["base", "base", "red_sea_closed", "red_sea_closed"]
    assert [r["status"] for r in rows] == list(frame["status"])
    assert [r["message"] for r in rows] == list(frame["message"])
    shanghai = [i for i, r in enumerate(rows) if r["origin"] == "shanghai"]
    assert [float(rows[i]["days"]) for i in shanghai] == pytest.approx(list(frame["days"].iloc[shanghai]))
    assert float(rows[shanghai[1]]["delta_days"]) > 5  # round the Cape

    code, out, _ = run(capsys, *argv, "--avoid-mode", "rail,road", "--format", "json")
    data = json.loads(out)
    assert data[0]["days"] is None and data[0]["status"] == "no route"  # Beijing-Baku needs rail or road
    assert [d["km"] for d in data if d["km"] is not None] == pytest.approx(list(frame["km"].dropna()))

    code, out, _ = run(capsys, *argv)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["scenario", "origin", "destination", "status"] and len(lines) == 5
    assert lines[1].startswith("base ")


def test_compare_scenarios_together_and_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["compare", "--scenario", "red_sea_closed", "--scenario", "avoid_russia+caspian_congestion"]
    code, out, _ = run(capsys, *argv, "--pair", "Beijing:Baku", "--baseline", "red_sea_closed", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert len(data) == 2 and data[0]["scenario"] == "red_sea_closed" and data[0]["delta_days"] == 0
    assert data[1]["delta_days"] > 0
    code, out, _ = run(capsys, *argv, "--pair", "Beijing:Baku", "--baseline", "none", "--format", "json")
    assert [d["delta_days"] for d in json.loads(out)] == [None, None]


def test_unknown_scenario_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "route", "Beijing", "Baku", "--scenario", "red_sea_close")
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert "'red_sea_close'" in line and "red_sea_closed" in line


# ---------------------------------------------------------------------------- map
def test_map_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("folium")
    target = tmp_path / "route.html"
    code, out, _ = run(capsys, "map", "Beijing", "Baku", "-o", str(target))
    assert code == 0 and out.strip() == f"wrote {target}"
    assert "leaflet" in target.read_text(encoding="utf-8").lower()


def test_map_png(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    target = tmp_path / "route.png"
    code, _, _ = run(capsys, "map", "Beijing", "Baku", "-o", str(target), "--avoid-mode", "road")
    assert code == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "MPLBACKEND" not in os.environ  # main() leaves the process as it found it


@pytest.mark.parametrize(("module", "suffix"), [("folium", ".html"), ("matplotlib", ".png")])
def test_map_without_the_plot_extra(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, module: str, suffix: str
) -> None:
    for name in [m for m in sys.modules if m == module or m.startswith(f"{module}.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if it were not installed
    target = tmp_path / f"route{suffix}"
    code, out, err = run(capsys, "map", "Beijing", "Baku", "-o", str(target))
    assert code == 1 and out == ""
    line = one_error_line(err)
    assert module in line and "corridor_planner[plot]" in line
    assert not target.exists()


# ---------------------------------------------------------------------------- as real processes
@pytest.mark.slow
def test_python_m_route_json(net: cp.Network) -> None:
    argv = [sys.executable, "-m", "corridor_planner", "route", "Beijing", "Baku", "--as-of", "2025", "--format", "json"]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert totals(json.loads(done.stdout)) == pytest.approx(expected_totals(net.plan("Beijing", "Baku", as_of=2025)))


@pytest.mark.slow
def test_installed_script_unknown_place() -> None:
    assert SCRIPT.is_file(), "the corridor-planner script is not installed (pip install -e .)"
    done = subprocess.run([str(SCRIPT), "route", "Bejing", "Baku"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert "Beijing" in one_error_line(done.stderr)


@pytest.mark.slow
def test_installed_script_invalid_option() -> None:
    done = subprocess.run(
        [str(SCRIPT), "route", "Beijing", "Baku", "--optimize", "speed"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "--optimize" in one_error_line(done.stderr)


def test_within_require_and_value_of_time_reach_plan(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    code, out, _ = run(
        capsys, "route", "Beijing", "Minsk", "--within", "sco-members", "--as-of", "2025", "--format", "json"
    )
    assert code == 0
    expected = net.plan("Beijing", "Minsk", within=cp.SCO_MEMBERS, as_of=2025)
    assert json.loads(out)["totals"]["transit_days"] == pytest.approx(expected.transit_days)
    code, out, _ = run(
        capsys, "route", "Beijing", "Duisburg", "--require-chokepoint", "caspian", "--as-of", "2025", "--format", "json"
    )
    assert code == 0 and "caspian" in json.loads(out)["chokepoints"]
    code, _, err = run(capsys, "route", "Beijing", "Duisburg", "--require-hub", "Atasu", "--as-of", "2025")
    assert code == 1 and "require" in err and "Traceback" not in err
    code, out, _ = run(
        capsys, "route", "Beijing", "Duisburg", "--value-of-time", "150", "--as-of", "2025", "--format", "json"
    )
    priced = net.plan("Beijing", "Duisburg", optimize="cost", value_of_time=150, as_of=2025)
    assert code == 0 and json.loads(out)["totals"]["cost_usd"] == pytest.approx(priced.cost_usd)


def test_matrix_rows_equal_net_matrix(capsys: pytest.CaptureFixture[str], net: cp.Network) -> None:
    frame = net.matrix(["Beijing", "Almaty"], ["Baku", "Tashkent", "Beijing"], avoid_countries=["RU"])
    code, out, _ = run(capsys, "matrix", "--from", "Beijing,Almaty", "--to", "Baku", "--to", "Tashkent,Beijing",
                       "--avoid-country", "RU", "--format", "csv")  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["origin"], r["destination"], r["status"]) for r in rows] == list(
        zip(frame["origin"], frame["destination"], frame["status"], strict=True)
    )
    assert [float(r["transit_days"]) for r in rows] == pytest.approx(list(frame["transit_days"]))
    code, out, _ = run(capsys, "matrix", "--from", "Beijing", "--to", "Baku,Beijing")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["origin", "destination", "status", "days"]
    assert lines[1].split()[:3] == ["beijing", "baku", "ok"] and lines[2].split()[:3] == ["beijing", "beijing", "same"]


def test_matrix_no_route_is_a_row_or_with_strict_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "matrix", "--from", "Beijing", "--to", "Baku", "--only-mode", "sea", "--format", "json"
    )
    assert code == 0 and err == ""
    (row,) = json.loads(out)
    assert row["status"] == "no_route" and "blocks every route" in row["reason"]
    code, out, err = run(capsys, "matrix", "--from", "Beijing", "--to", "Baku", "--only-mode", "sea", "--strict")
    assert code == 1 and out == ""
    assert "no route from 'beijing' to 'baku'" in one_error_line(err)


def test_matrix_rejects_depart_and_bad_workers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "matrix", "--from", "Beijing", "--depart", "2026-03-01")
    assert code == 2 and out == "" and "--depart" in one_error_line(err)
    code, out, err = run(capsys, "matrix", "--workers", "0")
    assert code == 2 and out == "" and "'0' is not a positive whole number" in one_error_line(err)


def test_workers_give_the_same_tables(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--from", "Beijing,Urumqi,Almaty", "--to", "Baku,Poti", "--format", "csv"]
    code, one, _ = run(capsys, "matrix", *argv)
    code2, two, _ = run(capsys, "matrix", *argv, "--workers", "2")
    assert code == code2 == 0 and one == two
    argv = ["compare", "--scenario", "avoid_russia", "--pair", "Beijing:Baku", "--pair", "Xian:Poti", "--format", "csv"]
    code, one, _ = run(capsys, *argv)
    code2, two, _ = run(capsys, *argv, "--workers", "2")
    assert code == code2 == 0 and one == two
