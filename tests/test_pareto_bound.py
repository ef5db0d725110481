"""Pareto fronts at scale (issue 12): the exact search is unchanged, ``epsilon=`` keeps its guarantee, ``max_routes=``."""

from __future__ import annotations

import heapq
import random
import warnings
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor_planner as cp
from corridor_planner.routing import search
from corridor_planner.routing.query import Query
from corridor_planner.routing.router import Router
from corridor_planner.routing.search import ParetoBound, _States, spread

TOTAL = {"time": "time_h", "distance": "distance_km", "cost": "cost_usd", "co2": "co2_kg", "co2e": "co2e_kg"}


def reference(router: Router, q: Query, criteria: Sequence[str]) -> list[list[int]]:
    """The label-setting search as it was before the bounds (no lower bounds, no fast paths), one pass."""
    states = _States(router, q)
    arrays = router.graph.criteria_for(q.crew)
    columns = [arrays[c].tolist() for c in criteria]
    width = len(columns)
    labels: list[tuple[tuple[float, ...], int, int, int]] = [((0.0,) * width, states.start, -1, -1)]
    settled: dict[int, list[tuple[float, ...]]] = {}
    heap: list[tuple[tuple[float, ...], int]] = [((0.0,) * width, 0)]
    found: list[int] = []

    def covered(vec: tuple[float, ...], at: int) -> bool:
        return any(
            all(o <= x + 1e-9 * max(1.0, abs(x)) for o, x in zip(other, vec, strict=True))
            for other in settled.get(at, ())
        )

    while heap:
        vec, index = heapq.heappop(heap)
        state = labels[index][1]
        if covered(vec, state) or covered(vec, states.goal):
            continue
        settled.setdefault(state, []).append(vec)
        if state == states.goal:
            found.append(index)
            continue
        for nxt, e in states.successors(state):
            cand = tuple(vec[i] + columns[i][e] for i in range(width))
            if covered(cand, nxt) or covered(cand, states.goal):
                continue
            labels.append((cand, nxt, index, e))
            heapq.heappush(heap, (cand, len(labels) - 1))
    paths = []
    for index in found:
        edges = []
        while labels[index][2] >= 0:
            edges.append(labels[index][3])
            index = labels[index][2]
        paths.append(edges[::-1])
    return paths


PAIRS = [("Beijing", "Duisburg"), ("Shanghai", "Rotterdam"), ("Almaty", "Tashkent"), ("Chengdu", "Istanbul")]


CASES = [
    *((a, b, criteria) for a, b in PAIRS for criteria in (("time", "cost"), ("time", "cost", "co2"))),
    # four criteria take the general search (no fast path); the reference's quadratic scan makes the long
    # pairs take minutes (Shanghai - Rotterdam 130 s), so one short pair covers it
    ("Almaty", "Tashkent", ("cost", "co2", "distance", "time")),
]


@pytest.mark.parametrize(("origin", "destination", "criteria"), CASES)
def test_exact_search_finds_the_paths_the_reference_search_finds(
    net: cp.Network, origin: str, destination: str, criteria: tuple[str, ...]
) -> None:
    q = net.query(origin, destination, optimize=criteria[0], as_of=2025)
    bound = ParetoBound(0.0)
    got = search._pareto(net.router, q, criteria, (), bound)
    assert got == reference(net.router, q, criteria)
    assert 0 < bound.labels < search.PARETO_LABELS  # the automatic bound never applies on the shipped network


def test_default_front_is_exact_on_the_shipped_network(net: cp.Network) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no bound, no warning
        routes = net.pareto("Beijing", "Duisburg", criteria=("time", "cost", "co2"), as_of=2025)
    exact = net.pareto("Beijing", "Duisburg", criteria=("time", "cost", "co2"), as_of=2025, epsilon=0)
    assert [r.hubs for r in routes] == [r.hubs for r in exact]


