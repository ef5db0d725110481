"""Benchmarks of dated plans (``plan(depart=...)``); prints figures, asserts nothing.

- ``plan(depart=...)`` over all ordered hub pairs, warm (median, p95, max), against ``plan()``;
- dating alone (:meth:`Route.departing`) and ``arrival_percentiles()`` (100,000 samples);
- ``alternatives(k=3, depart=...)``: what taking the earliest arrival among dated alternatives would cost,
  and how often it would differ from the typical best.

Run: ``make bench`` or ``python benchmarks/bench_depart.py``.
"""

from __future__ import annotations

import time

from common import route_ends, summary

DEPART = "2026-03-01T06:00"


def dated_plans() -> None:
    import corridor_planner as cp

    net = cp.load_network()
    hubs = route_ends(net)
    net.plan(hubs[0], hubs[1], as_of=2025)  # build the graph
    plain: list[float] = []
    dated: list[float] = []
    dating: list[float] = []
    routes = []
    for a in hubs:
        for b in hubs:
            if a == b:
                continue
            t = time.perf_counter()
            try:
                route = net.plan(a, b, as_of=2025)
            except cp.NoRouteError:
                continue
            plain.append(time.perf_counter() - t)
            t = time.perf_counter()
            net.plan(a, b, as_of=2025, depart=DEPART)
            dated.append(time.perf_counter() - t)
            t = time.perf_counter()
            route.departing(DEPART)
            dating.append(time.perf_counter() - t)
            routes.append(route)
    print(f"plan() over {len(plain)} hub pairs with a route:          {summary(plain)}")
    print(f"plan(depart=...) over the same pairs:                 {summary(dated)} (target median < 5 ms)")
    print(f"Route.departing() alone:                              {summary(dating)}")
    sample = routes[:: max(1, len(routes) // 50)]
    eta: list[float] = []
    for route in sample:
        dated_route = route.departing(DEPART)
        t = time.perf_counter()
        dated_route.arrival_percentiles()
        eta.append(time.perf_counter() - t)
    print(f"arrival_percentiles(), 100,000 samples, {len(sample)} routes:  {summary(eta)}")


def earliest_among_alternatives(pairs: int = 60) -> None:
    import corridor_planner as cp

    net = cp.load_network()
    hubs = route_ends(net)
    step = max(1, len(hubs) * (len(hubs) - 1) // pairs)
    chosen = [(a, b) for a in hubs for b in hubs if a != b][::step][:pairs]
    times: list[float] = []
    differs = 0
    gained: list[float] = []
    for a, b in chosen:
        t = time.perf_counter()
        try:
            routes = net.alternatives(a, b, k=3, as_of=2025, depart=DEPART)
        except cp.NoRouteError:
            continue
        times.append(time.perf_counter() - t)
        best = routes[0]
        earliest = min(routes, key=lambda r: r.time_h)
        if earliest is not best:
            differs += 1
            gained.append((best.time_h - earliest.time_h) / 24)
    print(
        f"alternatives(k=3, depart=...) over {len(times)} pairs: {summary(times)}; the earliest arrival is not "
        f"the typical best in {differs} ({', '.join(f'{g:.1f}' for g in sorted(gained)[-5:]) or '-'} days earlier)"
    )


if __name__ == "__main__":
    dated_plans()
    earliest_among_alternatives()
