"""Benchmarks of the routing core; prints figures, asserts nothing.

- import plus ``load_network()`` time, cold, in a new process (median of 5);
- ``plan()`` time over all ordered hub pairs, warm (median, p95, max), origin by origin (the router resumes
  each origin's search); then 2,000 random pairs each searched anew (no search to resume);
- ``require_hubs``: 20 required hubs (4 off the way), and the error for too many off the way.

Run: ``make bench`` or ``python benchmarks/bench_routing.py``.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import subprocess
import sys
import time

from common import route_ends, summary

COLD = (
    "import time; t = time.perf_counter(); import corridor_planner as cp; t1 = time.perf_counter(); "
    "net = cp.load_network(); t2 = time.perf_counter(); net.router.graph; t3 = time.perf_counter(); "
    "print(t1 - t, t2 - t1, t3 - t2)"
)


def cold_load(runs: int = 5) -> None:
    rows = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", COLD], check=True, capture_output=True, text=True).stdout
        rows.append([float(x) for x in out.split()])
    imp, load, graph = (statistics.median(col) for col in zip(*rows, strict=True))
    print(f"cold import:                {imp * 1000:8.1f} ms (median of {runs} new processes)")
    print(f"cold load_network():        {load * 1000:8.1f} ms")
    print(f"import + load_network():    {(imp + load) * 1000:8.1f} ms   (target < 1000 ms)")
    print(f"routing graph build:        {graph * 1000:8.1f} ms (on first plan)")


def warm_plan() -> None:
    import corridor_planner as cp

    net = cp.load_network()
    hubs = route_ends(net)
    net.plan(hubs[0], hubs[1], as_of=2025)  # build the graph
    times = []
    failures = 0
    for a in hubs:
        for b in hubs:
            if a == b:
                continue
            t = time.perf_counter()
            try:
                net.plan(a, b, as_of=2025)
            except cp.NoRouteError:
                failures += 1
            times.append(time.perf_counter() - t)
    print(
        f"plan() over {len(times)} hub pairs:  {summary(times)} (target median < 5 ms); {failures} pairs without a route"
    )
    print(f"routing graph: {len(net.router.graph.nodes)} nodes, {net.router.graph.n_edges} edges")
    # the figure above resumes the search of each origin (Router.tree); without that, each pair searches anew
    rng = random.Random(0)
    sample = rng.sample([(a, b) for a in hubs for b in hubs if a != b], 2000)
    times = []
    for a, b in sample:
        net.router.__dict__.pop("tree", None)  # forget every search to resume
        t = time.perf_counter()
        with contextlib.suppress(cp.NoRouteError):
            net.plan(a, b, as_of=2025)
        times.append(time.perf_counter() - t)
    print(f"plan() with no search to resume, {len(times)} random pairs:  {summary(times)}")


def too_many_requirements() -> None:
    """How long a query needing more requirements off its way than the search enforces takes to fail."""
    import corridor_planner as cp
    from corridor_planner.routing.search import MAX_ACTIVE_REQUIREMENTS

    net = cp.load_network()
    far = ["shanghai", "altynkol", "tianjin", "tashkent", "baku", "aktau", "tbilisi", "istanbul", "kashgar", "almaty",
           "poti", "constanta", "mersin", "bandar_abbas", "karachi", "mumbai", "riga", "helsinki", "moscow", "piraeus"]  # fmt: skip
    base = net.plan("Beijing", "Duisburg")
    on_the_way = [h for h in base.hubs[1:-1] if h not in far[:4]]
    t = time.perf_counter()
    net.plan("Beijing", "Duisburg", require_hubs=[*on_the_way[:16], *far[:4]])
    print(f"require_hubs, 20 hubs (4 off the way): {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    with contextlib.suppress(cp.InvalidQueryError):
        net.plan("Beijing", "Duisburg", require_hubs=[h for h in far if h in net.hub_ids])
    print(
        f"require_hubs with more than {MAX_ACTIVE_REQUIREMENTS} off the way: InvalidQueryError after "
        f"{time.perf_counter() - t:.1f} s"
    )


if __name__ == "__main__":
    cold_load()
    warm_plan()
    too_many_requirements()