def grid(k: int, seed: int) -> cp.Network:
    """A k x k grid, rail east-west and road north-south, each link of a random length, speed and cost."""
    rng = random.Random(seed)
    hubs: list[dict[str, Any]] = [
        {
            "id": f"g{i}_{j}",
            "name": f"G {i} {j}",
            "country": "KZ",
            "kind": "city",
            "lon": 60 + i * 0.1,
            "lat": 40 + j * 0.1,
        }
        for i in range(k)
        for j in range(k)
    ]
    links: list[dict[str, Any]] = []
    for i in range(k):
        for j in range(k):
            for di, dj, mode in ((1, 0, "rail"), (0, 1, "road")):
                if i + di < k and j + dj < k:
                    link = {"id": f"{mode}{i}_{j}", "from": f"g{i}_{j}", "to": f"g{i + di}_{j + dj}", "mode": mode,
                            "two_way": True, "distance_km": round(10 * rng.uniform(1.0, 1.5), 2),
                            "speed_kmh": round(rng.uniform(30, 90), 1), "speed_source": "assumption: a test grid",
                            "cost_usd_per_teu_km": round(rng.uniform(0.1, 2.0), 3)}  # fmt: skip
                    if mode == "rail":
                        link["gauge_mm"] = 1520
                    links.append(link)
    transfer = {"at": "*", "from_layer": "rail", "to_layer": "road", "two_way": True, "cost_usd": 30,
                "time_h_min": 0, "time_h_typ": 2, "time_h_max": 12}  # fmt: skip
    return cp.Network.from_records(hubs, links, {"transfers.csv": [transfer]})


def vector(route: cp.Route, criteria: Sequence[str]) -> tuple[float, ...]:
    return tuple(getattr(route, TOTAL[c]) for c in criteria)


def dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(x <= y for x, y in zip(a, b, strict=True)) and any(x < y for x, y in zip(a, b, strict=True))


def assert_covers(exact: list[tuple[float, ...]], got: list[tuple[float, ...]], epsilon: float) -> None:
    """Every exact front vector is within 1 + epsilon on every criterion of a returned one."""
    for e in exact:
        assert any(all(g_i <= (1 + epsilon) * e_i + 1e-6 for g_i, e_i in zip(g, e, strict=True)) for g in got), e


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    k=st.integers(4, 8),
    seed=st.integers(0, 10_000),
    epsilon=st.sampled_from([0.001, 0.01, 0.05, 0.2, 1.0]),
    criteria=st.sampled_from([("time", "cost"), ("time", "distance"), ("time", "cost", "co2"), ("cost", "time", "co2", "distance")]),
)  # fmt: skip
def test_every_exact_route_is_within_epsilon_of_a_returned_one(
    k: int, seed: int, epsilon: float, criteria: tuple[str, ...]
) -> None:
    net = grid(k, seed)
    a, b = "g0_0", f"g{k - 1}_{k - 1}"
    exact = [vector(r, criteria) for r in net.pareto(a, b, criteria=criteria, epsilon=0, as_of=2025)]
    routes = net.pareto(a, b, criteria=criteria, epsilon=epsilon, as_of=2025)
    got = [vector(r, criteria) for r in routes]
    assert_covers(exact, got, epsilon)
    assert got == sorted(got)
    assert not any(dominates(v, w) for v in got for w in got)  # the returned ones are non-dominated
    assert all(len(set(r.hubs)) == len(r.hubs) for r in routes)  # simple routes, as the exact ones


def test_automatic_bound_goes_on_with_a_larger_epsilon_and_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    net = grid(7, 3)
    criteria = ("time", "cost", "co2")
    exact = [vector(r, criteria) for r in net.pareto("g0_0", "g6_6", criteria=criteria, epsilon=0, as_of=2025)]
    monkeypatch.setattr(search, "PARETO_LABELS", 40)
    with pytest.warns(UserWarning, match=r"passed 40 labels, so it is bounded with epsilon=(0\.01|0\.03|0\.1)"):
        routes = net.pareto("g0_0", "g6_6", criteria=criteria, as_of=2025)
    bound = ParetoBound(None)
    search.pareto_search(net.router, net.query("g0_0", "g6_6", as_of=2025), criteria, bound)
    assert bound.epsilon in search.AUTO_EPSILONS
    assert_covers(exact, [vector(r, criteria) for r in routes], bound.epsilon)
    monkeypatch.setattr(search, "PARETO_LABELS", 3)  # past every automatic epsilon: an error, not a hang
    with pytest.raises(cp.InvalidQueryError, match=r"settled .* labels .* give a larger epsilon"):
        net.pareto("g0_0", "g6_6", criteria=criteria, as_of=2025)


