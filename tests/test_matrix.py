"""Network.matrix: every cell equals plan() for the pair (shipped network and random ones)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import ATTR, common, make, networks

import corridor_planner as cp
from corridor_planner.routing.matrix import one_to_many

FIGURES = ("transit_days", "time_h", "distance_km", "cost_usd", "co2_kg", "co2e_kg")


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def check_against_plan(net: cp.Network, table: pd.DataFrame, **options: Any) -> None:
    """Every row of ``table`` against ``net.plan`` of its pair with ``options``."""
    for row in table.itertuples(index=False):
        if row.origin == row.destination:
            assert row.status == "same"
            continue
        try:
            route = net.plan(row.origin, row.destination, **options)
        except cp.NoRouteError as exc:
            assert row.status == "no_route", (row.origin, row.destination)
            assert row.reason == str(exc)
            assert all(math.isnan(getattr(row, f)) for f in FIGURES)
            continue
        assert row.status == "ok", (row.origin, row.destination, row.reason)
        assert row.reason == ""
        for f in FIGURES:
            assert close(getattr(row, f), getattr(route, f)), (row.origin, row.destination, f)


def sample_hubs(net: cp.Network, k: int, seed: int) -> list[str]:
    hubs = [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]
    rng = np.random.default_rng(seed)
    return [hubs[i] for i in sorted(rng.choice(len(hubs), size=k, replace=False))]


@pytest.mark.parametrize("optimize", sorted(ATTR))
def test_matrix_equals_plan_on_a_sample_of_shipped_hubs(net: cp.Network, optimize: str) -> None:
    origins, destinations = sample_hubs(net, 14, 1), sample_hubs(net, 14, 2)
    table = net.matrix(origins, destinations, optimize=optimize)
    assert len(table) == len(origins) * len(destinations)
    assert list(table["origin"].unique()) == origins
    assert list(table["destination"][: len(destinations)]) == destinations
    check_against_plan(net, table, optimize=optimize)
    stats = table.attrs["matrix"]
    assert stats["per_pair"] == 0 and stats["array"] > 0


def test_matrix_equals_plan_for_every_cell_of_the_shipped_network(net: cp.Network) -> None:
    """All 151 x 151 cells for time: the array search, its hub-repeat repairs and the no-route reasons."""
    table = net.matrix()
    stats = table.attrs["matrix"]
    assert stats["repaired"] > 0  # paths that enter a hub twice exist, and are planned again
    assert set(table["status"]) == {"ok", "no_route", "same"}
    check_against_plan(net, table)


@pytest.mark.parametrize(
    "options",
    [
        {"optimize": {"cost": 1.0, "time": 150.0}},
        {"optimize": "cost", "value_of_time": 80.0},
        {"avoid_countries": ["RU"], "avoid_modes": "road", "crew": 2},
        {"within": cp.SCO_MEMBERS, "optimize": "distance"},
        {"only_modes": ["rail", "sea"], "as_of": 2030, "avoid_chokepoints": ["suez"]},
        {"cargo": "liquid_bulk", "optimize": "co2e"},
    ],
)
def test_supported_options_use_the_arrays_and_equal_plan(net: cp.Network, options: dict[str, Any]) -> None:
    hubs = sample_hubs(net, 10, 3)
    if "within" in options:
        inside = net.country_group(cp.SCO_MEMBERS)
        hubs = [h for h in net.hub_ids if net.hub(h).country in inside and net.hub(h).kind != "waypoint"][:10]
    table = net.matrix(hubs, **options)
    assert table.attrs["matrix"]["per_pair"] == 0
    check_against_plan(net, table, **options)


@pytest.mark.parametrize(
    "options",
    [
        {"via": ["Tbilisi"]},
        {"require_countries": ["GE"]},
        {"optimize": "p90_time"},
    ],
)
def test_unsupported_options_fall_back_to_plan_per_pair(net: cp.Network, options: dict[str, Any]) -> None:
    hubs = ["beijing", "almaty", "baku", "istanbul"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = net.matrix(hubs, **options)
        stats = table.attrs["matrix"]
        assert stats["array"] == 0 and stats["per_pair"] == len(hubs) * (len(hubs) - 1)
        check_against_plan(net, table, **options)


def test_no_route_cells_carry_the_reason_and_strict_raises(net: cp.Network) -> None:
    table = net.matrix(["beijing", "almaty"], ["baku", "tbilisi"], avoid_countries=["KZ", "RU", "IR", "MN"])
    blocked = table[table["status"] == "no_route"]
    assert len(blocked) > 0
    assert all(r.startswith("no route from") for r in blocked["reason"])
    check_against_plan(net, table, avoid_countries=["KZ", "RU", "IR", "MN"])
    with pytest.raises(cp.NoRouteError):
        net.matrix(["beijing", "almaty"], ["baku", "tbilisi"], avoid_countries=["KZ", "RU", "IR", "MN"], strict=True)
    with pytest.raises(cp.NoRouteError):
        net.matrix(["beijing"], ["baku"], via=["Almaty"], avoid_countries=["KZ"], strict=True)


def test_routes_column_holds_the_routes_plan_gives(net: cp.Network) -> None:
    table = net.matrix(["beijing", "almaty"], ["baku", "beijing"], optimize="cost", routes=True, unit="feu")
    for row in table.itertuples(index=False):
        if row.status == "same":
            assert row.route is None
            continue
        route = net.plan(row.origin, row.destination, optimize="cost", unit="feu")
        assert row.route == route
        assert row.route.unit == "feu"
        assert row.route.hubs == route.hubs
    assert "route" not in net.matrix(["beijing"], ["baku"]).columns


def test_the_diagonal_is_same_and_one_hub_works(net: cp.Network) -> None:
    table = net.matrix(["baku"])
    assert list(table["status"]) == ["same"]
    assert table["transit_days"].iloc[0] == 0.0


def test_duplicates_and_aliases_are_one_hub_and_inputs_are_not_changed(net: cp.Network) -> None:
    origins = ["Horgos", "khorgos", "Baku"]
    options: dict[str, Any] = {"avoid_modes": ["air"]}
    table = net.matrix(origins, ("Tbilisi",), **options)
    assert list(table["origin"]) == ["khorgos", "baku"]
    assert origins == ["Horgos", "khorgos", "Baku"] and options == {"avoid_modes": ["air"]}


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        ((["Nowhere"],), {}, cp.UnknownLocationError),
        (([],), {}, cp.InvalidQueryError),
        ((42,), {}, cp.InvalidQueryError),
        ((["baku", 3],), {}, cp.InvalidQueryError),
        ((["baku", "almaty"],), {"optimize": "speed"}, cp.InvalidQueryError),
        ((["baku", "almaty"],), {"routes": "yes"}, cp.InvalidQueryError),
        ((["baku", "almaty"],), {"strict": 1}, cp.InvalidQueryError),
        ((["baku", "almaty"],), {"avoid_modes": ["boat"]}, cp.InvalidQueryError),
        ((["baku", "almaty"],), {"avoid_hubs": ["almaty"]}, cp.InvalidQueryError),
        ((["baku", "almaty"],), {"within": ["AZ"]}, cp.InvalidQueryError),
        ((["baku", "almaty"],), {"frobnicate": 1}, cp.InvalidQueryError),
        ((["baku", "almaty"],), {"unit": "parsec"}, cp.InvalidQueryError),
        ((["baku"], ["almaty"]), {"as_of": "2020"}, cp.InvalidQueryError),
    ],
)
def test_invalid_input_raises_the_library_errors(
    net: cp.Network, args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        net.matrix(*args, **kwargs)


def test_a_waypoint_is_no_origin(net: cp.Network) -> None:
    waypoint = next(h for h in net.hub_ids if net.hub(h).kind == "waypoint")
    with pytest.raises(cp.InvalidQueryError, match="waypoint"):
        net.matrix([waypoint, "baku"])
    assert waypoint not in set(net.matrix(None, ["baku"])["origin"])


def test_the_array_search_flags_exactly_the_paths_that_enter_a_hub_twice(net: cp.Network) -> None:
    hubs = [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]
    q = net.query(hubs[0], hubs[1])
    found = one_to_many(net.router, q, hubs, hubs)
    graph = net.router.graph
    assert found.repeated.any()
    for i, j in zip(*np.nonzero(found.reachable), strict=True):
        path = found.path(int(i), int(j))
        entered = [hubs[i]] + [graph.node_hub[graph.dst[e]] for e in path if graph.info[e].link is not None]
        assert (len(entered) != len(set(entered))) == found.repeated[i, j]


@common
@given(
    spec=networks(),
    optimize=st.sampled_from(sorted(ATTR)),
    year=st.sampled_from((2025, 2040)),
    options=st.sampled_from([{}, {"avoid_modes": ["sea"]}, {"avoid_modes": ["road"]}, {"crew": 2}]),
)
def test_matrix_equals_plan_on_random_networks(
    spec: dict[str, Any], optimize: str, year: int, options: dict[str, Any]
) -> None:
    net = make(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = net.matrix(optimize=optimize, as_of=year, **options)
        check_against_plan(net, table, optimize=optimize, as_of=year, **options)


def test_a_path_that_must_repeat_a_hub_is_the_one_plan_gives_with_its_warning() -> None:
    """h1 -> h2 only by sea to the port h4 and back by rail through h0: no simple path; plan() warns and returns it."""
    from tinynet import build, hub, link

    net = build(
        [hub("h0"), hub("h1"), hub("h2"), hub("h4", kind="port")],
        [link("l0", "h0", "h2", gauge_mm=1435), link("l1", "h0", "h4", "sea", service="s1"),
         link("l3", "h0", "h4", gauge_mm=1435, two_way=True), link("l4", "h0", "h1", "sea", service="s1", two_way=True)],
        services=[{"id": "s1", "mode": "sea", "name": "one", "frequency_per_week": 1}],
        transfers=[{"at": "kind:port", "from_layer": "rail", "to_layer": "sea", "two_way": True, "cost_usd": 100,
                    "time_h_min": 0, "time_h_typ": 1.0, "time_h_max": 500}],
    )  # fmt: skip
    with pytest.warns(UserWarning, match="twice"):
        route = net.plan("h1", "h2", as_of=2025)
    with pytest.warns(UserWarning, match="twice"):
        table = net.matrix(["h1"], ["h2"], as_of=2025)
    assert table["status"].iloc[0] == "ok" and close(table["time_h"].iloc[0], route.time_h)
    assert table.attrs["matrix"]["repaired"] == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check_against_plan(net, net.matrix(as_of=2025, avoid_modes="sea"), as_of=2025, avoid_modes="sea")


@pytest.mark.parametrize("per_origin", [0.0, 1e9])
def test_no_route_reasons_are_the_same_by_array_or_pair_searches(
    net: cp.Network, monkeypatch: pytest.MonkeyPatch, per_origin: float
) -> None:
    """Diagnosis answers relaxed queries by one array search (0) or a search per pair (1e9): the same reasons."""
    from corridor_planner.routing import matrix

    monkeypatch.setattr(matrix, "SEARCHES_PER_ORIGIN", per_origin)
    options = {"avoid_countries": ["RU", "KZ"], "as_of": 2025}
    table = net.matrix(sample_hubs(net, 40, 5), **options)
    blocked = table[table["status"] == "no_route"]
    assert len(blocked) > 50
    check_against_plan(net, blocked, **options)


def test_compare_plans_its_pairs_in_one_batch_with_the_same_table(
    net: cp.Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """compare() answers each network's pairs with one array search: the table is the one plan() per pair gives."""
    import sys

    compare_module = sys.modules["corridor_planner.analysis.compare"]
    hubs = sample_hubs(net, 30, 6)
    pairs = [*zip(hubs[:15], hubs[15:], strict=True), ("beijing", "baku"), ("Shanghai", "Rotterdam")]
    kwargs: dict[str, Any] = {"optimize": "cost", "avoid_modes": ["air"], "unit": "feu", "progress": False}
    batched = cp.compare(net, ["red_sea_closed", "avoid_russia"], pairs, **kwargs)

    def one_by_one(n: cp.Network, todo: list[tuple[str, str]], optimize: Any, options: dict[str, Any]) -> list[Any]:
        out: list[Any] = []
        for a, b in todo:
            try:
                out.append(n.plan(a, b, optimize=optimize, **options))
            except cp.NoRouteError as exc:
                out.append(exc)
        return out

    monkeypatch.setattr(compare_module, "plan_pairs", one_by_one)
    pd.testing.assert_frame_equal(batched, cp.compare(net, ["red_sea_closed", "avoid_russia"], pairs, **kwargs))
