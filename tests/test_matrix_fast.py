"""The shortcuts a matrix takes (issue 12) give what the slow way gives, to the last bit and character."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import corridor_planner as cp
from corridor_planner.routing.assemble import build_route, path_totals
from corridor_planner.routing.diagnose import diagnose_cells
from corridor_planner.routing.matrix import SEARCHES_PER_ORIGIN, BatchSearch, one_to_many
from corridor_planner.routing.search import search

TOTALS = ("time_h", "distance_km", "cost_usd", "co2_kg", "co2e_kg")


def hubs_of(net: cp.Network) -> list[str]:
    return [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]


@pytest.mark.parametrize("options", [{}, {"crew": 2, "optimize": "cost"}, {"cargo": "liquid_bulk", "as_of": 2040}])
def test_path_totals_are_the_route_totals_exactly(net: cp.Network, options: dict[str, Any]) -> None:
    hubs = hubs_of(net)
    router = net.router
    checked = 0
    for a in hubs[::9]:
        for b in hubs[::7]:
            if a == b:
                continue
            q = net.query(a, b, **options)
            path = search(router, q)
            if path is None:
                continue
            route = build_route(router, q, path)
            totals = path_totals(router, q, path)
            for k in TOTALS:
                assert getattr(totals, k) == getattr(route, k), (a, b, k)  # the same float, not a close one
            assert totals.hubs == route.hubs
            assert totals.link_ids == route.link_ids
            checked += 1
    assert checked > 100


def test_paths_with_stops_after_their_last_leg_are_totalled_as_their_routes(net: cp.Network) -> None:
    """The stops after the last leg join that leg, with their emissions: the case is met and exact."""
    router = net.router
    hubs = hubs_of(net)
    met = 0
    for a in hubs[::5]:
        for b in hubs[::3]:
            q = net.query(a, b, as_of=2040) if a != b else None
            path = None if q is None else search(router, q)
            if q is None or not path:
                continue
            route = build_route(router, q, path)
            if not route.legs[-1].stops_after:
                continue
            totals = path_totals(router, q, path)
            assert tuple(getattr(totals, k) for k in TOTALS) == tuple(getattr(route, k) for k in TOTALS)
            met += 1
    assert met > 0


@pytest.mark.parametrize(
    "options", [{"as_of": 2025}, {"avoid_countries": ["RU", "IR"]}, {"only_modes": ["rail", "sea"], "as_of": 2025}]
)
def test_diagnose_cells_says_what_diagnose_says_for_each_pair(net: cp.Network, options: dict[str, Any]) -> None:
    hubs = hubs_of(net)[::4]
    # cells with no route whatever the sample: a pipeline terminal and the CKU break-of-gauge station (opens 2030)
    hubs += [h for h in ("atasu", "makmal") if h not in hubs]
    router = net.router
    template = net.query(hubs[0], hubs[1], **options)
    found = one_to_many(router, template, hubs, hubs)
    missing = ~found.reachable & ~np.equal.outer(np.asarray(hubs), np.asarray(hubs))
    cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(missing), strict=True)]
    assert cells
    batch = BatchSearch(router, hubs, hubs)
    batch.add(template, found)
    fast = [str(e) for e in diagnose_cells(router, template, cells, batch)]
    for (i, j), text in zip(cells, fast, strict=True):
        q = template.changed(origin=hubs[i], destination=hubs[j])
        assert text == str(router.diagnose(q)), (hubs[i], hubs[j])  # a batch of its own pair: searched one by one
        with pytest.raises(cp.NoRouteError) as caught:
            net.plan(hubs[i], hubs[j], **options)
        assert str(caught.value) == text


def test_expect_makes_the_array_search_only_past_the_switch(net: cp.Network) -> None:
    hubs = hubs_of(net)[:12]
    router = net.router
    q = net.query(hubs[0], hubs[1], as_of=2030)
    batch = BatchSearch(router, hubs, hubs)
    key = (q.constraints, q.optimize, q.crew)
    batch.expect(q, int(SEARCHES_PER_ORIGIN * len(hubs)))
    assert key not in batch._found  # as many as the pair searches it would make first: searched one by one
    batch.expect(q, int(SEARCHES_PER_ORIGIN * len(hubs)) + 1)
    assert key in batch._found
    for i, a in enumerate(hubs):
        for j, b in enumerate(hubs):
            if a == b:
                continue
            cell = q.changed(origin=a, destination=b)
            path, alone = batch.find_at(q, i, j), search(router, cell)
            assert (path is None) == (alone is None)
            if path is not None and alone is not None:
                mine, theirs = path_totals(router, cell, path), path_totals(router, cell, alone)
                assert mine[:5] == theirs[:5], (a, b)


def test_tree_totals_without_bitsets_are_those_with_them(net: cp.Network, monkeypatch: pytest.MonkeyPatch) -> None:
    """Too many hubs for bitsets: the sums by depth in the nodes' own order, repeats by walking the paths."""
    import corridor_planner.routing.matrix as arrays

    hubs = hubs_of(net)[::3]
    q = net.query(hubs[0], hubs[1], avoid_countries=["IR"])
    fast = one_to_many(net.router, q, hubs, hubs)
    monkeypatch.setattr(arrays, "BITSET_BYTES", 0)
    slow = one_to_many(net.router, q, hubs, hubs)
    assert slow.repeated.any()
    assert (slow.repeated == fast.repeated).all()
    for k in TOTALS:
        assert np.array_equal(slow.totals[k], fast.totals[k], equal_nan=True), k


def test_reachability_by_components_is_that_of_a_search_from_each_origin() -> None:
    """One breadth-first order per component the origins start into; a graph with an edge twice still ends."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import breadth_first_order

    from corridor_planner.routing.matrix import _reachable

    rng = np.random.default_rng(3)
    for n, m in [(10, 8), (40, 60), (200, 500), (300, 900)]:
        src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
        src[:2], dst[:2] = 3, 6  # an edge twice: scipy's strongly connected components never end on it
        order = np.lexsort((dst, src))
        block = csr_matrix((np.ones(m), dst[order], np.searchsorted(src[order], np.arange(n + 1))), shape=(n, n))
        sources, targets = np.arange(0, n, 2), np.arange(1, n, 3)
        want = np.zeros((len(sources), len(targets)), dtype=bool)
        for k, s in enumerate(sources):
            seen = np.zeros(n, dtype=bool)
            seen[breadth_first_order(block, s, directed=True, return_predecessors=False)] = True
            want[k] = seen[targets]
        assert np.array_equal(_reachable(block, sources, targets), want)
        assert np.array_equal(_reachable(block, sources[:3], targets), want[:3])  # fewer sources than components


def test_scenario_overlays_share_the_table_of_edge_pairs_and_it_goes_with_their_graphs() -> None:
    import gc

    from corridor_planner.routing import matrix as arrays

    gc.collect()  # the tables of graphs earlier tests let go of go first
    before = len(arrays._PAIR_TABLES)
    base = cp.load_network()
    base.matrix(["beijing", "baku"], as_of=2025)
    changed = base.apply("red_sea_closed")
    changed.matrix(["beijing", "baku"], as_of=2025)
    assert changed.router.graph is not base.router.graph
    assert len(arrays._PAIR_TABLES) == before + 1  # the overlay's graph shares the base graph's edge ends
    del base, changed
    gc.collect()
    assert len(arrays._PAIR_TABLES) == before
