"""Helpers shared by the benchmark scripts (not a benchmark itself)."""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import corridor_planner as cp


def route_ends(net: cp.Network) -> list[str]:
    """The hubs a route may start or end at (waypoints only shape lines)."""
    return [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]


def grid_records(k: int, seed: int | None = None) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Hub and link records of a synthetic K x K grid (0.1 degree apart) with 2K(K-1) two-way links.

    East-west links are rail; north-south ones are road, except every third (rail). With a
    ``seed``, each link also gets a random length (1 to 1.5 times the straight line), speed
    (30-90 km/h) and cost per TEU-km (0.1-2 USD): routes then trade time against distance and
    cost, as the real network's do (without it one route is often best by every criterion).
    """
    hubs: list[dict[str, object]] = [
        dict(id=f"g{i}_{j}", name=f"G {i} {j}", country="KZ", kind="city", lon=60 + i * 0.1, lat=40 + j * 0.1)
        for i in range(k)
        for j in range(k)
    ]
    links: list[dict[str, object]] = []
    for i in range(k):
        for j in range(k):
            if i + 1 < k:
                links.append({"id": f"h{i}_{j}", "from": f"g{i}_{j}", "to": f"g{i + 1}_{j}", "mode": "rail",
                              "gauge_mm": 1520, "two_way": True})  # fmt: skip
            if j + 1 < k:
                road = (i + j) % 3 != 0
                link: dict[str, object] = {"id": f"v{i}_{j}", "from": f"g{i}_{j}", "to": f"g{i}_{j + 1}",
                                           "mode": "road" if road else "rail", "two_way": True}  # fmt: skip
                if not road:
                    link["gauge_mm"] = 1520
                links.append(link)
    if seed is not None:
        rng = random.Random(seed)
        for link in links:
            straight = 8.5 if str(link["id"]).startswith("h") else 11.1  # km between neighbours, about
            link["distance_km"] = round(straight * rng.uniform(1.0, 1.5), 2)
            link["speed_kmh"] = round(rng.uniform(30.0, 90.0), 1)
            link["speed_source"] = "assumption: a random synthetic grid"
            link["cost_usd_per_teu_km"] = round(rng.uniform(0.1, 2.0), 3)
    return hubs, links


def summary(times: Sequence[float]) -> str:
    """``median .. ms, p95 .. ms, max .. ms`` of timings in seconds."""
    ordered = sorted(times)
    return (
        f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {ordered[int(0.95 * len(ordered))] * 1000:.2f} ms, "
        f"max {ordered[-1] * 1000:.2f} ms"
    )