def test_a_given_epsilon_raises_past_the_label_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    net = grid(6, 1)
    monkeypatch.setattr(search, "PARETO_LABEL_LIMIT", 10)
    with pytest.raises(cp.InvalidQueryError, match=r"g0_0 -> g5_5: the search settled 10 labels \(epsilon=0\)"):
        net.pareto("g0_0", "g5_5", criteria=("time", "cost"), epsilon=0, as_of=2025)


def test_max_routes_keeps_the_best_by_each_criterion_and_says_what_it_left_out() -> None:
    net = grid(6, 7)
    criteria = ("time", "cost", "co2")
    full = net.pareto("g0_0", "g5_5", criteria=criteria, epsilon=0, as_of=2025)
    assert len(full) > 4
    with pytest.warns(UserWarning, match=rf"max_routes=4 kept 4 of the {len(full)} routes .* within a factor"):
        kept = net.pareto("g0_0", "g5_5", criteria=criteria, epsilon=0, max_routes=4, as_of=2025)
    assert len(kept) == 4
    vectors = [vector(r, criteria) for r in full]
    assert all(vector(r, criteria) in vectors for r in kept)
    for i in range(len(criteria)):
        assert min(v[i] for v in vectors) == min(vector(r, criteria)[i] for r in kept)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the cap does not cut: no warning
        same = net.pareto("g0_0", "g5_5", criteria=criteria, epsilon=0, max_routes=len(full), as_of=2025)
    assert [r.hubs for r in same] == [r.hubs for r in full]


def test_spread_reports_the_factor_of_what_it_left_out() -> None:
    vectors = [(1.0, 10.0), (2.0, 6.0), (3.0, 5.0), (6.0, 2.0), (10.0, 1.0)]
    chosen, factor = spread(vectors, 3)
    assert chosen[0] == 0 and chosen[-1] == 4 and len(chosen) == 3
    left = [v for i, v in enumerate(vectors) if i not in chosen]
    worst = max(min(max(c / x for c, x in zip(vectors[j], v, strict=True)) for j in chosen) for v in left)
    assert factor == pytest.approx(worst)
    assert spread(vectors, 9) == ([0, 1, 2, 3, 4], 1.0)


@pytest.mark.parametrize(
    ("option", "value"),
    [("epsilon", -0.1), ("epsilon", float("nan")), ("epsilon", float("inf")), ("epsilon", "0.1"), ("epsilon", True),
     ("max_routes", 0), ("max_routes", -3), ("max_routes", 2.0), ("max_routes", "5"), ("max_routes", True)],
)  # fmt: skip
def test_bad_bounds_are_refused(net: cp.Network, option: str, value: object) -> None:
    with pytest.raises(cp.InvalidQueryError, match=rf"^{option}=.* is not valid"):
        net.pareto("Beijing", "Duisburg", **{option: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("epsilon", [0.0, 0.02])
@pytest.mark.parametrize("criteria", [("time", "cost"), ("cost", "time", "co2")])
def test_fast_paths_settle_the_labels_the_general_search_settles(criteria: tuple[str, ...], epsilon: float) -> None:
    net = grid(7, 11)
    q = net.query("g0_0", "g6_6", optimize=criteria[0], as_of=2025)
    states = _States(net.router, q)
    lower = search.lower_bounds(net.router, q, criteria)
    arrays = net.router.graph.criteria_for(q.crew)
    columns = [arrays[c].tolist() for c in criteria]
    fast = search._pareto2 if len(criteria) == 2 else search._pareto3
    one, other = ParetoBound(epsilon), ParetoBound(epsilon)
    assert fast(q, states, columns, lower, one) == search._pareto_n(q, states, columns, lower, other)
    assert one.labels == other.labels > 0
