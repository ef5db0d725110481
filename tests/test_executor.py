"""Issue 12 item 5: compare(), sweep(), Network.matrix() and cp.percentiles() on an executor= give the local run's table."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pandas as pd
import pandas.testing as pdt
import pytest

import corridor_planner as cp
from corridor_planner.analysis.executor import check_executor
from corridor_planner.errors import NoRouteError, ScenarioError, UnknownLocationError

SCENARIOS = ["red_sea_closed", "avoid_russia", "caspian_congestion", "instc_open", ["avoid_russia", "red_sea_closed"]]
"""Five scenarios (the last two applied together)."""


def _pairs(net: cp.Network, count: int) -> list[tuple[str, str]]:
    hubs = [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]
    pairs = [(a, b) for a in hubs[::7] for b in hubs[3::11] if a != b]
    return pairs[:count]


@pytest.fixture(scope="module", params=["threads", "processes"])
def executor(request: pytest.FixtureRequest) -> Iterator[Executor]:
    pool: Executor = ThreadPoolExecutor(max_workers=2) if request.param == "threads" else ProcessPoolExecutor(2)
    with pool:
        yield pool


def test_compare_on_an_executor_equals_the_local_run(net: cp.Network, executor: Executor) -> None:
    pairs = _pairs(net, 40)
    local = cp.compare(net, SCENARIOS, pairs, progress=False)
    assert set(local["status"]) >= {"ok"} and len(local) == 6 * 40
    pdt.assert_frame_equal(cp.compare(net, SCENARIOS, pairs, progress=False, executor=executor), local)
    # a points end, a gazetteer-free option set and another objective take the same path
    other = [("Beijing", "Baku"), ("Shanghai", "Rotterdam"), ((76.9, 43.2), "Tashkent")]
    local = cp.compare(net, SCENARIOS[:2], other, optimize="cost", avoid_modes=["road"], progress=False)
    got = cp.compare(
        net, SCENARIOS[:2], other, optimize="cost", avoid_modes=["road"], progress=False, executor=executor
    )
    pdt.assert_frame_equal(got, local)


def test_sweep_on_an_executor_equals_the_local_run(net: cp.Network, executor: Executor) -> None:
    def congestion(hours: float) -> dict[str, Any]:  # a local function: only the networks travel
        return {
            "scenario": {"name": f"+{hours:g} h"},
            "change": [
                {"add": "dwell_time", "hours": hours, "hubs": ["aktau", "kuryk", "alat"], "events": ["port_dwell"]}
            ],
        }

    pairs = [("Beijing", "Baku"), ("Almaty", "Tbilisi"), ("Xian", "Istanbul")]
    values = [0, 24, 48, 96]
    local = cp.sweep(net, congestion, values, pairs, within=["CN", "KZ", "AZ", "GE", "TR"], progress=False)
    got = cp.sweep(
        net, congestion, values, pairs, within=["CN", "KZ", "AZ", "GE", "TR"], progress=False, executor=executor
    )
    pdt.assert_frame_equal(got, local)


@pytest.mark.parametrize(
    "options", [{}, {"optimize": "cost", "avoid_countries": ["RU"]}, {"optimize": "co2", "only_modes": ["rail", "sea"]}]
)
def test_matrix_on_an_executor_equals_the_local_run(
    net: cp.Network, executor: Executor, options: dict[str, Any]
) -> None:
    hubs = [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]
    origins, destinations = hubs[::3], hubs[1::4]
    local = net.matrix(origins, destinations, **options)
    got = net.matrix(origins, destinations, executor=executor, **options)
    pdt.assert_frame_equal(got, local)
    assert got.attrs == local.attrs


def test_matrix_routes_and_per_pair_cells_on_an_executor(net: cp.Network, executor: Executor) -> None:
    origins, destinations = ["beijing", "almaty", "tashkent", "shanghai"], ["baku", "duisburg", "tehran"]
    local = net.matrix(origins, destinations, routes=True)
    got = net.matrix(origins, destinations, routes=True, executor=executor)
    pdt.assert_frame_equal(got.drop(columns="route"), local.drop(columns="route"))
    assert [r and r.to_dict() for r in got["route"]] == [r and r.to_dict() for r in local["route"]]
    local = net.matrix(origins, destinations, via=["Aktau"])  # the router's state search, per pair
    pdt.assert_frame_equal(net.matrix(origins, destinations, via=["Aktau"], executor=executor), local)


def test_errors_in_workers_surface_as_the_library_s_own(net: cp.Network, executor: Executor) -> None:
    # an invalid option is found by the first plan, in the worker: the same error and message
    with pytest.raises(cp.InvalidQueryError) as local_error:
        cp.compare(net, SCENARIOS[:2], [("Beijing", "Baku")], avoid_modes=["teleport"], progress=False)
    with pytest.raises(cp.InvalidQueryError) as remote_error:
        cp.compare(
            net, SCENARIOS[:2], [("Beijing", "Baku")], avoid_modes=["teleport"], progress=False, executor=executor
        )
    assert str(remote_error.value) == str(local_error.value)
    # strict=True raises the first pair's NoRouteError in the worker: the same error, message and reasons
    origins, destinations = ["almaty", "beijing"], ["tashkent", "baku"]
    with pytest.raises(NoRouteError) as local:
        net.matrix(origins, destinations, strict=True, only_modes=["sea"])
    with pytest.raises(NoRouteError) as remote:
        net.matrix(origins, destinations, strict=True, only_modes=["sea"], executor=executor)
    assert str(remote.value) == str(local.value) and remote.value.reasons == local.value.reasons


@pytest.mark.parametrize(
    "error",
    [
        NoRouteError("a", "b", ["no rail", "no sea"]),
        UnknownLocationError("Bakuu", ["Baku"], "add a hub"),
        ScenarioError("bad", file="x.toml", key="change[0]", suggestions=["y"]),
        cp.errors.MissingDependencyError("pip install folium", name="folium"),
    ],
)
def test_library_errors_pickle_to_themselves(error: cp.CorridorPlannerError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error) and again.args == error.args
    assert again.__dict__ == error.__dict__ and getattr(again, "name", None) == getattr(error, "name", None)


@pytest.mark.parametrize("bad", [object(), "dask", 4, {"submit": 1}])
def test_a_bad_executor_is_an_invalid_query(net: cp.Network, bad: Any) -> None:
    with pytest.raises(cp.InvalidQueryError, match="executor must have submit"):
        check_executor(bad)
    with pytest.raises(cp.InvalidQueryError, match="executor must have submit"):
        cp.compare(net, ["red_sea_closed"], [("Beijing", "Baku")], progress=False, executor=bad)
    with pytest.raises(cp.InvalidQueryError, match="executor must have submit"):
        net.matrix(["Beijing"], ["Baku"], executor=bad)


def test_an_executor_with_map_only(net: cp.Network) -> None:
    class MapOnly:
        def map(self, fn: Any, items: Any) -> Any:
            return map(fn, items)

    pairs = _pairs(net, 10)
    local = cp.compare(net, SCENARIOS[:2], pairs, progress=False)
    pdt.assert_frame_equal(cp.compare(net, SCENARIOS[:2], pairs, progress=False, executor=MapOnly()), local)
    from corridor_planner.analysis import executor as module

    assert not module._cache  # the networks it unpickled in this process are not kept after the call


def test_a_network_pickles_to_an_equal_network_that_plans_the_same(net: cp.Network) -> None:
    changed = net.apply("avoid_russia", "red_sea_closed")
    again = pickle.loads(pickle.dumps(changed))
    assert again == changed and again.scenarios == changed.scenarios
    pdt.assert_frame_equal(again.matrix(["beijing", "shanghai"]), changed.matrix(["beijing", "shanghai"]))


def test_dask_local_cluster_compare_of_5_scenarios_x_200_pairs_equals_the_local_run(net: cp.Network) -> None:
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed is not installed: pip install 'corridor_planner[dask]'"
    )
    pairs = _pairs(net, 200)
    assert len(pairs) == 200
    local = cp.compare(net, SCENARIOS, pairs, progress=False)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        got = cp.compare(net, SCENARIOS, pairs, progress=False, executor=client)
        pdt.assert_frame_equal(got, local)
        assert isinstance(got, pd.DataFrame) and len(got) == 6 * 200
        # the client's concurrent.futures face: networks pickled once per call, unpickled once per worker
        some = pairs[:30]
        pdt.assert_frame_equal(
            cp.compare(net, SCENARIOS, some, progress=False, executor=client.get_executor()),
            cp.compare(net, SCENARIOS, some, progress=False),
        )
        matrix = net.matrix(["beijing", "almaty", "tashkent"], executor=client)
        pdt.assert_frame_equal(matrix, net.matrix(["beijing", "almaty", "tashkent"]))
        with pytest.raises(NoRouteError, match="no route from 'almaty' to 'tashkent'"):
            net.matrix(["almaty", "beijing"], ["tashkent", "baku"], strict=True, only_modes=["sea"], executor=client)
        # Monte Carlo over many routes (cp.percentiles) on the cluster: the local table
        routes = list(net.matrix(["beijing", "urumqi"], ["baku", "poti", "tashkent"], routes=True)["route"])
        pdt.assert_frame_equal(cp.percentiles(routes, n=20_000, executor=client), cp.percentiles(routes, n=20_000))


def _square(k: int) -> int:
    return k * k


def test_the_router_s_memo_is_safe_to_share_between_threads() -> None:
    from corridor_planner.routing.router import BoundedCache

    memo: BoundedCache[int, int] = BoundedCache(_square, 2)  # tiny: keys are dropped all the time

    def hammer(start: int) -> bool:
        return all(memo((start + i) % 5) == ((start + i) % 5) ** 2 for i in range(20_000))

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(hammer, range(4)))
    again = pickle.loads(pickle.dumps(memo))  # the memo and its lock stay behind
    assert again(3) == 9
