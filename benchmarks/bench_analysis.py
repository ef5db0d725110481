"""Benchmarks of the analysis layer (issue 3); prints figures, asserts nothing.

- ``compare()`` over every shipped scenario x 100 origin-destination pairs
  (targets: under 5 s), including applying the scenarios;
- ``alternatives(k=5)`` and ``pareto()`` for Beijing -> Duisburg (target: each under 100 ms),
  warm (median of 20 runs) and first call on a fresh network (routing graph built).

Run: ``make bench`` or ``python benchmarks/bench_analysis.py``.
"""

from __future__ import annotations

import random
import statistics
import time

import corridor_planner as cp


def timed(fn: object, runs: int = 20) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), max(samples)


def main() -> None:
    net = cp.load_network()
    hubs = [h for h in net.hub_ids if net.hub(h).kind not in ("waypoint", "terminal")]
    rng = random.Random(2025)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < 100:
        a, b = rng.sample(hubs, 2)
        if (a, b) not in pairs:
            pairs.append((a, b))
    scenarios = cp.list_scenarios()
    t = time.perf_counter()
    table = cp.compare(net, scenarios, pairs, as_of=2025, progress=False)
    elapsed = time.perf_counter() - t
    failed = int((table["status"] != "ok").sum())
    print(
        f"compare(): {len(scenarios)} scenarios + base x {len(pairs)} pairs = {len(table)} plans in "
        f"{elapsed:.2f} s ({elapsed / len(table) * 1000:.1f} ms a plan incl. applying scenarios; "
        f"{failed} rows without a route)   (target < 5 s)"
    )

    fresh = cp.load_network()
    t = time.perf_counter()
    fresh.alternatives("Beijing", "Duisburg", k=5, as_of=2025)
    first = time.perf_counter() - t
    median, worst = timed(lambda: net.alternatives("Beijing", "Duisburg", k=5, as_of=2025))
    found = net.alternatives("Beijing", "Duisburg", k=5, as_of=2025)
    print(
        f"alternatives(Beijing, Duisburg, k=5): median {median * 1000:.1f} ms, max {worst * 1000:.1f} ms, "
        f"first call {first * 1000:.1f} ms; {len(found)} options   (target < 100 ms)"
    )
    for criteria in (("time", "cost"), ("time", "cost", "co2")):
        fresh = cp.load_network()
        t = time.perf_counter()
        fresh.pareto("Beijing", "Duisburg", criteria=criteria, as_of=2025)
        first = time.perf_counter() - t
        median, worst = timed(lambda c=criteria: net.pareto("Beijing", "Duisburg", criteria=c, as_of=2025))
        size = len(net.pareto("Beijing", "Duisburg", criteria=criteria, as_of=2025))
        print(
            f"pareto(Beijing, Duisburg, {'/'.join(criteria)}): median {median * 1000:.1f} ms, max {worst * 1000:.1f} ms, "
            f"first call {first * 1000:.1f} ms; {size} routes   (target < 100 ms)"
        )


if __name__ == "__main__":
    main()
