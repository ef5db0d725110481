"""Benchmarks of ``executor=`` (issue 12 item 5); prints figures, asserts only that every table equals the local one.

``cp.compare()`` of 5 scenarios (and the base network: 6 networks) x 200 hub pairs of the
shipped network, and ``net.matrix()`` of every hub x every hub, each timed:

- local (``executor=None``);
- a ``ThreadPoolExecutor(2)``;
- a ``ProcessPoolExecutor(2)`` (started and warmed up before timing);
- a Dask ``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` (started before
  timing; skipped when dask.distributed is not installed).

Each figure is the best of ``--runs`` runs (default 3); the first run of an executor includes
shipping the networks and building their routing graphs on the workers.

Run: ``python benchmarks/bench_executor.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pandas as pd
import pandas.testing as pdt
from common import route_ends

import corridor_planner as cp

SCENARIOS = ["red_sea_closed", "avoid_russia", "caspian_congestion", "instc_open", ["avoid_russia", "red_sea_closed"]]


def timed(fn: Callable[[], pd.DataFrame], runs: int) -> tuple[float, float, pd.DataFrame]:
    """(first run s, best run s, last table)."""
    times = []
    table = pd.DataFrame()
    for _ in range(runs):
        t = time.perf_counter()
        table = fn()
        times.append(time.perf_counter() - t)
    return times[0], min(times), table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    net = cp.load_network()
    hubs = route_ends(net)
    pairs = [(a, b) for a in hubs[::7] for b in hubs[3::11] if a != b][:200]
    print(f"{os.cpu_count()} CPUs; {len(hubs)} hubs; compare: {len(SCENARIOS)} scenarios + base x {len(pairs)} pairs")

    def work(executor: Any) -> dict[str, Callable[[], pd.DataFrame]]:
        return {
            "compare": lambda: cp.compare(net, SCENARIOS, pairs, progress=False, executor=executor),
            "matrix": lambda: net.matrix(executor=executor),
        }

    local = {name: timed(fn, args.runs) for name, fn in work(None).items()}
    rows = [("local", local)]
    with ThreadPoolExecutor(2) as threads:
        rows.append(("ThreadPool(2)", {name: timed(fn, args.runs) for name, fn in work(threads).items()}))
    with ProcessPoolExecutor(2) as processes:
        list(processes.map(abs, [1, 2]))  # start the worker processes
        rows.append(("ProcessPool(2)", {name: timed(fn, args.runs) for name, fn in work(processes).items()}))
    try:
        import distributed
    except ImportError:
        print("dask.distributed is not installed: pip install 'corridor_planner[dask]' (Dask row skipped)")
    else:
        dask: Any = distributed  # untyped: not checked against its stubs
        t = time.perf_counter()
        with (
            dask.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            dask.Client(cluster) as client,
        ):
            start = time.perf_counter() - t
            print(f"Dask LocalCluster(2) start: {start:.2f} s (not in the figures)")
            rows.append(("Dask LocalCluster(2)", {name: timed(fn, args.runs) for name, fn in work(client).items()}))
    print(f"\n{'executor':<22}{'compare first':>15}{'compare best':>14}{'matrix first':>14}{'matrix best':>13}")
    for label, figures in rows:
        for name in ("compare", "matrix"):
            pdt.assert_frame_equal(figures[name][2], local[name][2])
        c, m = figures["compare"], figures["matrix"]
        print(f"{label:<22}{c[0]:>13.3f} s{c[1]:>12.3f} s{m[0]:>12.3f} s{m[1]:>11.3f} s")
    print("\nevery table equals the local run's")


if __name__ == "__main__":
    main()
