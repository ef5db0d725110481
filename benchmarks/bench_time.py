"""Benchmark: Monte Carlo percentiles of transit time (100,000 samples) on the headline route and on others."""

from __future__ import annotations

import statistics
import time

import corridor_planner as cp


def main() -> None:
    net = cp.load_network()
    pairs = [
        ("Beijing", "Baku", {"avoid_modes": ["road"]}),
        ("Beijing", "Duisburg", {}),
        ("Shanghai", "Rotterdam", {}),
        ("Shanghai", "Rotterdam", {"only_modes": ["sea"]}),
    ]  # a liner voyage: late arrivals drawn too
    for origin, destination, options in pairs:
        route = net.plan(origin, destination, as_of=2025, **options)  # type: ignore[arg-type]
        timings = []
        for seed in range(1, 11):  # seeds other than the cached default: every call draws
            start = time.perf_counter()
            p = route.percentiles(n=100_000, seed=seed)
            timings.append(time.perf_counter() - start)
        label = f" ({', '.join(options['only_modes'])} only)" if "only_modes" in options else ""
        print(
            f"{origin} -> {destination}{label} ({len(route.legs)} legs, {len(route.stops)} stops): route.percentiles() "
            f"n=100,000 median {statistics.median(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms "
            f"(target < 200 ms); p10/p50/p90 {p.p10:.1f}/{p.p50:.1f}/{p.p90:.1f} days"
        )


if __name__ == "__main__":
    main()
