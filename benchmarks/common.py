"""Helpers shared by the benchmark scripts (not a benchmark itself)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import corridor_planner as cp


def route_ends(net: cp.Network) -> list[str]:
    """The hubs a route may start or end at (waypoints only shape lines)."""
    return [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]


def summary(times: Sequence[float]) -> str:
    """``median .. ms, p95 .. ms, max .. ms`` of timings in seconds."""
    ordered = sorted(times)
    return (
        f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {ordered[int(0.95 * len(ordered))] * 1000:.2f} ms, "
        f"max {ordered[-1] * 1000:.2f} ms"
    )
