"""Benchmark of Pareto fronts at scale (issue 12); prints figures, asserts nothing.

Random grids (``grid_records(k, seed=1)``: K x K hubs, 2K(K-1) two-way links, each with a random
length, speed and cost, so routes trade time against cost and CO2), corner to corner, ``as_of=2025``;
per grid and criteria:

- ``epsilon=0``: the exact front (it raises past ``PARETO_LABEL_LIMIT`` labels: shown as such);
- ``epsilon=None`` (the default): exact up to ``PARETO_LABELS`` labels, then bounded (the epsilon it ends with);
- ``epsilon=0.01`` and ``0.03``: every Pareto-optimal route within 1% (3%) of a returned one.

Each row: the search (labels settled, routes), then building the routes (``build_route``) as
``Network.pareto`` does. Then the shipped network: Beijing -> Duisburg, exact, as a check that the
default stays exact there.

Run: ``python benchmarks/bench_pareto.py [--sides 23 39 71] [--criteria time,cost time,cost,co2]``
(23, 39 and 71 give 1,012, 2,964 and 9,940 links).
"""

from __future__ import annotations

import argparse
import time
import warnings

from common import grid_records

import corridor_planner as cp
from corridor_planner.routing.assemble import build_route
from corridor_planner.routing.search import ParetoBound, pareto_search


def row(net: cp.Network, a: str, b: str, criteria: tuple[str, ...], epsilon: float | None) -> str:
    q = net.query(a, b, optimize=criteria[0], as_of=2025)
    bound = ParetoBound(epsilon)
    t = time.perf_counter()
    try:
        paths = pareto_search(net.router, q, criteria, bound)
    except cp.InvalidQueryError:
        return f"passed the label limit after {time.perf_counter() - t:6.2f} s ({bound.labels:,} labels): no answer"
    search_s = time.perf_counter() - t
    t = time.perf_counter()
    for path in paths:
        build_route(net.router, q, path)
    build_s = time.perf_counter() - t
    ends = f" (ended with epsilon={bound.epsilon:g})" if epsilon is None and bound.epsilon else ""
    return (
        f"{search_s + build_s:6.2f} s = search {search_s:6.2f} s + routes {build_s:5.2f} s; "
        f"{bound.labels:>9,} labels, {len(paths):>5} routes{ends}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sides", type=int, nargs="+", default=[23, 39, 71], help="grid sides K (default 23 39 71)")
    parser.add_argument("--criteria", nargs="+", default=["time,cost", "time,cost,co2"], help="comma-separated sets")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # the automatic bound warns; the row says the epsilon

    net = cp.load_network()
    net.pareto("Beijing", "Duisburg", as_of=2025)  # warm-up: graph, scipy
    t = time.perf_counter()
    bound = ParetoBound(None)
    q = net.query("Beijing", "Duisburg", as_of=2025)
    paths = pareto_search(net.router, q, ("time", "cost", "co2"), bound)
    print(
        f"shipped network, Beijing -> Duisburg, time/cost/co2, default: {(time.perf_counter() - t) * 1000:.0f} ms, "
        f"{bound.labels:,} labels, {len(paths)} routes, epsilon={bound.epsilon:g} (exact)"
    )
    for k in args.sides:
        hubs, links = grid_records(k, seed=1)
        grid = cp.Network.from_records(hubs, links)
        _ = grid.router.graph  # built once, outside the timings
        a, b = "g0_0", f"g{k - 1}_{k - 1}"
        print(f"\ngrid {k} x {k}: {len(hubs):,} hubs, {len(links):,} links, {a} -> {b}")
        for text in args.criteria:
            criteria = tuple(text.split(","))
            for epsilon in (0.0, None, 0.01, 0.03):
                label = "default" if epsilon is None else f"epsilon={epsilon:g}"
                print(f"  {'/'.join(criteria):<14} {label:<13} {row(grid, a, b, criteria, epsilon)}", flush=True)


if __name__ == "__main__":
    main()
