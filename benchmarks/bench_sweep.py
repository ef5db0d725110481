"""Benchmark of scenario sweeps (issue 12, item 3); prints figures, asserts nothing.

A 100-value :func:`corridor_planner.sweep` on the shipped network: ``+h`` hours of port dwell
at Aktau, Kuryk and Alat (the docstring example of ``sweep``), ``within=["CN", "KZ", "AZ"]``,
for Beijing -> Baku alone and for 20 pairs of hubs in those countries (target: under 1 s for
the one pair). Also ``compare()`` over every shipped scenario for the 20 pairs.

Run: ``python benchmarks/bench_sweep.py``.
"""

from __future__ import annotations

import random
import time
from typing import Any

import corridor_planner as cp

WITHIN = ["CN", "KZ", "AZ"]


def congestion(h: float) -> dict[str, Any]:
    """``+h`` hours of port dwell at the Caspian ports of the Middle Corridor."""
    return {
        "scenario": {"name": f"+{h:g} h"},
        "change": [{"add": "dwell_time", "hours": h, "hubs": ["aktau", "kuryk", "alat"], "events": ["port_dwell"]}],
    }


def timed_sweep(net: cp.Network, pairs: list[tuple[str, str]], values: list[float]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one sweep, and its number of rows."""
    t, cpu = time.perf_counter(), time.process_time()
    table = cp.sweep(net, congestion, values, pairs, within=WITHIN, progress=False)
    return time.perf_counter() - t, time.process_time() - cpu, len(table)


def main() -> None:
    net = cp.load_network()
    net.plan("Beijing", "Baku", within=WITHIN)  # the base routing graph is built once, outside the timings
    values = [float(h) for h in range(100)]
    rng = random.Random(12)
    hubs = [h for h in net.hub_ids if net.hub(h).kind not in ("waypoint", "terminal") and net.hub(h).country in WITHIN]
    pairs: list[tuple[str, str]] = [("Beijing", "Baku")]
    while len(pairs) < 20:
        a, b = rng.sample(hubs, 2)
        if (a, b) not in pairs:
            pairs.append((a, b))
    for label, chosen in (("1 pair", pairs[:1]), ("20 pairs", pairs)):
        runs = [timed_sweep(net, chosen, values) for _ in range(5)]
        best, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
        print(
            f"sweep(): 100 values x {label} = {runs[0][2]} plans: best of 5 {best:.3f} s wall, {cpu:.3f} s CPU "
            f"({best / len(values) * 1000:.1f} ms a value)   (target < 1 s for 1 pair)"
        )
    scenarios = cp.list_scenarios()
    t = time.perf_counter()
    table = cp.compare(net, scenarios, pairs, within=None, progress=False)
    elapsed = time.perf_counter() - t
    print(
        f"compare(): {len(scenarios)} shipped scenarios + base x {len(pairs)} pairs = {len(table)} plans in {elapsed:.3f} s"
    )


if __name__ == "__main__":
    main()
