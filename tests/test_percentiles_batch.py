"""cp.percentiles(): Monte Carlo over many routes, equal to each route's own percentiles, on any executor."""

from __future__ import annotations

import math
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pandas as pd
import pandas.testing as pdt
import pytest

import corridor_planner as cp


@pytest.fixture(scope="module")
def routes(net: cp.Network) -> list[cp.Route | None]:
    found: list[cp.Route | None] = list(net.alternatives("Beijing", "Baku", k=3))
    found.append(None)  # a pair without a route, as matrix(routes=True) gives it
    found.append(net.plan("Xian", "Poti", depart="2026-03-03"))
    return found


@pytest.fixture(scope="module", params=["threads", "processes"])
def executor(request: pytest.FixtureRequest) -> Iterator[Executor]:
    pool: Executor = ThreadPoolExecutor(max_workers=2) if request.param == "threads" else ProcessPoolExecutor(2)
    with pool:
        yield pool


def test_each_row_is_the_route_s_own_percentiles(routes: list[cp.Route | None]) -> None:
    table = cp.percentiles(routes, n=20_000, seed=7)
    assert len(table) == len(routes) and list(table.columns) == list(cp.analysis.montecarlo.COLUMNS)
    for row, route in zip(table.to_dict(orient="records"), routes, strict=True):
        if route is None:
            assert math.isnan(row["p50_days"]) and pd.isna(row["origin"])
            continue
        p = route.percentiles(20_000, 7)
        assert (row["p10_days"], row["p50_days"], row["p90_days"]) == (p.p10, p.p50, p.p90)
        assert row["origin"] == route.origin and row["transit_days"] == route.transit_days
        assert (row["n"], row["seed"]) == (20_000, 7)
    dated = table.iloc[-1]
    assert dated["p50_days"] == routes[-1].percentiles(20_000, 7).p50  # type: ignore[union-attr]


def test_an_executor_gives_the_same_table(routes: list[cp.Route | None], executor: Executor) -> None:
    local = cp.percentiles(routes, n=10_000)
    pdt.assert_frame_equal(cp.percentiles(routes, n=10_000, executor=executor), local)


def test_an_executor_with_map_only(routes: list[cp.Route | None]) -> None:
    class MapOnly:
        def map(self, fn: Any, *items: Any) -> Any:
            return map(fn, *items)

    pdt.assert_frame_equal(cp.percentiles(routes, n=5_000, executor=MapOnly()), cp.percentiles(routes, n=5_000))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 0}, "n"),
        ({"n": 1.5}, "n"),
        ({"seed": -1}, "seed"),
        ({"executor": object()}, "executor must have submit"),
    ],
)
def test_bad_arguments_are_invalid_queries(routes: list[cp.Route | None], kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(cp.InvalidQueryError, match=match):
        cp.percentiles(routes, **kwargs)


def test_items_must_be_routes(routes: list[cp.Route | None]) -> None:
    with pytest.raises(cp.InvalidQueryError, match=r"routes\[1\] must be a Route or None, not 'Baku'"):
        cp.percentiles([routes[0], "Baku"])
    with pytest.raises(cp.InvalidQueryError, match=r"for one route use route\.percentiles"):
        cp.percentiles(routes[0])  # type: ignore[arg-type]
